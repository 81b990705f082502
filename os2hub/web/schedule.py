"""The scheduled jobs and when they run: the table that `manage.py run_schedule` (the scheduler container in
compose.yaml) follows, so a site needs no cron. The same times are documented as a crontab in docs/operations.md
for sites that prefer cron. Times are local (TIME_ZONE, Europe/Copenhagen)."""

import datetime
import logging
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

MONDAY = 0
# A scheduler that was busy or asleep longer than this does not run the jobs it missed before then.
MAX_CATCH_UP = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    command: str
    hour: int
    minute: int
    weekday: int | None = None  # None: every day; 0 is Monday
    args: tuple[str, ...] = ()

    def is_due(self, when: datetime.datetime) -> bool:
        return (when.hour, when.minute) == (self.hour, self.minute) and self.weekday in (None, when.weekday())

    def __str__(self):
        day = "daily" if self.weekday is None else "Mondays" if self.weekday == MONDAY else f"weekday {self.weekday}"
        return f"{day} {self.hour:02d}:{self.minute:02d}  {' '.join((self.command, *self.args))}"


JOBS = (
    Job("scan_due", hour=2, minute=30),
    Job("prune_db_task_results", hour=3, minute=15, args=("--min-age-days", "30")),
    Job("send_digests", hour=7, minute=0, weekday=MONDAY),
    Job("send_event_reminders", hour=7, minute=30),
    Job("remind_self_assessments", hour=8, minute=0, weekday=MONDAY),
)


def due_jobs(when: datetime.datetime) -> list[Job]:
    return [job for job in JOBS if job.is_due(when)]


def run_due(when: datetime.datetime, *, stdout=None, stderr=None) -> int:
    """Run the jobs due in the minute `when` (local time), one after the other. A job that fails is logged and
    the others still run. Returns how many failed."""
    failed = 0
    for job in due_jobs(when):
        logger.info("Scheduled job %s starts", job.command)
        try:
            call_command(job.command, *job.args, stdout=stdout, stderr=stderr)
        except Exception:
            failed += 1
            logger.exception("Scheduled job %s failed", job.command)
    return failed


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def run_forever(*, now=timezone.now, sleep=time.sleep, stdout=None, stderr=None, ticks=None) -> None:
    """Each minute, run the jobs due in it. Minutes passed while a job ran (or the machine slept) are caught up,
    at most MAX_CATCH_UP back, so a long scan does not make the next job be skipped. `ticks` stops the loop after
    that many wake-ups (tests)."""
    last = _minute(now()) - datetime.timedelta(minutes=1)
    while ticks is None or ticks > 0:
        current = _minute(now())
        minute = max(last + datetime.timedelta(minutes=1), current - MAX_CATCH_UP)
        while minute <= current:
            run_due(minute, stdout=stdout, stderr=stderr)
            last = minute
            minute += datetime.timedelta(minutes=1)
        # Like the end of a request: drop a database connection that broke or outlived CONN_MAX_AGE.
        close_old_connections()
        # Wake a little after the next minute starts.
        moment = now()
        sleep(max(1.0, 61 - timezone.localtime(moment).second - moment.microsecond / 1_000_000))
        if ticks is not None:
            ticks -= 1
