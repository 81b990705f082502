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


# --- Governance: criteria, self-assessment, evaluations, decisions, rounds ----------------------------------------

from os2hub.governance import services as governance  # noqa: E402

from .test_governance_flow import import_example, load_criteria, make_product, submit_self_assessment  # noqa: E402

GROUNDS = "Se https://github.com/OS2/os2-test/blob/main/README.md\nog driftsvejledningen."


def _evaluation(people, product, *, publish=True):
    """An evaluation of the product's submitted self-assessment: every criterion rated (a yellow and a red with
    grounds that have a link and a line break), a Markdown summary, another level than the computed one."""
    evaluation = governance.evaluation_start(product=product, user=people.secretariat)
    codes = [c.code for c in governance.criteria_of(evaluation.criteria_version)]
    ratings = {code: {"rating": "green", "grounds": ""} for code in codes}
    ratings["F19"] = {"rating": "yellow", "grounds": GROUNDS}
    ratings["G11"] = {"rating": "red", "grounds": GROUNDS}
    ratings["G14"] = {"rating": "grey", "grounds": "Ikke relevant endnu."}
    evaluation = governance.evaluation_save(
        evaluation=evaluation,
        user=people.secretariat,
        ratings=ratings,
        summary=MARKDOWN,
        level="1",
        level_reason="Bestyrelsen vil se produktet i drift først.",
    )
    if publish:
        evaluation = governance.evaluation_publish(evaluation=evaluation, user=people.secretariat)
    return evaluation


def _assessed_product(people):
    """OS2's example self-assessment, imported and submitted."""
    product = make_product(people)
    draft = import_example(product, people.authority_admin)
    governance.self_assessment_submit(assessment=draft, user=people.authority_admin)
    return product


def _criteria(people):
    load_criteria()
    return None, "/governance/criteria/", None


def _self_assessment_overview(people):
    """The coordinator's draft, filled in from OS2's example file: the themes with their progress and the status
    box."""
    product = make_product(people)
    import_example(product, people.authority_admin)
    return people.authority_admin, f"/products/{product.slug}/self-assessment/", None


def _self_assessment_form(people):
    """The longest theme of the coordinator's draft: answers, documentation, the register's hint (F18)."""
    product = make_product(people)
    import_example(product, people.authority_admin)
    return people.authority_admin, f"/products/{product.slug}/self-assessment/themes/formkrav/", None


def _self_assessment_form_with_errors(people):
    """The form with a refused answer (a link into a local network), so that the errors show."""
    user, path, _ = _self_assessment_form(people)

    def action(page: Page) -> None:
        page.fill("textarea[name=links_F1]", "http://localhost/intern")
        with page.expect_navigation():
            page.locator("form#answers button[type=submit]").click()
        expect(page.locator("#error-summary")).to_be_visible()
        # The summary's link leads to the criterion's links field, which is marked invalid.
        expect(page.locator("#error-summary a[href='#id_links_F1']")).to_have_count(1)
        expect(page.locator("#id_links_F1[aria-invalid=true]")).to_have_count(1)

    return user, path, action


def _self_assessment_submit_confirmation(people):
    """Submitting the example file's answers: the criteria not answered are listed before confirming."""
    user, path, _ = _self_assessment_overview(people)
    return user, f"{path}submit/", None


def _self_assessment_import_with_errors(people):
    """The import page after a file that is not JSON: the error at the top of the form."""
    product = make_product(people)

    def action(page: Page) -> None:
        page.set_input_files(
            "input[type=file][name=file]",
            files=[{"name": "fil.json", "mimeType": "application/json", "buffer": b'{"krav": [1 2]}'}],
        )
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator("#error-summary a[href='#id_file']")).to_have_count(1)

    return people.authority_admin, f"/products/{product.slug}/self-assessment/import/", action


def _self_assessment_submitted(people):
    product = _assessed_product(people)
    return None, f"/products/{product.slug}/self-assessment/", None


def _evaluation_report(people):
    product = _assessed_product(people)
    evaluation = _evaluation(people, product)
    return None, f"/products/{product.slug}/evaluations/{evaluation.pk}/", None


