"""axe-core (WCAG 2.0/2.1 A and AA rules) finds nothing on the pages people use, in Danish and in English.

Each case opens the page as the person who would see it; forms are also checked with their errors showing.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from os2hub.suppliers import services
from tests.personas import make_application

from .actions import log_in, login_path, set_language

pytestmark = pytest.mark.e2e

AXE = Axe()
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

DRAFT = {
    "organisation_name": "Nyt Firma ApS",
    "cvr": "29403473",
    "street": "Åboulevarden 1",
    "postcode": "8000",
    "city": "Aarhus C",
    "website": "https://nytfirma.example",
    "core_competences": "Vi bygger **open source**.",
    "competences": ["software-development"],
}


def submit_empty(page: Page) -> None:
    """Empty every text field of the page's form and send it, so that the errors show."""
    form = page.locator("main form[method=post]").last
    for field in form.locator("input[type=text], input[type=url], input[type=email], textarea").all():
        field.fill("")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()


# Each case: (who is logged in, how to make the data the page needs, the path, what to do on the page).
def _front(people):
    return None, "/", None


def _directory(people):
    return None, "/leverandoerer/", None


def _profile(people):
    return None, f"/leverandoerer/{people.supplier_org.slug}/", None


def _login(people):
    return None, "/konto/login/", None


def _partnership_start(people):
    return people.new_supplier_admin, "/partnerskab/", None


def _partnership_overview(people):
    services.application_create(organisation=people.new_supplier_org, user=people.new_supplier_admin, data=DRAFT)
    return people.new_supplier_admin, "/partnerskab/", None


def _company_form(people):
    return people.new_supplier_admin, "/partnerskab/start/", None


def _company_form_with_errors(people):
    return people.new_supplier_admin, "/partnerskab/start/", submit_empty


def _review(people):
    app = make_application(people.new_supplier_org, people.new_supplier_admin, status="submitted", cvr="29403473")
    return people.secretariat, f"/sekretariat/ansoegninger/{app.pk}/", None


def _review_with_errors(people):
    user, path, _ = _review(people)
    return user, path, submit_empty


CASES = {
    "front-page": _front,
    "directory": _directory,
    "supplier-profile": _profile,
    "login": _login,
    "partnership-start": _partnership_start,
    "partnership-overview": _partnership_overview,
    "company-form": _company_form,
    "company-form-with-errors": _company_form_with_errors,
    "review": _review,
    "review-with-errors": _review_with_errors,
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("case", CASES)
def test_the_page_has_no_accessibility_violations(site, page: Page, people, case, language):
    user, path, action = CASES[case](people)
    if user is None:
        set_language(page, site, language, path)
    else:
        # Choose the language on the login page, then log in and land on the page.
        set_language(page, site, language, login_path(path), wait_until="domcontentloaded")
        log_in(page, site, user, open_form=False)
    expect(page).to_have_url(f"{site}{path}")
    if action is not None:
        action(page)
    assert page.locator("html").get_attribute("lang") == language

    results = AXE.run(page, options=WCAG_AA)

    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, f"{case} ({language}): {results.violations_count} axe violations"
