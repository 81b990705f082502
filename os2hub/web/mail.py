"""Outgoing e-mail: always sent after the surrounding transaction commits, as a background task."""

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_mail_task(subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject, body, None, to, fail_silently=False)


def send_mail_on_commit(*, subject: str, body: str, to: list[str]) -> None:
    recipients = sorted({addr for addr in to if addr})
    if not recipients:
        return
    # A line break in a subject would be refused by the mail library (header injection); flatten it.
    subject = " ".join(str(subject).split())
    transaction.on_commit(lambda: send_mail_task.enqueue(subject=subject, body=str(body), to=recipients))
