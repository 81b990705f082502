from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from os2hub import demo


class Command(BaseCommand):
    help = "Load OS2hub's demo data (personas, authorities, suppliers). Refused when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only for development: it is refused when DEBUG is off.")
        if demo.already_loaded():
            self.stdout.write("Demo data is already loaded.")
            return
        # The demo's own notifications would flood the console; they are not sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo.load(stdout=self.stdout)
