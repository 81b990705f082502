"""Scans clicked through in Chromium: the coordinator scans the product's repository, reads the evidence,
accepts one proposal and rejects another, and the accepted answer is in the self-assessment with its evidence.
The repository is a small one built by the test and served as if from github.com (tests/scan_sources.py)."""

import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from os2hub.governance.models import SelfAssessment
from os2hub.products.models import Repository
from os2hub.scanner import cli as scanner
from os2hub.scanner.targets import parse_target
from os2hub.scans import services
from os2hub.scans.models import Proposal, Scan
from tests.scan_sources import GOOD, make_repo

from .actions import log_in
from .test_governance_flow import SLUG, make_product

pytestmark = pytest.mark.e2e

URL = "https://github.com/OS2/os2-test"
SCANS = f"/products/{SLUG}/scans/"
PROPOSALS = f"/products/{SLUG}/self-assessment/proposals/"


def scanned_product(people):
    """A product whose repository has been scanned once (the scanner run on a local copy), with proposals."""
    product = make_product(people)
    Repository.objects.create(product=product, url=URL)
    root = Path(tempfile.mkdtemp(prefix="os2hub-e2e-repo-"))
    try:
        make_repo(root, GOOD)
        result = scanner.scan(parse_target(str(root)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    services.scan_record(product=product, repository=product.repositories.get(), result=result)
    return product


def test_the_coordinator_scans_and_accepts_a_proposal(site, page: Page, people, scan_sources):
    product = make_product(people)
    Repository.objects.create(product=product, url=URL)
    scan_sources.add(URL)

    log_in(page, site, people.authority_admin, next_path=f"/products/{SLUG}/")
    with page.expect_navigation():
        page.locator("a[href$='/scans/']").first.click()
    with page.expect_navigation():
        page.locator("form[action$='/scans/start/'] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    scan = Scan.objects.get(product=product)
    assert scan.status == "done"
    # The finding for the Dockerfile links to the file at the scanned commit.
    expect(page.locator(f"#check-{scan.pk}-container a[href='{URL}/blob/{scan.commit}/Dockerfile']")).to_be_visible()
    expect(page.locator(f"#check-{scan.pk}-code-of-conduct .badge-error")).to_be_visible()

    with page.expect_navigation():
        page.locator(f"a[href='{PROPOSALS}']").click()
    container = Proposal.objects.get(criterion_code="F19")
    conduct = Proposal.objects.get(criterion_code="G14")
    expect(page.locator(f"#proposal-{container.pk}")).to_be_visible()
    with page.expect_navigation():
        page.locator(f"#proposal-{container.pk} button[value=accept]").click()
    expect(page.locator("main .alert-success")).to_contain_text("F19")
    with page.expect_navigation():
        page.locator(f"#proposal-{conduct.pk} button[value=reject]").click()
    expect(page.locator(f"#proposal-{conduct.pk} button")).to_have_count(0)  # decided: no buttons any more

    # The self-assessment's draft has the answer, with the evidence in the documentation and links.
    page.goto(f"{site}/products/{SLUG}/self-assessment/themes/formkrav/", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_F19][value=ja]")).to_be_checked()
    expect(page.locator("textarea[name=documentation_F19]")).to_contain_text(scan.commit[:10])
    expect(page.locator("textarea[name=links_F19]")).to_have_value(f"{URL}/blob/{scan.commit}/Dockerfile")
    page.goto(f"{site}/products/{SLUG}/self-assessment/themes/governance/", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_G14][value='']")).to_be_checked()  # rejected: left unanswered
    draft = SelfAssessment.objects.get(product=product, status="draft")
    assert draft.answers.get(criterion__code="F19").answer == "ja"
    assert draft.answers.get(criterion__code="G14").answer == ""
