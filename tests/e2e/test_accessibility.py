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


# --- The product catalogue ---------------------------------------------------------------------------------------
# (Appended: the parametrisation above reads CASES when pytest collects the module, after these lines have run.)

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from os2hub.products.models import Adoption, Category, Group, JoiningAgreement, Product  # noqa: E402

MARKDOWN = "Tekst med **fed skrift**, et [link](https://os2.eu) og en liste:\n\n- en\n- to"


def _product(people, name="OS2mo", slug="os2mo", **fields):
    """A product with everything its page can show: texts, categories, repositories, supplier roles, adoptions,
    a joining agreement and groups with members."""
    values = {
        "summary": f"{name} til kommunerne.",
        "status": Product.Status.PRODUCT,
        "official_level": "2",
        "licence": "MPL-2.0",
        "website": f"https://{slug}.example",
        "coordinator": people.authority_admin,
        **dict.fromkeys(("purpose", "value", "target_group", "getting_started", "help_support", "cost"), MARKDOWN),
    } | fields
    product = Product.objects.create(name=name, slug=slug, **values)
    category, _ = Category.objects.get_or_create(slug="personale", defaults={"name_da": "Personale", "name_en": "HR"})
    product.categories.add(category)
    product.repositories.create(url=f"https://github.com/OS2/{slug}")
    product.repositories.create(url=f"https://github.com/OS2/{slug}-frontend")
    today = timezone.localdate()
    for role in ("development", "code-review"):
        product.supplier_roles.create(supplier=people.supplier_org, role=role, starts_on=today - timedelta(days=30))
    for org in (people.authority, people.authority2):
        Adoption.objects.create(product=product, organisation=org, created_by=people.authority_admin)
    JoiningAgreement.objects.create(
        product=product, organisation=people.authority, starts_on=today, yearly_fee_dkk=10_000
    )
    steering = product.groups.create(kind=Group.Kind.STEERING, name="Styregruppen", kommissorium=MARKDOWN)
    steering.members.create(user=people.authority_admin, organisation=people.authority, role="chair")
    steering.members.create(user=people.authority2_admin, organisation=people.authority2)
    product.groups.create(kind=Group.Kind.PROFESSIONAL, name="Faggruppen for HR")
    return product


def _catalogue(people):
    _product(people)
    _product(people, "OS2rollekatalog", "os2rollekatalog", status=Product.Status.SANDBOX, official_level="")
    _product(people, "OS2borgerPC", "os2borgerpc", official_level="3")
    return None, "/products/", None


def _filter_by_status(page: Page) -> None:
    """Filter with htmx, so that the swapped-in results are checked too."""
    page.select_option("[name=status]", Product.Status.SANDBOX)
    expect(page.locator("#results a[href='/products/os2mo/']")).to_have_count(0)
    expect(page.locator("#results a[href='/products/os2rollekatalog/']")).to_have_count(1)


def _catalogue_filtered(people):
    _, path, _ = _catalogue(people)
    return None, path, _filter_by_status


def _product_page(people):
    _product(people)
    return None, "/products/os2mo/", None


def _product_page_as_coordinator(people):
    """The coordinator, also Aarhus Kommune's admin, sees the edit links, the checklist's links and the
    adoption form."""
    _product(people)
    return people.authority_admin, "/products/os2mo/", None


def _product_edit(people):
    _product(people)
    return people.authority_admin, "/products/os2mo/edit/", None


def _product_edit_with_errors(people):
    user, path, _ = _product_edit(people)
    return user, path, submit_empty


def _supplier_roles(people):
    _product(people)
    return people.authority_admin, "/products/os2mo/suppliers/", None


CASES.update(
    {
        "catalogue": _catalogue,
        "catalogue-filtered": _catalogue_filtered,
        "product-page": _product_page,
        "product-page-as-coordinator": _product_page_as_coordinator,
        "product-edit": _product_edit,
        "product-edit-with-errors": _product_edit_with_errors,
        "supplier-roles": _supplier_roles,
    }
)
