from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "os2hub.web"
    label = "web"
    verbose_name = "Web"
