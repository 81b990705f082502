"""The weekly digest (manage.py send_digests): a supplier member gets the new opportunities matching the
partner's competences, once a week, and nothing when there is nothing new or when they no longer belong."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from os2hub.accounts.models import Membership
from os2hub.development import services as development
from os2hub.needs import services
from os2hub.needs.models import Call, DigestSubscription, Need
from os2hub.products.models import Product

pytestmark = pytest.mark.django_db

NEED = {
    "title": "Overblik over udløbne adgange",
    "problem": "Lederne ved ikke, hvilke adgange deres medarbejdere har.",
    "desired_outcome": "En kvartalsvis liste til hver leder.",
}
REQUEST = {
    "title": "Eksport af organisationen til CSV",
    "description": "Hvad: en eksport. Hvorfor: færre opslag. Hvem: HR-medarbejdere i kommunen.",
    "user_stories": ["Som HR-medarbejder ønsker jeg en eksport, således at jeg kan lave rapporter"],
    "acceptance_criteria": ["Eksporten indeholder alle enheder"],
    "documentation_requirements": "Brugervejledningen opdateres.",
    "funding": "requester",
}


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_digests", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def product(db):
    return Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisationsdata", status="product")


@pytest.fixture
def subscribed(people):
    mail.outbox.clear()
    return services.digest_subscribe(user=people.supplier_admin, organisation=people.supplier_org)


def call(people, product, kind, title):
    return services.call_create(
        user=people.authority_admin,
        product=product,
        data={
            "kind": kind,
            "title": title,
            "description": "Opgaven beskrevet.",
            "deadline": timezone.localdate() + timedelta(days=14),
            "budget_max_dkk": "40000",
        },
    )


def need(people, **fields):
    return services.need_create(user=people.authority_admin, organisation=people.authority, data={**NEED, **fields})


def test_it_sends_only_the_opportunities_matching_the_partners_competences(people, product, subscribed, settings):
    settings.SITE_URL = "https://os2hub.example"
    review = call(people, product, "code-review", "Code review af snitfladen")
    call(people, product, "hosting", "Hosting af OS2mo")  # the partner offers no hosting
    open_need = need(people)
    closed = need(people, title="Et lukket behov")
    services.need_close(need=closed, user=people.authority_admin, comment="Dækket af et andet produkt.")
    old = need(people, title="Et gammelt behov")
    Need.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    draft = development.request_create(
        user=people.authority_admin, organisation=people.authority, product=product, data=REQUEST
    )
    development.request_submit(request=draft, user=people.authority_admin)
    mail.outbox.clear()

    output = run()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leverandoer@example.dk"]
    assert message.subject == "OS2hub: 3 nye muligheder"
    body = message.body
    assert "Code review af snitfladen" in body and f"https://os2hub.example/calls/{review.pk}/" in body
    assert "Hosting af OS2mo" not in body
    assert open_need.title in body and f"https://os2hub.example/needs/{open_need.pk}/" in body
    assert "Et lukket behov" not in body and "Et gammelt behov" not in body
    assert REQUEST["title"] in body and f"https://os2hub.example/development-requests/{draft.pk}/" in body
    assert "Code review, frist for tilbud" in body and "40.000,00" in body  # Danish, whatever the language
    assert "https://os2hub.example/overblik/" in body and "framelde" in body
    assert "<" not in body  # plain text
    subscribed.refresh_from_db()
    assert subscribed.last_sent_at is not None
    assert output.startswith("1 digest(s) sent")


def test_nothing_is_sent_when_there_is_nothing_new(people, product, subscribed):
    call(people, product, "hosting", "Hosting af OS2mo")
    mail.outbox.clear()
    output = run()
    assert mail.outbox == []
    subscribed.refresh_from_db()
    assert subscribed.last_sent_at is None  # the period is kept for the next run
    assert "0 digest(s) sent, 1 with nothing new" in output


def test_one_a_week_unless_forced_and_a_second_run_the_same_day_sends_nothing(people, product, subscribed):
    three_days_ago = timezone.now() - timedelta(days=3)
    DigestSubscription.objects.filter(pk=subscribed.pk).update(last_sent_at=three_days_ago)
    older = need(people, title="Før sidste oversigt")
    Need.objects.filter(pk=older.pk).update(created_at=three_days_ago - timedelta(hours=1))
    need(people, title="Efter sidste oversigt")
    mail.outbox.clear()

    run()
    assert mail.outbox == []  # the last digest went out less than six days ago

    run("--force")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Efter sidste oversigt" in body and "Før sidste oversigt" not in body  # only what is new since then
    assert mail.outbox[0].subject == "OS2hub: 1 ny mulighed"

    run()
    run("--force")
    assert len(mail.outbox) == 1  # idempotent: nothing new since the digest just sent


def test_a_week_after_the_last_digest_the_next_one_goes_out(people, product, subscribed):
    DigestSubscription.objects.filter(pk=subscribed.pk).update(last_sent_at=timezone.now() - timedelta(days=7))
    need(people)
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 1


def test_a_dry_run_prints_and_sends_nothing(people, product, subscribed):
    review = call(people, product, "code-review", "Code review af snitfladen")
    mail.outbox.clear()
    output = run("--dry-run")
    assert mail.outbox == []
    assert "To: leverandoer@example.dk" in output and "Subject: OS2hub: 1 ny mulighed" in output
    assert f"/calls/{review.pk}/" in output and "1 digest(s) would be sent" in output
    subscribed.refresh_from_db()
    assert subscribed.last_sent_at is None


def test_an_unsubscribed_person_gets_nothing(people, product, subscribed):
    services.digest_unsubscribe(user=people.supplier_admin)
    call(people, product, "code-review", "Code review af snitfladen")
    mail.outbox.clear()
    run("--force")
    assert mail.outbox == []


def test_someone_who_left_the_supplier_gets_nothing(people, product, subscribed):
    Membership.objects.filter(user=people.supplier_admin, organisation=people.supplier_org).delete()
    call(people, product, "code-review", "Code review af snitfladen")
    mail.outbox.clear()
    output = run()
    assert mail.outbox == []
    assert "1 skipped" in output


def test_a_partner_that_is_no_longer_approved_gets_nothing(people, product, subscribed):
    people.supplier.status = "changes_requested"
    people.supplier.save(update_fields=["status"])
    call(people, product, "code-review", "Code review af snitfladen")
    mail.outbox.clear()
    output = run()
    assert mail.outbox == []
    assert "1 skipped" in output


def test_each_subscriber_gets_their_own_partners_opportunities(people, product, subscribed):
    from .personas import OrganisationFactory, UserFactory, make_application, member

    hoster = OrganisationFactory(name="Driftshuset ApS", slug="driftshuset", kind="supplier", cvr="29403473")
    admin = member(UserFactory(email="drift@example.dk"), hoster)
    make_application(hoster, admin, competences=("hosting",), rates=(800,))
    services.digest_subscribe(user=admin, organisation=hoster)
    call(people, product, "hosting", "Hosting af OS2mo")
    call(people, product, "code-review", "Code review af snitfladen")
    mail.outbox.clear()
    run()
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {"leverandoer@example.dk", "drift@example.dk"}
    assert "Hosting af OS2mo" in by_recipient["drift@example.dk"]
    assert "Code review" not in by_recipient["drift@example.dk"]
    assert "Hosting af OS2mo" not in by_recipient["leverandoer@example.dk"]
    assert Call.objects.count() == 2
