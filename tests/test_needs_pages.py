"""The needs pages through the test client: the needs board with search and filters, posting, co-signing and
moving a need along, pitches, calls with sealed offers and the award, donations, and the opportunities dashboard."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from os2hub.development.models import DevelopmentRequest
from os2hub.needs import services
from os2hub.needs.models import Call, CoSign, DigestSubscription, Donation, Need, Offer, Pitch
from os2hub.products.models import Product

from .test_needs import World as BaseWorld

pytestmark = pytest.mark.django_db

NEED = {
    "title": "Digital booking af lokaler",
    "problem": "Borgere ringer for at booke lokaler, og sagsbehandlere fører kalendere i regneark.",
    "who_has_it": "Kultur- og fritidsforvaltningen",
    "current_solutions": "Regneark og telefon.",
    "desired_outcome": "Borgere booker selv, og kalenderen er fælles.",
    "rough_value": "ca. 800 timer om året",
}


class World(BaseWorld):
    """The services' test world (a coordination group, a code-review partner, a hosting partner), with the
    pages' need."""

    def need(self, **changes) -> Need:
        return services.need_create(
            user=self.people.authority_admin, organisation=self.people.authority, data={**NEED, **changes}
        )


@pytest.fixture
def world(people):
    return World(people)


# --- The needs board --------------------------------------------------------------------------------------------


