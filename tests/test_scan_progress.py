"""A scan shows how far it is while it runs: the scanner reports each step and check through a callback (it
imports no Django), the task records them on the scan's row, and the scan's pages poll a fragment with htmx
until the findings replace it. Scans are public, like the product they belong to; a scan is only found under
its own product."""

from pathlib import Path

import pytest
from django.urls import reverse

from os2hub.scanner import cli
from os2hub.scanner.checks import CHECKS, run_checks
from os2hub.scanner.repository import Repository
from os2hub.scanner.targets import parse_target
from os2hub.scans import services
from os2hub.scans.models import Scan

from .scan_sources import GOOD, make_repo
from .test_governance import make_product

URL = "https://github.com/OS2/os2-test"


# --- The scanner's callback (no Django) --------------------------------------------------------------------


def test_the_scanner_reports_each_check_before_it_runs(tmp_path: Path):
    make_repo(tmp_path, GOOD)
    heard = []
    findings = run_checks(Repository(tmp_path), progress=lambda done, total, check: heard.append((done, total, check)))
    n = len(CHECKS)
    assert heard == [(i, n, check_id) for i, check_id in enumerate(CHECKS)]
    assert [f.check for f in findings] == list(CHECKS)


def test_a_scan_reports_fetching_then_the_checks_then_that_they_have_run(tmp_path: Path):
    make_repo(tmp_path, GOOD)
    steps = []
    result = cli.scan(parse_target(str(tmp_path)), progress=lambda *event: steps.append(event))
    n = len(result["findings"])
    assert steps[0] == ("fetch", 0, 0, "") and steps[-1] == ("checked", n, n, "")
    assert [s[1] for s in steps if s[0] == "check"] == list(range(n))
    assert cli.scan(parse_target(str(tmp_path)))["findings"] == result["findings"]  # the callback changes nothing


# --- Recording it ------------------------------------------------------------------------------------------


@pytest.fixture
def product(people):
    product = make_product(people)
    product.repositories.create(url=URL)
    return product


def queued(product) -> Scan:
    return Scan.objects.create(product=product, repository=product.repositories.get(), repository_url=URL)


def running(product, **progress) -> Scan:
    return Scan.objects.create(
        product=product, repository=product.repositories.get(), repository_url=URL, status="running", **progress
    )


def row(scan):
    return Scan.objects.values_list("status", "step", "checks_done", "checks_total", "current_check").get(pk=scan.pk)


@pytest.mark.django_db
def test_the_task_records_the_progress_as_the_checks_run(product, scan_sources, monkeypatch):
    scan_sources.add(URL)
    scan = queued(product)
    seen = []
    record = services.progress_recorder

    def watching(scan_id, **kwargs):
        inner = record(scan_id, **kwargs)

        def both(*event):
            inner(*event)
            seen.append(row(scan))  # what a page reading the row at that moment would show

        return both

    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr(services, "progress_recorder", watching)
    services.scan_run(scan.pk)
    n = len(CHECKS)
    assert seen[0] == ("running", "fetch", 0, 0, "")
    checks = [s for s in seen if s[1] == "check"]
    assert [(s[2], s[3], s[4]) for s in checks] == [(i, n, check_id) for i, check_id in enumerate(CHECKS)]
    assert seen[-1] == ("running", "store", n, n, "")
    assert row(scan)[0] == "done"


@pytest.mark.django_db
def test_progress_is_written_when_the_step_changes_and_at_most_twice_a_second_within_it(product):
    scan = running(product)
    now = [100.0]
    record = services.progress_recorder(scan.pk, clock=lambda: now[0])
    record("check", 0, 25, "license")
    record("check", 1, 25, "readme")  # the same moment: not written
    assert row(scan)[1:] == ("check", 0, 25, "license")
    now[0] += services.PROGRESS_INTERVAL
    record("check", 7, 25, "tests")
    assert row(scan)[1:] == ("check", 7, 25, "tests")
    record("checked", 25, 25, "")  # a new step, written at once
    assert row(scan)[1:] == ("store", 25, 25, "")
    record("something else", 1, 1, "x")  # unknown to us: ignored
    assert row(scan)[1:] == ("store", 25, 25, "")


