"""The newsletter journey of issue 16 in Chromium at 375 px: the secretariat writes an issue with a preview, sends
it to "authorities using OS2mo" after seeing the count, and exactly those people get it, each with an unsubscribe
link that works in one click (RFC 8058). axe checks the pages on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from os2hub.newsletters.models import Issue, Subscription, Topic
from os2hub.products.models import Adoption, Product
from tests.personas import UserFactory, member

from .actions import log_in
from .test_mobile_navigation import PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_the_secretariat_sends_a_newsletter_to_authorities_using_os2mo(site, open_page, people):
    os2mo = Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisation.", status="product")
    kitos = Product.objects.create(name="OS2kitos", slug="os2kitos", summary="Kitos.", status="product")
    Adoption.objects.create(product=os2mo, organisation=people.authority)
    Adoption.objects.create(product=kitos, organisation=people.authority2)
    member(UserFactory(email="it@aarhus.example.dk", preferred_language="en"), people.authority, role="member")
    expected = ["it@aarhus.example.dk", "kommune@example.dk"]
    Topic.objects.create(name="OS2-nyt", slug="os2-nyt", description="Nyt fra OS2.")

    page = open_page(PHONE)
    log_in(page, site, people.secretariat, next_path="/nyhedsbrev/")
    expect_no_axe_violations(page, "the newsletter archive")
    click_and_wait(page, "main a[href='/nyhedsbrev/udgaver/']")
    click_and_wait(page, "main a[href='/nyhedsbrev/udgaver/ny/']")

    page.select_option("select[name=topic]", label="OS2-nyt")
    page.fill("input[name=title]", "Nyt om OS2mo")
    page.fill("textarea[name=body]", "## Ny version\n\nOS2mo 15 er **klar**.\n\n<script>alert('x')</script>")
    page.check(f"input[name=segments][value='adopters:{os2mo.pk}']")
    click_and_wait(page, "main button[name=preview]")
    preview = page.locator("#preview")
    expect(preview.locator("h2", has_text="Ny version")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("klar")
    assert preview.locator("script").count() == 0
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the issue form with its preview")

    click_and_wait(page, "main form button.button-primary[type=submit]")
    issue = Issue.objects.get()
    assert issue.status == "draft" and issue.segments == [f"adopters:{os2mo.pk}"]
    click_and_wait(page, f"main a[href='/nyhedsbrev/udgaver/{issue.pk}/send/']")
    expect(page.locator("#recipient-count")).to_have_text("2")
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the page before sending")
    assert mail.outbox == []

    click_and_wait(page, "main form button.button-primary[type=submit]")
    expect(page.locator("#issue-status")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert all(len(m.to) == 1 for m in mail.outbox)
    issue.refresh_from_db()
    assert issue.status == "sent"

    # One click in the mail client: a POST without a session or CSRF token to the List-Unsubscribe address.
    message = next(m for m in mail.outbox if m.to == ["kommune@example.dk"])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    path = "/" + url.split("//", 1)[1].split("/", 1)[1]
    answer = page.context.request.post(
        f"{site}{path}",
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": ""},
    )
    assert answer.status == 200
    assert Subscription.objects.get(email="kommune@example.dk", topic=issue.topic).status == "unsubscribed"

    # The link in the mail shows the same, and the issue is in the public archive.
    page.goto(f"{site}{path}")
    expect(page.locator("main h1")).to_be_visible()
    expect_no_axe_violations(page, "the unsubscribe page")
    page.goto(f"{site}/nyhedsbrev/")
    expect(page.locator(f"main a[href='/nyhedsbrev/{issue.pk}/']")).to_have_text("Nyt om OS2mo")
