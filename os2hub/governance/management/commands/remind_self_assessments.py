"""E-mail coordinators whose product has not submitted its self-assessment in the open round (for cron)."""

from django.core.management.base import BaseCommand

from os2hub.governance.models import Round
from os2hub.governance.services import round_remind


class Command(BaseCommand):
    help = "Remind coordinators of missing self-assessments in the open evaluation round."

    def handle(self, *args, **options):
        open_round = Round.open_round()
        if open_round is None:
            self.stdout.write("No evaluation round is open; nothing to do.")
            return
        count = round_remind(round=open_round)
        self.stdout.write(f"Reminded {count} product(s) in the round {open_round.name}.")
