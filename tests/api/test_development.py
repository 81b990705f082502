"""Development requests through the API: filing and qualifying, estimates, the requester-pays and the
community-pays paths to an accepted delivery, and the input and steps the API refuses."""

from datetime import date, timedelta

import pytest
from django.core import mail

from os2hub.accounts.models import Membership
from os2hub.accounts.services import api_token_issue
from os2hub.development import services
from os2hub.development.getters import ESTIMATING_COMPETENCE
from os2hub.development.models import DevelopmentRequest, Pledge
from os2hub.products.models import Group, GroupMember, Product
from os2hub.suppliers.selectors import approved_partnership
from tests.personas import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

BASE = "/api/v1/development-requests"
SLUG = "os2sagsbehandling"
STORY = "Som sagsbehandler ønsker jeg at eksportere en sag, således at jeg kan sende den til borgeren"
CRITERIA = ["Eksporten giver én PDF", "PDF'en indeholder alle bilag"]


def valid(**changes):
    data = {
        "product": SLUG,
        "title": "Eksport af sager til PDF",
        "description": "Sagsbehandlere skal kunne eksportere en sag til PDF, fordi borgere beder om den.",
        "user_stories": [STORY],
        "acceptance_criteria": CRITERIA,
        "documentation_requirements": "Brugervejledningen beskriver eksporten.",
        "funding": "requester",
    }
    data.update(changes)
    return data


class Api:
    """The test client as one user, with their token (or anonymous, with user None)."""

    def __init__(self, client, user):
        self.client = client
        self.headers = {}
        if user is not None:
            _token, raw = api_token_issue(user=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path, data=None):
        return self.client.post(path, data or {}, content_type="application/json", **self.headers)

    def patch(self, path, data):
        return self.client.patch(path, data, content_type="application/json", **self.headers)

    def delete(self, path):
        return self.client.delete(path, **self.headers)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(client):
    return lambda user=None: Api(client, user)


@pytest.fixture
def coordinator(people):
    return UserFactory(email="koordinator@example.dk", name="Koordinator Kim")


@pytest.fixture
def product(people, coordinator):
    p = Product.objects.create(name="OS2sagsbehandling", slug=SLUG, summary="Sager.", coordinator=coordinator)
    group = Group.objects.create(product=p, kind="coordination_group", name="Koordinationsgruppen")
    GroupMember.objects.create(group=group, user=coordinator)
    return p


@pytest.fixture
def requester(api, people, product):
    return api(people.authority_admin)


@pytest.fixture
def supplier(api, people):
    return api(people.supplier_admin)


def file(requester, **changes) -> dict:
    response = requester.post(BASE, valid(**changes))
    assert response.status_code == 201, response.json()
    return response.json()


def step(actor, request_id, to, expect=200, **data):
    response = actor.post(f"{BASE}/{request_id}/transition", {"to": to, **data})
    assert response.status_code == expect, response.json()
    return response.json()


def estimated(requester, supplier, **changes) -> tuple[dict, dict]:
    """A submitted request with the supplier's estimate: 10 hours at the published 950 kr. = 9,500 kr."""
    request = file(requester, **changes)
    step(requester, request["id"], "submitted")
    response = supplier.post(f"{BASE}/{request['id']}/estimates", {"hours": 10, "reviewer": "Kodegennemgang ApS"})
    assert response.status_code == 201, response.json()
    return request, response.json()


@pytest.fixture
def funding(api, people, requester, supplier, coordinator):
    """A community-paid request open for funding at 9,500 kr."""
    request, estimate = estimated(requester, supplier, funding="community")
    step(api(coordinator), request["id"], "funding", estimate=estimate["id"], comment="Prioriteret i Q1.")
    return request


def pledge(actor, request_id, amount, expect=201, **data):
    response = actor.post(f"{BASE}/{request_id}/pledges", {"amount_dkk": amount, **data})
    assert response.status_code == expect, response.json()
    return response.json()


# --- The two paths ------------------------------------------------------------------------------------------------


