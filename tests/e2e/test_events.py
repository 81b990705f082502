"""Events clicked through in Chromium at 375 px, with axe: a supplier partner proposes a joint event, an authority
co-hosts it, the secretariat publishes it, people sign up to its capacity and the next lands on the waiting
list."""

import pytest
from playwright.sync_api import Page, expect

from os2hub.community.models import CoHost, Event, Registration

from .actions import log_in
from .test_mobile_navigation import PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e


def act_as(page: Page, site: str, user, path: str) -> None:
    page.context.clear_cookies()
    log_in(page, site, user, next_path=path)


def submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    expect(page.locator("main .alert-success")).to_be_visible()


def test_a_joint_event_is_proposed_co_hosted_published_and_filled_to_capacity(site, open_page, people):
    page = open_page(PHONE)

    # The partner proposes an event for the whole community, with one seat.
    act_as(page, site, people.supplier_admin, "/events/")
    with page.expect_navigation():
        page.locator("main a[href='/events/new/']").click()
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the propose-an-event form at 375 px")
    page.select_option("#id_organisation", str(people.supplier_org.pk))
    page.fill("#id_title", "OS2-dag om deling")
    page.fill("#id_starts_at", "2030-09-10T09:00")
    page.fill("#id_ends_at", "2030-09-10T15:00")
    page.fill("#id_location", "Odense Rådhus")
    page.check("#id_signup")
    page.fill("#id_capacity", "1")
    submit(page, "main form button[type=submit]")
    event = Event.objects.get()
    assert event.status == "proposed"

    # It invites an authority to co-host.
    page.select_option("#cohost-form select", str(people.authority.pk))
    submit(page, "#cohost-form button[type=submit]")

    # The authority accepts.
    act_as(page, site, people.authority_admin, f"/events/{event.pk}/")
    submit(page, "#cohost-invitation button[value=accept]")
    assert CoHost.objects.get().status == "accepted"

    # The secretariat publishes it.
    act_as(page, site, people.secretariat, "/events/")
    with page.expect_navigation():
        page.locator(f"#awaiting a[href='/events/{event.pk}/']").click()
    submit(page, "#step-publish button[type=submit]")
    expect(page.locator("main")).to_contain_text("Aarhus Kommune")

    # The first person gets the seat, the next the waiting list.
    act_as(page, site, people.authority2_admin, f"/events/{event.pk}/")
    submit(page, "#signup-button")
    expect(page.locator("#my-registration .badge-success")).to_be_visible()
    act_as(page, site, people.authority_admin, f"/events/{event.pk}/")
    submit(page, "#signup-button")
    expect(page.locator("#my-registration .badge-warning")).to_be_visible()
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the event page with a sign-up at 375 px")
    assert dict(Registration.objects.values_list("user__email", "status")) == {
        "kommune2@example.dk": "confirmed",
        "kommune@example.dk": "waiting",
    }

    # The organiser sees both on the list of participants.
    act_as(page, site, people.supplier_admin, f"/events/{event.pk}/participants/")
    expect(page.locator("#confirmed")).to_contain_text("kommune2@example.dk")
    expect(page.locator("#waiting")).to_contain_text("kommune@example.dk")
    expect_no_axe_violations(page, "the participants at 375 px")
