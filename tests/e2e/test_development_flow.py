"""A development request clicked through in Chromium, the community way: an authority files and submits it, a
supplier partner estimates, the coordination group opens funding, two authorities pledge it to funded, the
coordination group starts it in a sprint, the supplier delivers and the coordination group accepts it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from os2hub.development.models import DevelopmentRequest, Sprint
from os2hub.products.models import Group, GroupMember, Product
from tests.files import image_bytes
from tests.personas import UserFactory

from .actions import log_in

pytestmark = pytest.mark.e2e

STORY = "Som sagsbehandler ønsker jeg at se borgerens sager samlet, således at jeg kan svare hurtigere"


def community_product():
    """OS2mo with a coordination group (Koordinator Kaj) and a sprint to plan work into."""
    product = Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisation.", status="product")
    group = Group.objects.create(product=product, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen")
    coordinator = UserFactory(email="koordination@example.dk", name="Koordinator Kaj")
    GroupMember.objects.create(group=group, user=coordinator)
    today = timezone.localdate()
    sprint = Sprint.objects.create(product=product, name="Sprint 7", starts_on=today, ends_on=today + timedelta(13))
    return product, coordinator, sprint


def act_as(page: Page, site: str, user, path: str) -> None:
    """Whoever was logged in leaves; the user logs in and lands on the path."""
    page.context.clear_cookies()
    log_in(page, site, user, next_path=path)


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    expect(page.locator("main .alert-success")).to_be_visible()


def test_a_request_goes_from_filed_to_accepted_with_community_funding(site, page: Page, people):
    product, coordinator, sprint = community_product()

    # An authority files the request from the product's list and submits it.
    log_in(page, site, people.authority_admin, next_path=f"/products/{product.slug}/development-requests/")
    with page.expect_navigation():
        page.locator(f"a[href='/products/{product.slug}/development-requests/new/']").click()
    page.fill("input[name=title]", "Samlet sagsoverblik")
    page.fill("textarea[name=description]", "Hvad: et overblik. Hvorfor: færre opkald. Hvem: sagsbehandlere.")
    page.fill("textarea[name=user_stories]", STORY)
    page.fill("textarea[name=acceptance_criteria]", "Overblikket viser alle åbne sager\nSiden loader hurtigt")
    page.fill("textarea[name=documentation_requirements]", "Brugervejledningen opdateres.")
    page.check("input[name=funding][value=community]")
    click_and_wait(page, "button[name=action][value=save]")
    request = DevelopmentRequest.objects.get(title="Samlet sagsoverblik")
    assert request.status == "draft"
    expect(page).to_have_url(f"{site}/development-requests/{request.pk}/edit/")
    # A mock-up goes with it.
    page.fill("#id_attachment_title", "Skitse af overblikket")
    page.set_input_files(
        "#id_attachment_file", files=[{"name": "skitse.png", "mimeType": "image/png", "buffer": image_bytes(60, 40)}]
    )
    click_and_wait(page, "#attachments ~ form button[type=submit]")
    expect(page.locator("#attachment-list")).to_contain_text("Skitse af overblikket")
    click_and_wait(page, "button[name=action][value=submit]")
    expect(page).to_have_url(f"{site}/development-requests/{request.pk}/")
    request.refresh_from_db()
    assert request.status == "submitted" and request.attachments.get().kind == "png"
    detail = f"/development-requests/{request.pk}/"

    # The supplier partner estimates at its published rate: 10 hours at 950 kr.
    act_as(page, site, people.supplier_admin, detail)
    expect(page.locator("#estimate_hourly_rate_dkk")).to_have_attribute("placeholder", "950.00")
    page.fill("#estimate_hours", "10")
    page.fill("#estimate_reviewer", "Kodekammeret (intern review)")
    click_and_wait(page, "#step-estimate button[type=submit]")
    request.refresh_from_db()
    assert request.status == "estimated"
    estimate = request.estimates.get()
    assert estimate.price_dkk == Decimal("9500.00")
    expect(page.locator(f"#estimate-{estimate.pk}")).to_contain_text("Kodekammeret ApS")

    # The coordination group opens funding at the estimate's price.
    act_as(page, site, coordinator, detail)
    page.check(f"#step-open-funding input[name=estimate][value='{estimate.pk}']")
    click_and_wait(page, "#step-open-funding button[type=submit]")
    request.refresh_from_db()
    assert request.status == "funding" and request.price_dkk == Decimal("9500.00")
    expect(page.locator("#funding-progress")).to_have_attribute("max", "9500.00")

    # Two authorities pledge it to funded.
    act_as(page, site, people.authority_admin, detail)
    page.fill("#pledge_amount_dkk", "4000")
    click_and_wait(page, "#step-pledge button[type=submit]")
    expect(page.locator("#funding-progress")).to_have_attribute("value", "4000.00")
    request.refresh_from_db()
    assert request.status == "funding" and request.pledged_dkk == Decimal("4000.00")

    act_as(page, site, people.authority2_admin, detail)
    page.fill("#pledge_amount_dkk", "5.500,00")
    click_and_wait(page, "#step-pledge button[type=submit]")
    request.refresh_from_db()
    assert request.status == "ordered" and request.pledged_dkk == request.price_dkk
    expect(page.locator("#funding-progress")).to_have_attribute("value", "9500.00")
    expect(page.locator("#step-pledge")).to_have_count(0)  # funded: nothing more to pledge

    # The coordination group starts it in a sprint.
    act_as(page, site, coordinator, detail)
    page.select_option("#start_sprint", str(sprint.pk))
    click_and_wait(page, "#step-start button[type=submit]")
    request.refresh_from_db()
    assert request.status == "in_progress" and request.sprint == sprint
    expect(page.locator("#sprint")).to_contain_text("Sprint 7")
    page.goto(f"{site}/products/{product.slug}/development-requests/board/", wait_until="domcontentloaded")
    expect(page.locator(f"#column-in_progress #card-{request.pk}")).to_be_visible()

    # The supplier delivers.
    act_as(page, site, people.supplier_admin, detail)
    click_and_wait(page, "#step-deliver button[type=submit]")
    request.refresh_from_db()
    assert request.status == "delivered"

    # The coordination group accepts it against the checklist.
    act_as(page, site, coordinator, detail)
    for box in page.locator("#step-accept input[name=acceptance_results]").all():
        box.check()
    click_and_wait(page, "#step-accept button[type=submit]")
    request.refresh_from_db()
    assert request.status == "accepted" and request.acceptance_results == [True, True]
    expect(page.locator("#steps")).to_have_count(0)
    expect(page.locator(".request-history li")).to_have_count(8)
    assert list(request.events.values_list("to_status", flat=True)) == [
        "draft", "submitted", "estimated", "funding", "ordered", "in_progress", "delivered", "accepted",
    ]  # fmt: skip
