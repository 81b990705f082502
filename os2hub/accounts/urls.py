from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/tokens/<int:pk>/slet/", views.token_revoke, name="token_revoke"),
    # Find or create your organisation; "ny" is never an organisation's slug (services.RESERVED_SLUGS).
    path("organisationer/", views.organisations, name="organisations"),
    path("organisationer/ny/", views.organisation_new, name="organisation_new"),
    path("organisationer/ny/<str:kind>/", views.organisation_create, name="organisation_create"),
    path("organisationer/<slug:slug>/", views.organisation, name="organisation"),
    path("organisationer/<slug:slug>/rediger/", views.organisation_edit, name="organisation_edit"),
    path("organisationer/<slug:slug>/medlemmer/<int:pk>/fjern/", views.member_remove, name="member_remove"),
    path("organisationer/<slug:slug>/bliv-medlem/", views.join, name="join"),
    path("organisationer/<slug:slug>/bliv-medlem/traek-tilbage/", views.join_withdraw, name="join_withdraw"),
    path("organisationer/<slug:slug>/anmodninger/<int:pk>/", views.join_decide, name="join_decide"),
    path("sekretariat/organisationer/", views.confirmation_queue, name="confirmation_queue"),
    path("sekretariat/organisationer/<slug:slug>/", views.confirmation, name="confirmation"),
    path("invitationer/<str:token>/", views.invitation, name="invitation"),
]
