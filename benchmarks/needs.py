"""Needs and opportunities (issue 7): server time and query counts of the needs board (search, filters, sort by
co-signers), the calls and pitches lists, a need's and a call's page, the dashboard and the API lists, with
5,000 needs, 20,000 co-signs, 2,000 pitches, 1,000 calls and 3,000 offers.

Usage: .venv/bin/python benchmarks/needs.py [--needs 5000] [--runs 50] [--write]

Uses the development benchmark's world (benchmarks/development.py: 30 products, 60 authorities with an admin
each, 10 approved supplier partners offering software development and code review) in its own throw-away
PostgreSQL database `test_os2hub_bench_needs`, and its timing: Django's test client in-process (server time),
3 warm-up requests, then --runs requests per URL; p50/p95 in ms and the queries of one request, compared with a
variant of the same page with other data. Budget (ARCHITECTURE.md): p95 <= 50 ms, constant query counts.
Prints a Markdown section; --write appends it to benchmarks/results.md.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import development as bench  # noqa: E402  (sets Django up the same way)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

BENCH_DB = "test_os2hub_bench_needs"
WORDS = ["booking", "parkering", "affald", "sensor", "vagtplan", "borgerbrev", "adgang", "lokaler", "skole", "data"]


def fill(world, n_needs):
    from os2hub.needs.models import Call, CoSign, Need, NeedEvent, Offer, Pitch
    from os2hub.products.models import Group

    products, authorities, admins, suppliers, supplier_admins, _rates, _sprints = world
    rng = random.Random(7)
    now = timezone.now()
    statuses = [s for s, _label in Need.Status.choices]
    needs = Need.objects.bulk_create(
        [
            Need(
                title=f"Behov {i}: {WORDS[i % len(WORDS)]} i kommunen",
                problem=f"Vi mangler {WORDS[(i * 3) % len(WORDS)]}. " * 20,
                who_has_it="Sagsbehandlere",
                desired_outcome="Det bliver lettere. " * 10,
                rough_value=f"ca. {100 + i % 900} timer om året",
                organisation=authorities[i % len(authorities)],
                created_by=admins[i % len(admins)],
                status=statuses[i % len(statuses)],
            )
            for i in range(n_needs)
        ],
        batch_size=2000,
    )
    # created_at spread over two years, newest last.
    for i, need in enumerate(needs):
        need.created_at = now - timedelta(minutes=(n_needs - i) * 150)
    Need.objects.bulk_update(needs, ["created_at"], batch_size=2000)
    NeedEvent.objects.bulk_create([NeedEvent(need=n, to_status="open") for n in needs], batch_size=5000)
    cosigns = []
    for need in needs:
        others = [a for a in rng.sample(authorities, 5) if a.pk != need.organisation_id][: rng.randint(0, 4)]
        cosigns += [CoSign(need=need, organisation=a, note="Også os") for a in others]
    CoSign.objects.bulk_create(cosigns, batch_size=5000)
    pitches = Pitch.objects.bulk_create(
        [
            Pitch(
                supplier=suppliers[i % len(suppliers)],
                need=needs[-1 - (i % 500)] if i % 3 else None,
                title=f"Løsning {i}",
                text="Vi har bygget det før. " * 15,
                links=["https://example.org/case"],
            )
            for i in range(2000)
        ],
        batch_size=2000,
    )
    groups = Group.objects.bulk_create(
        [Group(product=p, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen") for p in products]
    )
    today = timezone.localdate()
    calls = Call.objects.bulk_create(
        [
            Call(
                kind=Call.Kind.values[i % len(Call.Kind.values)],
                title=f"Forespørgsel {i}",
                description="Opgaven er ... " * 30,
                product=products[i % len(products)],
                group=groups[i % len(groups)],
                deadline=today + timedelta(days=(i % 60) - 20),
                budget_max_dkk=Decimal(50000),
            )
            for i in range(1000)
        ],
        batch_size=1000,
    )
    offers = Offer.objects.bulk_create(
        [
            Offer(
                call=c,
                supplier=suppliers[(c.pk + k) % len(suppliers)],
                price_dkk=Decimal(20000 + 1000 * k),
                fixed_price_dkk=Decimal(20000 + 1000 * k),
                approach="Sådan gør vi. " * 20,
            )
            for c in calls
            for k in range(3)
        ],
        batch_size=3000,
    )
    awarded = [c for c in calls if c.pk % 4 == 0]
    by_call = {}
    for offer in offers:
        by_call.setdefault(offer.call_id, offer)
    for call in awarded:
        call.status, call.awarded_offer, call.awarded_at = "awarded", by_call[call.pk], now
    Call.objects.bulk_update(awarded, ["status", "awarded_offer", "awarded_at"], batch_size=1000)
    return needs, len(cosigns), pitches, calls, offers, groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.needs < 600 or args.runs < 20:
        parser.error("--needs at least 600, --runs at least 20")
    if connection.vendor != "postgresql":
        parser.error(f"PostgreSQL is needed (DATABASE_URL points at {connection.vendor})")
    command = " ".join([".venv/bin/python benchmarks/needs.py", *sys.argv[1:]])
    with bench.throwaway_database(BENCH_DB):
        from os2hub.gc_freeze import freeze_startup
        from os2hub.products.models import GroupMember

        start = time.perf_counter()
        world = bench.fill_world()
        needs, n_cosigns, pitches, calls, offers, groups = fill(world, args.needs)
        load_s = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        admins, supplier_admins = world[2], world[4]
        GroupMember.objects.create(group=groups[0], user=admins[0])
        caller, supplier, anonymous = Client(), Client(), Client()
        caller.force_login(admins[0])
        supplier.force_login(supplier_admins[0])
        freeze_startup()
        # Two calls of the same caller in the same state (open, deadline ahead): the same page with other data.
        today = timezone.localdate()
        open_call, other_call = [
            c for c in calls if c.group_id == groups[0].pk and c.status == "open" and c.deadline >= today
        ][:2]
        htmx = {"HTTP_HX_REQUEST": "true"}
        big_need = max(needs[-500:], key=lambda n: n.pk % 97)
        cases = [
            ("/needs/", "first page, 25 of all", anonymous, None, f"/needs/?side={args.needs // 25}"),
            ("/needs/?sort=cosigners", "most co-signed first", anonymous, None, "/needs/?sort=cosigners&side=40"),
            ("/needs/?q=booking", "search", anonymous, None, "/needs/?q=parkering+kommunen"),
            ("/needs/?cosigners=3&status=open", "filters", anonymous, htmx, "/needs/?cosigners=1&status=closed"),
            ("/calls/", "first page of 1,000 calls", anonymous, None, "/calls/?kind=hosting&side=2"),
            ("/pitches/", "first page of 2,000 pitches", anonymous, None, "/pitches/?side=30"),
            (f"/needs/{big_need.pk}/", "a need with co-signs and pitches", anonymous, None, f"/needs/{needs[3].pk}/"),
            (f"/calls/{open_call.pk}/", "a call as its caller (3 offers)", caller, None, f"/calls/{other_call.pk}/"),
            ("/dashboard/", "a supplier's opportunities", supplier, None, "/dashboard/"),
            ("/api/v1/needs", "50 a page with co-signers", anonymous, None, "/api/v1/needs?status=open&offset=100"),
            ("/api/v1/calls", "50 a page", anonymous, None, "/api/v1/calls?kind=hosting&offset=50"),
        ]
        results = []
        print(f"loaded in {load_s:.1f} s; {args.runs} requests per URL (ms); queries: this URL / variant", flush=True)
        loads = [os.getloadavg()[0]]
        for url, note, client, headers, variant in cases:
            p50, p95, queries, sql_ms = bench.measure(client, url, args.runs, headers)
            variant_queries, _sql = bench.query_count(client, variant, headers)
            results.append((url, note, p50, p95, queries, sql_ms, variant, variant_queries))
            print(f"  {url[:50]:50s} {note[:34]:34s} p50 {p50:6.1f}  p95 {p95:6.1f}  queries {queries} / "
                  f"{variant_queries}", flush=True)  # fmt: skip
        loads.append(os.getloadavg()[0])
    lines = [
        f"## Needs and opportunities (issue 7) — {date.today().isoformat()}",
        "",
        f"`{command}` on the project's standard machine (2 cores; load average {loads[0]:.1f} at the start, "
        f"{loads[1]:.1f} at the end), PostgreSQL, a throw-away database `{BENCH_DB}`. The development benchmark's "
        f"world plus {args.needs:,} needs in every status over two years, {n_cosigns:,} co-signs, {len(pitches):,} "
        f"pitches, {len(calls):,} calls (a quarter awarded) with {len(offers):,} offers; loaded in {load_s:.0f} s. "
        f"Server time through Django's test client, 3 warm-ups, then {args.runs} requests per URL; startup objects "
        "frozen as in a gunicorn worker. Budget: p95 ≤ 50 ms with constant query counts.",
        "",
        "| URL | p50 ms | p95 ms | queries | their time, ms | queries, variant | variant |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for url, note, p50, p95, queries, sql_ms, variant, variant_queries in results:
        p95_text = f"**{p95:.1f}**" if p95 > bench.BUDGET_MS else f"{p95:.1f}"
        row = f"| `{url}` ({note}) | {p50:.1f} | {p95_text} | {queries} | {sql_ms:.0f} | {variant_queries} |"
        lines.append(f"{row} `{variant}` |")
    over = [f"`{r[0]}`" for r in results if r[3] > bench.BUDGET_MS]
    differ = [f"`{r[0]}`" for r in results if r[4] != r[7]]
    lines += [
        "",
        f"Over the budget: {', '.join(over) or 'none'}. Query count different from the variant's: "
        f"{', '.join(differ) or 'none'}.",
    ]
    section = "\n".join(lines) + "\n"
    print()
    print(section)
    if args.write:
        with (bench.ROOT / "benchmarks" / "results.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
