"""The shell of the site: language, formats, errors, security headers, demo data."""

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from os2hub.accounts.models import User
from os2hub.core.money import format_dkk
from os2hub.suppliers.models import SupplierApplication

from .personas import make_application


def test_danish_is_the_default_even_when_the_browser_prefers_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "da"
    assert b'<html lang="da">' in response.content


def test_the_language_switcher_remembers_english(client, db):
    response = client.get(reverse("web:set_language", args=["en"]), {"next": "/leverandoerer/"})
    assert response.status_code == 302 and response["Location"] == "/leverandoerer/"
    page = client.get("/leverandoerer/")
    assert page["Content-Language"] == "en"
    assert b'<html lang="en">' in page.content


def test_the_language_switcher_does_not_redirect_to_other_sites(client, db):
    response = client.get(reverse("web:set_language", args=["en"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_money_is_formatted_the_danish_way():
    with translation.override("da"):
        assert format_dkk(Decimal("1234.5")) == "1.234,50\xa0kr."
    with translation.override("en"):
        assert format_dkk(Decimal("1234.5")) == "DKK\xa01,234.50"


def test_dates_are_formatted_the_danish_way():
    with translation.override("da"):
        rendered = Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": datetime.date(2026, 11, 27)}))
    assert rendered == "27. november 2026"


def test_pages_send_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_page_gets_the_styled_404(client, db):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert b"dkfds.min.css" in response.content and b"main-content" in response.content


def test_the_500_page_renders_without_a_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"dkfds.min.css" in response.content


def test_the_front_page_and_accessibility_statement_are_public(client, db):
    assert client.get("/").status_code == 200
    page = client.get(reverse("web:accessibility"))
    assert page.status_code == 200 and b"WCAG 2.1" in page.content


def test_the_skip_link_points_at_the_main_content(client, db):
    body = client.get("/").content.decode()
    assert 'href="#main-content"' in body and 'id="main-content"' in body


def test_the_dashboard_needs_login(client, db):
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_demo_data_is_refused_when_debug_is_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_data_has_the_personas_and_applications_in_every_status(settings, db, tmp_path):
    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for email in ["sekretariat", "kommune", "kommune2", "leverandoer", "ny-leverandoer", "koordinator"]:
        assert User.objects.filter(email=f"{email}@os2hub.example").exists()
    statuses = set(SupplierApplication.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "changes_requested", "approved", "rejected"}
    partner = SupplierApplication.objects.get(organisation__memberships__user__email="leverandoer@os2hub.example")
    assert partner.status == "approved"
    assert set(partner.competence_keys()) == {"software-development", "code-review"}
    assert len(partner.current_prices()) == 2
    assert not SupplierApplication.objects.filter(
        organisation__memberships__user__email="ny-leverandoer@os2hub.example"
    ).exists()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - a second run changes nothing
    assert User.objects.filter(email="sekretariat@os2hub.example").count() == 1


def test_demo_levels_come_from_the_decision_log_and_governance_shows_every_state(settings, db):
    import yaml
    from django.utils import timezone

    from os2hub.demo.products import PRODUCTS_FILE
    from os2hub.governance.models import Decision, Evaluation, Practice, Round, SelfAssessment
    from os2hub.products.models import Product

    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    facts = yaml.safe_load(PRODUCTS_FILE.read_text(encoding="utf-8"))["products"]
    expected = {f["name"]: str(f["level"]["value"]) for f in facts if f.get("level")}
    assert dict(Product.objects.exclude(official_level="").values_list("name", "official_level")) == expected
    for product in Product.objects.exclude(official_level=""):
        latest = product.level_decisions.first()
        assert latest is not None and latest.level == product.official_level
        assert latest.decided_on <= timezone.localdate() and latest.made_by and latest.grounds
    assert Decision.objects.count() == len(expected)  # the demo's decisions are the public facts only
    assert Round.objects.filter(status="open").count() == 1 and Round.objects.filter(status="closed").exists()
    assert set(SelfAssessment.objects.values_list("status", flat=True)) == {"draft", "submitted"}
    published = Evaluation.objects.get(status="published")
    assert published.summary and not published.ratings.filter(rating="").exists()
    assert Evaluation.objects.filter(status="draft").exists()
    assert Practice.objects.filter(status="deviates").exclude(explanation="").exists()
    # OS2hub itself, scanned from this folder: every check has a finding, and the coordinator has proposals.
    from os2hub.scanner.checks import CHECKS
    from os2hub.scans.models import Scan

    scan = Scan.objects.get(product__slug="os2hub")
    assert scan.status == "done" and scan.findings.count() == len(CHECKS)
    assert scan.proposals.filter(status="open").exists()
    assert scan.findings.get(check_id="license").details["spdx"] == "MPL-2.0"
    # Development requests in every state, on more than one product, the funded one pledged exactly.
    from os2hub.development.models import DevelopmentRequest

    requests = DevelopmentRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(DevelopmentRequest.Status.values)
    assert requests.values("product").distinct().count() >= 2
    accepted = requests.get(status="accepted", funding="community")
    assert accepted.pledged_dkk == accepted.price_dkk and accepted.pledges.count() == 2
    # Each with its specification, a real PDF that passes the upload check.
    from os2hub.development.attachments import check_attachment

    attachment = accepted.attachments.get()
    with attachment.file.open("rb") as handle:
        assert handle.size == attachment.size and check_attachment(handle) == "pdf"
        assert handle.read().endswith(b"%%EOF\n")
    # Needs, calls and donations in every state, all made through the services.
    from os2hub.needs.models import Call, Donation, Need, Pitch
    from os2hub.products.models import Group

    needs = Need.objects.all()
    assert set(needs.values_list("status", flat=True)) == set(Need.Status.values)
    assert needs.get(status="product").product is not None
    became_request = needs.get(status="request")
    assert became_request.development_request.status == "draft"
    assert became_request.development_request.requester_id == became_request.organisation_id
    assert needs.get(status="tender").tender_url.startswith("https://udbud.dk/")
    assert needs.get(status="closed").events.filter(to_status="closed").exclude(comment="").exists()
    cosigned = needs.filter(cosigns__isnull=False).exclude(cosigns__note="")
    assert cosigned.exists() and not cosigned.filter(cosigns__organisation=models.F("organisation")).exists()
    assert needs.filter(follows__user__email="koordinator@os2hub.example").exists()
    assert Pitch.objects.filter(need__isnull=False).exists() and Pitch.objects.filter(need__isnull=True).exists()
    assert Pitch.objects.filter(marked_for_meeting_at__isnull=False, supplier__name="Kodeværket Demo ApS").exists()
    calls = Call.objects.all()
    assert set(calls.values_list("status", flat=True)) == set(Call.Status.values)
    review = calls.get(status="open", kind="code-review")
    assert review.group.kind == Group.Kind.COORDINATION
    assert review.group.members.filter(user__email="koordinator@os2hub.example", role="chair").exists()
    assert set(review.offers.values_list("supplier__memberships__user__email", flat=True)) == {
        "leverandoer@os2hub.example",
        "leverandoer2@os2hub.example",
    }
    awarded = calls.get(status="awarded")
    assert awarded.awarded_offer.call_id == awarded.pk and awarded.offers.count() == 2
    assert calls.filter(status="open", organisation__kind="authority", kind__in=["hosting", "operations"]).exists()
    assert all(call.deadline >= timezone.localdate() for call in calls.filter(status="open"))
    assert set(Donation.objects.values_list("status", flat=True)) == set(Donation.Status.values)
    assert Donation.objects.get(status="accepted").product.status == Product.Status.SANDBOX
    assert Donation.objects.get(status="declined").reason
    second = SupplierApplication.objects.get(organisation__memberships__user__email="leverandoer2@os2hub.example")
    assert second.status == "approved" and {"code-review", "software-development"} <= set(second.competence_keys())
    assert len(second.current_prices()) == 2
    assert User.objects.get(email="leverandoer@os2hub.example").digest.organisation.name == "Kodeværket Demo ApS"


def test_the_directory_uses_a_constant_number_of_queries(client, people, django_assert_max_num_queries):
    from .personas import VALID_CVRS, OrganisationFactory

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("suppliers:directory")).status_code == 200
        return len(ctx.captured_queries)

    few = count_queries()
    for cvr in VALID_CVRS[1:9]:
        org = OrganisationFactory(kind="supplier")
        make_application(org, people.supplier_admin, cvr=cvr)
    with django_assert_max_num_queries(few):
        client.get(reverse("suppliers:directory"))


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-key-0123456789abcdefghij",
        "ALLOWED_HOSTS": "os2hub.example",
        "DATABASE_URL": "",
        # The browser tests allow sync ORM calls beside Playwright's event loop; production does not.
        "DJANGO_ALLOW_ASYNC_UNSAFE": "",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "", "ALLOWED_HOSTS": "os2hub.example"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "http://127.0.0.1/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data",
        "https://intranet.corp/",
        "http://printer.local/",
        "ftp://files.example.dk/",
        "https://user:pw@example.dk/",
        "http://0.0.0.0/",
        "http://172.16.3.4/",
    ],
)
def test_it_refuses_web_addresses_inside_a_network(url):
    from django.core.exceptions import ValidationError

    from os2hub.core.addresses import validate_public_url

    with pytest.raises(ValidationError):
        validate_public_url(url)


