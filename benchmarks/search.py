"""Site-wide search (issue 15, item 12): server time and query counts of /soeg/ with 1,000 products, 5,000
needs, 2,000 development requests (drafts among them), 1,000 news posts and 200 approved partners; and the cost of
the SQLite fallback's typo tolerance (difflib over FUZZY_CANDIDATES titles) on its own.

Usage: .venv/bin/python benchmarks/search.py [--products 1000] [--needs 5000] [--runs 20] [--trigram-indexes]
       [--keep] [--write]

Uses the development benchmark's world (benchmarks/development.py: 30 products, 60 authorities with an admin each,
10 approved supplier partners) and its timing, in a throw-away database `test_os2hub_bench_search` on the server
of DATABASE_URL (PostgreSQL by default; with a sqlite:/// DATABASE_URL the same pages on SQLite, in a file of
that name in the current folder). Django's test client in-process (server time), 3 warm-up requests, then --runs
requests per URL: median and p95 in ms and the queries of one request, compared with a variant (another query) to
show the count does not depend on the data; and the CPU time of a request, the Django process's and the PostgreSQL
server process's (read from /proc), which tells what a search costs on a machine busy with other work. Budget
(ARCHITECTURE.md): p95 <= 50 ms, constant query counts. The products' names (products migration 0003) and the
other kinds' titles and texts (the search_trigram_indexes migrations of needs, development, suppliers and
community) have trigram indexes; --trigram-indexes is kept for older databases and creates any that are missing.
Prints a Markdown section; --write appends it to benchmarks/results.md.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import development as bench  # noqa: E402  (sets Django up the same way)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

BENCH_DB = "test_os2hub_bench_search"
NAMES = ["rollekatalog", "kitos", "borgerpc", "faktor", "sync", "mo", "iot", "kalender", "booking", "affald",
         "skoleintra", "vagtplan", "sensor", "parkering", "adgang", "lokaler", "dagsorden", "indsigt", "valg",
         "ydelse"]  # fmt: skip
SUFFIXES = ["", "portal", "app", "modul", "data", "service", "kobling", "light", "pro", "plus"]
# The trigram indexes web/search.py could use on the other kinds' tables (only the products' names have one):
# --trigram-indexes creates them where a database lacks them (the migrations create them everywhere).
TRIGRAM_INDEXES = {
    "needs_need": ["title", "problem", "desired_outcome"],
    "development_developmentrequest": ["title", "description"],
    "community_newspost": ["title", "body"],
    "suppliers_supplierapplication": ["organisation_name", "core_competences"],
}
WORDS = ["booking", "parkering", "affald", "sensor", "vagtplan", "borgerbrev", "adgang", "lokaler", "skole", "data"]


def fill(world, *, n_products, n_needs):
    from os2hub.accounts.models import Organisation
    from os2hub.community.models import NewsPost
    from os2hub.development.models import DevelopmentRequest
    from os2hub.needs.models import Need
    from os2hub.products.models import Product
    from os2hub.products.search import index_products

    products, authorities, admins, _suppliers, _supplier_admins, _rates, _sprints = world
    extra = Product.objects.bulk_create(
        [
            Product(
                name=f"OS2{NAMES[i % 20]}{SUFFIXES[(i // 20) % 10]}" + (f" {i // 200}" if i >= 200 else ""),
                slug=f"os2-{i:04d}",
                summary=f"Fælles løsning til {WORDS[i % 10]} i kommunerne.",
                purpose=f"Produktet hjælper med {WORDS[(i * 3) % 10]} og {WORDS[(i * 7) % 10]}. " * 10,
                value="Kommunerne sparer tid og penge. " * 5,
                target_group="Sagsbehandlere og borgere.",
                status="product",
            )
            for i in range(n_products - len(products))
        ],
        batch_size=1000,
    )
    index_products()
    now = timezone.now()
    needs = Need.objects.bulk_create(
        [
            Need(
                title=f"Behov {i}: {WORDS[i % len(WORDS)]} i kommunen",
                problem=f"Vi mangler {WORDS[(i * 3) % len(WORDS)]}. " * 20,
                who_has_it="Sagsbehandlere",
                desired_outcome="Det bliver lettere. " * 10,
                organisation=authorities[i % len(authorities)],
                created_by=admins[i % len(admins)],
            )
            for i in range(n_needs)
        ],
        batch_size=2000,
    )
    for i, need in enumerate(needs):
        need.created_at = now - timedelta(minutes=(n_needs - i) * 150)
    Need.objects.bulk_update(needs, ["created_at"], batch_size=2000)
    statuses = [s for s, _label in DevelopmentRequest.Status.choices]
    requests = DevelopmentRequest.objects.bulk_create(
        [
            DevelopmentRequest(
                product=products[i % len(products)],
                requester=authorities[i % len(authorities)],
                created_by=admins[i % len(admins)],
                title=f"Udviklingsønske {i:05d}: eksport af data til {['CSV', 'ODS', 'JSON', 'XML'][i % 4]}",
                description="Hvad: en eksport. Hvorfor: kommunerne skal kunne genbruge data. " * 3,
                status=statuses[i % len(statuses)],
            )
            for i in range(2000)
        ],
        batch_size=1000,
    )
    all_products = products + extra
    news = NewsPost.objects.bulk_create(
        [
            NewsPost(
                product=all_products[i % len(all_products)],
                title=f"Nyt om {WORDS[i % len(WORDS)]}: version {i}",
                body="Vi har frigivet en ny version med rettelser. " * 10,
                published_at=now - timedelta(hours=i),
            )
            for i in range(1000)
        ],
        batch_size=1000,
    )
    partners = Organisation.objects.bulk_create(
        [
            Organisation(name=f"{WORDS[i % 10].title()}firmaet {i} ApS", slug=f"firma-{i}", kind="supplier")
            for i in range(190)
        ]
    )
    bench.approved_applications(partners, cvr_base=30000000)
    return len(all_products), len(needs), len(requests), len(news), len(partners) + 10


def _backend_cpu_s() -> float | None:
    """CPU seconds the database server's process of this connection has used (PostgreSQL on this machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_ms(client, url, runs) -> tuple[float, float | None]:
    """CPU ms a request costs, the Django process's and the database server's (mean over `runs`): unlike the clock,
    what the other processes on the machine do hardly changes it."""
    client.get(url)
    backend, process = _backend_cpu_s(), time.process_time()
    for _ in range(runs):
        client.get(url)
    process = (time.process_time() - process) * 1000 / runs
    after = _backend_cpu_s()
    return process, None if backend is None or after is None else (after - backend) * 1000 / runs


