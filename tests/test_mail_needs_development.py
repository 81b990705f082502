"""The e-mails of needs, calls, donations, development requests and the weekly digest are templates rendered in
each recipient's language (core/mail.py): each template in Danish and English, and the real actions send them to
the right people, each in their own language."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from os2hub.accounts.models import Organisation, User
from os2hub.core.mail import render_mail
from os2hub.development import services as development
from os2hub.development.models import DevelopmentRequest
from os2hub.needs import digest, services
from os2hub.needs.models import Call, DigestSubscription, Donation, Need, Offer, Pitch
from os2hub.products.models import Product

from .test_development import World as DevelopmentWorld
from .test_needs import World as NeedsWorld

pytestmark = pytest.mark.django_db

NEED_LINK = "https://os2hub.example/needs/5/"
CALL_LINK = "https://os2hub.example/calls/7/"
DANISH_LETTERS = set("æøåÆØÅ")


def contexts() -> dict:
    """A context for each template, of unsaved objects whose texts have no Danish letters (so an English mail
    with one has Danish wording in it)."""
    aarhus = Organisation(name="Aarhus Kommune")
    supplier = Organisation(name="Kodekammeret ApS")
    need = Need(pk=5, title="Overview & cases", organisation=aarhus, status="clarifying")
    pitch = Pitch(title="OS2mo Overview", supplier=supplier)
    call = Call(pk=7, title="Code review & test", kind="code-review", deadline=date(2026, 3, 31))
    donation = Donation(name="Meeting booker", organisation=aarhus, reason="Exists as OS2booking.")
    request = DevelopmentRequest(pk=9, title="Export to CSV", product=Product(name="OS2mo"), requester=aarhus)
    return {
        "needs_need_cosigned": {"need": need, "organisation": Organisation(name="Odense Kommune"), "link": NEED_LINK},
        "needs_need_moved": {"need": need, "comment": "Meeting on 3 March.", "link": NEED_LINK},
        "needs_pitch_received": {"need": need, "pitch": pitch, "link": NEED_LINK},
        "needs_pitch_marked_for_meeting": {"pitch": pitch},
        "needs_offer_received": {"call": call, "supplier": supplier, "url": CALL_LINK},
        "needs_call_won": {"call": call, "offer": Offer(price_dkk=Decimal("8000")), "url": CALL_LINK},
        "needs_call_awarded_to_another": {"call": call, "url": CALL_LINK},
        "needs_call_cancelled": {"call": call, "reason": "Solved in house."},
        "needs_donation_offered": {"donation": donation, "url": "https://os2hub.example/donations/3/"},
        "needs_donation_accepted": {"donation": donation, "url": "https://os2hub.example/products/meeting-booker/"},
        "needs_donation_declined": {"donation": donation},
        "development_request_moved": {
            "development_request": request,
            "status": DevelopmentRequest.Status.SUBMITTED.label,
            "comment": "Please estimate.",
        },
        "needs_digest": digest_context(),
    }


def digest_context() -> dict:
    aarhus = Organisation(name="Aarhus Kommune")
    calls = [
        Call(
            pk=7, title="Code review of the API", kind="code-review", deadline=date(2026, 3, 31), budget_max_dkk=40000
        ),
        Call(pk=8, title="Development & operations", kind="development", deadline=date(2026, 4, 2)),
    ]
    needs = [
        Need(pk=3, title="Overview", organisation=aarhus),
        Need(pk=4, title="Access", organisation=Organisation(name="Odense Kommune")),
        Need(pk=5, title="Lists", organisation=Organisation(name="Vejle Kommune")),
    ]
    for need, cosigners in zip(needs, (0, 1, 3), strict=True):
        need.cosigner_count = cosigners
    requests = [DevelopmentRequest(pk=9, title="Export to CSV", product=Product(name="OS2mo"), requester=aarhus)]
    user = User(name="Lea Larsen", email="lea@example.dk")
    subscription = DigestSubscription(user=user, organisation=Organisation(name="Kodekammeret ApS"))
    return {"subscription": subscription, "found": {"calls": calls, "needs": needs, "requests": requests}}


# template, (Danish subject, a Danish sentence), (English subject, the English sentence)
MESSAGES = [
    (
        "needs_need_cosigned",
        ("Behov “Overview & cases”", "Odense Kommune har også behovet.\n\nBehovet: " + NEED_LINK),
        ("Need “Overview & cases”", "Odense Kommune has the need too.\n\nThe need: " + NEED_LINK),
    ),
    (
        "needs_need_moved",
        ("Behov “Overview & cases”", "Behovet har nu status: Under afklaring.\n\nMeeting on 3 March.\n\nBehovet: "),
        ("Need “Overview & cases”", "The need is now: Being clarified.\n\nMeeting on 3 March.\n\nThe need: "),
    ),
    (
        "needs_pitch_received",
        ("Behov “Overview & cases”", "Kodekammeret ApS pitcher en løsning: OS2mo Overview\n\nBehovet: " + NEED_LINK),
        ("Need “Overview & cases”", "Kodekammeret ApS pitches a solution: OS2mo Overview\n\nThe need: " + NEED_LINK),
    ),
    (
        "needs_pitch_marked_for_meeting",
        (
            "Jeres pitch “OS2mo Overview” kommer på et fællesskabsmøde",
            "OS2-sekretariatet har markeret jeres pitch “OS2mo Overview” til et fællesskabsmøde og kontakter jer.",
        ),
        (
            "Your pitch “OS2mo Overview” is on a community meeting",
            "The OS2 secretariat has marked your pitch “OS2mo Overview” for a community meeting and will contact you.",
        ),
    ),
    (
        "needs_offer_received",
        (
            "Nyt tilbud på “Code review & test”",
            f"Kodekammeret ApS har givet et tilbud på jeres forespørgsel “Code review & test”: {CALL_LINK}",
        ),
        (
            "New offer on “Code review & test”",
            f"Kodekammeret ApS has made an offer on your call “Code review & test”: {CALL_LINK}",
        ),
    ),
    (
        "needs_call_won",
        (
            "I har vundet forespørgslen “Code review & test”",
            "Jeres tilbud på 8.000,00\xa0kr. på “Code review & test” har fået opgaven.",
        ),
        (
            "You won the call “Code review & test”",
            "Your offer of DKK\xa08,000.00 on “Code review & test” is awarded. The caller will contact you: "
            + CALL_LINK,
        ),
    ),
    (
        "needs_call_awarded_to_another",
        (
            "Forespørgslen “Code review & test” er tildelt",
            f"er tildelt en anden leverandør. Tak for jeres tilbud: {CALL_LINK}",
        ),
        (
            "The call “Code review & test” is awarded",
            f"is awarded to another supplier. Thank you for your offer: {CALL_LINK}",
        ),
    ),
    (
        "needs_call_cancelled",
        ("Forespørgslen “Code review & test” er annulleret", "er annulleret.\n\nSolved in house."),
        (
            "The call “Code review & test” is cancelled",
            "The call “Code review & test” is cancelled.\n\nSolved in house.",
        ),
    ),
    (
        "needs_donation_offered",
        ("Aarhus Kommune donerer Meeting booker", "Aarhus Kommune tilbyder Meeting booker til fællesskabet: https://"),
        ("Aarhus Kommune donates Meeting booker", "Aarhus Kommune offers Meeting booker to the community: https://"),
    ),
    (
        "needs_donation_accepted",
        (
            "Meeting booker er nu et sandkasseprodukt i OS2",
            "Tak. Meeting booker er nu i OS2's produktkatalog som sandkasseprodukt: https://",
        ),
        (
            "Meeting booker is now a sandbox product in OS2",
            "Thank you. Meeting booker is in OS2's catalogue as a sandbox product: https://",
        ),
    ),
    (
        "needs_donation_declined",
        (
            "Om jeres donation af Meeting booker",
            "OS2-sekretariatet har ikke optaget Meeting booker i produktkataloget:\n\nExists as OS2booking.",
        ),
        (
            "About your donation of Meeting booker",
            "The OS2 secretariat did not take Meeting booker into the catalogue:\n\nExists as OS2booking.",
        ),
    ),
    (
        "development_request_moved",
        (
            "Udviklingsønske “Export to CSV”: Indsendt",
            "Udviklingsønsket “Export to CSV” til OS2mo er nu: Indsendt.\n\nPlease estimate.",
        ),
        (
            "Development request “Export to CSV”: Submitted",
            "The development request “Export to CSV” for OS2mo is now: Submitted.\n\nPlease estimate.",
        ),
    ),
]


@pytest.mark.parametrize(("template", "danish", "english"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_each_message_in_danish_and_english(template, danish, english, settings):
    settings.SITE_URL = "https://os2hub.example"
    context = contexts()[template]
    rendered = {language: render_mail(template, context, language) for language in ("da", "en")}
    for language, (subject, sentence), (_other_subject, other_sentence) in (
        ("da", danish, english),
        ("en", english, danish),
    ):
        rendered_subject, text, html = rendered[language]
        assert rendered_subject == subject
        assert sentence in text
        assert other_sentence not in text
        assert "&amp;" not in text and "&amp;" not in rendered_subject  # text mail: nothing escaped
        assert f'<html lang="{language}">' in html
        # The HTML part says the same, escaped: no markup from the stored texts.
        assert " ".join(sentence.split()) in " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert not DANISH_LETTERS & set(rendered["en"][0] + rendered["en"][1])


def test_a_long_title_is_cut_to_80_characters_in_the_subject():
    call = Call(pk=7, title="x" * 100)
    subject, text, _html = render_mail("needs_offer_received", {"call": call, "supplier": Organisation()}, "en")
    assert subject == f"New offer on “{'x' * 80}”"
    assert "x" * 100 in text


# --- The digest -----------------------------------------------------------------------------------------------

DIGEST_DA = """Hej Lea Larsen,