def test_the_requester_pays_path_from_draft_to_accepted(
    api, people, requester, supplier, product, coordinator, django_capture_on_commit_callbacks
):
    created = requester.post(BASE, valid())
    assert created.status_code == 201, created.json()
    request = created.json()
    assert request["status"] == "draft"
    assert request["product"] == SLUG
    assert request["requester"] == {"slug": "aarhus", "name": "Aarhus Kommune"}
    assert request["user_stories"] == [STORY]
    assert request["acceptance_criteria"] == CRITERIA
    assert request["funding"] == "requester"
    assert request["missing"] == []
    assert request["price_dkk"] is None and request["pledged_dkk"] == 0 and request["pledges"] == []
    rid = request["id"]

    submitted = step(requester, rid, "submitted")
    assert submitted["status"] == "submitted" and submitted["submitted_at"]

    response = supplier.post(
        f"{BASE}/{rid}/estimates",
        {
            "hours": "12.5",
            "start_conditions": "Adgang til testmiljø.",
            "critical_integrations": "SBSYS",
            "code_location": "I produktets repository, som et nyt modul.",
            "reviewer": "Kodegennemgang ApS",
            "review_cost_dkk": 1500,
            "valid_until": str(date.today() + timedelta(days=30)),
        },
    )
    assert response.status_code == 201, response.json()
    estimate = response.json()
    # The published rate for software development, 950 kr., times 12.5 hours.
    assert estimate["hourly_rate_dkk"] == 950.0
    assert estimate["price_dkk"] == 11875.0
    assert estimate["fixed_price_dkk"] is None
    assert estimate["supplier"] == {"slug": "kodekammeret", "name": "Kodekammeret ApS"}
    assert estimate["review_cost_dkk"] == 1500.0
    assert estimate["reviewer"] == "Kodegennemgang ApS"

    current = requester.get(f"{BASE}/{rid}").json()
    assert current["status"] == "estimated"
    assert [e["id"] for e in current["estimates"]] == [estimate["id"]]

    ordered = step(requester, rid, "ordered", estimate=estimate["id"])
    assert ordered["status"] == "ordered"
    assert ordered["chosen_estimate"] == estimate["id"]
    assert ordered["price_dkk"] == 11875.0

    sprint = services.sprint_create(
        product=product, user=coordinator, name="Sprint 1", starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 15)
    )
    started = step(supplier, rid, "in_progress", sprint=sprint.pk)
    assert started["status"] == "in_progress"
    assert started["sprint"] == {
        "id": sprint.pk,
        "name": "Sprint 1",
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-15",
    }

    assert step(supplier, rid, "delivered")["status"] == "delivered"
    # Sent back (the requester says what is missing), delivered again, then accepted against the checklist.
    step(requester, rid, "in_progress", expect=400)  # no comment
    sent_back = step(requester, rid, "in_progress", comment="Bilagene mangler i PDF'en.")
    assert sent_back["status"] == "in_progress"
    step(supplier, rid, "delivered")
    refused = step(requester, rid, "accepted", expect=400, checklist=[True, False])
    assert refused["errors"][0]["field"] == "checklist"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = step(requester, rid, "accepted", checklist=[True, True], comment="Godkendt.")
    assert accepted["status"] == "accepted"
    assert accepted["acceptance_results"] == [True, True]
    assert [(e["from_status"], e["to_status"]) for e in accepted["history"]] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "estimated"),
        ("estimated", "ordered"),
        ("ordered", "in_progress"),
        ("in_progress", "delivered"),
        ("delivered", "in_progress"),
        ("in_progress", "delivered"),
        ("delivered", "accepted"),
    ]
    # The people involved are told: the requester, the chosen supplier, the coordination group.
    assert {"kommune@example.dk", "leverandoer@example.dk", "koordinator@example.dk"} <= {
        address for message in mail.outbox for address in message.to
    }


