"""Resume newsletters that are still sending, e.g. after a worker or the mail server stopped."""

from django.core.management.base import BaseCommand

from os2hub.newsletters import services


class Command(BaseCommand):
    help = "Start the sending task again for every newsletter issue that still has recipients waiting."

    def handle(self, *args, **options):
        ids = services.issues_resume()
        self.stdout.write(f"Resumed {len(ids)} issue(s)" + (f": {', '.join(map(str, ids))}" if ids else "") + ".")
