"""Load (hardening issue): gunicorn on PostgreSQL with production settings, 32 concurrent clients per URL, against
a bare Django view in the same server in the same run.

Usage: .venv/bin/python benchmarks/load.py [--duration 30] [--clients 32] [--workers 3] [--worker-class sync]
       [--threads 1] [--page-cache 30] [--keep] [--reuse] [--only /products/,/] [--write]
Run it twice for the whole picture: as in production (anonymous pages from the cache, the default), and with
--page-cache 0 (every page rendered, what a signed-in person costs).

Needs `wrk` (Debian: apt-get install wrk) and PostgreSQL (DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432/os2hub; its own database is never touched).

1. Data: a throw-away database `os2hub_h4_load` (dropped at the end unless --keep; --reuse runs on a kept one
   without filling it), migrated, filled with bulk_create: the development benchmark's world and 10,000
   development requests (benchmarks/development.py: 30 products, 60 authorities, 10 partners, estimates, pledges,
   history), then more products up to 1,000 (categories, two repositories, two supplier roles, a steering group,
   ten adoptions, a submitted self-assessment with every criterion answered, a published evaluation on every
   other product, two decisions) and more approved supplier partners up to 1,000 (competences and price lists).
2. Server: `manage.py collectstatic` into a temporary STATIC_ROOT (production serves the manifest's hashed
   names through WhiteNoise) and `manage.py createcachetable`, as the container's entry point does, then
   gunicorn with DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and SECURE_SSL_REDIRECT=0 on a free
   loopback port, with benchmarks/load_settings.py: the production settings plus benchmarks/load_urls.py,
   which adds one bare view (`/bench/bare/`, a fixed 3-byte answer through the whole middleware stack) in
   front of the site's URLconf. Access log to a temporary file (the Docker image logs
   every request too), with the status and the worker's time of each request.
3. Load: wrk with --clients connections on 2 threads, for each URL separately: 3 s of warm-up, then --duration
   seconds measured. Per URL: requests per second, latency p50/p95/p99 as the client sees it (queueing
   included), errors (responses other than 2xx in the access log, plus wrk's socket errors: connect, read,
   write, timeout) and the worker's own time (p50/p95 from the access log). Ratio = a URL's requests per second
   over the bare view's.

Goal: 0 errors, p95 < 100 ms at 32 clients on 2 cores, catalogue throughput at least a third of the bare view's.
The load generator, PostgreSQL and gunicorn share the machine's cores.

Prints a Markdown section; --write appends it to benchmarks/results.md.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from development import approved_applications, fill_requests, fill_world, throwaway_database  # noqa: E402 (sets Django up)
from django.db import connection, connections  # noqa: E402
from governance import fill_governance  # noqa: E402

BENCH_DB = "os2hub_h4_load"
PRODUCTS, PARTNERS, REQUESTS, PLEDGES, ADOPTERS = 1000, 1000, 10_000, 20_000, 10
P95_GOAL_MS, RATIO_GOAL = 100, 1 / 3
WARMUP_S = 3
COMPETENCES = ["software-development", "code-review", "hosting", "operations-support", "consulting-technical"]

# wrk reports through this script: one JSON line with the counts and the latency percentiles (microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
"""


# --- Data ---------------------------------------------------------------------------------------------------------


