from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("questions/waiting/", views.waiting, name="waiting"),
    path("questions/ask/<slug:kind>/<int:pk>/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.detail, name="detail"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/answers/<int:answer_pk>/accept/", views.accept, name="accept"),
    path("questions/<int:pk>/publish/", views.publish, name="publish"),
    # follow, unfollow
    path("questions/<int:pk>/<slug:step>/", views.follow, name="follow"),
    path("questions/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
