"""The product catalogue, clicked through in Chromium: the coordinator edits the product page and attaches a
supplier, an authority records that it uses the product, and anyone finds it in the catalogue.

Selectors use names, ids, hrefs and roles rather than texts, so the tests survive translation work; where a
text is checked, it is translated here the way the server translates it.
"""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from os2hub.products.models import Adoption, Product, SupplierRole
from os2hub.products.search import index_products

from .actions import log_in
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

DETAIL = "/products/os2mo/"


def make_product(people, **fields) -> Product:
    """OS2mo, coordinated by Aarhus Kommune's admin (people.authority_admin), with one repository."""
    values = {
        "name": "OS2mo",
        "slug": "os2mo",
        "summary": "Medarbejder- og organisationsdata til kommunens systemer.",
        "purpose": "OS2mo samler kommunens organisation og medarbejdere ét sted.",
        "status": Product.Status.PRODUCT,
        "coordinator": people.authority_admin,
    } | fields
    product = Product.objects.create(**values)
    # Made outside the product services, so its search document is computed here, as the demo loader does.
    index_products(Product.objects.filter(pk=product.pk))
    product.repositories.create(url=f"https://github.com/OS2mo/{product.slug}")
    return product


def submit_form(page: Page, form="main form[method=post]") -> None:
    """Press the form's submit button and wait for the answer."""
    with page.expect_navigation():
        page.locator(form).last.locator("button[type=submit]").click()


def expect_success(page: Page) -> None:
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)


def users_list(page: Page):
    """The list under "Who uses it" on the product page."""
    return page.locator("main h2#adoption + ul")


