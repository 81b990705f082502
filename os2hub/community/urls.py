from django.urls import path

from . import feeds, views

app_name = "community"

urlpatterns = [
    path("products/<slug:slug>/news/", views.news_list, name="news_list"),
    path("products/<slug:slug>/news/new/", views.news_create, name="news_create"),
    path("products/<slug:slug>/news/<int:pk>/", views.news_detail, name="news_detail"),
    path("products/<slug:slug>/news/<int:pk>/edit/", views.news_edit, name="news_edit"),
    path("products/<slug:slug>/news/<int:pk>/delete/", views.news_delete, name="news_delete"),
    path("products/<slug:slug>/events/", views.event_list, name="event_list"),
    path("products/<slug:slug>/events/new/", views.event_create, name="event_create"),
    path("products/<slug:slug>/events/<int:pk>/", views.event_detail, name="event_detail"),
    path("products/<slug:slug>/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("products/<slug:slug>/events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("products/<slug:slug>/events.ics", feeds.product_events_ics, name="product_events_ics"),
    path("events/", views.upcoming_events, name="upcoming_events"),
    path("feeds/news.atom", feeds.NewsFeed(), name="news_feed"),
    path("feeds/events.ics", feeds.events_ics, name="events_ics"),
]
