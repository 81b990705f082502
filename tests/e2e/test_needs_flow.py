"""Needs and calls clicked through in Chromium: an authority posts a need, another co-signs it, a supplier pitches
a solution and the need becomes a development request; a coordination group calls for code review, two supplier
partners offer, and one is awarded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from os2hub.development.models import DevelopmentRequest
from os2hub.needs.models import Call, CoSign, Need, Offer, Pitch
from os2hub.products.models import Group, GroupMember, Product
from tests.personas import VALID_CVRS, OrganisationFactory, UserFactory, make_application, member

from .test_development_flow import act_as, click_and_wait

pytestmark = pytest.mark.e2e


def product_with_coordination():
    product = Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisation.", status="product")
    group = Group.objects.create(product=product, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen")
    coordinator = UserFactory(email="koordination@example.dk", name="Koordinator Kaj")
    GroupMember.objects.create(group=group, user=coordinator)
    return product, coordinator


def second_reviewer():
    """Another approved partner offering code review at 1.000 kr. an hour."""
    organisation = OrganisationFactory(name="Reviewhuset ApS", slug="reviewhuset", kind="supplier", cvr=VALID_CVRS[1])
    admin = member(UserFactory(email="review@example.dk", name="Rikke Review"), organisation)
    make_application(organisation, admin, competences=("code-review",), rates=(Decimal("1000.00"),))
    return admin


def test_a_need_is_posted_cosigned_pitched_and_becomes_a_development_request(site, page: Page, people):
    product_with_coordination()

    # An authority posts the need from the needs board.
    act_as(page, site, people.authority_admin, "/needs/")
    with page.expect_navigation():
        page.locator("a[href='/needs/new/']").click()
    page.fill("input[name=title]", "Digital booking af lokaler")
    page.fill("textarea[name=problem]", "Borgere ringer for at booke lokaler.")
    page.fill("textarea[name=desired_outcome]", "Borgere booker selv.")
    page.fill("input[name=rough_value]", "ca. 800 timer om året")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    need = Need.objects.get()
    expect(page).to_have_url(f"{site}/needs/{need.pk}/")
    expect(page.locator("main .alert-success")).to_be_visible()

    # Another authority co-signs it with a note.
    act_as(page, site, people.authority2_admin, f"/needs/{need.pk}/")
    page.fill("#cosign_note", "Vi har 40 lokaler")
    click_and_wait(page, "#step-cosign button[type=submit]")
    expect(page.locator("#cosign-list")).to_contain_text("Odense Kommune")
    expect(page.locator("#cosigner-count")).to_have_text("1")
    assert CoSign.objects.get().note == "Vi har 40 lokaler"

    # An approved supplier partner pitches a solution to it.
    act_as(page, site, people.supplier_admin, f"/needs/{need.pk}/")
    with page.expect_navigation():
        page.locator(f"a[href='/pitches/new/?need={need.pk}']").click()
    page.fill("#pitch_title", "Booking med OS2-komponenter")
    page.fill("#pitch_text", "Vi har bygget booking til to kommuner.")
    page.check("#pitch_wants_meeting")
    click_and_wait(page, "main form button[type=submit]")
    pitch = Pitch.objects.get()
    expect(page.locator(f"#pitch-{pitch.pk}")).to_contain_text("Booking med OS2-komponenter")

    # The posting authority makes it a development request on OS2mo: a prefilled draft.
    act_as(page, site, people.authority_admin, f"/needs/{need.pk}/")
    page.select_option("#to_request_product", "os2mo")
    click_and_wait(page, "#step-to-request button[type=submit]")
    draft = DevelopmentRequest.objects.get()
    expect(page).to_have_url(f"{site}/development-requests/{draft.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value("Digital booking af lokaler")
    need.refresh_from_db()
    assert need.status == "request" and need.development_request == draft and draft.requester == people.authority


def test_a_coordination_group_calls_for_code_review_two_partners_offer_and_one_is_awarded(site, page: Page, people):
    product, coordinator = product_with_coordination()
    reviewer = second_reviewer()

    # The coordination group calls from the product's board.
    act_as(page, site, coordinator, f"/products/{product.slug}/development-requests/board/")
    with page.expect_navigation():
        page.locator("a[href='/calls/new/?product=os2mo']").click()
    page.check("input[name=kind][value=code-review]")
    page.fill("input[name=title]", "Code review af importmodulet")
    page.fill("textarea[name=description]", "Gennemgå importmodulet for sikkerhed og kvalitet.")
    page.fill("input[name=deadline]", (timezone.localdate() + timedelta(days=10)).isoformat())
    page.fill("input[name=budget_max_dkk]", "40.000")
    click_and_wait(page, "main form button[type=submit]")
    call = Call.objects.get()
    assert call.kind == "code-review" and call.budget_max_dkk == Decimal("40000.00")

    # Two partners offer: hours at the published rate, and a fixed price.
    act_as(page, site, people.supplier_admin, f"/calls/{call.pk}/")
    page.fill("#offer_hours", "20")
    page.fill("#offer_approach", "Statisk analyse og gennemlæsning.")
    click_and_wait(page, "#step-offer button[type=submit]")
    own = Offer.objects.get(supplier=people.supplier_org)
    assert own.price_dkk == Decimal("22000.00")  # 20 hours at 1.100 kr.
    act_as(page, site, reviewer, f"/calls/{call.pk}/")
    page.fill("#offer_price_dkk", "18.500")
    page.fill("#offer_approach", "Parreview med udviklerne.")
    click_and_wait(page, "#step-offer button[type=submit]")
    theirs = Offer.objects.get(supplier__slug="reviewhuset")
    # Sealed: the second partner sees only its own offer.
    expect(page.locator(f"#offer-{theirs.pk}")).to_be_visible()
    expect(page.locator(f"#offer-{own.pk}")).to_have_count(0)

    # The caller compares them side by side and awards the cheaper one.
    act_as(page, site, coordinator, f"/calls/{call.pk}/")
    expect(page.locator("#offer-table tbody tr")).to_have_count(2)
    page.check(f"input[name=offer][value='{theirs.pk}']")
    with page.expect_navigation():
        page.locator("#step-award button[type=submit]").click()
    # Before the award is made: the deadline has not passed, so offers may still come, and until when.
    expect(page.locator("#offers-may-come")).to_be_visible()
    expect(page.locator("#chosen-offer")).to_contain_text("Reviewhuset ApS")
    assert Call.objects.get(pk=call.pk).status == "open"
    click_and_wait(page, f"main form[method=post][action='/calls/{call.pk}/award/'] button[type=submit]")
    expect(page.locator("#awarded")).to_contain_text("Reviewhuset ApS")
    call.refresh_from_db()
    assert call.status == "awarded" and call.awarded_offer == theirs
