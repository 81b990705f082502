"""A municipality's person on a phone finds a product (with a typo), records that the municipality uses it and
pledges to a development request open for funding - from the overview they land on, through the mobile menu,
with axe finding nothing on any page along the way.

Selectors use names, ids, hrefs and roles rather than texts, so the tests survive translation work.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from os2hub.development.models import DevelopmentRequest, Pledge
from os2hub.products.models import Adoption, Product
from os2hub.products.search import index_products

from .actions import log_in, open_menu_item
from .test_mobile_navigation import PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e

WIDTH = PHONE["width"]


def check(page: Page, what: str) -> None:
    expect(page.locator("main h1")).to_be_visible()
    expect_fits(page, WIDTH)
    expect_no_axe_violations(page, f"{what} at {WIDTH} px")


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").last.click()


@pytest.fixture
def rollekatalog(people):
    """OS2rollekatalog in the catalogue, Aarhus using it, and Aarhus's request open for funding (10,000 kr.)."""
    product = Product.objects.create(
        name="OS2rollekatalog",
        slug="os2rollekatalog",
        summary="Styring af brugeres roller og rettigheder på tværs af fagsystemer.",
        status="product",
    )
    index_products(Product.objects.filter(pk=product.pk))
    Adoption.objects.create(product=product, organisation=people.authority, created_by=people.authority_admin)
    request = DevelopmentRequest.objects.create(
        product=product,
        requester=people.authority,
        created_by=people.authority_admin,
        title="Roller udløber automatisk",
        description="Tidsbegrænsede roller, så adgang ikke bliver hængende.",
        funding="community",
        status="funding",
        price_dkk=Decimal("10000.00"),
    )
    return product, request


def test_on_a_phone_a_municipality_finds_a_product_adopts_it_and_pledges(site, open_page, people, rollekatalog):
    product, dev_request = rollekatalog
    detail = f"/products/{product.slug}/"
    page = open_page(PHONE)

    # Odense's person logs in and lands on the personal overview.
    log_in(page, site, people.authority2_admin)
    check(page, "the overview")

    # The catalogue, through the mobile menu.
    open_menu_item(page, "/products/")
    check(page, "the catalogue")

    # The search below the header forgives a typo.
    page.fill("#header-search", "rollekatlog")
    with page.expect_navigation():
        page.press("#header-search", "Enter")
    found = page.locator(f"main a[href='{detail}']")
    expect(found.first).to_be_visible()
    check(page, "the search results")
    with page.expect_navigation():
        found.first.click()
    expect(page).to_have_url(f"{site}{detail}")
    check(page, "the product page")

    # "We use it": one button, and Odense is among the users.
    submit(page, f"main form[action='{detail}adoption/']")
    expect(page).to_have_url(f"{site}{detail}#adoption")
    expect(page.locator("main .alert-success")).to_be_visible()
    assert Adoption.objects.filter(product=product, organisation=people.authority2).exists()
    check(page, "the product page after adopting")

    # From the product to its development requests, and to the one open for funding.
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('development:product_list', args=[product.slug])}']").first.click()
    check(page, "the product's development requests")
    with page.expect_navigation():
        page.locator(f"main a[href='/development-requests/{dev_request.pk}/']").first.click()
    check(page, "the request open for funding")

    # A pledge larger than what remains is refused and says so; nothing is pledged.
    page.fill("#pledge_amount_dkk", "12.000")
    submit(page, "#step-pledge")
    refusal = page.locator("main [role=alert]")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("10.000,00")  # it says what is still needed
    check(page, "the refused pledge")
    dev_request.refresh_from_db()
    assert dev_request.pledged_dkk == 0 and not Pledge.objects.exists()

    # The pledge, typed the Danish way.
    page.fill("#pledge_amount_dkk", "2.500,00")
    submit(page, "#step-pledge")
    expect(page.locator("main .alert-success")).to_be_visible()
    check(page, "the request after pledging")
    dev_request.refresh_from_db()
    assert dev_request.pledged_dkk == Decimal("2500.00")
    pledge = Pledge.objects.get()
    assert pledge.organisation == people.authority2 and pledge.amount_dkk == Decimal("2500.00")
