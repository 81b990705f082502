"""Reaching the secretariat in a real browser at 375 px: a visitor finds the contact page from the footer and
sends a message; the secretariat finds it in its queue, unfolds it (a DKFDS accordion, also after htmx has
swapped the list), answers it, and the answer reaches the sender. axe finds nothing on the way. Also: the header's
logo and the footer at both widths."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from os2hub.contact.models import ContactMessage, SecretariatPerson

from .actions import log_in
from .test_mobile_navigation import DESKTOP, PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e


def test_a_visitor_writes_to_the_secretariat_and_gets_its_answer(site, open_page, people):
    SecretariatPerson.objects.create(name="Anne Andersen (fiktiv)", role_da="Sekretariatschef", position=0)
    ContactMessage.objects.create(
        sender_name="Tidligere Afsender", sender_email="tidligere@example.dk", subject="Et lukket spørgsmål",
        body="Besvaret for længe siden.", status="closed",
    )  # fmt: skip
    visitor = open_page(PHONE)
    visitor.goto(f"{site}/")
    with visitor.expect_navigation():
        visitor.locator("footer a[href='/kontakt/']").click()
    expect(visitor.locator("#secretariat-people")).to_contain_text("Sekretariatschef")
    expect_fits(visitor, PHONE["width"])
    expect_no_axe_violations(visitor, "the contact page")

    # A mistake first: the error summary takes focus and names the field.
    visitor.fill("#id_sender_name", "Birgit Borger")
    visitor.fill("#id_sender_email", "birgit@")
    visitor.fill("#id_subject", "Hvordan kommer vi i gang med OS2mo?")
    visitor.fill("#id_body", "Vi vil gerne høre, hvordan andre kommuner er kommet i gang.")
    with visitor.expect_navigation():
        visitor.locator("#contact-form button[type=submit]").click()
    summary = visitor.locator("[data-module='error-summary']")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_sender_email']")).to_be_visible()
    expect_no_axe_violations(visitor, "the contact form with an error")
    visitor.fill("#id_sender_email", "birgit@kommune.example.dk")
    with visitor.expect_navigation():
        visitor.locator("#contact-form button[type=submit]").click()
    expect(visitor.locator("main .alert-success")).to_contain_text("birgit@kommune.example.dk")
    message = ContactMessage.objects.get(sender_email="birgit@kommune.example.dk")
    assert any(m.to == ["birgit@kommune.example.dk"] for m in mail.outbox)

    # The secretariat's queue: open messages, each unfolding in place.
    secretariat = open_page(PHONE)
    log_in(secretariat, site, people.secretariat, next_path="/sekretariat/henvendelser/")
    item = secretariat.locator(f"#message-list button[aria-controls='message-{message.pk}']")
    expect(item).to_have_attribute("aria-expanded", "false")
    expect(secretariat.locator(f"#message-{message.pk}")).to_be_hidden()
    expect_fits(secretariat, PHONE["width"])
    expect_no_axe_violations(secretariat, "the secretariat's queue")

    # "All" is fetched by htmx (no page load) and the accordion in the new list works: one click opens it.
    secretariat.evaluate("window.notReloaded = true")
    secretariat.locator("#filter-all").click()
    expect(secretariat.locator("#filter-all")).to_have_attribute("aria-current", "page")
    assert secretariat.evaluate("window.notReloaded") is True
    expect(secretariat).to_have_url(f"{site}/sekretariat/henvendelser/?status=all")
    closed = ContactMessage.objects.get(status="closed")
    swapped = secretariat.locator(f"#message-list button[aria-controls='message-{closed.pk}']")
    expect(swapped).to_have_attribute("aria-expanded", "false")
    expect(secretariat.locator(f"#message-{closed.pk}")).to_be_hidden()
    swapped.click()
    expect(swapped).to_have_attribute("aria-expanded", "true")
    expect(secretariat.locator(f"#message-{closed.pk}")).to_contain_text("Besvaret for længe siden.")
    expect(secretariat.locator("#queue-announcer")).to_contain_text("2")

    # Open Birgit's message and answer it.
    mine = secretariat.locator(f"#message-list button[aria-controls='message-{message.pk}']")
    mine.click()
    with secretariat.expect_navigation():
        secretariat.locator(f"#message-{message.pk} a.button").click()
    expect(secretariat.locator("h1")).to_have_text("Hvordan kommer vi i gang med OS2mo?")
    secretariat.fill("#id_body", "Velkommen! Vi sender jer materialet fra sidste brugermøde.")
    mail.outbox.clear()
    with secretariat.expect_navigation():
        secretariat.locator("#answer-form button[type=submit]").click()
    expect(secretariat.locator("main")).to_contain_text("Velkommen! Vi sender jer materialet")
    expect_fits(secretariat, PHONE["width"])
    expect_no_axe_violations(secretariat, "a message with its answer")
    message.refresh_from_db()
    assert message.status == "answered"
    (answer,) = mail.outbox
    assert answer.to == ["birgit@kommune.example.dk"]
    assert "Velkommen! Vi sender jer materialet" in answer.body


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_logo_leads_home_and_the_footer_leads_to_the_statements(site, open_page, people, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/privatliv/")
    logo = page.locator("header .portal-info a.logo")
    expect(logo).to_be_visible()
    assert "OS2hub" in logo.get_attribute("aria-label")  # its accessible name
    box = logo.bounding_box()
    assert box["width"] >= 100 and box["height"] >= 30, box
    for href in ("/kontakt/", "/privatliv/", "/cookies/", "/tilgaengelighed/"):
        expect(page.locator(f"footer a[href='{href}']")).to_be_visible()
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, "the privacy statement")
    with page.expect_navigation():
        logo.click()
    expect(page).to_have_url(f"{site}/")
