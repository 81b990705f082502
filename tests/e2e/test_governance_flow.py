"""Governance clicked through in Chromium: the coordinator answers and submits the self-assessment (and imports
OS2's JSON file), the secretariat evaluates, publishes and records a decision, and the product's level changes
everywhere it is shown.

Selectors use names, ids, form actions and hrefs rather than texts, so the tests survive translation work; what
is checked on the page is data (criterion ids, product names, what was typed) or translated here the way the
server translates it.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from os2hub.governance import services
from os2hub.governance.models import CriteriaVersion, Decision, Evaluation, EvaluationRating, SelfAssessment
from os2hub.products.models import Group, GroupMember, Level, Product

from .actions import log_in
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).parent.parent / "data" / "example-selfassessment-os2-test.json"
NAME, SLUG = "OS2-test-selvevaluering", "os2-test"  # the example file's productName
PRODUCT = f"/products/{SLUG}/"
SELF_ASSESSMENT = f"{PRODUCT}self-assessment/"
LEVEL = f"{PRODUCT}level/"


def theme(key: str) -> str:
    """The page of one theme of the self-assessment."""
    return f"{SELF_ASSESSMENT}themes/{key}/"


# --- Data the tests start from (also used by test_accessibility) ------------------------------------------------


def load_criteria() -> CriteriaVersion:
    """The bundled criteria. A migration loads them, but a live-server test empties the database after itself."""
    call_command("load_criteria", stdout=io.StringIO())
    return CriteriaVersion.current()


def make_product(people, name=NAME, slug=SLUG, **fields) -> Product:
    """A product coordinated by Aarhus Kommune's admin (people.authority_admin), with Odense's admin in its
    steering group; the bundled criteria are loaded."""
    load_criteria()
    values = {
        "name": name,
        "slug": slug,
        "summary": "Et testprodukt til OS2's selvevaluering.",
        "status": Product.Status.PRODUCT,
        "coordinator": people.authority_admin,
    } | fields
    product = Product.objects.create(**values)
    steering = Group.objects.create(product=product, kind=Group.Kind.STEERING, name="Styregruppen")
    GroupMember.objects.create(group=steering, user=people.authority2_admin, organisation=people.authority2)
    return product


def import_example(product, user) -> SelfAssessment:
    """The coordinator's draft with OS2's example file imported (only valid for a product named NAME)."""
    return services.self_assessment_import(product=product, user=user, data=EXAMPLE.read_bytes())


def submit_self_assessment(product, user) -> SelfAssessment:
    """Every criterion answered Ja with documentation, and submitted."""
    draft = services.self_assessment_draft(product=product, user=user)
    answers = {
        c.code: {"answer": "ja", "documentation": f"Dokumenteret i README.md ({c.code}).", "links": []}
        for c in services.criteria_of(draft.criteria_version)
    }
    answers["R1"]["links"] = [f"https://github.com/OS2/{product.slug}"]
    services.self_assessment_save(assessment=draft, user=user, answers=answers)
    return services.self_assessment_submit(assessment=draft, user=user)


def level_name(key: str, language="da") -> str:
    with translation.override(language):
        return str(Level(key).label)


# --- Helpers ---------------------------------------------------------------------------------------------------


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(selector).click()


def expect_success(page: Page) -> None:
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)


def blocker_codes(page: Page) -> list[str]:
    """The criterion ids listed under "What is missing for the next level" (#missing) on the level page."""
    titles = page.locator("#missing ~ ul.blocker-list > li > h3").all_inner_texts()
    return [re.match(r"\s*([A-Z]+\d+):", title).group(1) for title in titles]


# --- The coordinator -------------------------------------------------------------------------------------------

SAVE_ANSWERS = "form#answers button[type=submit]"
SUBMIT_LINK = "main a[href$='/self-assessment/submit/']"
SUBMIT = "form[action$='/self-assessment/submit/'] button[type=submit]"


def open_theme(page: Page, key: str) -> None:
    """Follow the overview's link to a theme's page."""
    click_and_wait(page, f"#theme-progress th a[href='{theme(key)}']")


def save_theme(page: Page, site: str, key: str) -> None:
    click_and_wait(page, SAVE_ANSWERS)
    expect(page).to_have_url(f"{site}{theme(key)}")
    expect(page.locator("#saved.alert-success")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)


def test_the_coordinator_answers_comes_back_to_the_draft_and_submits(site, page: Page, people):
    product = make_product(people)
    log_in(page, site, people.authority_admin, next_path=SELF_ASSESSMENT)
    # Nothing is stored before the first save, so there is nothing to submit yet.
    expect(page.locator(SUBMIT_LINK)).to_have_count(0)
    expect(page.locator(SUBMIT)).to_have_count(0)

    # Each theme is answered and saved on its own page.
    open_theme(page, "relevans")
    page.check("input[name=answer_R1][value=ja]")
    page.fill("textarea[name=documentation_R1]", "Hjælper OS2 med at vurdere produktniveauer.")
    page.fill("textarea[name=links_R1]", "https://github.com/OS2/os2-test\nhttps://os2.eu/produkt/os2-test")
    save_theme(page, site, "relevans")
    page.goto(f"{site}{SELF_ASSESSMENT}", wait_until="domcontentloaded")
    open_theme(page, "formkrav")
    page.check("input[name=answer_F1][value=nej]")
    page.fill("textarea[name=documentation_F1]", "Koden ligger endnu ikke offentligt.")
    save_theme(page, site, "formkrav")
    page.goto(f"{site}{SELF_ASSESSMENT}", wait_until="domcontentloaded")
    open_theme(page, "governance")
    page.check("input[name=answer_G14][value=ikke_relevant]")
    save_theme(page, site, "governance")

    # The draft is stored: coming back later (a fresh load) shows the answers as they were left.
    page.goto(f"{site}{theme('relevans')}", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_R1][value=ja]")).to_be_checked()
    expect(page.locator("textarea[name=documentation_R1]")).to_have_value("Hjælper OS2 med at vurdere produktniveauer.")
    expect(page.locator("textarea[name=links_R1]")).to_have_value(
        "https://github.com/OS2/os2-test\nhttps://os2.eu/produkt/os2-test"
    )
    page.goto(f"{site}{theme('formkrav')}", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_F1][value=nej]")).to_be_checked()
    expect(page.locator("textarea[name=documentation_F1]")).to_have_value("Koden ligger endnu ikke offentligt.")
    expect(page.locator("input[name=answer_F2][value='']")).to_be_checked()
    page.goto(f"{site}{theme('governance')}", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_G14][value=ikke_relevant]")).to_be_checked()
    # F1 answered Nej keeps the product from the sandbox level: the overview's status box links it.
    page.goto(f"{site}{SELF_ASSESSMENT}", wait_until="domcontentloaded")
    expect(page.locator(f"main .alert-info a[href='{theme('formkrav')}#criterion-F1']")).to_have_count(1)
    draft = SelfAssessment.objects.get(product=product)
    assert draft.status == SelfAssessment.Status.DRAFT
    stored = {a.criterion.code: a for a in draft.answers.select_related("criterion").exclude(answer="")}
    assert {code: a.answer for code, a in stored.items()} == {"R1": "ja", "F1": "nej", "G14": "ikke_relevant"}
    assert stored["R1"].link_list == ["https://github.com/OS2/os2-test", "https://os2.eu/produkt/os2-test"]
    assert stored["R1"].updated_by == people.authority_admin

    # Submitting asks first, then locks it and leads to the level page.
    click_and_wait(page, SUBMIT_LINK)
    expect(page).to_have_url(f"{site}{SELF_ASSESSMENT}submit/")
    click_and_wait(page, SUBMIT)
    expect(page).to_have_url(f"{site}{LEVEL}")
    expect_success(page)
    draft.refresh_from_db()
    assert draft.status == SelfAssessment.Status.SUBMITTED
    assert draft.submitted_by == people.authority_admin
    assert draft.submitted_at is not None
    assert draft.filled_by.startswith("Kommune Karlsen")

    # The self-assessment is now read-only: the answers are shown, not asked for.
    page.goto(f"{site}{SELF_ASSESSMENT}", wait_until="domcontentloaded")
    expect(page.locator("#criterion-R1")).to_contain_text("Hjælper OS2 med at vurdere produktniveauer.")
    expect(page.locator("#criterion-R1 a[href='https://github.com/OS2/os2-test']")).to_have_count(1)
    expect(page.locator("input[type=radio][name^=answer_]")).to_have_count(0)
    expect(page.locator("textarea[name^=documentation_]")).to_have_count(0)
    expect(page.locator(SUBMIT)).to_have_count(0)
    expect(page.locator(SUBMIT_LINK)).to_have_count(0)
    expect(page.locator(SAVE_ANSWERS)).to_have_count(0)


def test_the_coordinator_imports_os2s_file_sees_what_is_missing_and_exports_it_unchanged(site, page: Page, people):
    product = make_product(people)
    log_in(page, site, people.authority_admin, next_path=SELF_ASSESSMENT)
    click_and_wait(page, f"main a[href='{SELF_ASSESSMENT}import/']")

    page.set_input_files(
        "form[action$='/self-assessment/import/'] input[type=file][name=file]",
        files=[{"name": EXAMPLE.name, "mimeType": "application/json", "buffer": EXAMPLE.read_bytes()}],
    )
    click_and_wait(page, "form[action$='/self-assessment/import/'] button[type=submit]")
    expect(page).to_have_url(f"{site}{SELF_ASSESSMENT}")
    expect_success(page)
    # The file's answers are in the forms: R1 Ja with its documentation, R4 Ved ikke, G5 Nej, F6 not answered.
    page.goto(f"{site}{theme('relevans')}", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_R1][value=ja]")).to_be_checked()
    expect(page.locator("textarea[name=documentation_R1]")).to_have_value(
        "Det er en løsning som hjælper OS2 med at evaluere produktniveau"
    )
    expect(page.locator("input[name=answer_R4][value=ved_ikke]")).to_be_checked()
    page.goto(f"{site}{theme('governance')}", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_G5][value=nej]")).to_be_checked()
    page.goto(f"{site}{theme('formkrav')}", wait_until="domcontentloaded")
    expect(page.locator("input[name=answer_F6][value='']")).to_be_checked()
    page.goto(f"{site}{SELF_ASSESSMENT}", wait_until="domcontentloaded")

    # The export gives back exactly the file that was imported.
    export = page.locator(f"main a[href='{SELF_ASSESSMENT}export.json']")
    response = page.request.get(f"{site}{export.get_attribute('href')}")
    assert response.status == 200, response.text()
    assert response.json() == json.loads(EXAMPLE.read_bytes())

    # The level page lists what keeps the product from level 1: exactly F6, F7, F10 and F11.
    page.goto(f"{site}{LEVEL}", wait_until="domcontentloaded")
    assert blocker_codes(page) == ["F6", "F7", "F10", "F11"]
    expect(page.locator("#missing ~ ul.blocker-list")).not_to_contain_text("F12:")
    # Each blocker links to its answer on its theme's page of the self-assessment.
    for code in ("F6", "F7", "F10", "F11"):
        link = f"#missing ~ ul.blocker-list a[href='{theme('formkrav')}#criterion-{code}']"
        expect(page.locator(link)).to_have_count(1)
    draft = SelfAssessment.objects.get(product=product)
    assert draft.status == SelfAssessment.Status.DRAFT
    assert draft.filled_by == "Rasmus Frey, OS2-sekretariatet"


# --- The secretariat -------------------------------------------------------------------------------------------

SUMMARY = "Produktet er **velfungerende** og godt dokumenteret."
LEVEL_REASON = "Bestyrelsen vil se et år i drift, før niveau 3 anbefales."
# Default green; a yellow recommendation (it does not block a level) and a grey criterion.
RATINGS = {"F19": ("yellow", "Kun delvist beskrevet i README."), "G14": ("grey", "")}


def rate_every_criterion(page: Page) -> dict[str, str]:
    """Choose a rating in every rating group of the form, with grounds for yellow and red. Returns {id: rating}."""
    names = page.eval_on_selector_all(
        "input[type=radio][name^=rating_]", "inputs => [...new Set(inputs.map(input => input.name))]"
    )
    given = {}
    for name in names:
        code = name.removeprefix("rating_")
        rating, grounds = RATINGS.get(code, ("green", ""))
        page.check(f"input[name={name}][value={rating}]")
        if rating in ("yellow", "red"):
            page.fill(f"textarea[name=grounds_{code}]", grounds)
        given[code] = rating
    return given


def test_the_secretariat_evaluates_publishes_and_decides_and_the_level_changes_everywhere(
    site, browser, page: Page, people
):
    product = make_product(people)
    submit_self_assessment(product, people.authority_admin)
    codes = [c.code for c in services.criteria_of(CriteriaVersion.current())]
    level_2 = level_name("2")
    catalogue_link = f"#results a[href='{PRODUCT}']"
    # Before the decision the product has no official level.
    assert f'href="{PRODUCT}"' not in page.request.get(f"{site}/products/?level=2").text()
    assert level_2 not in page.request.get(f"{site}{PRODUCT}badge.svg").text()

    # --- Start the evaluation from the level page ----------------------------------------------------------
    log_in(page, site, people.secretariat, next_path=LEVEL)
    click_and_wait(page, "main form[action$='/evaluations/new/'] button[type=submit]")
    evaluation = Evaluation.objects.get(product=product)
    edit = f"{PRODUCT}evaluations/{evaluation.pk}/edit/"
    report = f"{PRODUCT}evaluations/{evaluation.pk}/"
    expect(page).to_have_url(f"{site}{edit}")
    assert evaluation.self_assessment.status == SelfAssessment.Status.SUBMITTED
    # The self-assessment is shown beside each rating.
    expect(page.locator("#criterion-R1")).to_contain_text("Dokumenteret i README.md (R1).")

    # --- Rate, summarise, save -------------------------------------------------------------------------------
    given = rate_every_criterion(page)
    assert sorted(given) == sorted(codes)
    page.fill("textarea[name=summary]", SUMMARY)
    click_and_wait(page, f"main form[action='{edit}'] button[type=submit]:not([formaction])")
    expect(page).to_have_url(f"{site}{edit}")
    expect_success(page)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.summary == SUMMARY
    # Every criterion green or grey except a yellow recommendation: level 3 computed.
    assert evaluation.computed_level == "3" and evaluation.recommended_level == "3"
    stored = dict(EvaluationRating.objects.filter(evaluation=evaluation).values_list("criterion__code", "rating"))
    assert stored == given
    expect(page.locator("input[name=rating_F19][value=yellow]")).to_be_checked()
    expect(page.locator("textarea[name=grounds_F19]")).to_have_value("Kun delvist beskrevet i README.")

    # --- Another level than the computed one, without a reason: refused, nothing published -----------------
    publish = f"main button[formaction='{PRODUCT}evaluations/{evaluation.pk}/publish/']"
    page.select_option("select[name=level]", "2")
    click_and_wait(page, publish)
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_level_reason']")).to_have_count(1)
    expect(page.locator("#error-summary a[href^='#id_rating_']")).to_have_count(0)
    expect(page.locator("main .alert-error[role=alert]").first).to_be_visible()
    # What was typed is still there.
    expect(page.locator("select[name=level]")).to_have_value("2")
    expect(page.locator("textarea[name=summary]")).to_have_value(SUMMARY)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT and evaluation.published_at is None
    assert evaluation.recommended_level == "3"

    # --- With the reason it is published ------------------------------------------------------------------
    page.fill("textarea[name=level_reason]", LEVEL_REASON)
    click_and_wait(page, publish)
    expect(page).to_have_url(f"{site}{report}")
    expect_success(page)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PUBLISHED
    assert evaluation.published_by == people.secretariat
    assert (evaluation.computed_level, evaluation.recommended_level) == ("3", "2")
    assert evaluation.level_reason == LEVEL_REASON

    # --- Anyone can read the published report -------------------------------------------------------------
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    anonymous.set_default_timeout(TIMEOUT_MS)
    try:
        visitor = anonymous.new_page()
        visitor.goto(f"{site}{report}", wait_until="domcontentloaded")
        expect(visitor.locator("h1")).to_contain_text(NAME)
        expect(visitor.locator("main .user-content strong")).to_have_text("velfungerende")
        expect(visitor.locator("main")).to_contain_text(LEVEL_REASON)
        expect(visitor.locator("#criterion-F19")).to_contain_text("Kun delvist beskrevet i README.")
        expect(visitor.locator(f"main a[href='{edit}']")).to_have_count(0)
    finally:
        anonymous.close()

    # --- The decision sets the official level -------------------------------------------------------------
    page.goto(f"{site}{PRODUCT}decisions/new/", wait_until="domcontentloaded")
    # The latest published evaluation and its recommended level are proposed.
    expect(page.locator("select[name=evaluation]")).to_have_value(str(evaluation.pk))
    expect(page.locator("select[name=level]")).to_have_value("2")
    expect(page.locator("input[name=decided_on]")).to_have_value(timezone.localdate().isoformat())
    page.select_option("select[name=level]", "2")
    page.fill("input[name=decision]", f"{NAME} er godkendt på niveau 2")
    page.fill("textarea[name=grounds]", "Evalueringen viser et modent produkt; niveau 3 venter et år i drift.")
    page.fill("input[name=made_by]", "OS2's bestyrelse")
    page.fill("input[name=reference]", "https://os2.eu/bestyrelsesmoede-2026-06")
    click_and_wait(page, "main form[action$='/decisions/new/'] button[type=submit]")
    # The decision is shown as it will be published, level before and after, before it is recorded.
    expect(page.locator("#permanent")).to_be_visible()
    expect(page.locator("#decision-preview")).to_contain_text(f"{NAME} er godkendt på niveau 2")
    expect(page.locator("#decision-preview")).to_contain_text(level_2)
    assert not Decision.objects.filter(product=product).exists()
    click_and_wait(page, "main form[action$='/decisions/new/'] button[type=submit]:not([name=edit])")
    expect(page).to_have_url(f"{site}{LEVEL}")
    expect_success(page)
    decision = Decision.objects.get(product=product)
    assert (decision.level, decision.previous_level, decision.evaluation) == ("2", "", evaluation)
    assert decision.recorded_by == people.secretariat
    product.refresh_from_db()
    assert product.official_level == "2"
    decisions = page.locator("#decisions + .table--responsive-scroll > table")
    expect(decisions).to_contain_text("Evalueringen viser et modent produkt")
    expect(decisions).to_contain_text("OS2's bestyrelse")
    expect(decisions.locator("a[href='https://os2.eu/bestyrelsesmoede-2026-06']")).to_have_count(1)
    expect(decisions.locator(f"a[href='{report}']")).to_have_count(1)
    expect(page.locator("main .level-figure .badge-info").first).to_have_text(level_2)

    # --- ... and the new level shows everywhere -------------------------------------------------------------
    page.goto(f"{site}{PRODUCT}", wait_until="domcontentloaded")
    expect(page.locator("main .status-line .badge-info")).to_have_text(level_2)
    page.goto(f"{site}/products/?level=2", wait_until="domcontentloaded")
    expect(page.locator(catalogue_link)).to_have_count(1)
    page.goto(f"{site}/products/?level=none", wait_until="domcontentloaded")
    expect(page.locator(catalogue_link)).to_have_count(0)
    badge = page.request.get(f"{site}{PRODUCT}badge.svg")
    assert badge.status == 200 and badge.headers["content-type"].startswith("image/svg+xml")
    assert level_2 in badge.text()