def test_the_board_lists_needs_for_everyone_with_search_status_and_cosigner_filters(world, client, people):
    booking = world.need()
    parking = world.need(title="Parkeringstilladelser", problem="Tilladelser udstedes på papir.")
    services.need_cosign(need=parking, user=people.authority2_admin, organisation=people.authority2)
    html = client.get("/needs/").content.decode()
    assert f'id="need-{booking.pk}"' in html and f'id="need-{parking.pk}"' in html
    html = client.get("/needs/?q=papir").content.decode()
    assert f'id="need-{parking.pk}"' in html and f'id="need-{booking.pk}"' not in html
    html = client.get("/needs/?cosigners=1").content.decode()
    assert f'id="need-{parking.pk}"' in html and f'id="need-{booking.pk}"' not in html
    services.need_clarify(need=booking, user=people.authority_admin)
    response = client.get("/needs/?status=clarifying", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'id="need-{booking.pk}"' in html and f'id="need-{parking.pk}"' not in html and "<html" not in html
    ordered = client.get("/needs/?sort=cosigners").context["page"].object_list
    assert [n.pk for n in ordered][:1] == [parking.pk]


def test_the_board_takes_the_same_number_of_queries_for_1_and_12_needs(
    world, client, people, django_assert_max_num_queries
):
    world.need()
    with CaptureQueriesContext(connection) as one:
        client.get("/needs/")
    for n in range(11):
        need = world.need(title=f"Behov {n}")
        services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/needs/")
    assert response.content.decode().count('<li id="need-') == 12


# --- Posting and co-signing -------------------------------------------------------------------------------------


def test_an_authority_posts_a_need_and_script_in_it_stays_text(world, login, people):
    client = login(people.authority_admin)
    response = client.post("/needs/new/", {**NEED, "problem": "Kalendere <script>alert(1)</script> i regneark."})
    need = Need.objects.get()
    assert response["Location"] == f"/needs/{need.pk}/"
    assert need.organisation == people.authority and need.status == "open"
    html = client.get(f"/needs/{need.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "Kalendere" in html
    # Posting follows the need.
    assert need.follows.filter(user=people.authority_admin).exists()


def test_a_need_missing_its_problem_shows_the_error_and_saves_nothing(world, login, people):
    response = login(people.authority_admin).post("/needs/new/", {**NEED, "problem": ""})
    assert response.status_code == 200 and "problem" in response.context["form"].errors
    assert not Need.objects.exists()


def test_suppliers_and_people_without_an_authority_do_not_post_needs(world, login, people):
    for user in (people.supplier_admin, people.outsider):
        response = login(user).post("/needs/new/", NEED)
        assert response.status_code == 302 and response["Location"] == "/needs/"
    assert not Need.objects.exists()


def test_another_authority_cosigns_once_and_the_poster_cannot(world, login, people):
    need = world.need()
    poster = login(people.authority_admin).get(f"/needs/{need.pk}/").content.decode()
    assert 'id="step-cosign"' not in poster
    other = login(people.authority2_admin)
    assert 'id="step-cosign"' in other.get(f"/needs/{need.pk}/").content.decode()
    other.post(f"/needs/{need.pk}/cosign/", {"note": "Vi har 40 lokaler"})
    cosign = CoSign.objects.get()
    assert cosign.organisation == people.authority2 and cosign.note == "Vi har 40 lokaler"
    response = other.post(f"/needs/{need.pk}/cosign/", {"note": "igen"}, follow=True)
    assert CoSign.objects.count() == 1 and response.status_code == 200
    assert 'id="step-cosign"' not in response.content.decode()
    other.post(f"/needs/{need.pk}/uncosign/", {"organisation": "odense"})
    assert not CoSign.objects.exists()


def test_the_poster_makes_the_need_a_prefilled_development_request(world, login, people):
    need = world.need()
    response = login(people.authority_admin).post(f"/needs/{need.pk}/to-request/", {"product": "os2mo"})
    draft = DevelopmentRequest.objects.get()
    assert response["Location"] == f"/development-requests/{draft.pk}/edit/"
    assert draft.title == NEED["title"] and NEED["problem"] in draft.description
    assert draft.requester == people.authority and draft.status == "draft"
    need.refresh_from_db()
    assert need.status == "request" and need.development_request == draft
    # Another authority cannot; a second click makes no second draft.
    login(people.authority2_admin).post(f"/needs/{need.pk}/to-request/", {"product": "os2mo"})
    login(people.authority_admin).post(f"/needs/{need.pk}/to-request/", {"product": "os2mo"})
    assert DevelopmentRequest.objects.count() == 1


def test_a_tender_link_inside_the_network_is_refused_on_its_field(world, login, people):
    need = world.need()
    client = login(people.authority_admin)
    response = client.post(f"/needs/{need.pk}/to-tender/", {"tender_url": "https://127.0.0.1/udbud"})
    assert response.status_code == 200 and "tender_url" in response.context["error_form"].errors
    need.refresh_from_db()
    assert need.status == "open"
    client.post(f"/needs/{need.pk}/to-tender/", {"tender_url": "https://udbud.dk/Pages/Tenders/ShowTender?tenderid=1"})
    need.refresh_from_db()
    assert need.status == "tender" and need.tender_url.startswith("https://udbud.dk/")


def test_closing_needs_a_reason_and_the_history_keeps_every_step(world, login, people):
    need = world.need()
    client = login(people.secretariat)
    response = client.post(f"/needs/{need.pk}/close/", {"comment": ""})
    assert response.status_code == 200 and "comment" in response.context["error_form"].errors
    client.post(f"/needs/{need.pk}/clarify/", {"comment": "Vi samler kommunerne"})
    client.post(f"/needs/{need.pk}/close/", {"comment": "Dækkes af et nationalt system"})
    need.refresh_from_db()
    assert need.status == "closed"
    assert list(need.events.values_list("to_status", flat=True)) == ["open", "clarifying", "closed"]
    assert login(people.authority2_admin).post(f"/needs/{need.pk}/clarify/").status_code == 302


# --- Pitches ----------------------------------------------------------------------------------------------------


def test_an_approved_partner_pitches_to_a_need_and_the_secretariat_marks_it(world, login, people):
    need = world.need()
    supplier = login(people.supplier_admin)
    assert "/pitches/new/?need=" in supplier.get(f"/needs/{need.pk}/").content.decode()
    supplier.post(
        "/pitches/new/",
        {
            "need": need.pk,
            "title": "Booking med OS2-komponenter",
            "text": "Vi har bygget booking til to kommuner.",
            "links": "https://github.com/os2/booking",
            "wants_meeting": "on",
        },
    )
    pitch = Pitch.objects.get()
    assert pitch.need == need and pitch.links == ["https://github.com/os2/booking"] and pitch.wants_meeting
    assert f'id="pitch-{pitch.pk}"' in login(people.authority2_admin).get(f"/needs/{need.pk}/").content.decode()
    login(people.secretariat).post(f"/pitches/{pitch.pk}/mark/")
    pitch.refresh_from_db()
    assert pitch.marked_for_meeting_at is not None
    assert f'id="pitch-{pitch.pk}"' in login(people.outsider).get("/pitches/?marked=1").content.decode()


def test_a_supplier_that_is_not_approved_cannot_pitch(world, login, people):
    response = login(people.new_supplier_admin).post("/pitches/new/", {"title": "X", "text": "Y"})
    assert response["Location"] == "/pitches/" and not Pitch.objects.exists()


# --- Calls and offers -------------------------------------------------------------------------------------------


def test_the_coordination_group_calls_for_code_review_two_partners_offer_and_one_is_awarded(
    world, login, people, django_capture_on_commit_callbacks, mailoutbox
):
    coordinator = login(world.coordinator)
    deadline = timezone.localdate() + timedelta(days=10)
    coordinator.post(
        "/calls/new/?product=os2mo",
        {
            "product": "os2mo",
            "kind": "code-review",
            "title": "Code review af importmodulet",
            "description": "Gennemgå importmodulet.",
            "deadline": deadline.isoformat(),
            "budget_max_dkk": "40.000",
        },
    )
    call = Call.objects.get()
    assert call.group == world.group and str(call.budget_max_dkk) == "40000.00"

    # The hosting partner has no matching competence: no offer form.
    assert 'id="step-offer"' not in login(world.host_admin).get(f"/calls/{call.pk}/").content.decode()
    login(people.supplier_admin).post(
        f"/calls/{call.pk}/offer/", {"hours": "20", "approach": "Statisk analyse og gennemlæsning."}
    )
    login(world.reviewer_admin).post(f"/calls/{call.pk}/offer/", {"price_dkk": "18.500", "approach": "Parreview."})
    first, second = Offer.objects.order_by("price_dkk")
    assert (first.supplier, str(first.price_dkk)) == (world.reviewer_org, "18500.00")
    assert (second.supplier, str(second.price_dkk)) == (people.supplier_org, "22000.00")  # 20 h × 1.100 kr.

    # Sealed: each supplier sees its own offer only; anonymous none; the caller all.
    reviewer_page = login(world.reviewer_admin).get(f"/calls/{call.pk}/").content.decode()
    assert f'id="offer-{first.pk}"' in reviewer_page and f'id="offer-{second.pk}"' not in reviewer_page
    login(people.outsider)
    assert 'id="offer-' not in login(people.outsider).get(f"/calls/{call.pk}/").content.decode()
    caller_page = login(world.coordinator).get(f"/calls/{call.pk}/").content.decode()
    assert f'id="offer-{first.pk}"' in caller_page and f'id="offer-{second.pk}"' in caller_page

    # Someone else cannot award; the caller awards once.
    assert login(people.authority_admin).post(f"/calls/{call.pk}/award/", {"offer": first.pk}).status_code == 403
    assert login(people.authority_admin).get(f"/calls/{call.pk}/award/", {"offer": first.pk}).status_code == 403
    # Choosing the offer leads to the confirmation; only its form awards.
    confirm = login(world.coordinator).get(f"/calls/{call.pk}/award/", {"offer": first.pk})
    assert confirm.status_code == 200 and confirm.templates[0].name == "needs/call_award_confirm.html"
    assert Call.objects.get(pk=call.pk).status == "open"
    with django_capture_on_commit_callbacks(execute=True):
        login(world.coordinator).post(f"/calls/{call.pk}/award/", {"offer": first.pk, "confirm": "yes"})
    call.refresh_from_db()
    assert call.status == "awarded" and call.awarded_offer == first
    assert {tuple(m.to) for m in mailoutbox} >= {(world.reviewer_admin.email,)}
    login(world.coordinator).post(f"/calls/{call.pk}/award/", {"offer": second.pk, "confirm": "yes"}, follow=True)
    call.refresh_from_db()
    assert call.awarded_offer == first
    # The award is public.
    public = login(people.outsider).get(f"/calls/{call.pk}/").content.decode()
    assert f'id="offer-{first.pk}"' in public and f'id="offer-{second.pk}"' not in public
    assert world.reviewer_org.name in public


def test_an_offer_after_the_deadline_is_refused_and_the_call_says_it_waits_for_the_award(world, login, people):
    call = world.call()
    Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client = login(people.supplier_admin)
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert 'id="step-offer"' not in page and "Fristen er overskredet" in page
    assert "Fristen er overskredet" in client.get("/calls/").content.decode()
    client.post(f"/calls/{call.pk}/offer/", {"price_dkk": "1000", "approach": "For sent."})
    assert not Offer.objects.exists()


def test_a_call_with_a_past_deadline_or_upside_down_budget_is_refused_on_its_fields(world, login):
    client = login(world.coordinator)
    response = client.post(
        "/calls/new/?product=os2mo",
        {
            "product": "os2mo",
            "kind": "hosting",
            "title": "Hosting",
            "description": "Drift af produktet.",
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "budget_min_dkk": "50000",
            "budget_max_dkk": "10000",
        },
    )
    assert response.status_code == 200 and "deadline" in response.context["form"].errors
    assert not Call.objects.exists()


def test_the_calls_list_filters_by_kind_and_status(world, client):
    review, hosting = world.call(), world.call(kind="hosting")
    html = client.get("/calls/?kind=hosting").content.decode()
    assert f'id="call-{hosting.pk}"' in html and f'id="call-{review.pk}"' not in html
    assert client.get("/calls/?status=awarded").context["page"].paginator.count == 0
    other = Product.objects.create(name="OS2iot", slug="os2iot", summary="x", status="product")
    assert client.get(f"/calls/?product={other.slug}").context["page"].paginator.count == 0
    assert client.get("/calls/?product=os2mo").context["page"].paginator.count == 2
    assert "/calls/?product=os2mo" in client.get("/products/os2mo/").content.decode()


# --- Donations --------------------------------------------------------------------------------------------------


def test_an_authority_donates_and_the_secretariat_makes_it_a_sandbox_product(world, login, people):
    client = login(people.authority_admin)
    response = client.post(
        "/donations/new/",
        {
            "name": "Lokalebooking",
            "repository_url": "https://github.com/aarhus/lokalebooking",
            "licence": "mpl-2.0",
            "description": "Booking af kommunale lokaler.",
            "users": "Aarhus Kommunes kulturforvaltning",
        },
    )
    donation = Donation.objects.get()
    assert response["Location"] == f"/donations/{donation.pk}/" and donation.licence == "MPL-2.0"
    assert login(people.authority2_admin).get(f"/donations/{donation.pk}/").status_code == 404
    response = login(people.secretariat).post(f"/donations/{donation.pk}/accept/")
    product = Product.objects.get(name="Lokalebooking")
    assert response["Location"] == product.get_absolute_url()
    assert product.status == "sandbox" and product.repositories.get().url == donation.repository_url


def test_a_donation_under_a_licence_that_is_not_open_source_is_refused(world, login, people):
    response = login(people.authority_admin).post(
        "/donations/new/",
        {
            "name": "Lukket",
            "repository_url": "https://github.com/aarhus/lukket",
            "licence": "CC-BY-NC-4.0",
            "description": "x",
            "users": "y",
        },
    )
    assert response.status_code == 200 and "licence" in response.context["form"].errors
    assert not Donation.objects.exists()


# --- The dashboard ----------------------------------------------------------------------------------------------


def test_a_supplier_sees_the_opportunities_matching_its_competences_and_takes_the_weekly_email(world, login, people):
    review, hosting = world.call(), world.call(kind="hosting")
    need = world.need()
    client = login(world.reviewer_admin)
    # The opportunities live on the personal overview now; the old address leads there.
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain == [("/overblik/", 302)]
    html = response.content.decode()
    assert f"/calls/{review.pk}/" in html and f"/calls/{hosting.pk}/" not in html and f"/needs/{need.pk}/" in html
    client.post("/dashboard/digest/", {"weekly": "1"})
    assert DigestSubscription.objects.get(user=world.reviewer_admin).organisation == world.reviewer_org
    client.post("/dashboard/digest/", {"weekly": "0"})
    assert not DigestSubscription.objects.exists()


def test_an_authority_sees_its_needs_cosigns_and_calls(world, login, people):
    ours = world.need()
    theirs = services.need_create(
        user=people.authority2_admin, organisation=people.authority2, data={**NEED, "title": "Odenses behov"}
    )
    services.need_cosign(need=theirs, user=people.authority_admin, organisation=people.authority)
    html = login(people.authority_admin).get("/overblik/").content.decode()
    assert f"/needs/{ours.pk}/" in html and f"/needs/{theirs.pk}/" in html


def test_odd_addresses_and_input_get_a_page_or_a_404_never_a_server_error(world, client, login, people):
    need = world.need()
    call = world.call()
    anonymous_gets = [
        "/needs/?side=abc&cosigners=banan&status=<script>&category=xy&sort=zzz",
        "/calls/?kind=<script>&status=nope&side=-1",
        "/pitches/?marked=1&side=999",
        f"/needs/{need.pk}/",
        f"/calls/{call.pk}/",
    ]
    for url in anonymous_gets:
        assert client.get(url).status_code == 200, url
    # A NUL character is refused at the edge with the styled 400 page.
    for url in ("/needs/?category=x%00y", "/needs/?q=%00"):
        assert client.get(url).status_code == 400, url
    assert client.get("/needs/999999/").status_code == 404
    assert client.get("/calls/999999/").status_code == 404
    authority = login(people.authority_admin)
    assert authority.get("/calls/new/").status_code == 200  # without a target: choose one (tests/test_dead_ends.py)
    for url in ("/calls/new/?product=findes-ikke", "/calls/new/?need=abc"):
        assert authority.get(url).status_code == 404, url
    assert authority.get("/pitches/new/").status_code == 302  # an authority does not pitch
    assert authority.post(f"/needs/{need.pk}/fly-away/").status_code == 404
    assert authority.post(f"/needs/{need.pk}/uncosign/", {"organisation": "findes-ikke"}).status_code == 404
    assert authority.post(f"/needs/{need.pk}/to-product/", {"product": "findes-ikke"}).status_code == 200
    assert authority.post(f"/calls/{call.pk}/award/", {"offer": "abc"}).status_code == 403
    coordinator = login(world.coordinator)
    assert coordinator.post(f"/calls/{call.pk}/award/", {"offer": "abc"}).status_code == 200
    assert coordinator.post(f"/calls/{call.pk}/award/", {}).status_code == 200
    supplier = login(people.supplier_admin)
    assert supplier.get("/pitches/new/?need=1x").status_code == 404
    assert supplier.get("/pitches/new/?need=999999").status_code == 404
    response = supplier.post(f"/calls/{call.pk}/offer/", {"price_dkk": "1,001", "approach": "x"})
    assert response.status_code == 200 and "price_dkk" in response.context["error_form"].errors
    response = supplier.post(f"/calls/{call.pk}/offer/", {"price_dkk": "-5", "approach": "x"})
    assert response.status_code == 200 and not Offer.objects.exists()
    secretariat = login(people.secretariat)
    assert secretariat.post("/donations/424242/accept/").status_code == 404
    assert need.events.count() == 1 and Call.objects.get().status == "open"


def test_a_member_of_two_authorities_chooses_on_whose_behalf_to_post_and_cosign(world, login, people):
    Membership = people.authority_admin.memberships.model
    Membership.objects.create(user=people.authority_admin, organisation=people.authority2, role="member")
    client = login(people.authority_admin)
    assert 'name="organisation"' in client.get("/needs/new/").content.decode()
    client.post("/needs/new/", {**NEED, "organisation": "odense"})
    need = Need.objects.get()
    assert need.organisation == people.authority2
    # As the other of the two, the same person co-signs for Aarhus (the only one left to choose).
    client.post(f"/needs/{need.pk}/cosign/", {"note": "Også Aarhus"})
    assert list(CoSign.objects.values_list("organisation__slug", flat=True)) == ["aarhus"]
    response = client.post("/needs/new/", {**NEED, "organisation": "findes-ikke"})
    assert "organisation" in response.context["form"].errors and Need.objects.count() == 1
