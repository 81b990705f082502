"""One door per permission for the secretariat's people and the messages sent to it.

Only the secretariat sees every message and edits the contact page's people; someone signed in sees the messages
they sent themselves. Anyone else gets 404, so nobody learns which message numbers exist."""

from django.http import Http404

from os2hub.core.roles import is_secretariat

from .models import ContactMessage, SecretariatPerson


def can_handle_messages(user) -> bool:
    return bool(user.is_authenticated and is_secretariat(user))


def can_edit_people(user) -> bool:
    return can_handle_messages(user)


def get_message_for_user(user, pk) -> ContactMessage:
    """The message with this number, to the secretariat or to the signed-in person who sent it."""
    if not user.is_authenticated:
        raise Http404
    messages = ContactMessage.objects.select_related("user")
    if not can_handle_messages(user):
        messages = messages.filter(user=user)
    message = messages.filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def get_person_for_user(user, pk) -> SecretariatPerson:
    """A person on the contact page, to edit or remove: only for the secretariat."""
    if not can_edit_people(user):
        raise Http404
    person = SecretariatPerson.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person
