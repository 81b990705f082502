"""Events for the whole community: proposing, co-hosting, publishing, signing up with seats and a waiting list,
reminders, the participants' list, the agenda, the feeds and the API; and member news with the coordinator's
review. Through the URLs, the API and the services' mails."""

import csv
import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from os2hub.accounts.services import api_token_issue
from os2hub.community import services
from os2hub.community.models import AgendaItem, CoHost, Event, NewsPost, Registration
from os2hub.needs.models import Pitch
from os2hub.products.models import Adoption, Group, Product, SupplierRole

from .personas import Personas, UserFactory, member
from .test_community import event_props, parse_ics

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fast_passwords_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The assertions read the English source texts; the Danish catalogue is translated afterwards.
    settings.LANGUAGE_CODE = "en"


def in_danish(msgid: str, **values) -> str:
    """A mail subject as the personas, who read Danish (their preferred language), get it."""
    with translation.override("da"):
        return gettext(msgid) % values


@pytest.fixture
def product(people):
    """OS2kitos: coordinated by a person of its own, used by Aarhus, with the partner in a development role."""
    coordinator = UserFactory(email="koordinator@example.dk", name="Koordinator Kim")
    product = Product.objects.create(name="OS2kitos", slug="os2kitos", summary="Overblik.", coordinator=coordinator)
    Adoption.objects.create(product=product, organisation=people.authority)
    SupplierRole.objects.create(product=product, supplier=people.supplier_org, role="development")
    return product


def make_event(*, product=None, starts=None, status=Event.Status.PUBLISHED, **fields):
    starts = starts or NOW + 7 * DAY
    fields.setdefault("title", "Fællesmøde")
    fields.setdefault("location", "Aarhus Rådhus")
    return Event.objects.create(product=product, starts_at=starts, ends_at=starts + 2 * HOUR, status=status, **fields)


def proposal(**changes):
    return {
        "title": "OS2-dag om open source",
        "starts_at": "2030-09-10T09:00",
        "ends_at": "2030-09-10T16:00",
        "location": "Odense Rådhus",
        "online_url": "",
        "description": "Program følger.",
        "signup": "on",
        "capacity": "2",
        "signup_deadline": "",
        "registration_url": "",
        **changes,
    }


def outbox_to(address):
    return [m for m in mail.outbox if address in m.to]


# --- Proposing, co-hosting and publishing ------------------------------------------------------------------


