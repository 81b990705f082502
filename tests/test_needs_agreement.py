"""The pages and the API agree on needs and calls: for every persona and every state, the step forms a detail page
shows are exactly the steps that are accepted.

Each step is tried through the API where the API has it (co-sign, offer, award) and through the service where only
the pages have it; and through the page's own form as well. Every attempt runs in a savepoint that is rolled back,
so each is tried from the same state. A step counts as accepted when it changed something (following a need one
already follows changes nothing, so it is not a step one can take)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from os2hub.accounts.services import api_token_issue
from os2hub.core.workflow import TransitionConflict
from os2hub.needs import services
from os2hub.needs import workflow as steps
from os2hub.needs.models import Call, CoSign, Follow, Need, Offer

from .test_needs import World

pytestmark = pytest.mark.django_db

NEED_STEPS = ("cosign", "uncosign", "follow", "unfollow", "clarify", "to-product", "to-request", "to-tender", "close")
CALL_STEPS = ("offer", "award", "cancel")
TENDER = "https://udbud.dk/notice/2026-1"
REFUSED = (PermissionDenied, TransitionConflict, ValidationError)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(people):
    return World(people)


def shown(html: str, kind: str, pk: int) -> set[str]:
    """The steps whose forms the page shows: the forms posting to /needs/<pk>/<step>/ or /calls/<pk>/<step>/."""
    return set(re.findall(rf'action="/{kind}/{pk}/([a-z-]+)/"', html))


def rolled_back(attempt):
    """Run attempt() in a savepoint that is always rolled back; return what it returned."""
    with transaction.atomic():
        outcome = attempt()
        transaction.set_rollback(True)
    return outcome


class Persona:
    def __init__(self, client, user):
        self.client = client
        self.user = user
        _token, raw = api_token_issue(user=user, name="agreement")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def page(self, path) -> str:
        self.client.force_login(self.user)
        response = self.client.get(path)
        assert response.status_code == 200, path
        return response.content.decode()

    def post_page(self, path, data):
        self.client.force_login(self.user)
        return self.client.post(path, data)

    def post_api(self, path, data=None):
        self.client.logout()
        return self.client.post(path, data or {}, content_type="application/json", **self.headers)


# --- Needs --------------------------------------------------------------------------------------------------------


def need_state(need, user) -> tuple:
    fresh = Need.objects.get(pk=need.pk)
    cosigners = tuple(sorted(CoSign.objects.filter(need=need).values_list("organisation_id", flat=True)))
    return fresh.status, cosigners, Follow.objects.filter(need=need, user=user).exists()


def through_service(step, need, user, people, product) -> bool:
    """Whether the service takes the step (and it changes something)."""
    own = user.memberships.filter(organisation__kind="authority").first()
    organisation = own.organisation if own else people.authority2
    fresh = Need.objects.get(pk=need.pk)
    actions = {
        "follow": lambda: services.need_follow(need=fresh, user=user),
        "unfollow": lambda: services.need_unfollow(need=fresh, user=user),
        "uncosign": lambda: services.need_uncosign(need=fresh, user=user, organisation=organisation),
        "clarify": lambda: services.need_clarify(need=fresh, user=user),
        "to-product": lambda: services.need_to_product(need=fresh, user=user, product=product),
        "to-request": lambda: services.need_to_request(need=fresh, user=user, product=product),
        "to-tender": lambda: services.need_to_tender(need=fresh, user=user, tender_url=TENDER),
        "close": lambda: services.need_close(need=fresh, user=user, comment="Lukket."),
    }

    def attempt():
        before = need_state(need, user)
        try:
            actions[step]()
        except REFUSED:
            return False
        return need_state(need, user) != before

    return rolled_back(attempt)


def through_api(persona, need) -> bool:
    """Co-signing is the need step the API has."""
    return rolled_back(lambda: persona.post_api(f"/api/v1/needs/{need.pk}/cosign").status_code == 201)


def own_slug(user) -> str:
    return next(iter(user.memberships.values_list("organisation__slug", flat=True)), "")


def through_page(persona, step, need) -> bool:
    data = {
        "cosign": {"note": ""},
        "uncosign": {
            "organisation": next(iter(persona.user.memberships.values_list("organisation__slug", flat=True)), "")
        },
        "to-product": {"product": "os2mo"},
        "to-request": {"product": "os2mo"},
        "to-tender": {"tender_url": TENDER},
        "close": {"comment": "Lukket."},
    }.get(step, {})

    def attempt():
        before = need_state(need, persona.user)
        persona.post_page(f"/needs/{need.pk}/{step}/", data)
        return need_state(need, persona.user) != before

    return rolled_back(attempt)


@pytest.mark.parametrize("status", Need.Status.values)
@pytest.mark.parametrize("cosigned", [False, True], ids=["alone", "cosigned-and-followed"])
def test_a_need_page_shows_exactly_the_steps_that_are_accepted(world, people, client, status, cosigned):
    need = world.need()
    if cosigned:
        CoSign.objects.create(need=need, organisation=people.authority2, created_by=people.authority2_admin)
        for user in (people.authority2_admin, people.outsider):
            Follow.objects.create(need=need, user=user)
    Need.objects.filter(pk=need.pk).update(status=status)
    personas = [
        people.authority_admin,  # the poster
        people.authority2_admin,  # another authority (the co-signer, when there is one)
        people.secretariat,
        people.supplier_admin,
        people.outsider,  # a follower, when there are some
    ]
    taken = {}
    for user in personas:
        persona = Persona(client, user)
        on_page = shown(persona.page(f"/needs/{need.pk}/"), "needs", need.pk)
        accepted = {
            step
            for step in NEED_STEPS
            if (
                through_api(persona, need)
                if step == "cosign"
                else through_service(step, need, user, people, world.product)
            )
        }
        assert on_page == accepted, (user.email, status)
        assert steps.available(Need.objects.get(pk=need.pk), user) == on_page, (user.email, status)
        posted = {step for step in NEED_STEPS if through_page(persona, step, need)}
        assert posted == accepted, (user.email, status)
        taken[user.email] = accepted
    # Not vacuous: the poster (who follows the need it posted) moves it along while that fits.
    deciding = {"to-product", "to-request", "to-tender", "close"}
    assert (
        taken[people.authority_admin.email]
        == {
            "open": {"unfollow", "clarify", *deciding},
            "clarifying": {"unfollow", *deciding},
            "product": {"unfollow", "close"},
            "request": {"unfollow", "close"},
            "tender": {"unfollow", "close"},
            "closed": {"unfollow"},
        }[status]
    )


# --- Calls --------------------------------------------------------------------------------------------------------


def call_state(call) -> tuple:
    fresh = Call.objects.get(pk=call.pk)
    offers = tuple(Offer.objects.filter(call=call).order_by("pk").values_list("supplier_id", "price_dkk"))
    return fresh.status, fresh.awarded_offer_id, offers


def call_through_api_or_service(persona, step, call) -> bool:
    def attempt():
        before = call_state(call)
        if step == "offer":
            response = persona.post_api(f"/api/v1/calls/{call.pk}/offers", {"price_dkk": 1234, "approach": "Sådan."})
            ok = response.status_code in (200, 201)
        elif step == "award":
            offer = Offer.objects.filter(call=call).first()
            response = persona.post_api(f"/api/v1/calls/{call.pk}/award", {"offer": offer.pk if offer else 999999})
            ok = response.status_code == 200
        else:  # cancelling has no API
            try:
                services.call_cancel(call=Call.objects.get(pk=call.pk), user=persona.user)
                ok = True
            except REFUSED:
                ok = False
        return ok and call_state(call) != before

    return rolled_back(attempt)


def call_through_page(persona, step, call) -> bool:
    offer = Offer.objects.filter(call=call).first()
    data = {
        "offer": {"price_dkk": "1234", "approach": "Sådan."},
        "award": {"offer": offer.pk if offer else "", "confirm": "yes"},  # as the confirmation page posts it
        "cancel": {"reason": ""},
    }[step]

    def attempt():
        before = call_state(call)
        persona.post_page(f"/calls/{call.pk}/{step}/", data)
        return call_state(call) != before

    return rolled_back(attempt)


CALL_STATES = ["open", "open-with-an-offer", "deadline-passed", "awarded", "cancelled"]


@pytest.mark.parametrize("state", CALL_STATES)
@pytest.mark.parametrize("caller", ["aarhus", "group"])
def test_a_call_page_shows_exactly_the_steps_that_are_accepted(world, people, client, state, caller):
    user = people.authority_admin if caller == "aarhus" else world.coordinator
    call = world.call("development", user=user, caller=caller)
    if state != "open":
        world.offer(call, price_dkk="50000")
    if state == "deadline-passed":
        Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    elif state == "awarded":
        services.call_award(call=call, user=user, offer=Offer.objects.get(call=call))
    elif state == "cancelled":
        services.call_cancel(call=call, user=user)
    personas = [
        people.authority_admin,  # the caller, for Aarhus's call
        world.coordinator,  # the caller, for the coordination group's call
        people.authority2_admin,
        people.secretariat,
        people.supplier_admin,  # a partner that develops (the offering one)
        world.reviewer_admin,  # a partner that reviews code but does not develop
        people.new_supplier_admin,  # a supplier that is not a partner
        people.outsider,
    ]
    seen_any = set()
    for persona_user in personas:
        persona = Persona(client, persona_user)
        on_page = shown(persona.page(f"/calls/{call.pk}/"), "calls", call.pk)
        accepted = {step for step in CALL_STEPS if call_through_api_or_service(persona, step, call)}
        assert on_page == accepted, (persona_user.email, state, caller)
        assert steps.available(Call.objects.get(pk=call.pk), persona_user) == on_page, (persona_user.email, state)
        posted = {step for step in CALL_STEPS if call_through_page(persona, step, call)}
        assert posted == accepted, (persona_user.email, state, caller)
        seen_any |= accepted
    expected = {
        "open": {"offer", "cancel"},
        "open-with-an-offer": {"offer", "award", "cancel"},
        "deadline-passed": {"award", "cancel"},
        "awarded": set(),
        "cancelled": set(),
    }[state]
    assert seen_any == expected