def _level_with_decision(people):
    """The level page as the secretariat sees it: self-declared level and what is missing, the published
    evaluation, the decision log, and the buttons to evaluate and decide."""
    product = _assessed_product(people)
    evaluation = _evaluation(people, product)
    governance.decision_record(
        product=product,
        user=people.secretariat,
        decided_on=timezone.localdate(),
        level="1",
        decision="OS2-test-selvevaluering er godkendt på niveau 1",
        grounds="Evalueringen viser et modent produkt.\nNiveau 2 kræver en styregruppe.",
        made_by="OS2's bestyrelse",
        reference="https://os2.eu/bestyrelsesmoede",
        evaluation=evaluation,
    )
    return people.secretariat, f"/products/{product.slug}/level/", None


def _evaluation_edit(people):
    product = make_product(people)
    submit_self_assessment(product, people.authority_admin)
    evaluation = _evaluation(people, product, publish=False)
    return people.secretariat, f"/products/{product.slug}/evaluations/{evaluation.pk}/edit/", None


def _publish_unrated(page: Page) -> None:
    """Publish a fresh evaluation with nothing rated: every criterion and the summary get an error."""
    with page.expect_navigation():
        page.locator("main button[formaction$='/publish/']").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _evaluation_edit_with_errors(people):
    product = make_product(people)
    evaluation = governance.evaluation_start(product=product, user=people.secretariat)
    return people.secretariat, f"/products/{product.slug}/evaluations/{evaluation.pk}/edit/", _publish_unrated


def _decision_form(people):
    product = _assessed_product(people)
    _evaluation(people, product)
    return people.secretariat, f"/products/{product.slug}/decisions/new/", None


def _decision_confirmation(people):
    """The decision as it will be published, before it is recorded."""
    user, path, _ = _decision_form(people)

    def action(page: Page) -> None:
        page.fill("input[name=decision]", "OS2-test-selvevaluering er godkendt på niveau 1")
        page.fill("textarea[name=grounds]", "Evalueringen viser et modent produkt.\nNiveau 2 kræver en styregruppe.")
        page.fill("input[name=made_by]", "OS2's bestyrelse")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator("#decision-preview")).to_be_visible()

    return user, path, action


def _decision_form_with_errors(people):
    user, path, _ = _decision_form(people)
    return user, path, submit_empty


def _round_dashboard(people):
    """An open round with a product in every state: submitted and evaluated, submitted with a draft evaluation,
    a draft self-assessment, and nothing yet."""
    load_criteria()
    round = governance.round_open(
        user=people.secretariat,
        name="Efterår 2026",
        opens_on=timezone.localdate(),
        deadline=timezone.localdate() + timedelta(days=30),
    )
    evaluated = _assessed_product(people)
    _evaluation(people, evaluated)
    in_evaluation = make_product(people, name="OS2mo", slug="os2mo")
    submit_self_assessment(in_evaluation, people.authority_admin)
    _evaluation(people, in_evaluation, publish=False)
    drafting = make_product(people, name="OS2borgerPC", slug="os2borgerpc")
    governance.self_assessment_draft(product=drafting, user=people.authority_admin)
    make_product(people, name="OS2rollekatalog", slug="os2rollekatalog", coordinator=None)
    governance.round_remind(round=round, user=people.secretariat)
    return people.secretariat, f"/governance/rounds/{round.pk}/", None


CASES.update(
    {
        "criteria": _criteria,
        "self-assessment-overview": _self_assessment_overview,
        "self-assessment-form": _self_assessment_form,
        "self-assessment-form-with-errors": _self_assessment_form_with_errors,
        "self-assessment-submit-confirmation": _self_assessment_submit_confirmation,
        "self-assessment-import-with-errors": _self_assessment_import_with_errors,
        "self-assessment-submitted": _self_assessment_submitted,
        "evaluation-report": _evaluation_report,
        "level-with-decision": _level_with_decision,
        "evaluation-edit": _evaluation_edit,
        "evaluation-edit-with-errors": _evaluation_edit_with_errors,
        "decision-form": _decision_form,
        "decision-confirmation": _decision_confirmation,
        "decision-form-with-errors": _decision_form_with_errors,
        "round-dashboard": _round_dashboard,
    }
)


# --- Scans (issue 5) ----------------------------------------------------------------------------------------------

from .test_scans_flow import scanned_product  # noqa: E402


def _scans_page(people):
    product = scanned_product(people)
    return people.authority_admin, f"/products/{product.slug}/scans/", None


def _proposals_page(people):
    product = scanned_product(people)
    return people.authority_admin, f"/products/{product.slug}/self-assessment/proposals/", None


