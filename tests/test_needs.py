"""Needs and opportunities through the services and getters: an authority's need that others co-sign and that
moves to a product, a development request or a tender; suppliers' pitches; calls for suppliers with sealed
offers and one award; donations that become sandbox products; and the dashboards that find the work."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from os2hub.core.workflow import TransitionConflict
from os2hub.development import services as development
from os2hub.development.models import DevelopmentRequest, Pledge
from os2hub.needs import getters, selectors, services
from os2hub.needs.models import Call, CoSign, Donation, Follow, Need, NeedEvent, Offer, Pitch
from os2hub.products.models import Category, Group, GroupMember, Product, Repository
from os2hub.suppliers.models import PriceEntry

from .personas import OrganisationFactory, Personas, UserFactory, make_application, member

pytestmark = pytest.mark.django_db

NEED = {
    "title": "Overblik over borgerens sager",
    "problem": "Sagsbehandlerne slår op i fem systemer for at svare på ét opkald.",
    "who_has_it": "Jobcentrets sagsbehandlere",
    "current_solutions": "Regneark og post-its",
    "desired_outcome": "Ét samlet overblik, så opkald besvares på få minutter.",
    "rough_value": "Sparer omkring 500 timer om året",
}
CALL = {
    "title": "Code review af OS2mo 12.0",
    "description": "Gennemgang af ændringerne i release 12.0 med en skriftlig rapport.",
}
DONATION = {
    "name": "Mødebooker",
    "repository_url": "https://github.com/aarhus/moedebooker",
    "licence": "mit",
    "description": "Booker mødelokaler og udstyr på tværs af forvaltningerne.",
    "users": "Aarhus Kommunes forvaltninger, omkring 3.000 medarbejdere.",
}


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


class World:
    def __init__(self, people):
        self.people = people
        self.product = Product.objects.create(name="OS2mo", slug="os2mo", summary="x", status="product")
        self.group = Group.objects.create(
            product=self.product, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen"
        )
        self.coordinator = UserFactory(email="koordination@example.dk", name="Koordinator Kaj")
        GroupMember.objects.create(group=self.group, user=self.coordinator)
        # A second approved partner that reviews code (at 800 kr. an hour) but does not develop.
        self.reviewer_org = OrganisationFactory(name="Revisorerne ApS", slug="revisorerne", kind="supplier")
        self.reviewer_admin = member(UserFactory(email="review@revisorerne.dk"), self.reviewer_org)
        make_application(
            self.reviewer_org,
            self.reviewer_admin,
            cvr="29403473",
            competences=("code-review",),
            rates=(Decimal("800.00"),),
        )
        # An approved partner that only hosts.
        self.host_org = OrganisationFactory(name="Hostehuset A/S", slug="hostehuset", kind="supplier")
        self.host_admin = member(UserFactory(email="drift@hostehuset.dk"), self.host_org)
        make_application(
            self.host_org, self.host_admin, cvr="25052943", competences=("hosting",), rates=(Decimal("700.00"),)
        )

    def need(self, **fields) -> Need:
        return services.need_create(
            user=self.people.authority_admin, organisation=self.people.authority, data={**NEED, **fields}
        )

    def call(self, kind="code-review", *, user=None, caller="group", product="default", need=None, **fields) -> Call:
        return services.call_create(
            user=user or self.coordinator,
            data={**CALL, "kind": kind, "deadline": in_days(14), **fields},
            caller=caller,
            product=self.product if product == "default" else product,
            need=need,
        )

    def offer(self, call, *, user=None, supplier=None, **data) -> Offer:
        return services.offer_save(
            call=call,
            user=user or self.people.supplier_admin,
            supplier=supplier or self.people.supplier_org,
            data={"approach": "To udviklere læser koden og skriver en rapport.", **data},
        )

    def review_offer(self, call, **data) -> Offer:
        return self.offer(call, user=self.reviewer_admin, supplier=self.reviewer_org, **data)

    def donation(self, **fields) -> Donation:
        return services.donation_create(
            user=self.people.authority_admin, organisation=self.people.authority, data={**DONATION, **fields}
        )


@pytest.fixture
def world(people):
    return World(people)


def steps(need):
    return list(NeedEvent.objects.filter(need=need).values_list("from_status", "to_status", "actor__email"))


# --- Posting and changing a need -------------------------------------------------------------------------------


def test_an_authority_member_posts_a_need_and_follows_it(world, people):
    category = Category.objects.create(name_da="Beskæftigelse", name_en="Employment", slug="beskaeftigelse")
    need = services.need_create(
        user=people.authority_admin, organisation=people.authority, data=NEED, category=category
    )
    need.refresh_from_db()
    assert (need.status, need.organisation, need.created_by, need.category) == (
        "open",
        people.authority,
        people.authority_admin,
        category,
    )
    assert need.rough_value == NEED["rough_value"]
    assert steps(need) == [("", "open", "kommune@example.dk")]
    assert Follow.objects.filter(need=need, user=people.authority_admin).exists()


def test_a_supplier_account_an_outsider_or_the_secretariat_cannot_post_a_need(world, people):
    attempts = [
        (people.supplier_admin, people.supplier_org),
        (people.outsider, people.authority),
        (people.authority2_admin, people.authority),  # a member of another authority
        (people.secretariat, people.secretariat_org),
        (people.authority_admin, None),
    ]
    for user, organisation in attempts:
        with pytest.raises(PermissionDenied):
            services.need_create(user=user, organisation=organisation, data=NEED)
    assert not Need.objects.exists()


def test_a_need_has_a_title_a_problem_and_a_desired_outcome(world, people):
    with pytest.raises(ValidationError) as error:
        services.need_create(
            user=people.authority_admin,
            organisation=people.authority,
            data={"title": "  ", "problem": "", "who_has_it": "Alle"},
        )
    assert set(error.value.message_dict) == {"title", "problem", "desired_outcome"}
    assert not Need.objects.exists()


def test_optional_fields_left_out_or_none_are_stored_empty(world, people):
    need = services.need_create(
        user=people.authority_admin,
        organisation=people.authority,
        data={**NEED, "rough_value": None, "who_has_it": None, "current_solutions": None},
    )
    need.refresh_from_db()
    assert (need.rough_value, need.who_has_it, need.current_solutions) == ("", "", "")


@pytest.mark.parametrize("field", ["title", "problem", "who_has_it", "current_solutions", "desired_outcome"])
def test_a_nul_character_is_refused_in_any_text_of_a_need(world, field):
    with pytest.raises(ValidationError) as error:
        world.need(**{field: "Før\x00efter"})
    assert set(error.value.message_dict) == {field}
    assert not Need.objects.exists()


@pytest.mark.parametrize("title", ["To\nlinjer", "To\r\nlinjer", "Carriage\rreturn"])
def test_a_line_break_in_the_title_is_refused(world, title):
    with pytest.raises(ValidationError) as error:
        world.need(title=title)
    assert set(error.value.message_dict) == {"title"}
    assert not Need.objects.exists()


def test_line_breaks_are_kept_in_the_long_texts_and_the_title_is_trimmed(world):
    need = world.need(title="  Overblik  ", problem="Første linje.\n\nAnden linje.")
    need.refresh_from_db()
    assert need.title == "Overblik"
    assert need.problem == "Første linje.\n\nAnden linje."


def test_a_title_too_long_is_refused(world):
    with pytest.raises(ValidationError) as error:
        world.need(title="x" * 201)
    assert "title" in error.value.message_dict


def test_the_poster_changes_the_need_only_while_it_is_open(world, people):
    need = world.need()
    with pytest.raises(PermissionDenied):
        services.need_update(need=need, user=people.authority2_admin, data={**NEED, "title": "Kapret"})
    with pytest.raises(PermissionDenied):
        services.need_update(need=need, user=people.outsider, data={**NEED, "title": "Kapret"})
    updated = services.need_update(need=need, user=people.authority_admin, data={**NEED, "title": "Nyt overblik"})
    assert updated.title == "Nyt overblik"
    services.need_clarify(need=need, user=people.authority_admin)
    clarified = services.need_update(need=need, user=people.authority_admin, data={**NEED, "title": "Afklaret"})
    assert clarified.title == "Afklaret"  # being clarified is still open
    services.need_close(need=need, user=people.authority_admin, comment="Løst internt.")
    with pytest.raises(TransitionConflict):
        services.need_update(need=need, user=people.authority_admin, data={**NEED, "title": "For sent"})
    assert Need.objects.get(pk=need.pk).title == "Afklaret"


def test_a_change_is_checked_like_a_new_need(world, people):
    need = world.need()
    bad = [
        ({**NEED, "title": ""}, "title"),
        ({**NEED, "title": "To\nlinjer"}, "title"),
        ({**NEED, "problem": "a\x00b"}, "problem"),
        ({**NEED, "title": "x" * 201}, "title"),
        ({**NEED, "rough_value": "x" * 201}, "rough_value"),
    ]
    for data, field in bad:
        with pytest.raises(ValidationError) as error:
            services.need_update(need=need, user=people.authority_admin, data=data)
        assert field in error.value.message_dict, data
    assert Need.objects.get(pk=need.pk).title == NEED["title"]


# --- Co-signing and following ------------------------------------------------------------------------------------


def test_another_authority_cosigns_once_with_a_note(world, people):
    need = world.need()
    cosign = services.need_cosign(
        need=need, user=people.authority2_admin, organisation=people.authority2, note="Vi har 40 sagsbehandlere."
    )
    assert (cosign.organisation, cosign.created_by, cosign.note) == (
        people.authority2,
        people.authority2_admin,
        "Vi har 40 sagsbehandlere.",
    )
    assert Follow.objects.filter(need=need, user=people.authority2_admin).exists()
    with pytest.raises(TransitionConflict):
        services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    colleague = member(UserFactory(email="kollega@odense.dk"), people.authority2, role="member")
    with pytest.raises(TransitionConflict):  # the authority co-signs, not each of its members
        services.need_cosign(need=need, user=colleague, organisation=people.authority2)
    assert CoSign.objects.filter(need=need).count() == 1
    assert getters.get_need(need.pk).cosigner_count == 1


def test_an_authority_cannot_cosign_its_own_need(world, people):
    need = world.need()
    with pytest.raises(TransitionConflict):
        services.need_cosign(need=need, user=people.authority_admin, organisation=people.authority)
    assert not CoSign.objects.exists()


def test_only_a_member_of_an_authority_cosigns(world, people):
    need = world.need()
    attempts = [
        (people.supplier_admin, people.supplier_org),
        (people.outsider, people.authority2),
        (people.authority_admin, people.authority2),  # not a member of Odense
        (people.secretariat, people.secretariat_org),
    ]
    for user, organisation in attempts:
        with pytest.raises(PermissionDenied):
            services.need_cosign(need=need, user=user, organisation=organisation)
    assert not CoSign.objects.exists()


def test_a_closed_need_cannot_be_cosigned(world, people):
    need = world.need()
    services.need_close(need=need, user=people.authority_admin, comment="Dækket af OS2mo.")
    with pytest.raises(TransitionConflict):
        services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    assert not CoSign.objects.exists()


def test_a_cosign_note_is_one_line_without_nul_and_short(world, people):
    need = world.need()
    for note, in_words in [("a\nb", "note"), ("a\x00b", "note"), ("x" * 501, "note")]:
        with pytest.raises(ValidationError) as error:
            services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2, note=note)
        assert in_words in error.value.message_dict
    assert not CoSign.objects.exists()


def test_an_authority_withdraws_its_cosign(world, people):
    need = world.need()
    services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    with pytest.raises(PermissionDenied):  # only Odense's members withdraw Odense's co-sign
        services.need_uncosign(need=need, user=people.authority_admin, organisation=people.authority2)
    services.need_uncosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    assert not CoSign.objects.exists()
    with pytest.raises(TransitionConflict):
        services.need_uncosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    # And it may co-sign again.
    services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    assert CoSign.objects.filter(need=need).count() == 1


def test_anyone_logged_in_follows_and_unfollows_a_need(world, people):
    need = world.need()
    services.need_follow(need=need, user=people.outsider)
    services.need_follow(need=need, user=people.outsider)  # twice is once
    assert Follow.objects.filter(need=need, user=people.outsider).count() == 1
    services.need_unfollow(need=need, user=people.outsider)
    assert not Follow.objects.filter(need=need, user=people.outsider).exists()
    services.need_unfollow(need=need, user=people.outsider)  # not following: nothing happens
    with pytest.raises(PermissionDenied):
        services.need_follow(need=need, user=AnonymousUser())
    with pytest.raises(PermissionDenied):
        services.need_unfollow(need=need, user=AnonymousUser())


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_cosigns_by_one_authority_make_one_row_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the second co-sign is refused above on SQLite")
    people = Personas()
    world = World(people)
    need = world.need()
    colleague = member(UserFactory(email="kollega@odense.dk"), people.authority2, role="member")
    barrier = threading.Barrier(2)
    outcomes = []

    def cosign(user):
        try:
            barrier.wait()
            services.need_cosign(
                need=Need.objects.get(pk=need.pk), user=user, organisation=people.authority2, note="Også os."
            )
            outcomes.append("cosigned")
        except TransitionConflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cosign, args=(user,)) for user in (people.authority2_admin, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["cosigned", "refused"]
    assert CoSign.objects.filter(need=need, organisation=people.authority2).count() == 1


# --- Moving a need along -----------------------------------------------------------------------------------------


def test_a_need_is_clarified_goes_to_tender_and_is_closed_with_each_step_recorded(world, people):
    need = world.need()
    services.need_clarify(need=need, user=people.secretariat, comment="Vi samler kommunerne i januar.")
    tender = services.need_to_tender(
        need=need, user=people.authority_admin, tender_url="https://udbud.dk/notice/2026-123456"
    )
    assert (tender.status, tender.tender_url) == ("tender", "https://udbud.dk/notice/2026-123456")
    with pytest.raises(ValidationError) as error:  # closing says why
        services.need_close(need=need, user=people.authority_admin, comment="  ")
    assert set(error.value.message_dict) == {"comment"}
    closed = services.need_close(need=need, user=people.authority_admin, comment="Kontrakten er underskrevet.")
    assert closed.status == "closed"
    assert steps(need) == [
        ("", "open", "kommune@example.dk"),
        ("open", "clarifying", "sekretariat@example.dk"),
        ("clarifying", "tender", "kommune@example.dk"),
        ("tender", "closed", "kommune@example.dk"),
    ]
    events = NeedEvent.objects.filter(need=need)
    assert events.get(to_status="clarifying").comment == "Vi samler kommunerne i januar."
    assert events.get(to_status="closed").comment == "Kontrakten er underskrevet."
    with pytest.raises(TransitionConflict):  # closed is the end
        services.need_close(need=need, user=people.authority_admin, comment="Igen.")
    with pytest.raises(TransitionConflict):
        services.need_clarify(need=need, user=people.authority_admin)


def test_a_need_becomes_a_product(world, people):
    need = world.need()
    with pytest.raises(ValidationError) as error:
        services.need_to_product(need=need, user=people.authority_admin, product=None)
    assert set(error.value.message_dict) == {"product"}
    became = services.need_to_product(need=need, user=people.secretariat, product=world.product)
    assert (became.status, became.product) == ("product", world.product)
    assert steps(need)[-1] == ("open", "product", "sekretariat@example.dk")
    with pytest.raises(TransitionConflict):  # it has already become something
        services.need_to_tender(need=need, user=people.authority_admin, tender_url="https://udbud.dk/notice/1")
    assert services.need_close(need=need, user=people.authority_admin, comment="Leveret.").status == "closed"


def test_a_step_is_recorded_from_the_status_the_need_really_had(world, people):
    need = world.need()
    stale = Need.objects.get(pk=need.pk)  # a page opened before someone else clarified the need
    services.need_clarify(need=need, user=people.secretariat)
    services.need_to_tender(need=stale, user=people.authority_admin, tender_url="https://udbud.dk/notice/7")
    assert steps(need)[-1] == ("clarifying", "tender", "kommune@example.dk")


def test_clarifying_twice_is_a_conflict(world, people):
    need = world.need()
    services.need_clarify(need=need, user=people.authority_admin)
    with pytest.raises(TransitionConflict):
        services.need_clarify(need=need, user=people.authority_admin)
    assert NeedEvent.objects.filter(need=need, to_status="clarifying").count() == 1


def test_another_authority_a_supplier_or_an_outsider_cannot_move_the_need(world, people):
    need = world.need()
    services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    for user in (people.authority2_admin, people.supplier_admin, people.outsider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.need_clarify(need=need, user=user)
        with pytest.raises(PermissionDenied):
            services.need_to_product(need=need, user=user, product=world.product)
        with pytest.raises(PermissionDenied):
            services.need_to_request(need=need, user=user, product=world.product)
        with pytest.raises(PermissionDenied):
            services.need_to_tender(need=need, user=user, tender_url="https://udbud.dk/notice/1")
        with pytest.raises(PermissionDenied):
            services.need_close(need=need, user=user, comment="Lukket af en anden.")
    need.refresh_from_db()
    assert need.status == "open"
    assert steps(need) == [("", "open", "kommune@example.dk")]


def test_the_secretariat_moves_a_need_but_does_not_file_the_request(world, people):
    need = world.need()
    services.need_clarify(need=need, user=people.secretariat)
    with pytest.raises(PermissionDenied):  # the request is filed on behalf of the posting authority
        services.need_to_request(need=need, user=people.secretariat, product=world.product)
    assert not DevelopmentRequest.objects.exists()
    services.need_close(need=need, user=people.secretariat, comment="Dubletter et andet behov.")
    assert Need.objects.get(pk=need.pk).status == "closed"


def test_a_need_becomes_a_prefilled_draft_request_once(world, people):
    need = world.need()
    with pytest.raises(ValidationError) as error:
        services.need_to_request(need=need, user=people.authority_admin, product=None)
    assert set(error.value.message_dict) == {"product"}
    moved = services.need_to_request(
        need=need, user=people.authority_admin, product=world.product, comment="Løses i OS2mo."
    )
    draft = DevelopmentRequest.objects.get()
    assert (moved.status, moved.development_request, moved.product) == ("request", draft, world.product)
    assert (draft.status, draft.requester, draft.created_by, draft.product) == (
        "draft",
        people.authority,
        people.authority_admin,
        world.product,
    )
    assert draft.title == NEED["title"]
    for text in (NEED["problem"], NEED["who_has_it"], NEED["current_solutions"], NEED["desired_outcome"]):
        assert text in draft.description
    assert f"/needs/{need.pk}/" in draft.description
    assert steps(need)[-1] == ("open", "request", "kommune@example.dk")
    assert NeedEvent.objects.filter(need=need).last().comment == "Løses i OS2mo."
    with pytest.raises(TransitionConflict):
        services.need_to_request(need=need, user=people.authority_admin, product=world.product)
    assert DevelopmentRequest.objects.count() == 1


def test_a_refused_comment_leaves_no_draft_behind(world, people):
    need = world.need()
    with pytest.raises(ValidationError) as error:
        services.need_to_request(need=need, user=people.authority_admin, product=world.product, comment="a\x00b")
    assert set(error.value.message_dict) == {"comment"}
    assert not DevelopmentRequest.objects.exists()
    assert Need.objects.get(pk=need.pk).status == "open"


def test_a_closed_need_does_not_become_a_request(world, people):
    need = world.need()
    services.need_close(need=need, user=people.authority_admin, comment="Ikke længere aktuelt.")
    with pytest.raises(TransitionConflict):
        services.need_to_request(need=need, user=people.authority_admin, product=world.product)
    assert not DevelopmentRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_clicks_make_one_draft_request_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the second click is refused above on SQLite")
    people = Personas()
    world = World(people)
    need = world.need()
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            services.need_to_request(
                need=Need.objects.get(pk=need.pk), user=people.authority_admin, product=world.product
            )
            outcomes.append("filed")
        except TransitionConflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["filed", "refused"]
    assert DevelopmentRequest.objects.count() == 1
    assert NeedEvent.objects.filter(need=need, to_status="request").count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1",
        "https://127.0.0.1/notice",
        "https://10.0.0.1/",
        "https://192.168.1.20/udbud",
        "https://localhost/",
        "https://intranet.local/udbud",
        "https://[::1]/",
        "http://udbud.dk/notice/1",  # not https
        "ftp://udbud.dk/notice/1",
        "javascript:alert(1)",
        "https://user:secret@udbud.dk/notice/1",
        "",
    ],
)
def test_a_tender_links_a_public_https_notice(world, people, url):
    need = world.need()
    with pytest.raises(ValidationError) as error:
        services.need_to_tender(need=need, user=people.authority_admin, tender_url=url)
    assert set(error.value.message_dict) == {"tender_url"}
    need.refresh_from_db()
    assert (need.status, need.tender_url) == ("open", "")


def test_a_comment_on_a_step_has_no_nul_and_is_not_endless(world, people):
    need = world.need()
    for comment in ("a\x00b", "x" * 2001):
        with pytest.raises(ValidationError) as error:
            services.need_clarify(need=need, user=people.authority_admin, comment=comment)
        assert set(error.value.message_dict) == {"comment"}
    assert Need.objects.get(pk=need.pk).status == "open"


# --- E-mail about a need -----------------------------------------------------------------------------------------


def test_the_poster_and_the_followers_hear_of_cosigns_and_steps_but_not_of_their_own(
    world, people, django_capture_on_commit_callbacks
):
    need = world.need()
    services.need_follow(need=need, user=people.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"kommune@example.dk", "outsider@example.dk"}  # not Odense, who co-signed
    assert "Odense Kommune" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_clarify(need=need, user=people.secretariat, comment="Møde den 3. marts.")
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"kommune@example.dk", "kommune2@example.dk", "outsider@example.dk"}
    assert "Møde den 3. marts." in mail.outbox[0].body
    assert f"/needs/{need.pk}/" in mail.outbox[0].body
    mail.outbox.clear()
    services.need_unfollow(need=need, user=people.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_close(need=need, user=people.authority_admin, comment="Løst.")
    assert set(mail.outbox[0].to) == {"kommune2@example.dk"}  # the poster acted, the outsider left


def test_no_mail_leaves_when_a_step_is_refused(world, people, django_capture_on_commit_callbacks):
    need = world.need()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.need_to_tender(need=need, user=people.authority_admin, tender_url="https://localhost/")
    assert mail.outbox == []


# --- Pitches ---------------------------------------------------------------------------------------------------


PITCH = {"title": "OS2mo Overblik", "text": "Vi har bygget et overblik oven på OS2mo.", "wants_meeting": True}


def test_an_approved_partner_pitches_to_an_open_need_and_the_need_hears_of_it(
    world, people, django_capture_on_commit_callbacks
):
    need = world.need()
    with django_capture_on_commit_callbacks(execute=True):
        pitch = services.pitch_create(
            user=people.supplier_admin,
            supplier=people.supplier_org,
            need=need,
            data={**PITCH, "links": "https://kodekammeret.dk/overblik\n\nhttps://github.com/kodekammeret/overblik\n"},
        )
    assert (pitch.supplier, pitch.need, pitch.wants_meeting, pitch.wants_event) == (
        people.supplier_org,
        need,
        True,
        False,
    )
    assert pitch.links == ["https://kodekammeret.dk/overblik", "https://github.com/kodekammeret/overblik"]
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]
    assert "Kodekammeret ApS" in mail.outbox[0].body


def test_a_partner_pitches_on_its_own(world, people):
    pitch = services.pitch_create(user=people.supplier_admin, supplier=people.supplier_org, data=PITCH)
    assert pitch.need is None and pitch.links == []
    assert getters.get_pitch(pitch.pk) == pitch


def test_only_members_of_an_approved_partner_pitch(world, people):
    attempts = [
        (people.new_supplier_admin, people.new_supplier_org),  # not approved
        (people.outsider, people.supplier_org),
        (people.authority_admin, people.authority),
        (people.authority_admin, people.supplier_org),
    ]
    for user, supplier in attempts:
        with pytest.raises(PermissionDenied):
            services.pitch_create(user=user, supplier=supplier, data=PITCH)
    assert not Pitch.objects.exists()


def test_a_closed_need_takes_no_pitches(world, people):
    need = world.need()
    services.need_close(need=need, user=people.authority_admin, comment="Løst.")
    with pytest.raises(TransitionConflict):
        services.pitch_create(user=people.supplier_admin, supplier=people.supplier_org, need=need, data=PITCH)
    assert not Pitch.objects.exists()


@pytest.mark.parametrize(
    "link",
    [
        "http://kodekammeret.dk",
        "https://127.0.0.1/demo",
        "https://10.0.0.1/",
        "https://localhost/",
        "javascript:alert(1)",
        "ftp://kodekammeret.dk/demo.zip",
        "https://kodekammeret.dk/" + "x" * 500,
    ],
)
def test_a_pitch_link_must_be_public_https(world, people, link):
    with pytest.raises(ValidationError) as error:
        services.pitch_create(
            user=people.supplier_admin,
            supplier=people.supplier_org,
            data={**PITCH, "links": ["https://kodekammeret.dk", link]},
        )
    assert set(error.value.message_dict) == {"links"}
    assert not Pitch.objects.exists()


def test_a_pitch_has_at_most_ten_links_once_each(world, people):
    links = [f"https://kodekammeret.dk/{n}" for n in range(11)]
    with pytest.raises(ValidationError) as error:
        services.pitch_create(user=people.supplier_admin, supplier=people.supplier_org, data={**PITCH, "links": links})
    assert set(error.value.message_dict) == {"links"}
    pitch = services.pitch_create(
        user=people.supplier_admin, supplier=people.supplier_org, data={**PITCH, "links": links[:1] * 12}
    )
    assert pitch.links == links[:1]


def test_a_pitch_has_a_one_line_title_and_a_text(world, people):
    with pytest.raises(ValidationError) as error:
        services.pitch_create(user=people.supplier_admin, supplier=people.supplier_org, data={"title": "", "text": ""})
    assert set(error.value.message_dict) == {"title", "text"}
    with pytest.raises(ValidationError) as error:
        services.pitch_create(
            user=people.supplier_admin, supplier=people.supplier_org, data={**PITCH, "title": "To\nlinjer"}
        )
    assert set(error.value.message_dict) == {"title"}


def test_the_secretariat_marks_a_pitch_for_a_meeting_once(world, people, django_capture_on_commit_callbacks):
    pitch = services.pitch_create(user=people.supplier_admin, supplier=people.supplier_org, data=PITCH)
    for user in (people.supplier_admin, people.authority_admin, people.outsider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.pitch_mark_for_meeting(pitch=pitch, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        marked = services.pitch_mark_for_meeting(pitch=pitch, user=people.secretariat)
    assert marked.marked_for_meeting_at and marked.marked_by == people.secretariat
    assert [set(m.to) for m in mail.outbox] == [{"leverandoer@example.dk", "udvikler@example.dk"}]
    with pytest.raises(TransitionConflict):
        services.pitch_mark_for_meeting(pitch=pitch, user=people.secretariat)
    assert Pitch.objects.get(pk=pitch.pk).marked_for_meeting_at == marked.marked_for_meeting_at


# --- Calls for suppliers ---------------------------------------------------------------------------------------


def test_who_may_call_and_on_whose_behalf(world, people):
    def keys(user, product=None):
        return [key for key, _name, _value in services.caller_choices(user, product)]

    assert keys(world.coordinator, world.product) == ["group"]
    assert keys(world.coordinator) == []  # the group calls only for its own product
    assert services.caller_choices(world.coordinator, world.product)[0][2] == world.group
    assert keys(people.secretariat, world.product) == ["os2"]
    assert keys(people.authority_admin, world.product) == ["aarhus"]
    assert keys(people.authority2_admin) == ["odense"]
    assert keys(people.supplier_admin, world.product) == []
    assert keys(people.outsider, world.product) == []
    assert keys(AnonymousUser(), world.product) == []
    other = Product.objects.create(name="OS2kitos", slug="os2kitos", summary="x")
    assert keys(world.coordinator, other) == []


def test_a_coordination_group_calls_for_code_review(world):
    call = world.call(budget_min_dkk="20000", budget_max_dkk="40000.50")
    assert (call.kind, call.status, call.group, call.organisation, call.product, call.created_by) == (
        "code-review",
        "open",
        world.group,
        None,
        world.product,
        world.coordinator,
    )
    assert (call.budget_min_dkk, call.budget_max_dkk) == (Decimal("20000.00"), Decimal("40000.50"))
    assert call.caller_name == "Koordinationsgruppen (OS2mo)"
    assert getters.get_call(call.pk) == call


def test_an_authority_calls_for_its_need(world, people):
    need = world.need()
    call = world.call(
        "consulting", user=people.authority_admin, caller="aarhus", product=None, need=need, deadline=in_days(0)
    )
    assert (call.organisation, call.group, call.need, call.product) == (people.authority, None, need, None)
    services.need_close(need=need, user=people.authority_admin, comment="Løst.")
    with pytest.raises(TransitionConflict):
        world.call("consulting", user=people.authority_admin, caller="aarhus", product=None, need=need)


def test_a_deadline_given_as_an_iso_date_is_understood(world):
    call = world.call(deadline=in_days(3).isoformat())
    call.refresh_from_db()
    assert call.deadline == in_days(3)
    with pytest.raises(ValidationError) as error:
        world.call(deadline="den 3. marts")
    assert set(error.value.message_dict) == {"deadline"}


def test_only_a_group_member_the_secretariat_or_an_authority_calls(world, people):
    for user in (people.supplier_admin, people.outsider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            world.call(user=user, caller="")
    with pytest.raises(ValidationError) as error:  # on behalf of another authority
        world.call(user=people.authority_admin, caller="odense")
    assert set(error.value.message_dict) == {"caller"}
    with pytest.raises(ValidationError):  # not a member of the group
        world.call(user=people.authority_admin, caller="group")
    assert not Call.objects.exists()
    assert world.call(user=people.secretariat, caller="os2").organisation == people.secretariat_org


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "painting"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"deadline": None}, "deadline"),
        ({"deadline": "yesterday"}, "deadline"),
        ({"title": ""}, "title"),
        ({"title": "To\nlinjer"}, "title"),
        ({"description": "a\x00b"}, "description"),
        ({"budget_min_dkk": "100.001"}, "budget_min_dkk"),
        ({"budget_max_dkk": "0.005"}, "budget_max_dkk"),
        ({"budget_min_dkk": "-1"}, "budget_min_dkk"),
        ({"budget_max_dkk": "abc"}, "budget_max_dkk"),
        ({"budget_max_dkk": "NaN"}, "budget_max_dkk"),
        ({"budget_min_dkk": "50000", "budget_max_dkk": "40000"}, "budget_max_dkk"),
    ],
)
def test_a_call_with_bad_input_is_refused_by_field(world, fields, field):
    if fields.get("deadline") == "yesterday":
        fields = {"deadline": in_days(-1)}
    with pytest.raises(ValidationError) as error:
        world.call(**fields)
    assert field in error.value.message_dict
    assert not Call.objects.exists()


def test_a_call_is_for_a_product_or_a_need(world, people):
    with pytest.raises(ValidationError) as error:
        world.call(user=people.authority_admin, caller="aarhus", product=None, need=None)
    assert set(error.value.message_dict) == {"product"}


# --- Offers ----------------------------------------------------------------------------------------------------


def test_a_partner_offering_code_review_prices_hours_at_its_published_review_rate(
    world, people, django_capture_on_commit_callbacks
):
    call = world.call()
    rate = PriceEntry.objects.get(application=people.supplier, competence="code-review").hourly_rate_dkk
    assert rate == Decimal("1100.00")  # the development rate is 950
    with django_capture_on_commit_callbacks(execute=True):
        offer = world.offer(call, hours="12.5", team="Lene og Lars")
    assert (offer.hours, offer.hourly_rate_dkk, offer.fixed_price_dkk, offer.price_dkk) == (
        Decimal("12.5"),
        rate,
        None,
        Decimal("13750.00"),
    )
    assert (offer.supplier, offer.created_by, offer.team) == (
        people.supplier_org,
        people.supplier_admin,
        "Lene og Lars",
    )
    assert [m.to for m in mail.outbox] == [["koordination@example.dk"]]  # the caller hears of it


def test_a_development_call_uses_the_development_rate(world):
    offer = world.offer(world.call("development"), hours="10")
    assert (offer.hourly_rate_dkk, offer.price_dkk) == (Decimal("950.00"), Decimal("9500.00"))


def test_the_newest_published_rate_in_force_is_used(world, people):
    PriceEntry.objects.create(
        application=people.supplier, competence="code-review", hourly_rate_dkk="1200", valid_from=in_days(-1)
    )
    PriceEntry.objects.create(
        application=people.supplier, competence="code-review", hourly_rate_dkk="5000", valid_from=in_days(30)
    )
    assert world.offer(world.call(), hours="1").hourly_rate_dkk == Decimal("1200.00")


def test_a_fixed_price_wins_and_the_rate_is_shown(world):
    offer = world.offer(world.call(), hours="10", price_dkk="9999.50")
    assert (offer.fixed_price_dkk, offer.price_dkk, offer.hourly_rate_dkk) == (
        Decimal("9999.50"),
        Decimal("9999.50"),
        Decimal("1100.00"),
    )


def test_a_second_offer_replaces_the_first(world, people):
    call = world.call()
    first = world.offer(call, hours="10")
    second = world.offer(call, price_dkk="8000", approach="Én udvikler, to dage.")
    assert second.pk == first.pk
    offer = Offer.objects.get(call=call)
    assert (offer.price_dkk, offer.hours, offer.approach) == (Decimal("8000.00"), None, "Én udvikler, to dage.")


def test_a_partner_without_the_competence_cannot_offer(world, people):
    call = world.call()  # code review
    with pytest.raises(PermissionDenied):
        world.offer(call, user=world.host_admin, supplier=world.host_org, hours="10")
    hosting = world.call("hosting")
    with pytest.raises(PermissionDenied):
        world.offer(hosting, hours="10")  # Kodekammeret develops and reviews but does not host
    with pytest.raises(PermissionDenied):
        world.review_offer(world.call("development"), hours="10")
    assert world.offer(hosting, user=world.host_admin, supplier=world.host_org, hours="2").price_dkk == Decimal(
        "1400.00"
    )
    assert Offer.objects.count() == 1


def test_only_members_of_an_approved_partner_offer(world, people):
    call = world.call()
    attempts = [
        (people.new_supplier_admin, people.new_supplier_org),
        (people.outsider, people.supplier_org),
        (people.authority_admin, people.authority),
        (world.coordinator, people.supplier_org),
    ]
    for user, supplier in attempts:
        with pytest.raises(PermissionDenied):
            world.offer(call, user=user, supplier=supplier, hours="10")
    assert not Offer.objects.exists()


def test_an_offer_after_the_deadline_is_a_conflict(world):
    call = world.call(deadline=in_days(0))
    assert world.offer(call, hours="1")  # the deadline day itself is in time
    Call.objects.filter(pk=call.pk).update(deadline=in_days(-1))
    call.refresh_from_db()
    with pytest.raises(TransitionConflict):
        world.review_offer(call, hours="10")
    with pytest.raises(TransitionConflict):  # nor is a made offer changed
        world.offer(call, hours="2")
    assert Offer.objects.get().hours == Decimal("1.00")


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "price_dkk"),
        ({"hours": "0"}, "hours"),
        ({"hours": "1.001"}, "hours"),
        ({"hours": "abc"}, "hours"),
        ({"hours": "Infinity"}, "hours"),
        ({"hours": "100000"}, "hours"),
        ({"price_dkk": "0"}, "price_dkk"),
        ({"price_dkk": "10.001"}, "price_dkk"),
        ({"price_dkk": "99999999999"}, "price_dkk"),
        ({"hours": "10", "hourly_rate_dkk": "-5"}, "hourly_rate_dkk"),
        ({"hours": "99999.99", "hourly_rate_dkk": "9999999.99"}, "hours"),
        ({"hours": "10", "approach": ""}, "approach"),
        ({"hours": "10", "approach": "a\x00b"}, "approach"),
    ],
)
def test_an_offer_with_bad_input_is_refused_by_field(world, data, field):
    call = world.call()
    with pytest.raises(ValidationError) as error:
        world.offer(call, **data)
    assert field in error.value.message_dict
    assert not Offer.objects.exists()


def test_hours_at_the_rate_are_rounded_half_up_to_the_ore_as_estimates_are(world):
    offer = world.offer(world.call(), hours="1.25", hourly_rate_dkk="100.10")  # 125.125 kr.
    assert offer.price_dkk == Decimal("125.13")


def test_a_price_that_comes_to_nothing_is_refused_in_words(world, people):
    call = world.call()
    with pytest.raises(ValidationError) as error:  # 0.0001 kr. is 0.00 kr.
        world.offer(call, hours="0.01", hourly_rate_dkk="0.01")
    assert set(error.value.message_dict) == {"hours"}
    PriceEntry.objects.create(
        application=people.supplier, competence="code-review", hourly_rate_dkk="0", valid_from=in_days(0)
    )
    with pytest.raises(ValidationError) as error:  # a published rate of 0 kr.
        world.offer(call, hours="10")
    assert set(error.value.message_dict) == {"hours"}
    assert not Offer.objects.exists()


def test_without_a_published_rate_hours_need_a_rate(world):
    consultant_org = OrganisationFactory(name="Rådgiverne ApS", slug="raadgiverne", kind="supplier")
    consultant = member(UserFactory(email="raad@raadgiverne.dk"), consultant_org)
    make_application(consultant_org, consultant, cvr="10103940", competences=("consulting-design",), rates=())
    call = world.call("consulting")
    with pytest.raises(ValidationError) as error:
        world.offer(call, user=consultant, supplier=consultant_org, hours="10")
    assert set(error.value.message_dict) == {"hourly_rate_dkk"}
    offer = world.offer(call, user=consultant, supplier=consultant_org, hours="10", hourly_rate_dkk="900")
    assert offer.price_dkk == Decimal("9000.00")


# --- Awarding ----------------------------------------------------------------------------------------------------


def test_the_caller_awards_once_and_every_bidder_is_told(world, people, django_capture_on_commit_callbacks):
    call = world.call()
    winner = world.review_offer(call, hours="10")  # 8.000 kr.
    loser = world.offer(call, hours="10")  # 11.000 kr.
    assert [o.pk for o in getters.visible_offers(world.coordinator, call)] == [winner.pk, loser.pk]  # cheapest first
    with django_capture_on_commit_callbacks(execute=True):
        awarded = services.call_award(call=call, user=world.coordinator, offer=winner)
    assert (awarded.status, awarded.awarded_offer, bool(awarded.awarded_at)) == ("awarded", winner, True)
    told = {tuple(sorted(m.to)): m.body for m in mail.outbox}
    assert set(told) == {("review@revisorerne.dk",), ("leverandoer@example.dk", "udvikler@example.dk")}
    assert "8.000" in told[("review@revisorerne.dk",)]  # the winner hears its price (Danish by default)
    assert "8.000" not in told[("leverandoer@example.dk", "udvikler@example.dk")]  # the others do not
    with pytest.raises(TransitionConflict):
        services.call_award(call=call, user=world.coordinator, offer=loser)
    assert Call.objects.get(pk=call.pk).awarded_offer == winner
    with pytest.raises(TransitionConflict):  # and the call takes no more offers
        world.offer(call, price_dkk="100")


def test_only_the_caller_awards(world, people):
    call = world.call()
    offer = world.offer(call, hours="10")
    for user in (people.authority2_admin, people.authority_admin, people.secretariat, people.supplier_admin):
        with pytest.raises(PermissionDenied):
            services.call_award(call=call, user=user, offer=offer)
    assert Call.objects.get(pk=call.pk).status == "open"


def test_the_secretariat_awards_its_own_call_and_an_authority_its_own(world, people):
    ours = world.call(user=people.secretariat, caller="os2")
    offer = world.offer(ours, hours="1")
    with pytest.raises(PermissionDenied):
        services.call_award(call=ours, user=people.authority_admin, offer=offer)
    assert services.call_award(call=ours, user=people.secretariat, offer=offer).status == "awarded"
    aarhus = world.call(user=people.authority_admin, caller="aarhus")
    offer = world.offer(aarhus, hours="1")
    with pytest.raises(PermissionDenied):
        services.call_award(call=aarhus, user=people.authority2_admin, offer=offer)
    with pytest.raises(PermissionDenied):  # the secretariat did not make Aarhus's call
        services.call_award(call=aarhus, user=people.secretariat, offer=offer)
    assert services.call_award(call=aarhus, user=people.authority_admin, offer=offer).awarded_offer == offer


def test_the_awarded_offer_must_belong_to_the_call(world):
    call, other = world.call(), world.call(title="En anden opgave")
    elsewhere = world.offer(other, hours="10")
    for offer in (elsewhere, None):
        with pytest.raises(ValidationError) as error:
            services.call_award(call=call, user=world.coordinator, offer=offer)
        assert set(error.value.message_dict) == {"offer"}
    assert Call.objects.get(pk=call.pk).status == "open"


def test_the_caller_or_the_secretariat_cancels_an_open_call(world, people, django_capture_on_commit_callbacks):
    call = world.call()
    world.offer(call, hours="10")
    for user in (people.authority_admin, people.supplier_admin, people.outsider):
        with pytest.raises(PermissionDenied):
            services.call_cancel(call=call, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.call_cancel(call=call, user=people.secretariat, reason="Opgaven løses internt.")
    assert cancelled.status == "cancelled"
    assert [sorted(m.to) for m in mail.outbox] == [["leverandoer@example.dk", "udvikler@example.dk"]]
    assert "Opgaven løses internt." in mail.outbox[0].body
    with pytest.raises(TransitionConflict):
        services.call_cancel(call=call, user=world.coordinator)
    with pytest.raises(TransitionConflict):
        world.review_offer(call, hours="1")
    with pytest.raises(TransitionConflict):
        services.call_award(call=call, user=world.coordinator, offer=Offer.objects.get())
    awarded = world.call()
    services.call_award(call=awarded, user=world.coordinator, offer=world.offer(awarded, hours="1"))
    with pytest.raises(TransitionConflict):  # an award stands
        services.call_cancel(call=awarded, user=world.coordinator)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_awards_leave_one_winner_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the second award is refused above on SQLite")
    people = Personas()
    world = World(people)
    colleague = UserFactory(email="kollega@koordination.dk")
    GroupMember.objects.create(group=world.group, user=colleague)
    call = world.call()
    offers = [world.offer(call, hours="10"), world.review_offer(call, hours="10")]
    barrier = threading.Barrier(2)
    outcomes = []

    def award(user, offer):
        try:
            barrier.wait()
            services.call_award(call=Call.objects.get(pk=call.pk), user=user, offer=offer)
            outcomes.append(offer.pk)
        except TransitionConflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=award, args=pair) for pair in ((world.coordinator, offers[0]), (colleague, offers[1]))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("refused") == 1
    won = next(o for o in outcomes if o != "refused")
    assert Call.objects.get(pk=call.pk).awarded_offer_id == won


# --- Sealed offers ---------------------------------------------------------------------------------------------


def test_offers_are_sealed_until_the_award_and_then_the_award_is_public(world, people):
    call = world.call()
    ours = world.offer(call, hours="10")
    theirs = world.review_offer(call, hours="10")

    def seen(user):
        return {o.pk for o in getters.visible_offers(user, getters.get_call(call.pk))}

    both = {ours.pk, theirs.pk}
    assert seen(world.coordinator) == both
    assert seen(people.secretariat) == both
    assert getters.can_see_all_offers(world.coordinator, call) and getters.can_see_all_offers(people.secretariat, call)
    assert seen(people.supplier_admin) == seen(people.supplier_member) == {ours.pk}
    assert seen(world.reviewer_admin) == {theirs.pk}
    for stranger in (people.authority_admin, people.authority2_admin, people.outsider, world.host_admin):
        assert seen(stranger) == set()
    assert seen(AnonymousUser()) == set()

    services.call_award(call=call, user=world.coordinator, offer=theirs)
    assert seen(AnonymousUser()) == {theirs.pk}
    assert seen(people.outsider) == {theirs.pk}
    assert seen(people.supplier_admin) == both  # its own and the awarded one
    assert seen(world.reviewer_admin) == {theirs.pk}
    assert seen(world.coordinator) == seen(people.secretariat) == both


def test_a_cancelled_call_shows_no_offers_to_the_public(world, people):
    call = world.call()
    world.offer(call, hours="10")
    services.call_cancel(call=call, user=world.coordinator)
    assert not getters.visible_offers(AnonymousUser(), getters.get_call(call.pk)).exists()
    assert not getters.visible_offers(people.outsider, getters.get_call(call.pk)).exists()


# --- Donations -------------------------------------------------------------------------------------------------


def test_an_authority_donates_and_the_secretariat_is_told(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        donation = world.donation()
    assert (donation.status, donation.organisation, donation.created_by, donation.licence) == (
        "offered",
        people.authority,
        people.authority_admin,
        "MIT",
    )
    assert [m.to for m in mail.outbox] == [["sekretariat@example.dk"]]
    assert getters.get_donation_for_user(people.authority_admin, donation.pk) == donation
    assert getters.get_donation_for_user(people.secretariat, donation.pk) == donation


def test_only_an_authority_member_donates(world, people):
    attempts = [
        (people.supplier_admin, people.supplier_org),
        (people.outsider, people.authority),
        (people.authority2_admin, people.authority),
        (people.secretariat, people.secretariat_org),
    ]
    for user, organisation in attempts:
        with pytest.raises(PermissionDenied):
            services.donation_create(user=user, organisation=organisation, data=DONATION)
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://github.com/aarhus/moedebooker",
        "https://127.0.0.1/aarhus/moedebooker",
        "https://10.0.0.1/git",
        "https://localhost/git",
        "https://git.aarhus.local/moedebooker",
        "ssh://git@github.com/aarhus/moedebooker",
    ],
)
def test_a_donation_has_a_public_https_repository(world, url):
    with pytest.raises(ValidationError) as error:
        world.donation(repository_url=url)
    assert set(error.value.message_dict) == {"repository_url"}
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    "given, stored", [("mit", "MIT"), ("eupl-1.2", "EUPL-1.2"), ("MPL-2.0", "MPL-2.0"), ("apache-2.0", "Apache-2.0")]
)
def test_a_donations_licence_is_written_as_spdx_writes_it(world, given, stored):
    assert world.donation(licence=given).licence == stored


@pytest.mark.parametrize("licence", ["", "Proprietary", "CC-BY-NC-4.0", "LicenseRef-Aarhus", "MIT OR Proprietary"])
def test_a_donation_must_be_under_an_osi_approved_licence(world, licence):
    with pytest.raises(ValidationError) as error:
        world.donation(licence=licence)
    assert set(error.value.message_dict) == {"licence"}
    assert not Donation.objects.exists()


def test_a_donation_has_a_name_a_description_and_its_users(world):
    with pytest.raises(ValidationError) as error:
        world.donation(name="", description=" ", users="")
    assert set(error.value.message_dict) == {"name", "description", "users"}
    with pytest.raises(ValidationError) as error:
        world.donation(name="To\nlinjer")
    assert set(error.value.message_dict) == {"name"}


def test_the_secretariat_turns_a_donation_into_a_sandbox_product_once(
    world, people, django_capture_on_commit_callbacks
):
    donation = world.donation(description="Booker lokaler. " * 40)
    for user in (people.authority_admin, people.supplier_admin, people.outsider):
        with pytest.raises(PermissionDenied):
            services.donation_accept(donation=donation, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        product = services.donation_accept(donation=donation, user=people.secretariat)
    product.refresh_from_db()
    assert (product.name, product.status, product.licence) == ("Mødebooker", "sandbox", "MIT")
    assert len(product.summary) <= 300 and product.summary.endswith("...")
    assert product.target_group == DONATION["users"]
    assert list(Repository.objects.filter(product=product).values_list("url", flat=True)) == [
        DONATION["repository_url"]
    ]
    donation.refresh_from_db()
    assert (donation.status, donation.product, donation.decided_by) == ("accepted", product, people.secretariat)
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]
    with pytest.raises(TransitionConflict):
        services.donation_accept(donation=donation, user=people.secretariat)
    with pytest.raises(TransitionConflict):
        services.donation_decline(donation=donation, user=people.secretariat, reason="Fortrudt.")
    assert Product.objects.filter(name="Mødebooker").count() == 1


def test_a_donated_product_is_found_in_the_catalogue_by_the_words_of_its_description(client, world, people):
    services.donation_accept(
        donation=world.donation(description="Booker mødelokaler til borgermøder."), user=people.secretariat
    )
    page = client.get("/products/", {"q": "borgermøder"})
    assert "Mødebooker" in page.content.decode()


def test_a_donated_product_gets_a_slug_of_its_own(world, people):
    Product.objects.create(name="Mødebooker", slug="modebooker", summary="x")
    product = services.donation_accept(donation=world.donation(), user=people.secretariat)
    assert product.slug != "modebooker"


def test_a_declined_donation_says_why(world, people, django_capture_on_commit_callbacks):
    donation = world.donation()
    with pytest.raises(PermissionDenied):
        services.donation_decline(donation=donation, user=people.authority_admin, reason="Nej.")
    with pytest.raises(ValidationError) as error:
        services.donation_decline(donation=donation, user=people.secretariat, reason="  ")
    assert set(error.value.message_dict) == {"reason"}
    with django_capture_on_commit_callbacks(execute=True):
        declined = services.donation_decline(
            donation=donation, user=people.secretariat, reason="Findes allerede som OS2booking."
        )
    assert (declined.status, declined.reason, declined.product) == ("declined", "Findes allerede som OS2booking.", None)
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]
    assert "OS2booking" in mail.outbox[0].body
    with pytest.raises(TransitionConflict):
        services.donation_accept(donation=donation, user=people.secretariat)
    assert not Product.objects.filter(name="Mødebooker").exists()


def test_donations_are_seen_by_the_donor_and_the_secretariat(world, people):
    donation = world.donation()
    assert list(getters.visible_donations(people.authority_admin)) == [donation]
    assert list(getters.visible_donations(people.secretariat)) == [donation]
    for user in (people.authority2_admin, people.supplier_admin, people.outsider, AnonymousUser()):
        assert not getters.visible_donations(user).exists()


# --- Dashboards --------------------------------------------------------------------------------------------------


REQUEST = {
    "title": "Samlet sagsoverblik",
    "description": "Hvad: et overblik over borgerens sager. Hvorfor: færre opkald. Hvem: sagsbehandlere.",
    "user_stories": ["Som sagsbehandler ønsker jeg at se borgerens sager samlet, således at jeg kan svare hurtigere"],
    "acceptance_criteria": ["Overblikket viser alle åbne sager"],
    "documentation_requirements": "Brugervejledning opdateres.",
    "funding": "requester",
}


def submitted_request(world, title):
    request = development.request_create(
        user=world.people.authority_admin,
        organisation=world.people.authority,
        product=world.product,
        data={**REQUEST, "title": title},
    )
    return development.request_submit(request=request, user=world.people.authority_admin)


def test_a_partner_sees_the_calls_it_can_answer_open_needs_and_requests_awaiting_its_estimate(world, people):
    review = world.call("code-review", title="Review")
    development_call = world.call("development", title="Udvikling")
    world.call("hosting", title="Hosting")  # no matching competence
    late = world.call("code-review", title="For sent")
    Call.objects.filter(pk=late.pk).update(deadline=in_days(-1))
    cancelled = world.call("code-review", title="Aflyst")
    services.call_cancel(call=cancelled, user=world.coordinator)
    awarded = world.call("code-review", title="Tildelt")
    services.call_award(call=awarded, user=world.coordinator, offer=world.review_offer(awarded, hours="1"))
    open_need = world.need(title="Åbent behov")
    closed_need = world.need(title="Lukket behov")
    services.need_close(need=closed_need, user=people.authority_admin, comment="Løst.")
    waiting = submitted_request(world, "Venter på estimat")
    estimated = submitted_request(world, "Allerede estimeret")
    development.estimate_save(
        request=estimated, user=people.supplier_admin, supplier=people.supplier_org, data={"hours": "5"}
    )
    development.request_create(  # a draft is not waiting for anyone
        user=people.authority_admin, organisation=people.authority, product=world.product, data=REQUEST
    )

    found = getters.supplier_opportunities(people.supplier_org)
    assert set(found["kinds"]) == {"development", "code-review"}
    assert {c.pk for c in found["calls"]} == {review.pk, development_call.pk}
    assert [n.pk for n in found["needs"]] == [open_need.pk]
    assert [r.pk for r in found["requests"]] == [waiting.pk]

    reviewer = getters.supplier_opportunities(world.reviewer_org)  # reviews, does not develop
    assert reviewer["kinds"] == ["code-review"]
    assert [c.pk for c in reviewer["calls"]] == [review.pk]
    assert {r.pk for r in reviewer["requests"]} == set()

    host = getters.supplier_opportunities(world.host_org)
    assert [c.title for c in host["calls"]] == ["Hosting"]


def test_a_supplier_that_is_not_an_approved_partner_has_no_opportunities(world, people):
    world.call()
    world.need()
    for organisation in (people.new_supplier_org, people.authority):
        assert getters.supplier_opportunities(organisation) == {"calls": [], "needs": [], "requests": [], "kinds": []}


def test_the_weekly_digest_keeps_only_what_is_new(world, people):
    old_call, new_call = world.call(title="Gammel"), world.call(title="Ny")
    old_need, new_need = world.need(title="Gammelt"), world.need(title="Nyt")
    old_request, new_request = submitted_request(world, "Gammel"), submitted_request(world, "Ny")
    week_ago = timezone.now() - timedelta(days=8)
    Call.objects.filter(pk=old_call.pk).update(created_at=week_ago)
    Need.objects.filter(pk=old_need.pk).update(created_at=week_ago)
    DevelopmentRequest.objects.filter(pk=old_request.pk).update(submitted_at=week_ago)
    since = timezone.now() - timedelta(days=7)
    found = getters.supplier_opportunities(people.supplier_org, since=since)
    assert [c.pk for c in found["calls"]] == [new_call.pk]
    assert [n.pk for n in found["needs"]] == [new_need.pk]
    assert [r.pk for r in found["requests"]] == [new_request.pk]
    everything = getters.supplier_opportunities(people.supplier_org)
    assert len(everything["calls"]) == len(everything["needs"]) == len(everything["requests"]) == 2


def test_an_authority_sees_its_needs_cosigns_pledges_and_calls(world, people):
    ours = world.need(title="Vores behov")
    theirs = services.need_create(
        user=people.authority2_admin, organisation=people.authority2, data={**NEED, "title": "Odenses behov"}
    )
    services.need_cosign(need=theirs, user=people.authority_admin, organisation=people.authority)
    services.need_cosign(need=ours, user=people.authority2_admin, organisation=people.authority2)
    call = world.call(user=people.authority_admin, caller="aarhus", title="Aarhus kalder")
    world.offer(call, hours="1")
    world.review_offer(call, hours="1")
    world.call(title="Gruppens kald")  # not Aarhus's
    request = submitted_request(world, "Pulje")
    active = Pledge.objects.create(request=request, organisation=people.authority, amount_dkk="100")
    Pledge.objects.create(request=request, organisation=people.authority, amount_dkk="50", withdrawn_at=timezone.now())

    overview = getters.authority_overview(people.authority)
    assert [n.pk for n in overview["needs"]] == [ours.pk]
    assert overview["needs"][0].cosigner_count == 1
    assert [c.need for c in overview["cosigns"]] == [theirs]
    assert overview["pledges"] == [active]
    assert [(c.pk, c.offer_count) for c in overview["calls"]] == [(call.pk, 2)]


def test_the_dashboard_knows_which_organisations_a_person_acts_for(world, people):
    assert getters.dashboard_organisations(people.supplier_admin) == ([people.supplier_org], [])
    assert getters.dashboard_organisations(people.authority_admin) == ([], [people.authority])
    assert getters.dashboard_organisations(AnonymousUser()) == ([], [])


def test_a_supplier_member_subscribes_to_the_weekly_digest(world, people):
    subscription = services.digest_subscribe(user=people.supplier_admin, organisation=people.supplier_org)
    assert subscription.organisation == people.supplier_org
    with pytest.raises(PermissionDenied):
        services.digest_subscribe(user=people.authority_admin, organisation=people.authority)
    with pytest.raises(PermissionDenied):
        services.digest_subscribe(user=people.outsider, organisation=people.supplier_org)
    services.digest_unsubscribe(user=people.supplier_admin)
    assert not type(subscription).objects.exists()


# --- Lists ------------------------------------------------------------------------------------------------------


def test_needs_are_searched_by_every_word(world, people):
    first = world.need(title="Mødebooking", problem="Lokaler dobbeltbookes.")
    world.need(title="Sagsoverblik", problem="Fem systemer.")
    found = selectors.need_list(user=people.outsider, q="lokaler møde")
    assert [n.pk for n in found] == [first.pk]
    assert selectors.need_list(user=people.outsider, q="lokaler hosting").count() == 0


def test_a_missing_need_call_pitch_or_donation_is_not_found(world, people):
    from django.http import Http404

    for get in (getters.get_need, getters.get_call, getters.get_pitch):
        with pytest.raises(Http404):
            get(999999)
    donation = world.donation()
    with pytest.raises(Http404):
        getters.get_donation_for_user(people.authority2_admin, donation.pk)
