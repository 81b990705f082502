"""Server time of the governance pages and API with many products, self-assessments and evaluations.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/os2hub .venv/bin/python benchmarks/governance.py [N]
Creates a throw-away test database with N products (default 1000), each with a submitted self-assessment
(43 answers), a published evaluation (43 ratings) and two decisions, one open round; then measures 200
requests per URL through Django's test client (in-process: server time) and prints p50/p95. Also times the
import of OS2's example self-assessment file.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "os2hub.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import measure  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "example-selfassessment-os2-test.json"


def fill(n):
    from os2hub.accounts.models import Membership, Organisation, User
    from os2hub.products.models import Product

    secretariat = User.objects.create(email="sekretariat@bench.example", name="Sekretariatet")
    org = Organisation.objects.create(name="OS2", slug="os2", kind="secretariat")
    Membership.objects.create(user=secretariat, organisation=org, role="admin")
    products = Product.objects.bulk_create(
        [
            Product(
                name=f"OS2produkt {i:04d}",
                slug=f"os2produkt-{i:04d}",
                summary="Et produkt.",
                status="product",
                coordinator=secretariat,
                official_level=["", "sandkasse", "1", "2"][i % 4],
            )
            for i in range(n)
        ]
    )
    open_round, evaluations = fill_governance(products, secretariat)
    return secretariat, open_round, evaluations[n // 2]


def fill_governance(products, secretariat, *, every=1):
    """For each product a submitted self-assessment (every criterion answered) and two decisions; a published
    evaluation with every criterion rated for every `every`-th product; one open round. Also used by load.py."""
    from os2hub.governance.models import (
        CriteriaVersion,
        Decision,
        Evaluation,
        EvaluationRating,
        Round,
        SelfAssessment,
        SelfAssessmentAnswer,
    )

    version = CriteriaVersion.current()
    criteria = list(version.criteria.all())
    now = timezone.now()
    open_round = Round.objects.create(
        name="Efterår 2026", criteria_version=version, opens_on=date(2026, 10, 1), deadline=date(2026, 12, 1)
    )
    assessments = SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(
                product=p,
                criteria_version=version,
                round=open_round if i % 2 else None,
                status="submitted",
                submitted_at=now,
                submitted_by=secretariat,
                filled_by="Sekretariatet",
                declared_level=["", "sandkasse", "1"][i % 3],
            )
            for i, p in enumerate(products)
        ]
    )
    answers = ["ja", "ja", "ikke_relevant", "nej", "", "ved_ikke"]
    SelfAssessmentAnswer.objects.bulk_create(
        [
            SelfAssessmentAnswer(
                self_assessment=a,
                criterion=c,
                answer=answers[(i + k) % len(answers)],
                documentation="Dokumentation " * 10,
                position=c.position,
            )
            for i, a in enumerate(assessments)
            for k, c in enumerate(criteria)
        ],
        batch_size=5000,
    )
    evaluations = Evaluation.objects.bulk_create(
        [
            Evaluation(
                product=p,
                criteria_version=version,
                round=open_round,
                self_assessment=a,
                status="published",
                summary="Resumé " * 30,
                computed_level="1",
                recommended_level="1",
                published_at=now,
                published_by=secretariat,
            )
            for p, a in list(zip(products, assessments, strict=True))[::every]
        ]
    )
    colours = ["green", "green", "yellow", "grey", "red"]
    EvaluationRating.objects.bulk_create(
        [
            EvaluationRating(evaluation=e, criterion=c, rating=colours[(i + k) % 5], grounds="Grundlag " * 8)
            for i, e in enumerate(evaluations)
            for k, c in enumerate(criteria)
        ],
        batch_size=5000,
    )
    Decision.objects.bulk_create(
        [
            Decision(
                product=p,
                decided_on=date(2025 + k, 6, 1),
                level=p.official_level,
                decision=f"Beslutning {k}",
                grounds="Begrundelse",
                made_by="Bestyrelsen",
                recorded_by=secretariat,
            )
            for p in products
            for k in range(2)
        ]
    )
    return open_round, evaluations


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        secretariat, open_round, evaluation = fill(n)
        slug = evaluation.product.slug
        anonymous, staff = Client(), Client()
        staff.force_login(secretariat)
        print(f"{connection.vendor}: {n} products with self-assessments, evaluations and decisions; 200 requests (ms)")
        for client, url in [
            (anonymous, "/governance/criteria/"),
            (anonymous, f"/products/{slug}/level/"),
            (anonymous, f"/products/{slug}/self-assessment/"),
            (anonymous, f"/products/{slug}/evaluations/{evaluation.pk}/"),
            (anonymous, f"/products/{slug}/evaluations/{evaluation.pk}/report.md"),
            (anonymous, f"/products/{slug}/badge.svg"),
            (anonymous, "/products/?level=2"),
            (anonymous, "/api/v1/criteria"),
            (anonymous, f"/api/v1/products/{slug}/level"),
            (anonymous, f"/api/v1/products/{slug}/evaluations"),
            (anonymous, f"/api/v1/products/{slug}/decisions"),
            (staff, f"/governance/rounds/{open_round.pk}/"),
        ]:
            p50, p95 = measure(client, url)
            print(f"  {url:55s} p50 {p50:6.1f}   p95 {p95:6.1f}")
        # Importing OS2's example file (43 criteria) into a draft, through the page.
        from os2hub.products.models import Product

        product = Product.objects.create(
            name="OS2-test-selvevaluering", slug="os2-test", summary="x", coordinator=secretariat
        )
        raw = EXAMPLE.read_bytes()
        times = []
        for _ in range(30):
            from django.core.files.uploadedfile import SimpleUploadedFile

            start = time.perf_counter()
            response = staff.post(
                f"/products/{product.slug}/self-assessment/import/",
                {"file": SimpleUploadedFile("s.json", raw, content_type="application/json")},
            )
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code
        times.sort()
        print(
            f"  import of the example file (30 runs)                   p50 {statistics.median(times):6.1f}   "
            f"p95 {times[int(len(times) * 0.95) - 1]:6.1f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
