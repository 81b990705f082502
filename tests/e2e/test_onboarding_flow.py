"""A new supplier starts on its own, on a phone: sign up, confirm the address from the e-mail, create the company
with its CVR number, start the partner application; a colleague finds the company and asks to join, and the
administrator approves; the founder completes and submits the application and the secretariat approves it, also
on a phone. axe finds nothing on the pages at 375 px (and on the onboarding pages at 1280 px).

Selectors use names, ids, hrefs and roles rather than texts, so the tests survive translation work.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from os2hub.accounts import services
from os2hub.accounts.models import JoinRequest, Membership, Organisation
from tests.personas import UserFactory

from .actions import log_in
from .test_mobile_navigation import PHONE, VIEWPORTS, expect_fits, expect_no_axe_violations
from .test_partnership_flow import complete_and_submit_the_application

pytestmark = pytest.mark.e2e

CVR = "25052943"
NEW_PASSWORD = "Lang-og-sikker-2026"
CONFIRMATION_LINK = re.compile(r"https?://[^/\s]+(/konto/confirm-email/\S+)")


def submit(page: Page, button: str = "main form[method=post] button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(button).last.click()


def check(page: Page, what: str, width: int) -> None:
    expect(page.locator("main h1")).to_be_visible()
    expect_fits(page, width)
    expect_no_axe_violations(page, f"{what} at {width} px")


def confirmation_path(address: str) -> str:
    """The path of the confirmation link in the last e-mail to `address` (its host is SITE_URL's)."""
    for message in reversed(mail.outbox):
        if address in message.to:
            found = CONFIRMATION_LINK.search(message.body)
            assert found, message.body
            return found.group(1)
    raise AssertionError(f"no e-mail to {address}: {[m.to for m in mail.outbox]}")


def test_on_a_phone_a_new_supplier_signs_up_creates_its_company_applies_and_lets_a_colleague_in(
    site, open_page, people
):
    width = PHONE["width"]
    page = open_page(PHONE)

    # --- "Become an OS2 partner" as a visitor: log in or sign up, and come back ------------------------------
    page.goto(f"{site}/partnerskab/")
    expect(page).to_have_url(re.compile(r"/konto/login/\?next=/partnerskab/$"))
    with page.expect_navigation():
        page.locator("main a[href^='/konto/signup/']").first.click()
    expect(page).to_have_url(re.compile(r"/konto/signup/\?next="))
    page.fill("input[name=email]", "stifter@nykode.dk")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page)
    expect(page.locator("main h1")).to_be_visible()

    # The confirmation link from the e-mail, in the same browser: it logs in and goes on to the partnership.
    page.goto(site + confirmation_path("stifter@nykode.dk"))
    submit(page)
    if "/organisationer/ny/" not in page.url:
        page.goto(f"{site}/partnerskab/")  # allauth lost the way back: go on as a person would, by the link
    expect(page).to_have_url(f"{site}/organisationer/ny/leverandoer/?next=%2Fpartnerskab%2F")
    check(page, "the create-your-company page", width)

    # --- The company, with its CVR number: a wrong number first ----------------------------------------------
    page.fill("[name=cvr]", "12345678")
    page.fill("[name=name]", "Ny Kode ApS")
    submit(page, "main form[method=post] .form-actions button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_cvr']")).to_be_visible()
    check(page, "the create page with errors", width)
    page.fill("[name=cvr]", CVR)
    page.fill("[name=street]", "Kodevej 7")
    page.fill("[name=postcode]", "8000")
    page.fill("[name=city]", "Aarhus C")
    page.fill("[name=website]", "https://nykode.example")
    expect(page.locator("[name=email_domain]")).to_have_value("nykode.dk")
    submit(page, "main form[method=post] .form-actions button[type=submit]")
    expect(page).to_have_url(f"{site}/partnerskab/")
    expect(page.locator("main .alert-success")).to_be_visible()
    org = Organisation.objects.get(cvr=CVR)
    assert org.memberships.get().user.email == "stifter@nykode.dk"

    # --- The partner application starts with what the company told -------------------------------------------
    page.locator("main a[href='/partnerskab/start/']").click()
    expect(page).to_have_url(f"{site}/partnerskab/start/")
    expect(page.locator("[name=organisation_name]")).to_have_value("Ny Kode ApS")
    expect(page.locator("[name=cvr]")).to_have_value(CVR)
    expect(page.locator("[name=street]")).to_have_value("Kodevej 7")
    page.fill("[name=core_competences]", "Vi bygger **open source**.")
    page.check("[name=competences][value=software-development]")
    submit(page)
    expect(page).to_have_url(f"{site}/partnerskab/")
    assert org.supplier_applications.get().status == "draft"

    # --- A colleague finds the company and asks to join ------------------------------------------------------
    colleague = UserFactory(email="kollega@andet.dk", name="Karl Kollega")
    other = open_page(PHONE)
    log_in(other, site, colleague, next_path="/organisationer/")
    check(other, "find your organisation", width)
    other.fill("main [name=q]", CVR)
    with other.expect_navigation():
        other.press("main [name=q]", "Enter")
    join = other.locator(f"main a[href^='/organisationer/{org.slug}/bliv-medlem/']")
    expect(join).to_have_count(1)
    check(other, "the search results", width)
    join.click()
    expect(other).to_have_url(f"{site}/organisationer/{org.slug}/bliv-medlem/")
    check(other, "the ask-to-join page", width)
    other.fill("[name=message]", "Jeg er ny udvikler hos Ny Kode.")
    submit(other)
    expect(other).to_have_url(f"{site}/organisationer/")
    expect(other.locator("main .alert-success")).to_be_visible()
    request = JoinRequest.objects.get()
    assert any("kollega@andet.dk" in m.subject for m in mail.outbox if "stifter@nykode.dk" in m.to)

    # --- The administrator approves on the organisation's page -----------------------------------------------
    page.goto(f"{site}/organisationer/{org.slug}/")
    decision = page.locator(f"#join-requests ~ ul form[action$='/anmodninger/{request.pk}/']")
    expect(decision).to_be_visible()
    check(page, "the organisation page with a request", width)
    with page.expect_navigation():
        decision.locator("button[value=approve]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    assert Membership.objects.get(organisation=org, user=colleague).role == "member"
    assert any(m.to == [colleague.email] for m in mail.outbox)
    other.goto(f"{site}/organisationer/{org.slug}/")
    expect(other.locator("main h1")).to_have_text("Ny Kode ApS")

    # --- The founder completes and submits the application, still on the phone ---------------------------------
    page.goto(f"{site}/partnerskab/")
    complete_and_submit_the_application(
        page, site, rates={"software-development": "995"}, check=lambda page, what: check(page, what, width)
    )
    application = org.supplier_applications.get()
    assert application.status == "submitted"

    # --- The secretariat approves it on a phone too ----------------------------------------------------------------
    secretariat = open_page(PHONE)
    log_in(secretariat, site, people.secretariat, next_path="/sekretariat/ansoegninger/")
    check(secretariat, "the applications to review", width)
    with secretariat.expect_navigation():
        secretariat.locator(f"main a[href='/sekretariat/ansoegninger/{application.pk}/']").first.click()
    check(secretariat, "the application under review", width)
    secretariat.check("[name=decision][value=approve]")
    secretariat.fill("[name=comment]", "Velkommen som partner.")
    submit(secretariat)
    expect(secretariat).to_have_url(f"{site}/sekretariat/ansoegninger/")
    expect(secretariat.locator("main .alert-success")).to_be_visible()
    application.refresh_from_db()
    assert application.status == "approved"

    # The new partner is found in the directory.
    page.goto(f"{site}/leverandoerer/")
    expect(page.locator(f"#results a[href='/leverandoerer/{org.slug}/']")).to_have_count(1)
    check(page, "the partner directory", width)


@pytest.fixture
def waiting(people):
    """An authority that registered itself (waiting for the secretariat) and a request to join it."""
    founder = UserFactory(email="it@nordby.dk", name="Ida It")
    org = services.organisation_register(
        user=founder,
        kind="authority",
        cvr="10103940",
        name="Nordby Kommune",
        ean="5798000000001",
        email_domain="nordby.dk",
        website="https://nordby.example",
    )
    services.join_request_create(organisation=org, user=UserFactory(email="ny@andet.dk"), message="Hej.")
    return org, founder


@VIEWPORTS
def test_axe_finds_nothing_on_the_onboarding_pages(site, open_page, people, waiting, viewport):
    org, founder = waiting
    width = viewport["width"]
    newcomer = UserFactory(email="ny@nykode.dk")
    page = open_page(viewport)
    log_in(page, site, newcomer, next_path="/organisationer/?q=kommune")
    check(page, "find your organisation, with results", width)
    for path, what in [
        ("/organisationer/ny/", "the choice of kind"),
        ("/organisationer/ny/myndighed/", "create an authority"),
        (f"/organisationer/{org.slug}/bliv-medlem/", "ask to join"),
    ]:
        page.goto(site + path)
        check(page, what, width)
    page.goto(f"{site}/organisationer/ny/myndighed/")
    submit(page, "main form[method=post] .form-actions button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "create an authority, with errors", width)

    page = open_page(viewport)
    log_in(page, site, founder, next_path=f"/organisationer/{org.slug}/")
    expect(page.locator("#confirmation")).to_be_visible()
    check(page, "a waiting authority's page with a request to join", width)

    page = open_page(viewport)
    log_in(page, site, people.secretariat, next_path="/sekretariat/organisationer/")
    check(page, "the secretariat's queue", width)
    with page.expect_navigation():
        page.locator(f"#to-confirm + div a[href='/sekretariat/organisationer/{org.slug}/']").click()
    check(page, "the secretariat's page about an organisation", width)
    page.check("[name=decision][value=reject]")
    submit(page, "#decision-form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "the decision, with errors", width)
    page.check("[name=decision][value=confirm]")
    submit(page, "#decision-form button[type=submit]")
    expect(page).to_have_url(f"{site}/sekretariat/organisationer/")
    org.refresh_from_db()
    assert org.status == "confirmed"
