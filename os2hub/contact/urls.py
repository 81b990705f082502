from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("kontakt/", views.contact, name="contact"),
    path("kontakt/mine/", views.my_messages, name="my_messages"),
    path("kontakt/personer/", views.people, name="people"),
    path("kontakt/personer/ny/", views.person_create, name="person_create"),
    path("kontakt/personer/<int:pk>/rediger/", views.person_edit, name="person_edit"),
    path("kontakt/personer/<int:pk>/fjern/", views.person_delete, name="person_delete"),
    path("kontakt/personer/<int:pk>/flyt/", views.person_move, name="person_move"),
    path("sekretariat/henvendelser/", views.queue, name="queue"),
    path("kontakt/henvendelser/<int:pk>/", views.message_detail, name="message"),
    path("kontakt/henvendelser/<int:pk>/<str:step>/", views.message_step, name="message_step"),
    path("privatliv/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
]