def _evaluation_with_evidence(people):
    product = scanned_product(people)
    submit_self_assessment(product, people.authority_admin)
    evaluation = _evaluation(people, product, publish=False)
    return people.secretariat, f"/products/{product.slug}/evaluations/{evaluation.pk}/edit/", None


CASES.update(
    {
        "scans": _scans_page,
        "scan-proposals": _proposals_page,
        "evaluation-edit-with-evidence": _evaluation_with_evidence,
    }
)


# --- Development requests (issue 6) --------------------------------------------------------------------------------

from os2hub.development import services as development  # noqa: E402

from .test_development_flow import STORY, community_product  # noqa: E402


def _development_request(people, product, title, funding="community"):
    """A submitted request with an estimate from the supplier partner (10 hours at 950 kr.)."""
    request = development.request_create(
        user=people.authority_admin,
        organisation=people.authority,
        product=product,
        data={
            "title": title,
            "description": "Hvad: et overblik. Hvorfor: færre opkald. Hvem: **sagsbehandlere**.",
            "user_stories": [STORY],
            "acceptance_criteria": ["Overblikket viser alle åbne sager", "Siden loader hurtigt"],
            "documentation_requirements": "Brugervejledningen opdateres.",
            "funding": funding,
        },
    )
    development.request_submit(request=request, user=people.authority_admin)
    estimate = development.estimate_save(
        request=request,
        user=people.supplier_admin,
        supplier=people.supplier_org,
        data={"hours": "10", "reviewer": "Kodekammeret", "start_conditions": "Adgang til testmiljøet."},
    )
    return request, estimate


def _development_list(people):
    product, _coordinator, _sprint = community_product()
    _development_request(people, product, "Samlet sagsoverblik")
    _development_request(people, product, "Eksport til CSV", funding="requester")
    return None, "/development-requests/", None


def _development_detail_in_funding(people):
    """As an authority admin: the estimates, the progress bar with a pledge, the pledge form and the withdraw
    button of its own pledge, and the withdraw form of the request."""
    product, coordinator, _sprint = community_product()
    request, estimate = _development_request(people, product, "Samlet sagsoverblik")
    development.funding_open(request=request, user=coordinator, estimate=estimate)
    development.pledge_create(
        request=request, user=people.authority2_admin, organisation=people.authority2, amount="2000"
    )
    development.pledge_create(
        request=request, user=people.authority_admin, organisation=people.authority, amount="1500"
    )
    return people.authority_admin, f"/development-requests/{request.pk}/", None


def _development_new_with_errors(people):
    community_product()
    return people.authority_admin, "/products/os2mo/development-requests/new/", submit_empty


def _development_estimate_with_errors(people):
    """The supplier partner's estimate form sent with hours that are not a number: the error summary on a page
    with several forms."""
    product, _coordinator, _sprint = community_product()
    request, _estimate = _development_request(people, product, "Samlet sagsoverblik")

    def action(page: Page) -> None:
        page.fill("#estimate_hours", "ti timer")
        with page.expect_navigation():
            page.locator("#step-estimate button[type=submit]").click()
        expect(page.locator("#error-summary a[href='#estimate_hours']")).to_have_count(1)
        expect(page.locator("#estimate_hours[aria-invalid=true]")).to_have_count(1)

    return people.supplier_admin, f"/development-requests/{request.pk}/", action


def _development_draft_with_refused_attachment(people):
    """The draft's edit page with one attachment, after an SVG was refused: two forms, the error summary on the
    attachment form's file field."""
    from os2hub.development.models import Attachment

    product, _coordinator, _sprint = community_product()
    draft = development.request_create(
        user=people.authority_admin, organisation=people.authority, product=product, data={"title": "Kladde"}
    )
    Attachment.objects.create(
        request=draft, title="Skitse", file="development-attachments/skitse.png", kind="png", size=2048
    )

    def action(page: Page) -> None:
        page.fill("#id_attachment_title", "Logo")
        page.set_input_files(
            "#id_attachment_file", files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": b"<svg/>"}]
        )
        with page.expect_navigation():
            page.locator("#attachments ~ form button[type=submit]").click()
        expect(page.locator("#error-summary a[href='#id_attachment_file']")).to_have_count(1)

    return people.authority_admin, f"/development-requests/{draft.pk}/edit/", action