def fill():
    """The development benchmark's world and requests, then products and partners up to 1,000 each."""
    from django.contrib.auth.hashers import make_password

    from os2hub.accounts.models import Membership, Organisation, User
    from os2hub.products.models import Adoption, Category, Group, Product, Repository, SupplierRole
    from os2hub.products.search import index_products
    from os2hub.suppliers.models import PriceEntry, SupplierCompetence

    world = fill_world()
    fill_requests(world, REQUESTS, PLEDGES)
    first_products, authorities, _admins, first_partners, *_rest = world

    secretariat = User.objects.create(
        email="sekretariat@bench.example", name="Sekretariatet", password=make_password(None)
    )
    os2 = Organisation.objects.create(name="OS2", slug="os2", kind="secretariat")
    Membership.objects.create(user=secretariat, organisation=os2, role="admin")

    # Partners up to PARTNERS: approved applications with one to four competences, each with a rate.
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Leverandør {i:04d} ApS", slug=f"leverandoer-{i:04d}", kind="supplier")
            for i in range(len(first_partners), PARTNERS)
        ]
    )
    applications = approved_applications(orgs, cvr_base=30000000)
    SupplierCompetence.objects.bulk_create(
        [SupplierCompetence(application=a, key=k) for i, a in enumerate(applications) for k in COMPETENCES[: 1 + i % 4]]
    )
    PriceEntry.objects.bulk_create(
        [
            PriceEntry(application=a, competence=k, hourly_rate_dkk=Decimal(900 + i % 300), valid_from=date(2026, 1, 1))
            for i, a in enumerate(applications)
            for k in COMPETENCES[: 1 + i % 4]
        ],
        batch_size=5000,
    )
    partners = list(first_partners) + orgs

    # Products up to PRODUCTS, then what every product has.
    texts = {
        "purpose": "Et produkt, der samler data om organisation, medarbejdere og borgere. " * 3,
        "value": "Kommunerne deler udviklingen og driften.",
        "target_group": "Sagsbehandlere og borgere.",
    }
    Product.objects.filter(pk__in=[p.pk for p in first_products]).update(**texts, coordinator=secretariat)
    more = Product.objects.bulk_create(
        [
            Product(
                name=f"OS2produkt {i:02d}",
                slug=f"os2produkt-{i:02d}",
                summary="Fælles løsning til kommunernes opgaver med borgere og medarbejdere.",
                status=["idea", "sandbox", "product", "retired"][i % 4],
                coordinator=secretariat,
                **texts,
            )
            for i in range(len(first_products), PRODUCTS)
        ]
    )
    products = list(first_products) + more
    for i, p in enumerate(products):
        p.official_level = ["", "sandkasse", "1", "2", "3"][i % 5]
    Product.objects.bulk_update(products, ["official_level"], batch_size=1000)
    categories = Category.objects.bulk_create(
        [Category(slug=f"k{i}", name_da=f"Kategori {i}", name_en=f"Category {i}") for i in range(8)]
    )
    Product.categories.through.objects.bulk_create(
        [Product.categories.through(product_id=p.pk, category_id=categories[i % 8].pk) for i, p in enumerate(products)]
    )
    Repository.objects.bulk_create(
        [Repository(product=p, url=f"https://github.com/OS2/{p.slug}-{k}") for p in products for k in range(2)]
    )
    SupplierRole.objects.bulk_create(
        [
            SupplierRole(
                product=p,
                supplier=partners[(i + 37 * k) % len(partners)],
                role=["development", "operations"][k],
                starts_on=date(2025, 1, 1),
            )
            for i, p in enumerate(products)
            for k in range(2)
        ]
    )
    Adoption.objects.bulk_create(
        [
            Adoption(product=p, organisation=authorities[(i + 7 * k) % len(authorities)])
            for i, p in enumerate(products)
            for k in range(ADOPTERS)
        ],
        batch_size=5000,
    )
    Group.objects.bulk_create([Group(product=p, kind="steering_group", name="Styregruppen") for p in products])

    # Governance: a submitted self-assessment for every product, a published evaluation for every other one.
    fill_governance(products, secretariat, every=2)
    index_products()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def counts() -> dict:
    from os2hub.development.models import DevelopmentRequest
    from os2hub.governance.models import Evaluation, SelfAssessmentAnswer
    from os2hub.products.models import Adoption, Product
    from os2hub.suppliers.models import SupplierApplication

    return {
        "products": Product.objects.count(),
        "partners": SupplierApplication.objects.approved().count(),
        "requests": DevelopmentRequest.objects.count(),
        "adoptions": Adoption.objects.count(),
        "answers": SelfAssessmentAnswer.objects.count(),
        "evaluations": Evaluation.objects.count(),
    }


