from django.urls import path

from . import feeds, views

app_name = "newsletters"

urlpatterns = [
    path("nyhedsbrev/", views.archive, name="archive"),
    path("nyhedsbrev/<int:pk>/", views.issue_detail, name="issue"),
    path("nyhedsbrev/abonner/<slug:slug>/", views.subscribe, name="subscribe"),
    path("nyhedsbrev/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("nyhedsbrev/afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("nyhedsbrev/mine/", views.mine, name="mine"),
    path("nyhedsbrev/udgaver/", views.issues, name="issues"),
    path("nyhedsbrev/udgaver/ny/", views.issue_create, name="issue_create"),
    path("nyhedsbrev/udgaver/<int:pk>/rediger/", views.issue_edit, name="issue_edit"),
    path("nyhedsbrev/udgaver/<int:pk>/send/", views.issue_send, name="issue_send"),
    path("nyhedsbrev/udgaver/<int:pk>/slet/", views.issue_delete, name="issue_delete"),
    path("feeds/newsletters.atom", feeds.NewsletterFeed(), name="feed"),
]
