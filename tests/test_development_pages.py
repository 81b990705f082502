"""Development request pages through the test client: the lists, filing and qualifying a request, its page with
the steps each person may take, the board, and a draft made from a criterion the product misses."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from os2hub.development import services
from os2hub.development.models import DevelopmentRequest, Pledge, RequestEvent, Sprint
from os2hub.products.models import Product

from .test_development import COMPLETE, STORY
from .test_development import World as BaseWorld

pytestmark = pytest.mark.django_db


class World(BaseWorld):
    """The services' test world, taken further along the way for the pages."""

    def funding(self):
        request, estimate = self.estimated("community")
        services.funding_open(request=request, user=self.coordinator, estimate=estimate)
        request.refresh_from_db()
        return request, estimate

    def ordered(self, funding="requester"):
        request, estimate = self.estimated(funding)
        services.request_order(request=request, user=self.people.authority_admin, estimate=estimate)
        request.refresh_from_db()
        return request

    def in_progress(self):
        request = self.ordered()
        services.request_start(request=request, user=self.people.supplier_admin)
        return request

    def delivered(self):
        request = self.in_progress()
        services.request_deliver(request=request, user=self.people.supplier_admin)
        return request


@pytest.fixture
def world(people):
    return World(people)


def detail(r):
    return f"/development-requests/{r.pk}/"


def step(r, name):
    return f"/development-requests/{r.pk}/{name}/"


def status_of(r):
    return DevelopmentRequest.objects.get(pk=r.pk).status


# --- Lists -----------------------------------------------------------------------------------------------------


def test_the_list_shows_submitted_requests_to_everyone_and_drafts_only_to_their_requester(world, client, login):
    submitted = world.submitted(title="Indsendt ønske")
    draft = world.request(title="Kladde til ønske")
    page = client.get("/development-requests/").content.decode()
    assert detail(submitted) in page and detail(draft) not in page
    page = login(world.people.authority_admin).get("/development-requests/").content.decode()
    assert detail(submitted) in page and detail(draft) in page


def test_the_list_filters_by_product_status_and_funding(world, client):
    requester = world.submitted("requester", title="Betalt af Aarhus")
    community = world.submitted("community", title="Betalt af fællesskabet")
    other = Product.objects.create(name="OS2rollekatalog", slug="os2rollekatalog", summary="x", status="product")
    elsewhere = services.request_submit(
        request=services.request_create(
            user=world.people.authority_admin,
            organisation=world.people.authority,
            product=other,
            data={**COMPLETE, "title": "Andet produkt", "funding": "requester"},
        ),
        user=world.people.authority_admin,
    )
    page = client.get("/development-requests/?funding=community").content.decode()
    assert detail(community) in page and detail(requester) not in page
    page = client.get("/development-requests/?product=os2rollekatalog").content.decode()
    assert detail(elsewhere) in page and detail(community) not in page
    page = client.get("/development-requests/?status=estimated").content.decode()
    assert detail(community) not in page
    page = client.get("/products/os2mo/development-requests/").content.decode()
    assert detail(requester) in page and detail(community) in page and detail(elsewhere) not in page


