"""E-mails are templates rendered in each recipient's language (core/mail.py), one test per template in Danish
and English. Recipients without an account get Danish."""

import pytest
from django.core import mail

from os2hub.accounts import services as accounts
from os2hub.core.mail import render_mail, send_templated_mail_on_commit

pytestmark = pytest.mark.django_db


def sent(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_mail_on_commit(**kwargs)
    return {tuple(m.to): m for m in mail.outbox}


def test_each_recipient_gets_the_mail_in_their_language(people, django_capture_on_commit_callbacks):
    people.authority2_admin.preferred_language = "en"
    people.authority2_admin.save()
    context = {"inviter": people.authority_admin, "organisation": people.authority, "days": 14, "link": "https://x/y"}
    by_to = sent(
        django_capture_on_commit_callbacks,
        template="invitation",
        context=context,
        to=[people.authority2_admin, people.supplier_admin, "ny@kommune.dk", "", people.supplier_admin],
    )
    assert set(by_to) == {("kommune2@example.dk",), ("leverandoer@example.dk", "ny@kommune.dk")}
    assert by_to[("kommune2@example.dk",)].subject == "You are invited to Aarhus Kommune on OS2hub"
    assert by_to[("leverandoer@example.dk", "ny@kommune.dk")].subject == "Du er inviteret til Aarhus Kommune på OS2hub"


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("da", "Du er inviteret til A & B Kommune på OS2hub", "har inviteret dig til at blive medlem af A & B Kommune"),
        ("en", "You are invited to A & B Kommune on OS2hub", "has invited you to join A & B Kommune on OS2hub"),
    ],
)
def test_the_invitation_in_danish_and_english(people, language, subject, body):
    people.authority.name = "A & B Kommune"
    context = {"inviter": people.authority_admin, "organisation": people.authority, "days": 14, "link": "https://x/y"}
    rendered_subject, text, html = render_mail("invitation", context, language)
    assert rendered_subject == subject
    # Text mail is not HTML: nothing is escaped.
    assert body in text and "&amp;" not in text
    assert "https://x/y" in text and "14" in text
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{language}">' in html
    # The HTML part is the same text, escaped, with the link clickable.
    assert body.replace("&", "&amp;") in html and '<a href="https://x/y"' in html


def test_an_invitation_to_an_existing_account_follows_its_language(people, django_capture_on_commit_callbacks):
    people.outsider.preferred_language = "en"
    people.outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        accounts.invitation_create(
            organisation=people.authority, inviter=people.authority_admin, email=people.outsider.email, role="member"
        )
    assert mail.outbox[-1].subject == "You are invited to Aarhus Kommune on OS2hub"


def test_switching_language_sets_the_language_of_ones_mail(client, people):
    client.force_login(people.outsider)
    client.get("/sprog/en/?next=/")
    people.outsider.refresh_from_db()
    assert people.outsider.preferred_language == "en"
    client.get("/sprog/da/?next=/")
    people.outsider.refresh_from_db()
    assert people.outsider.preferred_language == "da"


def test_a_request_in_english_leaves_the_next_mail_in_the_recipients_language(client, people):
    # The language middleware activates the visitor's language for the request only.
    from django.utils import translation

    client.cookies["django_language"] = "en"
    client.get("/")
    assert translation.get_language() == "da"


def test_every_mail_has_an_html_part_with_the_stored_text_escaped(people, django_capture_on_commit_callbacks):
    # A name with markup in it reaches the HTML part as text, not as markup.
    people.authority.name = '<script>alert("x")</script> Kommune'
    context = {"inviter": people.authority_admin, "organisation": people.authority, "days": 14, "link": "https://x/y"}
    by_to = sent(django_capture_on_commit_callbacks, template="invitation", context=context, to=["ny@kommune.dk"])
    message = by_to[("ny@kommune.dk",)]
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://x/y"' in html


MAIL_SENDERS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def test_only_core_mail_hands_messages_to_the_mail_backend():
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "os2hub"
    found = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "core" / "mail.py" or "migrations" in path.parts:
            continue
        if path == package / "accounts" / "adapter.py":
            # allauth renders and sends its own account mails (confirm the address, reset the password); the
            # adapter only puts SITE_URL's links into them and hands them back to allauth.
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute) and node.attr in MAIL_SENDERS:
                names = [node.attr]
            found += [f"{path.relative_to(package)}: {name}" for name in names if name in MAIL_SENDERS]
    # The check sees a sender where there is one.
    assert any(name.endswith("EmailMultiAlternatives") for name in _senders_in(package / "core" / "mail.py"))
    assert found == []


def _senders_in(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail")
        for alias in node.names
    ]