def _development_board(people):
    product, coordinator, sprint = community_product()
    request, estimate = _development_request(people, product, "Samlet sagsoverblik", funding="requester")
    development.request_order(request=request, user=people.authority_admin, estimate=estimate)
    development.request_start(request=request, user=coordinator, sprint=sprint)
    return coordinator, "/products/os2mo/development-requests/board/", None


CASES.update(
    {
        "development-list": _development_list,
        "development-detail-in-funding": _development_detail_in_funding,
        "development-new-with-errors": _development_new_with_errors,
        "development-estimate-with-errors": _development_estimate_with_errors,
        "development-board": _development_board,
        "development-draft-with-refused-attachment": _development_draft_with_refused_attachment,
    }
)


# --- Needs and opportunities (issue 7) ---------------------------------------------------------------------------

from os2hub.needs import services as needs  # noqa: E402

from .test_needs_flow import product_with_coordination, second_reviewer  # noqa: E402

NEED_TEXT = {
    "title": "Digital booking af lokaler",
    "problem": "Borgere ringer for at booke lokaler, og kalendere føres i **regneark**.",
    "desired_outcome": "Borgere booker selv.",
    "rough_value": "ca. 800 timer om året",
}


def _posted_need(people, **changes):
    return needs.need_create(user=people.authority_admin, organisation=people.authority, data={**NEED_TEXT, **changes})


def _needs_board(people):
    cosigned = _posted_need(people)
    needs.need_cosign(need=cosigned, user=people.authority2_admin, organisation=people.authority2, note="Også os")
    clarifying = _posted_need(people, title="Parkeringstilladelser")
    needs.need_clarify(need=clarifying, user=people.authority_admin)
    return None, "/needs/", None


def _need_as_another_authority(people):
    """The co-sign form, the follow button and a pitch, as another authority sees them."""
    need = _posted_need(people)
    needs.pitch_create(
        user=people.supplier_admin,
        supplier=people.supplier_org,
        need=need,
        data={
            "title": "Booking med OS2-komponenter",
            "text": "Vi har bygget det før.",
            "links": ["https://example.org/"],
        },
    )
    return people.authority2_admin, f"/needs/{need.pk}/", None


def _need_as_poster(people):
    """Every step the posting authority may take, after a refused tender address (the error summary)."""
    product_with_coordination()
    need = _posted_need(people)

    def action(page: Page) -> None:
        page.fill("#tender_tender_url", "https://127.0.0.1/udbud")
        with page.expect_navigation():
            page.locator("#step-to-tender button[type=submit]").click()
        expect(page.locator("#error-summary a[href='#tender_tender_url']")).to_have_count(1)

    return people.authority_admin, f"/needs/{need.pk}/", action


def _call_as_caller(people):
    """The caller's page: the offers side by side and the award form."""
    from datetime import timedelta

    from django.utils import timezone

    product, coordinator = product_with_coordination()
    reviewer = second_reviewer()
    call = needs.call_create(
        user=coordinator,
        product=product,
        caller="group",
        data={
            "kind": "code-review",
            "title": "Code review af importmodulet",
            "description": "Gennemgå importmodulet.",
            "deadline": timezone.localdate() + timedelta(days=10),
            "budget_max_dkk": "40000",
        },
    )
    needs.offer_save(
        call=call,
        user=people.supplier_admin,
        supplier=people.supplier_org,
        data={"hours": "20", "approach": "Analyse."},
    )
    needs.offer_save(
        call=call,
        user=reviewer,
        supplier=reviewer.memberships.get().organisation,
        data={"price_dkk": "18500", "approach": "Parreview.", "team": "To seniorudviklere"},
    )
    return coordinator, f"/calls/{call.pk}/", None


def _call_award_confirmation(people):
    """The caller's confirmation of an award before the deadline: offers may still come."""
    from os2hub.needs.models import Offer

    coordinator, path, _ = _call_as_caller(people)
    offer = Offer.objects.order_by("price_dkk").first()
    return coordinator, f"{path}award/?offer={offer.pk}", None


def _supplier_dashboard(people):
    _posted_need(people)
    # The opportunities are on the personal overview (the old /dashboard/ leads there).
    return people.supplier_admin, "/overblik/", None


CASES.update(
    {
        "needs-board": _needs_board,
        "need-as-another-authority": _need_as_another_authority,
        "need-as-poster-with-errors": _need_as_poster,
        "call-as-caller": _call_as_caller,
        "call-award-confirmation": _call_award_confirmation,
        "supplier-dashboard": _supplier_dashboard,
    }
)
