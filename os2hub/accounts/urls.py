from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/tokens/<int:pk>/slet/", views.token_revoke, name="token_revoke"),
    path("organisationer/<slug:slug>/", views.organisation, name="organisation"),
    path("organisationer/<slug:slug>/rediger/", views.organisation_edit, name="organisation_edit"),
    path("organisationer/<slug:slug>/medlemmer/<int:pk>/fjern/", views.member_remove, name="member_remove"),
    path("invitationer/<str:token>/", views.invitation, name="invitation"),
]
