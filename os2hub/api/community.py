"""Events and sign-up (API.md "Events"): the community's published events, signing up for a seat or the waiting
list, cancelling one's own sign-up, and one's own sign-ups.

Endpoints parse input, find the event through os2hub.community.getters (an unpublished event is 404 for
everyone but the people concerned), call os2hub.community.services (the only writers: sign-up is decided under a
lock on the event, so two people at the last seat get one seat and one place on the waiting list) and shape the
answer. The lists are os2hub.community.selectors', the pages' too."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from os2hub.community import getters, selectors, services
from os2hub.community.models import Event, Registration
from os2hub.products.models import Product

from .common import ERRORS, OPTIONAL_TOKEN, PUBLIC_ERRORS, OrganisationOut, check_choice, slug_or_none, viewer
from .schemas import LimitOffset

router = Router(tags=["events"])

SCOPES = (selectors.SCOPE_OS2,)


class CommunityEventOut(Schema):
    id: int
    title: str
    description: str = Field(description="Markdown.")
    status: str = Field(description="published or cancelled (unpublished events are not in the API).")
    starts_at: datetime
    ends_at: datetime
    location: str
    online_url: str
    product: str | None = Field(description="The product's slug; null for an event of OS2 as a whole.")
    group: str | None = Field(description="The name of the product's group the event belongs to, if any.")
    organiser: OrganisationOut | None = Field(description="The organising organisation.")
    signup: bool = Field(description="True when people sign up in OS2hub (POST .../registration).")
    capacity: int | None = Field(description="Seats; null for no limit.")
    seats_taken: int = Field(description="Confirmed sign-ups.")
    waiting: int = Field(description="People on the waiting list.")
    signup_deadline: datetime | None
    signup_open: bool = Field(description="Whether a sign-up is accepted now.")
    registration_url: str = Field(description="Registration elsewhere, when the event does not use OS2hub's.")
    url: str = Field(description="The event's page.")
    calendar_url: str = Field(description="The event as an iCalendar file.")

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug if obj.product_id else None

    @staticmethod
    def resolve_group(obj):
        return obj.group.name if obj.group_id else None

    @staticmethod
    def resolve_organiser(obj):
        return obj.organisation if obj.organisation_id else None

    @staticmethod
    def resolve_seats_taken(obj):
        return obj.confirmed_count

    @staticmethod
    def resolve_waiting(obj):
        return obj.waiting_count

    @staticmethod
    def resolve_signup_open(obj):
        return obj.signup_open()

    @staticmethod
    def resolve_url(obj):
        return f"{settings.SITE_URL}{obj.get_absolute_url()}"

    @staticmethod
    def resolve_calendar_url(obj):
        return f"{settings.SITE_URL}{reverse('community:event_ics', args=[obj.pk])}"


class RegistrationOut(Schema):
    event: int = Field(description="The event's id.")
    title: str = Field(description="The event's title.")
    starts_at: datetime
    status: str = Field(description="confirmed (a seat), waiting (on the waiting list) or cancelled.")
    waiting_position: int | None = Field(description="1 for the first on the waiting list; null with a seat.")
    created_at: datetime

    @staticmethod
    def resolve_event(obj):
        return obj.event_id

    @staticmethod
    def resolve_title(obj):
        return obj.event.title

    @staticmethod
    def resolve_starts_at(obj):
        return obj.event.starts_at

    @staticmethod
    def resolve_waiting_position(obj):
        if obj.status != Registration.Status.WAITING:
            return None
        ahead = getattr(obj, "waiting_ahead", None)  # selectors.my_registrations counts it in the same query
        if ahead is None:
            ahead = Registration.objects.filter(
                event_id=obj.event_id, status=Registration.Status.WAITING, position__lt=obj.position
            ).count()
        return ahead + 1


def _event(pk: int, user) -> Event:
    event = getters.get_event_for_user(user, None, pk)
    if event.status not in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
        raise Http404
    return selectors.with_seats(Event.objects.filter(pk=event.pk).select_related("product", "group", "organisation"))[0]


@router.get("events", auth=None, response={200: list[CommunityEventOut], **PUBLIC_ERRORS}, summary="Events")
@paginate(LimitOffset)
def event_list(
    request,
    product: str | None = Query(None, description="A product's slug: its events, its groups' included."),
    scope: str | None = Query(None, description="os2: only the events of OS2 as a whole."),
    past: bool = Query(False, description="true: events that have ended, newest first."),
    q: str | None = Query(None, max_length=100, description="Words in the title, description or place."),
):
    """Published (and cancelled) events, upcoming soonest first."""
    check_choice("scope", scope, SCOPES)
    found = None
    if product is not None:
        found = Product.objects.filter(slug=slug_or_none(product)).first()
        if found is None:
            raise ValidationError({"product": [_("There is no product “%(slug)s”.") % {"slug": product[:100]}]})
    return selectors.event_list(scope=scope, product=found, past=past, q=(q or "").replace("\x00", "") or None)


@router.get(
    "events/{id}",
    auth=None,
    response={200: CommunityEventOut, **PUBLIC_ERRORS},
    summary="One event",
    openapi_extra=OPTIONAL_TOKEN,
)
def event_detail(request, id: int):
    return _event(id, viewer(request))


@router.post(
    "events/{id}/registration",
    response={201: RegistrationOut, **ERRORS},
    summary="Sign up for an event (a seat, or the waiting list when it is full)",
)
def registration_create(request, id: int):
    """Gives the caller a seat while there is one, else a place on the waiting list (`status` says which); a
    confirmation e-mail follows, with an .ics file for a seat. 409 when sign-up is closed, the event has no
    sign-up in OS2hub, or the caller has signed up already."""
    event = _event(id, request.auth)
    registration = services.registration_create(event=event, user=request.auth)
    return Status(201, registration)


@router.delete(
    "events/{id}/registration",
    response={200: RegistrationOut, **ERRORS},
    summary="Cancel one's own sign-up",
)
def registration_cancel(request, id: int):
    """A given-up seat goes to the first on the waiting list, who is told. 409 when the caller is not signed up or
    the event has started."""
    event = _event(id, request.auth)
    return services.registration_cancel(event=event, user=request.auth)


@router.get(
    "me/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    summary="My sign-ups",
)
@paginate(LimitOffset)
def my_registrations(request):
    """The caller's seats and places on waiting lists, next event first."""
    return selectors.my_registrations(request.auth)
