"""Run the scheduled jobs at their times (os2hub/web/schedule.py): the scheduler service in compose.yaml. Run one
scheduler per site, never one per web machine; see docs/operations.md."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from os2hub.web import schedule


class Command(BaseCommand):
    help = "Run the scheduled jobs (scan_due, send_digests, ...) at their times; runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", dest="show", help="print the schedule and exit")
        parser.add_argument(
            "--at",
            metavar="'YYYY-MM-DD HH:MM'",
            help="run once the jobs due at this local time and exit (e.g. to run a missed slot by hand)",
        )

    def handle(self, *args, show, at, **options):
        if show:
            for job in schedule.JOBS:
                self.stdout.write(str(job))
            return
        if at:
            try:
                when = timezone.make_aware(datetime.datetime.strptime(at, "%Y-%m-%d %H:%M"))
            except ValueError:
                raise CommandError("--at takes a local time such as '2026-01-05 07:00'.") from None
            jobs = schedule.due_jobs(when)
            self.stdout.write(f"Due at {at}: {', '.join(j.command for j in jobs) or 'nothing'}.")
            failed = schedule.run_due(when, stdout=self.stdout, stderr=self.stderr)
            if failed:
                raise CommandError(f"{failed} of {len(jobs)} jobs failed; see the log.")
            return
        self.stdout.write(f"Scheduler started ({timezone.get_current_timezone_name()}):")
        for job in schedule.JOBS:
            self.stdout.write(f"  {job}")
        self.stdout.flush()
        schedule.run_forever(stdout=self.stdout, stderr=self.stderr)
