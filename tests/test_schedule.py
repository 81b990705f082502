"""The scheduler (`manage.py run_schedule`, the scheduler service in compose.yaml) runs the jobs of
docs/operations.md at their local times, keeps going when one fails, and catches up minutes it missed."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from os2hub.web import schedule

CPH = ZoneInfo("Europe/Copenhagen")


def run(*args):
    out = io.StringIO()
    call_command("run_schedule", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_it_lists_the_schedule_of_the_operations_guide():
    assert run("--list").splitlines() == [
        "daily 02:30  scan_due",
        "daily 03:15  prune_db_task_results --min-age-days 30",
        "Mondays 07:00  send_digests",
        "daily 07:30  send_event_reminders",
        "Mondays 08:00  remind_self_assessments",
    ]


@pytest.mark.django_db
def test_it_runs_the_digests_on_monday_morning_and_not_on_tuesday():
    monday = run("--at", "2026-06-01 07:00")
    assert monday.startswith("Due at 2026-06-01 07:00: send_digests.")
    assert "sent" in monday  # the digest command's own summary line
    assert run("--at", "2026-06-02 07:00") == "Due at 2026-06-02 07:00: nothing.\n"


@pytest.mark.django_db
def test_the_nightly_jobs_run_every_day():
    assert "No evaluation round is open" in run("--at", "2026-06-01 08:00")
    assert [j.command for j in schedule.due_jobs(datetime.datetime(2026, 6, 3, 2, 30, tzinfo=CPH))] == ["scan_due"]
    assert [j.command for j in schedule.due_jobs(datetime.datetime(2026, 6, 7, 3, 15, tzinfo=CPH))] == [
        "prune_db_task_results"
    ]


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch, caplog):
    monkeypatch.setattr(
        schedule, "JOBS", (schedule.Job("no_such_command", hour=7, minute=0), schedule.Job("send_digests", 7, 0))
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 jobs failed"):
        call_command("run_schedule", "--at", "2026-06-02 07:00", stdout=out, stderr=io.StringIO())
    assert "sent" in out.getvalue()
    assert "Scheduled job no_such_command failed" in caplog.text


@pytest.mark.django_db
def test_it_refuses_a_time_it_cannot_read():
    with pytest.raises(CommandError, match="local time"):
        run("--at", "monday")


def test_the_loop_runs_each_due_minute_once_and_catches_up_minutes_a_long_job_took(monkeypatch):
    ran = []
    clock = [datetime.datetime(2026, 6, 1, 2, 29, 50, tzinfo=CPH)]

    def fake_call_command(name, *args, **kwargs):
        ran.append((name, clock[0].strftime("%H:%M")))
        if name == "scan_due":
            clock[0] += datetime.timedelta(minutes=50)  # a long scan: 03:15 passes while it runs

    def fake_sleep(seconds):
        clock[0] += datetime.timedelta(seconds=seconds)

    monkeypatch.setattr(schedule, "call_command", fake_call_command)
    monkeypatch.setattr(schedule, "close_old_connections", lambda: None)
    schedule.run_forever(now=lambda: clock[0], sleep=fake_sleep, ticks=3)
    assert ran == [("scan_due", "02:30"), ("prune_db_task_results", "03:21")]
