"""Server time of the supplier directory and the suppliers API list with many approved partners.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/os2hub .venv/bin/python benchmarks/list_pages.py [N]
Creates a throw-away test database, fills it with N approved partners (default 1000), then measures
200 requests per URL through Django's test client (in-process: server time, no network) and prints p50/p95.
"""

import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "os2hub.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from timing import measure  # noqa: E402


def fill(n):
    from os2hub.accounts.models import Organisation
    from os2hub.suppliers.models import PriceEntry, SupplierApplication, SupplierCompetence

    keys = ["software-development", "code-review", "hosting", "operations-support"]
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Leverandør {i:04d} ApS", slug=f"leverandoer-{i:04d}", kind="supplier") for i in range(n)]
    )
    apps = SupplierApplication.objects.bulk_create(
        [
            SupplierApplication(
                organisation=o,
                status="approved",
                organisation_name=o.name,
                cvr=f"{10000000 + i}",
                street="Vej 1",
                postcode="8000",
                city="Aarhus",
                website="https://example.dk",
                core_competences="Open source.",
                logo="logos/x.png",
            )
            for i, o in enumerate(orgs)
        ]
    )
    SupplierCompetence.objects.bulk_create(
        [SupplierCompetence(application=a, key=k) for i, a in enumerate(apps) for k in keys[: 1 + i % 4]]
    )
    PriceEntry.objects.bulk_create(
        [
            PriceEntry(application=a, competence=k, hourly_rate_dkk=Decimal(900 + i % 300), valid_from=date(2026, 1, 1))
            for i, a in enumerate(apps)
            for k in keys[: 1 + i % 4]
        ]
    )


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        fill(n)
        client = Client()
        print(f"{connection.vendor}, {n} approved partners, 200 requests each (ms)")
        for url in [
            "/leverandoerer/",
            "/leverandoerer/?competence=code-review",
            "/leverandoerer/?q=0042",
            "/api/v1/suppliers",
            "/api/v1/suppliers?competence=hosting&limit=50",
            "/leverandoerer/leverandoer-0500/",
        ]:
            p50, p95 = measure(client, url)
            print(f"  {url:50s} p50 {p50:6.1f}   p95 {p95:6.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
