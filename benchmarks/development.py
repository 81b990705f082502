"""Development requests (issue 6): server time of the lists, the board, the API and a request's page with
10,000 requests and 50,000 pledges, and 50 authorities pledging to one request at the same moment.

Usage: .venv/bin/python benchmarks/development.py [--requests 10000] [--pledges 50000] [--runs 50] [--write]

Creates a dedicated throw-away PostgreSQL database (`test_os2hub_bench_development`, on the server of
DATABASE_URL, default postgres://postgres@127.0.0.1:5432/os2hub; the database itself is never touched) with 30
products, 60 authorities (an admin each), 10 approved supplier partners offering software development with a
published rate, and the requests spread over the products and every status, with estimates, chosen estimates,
sprints, history and pledges (the active ones summing to each request's pledged_dkk), all with bulk_create.

Pages are timed through Django's test client (in-process: server time, no network), warm-up first, then --runs
requests each: p50/p95 in ms and the number of queries of one request (CaptureQueriesContext), compared with a
variant of the same page (another page of results, another product, another request) to show the count does not
depend on the data. Budget (issue 6): p95 <= 50 ms with constant query counts.

Then --rounds times: 50 threads, 50 different authority admins, each with its own database connection, wait at a
threading.Barrier and call services.pledge_create with 250 kr. on one request open for funding at 10,000 kr.
(12,500 kr. offered, 10,000 kr. needed): the throughput (pledges handled per second, wall clock from the barrier
to the last answer), how many were accepted and refused, and checks that pledged_dkk equals the price exactly and
the sum of the active pledges, and that the request was ordered exactly once.

Prints a Markdown section; --write appends it to benchmarks/results.md.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "os2hub.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/os2hub")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

BENCH_DB = "test_os2hub_bench_development"
PRODUCTS, AUTHORITIES, SUPPLIERS, SPRINTS = 30, 60, 10, 4
BUDGET_MS = 50
THREADS, PLEDGE_DKK, PRICE_DKK = 50, Decimal("250.00"), Decimal("10000.00")
STATUS_PATH = {  # the statuses a request has been through, by funding
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "estimated": ["draft", "submitted", "estimated"],
    "funding": ["draft", "submitted", "estimated", "funding"],
    "ordered": ["draft", "submitted", "estimated", "funding", "ordered"],
    "in_progress": ["draft", "submitted", "estimated", "funding", "ordered", "in_progress"],
    "delivered": ["draft", "submitted", "estimated", "funding", "ordered", "in_progress", "delivered"],
    "accepted": ["draft", "submitted", "estimated", "funding", "ordered", "in_progress", "delivered", "accepted"],
    "rejected": ["draft", "submitted", "estimated", "rejected"],
    "withdrawn": ["draft", "submitted", "estimated", "funding", "withdrawn"],
}
FUNDED = ("ordered", "in_progress", "delivered", "accepted")
PRICED = ("funding", *FUNDED)


# --- Data ---------------------------------------------------------------------------------------------------------


@contextmanager
def throwaway_database(name, *, keep=False):
    """A fresh PostgreSQL database for the benchmark's data, on the server of DATABASE_URL (whose own database is
    never touched), dropped afterwards (kept with keep=True), and the test client's settings.

    Not django.test.utils.setup_test_environment(): its template instrumentation keeps every rendered context (and
    the model objects in it) alive for the test client, which a worker never does, and the garbage collector would
    walk them all. Only what the test client needs, and no e-mail leaves the machine."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connections.close_all()
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def approved_applications(organisations, *, cvr_base: int):
    """An approved partnership application for each supplier organisation, complete as the directory needs it
    (also used by load.py)."""
    from os2hub.suppliers.models import SupplierApplication

    now = timezone.now()
    return SupplierApplication.objects.bulk_create(
        [
            SupplierApplication(
                organisation=o,
                status="approved",
                organisation_name=o.name,
                cvr=f"{cvr_base + i}",
                street="Testvej 1",
                postcode="8000",
                city="Aarhus C",
                website="https://leverandoer.example",
                core_competences="Vi bygger **open source** i den offentlige sektor.",
                logo="logos/x.png",
                agreement="agreements/x.pdf",
                agreement_uploaded_at=now,
                coc_version="2024-1",
                coc_accepted_at=now,
                submitted_at=now,
                decided_at=now,
            )
            for i, o in enumerate(organisations)
        ]
    )


