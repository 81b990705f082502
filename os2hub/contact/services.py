"""Writes of the contact app: the people on the contact page, messages to the secretariat and their answers.

Messages move only along the steps of `workflow.MESSAGE`, with `core.workflow.move` (the row is locked and the
status compared and swapped), so two people of the secretariat acting at once cannot both close a message or
answer a closed one. E-mails go after the commit, in the sender's language."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.roles import roles_for
from os2hub.core.text import text_errors
from os2hub.core.workflow import TransitionConflict, move

from .getters import can_edit_people, can_handle_messages
from .models import ContactAnswer, ContactMessage, SecretariatPerson
from .workflow import MESSAGE

# How many messages one e-mail address, and one client address, may send in RATE_WINDOW seconds. Counted in the
# shared cache like the login limits, so every worker counts together; real people rarely write twice an hour.
RATE_PER_SENDER = 5
RATE_PER_CLIENT = 20
RATE_WINDOW = 60 * 60

MESSAGE_FIELDS = ("sender_name", "sender_email", "organisation", "subject", "body")
SINGLE_LINE = ("sender_name", "sender_email", "organisation", "subject")
PERSON_FIELDS = ("name", "role_da", "role_en", "email", "phone", "description")


def _within_rate(key: str, limit: int) -> bool:
    """Count one more use of `key` in the current window; False once it is past `limit`."""
    cache.add(key, 0, RATE_WINDOW)
    try:
        used = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        used = 1
    return used <= limit


def _rate_key(kind: str, value: str) -> str:
    return f"contact-rate:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"


# --- Messages ---------------------------------------------------------------------------------------------------


def message_send(*, data: dict, user=None, client: str = "") -> ContactMessage:
    """File a message from the contact form, e-mail the sender a receipt and tell the secretariat.

    Someone signed in writes as themselves (their name and account address). Raises ValidationError for text
    that cannot be stored and when the sender or their client address has sent too many messages lately."""
    values = {f: (data.get(f) or "").strip() for f in MESSAGE_FIELDS}
    if user is not None and user.is_authenticated:
        values["sender_name"] = values["sender_name"] or user.get_full_name() or user.email
        values["sender_email"] = user.email
    else:
        user = None
    errors = text_errors(values, single_line=SINGLE_LINE)
    if errors:
        raise ValidationError(errors)
    message = ContactMessage(user=user, language=get_language() or settings.LANGUAGE_CODE, **values)
    message.full_clean(exclude=["user"])
    # Counted only for messages that would be filed, so a form with a typo does not use up the allowance.
    if not (
        _within_rate(_rate_key("sender", values["sender_email"]), RATE_PER_SENDER)
        and _within_rate(_rate_key("client", client or "unknown"), RATE_PER_CLIENT)
    ):
        raise ValidationError(
            _("You have sent several messages within the last hour. Please wait a while, or write to %(email)s.")
            % {"email": settings.CONTACT_EMAIL}
        )
    with transaction.atomic():
        message.save()
        context = {"message": message}
        send_templated_mail_on_commit(template="contact_message_receipt", context=context, to=[message])
        send_templated_mail_on_commit(template="contact_message_received", context=context, to=[settings.CONTACT_EMAIL])
    return message


def _require_step(name: str, message: ContactMessage, user) -> None:
    if not can_handle_messages(user):
        raise PermissionDenied
    if not MESSAGE.allowed(name, message, roles_for(user)):
        raise TransitionConflict(_refusal(message.status))


def _refusal(current) -> str:
    if current == ContactMessage.Status.CLOSED:
        return _("The message has been closed in the meantime. Reopen it to answer.")
    if current == ContactMessage.Status.OPEN:
        return _("The message has been reopened in the meantime.")
    return _("Someone else changed the message in the meantime. Look at it again.")


def message_answer(*, message: ContactMessage, user, body: str) -> ContactAnswer:
    """Answer the sender: the answer is kept in the thread and e-mailed to them. Raises TransitionConflict when
    the message was closed in the meantime."""
    _require_step("answer", message, user)
    body = (body or "").strip()
    errors = text_errors({"body": body})
    if errors:
        raise ValidationError(errors)
    answer = ContactAnswer(message=message, author=user, body=body)
    answer.full_clean(exclude=["message", "author"])
    step = MESSAGE["answer"]
    with transaction.atomic():
        move(message, sources=step.sources, to=step.target, actor=user, refusal=_refusal)
        answer.save()
        send_templated_mail_on_commit(
            template="contact_message_answered", context={"message": message, "answer": answer}, to=[message]
        )
    return answer


def message_close(*, message: ContactMessage, user) -> None:
    _require_step("close", message, user)
    step = MESSAGE["close"]
    move(message, sources=step.sources, to=step.target, actor=user, refusal=_refusal)


def message_reopen(*, message: ContactMessage, user) -> None:
    _require_step("reopen", message, user)
    step = MESSAGE["reopen"]
    move(message, sources=step.sources, to=step.target, actor=user, refusal=_refusal)


# --- The secretariat's people on the contact page -------------------------------------------------------------


def _require_editor(user) -> None:
    if not can_edit_people(user):
        raise PermissionDenied


def _apply_person(person: SecretariatPerson, data: dict) -> None:
    values = {f: (data.get(f) or "").strip() for f in PERSON_FIELDS}
    errors = text_errors(values, single_line=("name", "role_da", "role_en", "email", "phone"))
    for field, value in values.items():
        setattr(person, field, value)
    if errors:
        raise ValidationError(errors)
    person.full_clean(exclude=["position"])


def person_create(*, user, data: dict) -> SecretariatPerson:
    """Add a person at the end of the contact page's list."""
    _require_editor(user)
    person = SecretariatPerson()
    _apply_person(person, data)
    with transaction.atomic():
        # The list is locked while the new person takes the next position, so two additions do not share one.
        positions = list(SecretariatPerson.objects.select_for_update().values_list("position", flat=True))
        person.position = max(positions, default=-1) + 1
        person.save()
    return person


def person_update(*, person: SecretariatPerson, user, data: dict) -> SecretariatPerson:
    _require_editor(user)
    _apply_person(person, data)
    person.save()
    return person


def person_delete(*, person: SecretariatPerson, user) -> None:
    _require_editor(user)
    person.delete()


def person_move(*, person: SecretariatPerson, user, up: bool) -> None:
    """Move a person one place up or down the list (nothing happens at either end)."""
    _require_editor(user)
    with transaction.atomic():
        people = list(SecretariatPerson.objects.select_for_update().order_by("position", "pk"))
        index = next((i for i, p in enumerate(people) if p.pk == person.pk), None)
        if index is None:
            return
        other = index - 1 if up else index + 1
        if not 0 <= other < len(people):
            return
        people[index], people[other] = people[other], people[index]
        for position, each in enumerate(people):
            if each.position != position:
                SecretariatPerson.objects.filter(pk=each.pk).update(position=position)