def test_a_partner_proposes_a_joint_event_that_the_secretariat_publishes(
    people, login, client, django_capture_on_commit_callbacks
):
    page = login(people.supplier_admin).get(reverse("community:event_propose"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:event_propose"),
            proposal(organisation=people.supplier_org.pk, scope="", description="Hej <script>alert(1)</script>"),
        )
    event = Event.objects.get()
    assert response["Location"] == f"/events/{event.pk}/"
    assert (event.status, event.organisation, event.product) == ("proposed", people.supplier_org, None)
    assert event.capacity == 2
    assert outbox_to("sekretariat@example.dk")[0].subject == in_danish(
        "New event proposal: “%(title)s”", title=event.title
    )
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in html and "Hej" in html

    # Not public yet: neither the list, the calendar, the API nor the page for others.
    client.logout()
    assert client.get(f"/events/{event.pk}/").status_code == 404
    assert "OS2-dag" not in client.get(reverse("community:upcoming_events")).content.decode()
    assert parse_ics(client.get(reverse("community:events_ics")).content)["children"] == []
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404

    # An authority is invited to co-host and accepts.
    client = login(people.supplier_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:cohost_invite", args=[event.pk]), {"organisation": people.authority.pk})
    cohost = CoHost.objects.get()
    assert outbox_to("kommune@example.dk")
    client = login(people.authority_admin)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'id="cohost-invitation"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:cohost_respond", args=[event.pk, cohost.pk]), {"answer": "accept"})
    cohost.refresh_from_db()
    assert cohost.status == "accepted"
    # Answering twice is refused; the answer stays.
    client.post(reverse("community:cohost_respond", args=[event.pk, cohost.pk]), {"answer": "decline"})
    cohost.refresh_from_db()
    assert cohost.status == "accepted"
    # The co-host is an organiser now, but not a publisher.
    assert client.get(reverse("community:attendees", args=[event.pk])).status_code == 200
    assert client.post(reverse("community:event_step", args=[event.pk, "publish"])).status_code == 404

    # The secretariat publishes it; the organisers are told.
    mail.outbox.clear()
    client = login(people.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:event_step", args=[event.pk, "publish"]))
    event.refresh_from_db()
    assert event.status == "published"
    assert {a for m in mail.outbox for a in m.to} >= {"leverandoer@example.dk", "kommune@example.dk"}
    client.logout()
    html = client.get(reverse("community:upcoming_events")).content.decode()
    assert "OS2-dag om open source" in html and "OS2 as a whole" in html
    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert "Kodekammeret ApS" in detail and "Aarhus Kommune" in detail
    assert event.history.count() == 2


def test_a_coordinator_publishes_a_product_proposal_but_not_another_products(
    people, login, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(people.authority_admin).post(
            reverse("community:event_propose"), proposal(organisation=people.authority.pk, scope="p:os2kitos")
        )
    event = Event.objects.get()
    assert (event.status, event.product) == ("proposed", product)
    assert outbox_to("koordinator@example.dk")
    other = UserFactory(email="anden@example.dk")
    Product.objects.create(name="OS2mo", slug="os2mo", summary="x", coordinator=other)
    client = login(other)
    assert client.post(reverse("community:event_step", args=[event.pk, "publish"])).status_code == 404
    client = login(product.coordinator)
    response = client.post(reverse("community:event_step", args=[event.pk, "reject"]), {"reason": ""})
    event.refresh_from_db()
    assert event.status == "proposed", "a rejection needs a reason"
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:event_step", args=[event.pk, "reject"]), {"reason": "Dobbeltbooking."})
    event.refresh_from_db()
    assert (event.status, event.status_reason) == ("rejected", "Dobbeltbooking.")
    assert "Dobbeltbooking." in outbox_to("kommune@example.dk")[-1].body


def test_a_group_event_proposed_by_the_secretariat_is_published_at_once_and_in_the_product_calendar(
    people, login, client, product
):
    group = Group.objects.create(product=product, kind=Group.Kind.STEERING, name="Styregruppen")
    login(people.secretariat).post(
        reverse("community:event_propose"),
        proposal(organisation=people.secretariat_org.pk, scope=f"g:{group.pk}", signup="", capacity=""),
    )
    event = Event.objects.get()
    assert (event.status, event.group, event.product) == ("published", group, product)
    client.logout()
    calendar = parse_ics(client.get(reverse("community:product_events_ics", args=[product.slug])).content)
    assert len(calendar["children"]) == 1


def test_people_without_an_organisation_are_not_offered_and_cannot_propose(people, login):
    client = login(people.outsider)
    assert "/events/new/" not in client.get(reverse("community:upcoming_events")).content.decode()
    assert client.get(reverse("community:event_propose")).status_code == 404
    # A supplier that is not an approved partner cannot propose either.
    assert login(people.new_supplier_admin).get(reverse("community:event_propose")).status_code == 404


def test_a_proposal_for_an_organisation_that_is_not_ones_own_is_refused(people, login):
    response = login(people.supplier_admin).post(
        reverse("community:event_propose"), proposal(organisation=people.authority.pk)
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"registration_url": "https://tilmelding.example.dk/"}, "registration_url"),
        ({"signup": "", "capacity": "10"}, "capacity"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "99999999999999999999"}, "capacity"),
        ({"signup_deadline": "2030-09-11T09:00"}, "signup_deadline"),
        ({"title": "To\nlinjer"}, "title"),
        ({"scope": "p:findes-ikke"}, "scope"),
    ],
)
def test_it_refuses_a_bad_proposal_with_the_field_named(people, login, changes, field):
    response = login(people.supplier_admin).post(
        reverse("community:event_propose"), proposal(organisation=people.supplier_org.pk, **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()
    assert not Event.objects.exists()


# --- Sign-up ------------------------------------------------------------------------------------------------


def test_people_sign_up_to_capacity_and_the_next_lands_on_the_waiting_list(
    people, login, django_capture_on_commit_callbacks
):
    event = make_event(signup=True, capacity=2, title="Workshop")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (people.authority_admin, people.authority2_admin, people.supplier_admin):
            login(user).post(reverse("community:signup", args=[event.pk]))
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses == {
        "kommune@example.dk": "confirmed",
        "kommune2@example.dk": "confirmed",
        "leverandoer@example.dk": "waiting",
    }
    confirmation = outbox_to("kommune@example.dk")[0]
    assert confirmation.to == ["kommune@example.dk"]
    assert confirmation.subject == in_danish("You have a seat: “%(title)s”", title="Workshop")
    (name, content, mimetype) = confirmation.attachments[0]
    assert (name, mimetype) == ("event.ics", "text/calendar")
    assert event_props(parse_ics(content.encode()))
    waiting = outbox_to("leverandoer@example.dk")[0]
    assert waiting.subject == in_danish("You are on the waiting list: “%(title)s”", title="Workshop")
    assert not waiting.attachments
    page = login(people.supplier_admin).get(event.get_absolute_url()).content.decode()
    assert "You are on the waiting list" in page

    # Signing up twice is refused.
    login(people.authority_admin).post(reverse("community:signup", args=[event.pk]))
    assert Registration.objects.filter(user=people.authority_admin).count() == 1

    # A seat given up goes to the first on the waiting list, who is told; asking first.
    mail.outbox.clear()
    client = login(people.authority_admin)
    assert "Yes, cancel my sign-up" in client.get(reverse("community:signup_cancel", args=[event.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:signup_cancel", args=[event.pk]))
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses["kommune@example.dk"] == "cancelled"
    assert statuses["leverandoer@example.dk"] == "confirmed"
    promoted = outbox_to("leverandoer@example.dk")[0]
    assert promoted.attachments and promoted.subject == in_danish(
        "A seat is freed for you: “%(title)s”", title="Workshop"
    )


def test_sign_up_is_refused_after_the_deadline_and_for_unpublished_events(people, login):
    closed = make_event(signup=True, signup_deadline=NOW - HOUR)
    proposed = make_event(signup=True, status=Event.Status.PROPOSED, organisation=people.supplier_org)
    client = login(people.authority_admin)
    response = client.post(reverse("community:signup", args=[closed.pk]), follow=True)
    assert "Sign-up for this event is closed." in response.content.decode()
    assert client.post(reverse("community:signup", args=[proposed.pk])).status_code == 404
    assert not Registration.objects.exists()


def test_sign_up_needs_login(client, db):
    event = make_event(signup=True)
    response = client.post(reverse("community:signup", args=[event.pk]))
    assert response.status_code == 302 and "next=" in response["Location"]
    assert "Log in to sign up" in client.get(event.get_absolute_url()).content.decode()


def test_more_seats_let_the_waiting_list_in(people, login, django_capture_on_commit_callbacks):
    event = make_event(signup=True, capacity=1, organisation=people.authority)
    services.registration_create(event=event, user=people.supplier_admin)
    services.registration_create(event=event, user=people.authority2_admin)
    assert Registration.objects.get(user=people.authority2_admin).status == "waiting"
    data = {
        "title": event.title,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "location": event.location,
        "signup": "on",
        "capacity": "2",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people.authority_admin).post(reverse("community:event_edit_any", args=[event.pk]), data)
    assert response.status_code == 302
    assert Registration.objects.get(user=people.authority2_admin).status == "confirmed"
    assert outbox_to("kommune2@example.dk")


@pytest.mark.django_db(transaction=True)
def test_two_people_at_the_last_seat_on_postgresql_get_one_seat_and_one_waiting_place():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the lock is the same code on SQLite")
    people = Personas()
    event = make_event(signup=True, capacity=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign_up(user):
        try:
            barrier.wait()
            outcomes.append(services.registration_create(event=Event.objects.get(pk=event.pk), user=user).status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(u,)) for u in (people.authority_admin, people.authority2_admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["confirmed", "waiting"]
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1


def test_reminders_go_once_to_people_with_a_seat(people, django_capture_on_commit_callbacks):
    soon = make_event(signup=True, starts=NOW + 20 * HOUR, title="Snart")
    later = make_event(signup=True, starts=NOW + 5 * DAY, title="Senere")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=soon, user=people.authority_admin)
        services.registration_create(event=later, user=people.authority_admin)
        cancelled = services.registration_create(event=soon, user=people.supplier_admin)
        services.registration_cancel(event=soon, user=people.supplier_admin)
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=out)
    assert [m.subject for m in mail.outbox] == [in_danish("Reminder: “%(title)s”", title="Snart")]
    assert mail.outbox[0].to == ["kommune@example.dk"] and mail.outbox[0].attachments
    assert cancelled.pk
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=out)
    assert len(mail.outbox) == 1


# --- Organisers: participants, agenda, cancelling ----------------------------------------------------------


def test_organisers_see_and_download_the_participants_with_formulas_defused(people, login, product):
    event = make_event(product=product, signup=True, organisation=people.supplier_org)
    evil = UserFactory(email="evil@example.dk", name='=HYPERLINK("http://x")\x07')
    member(evil, people.authority)
    services.registration_create(event=event, user=evil)
    services.registration_create(event=event, user=people.authority2_admin)
    for user in (people.supplier_member, product.coordinator, people.secretariat):
        response = login(user).get(reverse("community:attendees_csv", args=[event.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][2] == "Aarhus Kommune"
    page = login(people.supplier_admin).get(reverse("community:attendees", args=[event.pk])).content.decode()
    assert "evil@example.dk" in page and "kommune2@example.dk" in page
    for user in (people.authority2_admin, people.outsider):
        client = login(user)
        assert client.get(reverse("community:attendees", args=[event.pk])).status_code == 404
        assert client.get(reverse("community:attendees_csv", args=[event.pk])).status_code == 404


def test_a_pitch_marked_for_a_community_meeting_goes_on_the_agenda(people, login, client):
    event = make_event(organisation=people.authority)
    marked = Pitch.objects.create(
        supplier=people.supplier_org, title="Booking-løsning", text="x", marked_for_meeting_at=NOW
    )
    unmarked = Pitch.objects.create(supplier=people.supplier_org, title="Hemmelig", text="x")
    organiser = login(people.authority_admin)
    form = organiser.get(f"/events/{event.pk}/").content.decode()
    assert "Booking-løsning" in form and "Hemmelig" not in form
    organiser.post(reverse("community:agenda_add", args=[event.pk]), {"title": "Velkomst"})
    organiser.post(reverse("community:agenda_add", args=[event.pk]), {"pitch": marked.pk})
    organiser.post(reverse("community:agenda_add", args=[event.pk]), {"pitch": unmarked.pk})
    organiser.post(reverse("community:agenda_add", args=[event.pk]), {"pitch": marked.pk})
    items = list(AgendaItem.objects.values_list("title", "pitch"))
    assert items == [("Velkomst", None), ("Booking-løsning", marked.pk)]
    client.logout()
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert html.index("Velkomst") < html.index("Booking-løsning") and "Kodekammeret ApS" in html
    # Outsiders cannot add to it.
    outsider = login(people.outsider)
    assert outsider.post(reverse("community:agenda_add", args=[event.pk]), {"title": "x"}).status_code == 404


def test_cancelling_an_event_tells_participants_and_marks_it_in_the_calendar(
    people, login, client, django_capture_on_commit_callbacks
):
    event = make_event(signup=True, organisation=people.authority, title="Aflyst møde")
    services.registration_create(event=event, user=people.supplier_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(people.authority_admin).post(
            reverse("community:event_step", args=[event.pk, "cancel"]), {"reason": "Sygdom."}
        )
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert "Sygdom." in outbox_to("leverandoer@example.dk")[0].body
    client.logout()
    props = event_props(parse_ics(client.get(reverse("community:events_ics")).content))
    assert list(props.values())[0]["STATUS"] == ["CANCELLED"]
    # Nobody can sign up for it any more.
    response = login(people.authority2_admin).post(reverse("community:signup", args=[event.pk]))
    assert response.status_code == 302 and not Registration.objects.filter(user=people.authority2_admin).exists()


def test_an_os2_wide_event_is_in_the_whole_calendar_but_no_product_calendar(client, product):
    make_event(title="For alle")
    make_event(product=product, title="Kun kitos")
    whole = parse_ics(client.get(reverse("community:events_ics")).content)
    assert len(whole["children"]) == 2
    mine = parse_ics(client.get(reverse("community:product_events_ics", args=[product.slug])).content)
    assert len(mine["children"]) == 1


@pytest.mark.parametrize("rows", [3, 15])
def test_the_events_page_and_the_api_list_use_a_constant_number_of_queries(
    client, people, product, rows, django_assert_max_num_queries
):
    for i in range(rows):
        event = make_event(product=product if i % 2 else None, signup=True, capacity=5, organisation=people.authority)
        Registration.objects.create(event=event, user=people.authority_admin, status="confirmed", position=1)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("community:upcoming_events")).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/events").json()["count"] == rows
    client.force_login(people.authority_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("community:my_registrations")).status_code == 200


# --- The API -------------------------------------------------------------------------------------------------


def test_the_api_signs_up_cancels_and_lists_ones_registrations(people, client, product):
    event = make_event(product=product, signup=True, capacity=1)
    make_event(status=Event.Status.PROPOSED, title="Ikke offentlig")
    _t, raw = api_token_issue(user=people.authority_admin, name="t")
    _t, raw2 = api_token_issue(user=people.authority2_admin, name="t")
    first = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    second = {"HTTP_AUTHORIZATION": f"Bearer {raw2}"}
    listing = client.get("/api/v1/events").json()
    assert [e["id"] for e in listing["items"]] == [event.pk]
    assert listing["items"][0]["product"] == "os2kitos" and listing["items"][0]["signup_open"] is True
    url = f"/api/v1/events/{event.pk}/registration"
    assert client.post(url, **first).json()["status"] == "confirmed"
    answer = client.post(url, **second).json()
    assert (answer["status"], answer["waiting_position"]) == ("waiting", 1)
    again = client.post(url, **first)
    assert again.status_code == 409 and again.json()["detail"] and again.json()["errors"] == []
    assert client.get(f"/api/v1/events/{event.pk}").json()["seats_taken"] == 1
    assert client.delete(url, **first).json()["status"] == "cancelled"
    mine = client.get("/api/v1/me/registrations", **second).json()
    assert [(r["event"], r["status"]) for r in mine["items"]] == [(event.pk, "confirmed")]
    assert client.post(url).status_code == 401
    assert client.get("/api/v1/events", {"scope": "alle"}).status_code == 400
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/events/{id}/registration" in schema["paths"]
    assert schema["paths"]["/api/v1/events/{id}/registration"]["post"]["description"]


# --- Member news -----------------------------------------------------------------------------------------------


def test_a_partner_proposes_news_that_the_coordinator_publishes(
    people, login, client, product, django_capture_on_commit_callbacks
):
    client = login(people.supplier_admin)
    assert "news/propose/" in client.get(reverse("community:news_list", args=[product.slug])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:news_propose", args=[product.slug]),
            {"organisation": people.supplier_org.pk, "title": "Ny integration", "body": "Se <script>x</script>"},
        )
    post = NewsPost.objects.get()
    assert (post.status, post.organisation) == ("pending", people.supplier_org)
    assert outbox_to("koordinator@example.dk")
    assert "<script>x" not in client.get(response["Location"]).content.decode()
    # Not published yet: not in the list, the feed or for others.
    client.logout()
    assert "Ny integration" not in client.get(reverse("community:news_list", args=[product.slug])).content.decode()
    assert "Ny integration" not in client.get(reverse("community:news_feed")).content.decode()
    assert client.get(response["Location"]).status_code == 404
    assert login(people.authority2_admin).get(response["Location"]).status_code == 404

    coordinator = login(product.coordinator)
    assert "Ny integration" in coordinator.get(reverse("community:news_list", args=[product.slug])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("community:news_review", args=[product.slug, post.pk, "approve"]))
    post.refresh_from_db()
    assert post.status == "published"
    assert outbox_to("leverandoer@example.dk")
    client.logout()
    assert "Ny integration" in client.get(reverse("community:news_feed")).content.decode()


def test_the_coordinator_rejects_news_with_a_reason_mailed_to_the_author(
    people, login, product, django_capture_on_commit_callbacks
):
    post = services.news_propose(
        product=product, user=people.authority_admin, organisation=people.authority, data={"title": "T", "body": "B"}
    )
    client = login(product.coordinator)
    client.post(reverse("community:news_review", args=[product.slug, post.pk, "reject"]), {"reason": ""})
    post.refresh_from_db()
    assert post.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:news_review", args=[product.slug, post.pk, "reject"]), {"reason": "For tyndt."})
    post.refresh_from_db()
    assert (post.status, post.rejection_reason) == ("rejected", "For tyndt.")
    assert "For tyndt." in outbox_to("kommune@example.dk")[-1].body
    # A second decision is refused.
    client.post(reverse("community:news_review", args=[product.slug, post.pk, "approve"]))
    post.refresh_from_db()
    assert post.status == "rejected"


def test_only_partners_on_the_product_and_adopting_authorities_propose_news(people, login, product):
    for user in (people.authority2_admin, people.outsider, people.new_supplier_admin):
        client = login(user)
        assert client.get(reverse("community:news_propose", args=[product.slug])).status_code == 404
        assert "news/propose/" not in client.get(reverse("community:news_list", args=[product.slug])).content.decode()
    response = login(people.authority_admin).post(
        reverse("community:news_propose", args=[product.slug]),
        {"organisation": people.authority2.pk, "title": "x", "body": "y"},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not NewsPost.objects.exists()


def test_the_product_page_shows_neither_pending_news_nor_unpublished_events(client, people, product):
    NewsPost.objects.create(product=product, title="Venter på gennemgang", body="x", status="pending")
    NewsPost.objects.create(product=product, title="Offentlig nyhed", body="x")
    make_event(product=product, title="Kun et forslag", status=Event.Status.PROPOSED)
    make_event(product=product, title="Aflyst træf", status=Event.Status.CANCELLED)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Offentlig nyhed" in html and "Venter på gennemgang" not in html
    assert "Kun et forslag" not in html
    assert "Aflyst træf" in html and "Cancelled" in html


def test_an_event_with_participants_is_cancelled_not_deleted(people, login, product):
    event = make_event(product=product, signup=True)
    services.registration_create(event=event, user=people.authority_admin)
    client = login(product.coordinator)
    assert 'action="/events/' not in client.get(reverse("community:event_edit_any", args=[event.pk])).content.decode()
    client.post(reverse("community:event_delete_any", args=[event.pk]))
    assert Event.objects.filter(pk=event.pk).exists()