def test_the_community_pays_path_from_draft_to_accepted(api, people, requester, supplier, coordinator):
    request, estimate = estimated(requester, supplier, funding="community")
    rid = request["id"]
    # The requester cannot order what the community pays for; the coordination group opens funding.
    step(requester, rid, "ordered", expect=409, estimate=estimate["id"])
    step(requester, rid, "funding", expect=403, estimate=estimate["id"])
    opened = step(api(coordinator), rid, "funding", estimate=estimate["id"], comment="Prioriteret.")
    assert opened["status"] == "funding"
    assert opened["price_dkk"] == 9500.0 and opened["pledged_dkk"] == 0 and opened["remaining_dkk"] == 9500.0

    aarhus, odense = api(people.authority_admin), api(people.authority2_admin)
    first = pledge(aarhus, rid, "5000.50")
    assert first["organisation"] == {"slug": "aarhus", "name": "Aarhus Kommune"}
    assert first["amount_dkk"] == 5000.5
    assert first["request"] == {
        "id": rid,
        "status": "funding",
        "price_dkk": 9500.0,
        "pledged_dkk": 5000.5,
        "remaining_dkk": 4499.5,
    }
    # Exactly what remains: the request is funded and ordered by itself.
    second = pledge(odense, rid, 4499.5)
    assert second["request"]["status"] == "ordered"
    assert second["request"]["remaining_dkk"] == 0

    funded = api().get(f"{BASE}/{rid}").json()
    assert funded["status"] == "ordered"
    assert funded["pledged_dkk"] == 9500.0
    assert sorted((p["organisation"]["slug"], p["amount_dkk"]) for p in funded["pledges"]) == [
        ("aarhus", 5000.5),
        ("odense", 4499.5),
    ]
    assert funded["chosen_estimate"] == estimate["id"]

    step(supplier, rid, "in_progress")
    step(supplier, rid, "delivered")
    # When the community pays, the coordination group accepts, not the requester.
    step(requester, rid, "accepted", expect=403, checklist=[True, True])
    accepted = step(api(coordinator), rid, "accepted", checklist=[True, True])
    assert accepted["status"] == "accepted"
    assert ("funding", "ordered") in [(e["from_status"], e["to_status"]) for e in accepted["history"]]


# --- Pledges: bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [0, "0", -100, "-0.01", 0.001, "0.001", "12,50", "abc", "NaN", "Infinity", ""],
)
def test_a_pledge_must_be_a_positive_amount_in_whole_øre(api, people, funding, amount):
    body = pledge(api(people.authority_admin), funding["id"], amount, expect=400)
    assert body["errors"][0]["field"] == "amount_dkk"
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("amount", [True, False, [100], {"kr": 100}, None])
def test_a_pledge_is_a_number_or_a_string(api, people, funding, amount):
    body = pledge(api(people.authority_admin), funding["id"], amount, expect=422)
    assert body["errors"][0]["field"] == "amount_dkk"


def test_fractional_øre_is_named(api, people, funding):
    body = pledge(api(people.authority_admin), funding["id"], 0.001, expect=400)
    assert "højst to decimaler" in body["detail"]


def test_a_pledge_above_what_remains_is_refused_with_the_remaining_amount(api, people, funding):
    aarhus = api(people.authority_admin)
    pledge(aarhus, funding["id"], 9000)
    body = pledge(api(people.authority2_admin), funding["id"], "500.01", expect=409)
    assert "500,00" in body["detail"]
    assert DevelopmentRequest.objects.get(pk=funding["id"]).pledged_dkk == 9000


def test_nobody_pledges_more_than_the_price_at_once(api, people, funding):
    pledge(api(people.authority_admin), funding["id"], 9500.01, expect=409)


def test_pledging_to_a_request_not_open_for_funding_is_a_conflict(api, people, requester, supplier):
    request, _estimate = estimated(requester, supplier, funding="community")
    body = pledge(api(people.authority_admin), request["id"], 100, expect=409)
    assert "ikke åbent for finansiering" in body["detail"]


