from django.urls import path

from . import feeds, views

app_name = "community"

urlpatterns = [
    path("products/<slug:slug>/news/", views.news_list, name="news_list"),
    path("products/<slug:slug>/news/new/", views.news_create, name="news_create"),
    path("products/<slug:slug>/news/propose/", views.news_propose, name="news_propose"),
    path("products/<slug:slug>/news/<int:pk>/", views.news_detail, name="news_detail"),
    path("products/<slug:slug>/news/<int:pk>/edit/", views.news_edit, name="news_edit"),
    path("products/<slug:slug>/news/<int:pk>/delete/", views.news_delete, name="news_delete"),
    path(
        "products/<slug:slug>/news/<int:pk>/review/<str:step>/",
        views.news_review,
        name="news_review",
    ),
    path("products/<slug:slug>/events/", views.event_list, name="event_list"),
    path("products/<slug:slug>/events/new/", views.event_create, name="event_create"),
    path("products/<slug:slug>/events/<int:pk>/", views.event_detail, name="event_detail"),
    path("products/<slug:slug>/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("products/<slug:slug>/events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("products/<slug:slug>/events.ics", feeds.product_events_ics, name="product_events_ics"),
    path("events/", views.upcoming_events, name="upcoming_events"),
    path("events/new/", views.event_propose, name="event_propose"),
    path("events/mine/", views.my_registrations, name="my_registrations"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit_any"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete_any"),
    path("events/<int:pk>/event.ics", feeds.event_ics, name="event_ics"),
    path("events/<int:pk>/step/<str:step>/", views.event_step, name="event_step"),
    path("events/<int:pk>/cohosts/", views.cohost_invite, name="cohost_invite"),
    path("events/<int:pk>/cohosts/<int:cohost_pk>/", views.cohost_respond, name="cohost_respond"),
    path("events/<int:pk>/signup/", views.signup, name="signup"),
    path("events/<int:pk>/signup/cancel/", views.signup_cancel, name="signup_cancel"),
    path("events/<int:pk>/participants/", views.attendees, name="attendees"),
    path("events/<int:pk>/participants.csv", views.attendees_csv, name="attendees_csv"),
    path("events/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("events/<int:pk>/agenda/<int:item_pk>/delete/", views.agenda_remove, name="agenda_remove"),
    path("feeds/news.atom", feeds.NewsFeed(), name="news_feed"),
    path("feeds/events.ics", feeds.events_ics, name="events_ics"),
]
