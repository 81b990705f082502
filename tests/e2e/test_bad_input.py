"""What a supplier sees in the browser when the input is wrong: errors next to the fields and in the error
summary, typed values kept, nothing half-saved."""

import re

import pytest
from playwright.sync_api import Page, expect

from os2hub.suppliers import services
from os2hub.suppliers.models import SupplierApplication
from tests.files import PDF_BYTES, image_bytes

from .actions import log_in

pytestmark = pytest.mark.e2e

COMPANY = {
    "organisation_name": "Nyt Firma ApS",
    "street": "Åboulevarden 1",
    "postcode": "8000",
    "city": "Aarhus C",
    "website": "https://nytfirma.example",
    "core_competences": "Vi bygger **open source**.\n\n- Django",
}


def stored_files(folder) -> set:
    return {path for path in folder.rglob("*") if path.is_file()}


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()


def expect_field_error(page: Page, name: str) -> None:
    """The error is next to the field, announced with it, and listed in the summary with a link to it."""
    field = page.locator(f"main form [name={name}]")
    field_id = field.get_attribute("id")
    group = page.locator(".form-group.form-error", has=page.locator(f"#{field_id}"))
    expect(group.locator(f"#{field_id}_error")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert f"{field_id}_error" in (field.get_attribute("aria-describedby") or "").split()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator(f"a[href='#{field_id}']")).to_be_visible()


def test_an_invalid_cvr_is_shown_next_to_the_field_and_the_typed_values_are_kept(site, page: Page, people):
    log_in(page, site, people.new_supplier_admin)
    page.goto(f"{site}/partnerskab/start/")
    for name, value in COMPANY.items():
        page.fill(f"[name={name}]", value)
    page.fill("[name=cvr]", "12345678")
    page.check("[name=competences][value=software-development]")
    page.check("[name=competences][value=code-review]")
    submit(page)

    expect(page).to_have_url(f"{site}/partnerskab/start/")
    expect_field_error(page, "cvr")
    # Only the CVR number is wrong.
    expect(page.locator(".form-error")).to_have_count(1)
    expect(page.locator("#error-summary li")).to_have_count(1)
    for name, value in COMPANY.items():
        expect(page.locator(f"[name={name}]")).to_have_value(value)
    expect(page.locator("[name=cvr]")).to_have_value("12345678")
    expect(page.locator("[name=competences][value=software-development]")).to_be_checked()
    expect(page.locator("[name=competences][value=code-review]")).to_be_checked()
    expect(page.locator("[name=competences][value=hosting]")).not_to_be_checked()
    assert not SupplierApplication.objects.filter(organisation=people.new_supplier_org).exists()

    # The summary's link takes the keyboard to the field; correcting the number is enough to save.
    page.locator("#error-summary a[href='#id_cvr']").click()
    expect(page.locator("[name=cvr]")).to_be_focused()
    page.fill("[name=cvr]", "29403473")
    submit(page)
    # (A redirect keeps the #id_cvr fragment the summary link added to the form's URL.)
    expect(page).to_have_url(re.compile(rf"^{re.escape(site)}/partnerskab/(#.*)?$"))
    application = SupplierApplication.objects.get(organisation=people.new_supplier_org)
    assert application.cvr == "29403473"
    assert application.competence_keys() == ["code-review", "software-development"]


def test_a_logo_that_is_not_800_by_800_is_refused_and_nothing_is_saved(site, page: Page, people, settings):
    application = services.application_create(
        organisation=people.new_supplier_org,
        user=people.new_supplier_admin,
        data={**COMPANY, "cvr": "29403473", "competences": ["software-development"]},
    )
    stored_before = stored_files(settings.MEDIA_ROOT)
    log_in(page, site, people.new_supplier_admin)
    page.goto(f"{site}/partnerskab/filer/")
    page.set_input_files(
        "[name=logo]", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": image_bytes(801, 800)}]
    )
    page.set_input_files(
        "[name=agreement]", files=[{"name": "aftale.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    submit(page)

    expect(page).to_have_url(f"{site}/partnerskab/filer/")
    expect_field_error(page, "logo")
    # The message names the size the logo has, next to the field and in the summary.
    expect(page.locator("#id_logo_error")).to_contain_text("801")
    expect(page.locator("#error-summary a[href='#id_logo']")).to_contain_text("801")
    expect(page.locator("main .alert-success")).to_have_count(0)
    # Neither the logo nor the agreement sent with it is stored: all chosen files or none.
    application.refresh_from_db()
    assert not application.logo
    assert not application.agreement
    assert stored_files(settings.MEDIA_ROOT) == stored_before