def test_suppliers_outsiders_and_non_admins_cannot_pledge(api, people, funding):
    pledge(api(people.supplier_admin), funding["id"], 100, expect=403)
    # Naming the supplier organisation: suppliers estimate, authorities pledge.
    for amount in (100, 20000):  # whatever the amount, the organisation is what is wrong
        body = pledge(api(people.supplier_admin), funding["id"], amount, expect=400, organisation="kodekammeret")
        assert body["errors"][0]["field"] == "organisation"
    pledge(api(people.outsider), funding["id"], 100, expect=403)
    clerk = member(UserFactory(email="sagsbehandler@example.dk"), people.authority, role="member")
    pledge(api(clerk), funding["id"], 100, expect=403)
    # An admin of Odense cannot pledge in Aarhus' name.
    pledge(api(people.authority2_admin), funding["id"], 100, expect=403, organisation="aarhus")
    pledge(api(people.authority_admin), funding["id"], 100, expect=400, organisation="findes-ikke")
    pledge(api(), funding["id"], 100, expect=401)
    assert not Pledge.objects.exists()


def test_a_pledge_is_withdrawn_by_its_authority_until_the_request_is_funded(api, people, funding):
    aarhus, odense = api(people.authority_admin), api(people.authority2_admin)
    mine = pledge(aarhus, funding["id"], 3000)
    # Someone from another authority cannot withdraw it.
    assert odense.delete(f"{BASE}/{funding['id']}/pledges/{mine['id']}").status_code == 403
    assert api(people.supplier_admin).delete(f"{BASE}/{funding['id']}/pledges/{mine['id']}").status_code == 403
    assert aarhus.delete(f"{BASE}/{funding['id']}/pledges/999999").status_code == 404

    assert aarhus.delete(f"{BASE}/{funding['id']}/pledges/{mine['id']}").status_code == 204
    current = aarhus.get(f"{BASE}/{funding['id']}").json()
    assert current["pledged_dkk"] == 0 and current["pledges"] == []
    assert aarhus.delete(f"{BASE}/{funding['id']}/pledges/{mine['id']}").status_code == 409

    pledge(aarhus, funding["id"], 5000)
    last = pledge(odense, funding["id"], 4500)
    assert last["request"]["status"] == "ordered"
    response = odense.delete(f"{BASE}/{funding['id']}/pledges/{last['id']}")
    assert response.status_code == 409
    assert "finansieret" in response.json()["detail"]
    assert DevelopmentRequest.objects.get(pk=funding["id"]).pledged_dkk == 9500


def test_a_pledge_is_withdrawn_only_under_its_own_request(api, people, requester, supplier, coordinator, funding):
    other, estimate = estimated(requester, supplier, funding="community", title="Noget andet")
    step(api(coordinator), other["id"], "funding", estimate=estimate["id"])
    mine = pledge(api(people.authority_admin), funding["id"], 100)
    assert api(people.authority_admin).delete(f"{BASE}/{other['id']}/pledges/{mine['id']}").status_code == 404


# --- Estimates ----------------------------------------------------------------------------------------------------


def test_only_approved_partners_estimate(api, people, requester):
    request = file(requester)
    step(requester, request["id"], "submitted")
    body = api(people.new_supplier_admin).post(f"{BASE}/{request['id']}/estimates", {"hours": 10}).json()
    assert body["errors"][0]["field"] == "supplier"
    response = api(people.new_supplier_admin).post(f"{BASE}/{request['id']}/estimates", {"hours": 10})
    assert response.status_code == 400
    assert api(people.outsider).post(f"{BASE}/{request['id']}/estimates", {"hours": 10}).status_code == 403
    # An authority is not a supplier.
    assert api(people.authority2_admin).post(f"{BASE}/{request['id']}/estimates", {"hours": 10}).status_code == 403
    assert DevelopmentRequest.objects.get(pk=request["id"]).status == "submitted"


def test_an_estimate_with_a_fixed_price_shows_the_rate_and_a_second_replaces_the_first(requester, supplier):
    request = file(requester)
    step(requester, request["id"], "submitted")
    url = f"{BASE}/{request['id']}/estimates"
    first = supplier.post(url, {"hours": 10, "hourly_rate_dkk": "1000", "fixed_price_dkk": 8000})
    assert first.status_code == 201
    assert first.json()["price_dkk"] == 8000.0 and first.json()["hourly_rate_dkk"] == 1000.0
    second = supplier.post(url, {"hours": 20})
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["price_dkk"] == 19000.0
    assert len(requester.get(f"{BASE}/{request['id']}").json()["estimates"]) == 1