def fill_world():
    """Products, authorities with an admin each, approved supplier partners with a rate, sprints."""
    from django.contrib.auth.hashers import make_password

    from os2hub.accounts.models import Membership, Organisation, User
    from os2hub.development.models import Sprint
    from os2hub.products.models import Product
    from os2hub.suppliers.models import PriceEntry, SupplierCompetence

    unusable = make_password(None)  # nobody logs in with a password; the benchmark uses force_login
    products = Product.objects.bulk_create(
        [
            Product(
                name=f"OS2produkt {i:02d}",
                slug=f"os2produkt-{i:02d}",
                summary="Fælles løsning til kommunernes opgaver.",
                status="product",
            )
            for i in range(PRODUCTS)
        ]
    )
    authorities = Organisation.objects.bulk_create(
        [Organisation(name=f"Kommune {i:02d}", slug=f"kommune-{i:02d}", kind="authority") for i in range(AUTHORITIES)]
    )
    suppliers = Organisation.objects.bulk_create(
        [Organisation(name=f"Leverandør {i:02d} ApS", slug=f"leverandoer-{i:02d}", kind="supplier") for i in range(10)]
    )
    admins = User.objects.bulk_create(
        [User(email=f"admin@{o.slug}.bench.example", name=f"Admin {o.name}", password=unusable) for o in authorities]
    )
    supplier_admins = User.objects.bulk_create(
        [User(email=f"admin@{o.slug}.bench.example", name=f"Admin {o.name}", password=unusable) for o in suppliers]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=o, role="admin")
            for u, o in zip(admins + supplier_admins, authorities + suppliers, strict=True)
        ]
    )
    applications = approved_applications(suppliers, cvr_base=20000000)
    SupplierCompetence.objects.bulk_create(
        [
            SupplierCompetence(application=a, key=k)
            for a in applications
            for k in ("software-development", "code-review")
        ]
    )
    rates = [Decimal(900 + 25 * i) for i in range(SUPPLIERS)]
    PriceEntry.objects.bulk_create(
        [
            PriceEntry(application=a, competence="software-development", hourly_rate_dkk=r, valid_from=date(2026, 1, 1))
            for a, r in zip(applications, rates, strict=True)
        ]
    )
    today = timezone.localdate()
    sprints = Sprint.objects.bulk_create(
        [
            Sprint(
                product=p,
                name=f"Sprint {k + 1}",
                starts_on=today + timedelta(days=14 * (k - 2)),
                ends_on=today + timedelta(days=14 * (k - 2) + 13),
            )
            for p in products
            for k in range(SPRINTS)
        ]
    )
    return products, authorities, admins, suppliers, supplier_admins, rates, sprints


def amount(i, j) -> Decimal:
    """A pledge: 2,500 to 12,250 kr., every seventh with 50 øre."""
    return Decimal(2500 + ((i * 31 + j * 17) % 40) * 250) + (Decimal("0.50") if (i + j) % 7 == 0 else 0)


