from django.urls import path

from . import search, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("overblik/", views.dashboard, name="dashboard"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("sprog/<str:code>/", views.set_language, name="set_language"),
    path("soeg/", search.search_page, name="search"),
]