def test_estimates_refuse_bad_amounts_and_drafts(requester, supplier):
    request = file(requester)
    url = f"{BASE}/{request['id']}/estimates"
    # A draft is the requester's: the supplier does not see it.
    assert supplier.post(url, {"hours": 10}).status_code == 404
    step(requester, request["id"], "submitted")
    for bad in (0, -1, "0.001", "ti"):
        response = supplier.post(url, {"hours": bad})
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == "hours"
    assert supplier.post(url, {"hours": True}).status_code == 422
    response = supplier.post(url, {"hours": 10, "hourly_rate_dkk": 950.001})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "hourly_rate_dkk"
    response = supplier.post(url, {"hours": 10, "valid_until": str(date.today() - timedelta(days=1))})
    assert response.json()["errors"][0]["field"] == "valid_until"


def test_a_supplier_in_several_organisations_names_one(api, people, requester):
    request = file(requester)
    step(requester, request["id"], "submitted")
    other = OrganisationFactory(name="Andet Firma ApS", slug="andet-firma", kind="supplier")
    member(people.supplier_admin, other)
    url = f"{BASE}/{request['id']}/estimates"
    response = api(people.supplier_admin).post(url, {"hours": 10})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "supplier"
    assert "kodekammeret" in response.json()["detail"]
    assert api(people.supplier_admin).post(url, {"hours": 10, "supplier": "kodekammeret"}).status_code == 201


def test_estimates_close_once_a_request_is_ordered(requester, supplier):
    request, estimate = estimated(requester, supplier)
    step(requester, request["id"], "ordered", estimate=estimate["id"])
    assert supplier.post(f"{BASE}/{request['id']}/estimates", {"hours": 5}).status_code == 409


# --- Filing and qualifying ----------------------------------------------------------------------------------------


def test_submitting_an_incomplete_draft_names_what_is_missing(requester):
    draft = requester.post(BASE, {"product": SLUG, "title": "Bare en idé"}).json()
    assert draft["missing"] == [
        "description",
        "user_stories",
        "acceptance_criteria",
        "documentation_requirements",
        "funding",
    ]
    body = step(requester, draft["id"], "submitted", expect=400)
    assert {e["field"] for e in body["errors"]} == {
        "description",
        "user_stories",
        "acceptance_criteria",
        "documentation_requirements",
        "funding",
    }
    assert DevelopmentRequest.objects.get(pk=draft["id"]).status == "draft"


def test_a_user_story_must_follow_the_form(requester):
    response = requester.post(BASE, valid(user_stories=[STORY, "Eksport til PDF"]))
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "user_stories", "message": response.json()["detail"]}]
    assert "2" in response.json()["detail"]
    assert not DevelopmentRequest.objects.exists()
    english = "As a caseworker I want to export a case, so that I can send it to the citizen"
    assert requester.post(BASE, valid(user_stories=[english])).status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"funding": "kommunen"}, "funding"),
        ({"product": "findes-ikke"}, "product"),
        ({"title": "   "}, "title"),
        ({"organisation": "findes-ikke"}, "organisation"),
        ({"organisation": "kodekammeret"}, None),  # not the caller's: 403
    ],
)
def test_filing_refuses_bad_input(requester, changes, field):
    response = requester.post(BASE, valid(**changes))
    if field is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 400, response.json()
        assert response.json()["errors"][0]["field"] == field
    assert not DevelopmentRequest.objects.exists()


def test_who_may_file(api, people, product):
    assert api(people.outsider).post(BASE, valid()).status_code == 403
    assert api().post(BASE, valid()).status_code == 401
    # The secretariat is neither an authority nor a supplier.
    assert api(people.secretariat).post(BASE, valid()).status_code == 403
    supplier_filed = api(people.supplier_admin).post(BASE, valid()).json()
    assert supplier_filed["requester"]["slug"] == "kodekammeret"
    assert supplier_filed["status"] == "draft"


def test_a_member_of_several_organisations_names_one(api, people, product):
    member(people.authority_admin, people.authority2)
    response = api(people.authority_admin).post(BASE, valid())
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "organisation"
    named = api(people.authority_admin).post(BASE, valid(organisation="odense"))
    assert named.status_code == 201
    assert named.json()["requester"]["slug"] == "odense"


