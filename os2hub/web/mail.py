"""Outgoing e-mail written in Python (the messages not yet moved to templates; see core/mail.py for those):
always sent after the surrounding transaction commits, as a background task."""

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

from os2hub.core.mail import clean_mail


@task()
def send_mail_task(subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject, body, None, to, fail_silently=False)


def send_mail_on_commit(*, subject: str, body: str, to: list[str]) -> None:
    recipients = sorted({addr for addr in to if addr})
    if not recipients:
        return
    subject, body = clean_mail(subject, body)
    transaction.on_commit(lambda: send_mail_task.enqueue(subject=subject, body=body, to=recipients))
