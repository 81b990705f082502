from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from os2hub.api import api

# The Django admin has no login of its own: its login page sends anonymous visitors to the site's login (allauth,
# with MFA and rate limits) and refuses signed-in users who are not active staff with 403.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("os2hub.web.urls")),
    path("", include("os2hub.suppliers.urls")),
    path("", include("os2hub.governance.urls")),
    path("", include("os2hub.scans.urls")),
    path("", include("os2hub.development.urls")),
    path("", include("os2hub.needs.urls")),
    path("", include("os2hub.questions.urls")),
    path("", include("os2hub.products.urls")),
    path("", include("os2hub.accounts.urls")),
    path("", include("os2hub.community.urls")),
    path("", include("os2hub.contact.urls")),
    path("", include("os2hub.newsletters.urls")),
    path("konto/", include("allauth.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]
