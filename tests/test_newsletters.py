"""Newsletters: segments by relation, double opt-in, one-click unsubscribe, resumable sending in batches, bounces,
the archive and its feed, and who may write what. Through the URLs; the mail backend is Django's locmem outbox."""

import datetime
import io
import re
import smtplib

import pytest
from defusedxml import ElementTree as ET
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from os2hub.needs.models import Follow, Need
from os2hub.newsletters import services
from os2hub.newsletters.models import SUPPLIER_TOPIC_SLUG, Delivery, Issue, Subscription, Topic
from os2hub.newsletters.tokens import unsubscribe_token
from os2hub.products.models import Adoption, Category, Group, GroupMember, Product

from .personas import UserFactory, member

ATOM = "{http://www.w3.org/2005/Atom}"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class World:
    """OS2mo is used by Aarhus (two members, one reading English) and has a coordinator and a steering group;
    OS2kitos is used by Odense."""

    def __init__(self, people):
        self.people = people
        self.coordinator = UserFactory(email="tovholder@example.dk", name="Tove Tovholder")
        self.os2mo = Product.objects.create(name="OS2mo", slug="os2mo", summary="MO.", coordinator=self.coordinator)
        self.os2kitos = Product.objects.create(name="OS2kitos", slug="os2kitos", summary="Kitos.")
        Adoption.objects.create(product=self.os2mo, organisation=people.authority)
        Adoption.objects.create(product=self.os2kitos, organisation=people.authority2)
        self.english = member(
            UserFactory(email="Engelsk@Example.dk", preferred_language="en"), people.authority, role="member"
        )
        self.steering = UserFactory(email="styregruppe@example.dk")
        group = Group.objects.create(product=self.os2mo, kind=Group.Kind.STEERING, name="Styregruppen")
        GroupMember.objects.create(group=group, user=self.steering)
        self.topic = Topic.objects.create(name="OS2-nyt", slug="os2-nyt", description="Nyt fra OS2.")

    @property
    def os2mo_users(self):
        return {"kommune@example.dk", "engelsk@example.dk"}


@pytest.fixture
def world(people):
    return World(people)


@pytest.fixture(autouse=True)
def english_pages(client):
    """The pages' assertions read the English texts: the test client asks for English (mails still follow each
    recipient's language)."""
    client.cookies["django_language"] = "en"


def draft(world, *, segments, topic=None, body="Hej **alle**.", title="Nyt om OS2mo", author=None):
    return Issue.objects.create(
        topic=topic or world.topic,
        title=title,
        body=body,
        segments=segments,
        author=author or world.people.secretariat,
    )


def send(client, issue, capture):
    with capture(execute=True):
        return client.post(reverse("newsletters:issue_send", args=[issue.pk]))


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


# --- Segments and the mails -------------------------------------------------------------------------------------


