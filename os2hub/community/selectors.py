"""Reads of the community's events and news that pages share."""

from .models import Event


def upcoming_events():
    """Every product's events that have not ended yet, soonest first, with their product."""
    return Event.objects.upcoming().select_related("product").order_by("starts_at", "pk")
