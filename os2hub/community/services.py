"""Writing news posts and events, signing up and the mails that go with it. Pages, the API and commands call
these; each checks who may write (community/getters.py) and moves statuses along community/workflow.py.

Sign-up is decided under a lock on the event's row: of two people taking the last seat at the same moment one
gets it and the other lands on the waiting list; a cancelled seat goes to the first on the waiting list in the
same transaction. Mails about a person's own seat go to that person alone, with the event as an .ics file."""

import csv
import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from os2hub.accounts.models import Membership, Organisation, User
from os2hub.core.mail import recipient_language, render_mail, send_rendered_task, send_templated_mail_on_commit
from os2hub.core.roles import roles_for
from os2hub.core.text import strip_control_characters, text_errors
from os2hub.core.workflow import TransitionConflict, move
from os2hub.products.getters import can_edit_product
from os2hub.products.models import Group, Product

from . import getters
from .feeds import render_calendar
from .models import AgendaItem, CoHost, Event, NewsPost, Registration
from .workflow import CANCEL, EVENT_WORKFLOW, NEEDS_REASON, NEWS_WORKFLOW, PUBLISH, REJECT

NEWS_FIELDS = ("title", "body")
EVENT_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "registration_url",
    "signup",
    "capacity",
    "signup_deadline",
)
SINGLE_LINE = ("title", "location", "online_url", "registration_url")
NULLABLE = ("starts_at", "ends_at", "capacity", "signup_deadline")
# Reminders go out for events that start within this time (the command runs once a day).
REMINDER_WINDOW = datetime.timedelta(hours=36)
MAX_REASON = 2000


def _require_editor(product: Product, user) -> None:
    if not can_edit_product(user, product):
        raise PermissionDenied