def measure_fallback():
    """The SQLite fallback's part in Python alone: close_titles over FUZZY_CANDIDATES need titles, for one typo."""
    from os2hub.needs.models import Need
    from os2hub.web import search

    candidates = list(Need.objects.order_by("-pk").values_list("pk", "title")[: search.FUZZY_CANDIDATES])
    times = []
    for _ in range(20):
        start = time.perf_counter()
        found = search.close_titles(["parkerng", "kommunen"], candidates)
        times.append((time.perf_counter() - start) * 1000)
    return len(candidates), len(found), statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--trigram-indexes", action="store_true", help="create the trigram indexes the migrations make, where missing"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to look at its plans)")
    args = parser.parse_args()
    if args.products < 100 or args.needs < 100 or args.runs < 20:
        parser.error("--products and --needs at least 100, --runs at least 20")
    command = " ".join([".venv/bin/python benchmarks/search.py", *sys.argv[1:]])
    with bench.throwaway_database(BENCH_DB, keep=args.keep):
        from os2hub.gc_freeze import freeze_startup

        start = time.perf_counter()
        world = bench.fill_world()
        counts = fill(world, n_products=args.products, n_needs=args.needs)
        load_s = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if args.trigram_indexes:
                    for table, columns in TRIGRAM_INDEXES.items():
                        for column in columns:
                            cursor.execute(
                                f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
                                f"ON {table} USING gin ({column} gin_trgm_ops)"
                            )
                cursor.execute("VACUUM ANALYZE")
        anonymous, admin = Client(), Client()
        admin.force_login(world[2][0])
        freeze_startup()
        cases = [
            ("/soeg/?q=rollekatalog", "a name", anonymous, "/soeg/?q=kitos"),
            ("/soeg/?q=rollekatlog", "a name with a typo", anonymous, "/soeg/?q=borgerpcc"),
            ("/soeg/?q=parkering", "a common word (every kind)", anonymous, "/soeg/?q=vagtplan"),
            ("/soeg/?q=parkerng+kommunen", "two words, one misspelt", anonymous, "/soeg/?q=afald+kommunen"),
            ("/soeg/?q=zxqwvb", "nothing found", anonymous, "/soeg/?q=qqqqqq"),
            ("/soeg/?q=parkering&type=needs", "one kind, 20 a page", anonymous, "/soeg/?q=vagtplan&type=needs&side=5"),
            ("/soeg/?q=eksport", "signed in (drafts of one's own)", admin, "/soeg/?q=ekspport"),
        ]
        results = []
        print(
            f"{connection.vendor}: loaded in {load_s:.1f} s; {args.runs} requests per URL (ms); "
            "queries: this URL / variant",
            flush=True,
        )
        loads = [os.getloadavg()[0]]
        for url, note, client, variant in cases:
            p50, p95, queries, sql_ms = bench.measure(client, url, args.runs)
            variant_queries, _sql = bench.query_count(client, variant)
            django_cpu, db_cpu = cpu_ms(client, url, args.runs)
            results.append((url, note, p50, p95, queries, sql_ms, variant, variant_queries, django_cpu, db_cpu))
            print(f"  {url:40s} {note[:34]:34s} median {p50:6.1f}  p95 {p95:6.1f}  queries {queries} / "
                  f"{variant_queries}  CPU {django_cpu:.1f} + {db_cpu if db_cpu is None else round(db_cpu, 1)}",
                  flush=True)  # fmt: skip
        n_candidates, n_found, fallback_ms, fallback_max = measure_fallback()
        print(f"  close_titles over {n_candidates} titles: median {fallback_ms:.1f} ms, max {fallback_max:.1f} ms")
        loads.append(os.getloadavg()[0])
    n_products, n_needs, n_requests, n_news, n_partners = counts
    lines = [
        f"## Site-wide search (issue 15, item 12) — {date.today().isoformat()}",
        "",
        f"`{command}` on the project's standard machine (2 cores; load average {loads[0]:.1f} at the start, "
        f"{loads[1]:.1f} at the end), {connection.vendor}, a throw-away database `{BENCH_DB}`: {n_products:,} "
        f"products, {n_needs:,} needs, {n_requests:,} development requests (drafts among them), {n_news:,} news "
        f"posts, {n_partners} approved partners; loaded in {load_s:.0f} s. Trigram indexes (migrations): "
        + "the products' names and "
        + ", ".join(f"{t}({', '.join(c)})" for t, c in TRIGRAM_INDEXES.items())
        + ". Server time through Django's test "
        f"client, 3 warm-ups, then {args.runs} requests per URL; CPU ms is the mean over another {args.runs} of the "
        "Django process's CPU time and the database server process's (PostgreSQL on this machine; /proc), which the "
        "load of other processes hardly changes. Budget: p95 ≤ 50 ms with constant query counts.",
        "",
        "| URL | median ms | p95 ms | CPU ms: Django + database | queries | their time, ms | queries, variant "
        "| variant |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for url, note, p50, p95, queries, sql_ms, variant, variant_queries, django_cpu, db_cpu in results:
        p95_text = f"**{p95:.1f}**" if p95 > bench.BUDGET_MS else f"{p95:.1f}"
        cpu = f"{django_cpu:.1f} + " + ("?" if db_cpu is None else f"{db_cpu:.1f}")
        row = f"| `{url}` ({note}) | {p50:.1f} | {p95_text} | {cpu} | {queries} | {sql_ms:.0f} | {variant_queries} |"
        lines.append(f"{row} `{variant}` |")
    lines += [
        "",
        f"SQLite's typo tolerance in Python alone (`web.search.close_titles`, two words, one misspelt) over the "
        f"newest {n_candidates:,} need titles: median {fallback_ms:.1f} ms, max {fallback_max:.1f} ms "
        f"({n_found:,} titles found).",
    ]
    section = "\n".join(lines)
    print("\n" + section)
    if args.write:
        with open(Path(__file__).resolve().parent / "results.md", "a", encoding="utf-8") as results_file:
            results_file.write("\n" + section + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