Her er det nye på OS2hub siden 2. marts 2026, som passer til de kompetencer, Kodekammeret ApS tilbyder.

Forespørgsler til leverandører (2)

- Code review of the API
  Code review, frist for tilbud 31. marts 2026, budget op til 40.000,00\xa0kr.
  https://os2hub.example/calls/7/
- Development & operations
  Softwareudvikling, frist for tilbud 2. april 2026
  https://os2hub.example/calls/8/

Behov fra myndighederne (3)

- Overview (Aarhus Kommune)
  https://os2hub.example/needs/3/
- Access (Odense Kommune, 1 anden myndighed har også behovet)
  https://os2hub.example/needs/4/
- Lists (Vejle Kommune, 3 andre myndigheder har også behovet)
  https://os2hub.example/needs/5/

Udviklingsønsker, der venter på estimater (1)

- Export to CSV (OS2mo, Aarhus Kommune)
  https://os2hub.example/development-requests/9/

Se alle muligheder på jeres overblik: https://os2hub.example/overblik/

--
Du får denne e-mail, fordi du har tilmeldt dig OS2hub's ugentlige oversigt over muligheder. \
Du kan framelde den på dit overblik: https://os2hub.example/overblik/
"""

SINCE = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March in Copenhagen


def test_the_digest_in_danish_reads_as_it_always_has(settings):
    settings.SITE_URL = "https://os2hub.example"
    subject, body = digest.digest_render(**digest_context(), since=SINCE)
    assert subject == "OS2hub: 6 nye muligheder"
    assert body == DIGEST_DA


def test_the_digest_in_english(settings):
    settings.SITE_URL = "https://os2hub.example"
    context = digest_context()
    context["subscription"].user.preferred_language = "en"
    subject, body = digest.digest_render(**context, since=SINCE)
    assert subject == "OS2hub: 6 new opportunities"
    assert body.startswith("Hello Lea Larsen,\n\nHere is what is new on OS2hub since 2 March 2026 that fits")
    assert "Calls for suppliers (2)" in body and "Needs from the authorities (3)" in body
    assert "  Code review, deadline for offers 31 March 2026, budget up to DKK\xa040,000.00\n" in body
    assert "  Development, deadline for offers 2 April 2026\n" in body
    assert "- Access (Odense Kommune, 1 other authority has the need too)" in body
    assert "- Lists (Vejle Kommune, 3 other authorities have the need too)" in body
    assert "Development requests waiting for estimates (1)" in body
    assert "You can unsubscribe on your dashboard: https://os2hub.example/overblik/" in body
    assert not DANISH_LETTERS & set(subject + body)


def test_a_digest_of_one_with_more_than_the_limit_says_so(settings):
    settings.SITE_URL = "https://os2hub.example"
    context = digest_context()
    found = context["found"]
    one = {"calls": [], "needs": found["needs"][:1], "requests": []}
    subscription = context["subscription"]
    subscription.user.name = ""
    assert digest.digest_render(subscription=subscription, found=one, since=SINCE)[0] == "OS2hub: 1 ny mulighed"
    subscription.user.preferred_language = "en"
    subject, body = digest.digest_render(subscription=subscription, found=one, since=SINCE)
    assert subject == "OS2hub: 1 new opportunity"
    assert body.startswith("Hello lea@example.dk,") and "There are more" not in body
    many = {"calls": found["calls"] * 10, "needs": [], "requests": []}
    subject, body = digest.digest_render(subscription=subscription, found=many, since=SINCE)
    assert subject == "OS2hub: 20 new opportunities"
    assert "\n\nThere are more on your dashboard.\n\nSee all opportunities" in body


def test_each_subscriber_gets_the_digest_in_their_language(people, settings):
    settings.SITE_URL = "https://os2hub.example"
    product = Product.objects.create(name="OS2mo", slug="os2mo", summary="x", status="product")
    services.digest_subscribe(user=people.supplier_admin, organisation=people.supplier_org)
    services.digest_subscribe(user=people.supplier_member, organisation=people.supplier_org)
    User.objects.filter(pk=people.supplier_member.pk).update(preferred_language="en")
    services.call_create(
        user=people.authority_admin,
        product=product,
        data={
            "kind": "code-review",
            "title": "Review",
            "description": "x",
            "deadline": timezone.localdate() + timedelta(7),
        },
    )
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "leverandoer@example.dk": "OS2hub: 1 ny mulighed",
        "udvikler@example.dk": "OS2hub: 1 new opportunity",
    }
    english = next(m.body for m in mail.outbox if m.to == ["udvikler@example.dk"])
    assert "Code review, deadline for offers" in english
    assert out.getvalue().startswith("2 digest(s) sent")
    assert all(s.last_sent_at for s in DigestSubscription.objects.all())


def test_a_digest_that_cannot_be_sent_gives_its_period_back(people, monkeypatch):
    subscription = services.digest_subscribe(user=people.supplier_admin, organisation=people.supplier_org)
    NeedsWorld(people).need()

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(digest, "send_now", refuse)
    outcome = digest.digest_send_one(subscription=subscription, now=timezone.now())
    assert outcome.status == "failed" and "mail server down" in str(outcome.error)
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None


# --- The real actions -----------------------------------------------------------------------------------------


def english(*users):
    User.objects.filter(pk__in=[user.pk for user in users]).update(preferred_language="en")


def outbox() -> dict[str, object]:
    """Each address's message (each address gets one at a time)."""
    messages = {}
    for message in mail.outbox:
        for address in message.to:
            assert address not in messages
            messages[address] = message
    mail.outbox.clear()
    return messages


