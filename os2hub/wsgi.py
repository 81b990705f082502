"""The WSGI application gunicorn serves, with Django's long-lived objects frozen out of the garbage collector's
walks (os2hub/gc_freeze.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "os2hub.settings")
application = get_wsgi_application()

from os2hub.gc_freeze import freeze_startup  # noqa: E402 (needs Django set up)

freeze_startup()
