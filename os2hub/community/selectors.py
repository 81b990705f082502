"""Reads of the community's events and news that pages and the API share."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from os2hub.core.roles import roles_for

from .models import CoHost, Event, NewsPost, Registration

# The scope filter of the events page and the API: OS2-wide events, a product's (its groups' included).
SCOPE_OS2 = "os2"


def upcoming_events():
    """Published events that have not ended yet, soonest first, with their product (the front page's list)."""
    return Event.objects.published().upcoming().select_related("product").order_by("starts_at", "pk")


def with_seats(events):
    """Each event with `confirmed_count` and `waiting_count`, in the same query."""
    return events.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waiting_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
    )


def event_list(*, scope: str | None = None, product=None, past: bool = False, q: str | None = None):
    """Published and cancelled events for lists and the API: upcoming soonest first, or past newest first.
    `scope` "os2" keeps the OS2-wide ones; `product` a product's (its groups' too)."""
    events = Event.objects.listed()
    events = events.past().order_by("-starts_at", "-pk") if past else events.upcoming().order_by("starts_at", "pk")
    if scope == SCOPE_OS2:
        events = events.filter(product__isnull=True, group__isnull=True)
    if product is not None:
        events = events.filter(product=product)
    if q:
        events = events.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(location__icontains=q))
    return with_seats(events.select_related("product", "group", "organisation"))


def awaiting_decision(user):
    """Proposed events the person may publish: all for the secretariat, their products' for a coordinator."""
    roles = roles_for(user)
    if not roles.authenticated:
        return Event.objects.none()
    events = Event.objects.filter(status=Event.Status.PROPOSED)
    if not roles.secretariat:
        events = events.filter(product__coordinator=user)
    return events.select_related("product", "organisation").order_by("starts_at", "pk")


def my_invitations(user):
    """Co-host invitations waiting for an answer from one of the person's organisations."""
    ids = roles_for(user).organisation_ids()
    if not ids:
        return CoHost.objects.none()
    return (
        CoHost.objects.filter(organisation__in=ids, status=CoHost.Status.INVITED)
        .exclude(event__status__in=(Event.Status.CANCELLED, Event.Status.REJECTED))
        .select_related("event", "event__product", "organisation")
        .order_by("event__starts_at", "pk")
    )


def my_proposals(user):
    """Events proposed by the person's organisations that are not published yet."""
    ids = roles_for(user).organisation_ids()
    if not ids:
        return Event.objects.none()
    return (
        Event.objects.filter(organisation__in=ids, status__in=(Event.Status.PROPOSED, Event.Status.REJECTED))
        .select_related("product", "organisation")
        .order_by("starts_at", "pk")
    )


def my_registrations(user):
    """The person's sign-ups that are not cancelled, next event first."""
    ahead = (
        Registration.objects.filter(
            event=OuterRef("event"), status=Registration.Status.WAITING, position__lt=OuterRef("position")
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "event__product")
        .annotate(waiting_ahead=Coalesce(Subquery(ahead), 0))
        .order_by("event__starts_at", "pk")
    )


def pending_news(product):
    return NewsPost.objects.filter(product=product, status=NewsPost.Status.PENDING).select_related(
        "author", "organisation"
    )