@pytest.mark.django_db
def test_progress_never_touches_a_scan_that_is_no_longer_running(product):
    scan = running(product)
    Scan.objects.filter(pk=scan.pk).update(status="failed")
    services.progress_recorder(scan.pk)("check", 3, 25, "license")
    assert row(scan) == ("failed", "", 0, 0, "")


# --- The pages ---------------------------------------------------------------------------------------------


def detail_url(product, scan):
    return reverse("scans:detail", args=[product.slug, scan.pk])


@pytest.mark.django_db
def test_a_running_scan_shows_which_check_runs_and_polls_for_more(client, product):
    scan = running(product, step="check", checks_done=11, checks_total=25, current_check="license")
    client.cookies["django_language"] = "en"
    for url in (detail_url(product, scan), reverse("scans:product", args=[product.slug])):
        response = client.get(url)
        html = response.content.decode()
        assert "Running check 12 of 25: Licence" in html
        assert 'class="chart-fill" x="0" y="0" width="44%"' in html and "11 of 25 checks done" in html
        assert 'hx-trigger="every 2s"' in html and f'<a href="{url}">Show the latest progress</a>' in html
        assert 'id="scan-announcer" class="sr-only" aria-live="polite"' in html
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_fragment_says_the_step_and_stops_polling_with_the_findings(client, product, scan_sources):
    scan_sources.add(URL)
    scan = queued(product)
    url = detail_url(product, scan)
    client.cookies["django_language"] = "en"
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="scan-state" hx-get="') and "<html" not in fragment
    assert "Waiting for a worker to start the scan." in fragment and 'class="chart-fill"' not in fragment
    assert '<span hx-swap-oob="innerHTML:#scan-announcer">Waiting for a worker.</span>' in fragment
    services.scan_run(scan.pk)
    response = client.get(url, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "hx-trigger" not in fragment and 'class="table table--compact scan-findings"' in fragment
    assert "The scan is over. The findings are shown." in fragment
    assert "no-store" not in response.get("Cache-Control", "")
    # The finished page names every check (its findings are the ones the view labelled).
    page = client.get(url).content.decode()
    assert '<th scope="row">Licence<br>' in page


@pytest.mark.django_db
def test_a_failed_scan_stops_polling_and_says_why(client, product):
    scan = running(product, step="fetch")
    Scan.objects.filter(pk=scan.pk).update(status="failed", error="The repository could not be fetched.")
    client.cookies["django_language"] = "en"
    fragment = client.get(detail_url(product, scan), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "The repository could not be fetched." in fragment
    assert ">The scan failed.</span>" in fragment


@pytest.mark.django_db
def test_a_scan_is_found_only_under_its_own_product(client, people, product):
    scan = running(product, step="check", checks_done=1, checks_total=25, current_check="readme")
    other = make_product(people, name="Et andet produkt", slug="et-andet")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        assert client.get(detail_url(product, scan), **headers).status_code == 200  # public, like the product
        assert client.get(detail_url(other, scan), **headers).status_code == 404
        assert client.get(reverse("scans:detail", args=[product.slug, scan.pk + 1000]), **headers).status_code == 404
        assert client.get(f"/products/{product.slug}/scans/abc/", **headers).status_code == 404
        assert client.get(reverse("scans:detail", args=["findes-ikke", scan.pk]), **headers).status_code == 404


@pytest.mark.django_db
def test_the_api_shows_how_far_a_scan_is_while_it_runs_and_nothing_once_it_has_ended(client, product):
    waiting = queued(product)
    assert client.get(f"/api/v1/scans/{waiting.pk}").json()["progress"] == {
        "step": "waiting",
        "checks_done": 0,
        "checks_total": 0,
        "current_check": None,
    }
    Scan.objects.filter(pk=waiting.pk).update(status="running", step="check", checks_done=7, checks_total=25,
                                              current_check="readme")  # fmt: skip
    assert client.get(f"/api/v1/scans/{waiting.pk}").json()["progress"] == {
        "step": "check",
        "checks_done": 7,
        "checks_total": 25,
        "current_check": "readme",
    }
    Scan.objects.filter(pk=waiting.pk).update(status="failed", error="The repository could not be fetched.")
    assert client.get(f"/api/v1/scans/{waiting.pk}").json()["progress"] is None
