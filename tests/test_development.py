"""Development requests through the services: qualifying a request, estimates by supplier partners, the two ways
to pay, delivery and acceptance; the pledge total never passes the need, even with many pledges at once."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction

from os2hub.core.workflow import TransitionConflict
from os2hub.development import services
from os2hub.development.models import DevelopmentRequest, Pledge, RequestEvent
from os2hub.products.models import Group, GroupMember, Product

from .personas import OrganisationFactory, Personas, UserFactory, member

pytestmark = pytest.mark.django_db

STORY = "Som sagsbehandler ønsker jeg at se borgerens sager samlet, således at jeg kan svare hurtigere"
COMPLETE = {
    "title": "Samlet sagsoverblik",
    "description": "Hvad: et overblik over borgerens sager. Hvorfor: færre opkald. Hvem: sagsbehandlere.",
    "user_stories": [STORY],
    "acceptance_criteria": ["Overblikket viser alle åbne sager", "Siden loader på under et sekund"],
    "documentation_requirements": "Brugervejledning og driftsvejledning opdateres.",
}


class World:
    def __init__(self, people):
        self.people = people
        self.product = Product.objects.create(name="OS2mo", slug="os2mo", summary="x", status="product")
        group = Group.objects.create(product=self.product, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen")
        self.coordinator = UserFactory(email="koordination@example.dk", name="Koordinator Kaj")
        GroupMember.objects.create(group=group, user=self.coordinator)

    def request(self, funding="requester", **fields) -> DevelopmentRequest:
        return services.request_create(
            user=self.people.authority_admin,
            organisation=self.people.authority,
            product=self.product,
            data={**COMPLETE, "funding": funding, **fields},
        )

    def submitted(self, funding="requester", **fields):
        request = self.request(funding, **fields)
        return services.request_submit(request=request, user=self.people.authority_admin)

    def estimated(self, funding="requester", hours="10"):
        request = self.submitted(funding)
        estimate = services.estimate_save(
            request=request,
            user=self.people.supplier_admin,
            supplier=self.people.supplier_org,
            data={"hours": hours, "reviewer": "Kodekammeret (intern review)"},
        )
        request.refresh_from_db()
        return request, estimate


@pytest.fixture
def world(people):
    return World(people)


# --- Filing and qualifying -------------------------------------------------------------------------------------


def test_a_draft_is_submitted_only_when_it_is_qualified(world, people):
    request = world.request(funding="", documentation_requirements="", user_stories=[])
    with pytest.raises(ValidationError) as error:
        services.request_submit(request=request, user=people.authority_admin)
    assert set(error.value.message_dict) == {"user_stories", "documentation_requirements", "funding"}
    assert DevelopmentRequest.objects.get(pk=request.pk).status == "draft"
    services.request_update(
        request=request,
        user=people.authority_admin,
        data={"user_stories": [STORY], "documentation_requirements": "Vejledning.", "funding": "community"},
    )
    submitted = services.request_submit(request=request, user=people.authority_admin)
    assert submitted.status == "submitted" and submitted.submitted_at
    with pytest.raises(TransitionConflict):  # a double submit
        services.request_submit(request=request, user=people.authority_admin)
    with pytest.raises(TransitionConflict):  # submitted: the text is fixed
        services.request_update(request=request, user=people.authority_admin, data={"title": "Andet"})
    assert list(RequestEvent.objects.filter(request=request).values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
    ]


@pytest.mark.parametrize(
    "story",
    [
        "Vi vil gerne have et bedre overblik",
        "Som sagsbehandler ønsker jeg et overblik",
        "As a case worker I want an overview",
    ],
)
def test_a_user_story_must_follow_the_form(world, story):
    with pytest.raises(ValidationError) as error:
        world.request(user_stories=[STORY, story])
    assert "Brugerhistorie 2 følger ikke formen" in error.value.message_dict["user_stories"][0]


def test_the_english_form_of_a_user_story_is_accepted(world):
    story = "As a case worker I want an overview of a citizen's cases, so that I can answer faster"
    assert world.request(user_stories=[story]).user_stories == [story]


def test_only_members_of_an_authority_or_supplier_file_requests(world, people):
    with pytest.raises(PermissionDenied):
        services.request_create(
            user=people.outsider, organisation=people.authority, product=world.product, data=COMPLETE
        )
    with pytest.raises(ValidationError):
        services.request_create(
            user=people.secretariat, organisation=people.secretariat_org, product=world.product, data=COMPLETE
        )
    supplier_request = services.request_create(
        user=people.supplier_admin, organisation=people.supplier_org, product=world.product, data=COMPLETE
    )
    assert supplier_request.requester == people.supplier_org


# --- Estimates -------------------------------------------------------------------------------------------------


def test_an_estimate_prices_the_hours_at_the_published_rate_or_a_fixed_price(world, people):
    request, estimate = world.estimated(hours="12.5")
    assert request.status == "estimated"
    assert (estimate.hourly_rate_dkk, estimate.price_dkk) == (Decimal("950.00"), Decimal("11875.00"))
    fixed = services.estimate_save(
        request=request,
        user=people.supplier_admin,
        supplier=people.supplier_org,
        data={"hours": "12.5", "fixed_price_dkk": "10000", "valid_until": None},
    )
    assert fixed.pk == estimate.pk  # the supplier's new estimate replaces the first
    assert (fixed.hourly_rate_dkk, fixed.price_dkk) == (Decimal("950.00"), Decimal("10000.00"))


def test_only_approved_partners_that_develop_estimate(world, people):
    request = world.submitted()
    with pytest.raises(ValidationError):
        services.estimate_save(
            request=request, user=people.new_supplier_admin, supplier=people.new_supplier_org, data={"hours": "5"}
        )
    with pytest.raises(PermissionDenied):
        services.estimate_save(request=request, user=people.outsider, supplier=people.supplier_org, data={"hours": "5"})
    draft = world.request()
    with pytest.raises(TransitionConflict):
        services.estimate_save(
            request=draft, user=people.supplier_admin, supplier=people.supplier_org, data={"hours": "5"}
        )


@pytest.mark.parametrize(
    "hours, message",
    [
        ("0", "Timerne skal være flere end 0."),
        ("-3", "Timerne skal være flere end 0."),
        ("1.001", "Timer har højst to decimaler."),
        ("abc", "Skriv timerne som et tal, for eksempel 37,5."),
        ("NaN", "Skriv timerne som et tal, for eksempel 37,5."),
        ("Infinity", "Skriv timerne som et tal, for eksempel 37,5."),
        ("100000", "Højst 99.999 timer."),
    ],
)
def test_nonsense_hours_are_refused_in_words_about_hours(world, people, hours, message):
    request = world.submitted()
    with pytest.raises(ValidationError) as error:
        services.estimate_save(
            request=request, user=people.supplier_admin, supplier=people.supplier_org, data={"hours": hours}
        )
    assert error.value.message_dict["hours"] == [message]
    assert DevelopmentRequest.objects.get(pk=request.pk).status == "submitted"


# --- The requester pays -----------------------------------------------------------------------------------------


def test_the_requester_orders_and_the_delivery_is_accepted_against_the_checklist(world, people):
    request, estimate = world.estimated()
    with pytest.raises(TransitionConflict):  # the community does not fund a request the requester pays
        services.funding_open(request=request, user=world.coordinator, estimate=estimate)
    with pytest.raises(PermissionDenied):
        services.request_order(request=request, user=people.authority2_admin, estimate=estimate)
    ordered = services.request_order(request=request, user=people.authority_admin, estimate=estimate)
    assert ordered.status == "ordered" and ordered.price_dkk == estimate.price_dkk
    sprint = services.sprint_create(
        product=world.product, user=world.coordinator, name="Sprint 1", starts_on="2026-12-01", ends_on="2026-12-14"
    )
    with pytest.raises(PermissionDenied):  # another supplier is not the one ordered
        services.request_start(request=ordered, user=people.new_supplier_admin)
    started = services.request_start(request=ordered, user=people.supplier_admin, sprint=sprint)
    assert started.status == "in_progress" and started.sprint == sprint
    delivered = services.request_deliver(request=started, user=people.supplier_admin)
    with pytest.raises(ValidationError):  # one criterion not met: send it back instead
        services.request_accept(request=delivered, user=people.authority_admin, checklist=[True, False])
    back = services.request_send_back(request=delivered, user=people.authority_admin, comment="Siden er for langsom.")
    assert back.status == "in_progress"
    delivered = services.request_deliver(request=back, user=people.supplier_admin)
    accepted = services.request_accept(request=delivered, user=people.authority_admin, checklist=[True, True])
    assert accepted.status == "accepted" and accepted.acceptance_results == [True, True]
    steps = list(RequestEvent.objects.filter(request=request).values_list("to_status", flat=True))
    assert steps == [
        "draft", "submitted", "estimated", "ordered", "in_progress", "delivered", "in_progress", "delivered",
        "accepted",
    ]  # fmt: skip


def test_states_cannot_be_skipped(world, people):
    request = world.submitted()
    with pytest.raises(TransitionConflict):  # not estimated yet: nothing to order
        services.request_order(request=request, user=people.authority_admin, estimate=None)
    request, estimate = world.estimated()
    with pytest.raises(TransitionConflict):
        services.request_deliver(request=request, user=people.supplier_admin)
    with pytest.raises(TransitionConflict):
        services.request_accept(request=request, user=people.authority_admin, checklist=[True, True])


# --- The community pays -----------------------------------------------------------------------------------------


def funded_request(world, hours="10"):
    request, estimate = world.estimated("community", hours=hours)
    return services.funding_open(request=request, user=world.coordinator, estimate=estimate, comment="Prioriteret.")


def test_two_authorities_fund_the_request_and_it_is_ordered_by_itself(world, people):
    request = funded_request(world)  # 10 hours at 950 kr.
    assert request.status == "funding" and request.price_dkk == Decimal("9500.00")
    services.pledge_create(request=request, user=people.authority_admin, organisation=people.authority, amount="4000")
    with pytest.raises(TransitionConflict) as error:  # more than what is still needed: a conflict (409)
        services.pledge_create(
            request=request, user=people.authority2_admin, organisation=people.authority2, amount="5500.01"
        )
    assert "5.500,00" in str(error.value)
    services.pledge_create(request=request, user=people.authority2_admin, organisation=people.authority2, amount="5500")
    request.refresh_from_db()
    assert request.status == "ordered" and request.pledged_dkk == request.price_dkk


@pytest.mark.parametrize("amount", ["0", "-100", "0.001", "12.345", "abc", "1e3x"])
def test_nonsense_pledges_are_refused(world, people, amount):
    request = funded_request(world)
    with pytest.raises(ValidationError):
        services.pledge_create(
            request=request, user=people.authority_admin, organisation=people.authority, amount=amount
        )
    assert DevelopmentRequest.objects.get(pk=request.pk).pledged_dkk == 0


def test_only_an_authoritys_admin_pledges_and_withdraws_and_only_while_funding(world, people):
    request = funded_request(world)
    with pytest.raises(ValidationError):
        services.pledge_create(
            request=request, user=people.supplier_admin, organisation=people.supplier_org, amount="100"
        )
    clerk = member(UserFactory(email="medarbejder@example.dk"), people.authority, role="member")
    with pytest.raises(PermissionDenied):
        services.pledge_create(request=request, user=clerk, organisation=people.authority, amount="100")
    pledge = services.pledge_create(
        request=request, user=people.authority_admin, organisation=people.authority, amount="1000"
    )
    again = services.pledge_create(  # an authority may pledge more than once, each pledge its own row
        request=request, user=people.authority_admin, organisation=people.authority, amount="1"
    )
    services.pledge_withdraw(pledge=again, user=people.authority_admin)
    with pytest.raises(PermissionDenied):  # another authority cannot withdraw it
        services.pledge_withdraw(pledge=pledge, user=people.authority2_admin)
    services.pledge_withdraw(pledge=pledge, user=people.authority_admin)
    assert DevelopmentRequest.objects.get(pk=request.pk).pledged_dkk == 0
    with pytest.raises(TransitionConflict):
        services.pledge_withdraw(pledge=pledge, user=people.authority_admin)
    full = services.pledge_create(
        request=request, user=people.authority_admin, organisation=people.authority, amount="9500"
    )
    assert DevelopmentRequest.objects.get(pk=request.pk).status == "ordered"
    with pytest.raises(TransitionConflict):  # funded: too late to withdraw
        services.pledge_withdraw(pledge=full, user=people.authority_admin)
    with pytest.raises(TransitionConflict):  # and nobody pledges to an ordered request
        services.pledge_create(
            request=request, user=people.authority2_admin, organisation=people.authority2, amount="1"
        )


def test_withdrawing_the_request_releases_the_pledges(world, people):
    request = funded_request(world)
    services.pledge_create(request=request, user=people.authority_admin, organisation=people.authority, amount="500")
    withdrawn = services.request_withdraw(request=request, user=people.authority_admin, comment="Løst på anden vis.")
    assert withdrawn.status == "withdrawn" and withdrawn.pledged_dkk == 0
    assert not Pledge.objects.filter(request=request, withdrawn_at__isnull=True).exists()


def test_the_database_refuses_a_total_above_the_price(world):
    request = funded_request(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentRequest.objects.filter(pk=request.pk).update(pledged_dkk=Decimal("9500.01"))


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_pledges_never_pass_the_need_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the conditional update is tested above on SQLite")
    people = Personas()
    world = World(people)
    request = funded_request(world, hours="10")  # 9.500 kr.
    authorities = []
    for n in range(50):
        org = OrganisationFactory(name=f"Kommune {n}", slug=f"kommune-{n}", kind="authority")
        authorities.append((org, member(UserFactory(email=f"admin{n}@kommune{n}.dk"), org)))
    barrier = threading.Barrier(len(authorities))
    outcomes = []

    def pledge(org, admin):
        try:
            barrier.wait()
            services.pledge_create(
                request=DevelopmentRequest.objects.get(pk=request.pk), user=admin, organisation=org, amount="250"
            )
            outcomes.append("pledged")
        except (ValidationError, TransitionConflict):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pledge, args=pair) for pair in authorities]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    request.refresh_from_db()
    active = Pledge.objects.filter(request=request, withdrawn_at__isnull=True)
    assert outcomes.count("pledged") == 38 == active.count()  # 38 × 250 = 9.500
    assert request.pledged_dkk == request.price_dkk == sum(p.amount_dkk for p in active)
    assert request.status == "ordered"
    assert RequestEvent.objects.filter(request=request, to_status="ordered").count() == 1
