"""Outgoing e-mail: always sent after the surrounding transaction commits, as a background task."""

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

from os2hub.core.text import strip_control_characters


@task()
def send_mail_task(subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject, body, None, to, fail_silently=False)


def send_mail_on_commit(*, subject: str, body: str, to: list[str]) -> None:
    recipients = sorted({addr for addr in to if addr})
    if not recipients:
        return
    subject, body = clean_mail(subject, body)
    transaction.on_commit(lambda: send_mail_task.enqueue(subject=subject, body=body, to=recipients))


def clean_mail(subject, body) -> tuple[str, str]:
    """Subject and body as they can be sent, whatever stored text went into them: control characters are left
    out (see web/text.py), and a line break in a subject, which the mail library would refuse (header
    injection), is flattened."""
    subject = " ".join(strip_control_characters(str(subject)).split())
    return subject, strip_control_characters(str(body))