def test_a_draft_is_changed_field_by_field_until_it_is_submitted(api, people, requester):
    draft = file(requester)
    url = f"{BASE}/{draft['id']}"
    changed = requester.patch(url, {"title": "Eksport af sager", "funding": "community"})
    assert changed.status_code == 200
    body = changed.json()
    assert body["title"] == "Eksport af sager" and body["funding"] == "community"
    assert body["user_stories"] == [STORY] and body["acceptance_criteria"] == CRITERIA
    assert requester.patch(url, {"user_stories": ["Ikke en historie"]}).status_code == 400
    # Someone else: the draft does not exist for them.
    assert api(people.authority2_admin).patch(url, {"title": "Mit nu"}).status_code == 404
    step(requester, draft["id"], "submitted")
    assert api(people.authority2_admin).patch(url, {"title": "Mit nu"}).status_code == 403
    assert requester.patch(url, {"title": "For sent"}).status_code == 409
    assert DevelopmentRequest.objects.get(pk=draft["id"]).title == "Eksport af sager"


def test_drafts_are_visible_only_to_the_requesters_members(api, people, requester):
    draft = file(requester, title="Kladde")
    submitted = file(requester, title="Indsendt")
    step(requester, submitted["id"], "submitted")
    colleague = member(UserFactory(email="kollega@example.dk"), people.authority, role="member")

    for viewer in (api(), api(people.authority2_admin), api(people.supplier_admin)):
        listed = viewer.get(BASE).json()
        assert [r["title"] for r in listed["items"]] == ["Indsendt"]
        assert listed["count"] == 1
        assert viewer.get(f"{BASE}/{draft['id']}").status_code == 404
        assert viewer.get(f"{BASE}/{submitted['id']}").status_code == 200
    # The requester's members see their drafts; so does the secretariat (os2hub.development.getters).
    for viewer in (requester, api(colleague), api(people.secretariat)):
        assert [r["title"] for r in viewer.get(BASE).json()["items"]] == ["Indsendt", "Kladde"]
        assert viewer.get(f"{BASE}/{draft['id']}").status_code == 200
    # A bad token on a public read is an anonymous visitor.
    anonymous = api()
    anonymous.headers = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    assert anonymous.get(f"{BASE}/{draft['id']}").status_code == 404
    assert api().get(f"{BASE}/999999").status_code == 404


# --- Transitions --------------------------------------------------------------------------------------------------


def test_skipping_states_is_a_conflict(api, people, requester, supplier, coordinator):
    draft = file(requester)
    body = step(requester, draft["id"], "ordered", expect=409)
    assert body["detail"] == "Ønsket er draft; det kan ikke gå til ordered. Det kan komme dertil fra: estimated."
    for to in ("estimated", "in_progress", "delivered", "accepted", "funding", "draft", "rejected"):
        step(requester, draft["id"], to, expect=409)
    assert "første estimat" in step(requester, draft["id"], "estimated", expect=409)["detail"]
    bad = step(requester, draft["id"], "done", expect=400)
    assert bad["errors"][0]["field"] == "to"
    assert DevelopmentRequest.objects.get(pk=draft["id"]).status == "draft"

    request, estimate = estimated(requester, supplier, funding="community", title="Fælles")
    step(api(coordinator), request["id"], "funding", estimate=estimate["id"])
    body = step(api(people.authority_admin), request["id"], "ordered", expect=409, estimate=estimate["id"])
    assert "af sig selv" in body["detail"]


def test_a_double_submit_is_a_conflict(requester):
    draft = file(requester)
    step(requester, draft["id"], "submitted")
    body = step(requester, draft["id"], "submitted", expect=409)
    assert body["detail"]


def test_choosing_an_estimate_needs_one_of_the_requests_estimates(requester, supplier):
    request, estimate = estimated(requester, supplier)
    other, other_estimate = estimated(requester, supplier, title="Et andet ønske")
    body = step(requester, request["id"], "ordered", expect=400)
    assert body["errors"][0]["field"] == "estimate"
    step(requester, request["id"], "ordered", expect=400, estimate=other_estimate["id"])
    # Only the requester orders.
    step(supplier, request["id"], "ordered", expect=403, estimate=estimate["id"])
    step(requester, request["id"], "ordered", estimate=estimate["id"])