def fill_requests(world, n_requests, n_pledges):
    """n_requests over the products and every status (each product has every status), with estimates, pledges
    and history; the active pledges of a request sum to its pledged_dkk, which is at most its price."""
    from os2hub.development.models import DevelopmentRequest, Estimate, Pledge, RequestEvent

    products, authorities, admins, suppliers, supplier_admins, rates, sprints = world
    statuses = list(STATUS_PATH)
    now = timezone.now()
    rows = []
    for i in range(n_requests):
        k = i // PRODUCTS  # product i % 30; the status turns every 30 requests, the funding every 300
        status = statuses[k % len(statuses)]
        funding = "community" if (k // len(statuses)) % 2 == 0 else "requester"
        if status == "draft" and (k // len(statuses)) % 4 == 3:
            funding = ""
        by_supplier = i % 10 == 9
        requester = suppliers[i % SUPPLIERS] if by_supplier else authorities[i % AUTHORITIES]
        author = supplier_admins[i % SUPPLIERS] if by_supplier else admins[i % AUTHORITIES]
        rows.append(
            DevelopmentRequest(
                product=products[i % PRODUCTS],
                requester=requester,
                created_by=author,
                title=f"Udviklingsønske {i:05d}: eksport af data til {['CSV', 'ODS', 'JSON', 'XML'][i % 4]}",
                description="Hvad: en eksport. Hvorfor: kommunerne skal kunne genbruge data. Hvem: sagsbehandlere. "
                * 3,
                user_stories=[
                    "Som sagsbehandler ønsker jeg at eksportere data, således at jeg kan genbruge dem",
                    "Som leder ønsker jeg et overblik, således at jeg kan prioritere",
                ],
                acceptance_criteria=["Eksporten indeholder alle felter", "Eksporten kan åbnes i LibreOffice"],
                documentation_requirements="Brugervejledning og driftsvejledning opdateres.",
                funding=funding,
                status=status,
                sprint=sprints[(i % PRODUCTS) * SPRINTS + k % SPRINTS]
                if status in ("in_progress", "delivered", "accepted") or (status == "ordered" and i % 2)
                else None,
                work_links=[f"https://github.com/OS2/os2produkt-{i % PRODUCTS:02d}/issues/{i}"]
                if status in FUNDED
                else [],
                acceptance_results=[True, True] if status == "accepted" else [],
                submitted_at=None if status == "draft" else now,
            )
        )
    # Pledges: community-paid requests being funded or funded, and those withdrawn while being funded.
    pledged_on = [r for r in rows if r.funding == "community" and r.status in (*PRICED, "withdrawn")]
    per, extra = divmod(n_pledges, max(len(pledged_on), 1))
    plan = {}  # request index -> [(authority, amount, withdrawn)]
    index = {id(r): i for i, r in enumerate(rows)}
    for m, r in enumerate(pledged_on):
        i = index[id(r)]
        count = per + (1 if m < extra else 0)
        plan[i] = [
            (
                (i + 7 * j) % AUTHORITIES,
                amount(i, j),
                r.status == "withdrawn" or (r.status == "funding" and j % 7 == 6),
            )
            for j in range(count)
        ]
    for i, r in enumerate(rows):
        active = sum((a for _o, a, withdrawn in plan.get(i, []) if not withdrawn), Decimal("0.00"))
        if r.status in FUNDED and r.funding == "community":
            r.price_dkk, r.pledged_dkk = active, active
        elif r.status == "funding" or (r.status == "withdrawn" and r.funding == "community"):
            r.price_dkk, r.pledged_dkk = active + Decimal(5000 * (1 + i % 5)), active
        elif r.status in FUNDED:
            r.price_dkk = Decimal(40_000 + (i % 100) * 1_000)
        if r.status == "withdrawn":
            r.pledged_dkk = Decimal("0.00")
    rows = DevelopmentRequest.objects.bulk_create(rows, batch_size=2000)

    # Estimates: from 1-3 suppliers on every request that got past submitted; the first is the chosen one when
    # a price was set, at exactly that price (a fixed price, hours from the supplier's rate).
    estimates, chosen = [], []
    for i, r in enumerate(rows):
        if r.status in ("draft", "submitted"):
            continue
        for j in range(1 + i % 3):
            s = (i + j) % SUPPLIERS
            price = r.price_dkk if (j == 0 and r.price_dkk) else Decimal(30_000 + ((i * 13 + j * 7) % 90) * 1_000)
            estimates.append(
                Estimate(
                    request=r,
                    supplier=suppliers[s],
                    hours=(price / rates[s]).quantize(Decimal("0.01")) or Decimal("0.01"),
                    hourly_rate_dkk=rates[s],
                    fixed_price_dkk=price,
                    price_dkk=price,
                    start_conditions="Kan starte fire uger efter bestilling.",
                    critical_integrations="Serviceplatformen.",
                    code_location="I produktets repository, som et selvstændigt modul.",
                    reviewer="Kodekammeret ApS",
                    review_cost_dkk=Decimal("4000.00"),
                    valid_until=timezone.localdate() + timedelta(days=90),
                    created_by=supplier_admins[s],
                )
            )
            if j == 0 and r.price_dkk is not None:
                chosen.append((r, len(estimates) - 1))
    estimates = Estimate.objects.bulk_create(estimates, batch_size=5000)
    for r, e in chosen:
        r.chosen_estimate = estimates[e]
    DevelopmentRequest.objects.bulk_update([r for r, _e in chosen], ["chosen_estimate"], batch_size=1000)

    pledges = [
        Pledge(
            request=rows[i],
            organisation=authorities[o],
            amount_dkk=a,
            created_by=admins[o],
            withdrawn_at=now if withdrawn else None,
            withdrawn_by=admins[o] if withdrawn else None,
        )
        for i, entries in plan.items()
        for o, a, withdrawn in entries
    ]
    Pledge.objects.bulk_create(pledges, batch_size=5000)
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(request=r, from_status=before, to_status=after, actor=r.created_by)
            for r in rows
            for before, after in steps(r)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # bulk_create stamps every row with the same created_at: spread the requests over ~14 months, newest last.
        cursor.execute(
            "UPDATE development_developmentrequest SET created_at = now() - (%s - id) * interval '1 hour', "
            "updated_at = now() - (%s - id) * interval '1 hour'",
            [rows[-1].pk, rows[-1].pk],
        )
        # As autovacuum leaves the tables after a load: statistics and the visibility map (index-only scans).
        cursor.execute("VACUUM ANALYZE")
    return rows, len(estimates), len(pledges)


def steps(request) -> list[tuple[str, str]]:
    """(from, to) of each transition the request has been through; only the community funds."""
    path = [s for s in STATUS_PATH[request.status] if request.funding == "community" or s != "funding"]
    return list(zip(["", *path[:-1]], path, strict=True))


def check_data():
    """The loaded data keeps the rules: active pledges sum to pledged_dkk, which is at most the price."""
    from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce

    from os2hub.development.models import DevelopmentRequest, Pledge

    active = (
        Pledge.objects.filter(request=OuterRef("pk"), withdrawn_at__isnull=True)
        .values("request")
        .annotate(total=Sum("amount_dkk"))
        .values("total")
    )
    wrong = (
        DevelopmentRequest.objects.annotate(
            active=Coalesce(Subquery(active), Value(Decimal("0")), output_field=DecimalField())
        )
        .filter(~Q(active=F("pledged_dkk")) | Q(pledged_dkk__gt=F("price_dkk")))
        .count()
    )
    assert wrong == 0, f"{wrong} requests whose active pledges do not match pledged_dkk"


# --- Pages --------------------------------------------------------------------------------------------------------


def measure(client, url, runs, headers=None):
    """(p50 ms, p95 ms, queries of one request, their time in ms) after a warm-up; p95 as in
    benchmarks/timing.py."""
    headers = headers or {}
    for _ in range(3):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    queries, sql_ms = query_count(client, url, headers)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries, sql_ms


def query_count(client, url, headers=None) -> tuple[int, float]:
    """The queries of one request (after a warm-up) and their time in ms. The log is emptied first: every request
    empties it when it starts (django.db.reset_queries on request_started), which would shift
    CaptureQueriesContext's window."""
    client.get(url, **(headers or {}))
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **(headers or {}))
    count, sql_ms = len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return count, sql_ms


def time_pages(admins, runs):
    from os2hub.development.models import DevelopmentRequest, Pledge

    anonymous, admin = Client(), Client()
    admin.force_login(admins[0])
    funding = list(
        DevelopmentRequest.objects.filter(status="funding", funding="community")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    big, other = funding[len(funding) // 2], funding[len(funding) // 3]
    accepted = DevelopmentRequest.objects.filter(status="accepted", funding="requester").order_by("pk")[0].pk
    products = [f"os2produkt-{i:02d}" for i in range(PRODUCTS)]
    pages = -(-DevelopmentRequest.objects.exclude(status="draft").count() // 25)
    htmx = {"HTTP_HX_REQUEST": "true"}
    board, other_board = (f"/products/{products[n]}/development-requests/board/" for n in (7, 21))
    n_active = Pledge.objects.filter(request_id=big, withdrawn_at__isnull=True).count()
    # (url, what it is, client, headers, variant: the same page with other data)
    cases = [
        ("/development-requests/", "first page, 25 of all", anonymous, None, f"/development-requests/?side={pages}"),
        (
            "/development-requests/?status=funding",
            "status filter",
            anonymous,
            None,
            "/development-requests/?status=accepted&funding=community&side=3",
        ),
        (
            "/development-requests/",
            "htmx fragment (HX-Request) of the first page",
            anonymous,
            htmx,
            "/development-requests/?status=funding&funding=community&side=2",
        ),
        (board, board_cards(7), anonymous, None, other_board),
        (board, "htmx fragment", anonymous, htmx, other_board),
        (
            "/api/v1/development-requests",
            "50 a page, newest first",
            anonymous,
            None,
            "/api/v1/development-requests?status=accepted&offset=100",
        ),
        (
            "/api/v1/development-requests?status=funding&funding=community",
            "50 a page, each with its active pledges",
            anonymous,
            None,
            "/api/v1/development-requests?status=ordered&offset=50",
        ),
        (
            f"/development-requests/{big}/",
            f"open for funding, {n_active} active pledges",
            anonymous,
            None,
            f"/development-requests/{accepted}/",
        ),
        (
            f"/development-requests/{big}/",
            "the same, signed in as an authority admin (pledge form)",
            admin,
            None,
            f"/development-requests/{other}/",
        ),
    ]
    results = []
    for url, note, client, headers, variant in cases:
        p50, p95, queries, sql_ms = measure(client, url, runs, headers)
        variant_queries, _sql = query_count(client, variant, headers)
        results.append((url, note, p50, p95, queries, sql_ms, variant, variant_queries))
        print(
            f"  {url[:62]:62s} {note[:40]:40s} p50 {p50:6.1f}  p95 {p95:6.1f}  queries {queries} ({sql_ms:.0f} ms) "
            f"/ {variant_queries}",
            flush=True,
        )
    return results


def board_cards(product) -> str:
    """The cards on a product's board, shown of all: the newest BOARD_CARDS of each status column
    (os2hub.development.views.board)."""
    from os2hub.development.forms import BOARD_STATUSES
    from os2hub.development.models import DevelopmentRequest
    from os2hub.development.views import BOARD_CARDS

    mine = DevelopmentRequest.objects.filter(product__slug=f"os2produkt-{product:02d}")
    counts = [mine.filter(status=s).count() for s in BOARD_STATUSES]
    return f"{sum(min(n, BOARD_CARDS) for n in counts)} of {sum(counts)} cards"


# --- Concurrent pledges ---------------------------------------------------------------------------------------------


def open_for_funding(world, n):
    """A fresh request open for funding at 10,000 kr. with nothing pledged, the way services leave it."""
    from os2hub.development.models import DevelopmentRequest, Estimate, RequestEvent

    products, authorities, admins, suppliers, supplier_admins, rates, sprints = world
    request = DevelopmentRequest.objects.create(
        product=products[0],
        requester=authorities[-1],
        created_by=admins[-1],
        title=f"Fælles finansiering {n}",
        description="Hvad, hvorfor og hvem: en fælles finansieret udvidelse af produktet.",
        user_stories=["Som borger ønsker jeg en ny funktion, således at jeg kan bruge den"],
        acceptance_criteria=["Funktionen virker"],
        documentation_requirements="Brugervejledning.",
        funding="community",
        status="funding",
        submitted_at=timezone.now(),
    )
    estimate = Estimate.objects.create(
        request=request,
        supplier=suppliers[0],
        hours=(PRICE_DKK / rates[0]).quantize(Decimal("0.01")),
        hourly_rate_dkk=rates[0],
        fixed_price_dkk=PRICE_DKK,
        price_dkk=PRICE_DKK,
        created_by=supplier_admins[0],
    )
    DevelopmentRequest.objects.filter(pk=request.pk).update(chosen_estimate=estimate, price_dkk=PRICE_DKK)
    RequestEvent.objects.create(request=request, from_status="estimated", to_status="funding", actor=admins[-1])
    return request.pk


def concurrent_pledges(world, request_pk):
    from os2hub.accounts.models import Organisation, User
    from os2hub.core.workflow import TransitionConflict
    from os2hub.development import services
    from os2hub.development.models import DevelopmentRequest, Pledge, RequestEvent

    authorities, admins = world[1], world[2]
    barrier = threading.Barrier(THREADS)
    outcomes, reasons = ["error: did not run"] * THREADS, [""] * THREADS
    starts, ends, latencies = [0.0] * THREADS, [0.0] * THREADS, [0.0] * THREADS

    def pledge(t):
        try:
            # Everything but the pledge itself before the barrier: the objects and an open connection.
            user = User.objects.get(pk=admins[t].pk)
            organisation = Organisation.objects.get(pk=authorities[t].pk)
            request = DevelopmentRequest.objects.get(pk=request_pk)
            barrier.wait(timeout=120)
            starts[t] = time.perf_counter()
            try:
                services.pledge_create(request=request, user=user, organisation=organisation, amount="250")
                outcomes[t] = "accepted"
            except TransitionConflict as exc:
                outcomes[t] = "refused"
                closed = str(exc) == gettext("The request is not open for funding.")
                reasons[t] = "not open for funding" if closed else "more than the remaining need"
            except Exception as exc:  # an IntegrityError here would mean the UPDATE's guard failed
                outcomes[t] = f"error: {type(exc).__name__}: {exc}"
            ends[t] = time.perf_counter()
            latencies[t] = (ends[t] - starts[t]) * 1000
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pledge, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = max(ends) - min(starts)
    counts = Counter(o if not o.startswith("error") else "error" for o in outcomes)
    errors = sorted({o for o in outcomes if o.startswith("error")})
    request = DevelopmentRequest.objects.get(pk=request_pk)
    active = Pledge.objects.filter(request_id=request_pk, withdrawn_at__isnull=True)
    total = active.aggregate(total=Sum("amount_dkk"))["total"] or Decimal("0")
    ordered = RequestEvent.objects.filter(request_id=request_pk, to_status="ordered").count()
    latencies.sort()
    result = {
        "wall_ms": wall * 1000,
        "per_s": THREADS / wall,
        "accepted": counts["accepted"],
        "refused": counts["refused"],
        "reasons": Counter(r for r in reasons if r),
        "errors": errors,
        "pledged": request.pledged_dkk,
        "sum_active": total,
        "active": active.count(),
        "status": request.status,
        "ordered_events": ordered,
        "p50": statistics.median(latencies),
        "max": latencies[-1],
    }
    result["ok"] = (
        not errors
        and request.pledged_dkk == PRICE_DKK == total
        and result["accepted"] == int(PRICE_DKK / PLEDGE_DKK) == result["active"]
        and result["refused"] == THREADS - result["accepted"]
        and request.status == "ordered"
        and ordered == 1
    )
    return result


# --- Report ---------------------------------------------------------------------------------------------------------


def fmt(value) -> str:
    return f"{value:,.2f}".replace(",", "\u00a0") if isinstance(value, Decimal) else str(value)


def refusals(result) -> str:
    return ", ".join(f"{reason}: {count}" for reason, count in sorted(result["reasons"].items())) or "–"


def report(args, command, counts, pages, rounds, load_s, loads) -> str:
    n_requests, n_estimates, n_pledges, statuses = counts
    status_text = ", ".join(f"{s} {c:,}" for s, c in statuses.items())
    lines = [
        f"## Development requests (issue 6) — {date.today().isoformat()}",
        "",
        f"`{command}` on the project's standard machine (2 cores; load average over 1 minute {loads[0]:.1f} when "
        f"the timing started and {loads[1]:.1f} at the end), PostgreSQL "
        f"{connection.pg_version // 10000}, a dedicated database `{BENCH_DB}` created and dropped by the script. "
        f"{PRODUCTS} products, {AUTHORITIES} authorities (an admin each), {SUPPLIERS} approved supplier partners "
        f"offering software development; {n_requests:,} development requests spread over the products and every "
        f"status ({status_text}), {n_estimates:,} estimates, {n_pledges:,} pledges (the active ones summing to "
        f"each request's pledged amount), history for every request; loaded with bulk_create in {load_s:.0f} s.",
        "",
        f"Server time through Django's test client (in-process, no network), 3 warm-up requests, then {args.runs} "
        "requests per URL. Queries = one request of the URL, with the time PostgreSQL took for them as Django "
        "logs it (whole ms per query); variant = the same page with other data (another page of results, another "
        "product, another request). Tables vacuumed and analysed after the load. Budget: p95 ≤ 50 ms with "
        "constant query counts.",
        "",
        "| URL | p50 ms | p95 ms | queries | their time, ms | queries, variant | variant |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for url, note, p50, p95, queries, sql_ms, variant, variant_queries in pages:
        p95_text = f"**{p95:.1f}**" if p95 > BUDGET_MS else f"{p95:.1f}"
        lines.append(
            f"| `{url}` ({note}) | {p50:.1f} | {p95_text} | {queries} | {sql_ms:.0f} | {variant_queries} "
            f"| `{variant}` |"
        )
    over = [f"`{url}` ({note})" for url, note, _p50, p95, *_rest in pages if p95 > BUDGET_MS]
    changing = [f"`{url}` ({note})" for url, note, _p50, _p95, q, _ms, _v, vq in pages if q != vq]
    lines += [
        "",
        f"Over the budget (p95 > {BUDGET_MS} ms, in bold): " + ("; ".join(over) if over else "none") + ". "
        "Query count different from the variant's: " + ("; ".join(changing) if changing else "none") + ".",
    ]
    lines += [
        "",
        f"Concurrent pledges: {THREADS} threads, {THREADS} different authority admins, each with its own "
        f"database connection, start together at a `threading.Barrier` and call `services.pledge_create` with "
        f"{fmt(PLEDGE_DKK)} kr. on one request open for funding at {fmt(PRICE_DKK)} kr. "
        f"({fmt(PLEDGE_DKK * THREADS)} kr. offered). Wall clock from the barrier to the last answer; "
        "a fresh request each round. Refused = TransitionConflict (the request was ordered already, or the pledge "
        "was more than what remained); errors = any other exception (an IntegrityError would mean the UPDATE's "
        "guard let a pledge reach the database constraint).",
        "",
        "| Round | wall ms | pledges handled / s | accepted | refused | errors | pledged_dkk | sum of active "
        "pledges | status | ordered events | per pledge p50 / max ms | check |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for n, r in enumerate(rounds, 1):
        lines.append(
            f"| {n} | {r['wall_ms']:.0f} | {r['per_s']:.0f} | {r['accepted']} | {r['refused']} ({refusals(r)}) | "
            f"{len(r['errors'])} | {fmt(r['pledged'])} | {fmt(r['sum_active'])} | {r['status']} | "
            f"{r['ordered_events']} | {r['p50']:.0f} / {r['max']:.0f} | {'ok' if r['ok'] else '**FAILED**'} |"
        )
    for r in rounds:
        for error in r["errors"]:
            lines.append(f"\nError: `{error[:300]}`")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="development requests (default %(default)s)")
    parser.add_argument("--pledges", type=int, default=50_000, help="pledges (default %(default)s)")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per URL (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of 50 concurrent pledges (default %(default)s)")
    parser.add_argument("--write", action="store_true", help="append the section to benchmarks/results.md")
    args = parser.parse_args()
    if args.requests < 300 or args.pledges < 0 or args.runs < 20 or args.rounds < 1:
        parser.error("--requests at least 300, --runs at least 20, --rounds at least 1")
    if connection.vendor != "postgresql":
        parser.error(f"PostgreSQL is needed (DATABASE_URL points at {connection.vendor})")
    command = " ".join([".venv/bin/python benchmarks/development.py", *sys.argv[1:]])

    with throwaway_database(BENCH_DB):
        from os2hub.development.models import DevelopmentRequest

        start = time.perf_counter()
        world = fill_world()
        rows, n_estimates, n_pledges = fill_requests(world, args.requests, args.pledges)
        n_requests = len(rows)
        load_s = time.perf_counter() - start
        check_data()
        statuses = Counter(DevelopmentRequest.objects.values_list("status", flat=True))
        statuses = {s: statuses[s] for s in STATUS_PATH}
        print(
            f"loaded {n_requests:,} requests, {n_estimates:,} estimates, {n_pledges:,} pledges in {load_s:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        print(f"{connection.vendor}: {args.runs} requests per URL (ms); queries: this URL / variant", flush=True)
        # Only the benchmark's own objects would be left for the garbage collector to walk on every page: free
        # the loaded rows, so its pauses are the pages' own.
        del rows
        # As os2hub/wsgi.py does in a gunicorn worker once Django is set up: what lives as long as the process is
        # frozen out of the collector's walks (it would otherwise walk Django's objects on every full pass).
        from os2hub.gc_freeze import freeze_startup

        freeze_startup()
        loads = [os.getloadavg()[0]]
        if loads[0] > 1.0:
            print(f"warning: load average {loads[0]:.1f}: the timings share the machine", file=sys.stderr)
        pages = time_pages(world[2], args.runs)
        rounds = []
        for n in range(args.rounds):
            result = concurrent_pledges(world, open_for_funding(world, n))
            rounds.append(result)
            print(
                f"  concurrent pledges, round {n + 1}: {result['wall_ms']:.0f} ms, {result['per_s']:.0f}/s, "
                f"{result['accepted']} accepted, {result['refused']} refused ({refusals(result)}), "
                f"errors {result['errors']}, "
                f"pledged {result['pledged']} = sum {result['sum_active']}, {result['status']}, "
                f"ordered events {result['ordered_events']}: {'ok' if result['ok'] else 'FAILED'}",
                flush=True,
            )
        loads.append(os.getloadavg()[0])
        counts = (n_requests, n_estimates, n_pledges, statuses)
        section = report(args, command, counts, pages, rounds, load_s, loads)
    print()
    print(section)
    if args.write:
        results = ROOT / "benchmarks" / "results.md"
        with results.open("a", encoding="utf-8") as handle:
            handle.write("\n" + section)
        print(f"appended to {results}", file=sys.stderr)
    return 0 if all(r["ok"] for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
