"""A coordinator imports a publiccode.yml in Chromium: pastes the file, sees the comparison field by field (axe
finds nothing on it), takes two fields and finds them on the product page.

Selectors use names, ids and hrefs rather than texts, so the test survives translation work."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from os2hub.products.models import Product

from .actions import log_in
from .test_mobile_navigation import expect_no_axe_violations
from .test_products import make_product, submit_form

pytestmark = pytest.mark.e2e

FILE = Path(__file__).resolve().parent.parent / "data" / "publiccode" / "os2-0.5.yml"


def test_the_coordinator_pastes_a_publiccode_yml_and_takes_two_fields(site, page: Page, people):
    product = make_product(people)
    log_in(page, site, people.authority_admin, next_path=product.get_absolute_url())
    page.locator(f"main a[href='/products/{product.slug}/publiccode/import/']").click()
    expect_no_axe_violations(page, "the publiccode.yml import form")
    page.fill("[name=text]", FILE.read_text(encoding="utf-8"))
    submit_form(page)

    expect(page.locator("#publiccode-diff")).to_be_visible()
    expect(page.locator("#publiccode-errors")).to_have_count(0)
    expect_no_axe_violations(page, "the publiccode.yml comparison")
    page.locator("#take-summary").check()
    page.locator("#take-features").check()
    submit_form(page)

    expect(page).to_have_url(f"{site}{product.get_absolute_url()}")
    expect(page.locator("main p.font-lead")).to_have_text(
        "Sagsbehandling af testsager for kommuner, bygget i fællesskab."
    )
    expect(page.locator("#features li")).to_have_text(["Opret og fordel sager", "Frister og påmindelser"])
    product.refresh_from_db()
    assert product.purpose == "OS2mo samler kommunens organisation og medarbejdere ét sted."  # not ticked
    assert Product.objects.get(pk=product.pk).platforms == []
