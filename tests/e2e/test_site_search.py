"""Searching OS2hub from the header, on a phone (375 px) and on a desktop (1280 px), as a visitor and signed in.

The header's search field (DKFDS's header search) sits beside the main menu on a desktop and below the header on
a phone, without opening the menu. A search with a typo ("rollekatlog") finds the product; the results come grouped
by kind with counts and lead to their pages; an empty search explains what can be found and a too long one says
what is wrong; no page is wider than the screen and axe finds nothing.
"""

import pytest
from playwright.sync_api import Page, expect

from os2hub.development.models import DevelopmentRequest
from os2hub.needs.models import Need
from os2hub.products.models import Product
from os2hub.products.search import index_products

from .actions import log_in
from .test_mobile_navigation import (
    DESKTOP,
    PHONE,
    VIEWPORTS,
    expect_fits,
    expect_no_axe_violations,
    expect_usable,
)

pytestmark = pytest.mark.e2e

HEADER_SEARCH = "header form[role=search]"


@pytest.fixture
def findable(people):
    """A product, a need naming it, and a draft request of the authority about it."""
    product = Product.objects.create(
        name="OS2rollekatalog", slug="os2rollekatalog", summary="Roller og rettigheder for kommunens brugere."
    )
    index_products(Product.objects.filter(pk=product.pk))
    need = Need.objects.create(
        title="Påmindelser fra rollekataloget",
        problem="Lederne glemmer at godkende roller.",
        desired_outcome="En påmindelse hvert kvartal.",
        organisation=people.authority,
        created_by=people.authority_admin,
    )
    draft = DevelopmentRequest.objects.create(
        product=product,
        requester=people.authority,
        created_by=people.authority_admin,
        title="Udkast: eksport fra rollekataloget",
        description="Vi vil eksportere roller.",
    )
    return product, need, draft


def search_from_the_header(page: Page, query: str) -> None:
    form = page.locator(HEADER_SEARCH)
    field = form.locator("input[type=search]")
    expect_usable(field)
    expect_usable(form.locator("button[type=submit]"))
    field.fill(query)
    with page.expect_navigation():
        field.press("Enter")


@VIEWPORTS
def test_a_visitor_finds_a_product_despite_a_typo_from_the_header(site, open_page, findable, viewport):
    product, need, draft = findable
    page = open_page(viewport)
    page.goto(f"{site}/")
    if viewport == PHONE:
        expect(page.locator("header .js-menu-open")).to_be_visible()
        expect(page.locator("header .mobile-drawer")).to_be_hidden()  # the field is there without the menu
    search_from_the_header(page, "rollekatlog")
    assert page.url.endswith("/soeg/?q=rollekatlog"), page.url
    main = page.locator("main")
    expect(main.locator("h1")).to_be_visible()
    expect(main.locator("#search_q")).to_have_value("rollekatlog")
    products = main.locator("section", has=page.locator("#results-products"))
    expect(products.locator("h2")).to_contain_text("(1)")
    link = products.locator(f"a[href='/products/{product.slug}/']")
    expect(link).to_have_text("OS2rollekatalog")
    needs = main.locator("section", has=page.locator("#results-needs"))
    expect(needs.locator(f"a[href='/needs/{need.pk}/']")).to_be_visible()
    expect(main.locator(f"a[href='/development-requests/{draft.pk}/']")).to_have_count(0)  # someone else's draft
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"search results at {viewport['width']} px")

    # The summary's links jump to the groups; a hit leads to its page.
    main.locator("a[href='#results-needs']").click()
    expect(page).to_have_url(f"{site}/soeg/?q=rollekatlog#results-needs")
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(f"{site}/products/{product.slug}/")
    expect(page.locator("main h1")).to_have_text("OS2rollekatalog")


@VIEWPORTS
def test_the_requester_finds_its_own_draft(site, open_page, people, findable, viewport):
    _product, _need, draft = findable
    page = open_page(viewport)
    log_in(page, site, people.authority_admin, next_path="/")
    search_from_the_header(page, "eksport rollekataloget")
    link = page.locator(f"main a[href='/development-requests/{draft.pk}/']")
    expect(link).to_have_text("Udkast: eksport fra rollekataloget")
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"a signed-in search at {viewport['width']} px")


@VIEWPORTS
def test_an_empty_search_explains_and_a_too_long_one_is_refused(site, open_page, people, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/")
    search_from_the_header(page, "")
    main = page.locator("main")
    expect(main.locator("h2")).to_have_count(1)
    expect(main.locator("a[href='/products/']")).to_be_visible()
    expect(main.locator("#error-summary")).to_have_count(0)
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"the empty search at {viewport['width']} px")

    # The field takes at most 200 characters; a longer query in the address is refused with the field's error.
    field = main.locator("#search_q")
    field.fill("x" * 250)
    expect(field).to_have_value("x" * 200)
    page.goto(f"{site}/soeg/?q={'x' * 201}")
    summary = main.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(main.locator("#search_q_error")).to_be_visible()
    summary.locator("a[href='#search_q']").click()
    expect(field).to_be_focused()
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"a refused search at {viewport['width']} px")


def test_on_a_desktop_the_search_is_beside_the_menu_and_on_a_phone_below_the_header(
    site,
    open_page,
    people,
):
    page = open_page(DESKTOP)
    page.goto(f"{site}/")
    menu = page.locator("header .navigation-menu .mainmenu").bounding_box()
    field = page.locator(f"{HEADER_SEARCH} input").bounding_box()
    assert abs((field["y"] + field["height"] / 2) - (menu["y"] + menu["height"] / 2)) < menu["height"], (menu, field)
    assert field["x"] > menu["x"]

    page = open_page(PHONE)
    page.goto(f"{site}/")
    portal = page.locator("header .portal-info").bounding_box()
    field = page.locator(f"{HEADER_SEARCH} input").bounding_box()
    main = page.locator("main").bounding_box()
    assert portal["y"] + portal["height"] <= field["y"] < main["y"], (portal, field, main)
    assert field["width"] >= 200, field
