"""E-mails as templates, rendered in each recipient's language (ARCHITECTURE rule 10).

A message is three templates under `templates/emails/`: `<name>.subject.txt` (one line), `<name>.txt` (the text
body) and, optionally, `<name>.html`. A message without its own HTML template gets an HTML part made from its
text body in the shared layout (`emails/layout.html`: escaped, links made clickable, paragraphs kept), so every
mail has both parts. Services decide who gets which message and when; the wording lives in the
templates, translated like the pages. Recipients are people (anything with `email` and, optionally,
`preferred_language`) or bare addresses, which get the site's default language (Danish). Recipients who share a
language share one rendering; the mail is sent after the surrounding transaction commits, as a background task.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from os2hub.core.text import strip_control_characters


def recipient_language(recipient) -> str:
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_mail(name: str, context: dict, language: str) -> tuple[str, str, str | None]:
    """(subject, text, html or None) of template `name` in `language`."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject, text = clean_mail(
            render_to_string(f"emails/{name}.subject.txt", context), render_to_string(f"emails/{name}.txt", context)
        )
        try:
            html = render_to_string(f"emails/{name}.html", context)
        except TemplateDoesNotExist:
            html = render_to_string(
                "emails/layout.html", {**context, "subject": subject, "text": text, "language": language}
            )
    return subject, text, strip_control_characters(html)


def clean_mail(subject, body) -> tuple[str, str]:
    """Subject and body as they can be sent, whatever stored text went into them: control characters are left
    out (see core/text.py), and a line break in a subject, which the mail library would refuse (header
    injection), is flattened."""
    subject = " ".join(strip_control_characters(str(subject)).split())
    return subject, strip_control_characters(str(body))


def send_now(
    subject: str,
    text: str,
    html: str | None,
    to: list[str],
    *,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str | bytes, str]] | None = None,
    connection=None,
) -> int:
    """Send one rendered message now; raises when the mail backend refuses it. The only place OS2hub hands a
    message to Django's mail backend: everything else renders through render_mail and sends through here.

    `headers` are extra header lines (e.g. RFC 8058's `List-Unsubscribe` and `List-Unsubscribe-Post`), with
    control characters and line breaks left out of their values; `attachments` are (filename, content,
    mimetype), e.g. an `.ics` invitation; `connection` lets a batch reuse one backend connection."""
    clean_headers = {
        name: " ".join(strip_control_characters(str(value)).split()) for name, value in (headers or {}).items()
    }
    message = EmailMultiAlternatives(subject, text, None, to, headers=clean_headers or None, connection=connection)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    return message.send(fail_silently=False)


@task()
def send_rendered_task(
    subject: str,
    text: str,
    html: str | None,
    to: list[str],
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    return send_now(subject, text, html, to, headers=headers, attachments=[tuple(a) for a in attachments or ()])


def send_templated_mail_on_commit(*, template: str, context: dict, to: Iterable) -> None:
    """Send template `template` to every recipient in `to`, each in their language, after the commit.
    Duplicate and empty addresses are left out."""
    by_language: dict[str, set[str]] = defaultdict(set)
    for recipient in to:
        address = recipient if isinstance(recipient, str) else getattr(recipient, "email", "")
        if address:
            by_language[recipient_language(recipient)].add(address)
    for language, addresses in sorted(by_language.items()):
        # Rendered now, while the objects in the context are as the service left them.
        subject, text, html = render_mail(template, context, language)
        recipients = sorted(addresses)
        transaction.on_commit(
            lambda s=subject, t=text, h=html, r=recipients: send_rendered_task.enqueue(subject=s, text=t, html=h, to=r)
        )