def test_an_htmx_filter_gets_only_the_results(world, client):
    world.submitted(title="Indsendt ønske")
    response = client.get("/development-requests/?status=submitted", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Indsendt ønske" in html and "<html" not in html and "<form" not in html


def test_the_list_takes_the_same_number_of_queries_for_1_and_10_requests(
    world, client, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.submitted(title="Ønske 0")
    login(world.people.authority2_admin)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/development-requests/").status_code == 200
    for n in range(1, 10):
        world.estimated("community") if n % 3 == 0 else world.submitted(title=f"Ønske {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/development-requests/")
    assert response.content.decode().count('href="/development-requests/') >= 10


def test_the_list_is_paginated_25_a_page(world, client):
    for n in range(26):
        world.submitted(title=f"Ønske nummer {n}")
    first = client.get("/development-requests/").content.decode()
    second = client.get("/development-requests/?side=2").content.decode()
    assert first.count("Ønske nummer") == 25 and second.count("Ønske nummer") == 1


# --- Filing and qualifying -------------------------------------------------------------------------------------


def test_an_authority_files_a_draft_and_submits_it(world, login):
    client = login(world.people.authority_admin)
    assert client.get("/products/os2mo/development-requests/new/").status_code == 200
    response = client.post(
        "/products/os2mo/development-requests/new/",
        {"title": "Eksport til CSV", "description": "", "user_stories": "", "funding": ""},
    )
    draft = DevelopmentRequest.objects.get(title="Eksport til CSV")
    assert draft.status == "draft" and draft.requester == world.people.authority
    assert response["Location"] == f"/development-requests/{draft.pk}/edit/"

    # Submitting an incomplete draft shows what is missing on its fields.
    response = client.post(f"/development-requests/{draft.pk}/edit/", {"title": "Eksport til CSV", "action": "submit"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"description", "user_stories", "acceptance_criteria", "documentation_requirements", "funding"} <= set(
        form.errors
    )
    assert 'id="error-summary"' in response.content.decode()
    assert status_of(draft) == "draft"

    response = client.post(
        f"/development-requests/{draft.pk}/edit/",
        {
            **COMPLETE,
            "title": "Eksport til CSV",
            "user_stories": STORY + "\n\n",
            "acceptance_criteria": "Eksporten har alle kolonner\nFilen åbner i Excel",
            "funding": "community",
            "action": "submit",
        },
    )
    assert response["Location"] == detail(draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.acceptance_criteria == ["Eksporten har alle kolonner", "Filen åbner i Excel"]
    # Submitted: the text is fixed, the edit page is gone.
    assert client.get(f"/development-requests/{draft.pk}/edit/").status_code == 404


def test_a_user_story_not_in_the_form_is_shown_on_its_field(world, login):
    client = login(world.people.authority_admin)
    response = client.post(
        "/products/os2mo/development-requests/new/", {"title": "Et ønske", "user_stories": "Vi vil have mere"}
    )
    assert response.status_code == 200 and "user_stories" in response.context["form"].errors
    assert not DevelopmentRequest.objects.exists()


def test_the_submit_button_on_the_page_shows_what_is_missing(world, login):
    draft = world.request(funding="", documentation_requirements="")
    response = login(world.people.authority_admin).post(step(draft, "submit"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"funding", "documentation_requirements"}
    assert status_of(draft) == "draft"


def test_a_member_of_several_organisations_chooses_which_files_the_request(world, login, people):
    from .personas import member

    member(people.authority_admin, people.supplier_org, role="member")
    client = login(people.authority_admin)
    response = client.get("/products/os2mo/development-requests/new/")
    assert 'name="organisation"' in response.content.decode()
    client.post(
        "/products/os2mo/development-requests/new/",
        {"title": "Fra leverandøren", "organisation": people.supplier_org.pk},
    )
    assert DevelopmentRequest.objects.get(title="Fra leverandøren").requester == people.supplier_org


def test_people_without_an_organisation_cannot_file_requests(world, login, client):
    assert client.get("/products/os2mo/development-requests/new/").status_code == 302  # to the login
    assert login(world.people.outsider).get("/products/os2mo/development-requests/new/").status_code == 403


def test_a_draft_is_404_for_everyone_but_its_requester_and_the_secretariat(world, login, client, people):
    draft = world.request()
    assert client.get(detail(draft)).status_code == 404
    for person in (people.authority2_admin, people.supplier_admin, people.outsider, world.coordinator):
        assert login(person).get(detail(draft)).status_code == 404
        assert login(person).get(f"/development-requests/{draft.pk}/edit/").status_code == 404
    assert login(people.secretariat).get(detail(draft)).status_code == 200
    assert login(people.secretariat).get(f"/development-requests/{draft.pk}/edit/").status_code == 404
    assert login(people.authority_admin).get(detail(draft)).status_code == 200


# --- The request's page and its steps ---------------------------------------------------------------------------


def test_the_page_shows_the_request_and_its_estimates(world, client):
    request, estimate = world.estimated("community", hours="12.5")
    response = client.get(detail(request))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Samlet sagsoverblik" in html and STORY in html and "Kodekammeret ApS" in html
    assert f'id="estimate-{estimate.pk}"' in html
    assert response.context["forms"] == {}  # anonymous: nothing to do


def test_a_supplier_partner_estimates_at_its_published_rate(world, login, people):
    request = world.submitted()
    client = login(people.supplier_admin)
    page = client.get(detail(request)).content.decode()
    assert 'placeholder="950.00"' in page  # the published rate
    response = client.post(step(request, "estimate"), {"hours": "20", "reviewer": "Intern review"})
    assert response["Location"] == detail(request)
    estimate = request.estimates.get()
    assert estimate.price_dkk == Decimal("19000.00") and estimate.hourly_rate_dkk == Decimal("950.00")
    assert status_of(request) == "estimated"


def test_an_estimate_with_bad_hours_is_shown_with_its_error(world, login, people):
    request = world.submitted()
    response = login(people.supplier_admin).post(step(request, "estimate"), {"hours": "ti timer"})
    assert response.status_code == 200 and "hours" in response.context["error_form"].errors
    assert 'id="error-summary"' in response.content.decode()
    assert status_of(request) == "submitted"


def test_a_supplier_that_is_not_a_partner_gets_no_estimate_form(world, login, people):
    request = world.submitted()
    client = login(people.new_supplier_admin)
    assert "estimate" not in client.get(detail(request)).context["forms"]
    assert client.post(step(request, "estimate"), {"hours": "10"}).status_code == 403
    assert not request.estimates.exists()


def test_the_requester_orders_a_chosen_estimate(world, login, people):
    request, estimate = world.estimated("requester")
    client = login(people.authority_admin)
    assert "order" in client.get(detail(request)).context["forms"]
    response = client.post(step(request, "order"), {"estimate": estimate.pk})
    assert response["Location"] == detail(request)
    request.refresh_from_db()
    assert request.status == "ordered" and request.chosen_estimate == estimate
    assert request.price_dkk == estimate.price_dkk


def test_the_coordination_group_opens_funding_and_authorities_pledge_it_to_ordered(world, login, people):
    request, estimate = world.estimated("community")
    client = login(world.coordinator)
    assert "open_funding" in client.get(detail(request)).context["forms"]
    client.post(step(request, "open-funding"), {"estimate": estimate.pk})
    assert status_of(request) == "funding"

    client = login(people.authority_admin)
    page = client.get(detail(request))
    assert "pledge" in page.context["forms"] and "<progress" in page.content.decode()
    client.post(step(request, "pledge"), {"amount_dkk": "4.000,00"})
    client = login(people.authority2_admin)
    response = client.post(step(request, "pledge"), {"amount_dkk": "5500"})
    assert response["Location"] == detail(request)
    request.refresh_from_db()
    assert request.status == "ordered" and request.pledged_dkk == Decimal("9500.00")
    assert sorted(request.pledges.values_list("organisation__slug", flat=True)) == ["aarhus", "odense"]


def test_a_pledge_above_what_remains_is_refused(world, login, people):
    request, _estimate = world.funding()  # 10 hours at 950 kr.
    client = login(people.authority_admin)
    response = client.post(step(request, "pledge"), {"amount_dkk": "10000"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Pledge.objects.exists()
    response = client.post(step(request, "pledge"), {"amount_dkk": "-5"})  # bad input: on its field
    assert response.status_code == 200 and "amount_dkk" in response.context["error_form"].errors
    assert not Pledge.objects.exists()


def test_an_authority_withdraws_its_own_pledge_but_not_another_ones(world, login, people):
    request, _estimate = world.funding()
    pledge = services.pledge_create(
        request=request, user=people.authority_admin, organisation=people.authority, amount="1000"
    )
    url = f"/development-requests/{request.pk}/pledges/{pledge.pk}/withdraw/"
    assert login(people.authority2_admin).post(url).status_code == 403
    page = login(people.authority_admin).get(detail(request)).content.decode()
    assert url in page
    login(people.authority_admin).post(url)
    pledge.refresh_from_db()
    assert pledge.withdrawn_at is not None
    assert DevelopmentRequest.objects.get(pk=request.pk).pledged_dkk == 0
    # A second time: a message, not an error page.
    response = login(people.authority_admin).post(url, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])


def test_the_coordination_group_starts_the_work_in_a_sprint(world, login, people):
    request = world.ordered()
    sprint = Sprint.objects.create(
        product=world.product, name="Sprint 7", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 13)
    )
    client = login(world.coordinator)
    assert "start" in client.get(detail(request)).context["forms"]
    client.post(step(request, "start"), {"sprint": sprint.pk})
    request.refresh_from_db()
    assert request.status == "in_progress" and request.sprint == sprint


def test_the_supplier_delivers_and_the_requester_accepts_against_the_checklist(world, login, people):
    request = world.in_progress()
    login(people.supplier_admin).post(step(request, "deliver"), {"comment": "Klar til test"})
    assert status_of(request) == "delivered"
    client = login(people.authority_admin)
    response = client.post(step(request, "accept"), {"acceptance_results": ["0"]})  # one of two ticked
    assert response.status_code == 200 and "acceptance_results" in response.context["error_form"].errors
    assert status_of(request) == "delivered"
    client.post(step(request, "accept"), {"acceptance_results": ["0", "1"]})
    assert status_of(request) == "accepted"


def test_sending_back_needs_a_comment(world, login, people):
    request = world.delivered()
    client = login(people.authority_admin)
    response = client.post(step(request, "send-back"), {"comment": ""})
    assert response.status_code == 200 and "comment" in response.context["error_form"].errors
    client.post(step(request, "send-back"), {"comment": "Eksporten mangler kolonnen CPR"})
    assert status_of(request) == "in_progress"
    assert RequestEvent.objects.filter(request=request, comment="Eksporten mangler kolonnen CPR").exists()


def test_the_coordination_group_rejects_with_a_reason(world, login):
    request = world.submitted()
    client = login(world.coordinator)
    response = client.post(step(request, "reject"), {"comment": ""})
    assert response.status_code == 200 and status_of(request) == "submitted"
    client.post(step(request, "reject"), {"comment": "Hører hjemme i et andet produkt"})
    assert status_of(request) == "rejected"


def test_the_requester_withdraws_the_request(world, login, people):
    request = world.submitted()
    assert login(people.authority2_admin).post(step(request, "withdraw")).status_code == 403
    login(people.authority_admin).post(step(request, "withdraw"))
    assert status_of(request) == "withdrawn"


def test_a_step_that_no_longer_fits_is_a_message_not_an_error_page(world, login, people):
    request = world.submitted()
    services.request_withdraw(request=request, user=people.authority_admin)
    response = login(world.coordinator).post(step(request, "reject"), {"comment": "For sent"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert status_of(request) == "withdrawn"


def test_an_unknown_step_is_404(world, login, people):
    request = world.submitted()
    assert login(people.authority_admin).post(step(request, "explode")).status_code == 404


def test_the_history_shows_who_did_what(world, client):
    request, _estimate = world.estimated()
    html = client.get(detail(request)).content.decode()
    assert html.count('id="event-') == 3  # draft, submitted, estimated
    assert "Kommune Karlsen" in html and "Lene Leverandør" in html


# --- The board ---------------------------------------------------------------------------------------------------


def test_the_board_has_a_column_per_status_and_filters_by_sprint(world, client, login):
    ordered = world.ordered()
    started = world.ordered()
    sprint = Sprint.objects.create(
        product=world.product, name="Sprint 1", starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    services.request_start(request=started, user=world.coordinator, sprint=sprint)
    funding, _estimate = world.funding()
    response = client.get("/products/os2mo/development-requests/board/")
    columns = {column["status"]: [r.pk for r in column["cards"]] for column in response.context["columns"]}
    assert columns["ordered"] == [ordered.pk] and columns["in_progress"] == [started.pk]
    assert columns["funding"] == [funding.pk]
    response = client.get(
        f"/products/os2mo/development-requests/board/?sprint={sprint.pk}", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert f'id="card-{started.pk}"' in html and f'id="card-{ordered.pk}"' not in html and "<html" not in html


def test_a_board_column_shows_its_newest_cards_and_links_to_the_rest(
    world, client, monkeypatch, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from os2hub.development import views

    monkeypatch.setattr(views, "BOARD_CARDS", 2)
    first = world.ordered()
    with CaptureQueriesContext(connection) as one:
        client.get("/products/os2mo/development-requests/board/")
    second, third = world.ordered(), world.ordered()
    world.funding()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/products/os2mo/development-requests/board/")
    column = next(c for c in response.context["columns"] if c["status"] == "ordered")
    assert [r.pk for r in column["cards"]] == [third.pk, second.pk] and column["count"] == 3
    html = response.content.decode()
    assert f'id="card-{first.pk}"' not in html
    assert "De nyeste 2 af 3 vises" in html
    assert 'href="/products/os2mo/development-requests/?status=ordered"' in html
    listed = client.get("/products/os2mo/development-requests/?status=ordered").content.decode()
    assert f'href="/development-requests/{first.pk}/"' in listed


def test_the_coordination_group_adds_a_sprint_on_the_board(world, login, people):
    client = login(world.coordinator)
    today = timezone.localdate()
    client.post(
        "/products/os2mo/development-requests/sprints/",
        {"name": "Sprint 2", "starts_on": today, "ends_on": today + timedelta(days=13)},
    )
    assert Sprint.objects.filter(product=world.product, name="Sprint 2").exists()
    response = client.post(
        "/products/os2mo/development-requests/sprints/",
        {"name": "Sprint 2", "starts_on": today, "ends_on": today},
    )
    assert response.status_code == 200 and "name" in response.context["sprint_form"].errors
    assert login(people.authority_admin).post("/products/os2mo/development-requests/sprints/").status_code == 403


# --- From a gap to a request --------------------------------------------------------------------------------------


def test_a_blocking_criterion_becomes_a_prefilled_draft(world, login, people):
    from os2hub.governance.models import Criterion

    criterion = Criterion.objects.order_by("pk").first()
    response = login(people.authority_admin).post(
        f"/products/os2mo/development-requests/from-criterion/{criterion.code}/"
    )
    draft = DevelopmentRequest.objects.get()
    assert response["Location"] == f"/development-requests/{draft.pk}/edit/"
    assert draft.status == "draft" and draft.requester == people.authority and criterion.code in draft.title
    assert len(draft.acceptance_criteria) == 1 and criterion.code in draft.acceptance_criteria[0]
    assert (
        login(people.outsider)
        .post(f"/products/os2mo/development-requests/from-criterion/{criterion.code}/")
        .status_code
        == 302
    )
    assert DevelopmentRequest.objects.count() == 1
    assert (
        login(people.authority_admin).post("/products/os2mo/development-requests/from-criterion/NOPE/").status_code
        == 404
    )


def test_the_level_page_offers_a_request_per_blocking_criterion(world, login, people):
    html = login(people.authority_admin).get("/products/os2mo/level/").content.decode()
    assert "/products/os2mo/development-requests/from-criterion/" in html
    assert "/products/os2mo/development-requests/from-criterion/" in (
        login(people.supplier_admin).get("/products/os2mo/level/").content.decode()
    )
    # The secretariat (its own organisation) and people without one file no requests: no button that would fail.
    for nobody in (people.outsider, people.secretariat):
        assert (
            "/development-requests/from-criterion/" not in login(nobody).get("/products/os2mo/level/").content.decode()
        )


def test_the_product_page_links_to_its_requests_and_board(world, client):
    html = client.get("/products/os2mo/").content.decode()
    assert "/products/os2mo/development-requests/" in html and "/products/os2mo/development-requests/board/" in html


def test_the_edit_page_shows_the_draft(world, login, people):
    draft = world.request()
    response = login(people.authority_admin).get(f"/development-requests/{draft.pk}/edit/")
    assert response.context["form"]["title"].value() == "Samlet sagsoverblik"
    assert "Siden loader på under et sekund" in response.content.decode()