def test_the_secretariat_sends_to_authorities_using_a_product_each_once_in_their_language(
    world, login, django_capture_on_commit_callbacks
):
    issue = draft(world, segments=[f"adopters:{world.os2mo.pk}"], body="Hej **alle**.\n\n<script>alert(1)</script>")
    client = login(world.people.secretariat)

    page = client.get(reverse("newsletters:issue_send", args=[issue.pk]))
    assert page.status_code == 200
    assert re.search(r'id="recipient-count"><strong>2</strong>', page.content.decode())
    assert mail.outbox == []  # counting sends nothing

    response = send(client, issue, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    assert recipients() == sorted(world.os2mo_users)
    assert all(len(m.to) == 1 for m in mail.outbox)
    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address["engelsk@example.dk"]
    danish = by_address["kommune@example.dk"]
    assert '<html lang="en">' in english.alternatives[0].content
    assert '<html lang="da">' in danish.alternatives[0].content
    for message in mail.outbox:
        url = re.fullmatch(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html = message.alternatives[0].content
        assert "<strong>alle</strong>" in html and "<script" not in html and "<script" not in message.body
        assert url.replace("&", "&amp;") in html or url in html
        assert url in message.body
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.recipient_count == 2
    assert set(Delivery.objects.filter(issue=issue).values_list("status", flat=True)) == {"sent"}


def test_segments_reach_people_by_their_relation(world):
    people = world.people
    category = Category.objects.create(name_da="Økonomi", name_en="Finance", slug="oekonomi")
    need = Need.objects.create(
        title="Budget", problem="P", desired_outcome="O", organisation=people.authority2, category=category
    )
    follower = UserFactory(email="foelger@example.dk")
    Follow.objects.create(need=need, user=follower)
    Subscription.objects.create(topic=world.topic, email="abonnent@example.dk", status="confirmed", language="en")
    Subscription.objects.create(topic=world.topic, email="venter@example.dk", status="pending")

    def reach(*keys):
        return set(services.segments.recipients(keys, topic=world.topic))

    partners = {"leverandoer@example.dk", "udvikler@example.dk", "synlig@example.dk"}  # not the contact without consent
    assert reach("partners") == partners
    assert reach("competence:code-review") == partners
    assert reach("competence:hosting") == set()
    assert reach(f"groups:{world.os2mo.pk}") == {"tovholder@example.dk", "styregruppe@example.dk"}
    assert reach(f"adopters:{world.os2kitos.pk}") == {"kommune2@example.dk"}
    assert reach(f"followers:{category.pk}") == {"foelger@example.dk"}
    assert services.segments.recipients([f"topic:{world.topic.pk}"], topic=world.topic) == {"abonnent@example.dk": "en"}
    assert reach("nonsense", "adopters:x", "topic:") == set()


def test_a_segment_that_matches_nobody_is_refused_and_nothing_is_sent(world, login, django_capture_on_commit_callbacks):
    issue = draft(world, segments=["competence:hosting"])
    client = login(world.people.secretariat)
    page = client.get(reverse("newsletters:issue_send", args=[issue.pk]))
    assert "match nobody" in page.content.decode()
    assert "Send to" not in page.content.decode()
    response = send(client, issue, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "match nobody" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and not issue.deliveries.exists() and mail.outbox == []


def test_everyone_who_unsubscribed_from_the_topic_is_left_out(world, login, django_capture_on_commit_callbacks):
    services.subscription_unsubscribe(topic=world.topic, email="Kommune@Example.dk")
    other_topic = Topic.objects.create(name="Andet", slug="andet")
    services.subscription_unsubscribe(topic=other_topic, email="engelsk@example.dk")
    issue = draft(world, segments=[f"adopters:{world.os2mo.pk}", f"groups:{world.os2mo.pk}"])
    send(login(world.people.secretariat), issue, django_capture_on_commit_callbacks)
    assert recipients() == ["engelsk@example.dk", "styregruppe@example.dk", "tovholder@example.dk"]


# --- Sending: batches, crashes, bounces -------------------------------------------------------------------------


class CrashingBackend(EmailBackend):
    """Accepts `limit` messages, then the server goes away (for every later message too)."""

    limit = 0
    accepted = 0

    def send_messages(self, messages):
        if CrashingBackend.accepted >= CrashingBackend.limit:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        CrashingBackend.accepted += len(messages)
        return super().send_messages(messages)


def _many(world, n):
    Subscription.objects.bulk_create(
        Subscription(topic=world.topic, email=f"modtager{i:03}@example.dk", status="confirmed") for i in range(n)
    )


@pytest.mark.parametrize("limit", [0, 3, 7])
def test_a_send_that_crashes_midway_resumes_and_reaches_everyone_exactly_once(
    world, settings, people, django_capture_on_commit_callbacks, limit
):
    _many(world, 12)
    issue = draft(world, segments=[f"topic:{world.topic.pk}"])
    settings.EMAIL_BACKEND = f"{__name__}.CrashingBackend"
    CrashingBackend.limit, CrashingBackend.accepted = limit, 0
    # The task fails (the immediate backend records the failure, as a worker would).
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue, user=people.secretariat, writable=services_writable(people.secretariat))
    assert len(mail.outbox) == limit
    assert Delivery.objects.filter(issue=issue, status="sent").count() == limit
    # Nothing is left claimed: the resumed send picks the rest up at once.
    assert not Delivery.objects.filter(issue=issue, status="pending", claimed_until__isnull=False).exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING

    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        from django.core.management import call_command

        call_command("send_newsletters", stdout=io.StringIO())
    sent = recipients()
    assert sent == sorted(f"modtager{i:03}@example.dk" for i in range(12))
    assert len(sent) == len(set(sent))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_batches_skip_what_another_worker_holds_and_resume_after_its_claim_expires(world, people, settings):
    _many(world, 5)
    issue = draft(world, segments=[f"topic:{world.topic.pk}"])
    Issue.objects.filter(pk=issue.pk).update(status="sending")
    for email in sorted(services.issue_recipients(issue)):
        Delivery.objects.create(issue=issue, email=email, language="da")
    held = services._claim(issue.pk, 2)  # a worker that took two and died
    counts = services.deliveries_send(issue_id=issue.pk, batch_size=2)
    assert counts == {"sent": 3, "failed": 0}
    assert {d.email for d in held}.isdisjoint(recipients())
    Delivery.objects.filter(pk__in=[d.pk for d in held]).update(claimed_until=timezone.now() - datetime.timedelta(1))
    services.deliveries_send(issue_id=issue.pk, batch_size=2)
    assert len(recipients()) == 5 == len(set(recipients()))


class RefusingBackend(EmailBackend):
    """Refuses one address, as a mail server says "no such user"."""

    def send_messages(self, messages):
        for message in messages:
            if "ukendt@example.dk" in message.to:
                raise smtplib.SMTPRecipientsRefused({"ukendt@example.dk": (550, b"No such user")})
        return super().send_messages(messages)


def test_an_address_that_bounces_fails_alone_and_is_stopped_after_repeated_failures(world, people, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    Subscription.objects.create(topic=world.topic, email="ukendt@example.dk", status="confirmed")
    Subscription.objects.create(topic=world.topic, email="god@example.dk", status="confirmed")
    writable = services_writable(people.secretariat)
    for n in range(services.BOUNCE_LIMIT):
        issue = draft(world, segments=[f"topic:{world.topic.pk}"], title=f"Nummer {n}")
        services.issue_send(issue=issue, user=people.secretariat, writable=writable)
        services.deliveries_send(issue_id=issue.pk)
        issue.refresh_from_db()
        assert issue.status == Issue.Status.SENT
        failed = Delivery.objects.get(issue=issue, email="ukendt@example.dk")
        assert failed.status in ("failed", "bounced") and "No such user" in failed.error
    assert Subscription.objects.get(topic=world.topic, email="ukendt@example.dk").status == "bounced"
    assert recipients() == ["god@example.dk"] * services.BOUNCE_LIMIT
    later = draft(world, segments=[f"topic:{world.topic.pk}", "partners"], title="Senere")
    assert "ukendt@example.dk" not in services.issue_recipients(later)


def services_writable(user):
    from os2hub.newsletters.getters import Writable

    return Writable(user)


# --- Unsubscribing ----------------------------------------------------------------------------------------------


def test_one_click_unsubscribe_works_without_a_session_and_a_second_time_says_already(world, client):
    Subscription.objects.create(topic=world.topic, email="abonnent@example.dk", status="confirmed")
    url = reverse("newsletters:unsubscribe", args=[unsubscribe_token(world.topic.pk, "abonnent@example.dk")])

    page = client.get(url)  # a mail scanner following the link changes nothing
    assert page.status_code == 200 and "Stop sending" in page.content.decode()
    assert Subscription.objects.get(email="abonnent@example.dk").status == "confirmed"

    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.cookies["django_language"] = "en"
    response = csrf_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    sub = Subscription.objects.get(email="abonnent@example.dk")
    assert sub.status == "unsubscribed" and sub.unsubscribed_at is not None

    again = csrf_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200 and "Already unsubscribed" in again.content.decode()
    assert "Already unsubscribed" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "token",
    ["forged", "WzEsImFAYi5kayJd:abc", "x" * 600, "\x00", "%00"],
)
def test_a_forged_or_cut_unsubscribe_token_is_refused_and_changes_nothing(world, client, token):
    Subscription.objects.create(topic=world.topic, email="abonnent@example.dk", status="confirmed")
    good = unsubscribe_token(world.topic.pk, "abonnent@example.dk")
    payload, signature = good.rsplit(":", 1)
    tampered = ("A" if payload[1] != "A" else "B").join((payload[:1], payload[2:])) + ":" + signature
    for bad in (token, good[:-2], tampered, payload):
        response = client.post(f"/nyhedsbrev/afmeld/{bad}/")
        assert response.status_code in (400, 404)
    assert "does not work" in client.post(f"/nyhedsbrev/afmeld/{tampered}/").content.decode()
    # A token for another address cannot be made from this one, and a token of another salt is not accepted.
    from django.core import signing

    other_salt = signing.Signer(salt="something-else").sign_object([world.topic.pk, "abonnent@example.dk"])
    assert client.post(f"/nyhedsbrev/afmeld/{other_salt}/").status_code == 400
    assert Subscription.objects.get(email="abonnent@example.dk").status == "confirmed"


# --- Double opt-in ----------------------------------------------------------------------------------------------


def test_subscribing_needs_the_link_in_the_mail_and_records_the_consent(
    world, client, django_capture_on_commit_callbacks
):
    url = reverse("newsletters:subscribe", args=[world.topic.slug])
    page = client.get(url)
    with translation.override("en"):  # the wording the person was shown, in the page's language
        wording = str(services.consent_wording(world.topic))
    assert wording in page.content.decode().replace("&#x27;", "'")

    refused = client.post(url, {"email": "ny@example.dk"})
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Ny@Example.dk", "consent": "on"})
    assert "Check your e-mail" in response.content.decode()
    sub = Subscription.objects.get(topic=world.topic, email="ny@example.dk")
    assert sub.status == "pending"
    assert services.segments.recipients([f"topic:{world.topic.pk}"], topic=world.topic) == {}

    (message,) = mail.outbox
    assert message.to == ["ny@example.dk"]
    link = re.search(r"http\S+/nyhedsbrev/bekraeft/\S+/", message.body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    assert Subscription.objects.get(pk=sub.pk).status == "pending"  # GET confirms nothing

    confirmed = client.post(f"/{path}")
    assert "You are subscribed" in confirmed.content.decode()
    sub.refresh_from_db()
    assert sub.status == "confirmed" and sub.consent_at is not None and sub.consent_text == wording
    assert sub.confirm_token_hash == ""  # only the hash was stored, and it is gone now
    assert client.post(f"/{path}").status_code == 404  # used once


def test_an_expired_link_says_so_and_sends_a_new_one(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_request(topic=world.topic, email="sen@example.dk", language="da")
    path = "/" + re.search(r"http\S+/(nyhedsbrev/bekraeft/\S+/)", mail.outbox[0].body).group(1)
    Subscription.objects.filter(email="sen@example.dk").update(
        confirm_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "has expired" in client.get(path).content.decode()
    assert "has expired" in client.post(path).content.decode()
    assert Subscription.objects.get(email="sen@example.dk").status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"action": "resend"})
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["sen@example.dk"]


def test_the_subscription_form_is_rate_limited_per_address_and_tells_nobody_who_subscribes(
    world, client, django_capture_on_commit_callbacks
):
    Subscription.objects.create(topic=world.topic, email="kendt@example.dk", status="confirmed")
    url = reverse("newsletters:subscribe", args=[world.topic.slug])
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "kendt@example.dk", "consent": "on"})
        unknown = client.post(url, {"email": "ukendt@example.dk", "consent": "on"})
    assert known.content.decode().replace("kendt@", "X@") == unknown.content.decode().replace("ukendt@", "X@")
    assert [m.to for m in mail.outbox] == [["ukendt@example.dk"]]
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(services.CONFIRMATIONS_PER_HOUR):
            last = client.post(url, {"email": "ukendt@example.dk", "consent": "on"})
    assert "Too many confirmation mails" in last.content.decode()
    assert len(mail.outbox) == services.CONFIRMATIONS_PER_HOUR
    for bad in ("a\x00@example.dk", "x" * 300 + "@example.dk", "not-an-address"):
        response = client.post(url, {"email": bad, "consent": "on"})
        assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_a_signed_in_person_chooses_newsletters_on_their_own_page(world, login):
    person = world.people.outsider
    client = login(person)
    page = client.get(reverse("newsletters:mine"))
    assert page.status_code == 200 and "OS2-nyt" in page.content.decode()
    client.post(reverse("newsletters:mine"), {"topics": [str(world.topic.pk)]})
    sub = Subscription.objects.get(email=person.email, topic=world.topic)
    assert sub.status == "confirmed" and sub.source == "account" and "OS2-nyt" in sub.consent_text
    client.post(reverse("newsletters:mine"), {})
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
    hidden = Topic.objects.create(name="Intern", slug="intern", public=False)
    response = client.post(reverse("newsletters:mine"), {"topics": [str(hidden.pk)]})
    assert response.status_code == 200 and not Subscription.objects.filter(topic=hidden).exists()


# --- The supplier newsletter carries over -----------------------------------------------------------------------


def test_the_supplier_newsletter_consents_carry_over_and_follow_the_application(world, people):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("os2hub.newsletters.migrations.0002_supplier_newsletter_topic")
    Topic.objects.filter(slug=SUPPLIER_TOPIC_SLUG).delete()
    migration.forwards(apps, None)
    topic = Topic.objects.get(slug=SUPPLIER_TOPIC_SLUG)
    sub = Subscription.objects.get(topic=topic)
    contact = people.supplier.contacts.get(email="synlig@example.dk")
    assert (sub.email, sub.status, sub.consent_at, sub.consent_text) == (
        "synlig@example.dk",
        "confirmed",
        contact.newsletter_consent_at,
        contact.newsletter_consent_text,
    )
    # A consent given later on an application subscribes; one withdrawn ends the subscription.
    later = people.supplier.contacts.get(email="skjult@example.dk")
    later.newsletter_consent_at, later.newsletter_consent_text = timezone.now(), "Ja tak"
    later.save()
    contact.newsletter_consent_at, contact.newsletter_consent_text = None, ""
    contact.save()
    issue = Issue.objects.create(topic=topic, title="Til leverandører", body="Hej", segments=[f"topic:{topic.pk}"])
    assert set(services.issue_recipients(issue)) == {"skjult@example.dk"}
    assert Subscription.objects.get(topic=topic, email="skjult@example.dk").consent_text == "Ja tak"


# --- Who may write what -----------------------------------------------------------------------------------------


def test_a_coordinator_writes_only_for_their_product_and_others_see_no_drafts(world, login, client):
    coordinator = login(world.coordinator)
    page = coordinator.get(reverse("newsletters:issue_create"))
    assert page.status_code == 200
    topic = Topic.objects.get(product=world.os2mo)
    content = page.content.decode()
    assert f'value="adopters:{world.os2mo.pk}"' in content and 'value="partners"' not in content
    assert f'value="adopters:{world.os2kitos.pk}"' not in content

    refused = coordinator.post(
        reverse("newsletters:issue_create"),
        {"topic": topic.pk, "title": "Nyt", "body": "Tekst", "segments": ["partners"]},
    )
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    refused = coordinator.post(
        reverse("newsletters:issue_create"),
        {"topic": world.topic.pk, "title": "Nyt", "body": "Tekst", "segments": [f"adopters:{world.os2mo.pk}"]},
    )
    assert refused.status_code == 200 and not Issue.objects.exists()

    preview = coordinator.post(
        reverse("newsletters:issue_create"),
        {"topic": topic.pk, "title": "Nyt", "body": "# Overskrift\n<script>x()</script>", "preview": "1",
         "segments": [f"adopters:{world.os2mo.pk}"]},
    )  # fmt: skip
    assert '<section class="mb-7" id="preview"' in preview.content.decode()
    assert "<h2>Overskrift</h2>" in preview.content.decode() and "<script>x()" not in preview.content.decode()
    assert not Issue.objects.exists()

    saved = coordinator.post(
        reverse("newsletters:issue_create"),
        {"topic": topic.pk, "title": "Nyt", "body": "Tekst", "segments": [f"adopters:{world.os2mo.pk}"]},
    )
    issue = Issue.objects.get()
    assert saved.status_code == 302 and issue.product == world.os2mo and issue.author == world.coordinator

    secretariat_draft = draft(world, segments=["partners"])
    for user in (world.people.outsider, world.people.authority_admin):
        other = login(user)
        assert other.get(reverse("newsletters:issues")).status_code == 404
        assert other.get(issue.get_absolute_url()).status_code == 404
        assert other.get(reverse("newsletters:issue_send", args=[issue.pk])).status_code == 404
    coordinator = login(world.coordinator)
    assert coordinator.get(secretariat_draft.get_absolute_url()).status_code == 404
    assert coordinator.post(reverse("newsletters:issue_send", args=[secretariat_draft.pk])).status_code == 404
    assert type(client)().get(reverse("newsletters:issues")).status_code == 302  # anonymous: to the login


def test_a_sent_issue_cannot_be_changed_or_sent_again(world, login, django_capture_on_commit_callbacks):
    issue = draft(world, segments=[f"adopters:{world.os2mo.pk}"])
    client = login(world.people.secretariat)
    send(client, issue, django_capture_on_commit_callbacks)
    assert send(client, issue, django_capture_on_commit_callbacks).status_code == 404
    assert client.get(reverse("newsletters:issue_edit", args=[issue.pk])).status_code == 404
    assert client.post(reverse("newsletters:issue_delete", args=[issue.pk])).status_code == 404
    assert len(mail.outbox) == 2


# --- Archive and feed -------------------------------------------------------------------------------------------


def _sent(world, n, **fields):
    issues = []
    for i in range(n):
        issue = draft(world, segments=["partners"], title=f"Udgave {i}", **fields)
        Issue.objects.filter(pk=issue.pk).update(status="sent", sent_at=timezone.now() - datetime.timedelta(days=i))
        issues.append(issue)
    return issues


def test_the_archive_and_the_feed_show_sent_issues_of_public_topics_only(world, client, django_assert_max_num_queries):
    sent = _sent(world, 3, body="Tekst med \x0b kontroltegn og <script>alert(1)</script>")
    draft(world, segments=["partners"], title="Kladde")
    hidden = Topic.objects.create(name="Intern", slug="intern", public=False)
    _sent(world, 1, topic=hidden)[0].title  # noqa: B018
    Issue.objects.filter(topic=hidden).update(title="Hemmelig")

    with django_assert_max_num_queries(12):
        page = client.get(reverse("newsletters:archive"))
    content = page.content.decode()
    assert "Udgave 0" in content and "Kladde" not in content and "Hemmelig" not in content
    assert 'rel="alternate" type="application/atom+xml"' in content
    _sent(world, 20)
    with django_assert_max_num_queries(12):
        client.get(reverse("newsletters:archive"))

    detail = client.get(sent[0].get_absolute_url())
    assert detail.status_code == 200 and "<script>alert" not in detail.content.decode()
    assert client.get(Issue.objects.get(title="Kladde").get_absolute_url()).status_code == 404
    assert client.get(Issue.objects.get(title="Hemmelig").get_absolute_url()).status_code == 404
    assert client.get(reverse("newsletters:archive") + "?emne=intern").status_code == 404

    feed = client.get("/feeds/newsletters.atom")
    assert feed.status_code == 200
    titles = [e.findtext(f"{ATOM}title") for e in ET.fromstring(feed.content).iter(f"{ATOM}entry")]
    assert "OS2-nyt: Udgave 0" in titles and not any("Kladde" in t or "Hemmelig" in t for t in titles)


# --- API --------------------------------------------------------------------------------------------------------


@pytest.fixture
def token(people):
    from os2hub.accounts.services import api_token_issue

    def _token(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='test')[1]}"}

    return _token


