"""A supplier becomes an OS2 partner, clicked through in Chromium: apply, get approved, be found.

Selectors use names, ids, hrefs and roles rather than texts, so the tests survive translation work.
"""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from os2hub.suppliers.models import SupplierApplication
from tests.files import PDF_BYTES, image_bytes
from tests.personas import make_application

from .actions import log_in, log_out, open_menu_item, set_language

pytestmark = pytest.mark.e2e

CVR = "29403473"
PNG = {"name": "logo.png", "mimeType": "image/png", "buffer": image_bytes(800, 800)}
PDF = {"name": "partneraftale.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def submit_form(page: Page, form="main form[method=post]") -> None:
    """Press the form's submit button and wait for the answer."""
    with page.expect_navigation():
        page.locator(form).last.locator("button[type=submit]").click()


def expect_success(page: Page) -> None:
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)


def fill_company_form(page: Page, **values) -> None:
    for name, value in values.items():
        page.fill(f"[name={name}]", value)


RATES = {"software-development": "1.050,00", "code-review": "1.200,5"}


def complete_and_submit_the_application(page: Page, site: str, rates=RATES, check=lambda page, what: None) -> None:
    """From the partnership page of a draft application with the company's facts filled in: contact persons,
    prices (`rates`, typed the Danish way, per competence applied for), logo and agreement, the Code of Conduct,
    and submit. `check(page, what)` looks at each page on the way (the phone journey runs axe there)."""
    # Contact persons: one who agreed to be shown and to get the newsletter, one who did not.
    page.locator("main a[href='/partnerskab/kontaktpersoner/']").click()
    check(page, "the contact persons")
    for name, role, email, phone, consent in [
        ("Pia Partner", "Partneransvarlig", "pia@nytfirma.example", "+45 11 22 33 44", True),
        ("Hans Hemmelig", "Udvikler", "hans@nytfirma.example", "", False),
    ]:
        page.fill("[name=name]", name)
        page.fill("[name=role]", role)
        page.fill("[name=email]", email)
        page.fill("[name=phone]", phone)
        if consent:
            page.check("[name=show_publicly]")
            page.check("[name=newsletter]")
        submit_form(page)
        expect(page).to_have_url(f"{site}/partnerskab/kontaktpersoner/")
        expect_success(page)
    expect(page.locator("main table tbody tr")).to_have_count(2)
    page.locator("main a.back-link").click()

    # Prices, typed the Danish way.
    page.locator("main a[href='/partnerskab/priser/']").click()
    check(page, "the price list")
    for competence, rate in rates.items():
        page.fill(f"[name='rate_{competence}']", rate)
    # A date input takes ISO dates whatever the page's language (the prefilled value is checked on its own below).
    page.fill("[name=valid_from]", timezone.localdate().isoformat())
    submit_form(page)
    expect(page).to_have_url(f"{site}/partnerskab/")
    expect_success(page)

    # Logo and signed partner agreement.
    page.locator("main a[href='/partnerskab/filer/']").click()
    check(page, "the files")
    page.set_input_files("[name=logo]", files=[PNG])
    page.set_input_files("[name=agreement]", files=[PDF])
    submit_form(page)
    expect(page).to_have_url(f"{site}/partnerskab/")
    expect_success(page)

    # Code of Conduct.
    page.locator("main a[href='/partnerskab/code-of-conduct/']").click()
    check(page, "the Code of Conduct")
    page.check("[name=accept]")
    submit_form(page)
    expect(page).to_have_url(f"{site}/partnerskab/")
    expect_success(page)

    # Every part is filled in; submit.
    expect(page.locator("main table .badge-warning")).to_have_count(0)
    submit_form(page, "main form[action='/partnerskab/indsend/']")
    expect_success(page)
    expect(page.locator("main .badge-info")).to_be_visible()
    check(page, "the submitted application")


