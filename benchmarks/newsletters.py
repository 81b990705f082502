"""Newsletters (issue 16): sending one issue to 10,000 subscribers with Django's locmem mail backend.

Usage: .venv/bin/python benchmarks/newsletters.py [--subscribers 10000] [--batch 200] [--write]

In its own throw-away PostgreSQL database `test_os2hub_bench_newsletters` (benchmarks/development.py's
throwaway_database, on the server of DATABASE_URL): one topic with N confirmed subscribers, half of them reading
English, one issue to the topic's subscribers. Measures, separately, the snapshot (the recipients computed and
written as Delivery rows in one transaction, what the "Send" button waits for) and the sending task (rendering
each message with its own unsubscribe link, handing it to the backend and marking its row sent, batch by batch),
as messages per second; and memory: the peak of Python allocations during the send (tracemalloc, in a second
run on a fresh issue, since tracing slows Python down) and the process's maximum resident size. The locmem
backend keeps every message in mail.outbox, so the memory includes all N messages; the outbox is emptied
between the runs. Prints a Markdown section; --write appends it to benchmarks/results.md.
"""

import argparse
import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import development as bench  # noqa: E402  (sets Django up the same way)
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402

BENCH_DB = "test_os2hub_bench_newsletters"


def world(n):
    from os2hub.accounts.models import Membership, Organisation, User
    from os2hub.newsletters.models import Subscription, Topic

    secretariat_org = Organisation.objects.create(name="OS2", slug="os2", kind="secretariat")
    secretariat = User.objects.create_user(email="sekretariat@bench.example", password=None)
    Membership.objects.create(user=secretariat, organisation=secretariat_org, role="admin")
    topic = Topic.objects.create(name="OS2-nyt", slug="os2-nyt")
    Subscription.objects.bulk_create(
        [
            Subscription(
                topic=topic,
                email=f"modtager{i:05}@bench.example",
                status="confirmed",
                language="en" if i % 2 else "da",
                consent_text="Ja tak",
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    return secretariat, topic


def one_issue(secretariat, topic, title):
    from os2hub.newsletters.models import Issue

    body = "## Nyt fra OS2\n\n" + "Fællesskabet har **nye produkter** og [flere partnere](https://os2.eu/).\n\n" * 12
    return Issue.objects.create(topic=topic, title=title, body=body, segments=[f"topic:{topic.pk}"], author=secretariat)


def snapshot(issue, secretariat):
    from os2hub.newsletters import services
    from os2hub.newsletters.getters import Writable

    started = time.perf_counter()
    real, services._enqueue = services._enqueue, lambda issue_id: None  # the task is timed on its own
    try:
        count = services.issue_send(issue=issue, user=secretariat, writable=Writable(secretariat))
    finally:
        services._enqueue = real
    return count, time.perf_counter() - started


def send(issue, batch):
    from os2hub.newsletters import services

    started, cpu = time.perf_counter(), time.process_time()
    counts = services.deliveries_send(issue_id=issue.pk, batch_size=batch)
    return counts, time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error(f"PostgreSQL is needed (DATABASE_URL points at {connection.vendor})")
    n = args.subscribers
    with bench.throwaway_database(BENCH_DB):
        from os2hub.newsletters.models import Delivery, Issue

        secretariat, topic = world(n)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        issue = one_issue(secretariat, topic, "Måling 1")
        count, snapshot_s = snapshot(issue, secretariat)
        load = os.getloadavg()[0]
        counts, send_s, send_cpu = send(issue, args.batch)
        issue.refresh_from_db()
        assert count == n and counts == {"sent": n, "failed": 0}, (count, counts)
        assert len(mail.outbox) == n and len({m.to[0] for m in mail.outbox}) == n
        assert issue.status == Issue.Status.SENT
        assert all("List-Unsubscribe" in m.extra_headers for m in mail.outbox)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        mail.outbox.clear()

        second = one_issue(secretariat, topic, "Måling 2")
        snapshot(second, secretariat)
        tracemalloc.start()
        send(second, args.batch)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        per_message_kb = peak / n / 1024
        mail.outbox.clear()
        assert not Delivery.objects.filter(status="pending").exists()

        lines = [
            f"## Newsletters (issue 16) — {datetime.date.today().isoformat()}",
            "",
            f"`.venv/bin/python benchmarks/newsletters.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
            f"PostgreSQL {connection.pg_version // 10000}, locmem mail backend, {n:,} confirmed subscribers (half "
            f"Danish, half English), batches of {args.batch}, one process; load average {load:.1f} on "
            f"{os.cpu_count()} cores when the send started (other work on the machine slows the wall-clock rate).",
            "",
            "| step | time | rate |",
            "|---|---:|---:|",
            f"| snapshot: {n:,} Delivery rows in one transaction | {snapshot_s:.2f} s | {n / snapshot_s:,.0f} rows/s |",
            f"| sending task: render, send, mark sent | {send_s:.2f} s | **{n / send_s:,.0f} messages/s** |",
            f"| the same, CPU time of this process | {send_cpu:.2f} s | {n / send_cpu:,.0f} messages per CPU second |",
            "",
            f"Memory: peak Python allocations during the send {peak / 2**20:.1f} MiB ({per_message_kb:.1f} KiB "
            f"per message, nearly all of it the {n:,} messages the locmem backend keeps in `mail.outbox`); "
            f"process maximum resident size {rss_before / 1024:.0f} MiB before and {rss_after / 1024:.0f} MiB "
            "after the first send.",
            "",
        ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with open(Path(__file__).parent / "results.md", "a", encoding="utf-8") as results:
            results.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
