"""Members contribute, clicked through in Chromium on a phone (375 px) with axe: a supplier partner suggests a new
text for the product page and the coordinator accepts it; an authority's member asks to join a closed steering
group and its chair approves.

Selectors use names, hrefs, ids and button values rather than texts, so the tests survive translation work.
"""

import pytest
from playwright.sync_api import Page, expect

from os2hub.products.models import Adoption, Group, GroupJoinRequest, GroupMember, Product, SupplierRole

from .actions import log_in
from .test_mobile_navigation import PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e

PURPOSE = "OS2mo samler kommunens organisation og medarbejdere ét sted."


@pytest.fixture
def product(people):
    product = Product.objects.create(
        name="OS2mo",
        slug="os2mo",
        summary="Medarbejder- og organisationsdata.",
        purpose=PURPOSE,
        status=Product.Status.PRODUCT,
        coordinator=people.authority_admin,
    )
    SupplierRole.objects.create(product=product, supplier=people.supplier_org, role="development")
    Adoption.objects.create(product=product, organisation=people.authority)
    return product


def check(page: Page, what: str) -> None:
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, what)


def test_a_partner_suggests_a_text_and_the_coordinator_accepts_it(site, open_page, people, product):
    page = open_page(PHONE)
    log_in(page, site, people.supplier_admin, next_path="/products/os2mo/")
    with page.expect_navigation():
        page.locator("main a[href='/products/os2mo/suggestions/new/']").first.click()
    page.select_option("select[name=text]", "purpose")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    check(page, "the suggestion form")
    page.fill("textarea[name=proposed_text]", PURPOSE + "\n\nBruges af over 40 kommuner.")
    page.fill("textarea[name=comment]", "Tallet er fra 2026.")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("main ins", has_text="Bruges af over 40 kommuner.")).to_be_visible()
    check(page, "the author's suggestion")

    page = open_page(PHONE)  # the coordinator, in a browser of their own

    log_in(page, site, people.authority_admin, next_path="/products/os2mo/suggestions/")
    check(page, "the coordinator's list of suggestions")
    with page.expect_navigation():
        page.locator("main table a[href*='/suggestions/']").first.click()
    check(page, "the suggestion the coordinator decides on")
    with page.expect_navigation():
        page.locator("button[name=decision][value=accept]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    page.goto(f"{site}/products/os2mo/")
    expect(page.locator("main .user-content", has_text="Bruges af over 40 kommuner.")).to_be_visible()
    product.refresh_from_db()
    assert product.purpose.endswith("Bruges af over 40 kommuner.")


def test_a_member_asks_to_join_a_closed_group_and_the_chair_approves(site, open_page, people, product):
    group = Group.objects.create(product=product, kind=Group.Kind.STEERING, name="Styregruppen for OS2mo")
    GroupMember.objects.create(group=group, user=people.authority2_admin, organisation=people.authority2, role="chair")
    url = f"/products/os2mo/groups/{group.pk}/"
    page = open_page(PHONE)
    log_in(page, site, people.authority_admin, next_path="/products/os2mo/")
    with page.expect_navigation():
        page.locator(f"main a[href='{url}']").click()
    check(page, "a closed group's page, for someone who may ask to join")
    page.fill("textarea[name=message]", "Jeg er it-chef i Aarhus.")
    with page.expect_navigation():
        page.locator(f"main form[action='{url}join/'] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator(f"main form[action='{url}join/withdraw/']")).to_be_visible()

    page = open_page(PHONE)  # the chair, in a browser of their own

    log_in(page, site, people.authority2_admin, next_path=url)
    expect(page.locator("#join-requests")).to_be_visible()
    check(page, "the group's page with a request for the chair")
    with page.expect_navigation():
        page.locator("main .join-request button[value=approve]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("#join-requests")).to_have_count(0)
    assert GroupJoinRequest.objects.get().status == "approved"
    assert group.members.filter(user=people.authority_admin, role="member").exists()
