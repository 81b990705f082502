"""Reads of the contact app shared by its pages: each costs the same number of queries however many rows."""

from django.db.models import Count

from .models import ContactMessage, SecretariatPerson


def people():
    return SecretariatPerson.objects.all()


def message_counts() -> dict[str, int]:
    """How many messages there are in each status (every status present, zero when none), and `all`."""
    counts = dict.fromkeys(ContactMessage.Status.values, 0)
    for row in ContactMessage.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


def message_list(*, status: str | None = None):
    """The secretariat's queue: open messages first, oldest first (the one that has waited longest on top)."""
    messages = ContactMessage.objects.select_related("user").annotate(answer_count=Count("answers"))
    if status:
        return messages.filter(status=status).order_by("created_at", "pk")
    return messages.order_by("-created_at", "-pk")


def messages_of(user):
    """The messages a signed-in person sent, newest first, with how many answers each has."""
    return (
        ContactMessage.objects.filter(user=user).annotate(answer_count=Count("answers")).order_by("-created_at", "-pk")
    )


def open_message_count() -> int:
    return ContactMessage.objects.filter(status=ContactMessage.Status.OPEN).count()
