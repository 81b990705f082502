"""The pages and the API agree on development requests: for every persona and every state, the step forms the
request's page shows are exactly the steps the API accepts, and exactly the steps the page itself takes when its
form is posted.

Every attempt runs in a savepoint that is rolled back, so each is tried from the same state. The API accepts a
step when it answers 2xx; the page takes a step when the request changed (its status, estimates or pledges)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client

from os2hub.accounts.services import api_token_issue
from os2hub.development import services
from os2hub.development.models import DevelopmentRequest
from os2hub.development.workflow import REQUEST_WORKFLOW

from .personas import UserFactory, member
from .test_development import World

pytestmark = pytest.mark.django_db

BASE = "/api/v1/development-requests"
# What each step's form does, in the API's words: a transition to a status, or an estimate or a pledge.
API_ACTION = {
    "submit": "to submitted",
    "estimate": "estimates",
    "order": "to ordered",
    "open_funding": "to funding",
    "reject": "to rejected",
    "pledge": "pledges",
    "start": "to in_progress",
    "deliver": "to delivered",
    "accept": "to accepted",
    "send_back": "to in_progress",
    "withdraw": "to withdrawn",
}
# Everything the API could be asked: a transition to every status, an estimate and a pledge.
API_ACTIONS = [f"to {status}" for status in DevelopmentRequest.Status.values] + ["estimates", "pledges"]
PERSONAS = (
    "anonymous",
    "requester_admin",
    "requester_member",
    "other_authority_admin",
    "supplier_admin",
    "supplier_member",
    "new_supplier_admin",
    "coordinator",
    "secretariat",
    "outsider",
)
STATES = (
    "draft",
    "submitted",
    "estimated",
    "estimated_community",
    "funding",
    "ordered",
    "ordered_community",
    "in_progress",
    "delivered",
    "delivered_community",
    "accepted",
    "rejected",
    "withdrawn",
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(people):
    world = World(people)
    world.clerk = member(UserFactory(email="medarbejder@aarhus.example.dk"), people.authority, role="member")
    return world


def user_of(world, people, persona):
    return {
        "anonymous": None,
        "requester_admin": people.authority_admin,
        "requester_member": world.clerk,
        "other_authority_admin": people.authority2_admin,
        "supplier_admin": people.supplier_admin,
        "supplier_member": people.supplier_member,
        "new_supplier_admin": people.new_supplier_admin,
        "coordinator": world.coordinator,
        "secretariat": people.secretariat,
        "outsider": people.outsider,
    }[persona]


def in_state(world, people, state) -> DevelopmentRequest:
    """A request taken through the services to the state."""
    admin, supplier = people.authority_admin, people.supplier_admin
    community = state.endswith("_community") or state == "funding"
    if state == "draft":
        request = world.request()
    elif state in ("submitted", "rejected", "withdrawn"):
        request = world.submitted()
        if state == "rejected":
            services.request_reject(request=request, user=world.coordinator, comment="Hører til et andet produkt.")
        if state == "withdrawn":
            services.request_withdraw(request=request, user=admin)
    else:
        request, estimate = world.estimated("community" if community else "requester")
        if state.startswith("estimated"):
            return request
        if community:
            services.funding_open(request=request, user=world.coordinator, estimate=estimate)
            if state != "funding":
                services.pledge_create(
                    request=request, user=people.authority2_admin, organisation=people.authority2, amount="9500"
                )
        else:
            services.request_order(request=request, user=admin, estimate=estimate)
        if state in ("in_progress", "delivered", "delivered_community", "accepted"):
            services.request_start(request=request, user=supplier)
        if state in ("delivered", "delivered_community", "accepted"):
            services.request_deliver(request=request, user=supplier)
        if state == "accepted":
            services.request_accept(request=request, user=admin, checklist=[True, True])
    return DevelopmentRequest.objects.get(pk=request.pk)


def rolled_back(attempt):
    """Run attempt() in a savepoint that is always rolled back; return what it returned."""
    with transaction.atomic():
        outcome = attempt()
        transaction.set_rollback(True)
    return outcome


def snapshot(request) -> tuple:
    """What a step changes: the status, the estimates (a supplier's new estimate replaces its old one), the
    pledges."""
    fresh = DevelopmentRequest.objects.get(pk=request.pk)
    estimates = tuple(sorted(fresh.estimates.values_list("supplier_id", "price_dkk")))
    pledges = tuple(sorted(fresh.pledges.filter(withdrawn_at__isnull=True).values_list("pk", flat=True)))
    return fresh.status, estimates, fresh.pledged_dkk, pledges


class Persona:
    """One person on the pages (a logged-in browser) and in the API (a token); or nobody."""

    def __init__(self, user):
        self.page_client, self.api_client = Client(), Client()
        self.headers = {}
        if user is not None:
            self.page_client.force_login(user)
            _token, raw = api_token_issue(user=user, name="agreement")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def shown(self, request) -> set[str]:
        """The steps whose forms the request's page shows (none when the page is not there for the person)."""
        response = self.page_client.get(f"/development-requests/{request.pk}/")
        if response.status_code == 404:
            return set()
        assert response.status_code == 200
        found = re.findall(
            rf'<form method="post" action="/development-requests/{request.pk}/([a-z-]+)/"', response.content.decode()
        )
        return {step.replace("-", "_") for step in found} & set(API_ACTION)

    def api_accepts(self, request, action) -> bool:
        estimate = request.estimates.order_by("pk").first()
        if action == "estimates":
            path, data = f"{BASE}/{request.pk}/estimates", {"hours": 12}
        elif action == "pledges":
            path, data = f"{BASE}/{request.pk}/pledges", {"amount_dkk": 100}
        else:
            path = f"{BASE}/{request.pk}/transition"
            data = {"to": action.removeprefix("to "), "comment": "Begrundelse.", "checklist": [True, True]}
            if estimate is not None:
                data["estimate"] = estimate.pk

        def attempt():
            response = self.api_client.post(path, data, content_type="application/json", **self.headers)
            assert response.status_code < 500
            return 200 <= response.status_code < 300

        return rolled_back(attempt)

    def page_takes(self, request, step) -> bool:
        estimate = request.estimates.order_by("pk").first()
        data = {
            "estimate": {"hours": "12"},
            "order": {"estimate": estimate.pk if estimate else ""},
            "open_funding": {"estimate": estimate.pk if estimate else ""},
            "reject": {"comment": "Begrundelse."},
            "send_back": {"comment": "Begrundelse."},
            "pledge": {"amount_dkk": "100"},
            "accept": {"acceptance_results": ["0", "1"]},
        }.get(step, {})

        def attempt():
            before = snapshot(request)
            response = self.page_client.post(f"/development-requests/{request.pk}/{step.replace('_', '-')}/", data)
            assert response.status_code < 500
            return snapshot(request) != before

        return rolled_back(attempt)


def agreement(world, people, state, personas=PERSONAS) -> dict[str, tuple]:
    """For each persona: the steps the page shows, the steps the page takes when posted, the page's steps as API
    actions, and the API actions the API accepts."""
    request = in_state(world, people, state)
    found = {}
    for persona in personas:
        person = Persona(user_of(world, people, persona))
        shown = person.shown(request)
        taken = {step for step in API_ACTION if person.page_takes(request, step)}
        accepted = {action for action in API_ACTIONS if person.api_accepts(request, action)}
        found[persona] = (shown, taken, {API_ACTION[step] for step in shown}, accepted)
    return found


@pytest.mark.parametrize("state", STATES)
def test_the_page_shows_exactly_the_steps_the_api_and_the_page_accept(world, people, state):
    found = agreement(world, people, state)
    for persona, (shown, taken, shown_as_api, accepted) in found.items():
        assert taken == shown, f"{state}, {persona}: the page shows {shown} but takes {taken}"
        assert accepted == shown_as_api, f"{state}, {persona}: the page shows {shown} but the API accepts {accepted}"
    if state not in ("accepted", "rejected", "withdrawn"):
        # Not vacuous: before the end, someone has something to do.
        assert any(shown for shown, *_rest in found.values()), state


def test_the_check_sees_when_the_api_refuses_what_the_page_offers(world, people, monkeypatch):
    def refuse(**_kwargs):
        raise PermissionDenied

    monkeypatch.setattr(services, "request_reject", refuse)
    shown, taken, shown_as_api, accepted = agreement(world, people, "submitted", personas=["coordinator"])[
        "coordinator"
    ]
    assert "reject" in shown and "reject" not in taken and "to rejected" not in accepted
    assert accepted != shown_as_api


def test_every_step_of_the_workflow_has_a_form_and_an_api_action():
    assert set(API_ACTION) == {step.name for step in REQUEST_WORKFLOW}
    for step in REQUEST_WORKFLOW:
        if step.target is not None:
            assert API_ACTION[step.name] == f"to {step.target}"
