from django.contrib import admin
from django.urls import include, path

from os2hub.api import api

urlpatterns = [
    path("", include("os2hub.web.urls")),
    path("", include("os2hub.suppliers.urls")),
    path("", include("os2hub.governance.urls")),
    path("", include("os2hub.scans.urls")),
    path("", include("os2hub.development.urls")),
    path("", include("os2hub.needs.urls")),
    path("", include("os2hub.products.urls")),
    path("", include("os2hub.accounts.urls")),
    path("", include("os2hub.community.urls")),
    path("konto/", include("allauth.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]