@contextmanager
def database(args):
    if args.reuse:
        connections.close_all()
        connection.settings_dict["NAME"] = BENCH_DB
        connection.ensure_connection()
        yield 0.0
        return
    with throwaway_database(BENCH_DB, keep=args.keep):
        start = time.perf_counter()
        fill()
        yield time.perf_counter() - start


# --- Server -------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(static_root: Path, page_cache: int) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{BENCH_DB}"
    if db.get("PASSWORD"):
        url = url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DATABASE_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=url,
        STATIC_ROOT=str(static_root),
        PAGE_CACHE_SECONDS=str(page_cache),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")]),
    )
    return env


def prepare_server(env: dict) -> float:
    """What the container's entry point does before gunicorn starts: the static files with their manifest, and
    the cache table (the default cache is the database's)."""
    start = time.perf_counter()
    for command in (["collectstatic", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "os2hub.settings"},
            check=True,
        )
    return time.perf_counter() - start


@contextmanager
def gunicorn(args, env: dict, tmp: Path):
    """gunicorn on a free loopback port; stopped (TERM, then KILL) however the benchmark ends."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "os2hub.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--access-logfile",
        str(tmp / "access.log"),
        "--access-logformat",
        '%(s)s %(D)s "%(U)s"',
        "--error-logfile",
        str(tmp / "error.log"),
    ]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "load_settings"}, start_new_session=True
    )
    try:
        base = f"127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}: see {tmp / 'error.log'}")
            try:
                if get(base, "/bench/bare/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def get(base: str, path: str) -> tuple[int, bytes]:
    host, port = base.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- Load -----------------------------------------------------------------------------------------------------------


def wrk(base: str, path: str, clients: int, duration: int, script: Path) -> dict:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - wrk from PATH, checked in main()
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(clients),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--script",
            str(script),
            f"http://{base}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def access_log(log: Path, start: int) -> tuple[list[str], int]:
    with log.open("rb") as handle:
        handle.seek(start)
        data = handle.read()
    return data.decode().splitlines(), start + len(data)


def run_url(base, path, args, script, log: Path) -> dict:
    wrk(base, path, args.clients, WARMUP_S, script)
    time.sleep(0.5)
    offset = log.stat().st_size
    result = wrk(base, path, args.clients, args.duration, script)
    time.sleep(0.5)  # the last responses' log lines
    lines, _end = access_log(log, offset)
    statuses, worker_ms = [], []
    for line in lines:
        status, micros, _url = line.split(" ", 2)
        statuses.append(int(status))
        worker_ms.append(int(micros) / 1000)
    worker_ms.sort()
    non_2xx = sum(1 for s in statuses if not 200 <= s < 300)
    socket_errors = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "requests": result["requests"],
        "p50": result["p50"] / 1000,
        "p95": result["p95"] / 1000,
        "p99": result["p99"] / 1000,
        "max": result["max"] / 1000,
        "non_2xx": non_2xx,
        "socket_errors": socket_errors,
        "socket_detail": {k: result[k] for k in ("connect", "read", "write", "timeout") if result[k]},
        "worker_p50": statistics.median(worker_ms) if worker_ms else 0.0,
        "worker_p95": worker_ms[int(len(worker_ms) * 0.95) - 1] if worker_ms else 0.0,
    }


def urls() -> list[tuple[str, str]]:
    """(path, what it is); the bare view first: the pages are compared with it."""
    from os2hub.development.models import DevelopmentRequest
    from os2hub.governance.models import Evaluation
    from os2hub.products.models import Adoption, Product

    product = Product.objects.get(slug="os2produkt-07")
    evaluated = Evaluation.objects.filter(status="published").order_by("pk")[5].product
    n_requests = DevelopmentRequest.objects.filter(product=product).count()
    return [
        ("/bench/bare/", "bare view: fixed answer, the whole middleware stack"),
        ("/products/", "catalogue, 20 of 1,000 products"),
        ("/", "home page"),
        (
            f"/products/{product.slug}/",
            f"product page: {Adoption.objects.filter(product=product).count()} adopters, {n_requests:,} "
            "development requests",
        ),
        (f"/products/{evaluated.slug}/level/", "level page: 43 answers, a published evaluation, decisions"),
        ("/api/v1/products", "API, 50 of 1,000 products"),
        ("/api/v1/suppliers", "API, 50 of 1,000 partners"),
    ]


# --- Report ---------------------------------------------------------------------------------------------------------


def report(args, command, data, load_s, static_s, results, loads) -> str:
    bare = results[0][2]["rps"]
    catalogue = next(r for path, _note, r in results if path == "/products/")
    errors = sum(r["non_2xx"] + r["socket_errors"] for _p, _n, r in results)
    slow = [path for path, _n, r in results if r["p95"] >= P95_GOAL_MS]
    ratio = catalogue["rps"] / bare
    worker_text = f"{args.workers} {args.worker_class} workers" + (
        f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    cache_text = (
        f"anonymous page cache on (PAGE_CACHE_SECONDS={args.page_cache}: after the first request, each page is "
        "served from the shared cache; the bare view never is)"
        if args.page_cache
        else "anonymous page cache off (PAGE_CACHE_SECONDS=0: every page rendered, as for a signed-in person)"
    )
    lines = [
        f"## Load: gunicorn, {args.clients} clients, page cache {'on' if args.page_cache else 'off'} (hardening "
        f"issue) — {date.today().isoformat()}",
        "",
        f"`{command}` on the project's standard machine ({os.cpu_count()} cores; load average over 1 minute "
        f"{loads[0]:.1f} at the start and {loads[1]:.1f} at the end), PostgreSQL {connection.pg_version // 10000}, "
        f"a throw-away database `{BENCH_DB}`: {data['products']:,} products (categories, 2 repositories, 2 supplier "
        f"roles, a steering group, {ADOPTERS} adopters each: {data['adoptions']:,} adoptions; a submitted "
        f"self-assessment each ({data['answers']:,} answers), {data['evaluations']:,} published evaluations), "
        f"{data['partners']:,} approved supplier partners with competences and price lists, "
        f"{data['requests']:,} development requests with estimates, pledges and history"
        + (f"; loaded with bulk_create in {load_s:.0f} s" if load_s else "")
        + ".",
        "",
        f"gunicorn {gunicorn_version()}, {worker_text}, DEBUG off, {cache_text}, production settings "
        "(`benchmarks/load_settings.py`: the site's settings with `benchmarks/load_urls.py`, which adds the bare "
        "view), access log on, static files collected with the manifest"
        + (f" ({static_s:.0f} s)" if static_s else "")
        + f". wrk {args.clients} connections on 2 threads, one URL at a time: {WARMUP_S} s warm-up, then "
        f"{args.duration} s measured. Latency as the client sees it (queueing included); worker = the worker's "
        "own time per request from the access log; errors = responses other than 2xx in the access log + wrk's "
        "socket errors. Load generator, PostgreSQL and gunicorn share the cores.",
        "",
        "| URL | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | worker p50 / p95 ms | × bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, note, r in results:
        p95 = f"**{r['p95']:.1f}**" if r["p95"] >= P95_GOAL_MS else f"{r['p95']:.1f}"
        errs = r["non_2xx"] + r["socket_errors"]
        err_text = f"**{errs}**" if errs else "0"
        if r["socket_detail"]:
            err_text += " (" + ", ".join(f"{k} {v}" for k, v in r["socket_detail"].items()) + ")"
        lines.append(
            f"| `{path}` ({note}) | {r['rps']:,.0f} | {r['p50']:.1f} | {p95} | {r['p99']:.1f} | {r['max']:.0f} "
            f"| {err_text} | {r['worker_p50']:.1f} / {r['worker_p95']:.1f} | {r['rps'] / bare:.2f} |"
        )
    met = not errors and not slow and ratio >= RATIO_GOAL
    lines += [
        "",
        f"Goal (0 errors, p95 < {P95_GOAL_MS} ms, catalogue ≥ 1/3 of the bare view's throughput): "
        + ("met" if met else "**not met**")
        + f". Errors: {errors}. p95 ≥ {P95_GOAL_MS} ms: "
        + (", ".join(f"`{p}`" for p in slow) if slow else "none")
        + f". Catalogue / bare: {catalogue['rps']:,.0f} / {bare:,.0f} req/s = {ratio:.2f}.",
    ]
    return "\n".join(lines) + "\n", met


def gunicorn_version() -> str:
    import gunicorn as g

    return g.__version__


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds measured per URL (default %(default)s)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections (default %(default)s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"], help="(default %(default)s)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker (default %(default)s)")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {BENCH_DB} afterwards")
    parser.add_argument("--reuse", action="store_true", help=f"run on a kept {BENCH_DB} without filling it")
    parser.add_argument("--only", help="comma-separated paths to measure (the bare view is always measured)")
    parser.add_argument(
        "--page-cache",
        type=int,
        default=30,
        help="PAGE_CACHE_SECONDS of the server: 30 as in production (anonymous pages from the cache), "
        "0 renders every page as for a signed-in person (default %(default)s)",
    )
    parser.add_argument("--write", action="store_true", help="append the section to benchmarks/results.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed: the load generator (Debian: apt-get install wrk)")
    if connection.vendor != "postgresql":
        parser.error(f"PostgreSQL is needed (DATABASE_URL points at {connection.vendor})")
    if args.duration < 1 or args.clients < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--duration, --clients, --workers and --threads must be positive")
    command = " ".join([".venv/bin/python benchmarks/load.py", *sys.argv[1:]])

    with tempfile.TemporaryDirectory(prefix="os2hub-load-") as tmp_name, database(args) as load_s:
        tmp = Path(tmp_name)
        data = counts()
        print(f"data: {data}" + (f", loaded in {load_s:.1f} s" if load_s else ""), file=sys.stderr, flush=True)
        cases = urls()
        if args.only:
            wanted = set(args.only.split(","))
            cases = [c for i, c in enumerate(cases) if i == 0 or c[0] in wanted]
        connections.close_all()  # the server's workers get the database to themselves
        env = server_env(tmp / "static", args.page_cache)
        static_s = prepare_server(env)
        script = tmp / "report.lua"
        script.write_text(WRK_SCRIPT)
        results = []
        with gunicorn(args, env, tmp) as base:
            for path, _note in cases:
                status, body = get(base, path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
            loads = [os.getloadavg()[0]]
            for path, note in cases:
                r = run_url(base, path, args, script, tmp / "access.log")
                results.append((path, note, r))
                print(
                    f"  {path:40s} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f}  p95 {r['p95']:6.1f}  "
                    f"p99 {r['p99']:6.1f}  errors {r['non_2xx']}+{r['socket_errors']}  "
                    f"worker {r['worker_p50']:.1f}/{r['worker_p95']:.1f}  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            loads.append(os.getloadavg()[0])
        errors = (tmp / "error.log").read_text()
        section, met = report(args, command, data, load_s, static_s, results, loads)
    print()
    print(section)
    if "Traceback" in errors:
        print("gunicorn's error log has tracebacks:\n" + errors[-3000:], file=sys.stderr)
    if args.write:
        results_md = ROOT / "benchmarks" / "results.md"
        with results_md.open("a", encoding="utf-8") as handle:
            handle.write("\n" + section)
        print(f"appended to {results_md}", file=sys.stderr)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
