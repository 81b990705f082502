"""The partnership and governance e-mails are templates (core/mail.py), each rendered in Danish and English, and
each sent by its action to the right people in their own language."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from os2hub.core.mail import render_mail
from os2hub.governance import services as governance
from os2hub.governance.models import CriteriaVersion, Decision, Evaluation, Round, SelfAssessment
from os2hub.products.models import Product
from os2hub.suppliers.models import SupplierApplication

from .personas import UserFactory, make_application, member
from .test_evaluation import decision_data, form_data, start, urls
from .test_governance import make_product

LINK = "https://os2hub.example/sti/"

# --- Each template in Danish and in English --------------------------------------------------------------------


def application(status="submitted"):
    return SupplierApplication(organisation_name="A & B ApS", status=status)


def product():
    return Product(name="OS2mo", slug="os2mo")


TEMPLATES = {
    "supplier_application_submitted": (
        lambda: {"application": application(), "link": LINK},
        (
            "Ny ansøgning om partnerskab: A & B ApS",
            "A & B ApS har indsendt en ansøgning om partnerskab til behandling.",
        ),
        ("New partner application: A & B ApS", "A & B ApS has submitted a partner application for review."),
    ),
    "supplier_application_received": (
        lambda: {"application": application()},
        (
            "Vi har modtaget din ansøgning om partnerskab med OS2",
            "Tak. OS2-sekretariatet behandler ansøgningen fra A & B ApS og svarer dig på e-mail.",
        ),
        (
            "We have received your OS2 partner application",
            "Thank you. The OS2 secretariat will review the application from A & B ApS and reply by e-mail.",
        ),
    ),
    "supplier_application_approved": (
        lambda: {"application": application("approved"), "comment": "", "link": LINK},
        (
            "Din ansøgning om partnerskab med OS2 er godkendt",
            "OS2-sekretariatet har truffet beslutning om ansøgningen fra A & B ApS: Godkendt.",
        ),
        (
            "Your OS2 partner application is approved",
            "The OS2 secretariat has decided on the application from A & B ApS: Approved.",
        ),
    ),
    "supplier_application_changes_requested": (
        lambda: {"application": application("changes_requested"), "comment": "Tilføj en pris.", "link": LINK},
        (
            "OS2 beder om ændringer i din ansøgning om partnerskab",
            "OS2-sekretariatet har truffet beslutning om ansøgningen fra A & B ApS: Ændringer ønsket.",
        ),
        (
            "OS2 asks for changes to your partner application",
            "The OS2 secretariat has decided on the application from A & B ApS: Changes requested.",
        ),
    ),
    "supplier_application_rejected": (
        lambda: {"application": application("rejected"), "comment": "Ikke relevant.", "link": LINK},
        (
            "Din ansøgning om partnerskab med OS2 er afvist",
            "OS2-sekretariatet har truffet beslutning om ansøgningen fra A & B ApS: Afvist.",
        ),
        (
            "Your OS2 partner application is rejected",
            "The OS2 secretariat has decided on the application from A & B ApS: Rejected.",
        ),
    ),
    "governance_self_assessment_submitted": (
        lambda: {
            "assessment": SelfAssessment(product=product()),
            "person": UserFactory.build(name="Anna"),
            "link": LINK,
        },
        ("Selvevaluering indsendt: OS2mo", "Anna har indsendt selvevalueringen af OS2mo."),
        ("Self-assessment submitted: OS2mo", "Anna has submitted the self-assessment of OS2mo."),
    ),
    "governance_evaluation_published": (
        lambda: {"evaluation": Evaluation(product=product()), "link": LINK},
        ("Evaluering offentliggjort: OS2mo", "Sekretariatet har offentliggjort sin evaluering af OS2mo."),
        ("Evaluation published: OS2mo", "The secretariat has published its evaluation of OS2mo."),
    ),
    "governance_decision_recorded": (
        lambda: {
            "decision": Decision(
                product=product(), made_by="Bestyrelsen", decided_on=datetime.date(2026, 3, 3), decision="Niveau 2"
            ),
            "link": LINK,
        },
        ("Beslutning om niveauet for OS2mo", "Bestyrelsen besluttede den 3. marts 2026: Niveau 2"),
        ("Decision on the level of OS2mo", "Bestyrelsen decided on 3 March 2026: Niveau 2"),
    ),
    "governance_self_assessment_reminder": (
        lambda: {"round": Round(name="Forår", deadline=datetime.date(2026, 3, 3)), "product": product(), "link": LINK},
        (
            "Påmindelse: selvevaluering af OS2mo",
            "Evalueringsrunden Forår er åben, og selvevalueringen af OS2mo er ikke indsendt endnu. "
            "Fristen er den 3. marts 2026.",
        ),
        (
            "Reminder: self-assessment of OS2mo",
            "The evaluation round Forår is open, and the self-assessment of OS2mo has not been submitted yet. "
            "It is due on 3 March 2026.",
        ),
    ),
}


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_mail_reads_in_danish_and_in_english(name):
    context, (da_subject, da_sentence), (en_subject, en_sentence) = TEMPLATES[name]
    da = render_mail(name, context(), "da")
    en = render_mail(name, context(), "en")
    assert da[0] == da_subject and en[0] == en_subject
    assert da_sentence in da[1] and en_sentence in en[1]
    # Neither language leaks into the other, and text mail is not HTML-escaped.
    assert en_sentence not in da[1] and da_sentence not in en[1]
    assert en_subject not in da[1] and da_subject not in en[1]
    assert "&amp;" not in da[1] + en[1]
    if "link" in context():
        assert LINK in da[1] and LINK in en[1]


def test_the_decision_on_an_application_reads_as_before_with_the_comment_and_the_link():
    context = {"application": application("rejected"), "comment": "Mangler\npriser.", "link": LINK}
    assert render_mail("supplier_application_rejected", context, "da")[1] == (
        "OS2-sekretariatet har truffet beslutning om ansøgningen fra A & B ApS: Afvist.\n\n"
        "Kommentar fra sekretariatet:\nMangler\npriser.\n\n" + LINK + "\n"
    )
    context = {"application": application("approved"), "comment": "", "link": LINK}
    assert render_mail("supplier_application_approved", context, "en")[1] == (
        "The OS2 secretariat has decided on the application from A & B ApS: Approved.\n\n" + LINK + "\n"
    )


# --- Each action sends its mail to the right people, in their language ----------------------------------------


def by_recipients():
    return {tuple(m.to): m for m in mail.outbox}


def english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_submitting_an_application_tells_the_secretariat_and_thanks_the_applicant(
    people, login, django_capture_on_commit_callbacks
):
    english(people.secretariat)
    colleague = member(UserFactory(email="sekretaer2@example.dk"), people.secretariat_org, role="member")
    make_application(people.new_supplier_org, people.new_supplier_admin, status="draft", cvr="29403473")
    client = login(people.new_supplier_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("suppliers:submit"))
    assert response.status_code == 302
    sent = by_recipients()
    assert set(sent) == {(people.secretariat.email,), (colleague.email,), (people.new_supplier_admin.email,)}
    assert sent[(people.secretariat.email,)].subject == "New partner application: Nyt Firma ApS"
    assert "has submitted a partner application for review" in sent[(people.secretariat.email,)].body
    assert sent[(colleague.email,)].subject == "Ny ansøgning om partnerskab: Nyt Firma ApS"
    assert sent[(people.new_supplier_admin.email,)].subject == "Vi har modtaget din ansøgning om partnerskab med OS2"


def test_the_decision_on_an_application_reaches_every_admin_in_their_language(
    people, login, django_capture_on_commit_callbacks
):
    app = make_application(people.new_supplier_org, people.new_supplier_admin, status="submitted", cvr="29403473")
    admin2 = english(member(UserFactory(email="admin2@nytfirma.example"), people.new_supplier_org))
    member(UserFactory(email="udvikler@nytfirma.example"), people.new_supplier_org, role="member")
    client = login(people.secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("suppliers:review", args=[app.pk]), {"decision": "request_changes", "comment": "Tilføj en pris."}
        )
    assert response.status_code == 302
    sent = by_recipients()
    assert set(sent) == {(people.new_supplier_admin.email,), (admin2.email,)}
    danish, english_mail = sent[(people.new_supplier_admin.email,)], sent[(admin2.email,)]
    assert danish.subject == "OS2 beder om ændringer i din ansøgning om partnerskab"
    assert "Ændringer ønsket" in danish.body and "Kommentar fra sekretariatet:\nTilføj en pris." in danish.body
    assert english_mail.subject == "OS2 asks for changes to your partner application"
    assert "Changes requested" in english_mail.body and "Comment from the secretariat:" in english_mail.body


def test_a_submitted_self_assessment_is_announced_to_the_secretariat_in_their_language(
    people, login, django_capture_on_commit_callbacks
):
    product = make_product(people)
    english(people.secretariat)
    colleague = member(UserFactory(email="sekretaer2@example.dk"), people.secretariat_org, role="member")
    governance.self_assessment_draft(product=product, user=people.authority_admin)
    client = login(people.authority_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:self_assessment_submit", args=[product.slug]), {"confirm": "yes"})
    assert response.status_code == 302
    sent = by_recipients()
    assert set(sent) == {(people.secretariat.email,), (colleague.email,)}
    assert sent[(people.secretariat.email,)].subject == f"Self-assessment submitted: {product.name}"
    assert (
        f"Kommune Karlsen has submitted the self-assessment of {product.name}."
        in sent[(people.secretariat.email,)].body
    )
    assert sent[(colleague.email,)].subject == f"Selvevaluering indsendt: {product.name}"


@pytest.fixture
def steered(people):
    """A product whose coordinator reads English; its steering group member (authority2_admin) reads Danish."""
    product = make_product(people)
    english(people.authority_admin)
    return product


def test_a_published_evaluation_is_announced_to_coordinator_and_steering_group(
    people, login, steered, django_capture_on_commit_callbacks
):
    codes = [c.code for c in governance.criteria_of(CriteriaVersion.current())]
    client = login(people.secretariat)
    evaluation = start(client, steered)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls(steered, evaluation)["publish"], form_data(codes))
    assert response.status_code == 302
    sent = by_recipients()
    assert set(sent) == {(people.authority_admin.email,), (people.authority2_admin.email,)}
    assert sent[(people.authority_admin.email,)].subject == f"Evaluation published: {steered.name}"
    assert sent[(people.authority2_admin.email,)].subject == f"Evaluering offentliggjort: {steered.name}"
    assert urls(steered, evaluation)["report"] in sent[(people.authority2_admin.email,)].body


def test_a_recorded_decision_is_announced_to_coordinator_and_steering_group(
    people, login, steered, django_capture_on_commit_callbacks
):
    client = login(people.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        # As the confirmation page posts it back: confirmed, with the official level it showed (none yet).
        response = client.post(
            reverse("governance:decision_create", args=[steered.slug]),
            decision_data() | {"confirm": "yes", "official_level_seen": ""},
        )
    assert response.status_code == 302
    sent = by_recipients()
    assert set(sent) == {(people.authority_admin.email,), (people.authority2_admin.email,)}
    assert sent[(people.authority_admin.email,)].subject == f"Decision on the level of {steered.name}"
    assert "OS2's bestyrelse decided on " in sent[(people.authority_admin.email,)].body
    assert sent[(people.authority2_admin.email,)].subject == f"Beslutning om niveauet for {steered.name}"
    assert "OS2's bestyrelse besluttede den " in sent[(people.authority2_admin.email,)].body


def test_reminders_go_to_the_coordinator_or_else_the_steering_group_in_their_language(
    people, login, steered, django_capture_on_commit_callbacks
):
    leaderless = make_product(people, name="Uden tovholder", slug="uden-tovholder")
    Product.objects.filter(pk=leaderless.pk).update(coordinator=None)
    open_round = governance.round_open(
        user=people.secretariat,
        name="Efterår 2026",
        opens_on=timezone.localdate(),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    client = login(people.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:round_remind", args=[open_round.pk]))
    assert response.status_code == 302
    assert {(tuple(m.to), m.subject) for m in mail.outbox} == {
        ((people.authority_admin.email,), f"Reminder: self-assessment of {steered.name}"),
        ((people.authority2_admin.email,), "Påmindelse: selvevaluering af Uden tovholder"),
    }
    assert all("Efterår 2026" in m.body for m in mail.outbox)