def test_a_supplier_applies_is_approved_and_is_found(site, page: Page, people):
    # --- The new supplier's administrator applies -----------------------------------------------------------
    log_in(page, site, people.new_supplier_admin)
    open_menu_item(page, "/partnerskab/")
    expect(page).to_have_url(f"{site}/partnerskab/")
    page.locator("main a[href='/partnerskab/start/']").click()
    expect(page).to_have_url(f"{site}/partnerskab/start/")
    # The organisation's name is filled in already.
    expect(page.locator("[name=organisation_name]")).to_have_value("Nyt Firma ApS")
    fill_company_form(
        page,
        cvr=CVR,
        street="Åboulevarden 1",
        postcode="8000",
        city="Aarhus C",
        website="https://nytfirma.example",
        core_competences="Vi bygger **open source** til kommuner.\n\n- Django\n- Tilgængelighed",
    )
    page.check("[name=competences][value=software-development]")
    page.check("[name=competences][value=code-review]")
    submit_form(page)
    expect(page).to_have_url(f"{site}/partnerskab/")
    expect_success(page)

    complete_and_submit_the_application(page, site)
    application = SupplierApplication.objects.get(organisation=people.new_supplier_org)
    assert application.status == "submitted"
    log_out(page)
    expect(page.locator("header a[href^='/konto/login/']:visible")).to_be_visible()

    # --- The secretariat approves ------------------------------------------------------------------------------
    log_in(page, site, people.secretariat)
    open_menu_item(page, "/sekretariat/ansoegninger/")
    page.locator(f"main table a[href='/sekretariat/ansoegninger/{application.pk}/']").click()
    expect(page.locator("h1")).to_have_text("Nyt Firma ApS")
    # The secretariat sees what was applied with: the rendered Markdown and both contacts.
    expect(page.locator("main .user-content strong")).to_have_text("open source")
    expect(page.locator("main")).to_contain_text("Hans Hemmelig")
    page.check("[name=decision][value=approve]")
    page.fill("[name=comment]", "Velkommen som partner.")
    submit_form(page)
    expect(page).to_have_url(f"{site}/sekretariat/ansoegninger/")
    expect_success(page)
    application.refresh_from_db()
    assert application.status == "approved"
    log_out(page)

    # --- Anyone finds the new partner ---------------------------------------------------------------------------
    page.goto(f"{site}/leverandoerer/")
    new_partner = page.locator("#results a[href='/leverandoerer/nyt-firma/']")
    old_partner = page.locator("#results a[href='/leverandoerer/kodekammeret/']")
    expect(new_partner).to_have_count(1)
    # Filtering (htmx swaps the results in place and updates the address) ...
    page.select_option("[name=competence]", "hosting")
    expect(page).to_have_url(re.compile(r"competence=hosting"))
    expect(new_partner).to_have_count(0)
    expect(old_partner).to_have_count(0)
    page.select_option("[name=competence]", "code-review")
    page.locator("form.directory-filter button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"competence=code-review"))
    expect(new_partner).to_have_count(1)
    expect(old_partner).to_have_count(1)
    # ... and the same address without JavaScript.
    page.goto(f"{site}/leverandoerer/?competence=hosting")
    expect(new_partner).to_have_count(0)

    page.goto(f"{site}/leverandoerer/?competence=code-review")
    page.locator("#results a[href='/leverandoerer/nyt-firma/']").click()
    expect(page).to_have_url(f"{site}/leverandoerer/nyt-firma/")
    expect(page.locator("h1")).to_have_text("Nyt Firma ApS")
    prices = page.locator("main table").first
    expect(prices).to_contain_text("1.050,00\xa0kr.")
    expect(prices).to_contain_text("1.200,50\xa0kr.")
    expect(page.locator("main .user-content strong")).to_have_text("open source")
    logo = page.locator("main img.supplier-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 800
    # Only the contact who agreed to be shown is shown.
    expect(page.locator("main")).to_contain_text("Pia Partner")
    expect(page.locator("main a[href='mailto:pia@nytfirma.example']")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Hans Hemmelig")
    expect(page.locator("main")).not_to_contain_text("hans@nytfirma.example")

    # --- and so does the API ------------------------------------------------------------------------------------
    response = page.request.get(f"{site}/api/v1/suppliers?competence=code-review")
    assert response.status == 200, response.text()
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    listed = {item["slug"]: item for item in items}
    assert "nyt-firma" in listed, json.dumps(body, indent=2)
    assert "code-review" in listed["nyt-firma"]["competences"]
    rates = {p["competence"]: p["hourly_rate_dkk"] for p in listed["nyt-firma"]["price_list"]}
    assert rates == {"software-development": 1050.0, "code-review": 1200.5}


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_price_form_proposes_today_as_the_date_the_rates_take_effect(site, page: Page, people, language):
    """`<input type="date">` only takes ISO dates: a Danish `27.11.2026` would leave the field empty in the browser."""
    make_application(people.new_supplier_org, people.new_supplier_admin, status="draft", cvr=CVR)
    log_in(page, site, people.new_supplier_admin)
    set_language(page, site, language, "/partnerskab/priser/")
    # Server-rendered, so there is nothing to wait for.
    assert page.input_value("[name=valid_from]") == timezone.localdate().isoformat()