def _apply(instance, data: dict, fields: tuple[str, ...]) -> None:
    """Copy the given fields, refusing NUL characters (PostgreSQL cannot store them) and line breaks in
    one-line fields (titles become calendar SUMMARY lines and page titles)."""
    values = {f: data[f].strip() if isinstance(data[f], str) else data[f] for f in fields if f in data}
    errors = text_errors(values, single_line=SINGLE_LINE)
    for field, value in values.items():
        if value is None and field not in NULLABLE:
            value = False if field == "signup" else ""
        setattr(instance, field, value)
    if errors:
        raise ValidationError(errors)


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    errors = text_errors({"reason": reason})
    if errors:
        raise ValidationError(errors)
    if required and not reason:
        raise ValidationError({"reason": [_("Give a reason; it is sent to the people concerned.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("At most %(max)d characters.") % {"max": MAX_REASON}]})
    return reason


def _members(organisation_ids) -> list[User]:
    ids = [i for i in organisation_ids if i]
    if not ids:
        return []
    return list(User.objects.filter(memberships__organisation__in=ids, is_active=True).distinct())


def _secretariat() -> list[User]:
    return list(
        User.objects.filter(memberships__organisation__kind=Organisation.Kind.SECRETARIAT, is_active=True).distinct()
    )


# --- News -------------------------------------------------------------------------------------------------


def news_create(*, product: Product, user, data: dict) -> NewsPost:
    """The coordinator or the secretariat publishes a post at once."""
    _require_editor(product, user)
    post = NewsPost(product=product, author=user, status=NewsPost.Status.PUBLISHED)
    _apply(post, data, NEWS_FIELDS)
    post.full_clean(exclude=["product", "author", "organisation"])
    post.save()
    return post


def news_propose(*, product: Product, user, organisation: Organisation, data: dict) -> NewsPost:
    """A partner with a supplier role on the product, or an authority that adopts it, proposes a post; it waits
    for the coordinator's (or the secretariat's) review, who is told."""
    if organisation.pk not in getters.news_author_organisation_ids(user, product):
        raise PermissionDenied(_("News is proposed by partners working on the product and by authorities that use it."))
    post = NewsPost(product=product, author=user, organisation=organisation, status=NewsPost.Status.PENDING)
    _apply(post, data, NEWS_FIELDS)
    post.full_clean(exclude=["product", "author", "organisation"])
    with transaction.atomic():
        post.save()
        post.history.create(from_status="", to_status=post.status, actor=user)
    reviewers = [product.coordinator] if product.coordinator_id else _secretariat()
    send_templated_mail_on_commit(template="news_proposed", context={"post": post, "product": product}, to=reviewers)
    return post


def news_review(*, post: NewsPost, user, step: str, reason: str = "") -> NewsPost:
    """Approve (publish now) or reject (with a reason mailed to the author) a proposed post."""
    if step not in NEWS_WORKFLOW or not NEWS_WORKFLOW[step].who(roles_for(user), post):
        raise PermissionDenied
    reason = _reason(reason, required=step == REJECT)
    workflow_step = NEWS_WORKFLOW[step]
    fields = {"published_at": timezone.now()} if step != REJECT else {"rejection_reason": reason}
    move(
        post,
        sources=workflow_step.sources,
        to=workflow_step.target,
        actor=user,
        comment=reason,
        refusal=lambda _current: _("The news post has been reviewed already."),
        history="history",
        **fields,
    )
    to = [post.author] if post.author_id else _members([post.organisation_id])
    template = "news_rejected" if step == REJECT else "news_published"
    send_templated_mail_on_commit(template=template, context={"post": post, "product": post.product}, to=to)
    return post


def news_update(*, post: NewsPost, user, data: dict) -> NewsPost:
    _require_editor(post.product, user)
    _apply(post, data, NEWS_FIELDS)
    post.full_clean(exclude=["product", "author", "organisation"])
    post.save()
    return post


def news_delete(*, post: NewsPost, user) -> None:
    _require_editor(post.product, user)
    post.delete()


# --- Events: creating, proposing, publishing ---------------------------------------------------------------


def _scope(product: Product | None, group: Group | None) -> tuple[Product | None, Group | None]:
    # A group's event is also its product's: the product page and calendar show it.
    if group is not None:
        return group.product, group
    return product, None


def event_create(*, product: Product, user, data: dict) -> Event:
    """The product's coordinator or the secretariat adds a product event, published at once."""
    _require_editor(product, user)
    event = Event(product=product, proposed_by=user, status=Event.Status.PUBLISHED)
    _apply(event, data, EVENT_FIELDS)
    event.full_clean(exclude=["product", "group", "organisation", "proposed_by"])
    with transaction.atomic():
        event.save()
        event.history.create(from_status="", to_status=event.status, actor=user)
    return event


def event_propose(
    *, user, organisation: Organisation, data: dict, product: Product | None = None, group: Group | None = None
) -> Event:
    """An authority, a supplier partner or the secretariat proposes an event for OS2 as a whole, a product or a
    group. Someone who may publish it (the secretariat; the product's coordinator) publishes it at once;
    otherwise it waits, and the publishers are told."""
    if organisation.pk not in {o.pk for o in getters.organiser_choices(user)}:
        raise PermissionDenied(_("Events are proposed by members of an authority or a supplier partner."))
    product, group = _scope(product, group)
    event = Event(product=product, group=group, organisation=organisation, proposed_by=user)
    _apply(event, data, EVENT_FIELDS)
    event.full_clean(exclude=["product", "group", "organisation", "proposed_by"])
    publish_now = getters.can_publish_event(user, event)
    event.status = Event.Status.PUBLISHED if publish_now else Event.Status.PROPOSED
    with transaction.atomic():
        event.save()
        event.history.create(from_status="", to_status=event.status, actor=user)
    if not publish_now:
        send_templated_mail_on_commit(template="event_proposed", context={"event": event}, to=_publishers(event))
    return event


def _publishers(event) -> list[User]:
    if event.product_id and event.product.coordinator_id:
        return [event.product.coordinator]
    return _secretariat()


def event_update(*, event: Event, user, data: dict) -> Event:
    """The organisers, the coordinator or the secretariat change an event. More seats let the waiting list in."""
    if not getters.can_manage_event(user, event):
        raise PermissionDenied
    if event.status in (Event.Status.CANCELLED, Event.Status.REJECTED):
        raise TransitionConflict(_("A cancelled or rejected event cannot be changed."))
    _apply(event, data, EVENT_FIELDS)
    event.full_clean(exclude=["product", "group", "organisation", "proposed_by"])
    promoted = []
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        if not event.signup and Registration.objects.filter(event=event).exclude(status="cancelled").exists():
            raise ValidationError({"signup": [_("People have signed up; sign-up cannot be turned off.")]})
        event.save()
        promoted = _fill_seats(event)
    for registration in promoted:
        _mail_registration(registration, "event_registration_promoted")
    return event


def event_delete(*, event: Event, user) -> None:
    """Only an event nobody signed up for is deleted; one with participants is cancelled instead."""
    if not getters.can_publish_event(user, event):
        raise PermissionDenied
    if event.registrations.exclude(status=Registration.Status.CANCELLED).exists():
        raise TransitionConflict(_("People have signed up for the event: cancel it instead, so they are told."))
    event.delete()


def event_move(*, event: Event, user, step: str, reason: str = "") -> Event:
    """Publish, reject or cancel an event along EVENT_WORKFLOW."""
    roles = roles_for(user)
    if step not in EVENT_WORKFLOW or not EVENT_WORKFLOW[step].who(roles, event):
        raise PermissionDenied
    reason = _reason(reason, required=step in NEEDS_REASON)
    workflow_step = EVENT_WORKFLOW[step]
    refusals = {
        PUBLISH: _("Only a proposed event can be published; it has been decided already."),
        REJECT: _("Only a proposed event can be rejected; it has been decided already."),
        CANCEL: _("The event is cancelled or rejected already."),
    }
    move(
        event,
        sources=workflow_step.sources,
        to=workflow_step.target,
        actor=user,
        comment=reason,
        refusal=lambda _current: refusals[step],
        history="history",
        status_reason=reason,
    )
    organisers = _members(getters.organiser_organisation_ids(event))
    if step == CANCEL:
        participants = [
            r.user for r in event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("user")
        ]
        send_templated_mail_on_commit(
            template="event_cancelled", context={"event": event}, to=participants + organisers
        )
    else:
        send_templated_mail_on_commit(
            template="event_published" if step == PUBLISH else "event_rejected",
            context={"event": event},
            to=organisers or ([event.proposed_by] if event.proposed_by_id else []),
        )
    return event


# --- Co-hosts -------------------------------------------------------------------------------------------------


def cohost_invite(*, event: Event, user, organisation: Organisation) -> CoHost:
    """An organiser invites another authority or partner to host the event too; its members are told."""
    if not getters.can_manage_event(user, event):
        raise PermissionDenied
    if event.status in (Event.Status.CANCELLED, Event.Status.REJECTED):
        raise TransitionConflict(_("A cancelled or rejected event cannot get co-hosts."))
    if not getters.cohost_candidates(event).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": [_("Choose an authority or a supplier partner that is not invited already.")]}
        )
    cohost = CoHost.objects.create(event=event, organisation=organisation, invited_by=user)
    send_templated_mail_on_commit(
        template="event_cohost_invited", context={"event": event, "cohost": cohost}, to=_members([organisation.pk])
    )
    return cohost


def cohost_respond(*, cohost: CoHost, user, accept: bool) -> CoHost:
    """A member of the invited organisation accepts or declines, once; the organisers are told."""
    if not roles_for(user).member(cohost.organisation_id):
        raise PermissionDenied
    status = CoHost.Status.ACCEPTED if accept else CoHost.Status.DECLINED
    updated = CoHost.objects.filter(pk=cohost.pk, status=CoHost.Status.INVITED).update(
        status=status, responded_by=user, responded_at=timezone.now()
    )
    if not updated:
        raise TransitionConflict(_("The invitation has been answered already."))
    cohost.refresh_from_db()
    event = cohost.event
    send_templated_mail_on_commit(
        template="event_cohost_answered",
        context={"event": event, "cohost": cohost},
        to=_members([event.organisation_id]),
    )
    return cohost


# --- Sign-up --------------------------------------------------------------------------------------------------


def _next_position(event) -> int:
    return (Registration.objects.filter(event=event).aggregate(m=Max("position"))["m"] or 0) + 1


def _fill_seats(event) -> list[Registration]:
    """Give free seats to the waiting list, first come first served. The caller holds the event's lock."""
    if not event.signup or event.status != Event.Status.PUBLISHED:
        return []
    promoted = []
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITING).order_by("position", "pk")
    free = None if event.capacity is None else max(event.capacity - confirmed, 0)
    for registration in waiting if free is None else waiting[:free]:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        promoted.append(registration)
    return promoted


def registration_create(*, event: Event, user) -> Registration:
    """Sign the person up: a seat while there is one, else the waiting list. Decided under the event's lock, so
    two people at the last seat cannot both get it."""
    if not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if not locked.signup:
            raise TransitionConflict(_("This event has no sign-up in OS2hub."))
        if not locked.signup_open():
            raise TransitionConflict(_("Sign-up for this event is closed."))
        registration = Registration.objects.filter(event=locked, user=user).first()
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            raise TransitionConflict(_("You have signed up for this event already."))
        confirmed = Registration.objects.filter(event=locked, status=Registration.Status.CONFIRMED).count()
        has_seat = locked.capacity is None or confirmed < locked.capacity
        status = Registration.Status.CONFIRMED if has_seat else Registration.Status.WAITING
        if registration is None:
            registration = Registration(event=locked, user=user)
        registration.status = status
        registration.position = _next_position(locked)
        registration.created_at = timezone.now()
        registration.reminded_at = None
        registration.save()
    registration.event = locked
    _mail_registration(
        registration,
        "event_registration_confirmed" if has_seat else "event_registration_waiting",
        calendar=has_seat,
    )
    return registration


def registration_cancel(*, event: Event, user) -> Registration:
    """The person gives up their seat or their place on the waiting list; a freed seat goes to the first on the
    waiting list, who is told."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registration = (
            Registration.objects.filter(event=locked, user=user).exclude(status=Registration.Status.CANCELLED).first()
        )
        if registration is None:
            raise TransitionConflict(_("You are not signed up for this event."))
        if locked.starts_at <= timezone.now():
            raise TransitionConflict(_("The event has started; the sign-up can no longer be cancelled."))
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        promoted = _fill_seats(locked)
    registration.event = locked
    for other in promoted:
        other.event = locked
        _mail_registration(other, "event_registration_promoted")
    return registration


def _mail_registration(registration: Registration, template: str, *, calendar: bool = True) -> None:
    """One mail to the person alone (participants never see each other's addresses), in their language, with the
    event as an .ics file when they have a seat."""
    user = registration.user
    event = registration.event
    if not user.email:
        return
    language = recipient_language(user)
    subject, text, html = render_mail(template, {"event": event, "registration": registration}, language)
    attachments = []
    if calendar and registration.status == Registration.Status.CONFIRMED:
        with translation.override(language):
            ics = render_calendar(events=[event], name=event.title, request=None)
        attachments.append(("event.ics", ics, "text/calendar"))
    transaction.on_commit(
        lambda: send_rendered_task.enqueue(
            subject=subject, text=text, html=html, to=[user.email], attachments=attachments or None
        )
    )


def event_reminders_send(*, now=None) -> int:
    """Remind every person with a seat of an event that starts within REMINDER_WINDOW, once per sign-up (the
    mark is set by a conditional update, so two runs at once do not both send)."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_WINDOW,
        )
        .select_related("event", "event__product", "user")
        .order_by("event__starts_at", "pk")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            marked = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True, status=Registration.Status.CONFIRMED
            ).update(reminded_at=now)
            if marked:
                _mail_registration(registration, "event_reminder")
                sent += 1
    return sent


# --- The agenda -----------------------------------------------------------------------------------------------


def agenda_add(*, event: Event, user, title: str = "", pitch=None) -> AgendaItem:
    """An organiser adds a point to the agenda: a title, or a pitch marked for a community meeting (its title
    when none is given)."""
    if not getters.can_manage_event(user, event):
        raise PermissionDenied
    title = (title or "").strip()
    errors = text_errors({"title": title}, single_line=("title",))
    if pitch is not None and pitch.marked_for_meeting_at is None:
        errors["pitch"] = [_("Only pitches marked for a community meeting go on an agenda.")]
    if not title and pitch is not None:
        title = pitch.title
    if not title and "title" not in errors:
        errors["title"] = [_("Give the point a title or choose a pitch.")]
    if len(title) > AgendaItem._meta.get_field("title").max_length:
        errors["title"] = [_("At most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        if pitch is not None and event.agenda.filter(pitch=pitch).exists():
            raise ValidationError({"pitch": [_("The pitch is on the agenda already.")]})
        order = (event.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
        return AgendaItem.objects.create(event=event, title=title, pitch=pitch, order=order, created_by=user)


def agenda_remove(*, item: AgendaItem, user) -> None:
    if not getters.can_manage_event(user, item.event):
        raise PermissionDenied
    item.delete()


# --- The list of participants -----------------------------------------------------------------------------


def _csv_safe(value) -> str:
    # Control characters are left out first (one in front would hide a formula from the check below).
    value = strip_control_characters(str(value or ""))
    # Spreadsheet formula injection: a cell starting with = + - @ (or a tab or carriage return) is a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def attendees(event: Event):
    """The event's sign-ups that are not cancelled, seats first then the waiting list, each with the person's
    organisations (a constant number of queries)."""
    registrations = list(event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("user"))
    registrations.sort(key=lambda r: (r.status != Registration.Status.CONFIRMED, r.position, r.pk))
    names: dict[int, list[str]] = {}
    for user_id, name in (
        Membership.objects.filter(user__in=[r.user_id for r in registrations])
        .order_by("organisation__name")
        .values_list("user_id", "organisation__name")
    ):
        names.setdefault(user_id, []).append(name)
    for r in registrations:
        r.organisations = names.get(r.user_id, [])
    return registrations


def attendees_csv(event: Event) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Name"), _("E-mail"), _("Organisations"), _("Status"), _("Signed up")])
    for r in attendees(event):
        writer.writerow(
            [
                _csv_safe(r.user.name),
                _csv_safe(r.user.email),
                _csv_safe(", ".join(r.organisations)),
                _csv_safe(r.get_status_display()),
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return out.getvalue()
