"""The self-assessment theme by theme, on a phone (375 px) and on a desktop (1280 px): the coordinator opens a theme
from the overview, answers and saves it, sees the save's message where the form is (focused) and the theme's
progress; a bad link in one criterion keeps the others saved and what was typed; submitting with criteria
missing lists them and asks to confirm. axe finds nothing on the overview, a theme's page and the confirmation.

Selectors use ids, names and hrefs, not texts, so the test survives translation work.
"""

import pytest
from playwright.sync_api import expect

from os2hub.governance.models import SelfAssessment, SelfAssessmentAnswer

from .actions import log_in
from .test_governance_flow import LEVEL, SELF_ASSESSMENT, click_and_wait, make_product, theme
from .test_mobile_navigation import DESKTOP, PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e

SAVE = "form#answers button[type=submit]"


def stored(product) -> dict:
    rows = SelfAssessmentAnswer.objects.filter(self_assessment__product=product).select_related("criterion")
    return {row.criterion.code: (row.answer, row.documentation, row.links) for row in rows if row.answer}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_coordinator_answers_a_theme_sees_its_progress_and_confirms_submitting_with_criteria_missing(
    site, open_page, people, viewport
):
    product = make_product(people)
    page = open_page(viewport)
    log_in(page, site, people.authority_admin, next_path=SELF_ASSESSMENT)

    # --- The overview: every theme with its progress, nothing answered yet -------------------------------------
    expect(page.locator("#theme-progress tbody tr")).to_have_count(4)
    expect(page.locator("#theme-progress a[href$='#criterion-R1']")).to_have_count(1)
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"the overview at {viewport['width']} px")

    # --- A theme: answer, save, and the message is at the form, focused ---------------------------------------
    click_and_wait(page, f"#theme-progress th a[href='{theme('relevans')}']")
    expect(page).to_have_url(f"{site}{theme('relevans')}")
    expect(page.locator("input[type=radio][name^=answer_]")).to_have_count(4 * 5)  # R1-R4, five choices each
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"a theme's page at {viewport['width']} px")
    page.check("input[name=answer_R1][value=ja]")
    page.fill("textarea[name=documentation_R1]", "Sparer sagsbehandlerne 2 årsværk.")
    page.check("input[name=answer_R2][value=nej]")
    click_and_wait(page, SAVE)
    expect(page).to_have_url(f"{site}{theme('relevans')}")
    saved = page.locator("#saved.alert-success")
    expect(saved).to_be_visible()
    expect(saved).to_be_in_viewport()
    expect(saved).to_be_focused()
    # Above the form it belongs to, and the theme's progress links what is still missing.
    assert (
        page.evaluate("document.getElementById('saved').compareDocumentPosition(document.getElementById('answers'))")
        & 4
    )
    expect(page.locator("#progress a")).to_have_count(2)
    expect(page.locator("#progress a[href='#criterion-R3']")).to_have_count(1)
    expect(page.locator("#progress a[href='#criterion-R1']")).to_have_count(0)
    expect(page.locator("input[name=answer_R1][value=ja]")).to_be_checked()
    assert stored(product) == {"R1": ("ja", "Sparer sagsbehandlerne 2 årsværk.", ""), "R2": ("nej", "", "")}

    # --- Another theme: a bad link keeps the rest saved and what was typed, with the error beside it ------------
    click_and_wait(page, f"#saved a[href='{theme('formkrav')}']")
    page.check("input[name=answer_F1][value=ja]")
    page.check("input[name=answer_F2][value=ja]")
    page.fill("textarea[name=documentation_F2]", "MPL-2.0, se LICENSE.")
    page.fill("textarea[name=links_F2]", "http://localhost/licens")
    click_and_wait(page, SAVE)
    expect(page.locator("#error-summary a[href='#id_links_F2']")).to_have_count(1)
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_links_F2[aria-invalid=true]")).to_have_value("http://localhost/licens")
    expect(page.locator("textarea[name=documentation_F2]")).to_have_value("MPL-2.0, se LICENSE.")
    expect(page.locator("input[name=answer_F2][value=ja]")).to_be_checked()
    assert stored(product)["F1"] == ("ja", "", "") and "F2" not in stored(product)

    # --- The overview shows each theme's progress ------------------------------------------------------------
    page.goto(f"{site}{SELF_ASSESSMENT}", wait_until="domcontentloaded")
    relevance = page.locator("#theme-relevans")
    expect(relevance.locator("td a")).to_have_count(2)  # R3 and R4 are not answered
    expect(relevance.locator(f"a[href='{theme('relevans')}#criterion-R3']")).to_have_count(1)
    expect(page.locator("#theme-formkrav td a")).to_have_count(19)
    expect(page.locator("#theme-governance td a")).to_have_count(14)

    # --- Submitting with criteria missing: they are listed and the step is confirmed ----------------------------
    click_and_wait(page, "main a[href$='/self-assessment/submit/']")
    expect(page.locator("#missing")).to_be_visible()
    expect(page.locator("ul.missing-criteria li a")).to_have_count(43 - 3)
    expect(page.locator(f"ul.missing-criteria a[href='{theme('relevans')}#criterion-R4']")).to_have_count(1)
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"the confirmation at {viewport['width']} px")
    assert SelfAssessment.objects.get(product=product).status == "draft"
    click_and_wait(page, "main form[action$='/self-assessment/submit/'] button[type=submit]")
    expect(page).to_have_url(f"{site}{LEVEL}")
    expect(page.locator("main .alert-success")).to_be_visible()
    assert SelfAssessment.objects.get(product=product).status == "submitted"
