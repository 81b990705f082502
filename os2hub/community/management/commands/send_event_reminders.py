"""Remind people with a seat of events that start within the next 36 hours, once per sign-up. Run daily (see
web/schedule.py); running it more often, or twice at once, sends nobody a second reminder."""

from django.core.management.base import BaseCommand

from os2hub.community.services import event_reminders_send


class Command(BaseCommand):
    help = "E-mail a reminder to everyone with a seat at an event that starts within the next 36 hours (once)."

    def handle(self, *args, **options):
        sent = event_reminders_send()
        self.stdout.write(f"Sent {sent} event reminder(s).\n")