@pytest.mark.parametrize("url", ["https://www.os2.eu/", "http://kodekammeret.dk/om", "https://93.184.216.34/"])
def test_it_accepts_public_web_addresses(url):
    from os2hub.core.addresses import validate_public_url

    validate_public_url(url)


def test_a_request_body_larger_than_any_upload_is_refused_before_it_is_read(client, db, settings):
    response = client.generic(
        "POST", "/partnerskab/filer/", b"x" * 100, CONTENT_LENGTH=str(settings.OS2HUB_MAX_REQUEST_BYTES + 1)
    )
    assert response.status_code == 413
    assert b"dkfds.min.css" in response.content and b"20 MB" in response.content
    api = client.generic(
        "POST",
        "/api/v1/supplier-applications",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.OS2HUB_MAX_REQUEST_BYTES + 1),
    )
    assert api.status_code == 413 and api.json()["detail"]


def test_api_clients_choose_the_language_of_messages(client, db):
    url = "/api/v1/suppliers?competence=nope"
    assert "Unknown competence" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert "Unknown competence" not in client.get(url).json()["detail"]


@pytest.mark.parametrize("url", ["/leverandoerer/", "/products/"])
def test_lists_answer_htmx_with_a_fragment_and_history_restores_with_the_page(client, db, url):
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="results"' not in fragment
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in restore and restore.count('id="results"') == 1


def test_the_wsgi_application_freezes_startup_objects_and_raises_the_collector_thresholds():
    """What gunicorn imports: a fresh interpreter, as a worker is."""
    import subprocess
    import sys

    from os2hub.gc_freeze import THRESHOLDS

    code = (
        "import gc, os; os.environ.setdefault('DEBUG', '1'); import os2hub.wsgi; "
        "print(gc.get_freeze_count(), *gc.get_threshold())"
    )
    # The command is ours and fixed: the interpreter running the tests, with the code above.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)  # noqa: S603
    frozen, *thresholds = (int(n) for n in result.stdout.split())
    assert frozen > 10_000 and tuple(thresholds) == THRESHOLDS
