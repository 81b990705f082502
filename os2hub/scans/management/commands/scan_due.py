"""Scan the repositories not scanned for SCAN_DUE_DAYS days (run from cron; see docs/operations.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from os2hub.core.workflow import TransitionConflict
from os2hub.scans import services
from os2hub.scans.models import Scan


class Command(BaseCommand):
    help = "Queue scans of the repositories whose last scan is older than --days days (or that were never scanned)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help=f"default: SCAN_DUE_DAYS ({settings.SCAN_DUE_DAYS})")
        parser.add_argument("--limit", type=int, default=200, help="scan at most this many repositories (200)")
        parser.add_argument("--dry-run", action="store_true", help="list what is due, scan nothing")

    def handle(self, *args, days, limit, dry_run, **options):
        days = settings.SCAN_DUE_DAYS if days is None else days
        if days < 0 or limit < 1:
            raise CommandError("--days must be 0 or more and --limit 1 or more.")
        stale = 0 if dry_run else services.fail_stale()
        due = list(services.due_repositories(days)[:limit])
        if dry_run:
            for repository in due:
                self.stdout.write(f"{repository.product.slug}\t{repository.url}")
            self.stdout.write(f"{len(due)} repositories are due (not scanned for {days} days).")
            return
        queued = failed = 0
        for repository in due:
            try:
                scans = services.scan_request(product=repository.product, repository=repository)
            except TransitionConflict:
                continue
            queued += 1
            failed += Scan.objects.filter(pk__in=[s.pk for s in scans], status=Scan.Status.FAILED).count()
        self.stdout.write(
            f"{queued} scans started of {len(due)} due repositories; {failed} failed; "
            f"{stale} stale scans marked failed."
        )
