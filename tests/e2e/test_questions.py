"""Questions on a call clicked through in Chromium at 375 px: a supplier asks privately (posted in place with
htmx), the caller answers and publishes it to all bidders after a confirm step, and another bidder then reads
it without the asker's name. axe finds nothing on the call page or the confirm page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from os2hub.needs.models import Call
from os2hub.products.models import Product
from os2hub.questions.models import Answer, Question
from tests.personas import OrganisationFactory, UserFactory, member

from .actions import log_in
from .test_mobile_navigation import PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e


def test_a_supplier_asks_on_a_call_and_the_caller_answers_it_to_all_bidders(site, open_page, people):
    product = Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisation.", status="product")
    call = Call.objects.create(
        kind="code-review",
        title="Code review af OS2mo 12.0",
        description="Gennemgang af release 12.0.",
        product=product,
        organisation=people.authority,
        deadline=timezone.localdate() + timedelta(days=14),
    )
    rival_org = OrganisationFactory(name="Konkurrenten ApS", slug="konkurrenten", kind="supplier")
    rival = member(UserFactory(email="rival@konkurrenten.dk", name="Rita Rival"), rival_org)
    call_path = f"/calls/{call.pk}/"
    page = open_page(PHONE)

    # The supplier asks; the section answers in place (no new page) and says the question is private.
    log_in(page, site, people.supplier_admin, next_path=call_path)
    page.fill("#ask_body", "Skal testene også gennemgås?")
    page.locator("#ask button[type=submit]").click()
    expect(page.locator("#questions [role=status]")).to_be_visible()
    question = Question.objects.get()
    expect(page.locator(f"#question-{question.pk}-private")).to_be_visible()
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the call page with a private question")

    # The caller answers it in place ...
    page.context.clear_cookies()
    log_in(page, site, people.authority_admin, next_path=call_path)
    thread = page.locator(f"#question-{question.pk}")
    thread.locator("summary").click()
    thread.locator("textarea").fill("Ja, testene er en del af reviewet.")
    thread.locator("button[type=submit].button-primary").click()
    expect(page.locator("#questions [role=status]")).to_be_visible()
    expect(page.locator(f"#question-{question.pk} .answers")).to_contain_text("testene er en del")
    assert Answer.objects.filter(question=question).count() == 1

    # ... and publishes it to all bidders after a confirm page that says what becomes visible.
    with page.expect_navigation():
        page.locator(f"#question-{question.pk} a[href$='/publish/']").click()
    expect(page.locator("#publish-question")).to_contain_text("Skal testene")
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the confirm page of publishing")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    question.refresh_from_db()
    assert question.published_at is not None

    # Another bidder now reads the question and the answer, without the asker's name.
    page.context.clear_cookies()
    log_in(page, site, rival, next_path=call_path)
    expect(page.locator(f"#question-{question.pk}")).to_contain_text("testene er en del")
    expect(page.locator("#questions")).not_to_contain_text("Kodekammeret")
    expect_no_axe_violations(page, "the call page with a published question")