def test_the_api_lists_the_archive_and_sets_own_subscriptions(world, client, token, django_assert_max_num_queries):
    _sent(world, 3, body="**Fed** <script>x</script>")
    with django_assert_max_num_queries(4):
        listed = client.get("/api/v1/newsletters").json()
    assert listed["count"] == 3 and listed["items"][0]["topic"]["slug"] == "os2-nyt"
    _sent(world, 10)
    with django_assert_max_num_queries(4):
        client.get("/api/v1/newsletters?limit=50")
    one = client.get(f"/api/v1/newsletters/{listed['items'][0]['id']}").json()
    assert "<strong>Fed</strong>" in one["body_html"] and "<script" not in one["body_html"]
    assert client.get("/api/v1/newsletters?topic=nope").status_code == 400
    unsent = draft(world, segments=["partners"])
    assert client.get(f"/api/v1/newsletters/{unsent.pk}").status_code == 404

    assert client.get("/api/v1/me/subscriptions").status_code == 401
    auth = token(world.people.outsider)
    answer = client.put("/api/v1/me/subscriptions", {"topics": ["os2-nyt"]}, content_type="application/json", **auth)
    assert answer.status_code == 200
    (row,) = answer.json()
    assert row["topic"]["slug"] == "os2-nyt" and row["status"] == "confirmed" and "OS2-nyt" in row["consent_text"]
    bad = client.put("/api/v1/me/subscriptions", {"topics": ["nope"]}, content_type="application/json", **auth)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "topics"
    answer = client.put("/api/v1/me/subscriptions", {"topics": []}, content_type="application/json", **auth)
    assert answer.json()[0]["status"] == "unsubscribed"
    assert client.get("/api/v1/me/subscriptions", **auth).json()[0]["status"] == "unsubscribed"

    schema = client.get("/api/openapi.json").json()
    for path in ("/api/v1/newsletters", "/api/v1/newsletters/{id}", "/api/v1/me/subscriptions"):
        assert path in schema["paths"]
    assert schema["paths"]["/api/v1/me/subscriptions"]["put"]["description"]


def test_the_writers_list_takes_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.people.secretariat)
    _sent(world, 3)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("newsletters:issues"))
    assert page.content.decode().count("<tr>") == 4
    _sent(world, 30)
    with django_assert_max_num_queries(12):
        client.get(reverse("newsletters:issues"))
    with django_assert_max_num_queries(12):
        client.get(reverse("newsletters:mine"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Linje\nto"),
        ("title", "Nul\x00tegn"),
        ("body", "Tekst \x1b med kontroltegn"),
        ("body", "x" * 100_001),
        ("segments", ["topic:999999999999999999999"]),
        ("segments", ["<script>"]),
    ],
)
def test_hostile_input_to_an_issue_is_refused_with_a_clear_error(world, login, field, value):
    client = login(world.people.secretariat)
    data = {"topic": world.topic.pk, "title": "Titel", "body": "Tekst", "segments": ["partners"], field: value}
    response = client.post(reverse("newsletters:issue_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    # The summary names the field and links to it; the field shows its error.
    assert "error-summary" in content and f'href="#id_{field}' in content
    assert not Issue.objects.exists()
