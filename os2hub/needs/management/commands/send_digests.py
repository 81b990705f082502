"""The weekly e-mail digest of new opportunities for supplier partners (run from cron; see docs/operations.md).
What each subscriber gets, and when, is decided in needs/digest.py; this command walks the subscriptions and
reports."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from os2hub.needs import digest


class Command(BaseCommand):
    help = "E-mail the weekly digest of new opportunities to the supplier members who subscribed to it."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the e-mails, send nothing")
        parser.add_argument(
            "--force", action="store_true", help="also to subscribers who had a digest less than six days ago"
        )

    def handle(self, *args, dry_run, force, **options):
        now = timezone.now()
        counts = {"sent": 0, "empty": 0, "skipped": 0, "failed": 0, "taken": 0}
        for subscription in digest.digest_subscriptions_due(now=now, force=force):
            outcome = digest.digest_send_one(subscription=subscription, now=now, dry_run=dry_run)
            counts[outcome.status] += 1
            if dry_run and outcome.status == "sent":
                self.stdout.write(f"To: {subscription.user.email}\nSubject: {outcome.subject}\n\n{outcome.body}")
            elif outcome.status == "failed":
                self.stderr.write(f"Could not send the digest to {subscription.user.email}: {outcome.error}")
        self.stdout.write(
            f"{counts['sent']} digest(s) {'would be sent' if dry_run else 'sent'}, {counts['empty']} with nothing new, "
            f"{counts['skipped']} skipped (no longer a member or not an approved partner), {counts['failed']} failed."
        )