@pytest.fixture
def world(people):
    mail.outbox.clear()
    return NeedsWorld(people)


def test_a_needs_followers_hear_of_cosigns_steps_and_pitches_in_their_language(
    world, people, django_capture_on_commit_callbacks
):
    need = world.need()
    services.need_follow(need=need, user=people.outsider)
    english(people.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_cosign(need=need, user=people.authority2_admin, organisation=people.authority2)
    sent = outbox()
    assert set(sent) == {"kommune@example.dk", "outsider@example.dk"}
    assert "Odense Kommune har også behovet." in sent["kommune@example.dk"].body
    assert "Odense Kommune has the need too." in sent["outsider@example.dk"].body
    assert sent["outsider@example.dk"].subject == f"Need “{need.title}”"

    with django_capture_on_commit_callbacks(execute=True):
        services.need_clarify(need=need, user=people.authority_admin, comment="Møde den 3. marts.")
    sent = outbox()
    assert set(sent) == {"kommune2@example.dk", "outsider@example.dk"}  # not the one who moved it
    assert "Behovet har nu status: Under afklaring.\n\nMøde den 3. marts." in sent["kommune2@example.dk"].body
    assert "The need is now: Being clarified.\n\nMøde den 3. marts." in sent["outsider@example.dk"].body

    with django_capture_on_commit_callbacks(execute=True):
        services.pitch_create(
            user=people.supplier_admin, supplier=people.supplier_org, need=need, data={"title": "OS2mo", "text": "x"}
        )
    sent = outbox()
    assert set(sent) == {"kommune@example.dk", "kommune2@example.dk", "outsider@example.dk"}
    assert "Kodekammeret ApS pitcher en løsning: OS2mo" in sent["kommune@example.dk"].body
    assert "Kodekammeret ApS pitches a solution: OS2mo" in sent["outsider@example.dk"].body


def test_the_supplier_hears_its_pitch_is_on_a_meeting_in_its_members_languages(
    world, people, django_capture_on_commit_callbacks
):
    pitch = services.pitch_create(
        user=people.supplier_admin, supplier=people.supplier_org, data={"title": "Idé", "text": "x"}
    )
    english(people.supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.pitch_mark_for_meeting(pitch=pitch, user=people.secretariat)
    sent = outbox()
    assert set(sent) == {"leverandoer@example.dk", "udvikler@example.dk"}
    assert sent["leverandoer@example.dk"].subject == "Jeres pitch “Idé” kommer på et fællesskabsmøde"
    assert sent["udvikler@example.dk"].subject == "Your pitch “Idé” is on a community meeting"


def test_offers_awards_and_cancellations_reach_each_person_in_their_language(
    world, people, django_capture_on_commit_callbacks
):
    english(world.coordinator, world.reviewer_admin, people.supplier_member)
    call = world.call()
    with django_capture_on_commit_callbacks(execute=True):
        winner = world.review_offer(call, hours="10")  # 8.000 kr.
    sent = outbox()
    assert list(sent) == ["koordination@example.dk"]  # the caller: the coordination group
    assert sent["koordination@example.dk"].subject == f"New offer on “{call.title}”"
    assert "Revisorerne ApS has made an offer on your call" in sent["koordination@example.dk"].body
    world.offer(call, hours="10")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.call_award(call=call, user=world.coordinator, offer=winner)
    sent = outbox()
    assert set(sent) == {"review@revisorerne.dk", "leverandoer@example.dk", "udvikler@example.dk"}
    assert sent["review@revisorerne.dk"].subject == f"You won the call “{call.title}”"
    assert "Your offer of DKK\xa08,000.00" in sent["review@revisorerne.dk"].body
    assert sent["leverandoer@example.dk"].subject == f"Forespørgslen “{call.title}” er tildelt"
    assert sent["udvikler@example.dk"].subject == f"The call “{call.title}” is awarded"

    other = world.call(title="Endnu en opgave")
    world.offer(other, hours="10")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.call_cancel(call=other, user=people.secretariat, reason="Opgaven løses internt.")
    sent = outbox()
    assert set(sent) == {"leverandoer@example.dk", "udvikler@example.dk"}
    assert (
        "Forespørgslen “Endnu en opgave” er annulleret.\n\nOpgaven løses internt."
        in sent["leverandoer@example.dk"].body
    )
    assert "The call “Endnu en opgave” is cancelled.\n\nOpgaven løses internt." in sent["udvikler@example.dk"].body


def test_an_authority_called_call_tells_the_authoritys_members(world, people, django_capture_on_commit_callbacks):
    english(people.authority_admin)
    call = world.call(user=people.authority_admin, caller="aarhus")
    with django_capture_on_commit_callbacks(execute=True):
        world.offer(call, hours="1")
    sent = outbox()
    assert list(sent) == ["kommune@example.dk"]
    assert sent["kommune@example.dk"].subject == f"New offer on “{call.title}”"


def test_donations_are_announced_in_each_persons_language(world, people, django_capture_on_commit_callbacks):
    second = User.objects.create_user(email="sekretariat2@example.dk", password="x")
    people.secretariat_org.memberships.create(user=second, role="member")
    english(people.secretariat, people.authority_admin)
    with django_capture_on_commit_callbacks(execute=True):
        donation = world.donation()
    sent = outbox()
    assert set(sent) == {"sekretariat@example.dk", "sekretariat2@example.dk"}
    assert sent["sekretariat@example.dk"].subject == "Aarhus Kommune donates Mødebooker"
    assert sent["sekretariat2@example.dk"].subject == "Aarhus Kommune donerer Mødebooker"

    with django_capture_on_commit_callbacks(execute=True):
        product = services.donation_accept(donation=donation, user=people.secretariat)
    sent = outbox()
    assert list(sent) == ["kommune@example.dk"]
    assert sent["kommune@example.dk"].subject == "Mødebooker is now a sandbox product in OS2"
    assert product.get_absolute_url() in sent["kommune@example.dk"].body

    declined = world.donation(name="Lokalebooker")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.donation_decline(donation=declined, user=people.secretariat, reason="Findes allerede.")
    sent = outbox()
    assert list(sent) == ["kommune@example.dk"]
    assert sent["kommune@example.dk"].subject == "About your donation of Lokalebooker"
    assert "did not take Lokalebooker into the catalogue:\n\nFindes allerede." in sent["kommune@example.dk"].body


def test_those_involved_in_a_development_request_hear_of_its_steps_in_their_language(
    people, django_capture_on_commit_callbacks
):
    world = DevelopmentWorld(people)
    request, estimate = world.estimated()
    english(world.coordinator, people.supplier_member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        development.request_order(request=request, user=people.authority_admin, estimate=estimate)
    sent = outbox()
    # The requester's members, the chosen supplier's members and the coordination group.
    assert set(sent) == {
        "kommune@example.dk",
        "leverandoer@example.dk",
        "udvikler@example.dk",
        "koordination@example.dk",
    }
    assert sent["kommune@example.dk"].subject == f"Udviklingsønske “{request.title}”: Bestilt"
    assert sent["koordination@example.dk"].subject == f"Development request “{request.title}”: Ordered"
    assert f"The development request “{request.title}” for OS2mo is now: Ordered." in sent["udvikler@example.dk"].body