def test_reject_and_withdraw(api, people, requester, supplier, coordinator, funding):
    request, _estimate = estimated(requester, supplier, title="Afvises")
    step(api(coordinator), request["id"], "rejected", expect=400)  # a reason is required
    step(requester, request["id"], "rejected", expect=403, comment="Nej")
    rejected = step(api(coordinator), request["id"], "rejected", comment="Passer ikke i køreplanen.")
    assert rejected["status"] == "rejected"
    step(requester, request["id"], "withdrawn", expect=409)

    # Withdrawing a request open for funding releases its pledges.
    pledge(api(people.authority2_admin), funding["id"], 1000)
    step(api(people.authority2_admin), funding["id"], "withdrawn", expect=403)
    withdrawn = step(requester, funding["id"], "withdrawn", comment="Løst på anden vis.")
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["pledges"] == [] and withdrawn["pledged_dkk"] == 0


def test_only_the_chosen_supplier_or_the_coordination_group_moves_the_work(api, people, requester, supplier):
    request, estimate = estimated(requester, supplier)
    step(requester, request["id"], "ordered", estimate=estimate["id"])
    step(api(people.new_supplier_admin), request["id"], "in_progress", expect=403)
    step(requester, request["id"], "in_progress", expect=403)
    step(supplier, request["id"], "in_progress", expect=400, sprint=999999)
    step(supplier, request["id"], "in_progress")
    step(requester, request["id"], "delivered", expect=403)


def test_transitions_need_a_token(api, requester):
    draft = file(requester)
    assert api().post(f"{BASE}/{draft['id']}/transition", {"to": "submitted"}).status_code == 401


# --- The list -----------------------------------------------------------------------------------------------------