def test_the_coordinator_edits_the_product_page(site, page: Page, people):
    product = make_product(people, getting_started="")
    log_in(page, site, people.authority_admin, next_path=DETAIL)
    page.locator(f"main p.form-actions a[href='{DETAIL}edit/']").click()
    expect(page).to_have_url(f"{site}{DETAIL}edit/")
    expect(page.locator("[name=summary]")).to_have_value(product.summary)
    # Only the secretariat appoints the coordinator.
    expect(page.locator("[name=coordinator_email]")).to_have_count(0)

    page.fill("[name=summary]", "Kommunens organisation og medarbejdere, klar til alle fagsystemer.")
    page.fill(
        "[name=getting_started]",
        "Installer OS2mo med **Docker Compose**.\n\n1. Hent koden\n2. Læs driftsvejledningen",
    )
    submit_form(page)

    expect(page).to_have_url(f"{site}{DETAIL}")
    expect_success(page)
    expect(page.locator("main p.font-lead")).to_have_text(
        "Kommunens organisation og medarbejdere, klar til alle fagsystemer."
    )
    # The Markdown is rendered: bold and a numbered list, no asterisks left.
    expect(page.locator("main .user-content strong")).to_have_text("Docker Compose")
    expect(page.locator("main .user-content ol li")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("**")
    # The rest of the page is as it was.
    expect(page.locator("main .user-content").first).to_contain_text(product.purpose)
    product.refresh_from_db()
    assert product.summary == "Kommunens organisation og medarbejdere, klar til alle fagsystemer."
    assert product.getting_started.startswith("Installer OS2mo med **Docker Compose**.")
    assert product.coordinator == people.authority_admin


def test_the_coordinator_adds_a_supplier_role(site, page: Page, people):
    make_product(people)
    with translation.override("da"):
        development = str(SupplierRole.Role.DEVELOPMENT.label)
        no_supplier = gettext("No supplier partner is attached to the product yet.")
        only_one = gettext("Only one supplier in the role “%(role)s”.") % {"role": development}
    log_in(page, site, people.authority_admin, next_path=DETAIL)
    expect(page.locator("main .alert-warning")).to_have_text(no_supplier)

    page.locator(f"main p.form-actions a[href='{DETAIL}suppliers/']").click()
    expect(page).to_have_url(f"{site}{DETAIL}suppliers/")
    # Only approved supplier partners can be chosen.
    expect(page.locator(f"[name=supplier] option[value='{people.supplier_org.pk}']")).to_have_count(1)
    expect(page.locator(f"[name=supplier] option[value='{people.new_supplier_org.pk}']")).to_have_count(0)
    # The role starts today unless the coordinator says otherwise.
    expect(page.locator("[name=starts_on]")).to_have_value(timezone.localdate().isoformat())
    page.select_option("[name=supplier]", str(people.supplier_org.pk))
    page.select_option("[name=role]", SupplierRole.Role.DEVELOPMENT)
    submit_form(page)

    expect(page).to_have_url(f"{site}{DETAIL}suppliers/")
    expect_success(page)
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody tr")).to_contain_text("Kodekammeret ApS")
    assert SupplierRole.objects.filter(
        product__slug="os2mo", supplier=people.supplier_org, role="development", ends_on=None
    ).exists()

    page.locator("main a.back-link").click()
    expect(page).to_have_url(f"{site}{DETAIL}")
    suppliers = page.locator("main table").first
    expect(suppliers.locator("tbody tr", has_text=development)).to_contain_text("Kodekammeret ApS")
    # One supplier in the role: the page warns about the concentration.
    expect(page.locator("main .alert-warning")).to_have_text(only_one)


def test_an_authority_records_that_it_uses_the_product_and_takes_it_back(site, page: Page, people):
    product = make_product(people)
    Adoption.objects.create(product=product, organisation=people.authority, created_by=people.authority_admin)
    log_in(page, site, people.authority2_admin, next_path=DETAIL)
    # Odense's admin is not the coordinator.
    expect(page.locator(f"main a[href='{DETAIL}edit/']")).to_have_count(0)
    expect(users_list(page)).to_contain_text("Aarhus Kommune")
    expect(users_list(page)).not_to_contain_text("Odense Kommune")

    form = page.locator(f"main form[action='{DETAIL}adoption/']")
    expect(form.locator("[name=action]")).to_have_count(0)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{site}{DETAIL}#adoption")
    expect_success(page)
    expect(users_list(page).locator("li")).to_have_count(2)
    expect(users_list(page)).to_contain_text("Odense Kommune")
    assert Adoption.objects.filter(product=product, organisation=people.authority2).exists()

    # The button now takes it back ("Odense Kommune no longer uses it").
    expect(form.locator("input[type=hidden][name=action]")).to_have_value("remove")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{site}{DETAIL}#adoption")
    expect_success(page)
    expect(users_list(page).locator("li")).to_have_count(1)
    expect(users_list(page)).to_contain_text("Aarhus Kommune")
    expect(users_list(page)).not_to_contain_text("Odense Kommune")
    expect(form.locator("[name=action]")).to_have_count(0)
    assert not Adoption.objects.filter(product=product, organisation=people.authority2).exists()
    assert Adoption.objects.filter(product=product, organisation=people.authority).exists()


def test_a_supplier_cannot_record_an_adoption(site, page: Page, people):
    make_product(people)
    log_in(page, site, people.supplier_admin, next_path=DETAIL)
    expect(page.locator("main h2#adoption")).to_be_visible()
    expect(page.locator(f"main form[action='{DETAIL}adoption/']")).to_have_count(0)


def make_catalogue(people) -> None:
    make_product(people)
    make_product(
        people,
        name="OS2rollekatalog",
        slug="os2rollekatalog",
        summary="Styring af brugerroller og rettigheder på tværs af systemer.",
        purpose="Roller og rettigheder samlet ét sted.",
        status=Product.Status.SANDBOX,
    )
    make_product(
        people,
        name="OS2borgerPC",
        slug="os2borgerpc",
        summary="Sikre og nemme borger-pc'er på biblioteker og borgerservice.",
        purpose="Pc'er til borgerne.",
        status=Product.Status.PRODUCT,
    )


def catalogue_link(page: Page, slug: str):
    return page.locator(f"#results a[href='/products/{slug}/']")


def test_the_catalogue_finds_a_product_by_search_and_filters_by_status(site, page: Page, people):
    make_catalogue(people)
    page.goto(f"{site}/products/")
    for slug in ("os2mo", "os2rollekatalog", "os2borgerpc"):
        expect(catalogue_link(page, slug)).to_have_count(1)

    # Searching with htmx: the results change in place (the page is not reloaded) and the address follows.
    page.evaluate("window.notReloaded = true")
    page.fill("main [name=q]", "organisationsdata")
    page.press("main [name=q]", "Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=organisationsdata(&|$)"))
    expect(catalogue_link(page, "os2mo")).to_have_count(1)
    expect(catalogue_link(page, "os2rollekatalog")).to_have_count(0)
    expect(catalogue_link(page, "os2borgerpc")).to_have_count(0)
    assert page.evaluate("window.notReloaded === true")

    # The status filter narrows the list as soon as it is chosen.
    page.goto(f"{site}/products/")
    page.evaluate("window.notReloaded = true")
    page.select_option("[name=status]", Product.Status.SANDBOX)
    expect(page).to_have_url(re.compile(r"[?&]status=sandbox(&|$)"))
    expect(catalogue_link(page, "os2rollekatalog")).to_have_count(1)
    expect(catalogue_link(page, "os2mo")).to_have_count(0)
    expect(catalogue_link(page, "os2borgerpc")).to_have_count(0)
    assert page.evaluate("window.notReloaded === true")
    page.select_option("[name=status]", Product.Status.PRODUCT)
    expect(page).to_have_url(re.compile(r"[?&]status=product(&|$)"))
    expect(catalogue_link(page, "os2mo")).to_have_count(1)
    expect(catalogue_link(page, "os2borgerpc")).to_have_count(1)
    expect(catalogue_link(page, "os2rollekatalog")).to_have_count(0)

    # The pushed address shows the same list when opened afresh.
    page.goto(f"{site}/products/?status=sandbox")
    expect(page.locator("[name=status]")).to_have_value("sandbox")
    expect(catalogue_link(page, "os2rollekatalog")).to_have_count(1)
    expect(catalogue_link(page, "os2mo")).to_have_count(0)


def test_the_catalogue_search_works_without_javascript(site, browser, people):
    make_catalogue(people)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{site}/products/")
        page.fill("main [name=q]", "organisationsdata")
        with page.expect_navigation():
            page.locator("form.catalogue-filter button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/products/\?(.*&)?q=organisationsdata(&|$)"))
        expect(page.locator("main [name=q]")).to_have_value("organisationsdata")
        expect(catalogue_link(page, "os2mo")).to_have_count(1)
        expect(catalogue_link(page, "os2rollekatalog")).to_have_count(0)
        expect(catalogue_link(page, "os2borgerpc")).to_have_count(0)

        page.fill("main [name=q]", "")
        page.select_option("[name=status]", Product.Status.SANDBOX)
        with page.expect_navigation():
            page.locator("form.catalogue-filter button[type=submit]").click()
        expect(catalogue_link(page, "os2rollekatalog")).to_have_count(1)
        expect(catalogue_link(page, "os2mo")).to_have_count(0)
    finally:
        context.close()
