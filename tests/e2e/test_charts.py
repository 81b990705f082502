"""Charts and a scan's live progress in Chromium at 375 px: the product page's adoption chart, the funding bars
of the development list and board, with axe finding nothing and nothing wider than the phone; then a scan that
waits, runs and finishes while its page is open, the page following it by itself (htmx) until the findings show,
saying each step in its live region."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from os2hub.accounts.models import Organisation
from os2hub.development import services as development
from os2hub.products.models import Adoption
from os2hub.scans import services as scans
from os2hub.scans.models import Scan
from tests.test_development_pages import World

from .test_mobile_navigation import PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e

URL = "https://github.com/OS2/os2mo"
CPH = ZoneInfo("Europe/Copenhagen")


def product_with_history(people):
    world = World(people)
    request, _estimate = world.funding()
    development.pledge_create(
        request=request, user=people.authority_admin, organisation=people.authority, amount=Decimal("1000")
    )
    product = world.product
    for n, year in enumerate((2023, 2024, 2024, 2025)):
        organisation = Organisation.objects.create(name=f"Kommune {n}", slug=f"kommune-{n}", kind="authority")
        adoption = Adoption.objects.create(product=product, organisation=organisation)
        Adoption.objects.filter(pk=adoption.pk).update(created_at=datetime(year, 6, 1, 12, tzinfo=CPH))
    return product, request


def test_charts_and_a_scan_followed_live_on_a_phone(site, open_page, people, scan_sources):
    product, request = product_with_history(people)
    page: Page = open_page(PHONE)

    page.goto(f"{site}/products/{product.slug}/", wait_until="domcontentloaded")
    chart = page.locator("#adoption-chart").locator("..")
    expect(chart.locator("svg[role=img][aria-labelledby=adoption-chart] rect.chart-column")).to_have_count(4)
    expect(chart.locator("text.chart-value").last).to_have_text("4")
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the product page with its adoption chart")

    for path, name in (
        ("/development-requests/", f"funding-{request.pk}"),
        (f"/products/{product.slug}/development-requests/board/", f"card-funding-{request.pk}"),
    ):
        page.goto(site + path, wait_until="domcontentloaded")
        bar = page.locator(f"svg[aria-labelledby='{name}']")
        expect(bar).to_be_visible()
        expect(page.locator(f"#{name}")).to_contain_text("1.000,00")
        expect_fits(page, PHONE["width"])
        expect_no_axe_violations(page, path)

    # A scan waits for a worker while its page is open; the page follows it without being reloaded.
    product.repositories.create(url=URL)
    scan_sources.add(URL)
    scan = Scan.objects.create(product=product, repository=product.repositories.get(), repository_url=URL)
    page.goto(f"{site}/products/{product.slug}/scans/{scan.pk}/", wait_until="domcontentloaded")
    page.evaluate("window.notReloaded = true")
    expect(page.locator("#scan-state[hx-trigger='every 2s'] .scan-progress")).to_be_visible()
    expect(page.locator(f".scan-progress a[href='/products/{product.slug}/scans/{scan.pk}/']")).to_be_visible()
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "a waiting scan")

    Scan.objects.filter(pk=scan.pk).update(
        status="running", step="check", checks_done=5, checks_total=25, current_check="license"
    )
    expect(page.locator(".scan-progress rect.chart-fill")).to_have_attribute("width", "20%")
    expect(page.locator(".scan-progress figcaption")).to_contain_text("5")
    expect(page.locator("#scan-announcer")).not_to_be_empty()
    expect_no_axe_violations(page, "a running scan")

    Scan.objects.filter(pk=scan.pk).update(status="queued", step="", checks_done=0, checks_total=0)
    scans.scan_run(scan.pk)
    expect(page.locator("table.scan-findings")).to_be_visible()
    expect(page.locator("#scan-state")).not_to_have_attribute("hx-trigger", "every 2s")
    expect(page.locator("#scan-announcer")).not_to_be_empty()
    assert page.evaluate("window.notReloaded === true")
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the finished scan")