def test_the_list_filters(api, people, requester, supplier, coordinator):
    other_product = Product.objects.create(name="OS2andet", slug="os2andet", summary="Andet.")
    requester_paid, _e = estimated(requester, supplier, title="Opgavestiller")
    community, _e = estimated(requester, supplier, title="Fællesskab", funding="community")
    elsewhere = file(api(people.authority2_admin), product="os2andet", title="Andet produkt")
    step(api(people.authority2_admin), elsewhere["id"], "submitted")
    assert other_product.development_requests.count() == 1

    def titles(**params):
        response = api().get(BASE, params)
        assert response.status_code == 200, response.json()
        return sorted(r["title"] for r in response.json()["items"])

    assert titles() == ["Andet produkt", "Fællesskab", "Opgavestiller"]
    assert titles(product=SLUG) == ["Fællesskab", "Opgavestiller"]
    assert titles(product="os2andet") == ["Andet produkt"]
    assert titles(product="findes-ikke") == []
    assert titles(status="estimated") == ["Fællesskab", "Opgavestiller"]
    assert titles(status="submitted") == ["Andet produkt"]
    assert titles(funding="community") == ["Fællesskab"]
    assert titles(product=SLUG, funding="requester", status="estimated") == ["Opgavestiller"]
    assert titles(requester="odense") == ["Andet produkt"]
    assert titles(estimated_by="kodekammeret") == ["Fællesskab", "Opgavestiller"]
    step(api(coordinator), community["id"], "funding", estimate=_e["id"])
    pledge(api(people.authority2_admin), community["id"], 100)
    assert titles(pledged_by="odense") == ["Fællesskab"]
    assert titles(pledged_by="aarhus") == []

    for params, field in (({"status": "finished"}, "status"), ({"funding": "kommunen"}, "funding")):
        response = api().get(BASE, params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field
        assert "brug en af" in response.json()["detail"]
    assert api().get(BASE, {"limit": 1}).json()["count"] == 3
    assert len(api().get(BASE, {"limit": 1}).json()["items"]) == 1
    assert api().get(BASE, {"product": "a\x00b"}).status_code == 400


def add_requests(people, product, count):
    """Requests in funding, each with two estimates, two pledges and a withdrawn one."""
    second_supplier = OrganisationFactory(name="Anden Leverandør ApS", slug=f"anden-{count}", kind="supplier")
    for i in range(count):
        request = DevelopmentRequest.objects.create(
            product=product,
            requester=people.authority,
            title=f"Ønske {i}",
            description="En beskrivelse.",
            user_stories=[STORY],
            acceptance_criteria=CRITERIA,
            funding="community",
            status="funding",
            price_dkk=10000,
            pledged_dkk=3000,
        )
        request.estimates.create(supplier=people.supplier_org, hours=10, hourly_rate_dkk=950, price_dkk=9500)
        request.estimates.create(supplier=second_supplier, hours=10, hourly_rate_dkk=1000, price_dkk=10000)
        request.pledges.create(organisation=people.authority, amount_dkk=1000)
        request.pledges.create(organisation=people.authority2, amount_dkk=2000)
        request.pledges.create(organisation=people.authority2, amount_dkk=500, withdrawn_at="2026-01-01T00:00:00Z")
        request.events.create(from_status="", to_status="draft")
        request.events.create(from_status="estimated", to_status="funding")
        request.attachments.create(title="Skitse", file=f"development-attachments/skitse-{i}.png", kind="png", size=9)


def test_the_list_uses_a_constant_number_of_queries(api, people, product, django_assert_max_num_queries):
    anonymous, signed_in = api(), api(people.authority_admin)
    add_requests(people, product, 1)
    # The count, the page, and one query each for the pledges, the estimates, the history and the attachments.
    with django_assert_max_num_queries(6) as one:
        assert anonymous.get(BASE).json()["count"] == 1
    # With a token, the token's queries come on top.
    with django_assert_max_num_queries(11) as one_signed_in:
        assert signed_in.get(BASE).json()["count"] == 1
    add_requests(people, product, 10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = anonymous.get(BASE).json()
    assert body["count"] == 11
    assert all(len(r["pledges"]) == 2 and len(r["estimates"]) == 2 for r in body["items"])
    assert all(len(r["history"]) == 2 and len(r["attachments"]) == 1 for r in body["items"])
    assert body["items"][0]["remaining_dkk"] == 7000.0
    with django_assert_max_num_queries(len(one_signed_in.captured_queries)):
        assert signed_in.get(BASE).json()["count"] == 11


def test_money_is_json_numbers(api, people, funding):
    pledge(api(people.authority_admin), funding["id"], "1234.56")
    body = api().get(f"{BASE}/{funding['id']}").json()
    assert body["pledged_dkk"] == 1234.56 and isinstance(body["pledged_dkk"], float)
    assert body["pledges"][0]["amount_dkk"] == 1234.56
    assert isinstance(body["estimates"][0]["price_dkk"], float)


def test_everything_is_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert set(paths[BASE]) >= {"get", "post"}
    assert set(paths[f"{BASE}/{{id}}"]) >= {"get", "patch"}
    assert "post" in paths[f"{BASE}/{{id}}/estimates"]
    assert "post" in paths[f"{BASE}/{{id}}/pledges"]
    assert "delete" in paths[f"{BASE}/{{id}}/pledges/{{pledge_id}}"]
    assert "post" in paths[f"{BASE}/{{id}}/transition"]
    schemas = document["components"]["schemas"]
    for name in ("RequestOut", "RequestIn", "RequestPatch", "EstimateIn", "EstimateOut", "PledgeIn", "TransitionIn"):
        assert name in schemas
    assert {"price_dkk", "pledged_dkk", "pledges", "estimates", "chosen_estimate"} <= set(
        schemas["RequestOut"]["properties"]
    )


def test_memberships_are_what_they_seem(people):
    # The personas this file relies on: the supplier is an approved partner offering software development at
    # a published rate; Aarhus and Odense each have one admin.
    assert approved_partnership(people.supplier_org, ESTIMATING_COMPETENCE) is not None
    assert approved_partnership(people.new_supplier_org, ESTIMATING_COMPETENCE) is None
    assert Membership.objects.get(user=people.authority2_admin).organisation == people.authority2
