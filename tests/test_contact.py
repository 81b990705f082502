"""Reaching the secretariat: the contact page and its form, the secretariat's queue and answers, the sender's own
messages, and the people the secretariat shows on the contact page - through the URLs."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from os2hub.contact.models import ContactAnswer, ContactMessage, SecretariatPerson
from os2hub.contact.services import RATE_PER_SENDER

CONTACT = "/kontakt/"
QUEUE = "/sekretariat/henvendelser/"


@pytest.fixture(autouse=True)
def _fresh_limits(settings, db):
    settings.CONTACT_EMAIL = "sekretariatet@os2.example"
    cache.clear()
    yield
    cache.clear()


def form(**changes):
    return {
        "sender_name": "Birgit Borger",
        "sender_email": "birgit@kommune.example.dk",
        "organisation": "Syddjurs Kommune",
        "subject": "Hvordan bliver vi medlem?",
        "body": "Vi overvejer at tage OS2mo i brug. Hvad koster et medlemskab?",
        "website": "",
        **changes,
    }


def send(client, captured, **changes):
    with captured(execute=True):
        return client.post(CONTACT, form(**changes), follow=True)


def file_message(**fields) -> ContactMessage:
    values = {"sender_name": "Birgit Borger", "sender_email": "birgit@kommune.example.dk", "subject": "Spørgsmål",
              "body": "Hej."} | fields  # fmt: skip
    return ContactMessage.objects.create(**values)


# --- The contact form ------------------------------------------------------------------------------------------


def test_a_visitor_sends_a_message_gets_a_receipt_and_the_secretariat_is_told(
    client, db, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks)
    assert response.redirect_chain[-1][0] == CONTACT
    page = response.content.decode()
    assert (
        'role="status"' in page and "birgit@kommune.example.dk" in page
    )  # the confirmation names the receipt's address
    message = ContactMessage.objects.get()
    assert (message.sender_name, message.organisation, message.status) == ("Birgit Borger", "Syddjurs Kommune", "open")
    assert message.user is None
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {("birgit@kommune.example.dk",), ("sekretariatet@os2.example",)}
    receipt = by_recipient[("birgit@kommune.example.dk",)]
    assert "Hvordan bliver vi medlem?" in receipt.subject
    assert "Hvad koster et medlemskab?" in receipt.body
    notice = by_recipient[("sekretariatet@os2.example",)]
    assert f"/kontakt/henvendelser/{message.pk}/" in notice.body
    assert "Syddjurs Kommune" in notice.body


def test_an_english_visitor_gets_the_receipt_in_english(client, db, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    send(client, django_capture_on_commit_callbacks)
    receipt = next(m for m in mail.outbox if m.to == ["birgit@kommune.example.dk"])
    assert receipt.subject.startswith("We have received your message")
    assert ContactMessage.objects.get().language == "en"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_email", "ikke-en-adresse"),
        ("sender_name", ""),
        ("subject", ""),
        ("body", ""),
        ("subject", "To\nlinjer"),
        ("body", "Skjult\x07tegn"),
        ("body", "x" * 5001),
        ("subject", "x" * 201),
        ("organisation", "Nul\x00tegn"),
    ],
)
def test_the_form_refuses_what_cannot_be_sent_with_an_error_summary_and_files_nothing(
    client, db, django_capture_on_commit_callbacks, field, value
):
    response = send(client, django_capture_on_commit_callbacks, **{field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-module="error-summary"' in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert ContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_a_robot_that_fills_in_the_trap_is_thanked_but_nothing_is_filed(client, db, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, website="https://spam.example")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == CONTACT
    assert ContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_one_address_cannot_flood_the_secretariat(client, db, django_capture_on_commit_callbacks):
    for n in range(RATE_PER_SENDER):
        send(client, django_capture_on_commit_callbacks, subject=f"Spørgsmål {n}")
    response = send(
        client, django_capture_on_commit_callbacks, subject="Et til", sender_email="BIRGIT@kommune.example.dk"
    )
    assert response.status_code == 200
    assert 'data-module="error-summary"' in response.content.decode()
    assert ContactMessage.objects.count() == RATE_PER_SENDER
    # Another sender is not held back by Birgit's messages.
    send(client, django_capture_on_commit_callbacks, sender_email="anden@kommune.example.dk")
    assert ContactMessage.objects.count() == RATE_PER_SENDER + 1


def test_someone_signed_in_writes_as_themselves_and_finds_the_answer_under_my_messages(
    client, people, login, django_capture_on_commit_callbacks
):
    login(people.authority_admin)
    page = client.get(CONTACT).content.decode()
    assert 'name="sender_email"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONTACT, form(sender_email="someone-else@example.dk", sender_name=""))
    message = ContactMessage.objects.get()
    assert (message.user, message.sender_email, message.sender_name) == (
        people.authority_admin,
        "kommune@example.dk",
        "Kommune Karlsen",
    )
    ContactAnswer.objects.create(message=message, author=people.secretariat, body="Velkommen til OS2.")
    mine = client.get(reverse("contact:my_messages")).content.decode()
    assert "Hvordan bliver vi medlem?" in mine
    thread = client.get(message.get_absolute_url()).content.decode()
    assert "Velkommen til OS2." in thread
    assert "Send the answer" not in thread and "Send svaret" not in thread
    # The sender may read but not answer or close.
    assert client.post(message.get_absolute_url(), {"body": "Tak"}).status_code == 403
    assert client.post(reverse("contact:message_step", args=[message.pk, "close"])).status_code == 403


def test_nobody_else_sees_a_message(client, people, login):
    message = file_message(user=people.authority_admin)
    url = message.get_absolute_url()
    assert client.get(url).status_code == 302  # to the login
    for person in (people.authority2_admin, people.supplier_admin, people.outsider):
        login(person)
        assert client.get(url).status_code == 404
        assert client.get(QUEUE).status_code == 403
        assert client.get(reverse("contact:people")).status_code == 403
    assert client.get(reverse("contact:message", args=[message.pk + 1000])).status_code == 404


# --- The secretariat's queue and answers ---------------------------------------------------------------------


def test_the_queue_counts_and_filters_by_status(client, people, login, django_assert_max_num_queries):
    for n in range(3):
        file_message(subject=f"Åben {n}")
    file_message(subject="Emne-svaret", status="answered")
    file_message(subject="Emne-lukket", status="closed")
    login(people.secretariat)
    page = client.get(QUEUE).content.decode()
    assert "Åben 0" in page and "Emne-svaret" not in page and "Emne-lukket" not in page
    assert "(3)" in page and "(5)" in page
    assert "Emne-lukket" in client.get(QUEUE + "?status=closed").content.decode()
    assert "Åben 2" in client.get(QUEUE + "?status=nonsense").content.decode()
    every = client.get(QUEUE + "?status=all").content.decode()
    assert all(s in every for s in ("Åben 1", "Emne-svaret", "Emne-lukket"))
    # The cost of the page does not grow with the number of messages.
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE + "?status=all")
    for n in range(20):
        message = file_message(subject=f"Flere {n}")
        ContactAnswer.objects.create(message=message, body="Svar")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE + "?status=all")


def test_the_secretariat_answers_closes_and_reopens_and_the_sender_gets_the_answer(
    client, people, login, django_capture_on_commit_callbacks
):
    message = file_message(language="en")
    login(people.secretariat)
    url = message.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Medlemskab koster 1 kr. pr. indbygger."}, follow=True)
    assert response.status_code == 200
    assert "Medlemskab koster 1 kr. pr. indbygger." in response.content.decode()
    message.refresh_from_db()
    assert message.status == "answered"
    (answer_mail,) = mail.outbox
    assert answer_mail.to == ["birgit@kommune.example.dk"]
    assert answer_mail.subject.startswith("Answer from the OS2 secretariat")  # the sender wrote in English
    assert "Medlemskab koster 1 kr. pr. indbygger." in answer_mail.body
    assert "Sekretær Sørensen" in answer_mail.body

    client.post(reverse("contact:message_step", args=[message.pk, "close"]))
    message.refresh_from_db()
    assert message.status == "closed"
    # A closed message takes no answer until it is reopened (no mail goes out).
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Et svar mere."}, follow=True)
    assert mail.outbox == []
    assert message.answers.count() == 1
    client.post(reverse("contact:message_step", args=[message.pk, "reopen"]))
    message.refresh_from_db()
    assert message.status == "open"
    assert [(e.from_status, e.to_status) for e in message.events.all()] == [
        ("open", "answered"),
        ("answered", "closed"),
        ("closed", "open"),
    ]
    assert client.post(reverse("contact:message_step", args=[message.pk, "explode"])).status_code == 404


def test_an_empty_or_hostile_answer_is_refused(client, people, login, django_capture_on_commit_callbacks):
    message = file_message()
    login(people.secretariat)
    for body in ("", "Skjult\x00tegn"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(message.get_absolute_url(), {"body": body})
        assert response.status_code == 200
        assert 'data-module="error-summary"' in response.content.decode()
    assert message.answers.count() == 0 and mail.outbox == []
    # Text is shown as text, never as markup.
    script = file_message(body="<script>alert(1)</script>")
    assert "<script>alert(1)" not in client.get(script.get_absolute_url()).content.decode()


# --- The people on the contact page ----------------------------------------------------------------------------


PERSON = {"name": "Anne Andersen", "role_da": "Sekretariatschef", "role_en": "Head of the secretariat",
          "email": "anne@os2.example", "phone": "+45 12 34 56 78", "description": ""}  # fmt: skip


def test_the_secretariat_adds_edits_orders_and_removes_the_people_on_the_contact_page(client, people, login):
    login(people.secretariat)
    client.post(reverse("contact:person_create"), PERSON)
    client.post(reverse("contact:person_create"), PERSON | {"name": "Bo Bech", "role_da": "Produktkoordinator"})
    anne, bo = SecretariatPerson.objects.all()
    assert (anne.name, bo.name) == ("Anne Andersen", "Bo Bech")

    page = client.get(CONTACT).content.decode()
    assert page.index("Anne Andersen") < page.index("Bo Bech")
    assert "Sekretariatschef" in page
    client.cookies["django_language"] = "en"
    assert "Head of the secretariat" in client.get(CONTACT).content.decode()
    del client.cookies["django_language"]

    client.post(reverse("contact:person_move", args=[bo.pk]), {"direction": "up"})
    assert [p.name for p in SecretariatPerson.objects.all()] == ["Bo Bech", "Anne Andersen"]
    client.post(reverse("contact:person_edit", args=[anne.pk]), PERSON | {"role_da": "Kommunikation"})
    anne.refresh_from_db()
    assert anne.role_da == "Kommunikation"

    # Removing asks first: the page says what happens, and nothing is removed until the form is sent.
    confirm = client.get(reverse("contact:person_delete", args=[anne.pk]))
    assert confirm.status_code == 200 and "Anne Andersen" in confirm.content.decode()
    assert SecretariatPerson.objects.filter(pk=anne.pk).exists()
    client.post(reverse("contact:person_delete", args=[anne.pk]))
    assert list(SecretariatPerson.objects.values_list("name", flat=True)) == ["Bo Bech"]


def test_a_person_with_bad_input_is_refused_with_errors(client, people, login):
    login(people.secretariat)
    response = client.post(reverse("contact:person_create"), PERSON | {"name": "", "email": "nope", "phone": "1\n2"})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-module="error-summary"' in page
    assert 'href="#id_name"' in page and 'href="#id_email"' in page
    assert SecretariatPerson.objects.count() == 0


def test_only_the_secretariat_edits_the_people(client, people, login):
    person = SecretariatPerson.objects.create(name="Anne Andersen", role_da="Chef")
    login(people.authority_admin)
    assert client.post(reverse("contact:person_create"), PERSON).status_code == 403
    assert client.post(reverse("contact:person_edit", args=[person.pk]), PERSON).status_code == 404
    assert client.post(reverse("contact:person_delete", args=[person.pk])).status_code == 404
    assert SecretariatPerson.objects.get().name == "Anne Andersen"
