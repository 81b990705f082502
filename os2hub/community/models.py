"""News posts and events of the community: per product, per group or for OS2 as a whole.

Events are proposed by an organisation (an authority, a supplier partner or the secretariat), may be co-hosted by
other organisations, and are published by the secretariat or the product's coordinator (community/workflow.py).
People sign up in OS2hub (Registration: a seat or a place on the waiting list); an event's agenda may hold pitches
marked for a community meeting. News posts by partners and authorities wait for the coordinator's review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.core.addresses import validate_public_url
from os2hub.core.workflow import TransitionHistory
from os2hub.needs.models import Pitch
from os2hub.products.models import Group, Product


class NewsPostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=NewsPost.Status.PUBLISHED)


class NewsPost(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="news", verbose_name=_("product"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    # Posts by the coordinator and the secretariat are published at once; a partner's or an authority's post
    # waits for the coordinator's review (community/workflow.py).
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
        verbose_name=_("author organisation"),
    )
    rejection_reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # Atom needs the time of the last change of every entry, not only when it was published.
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["product", "status", "-published_at"], name="news_product_status_recent")]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:news_detail", args=[self.product.slug, self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class NewsPostHistory(TransitionHistory):
    """One row per review step of a news post (core.workflow.move writes it)."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=NewsPost.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=NewsPost.Status.choices)


class EventQuerySet(models.QuerySet):
    def upcoming(self):
        """Events that have not ended yet (an event in progress is still worth showing)."""
        return self.filter(ends_at__gte=timezone.now())

    def past(self):
        return self.filter(ends_at__lt=timezone.now())

    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def listed(self):
        """What lists and calendars show: published events, and cancelled ones marked as such."""
        return self.filter(status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED))


class Event(models.Model):
    """An event of OS2 as a whole (no product, no group), of a product, or of one of a product's groups (then
    `product` is the group's product, so the product's pages and calendar show it too)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("product")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("group")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    status_reason = models.TextField(_("reason"), blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    location = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Address or room. Leave empty for an online-only event.")
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[validate_public_url],
        help_text=_("Link to the video meeting or stream, if the event is online."),
    )
    registration_url = models.URLField(
        _("registration link"),
        max_length=500,
        blank=True,
        validators=[validate_public_url],
        help_text=_("Where participants sign up, if they must."),
    )
    signup = models.BooleanField(
        _("sign-up in OS2hub"),
        default=False,
        help_text=_("Participants sign up here; you get the list of participants. Leave the registration link empty."),
    )
    capacity = models.PositiveIntegerField(
        _("number of seats"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("When the seats are taken, new sign-ups go on the waiting list. Empty: no limit."),
    )
    signup_deadline = models.DateTimeField(
        _("sign-up deadline"), null=True, blank=True, help_text=_("Danish time. Empty: until the event starts.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Calendar clients use LAST-MODIFIED to notice a changed event.
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_min_1"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="event_status_ends")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.product_id:
            return reverse("community:event_detail", args=[self.product.slug, self.pk])
        return reverse("community:event", args=[self.pk])

    def clean(self):
        errors = {}
        if self.signup and (self.registration_url or "").strip():
            errors["registration_url"] = _("Use sign-up in OS2hub or a registration link, not both.")
        if self.capacity is not None and not self.signup:
            errors["capacity"] = _("Seats are counted only with sign-up in OS2hub.")
        if self.signup_deadline and not self.signup:
            errors["signup_deadline"] = _("A sign-up deadline needs sign-up in OS2hub.")
        elif self.signup_deadline and self.starts_at and self.signup_deadline > self.starts_at:
            errors["signup_deadline"] = _("The sign-up deadline cannot be after the event starts.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if not (self.location or "").strip() and not (self.online_url or "").strip():
            errors["location"] = _("Give a place, an online link or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def seats_left(self):
        """Free seats, when the event has a limit and its `confirmed_count` is known (selectors.with_seats)."""
        confirmed = getattr(self, "confirmed_count", None)
        if self.capacity is None or confirmed is None:
            return None
        return max(self.capacity - confirmed, 0)

    def signup_open(self, now=None) -> bool:
        """May people sign up now? A published event with sign-up in OS2hub, before its deadline (or its start)."""
        now = now or timezone.now()
        closes = self.signup_deadline or self.starts_at
        return self.is_published and self.signup and now < closes


class EventHistory(TransitionHistory):
    """One row per step of an event: proposed, published, rejected, cancelled (core.workflow.move writes it)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=Event.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Event.Status.choices)


class CoHost(models.Model):
    """Another organisation invited to host the event together with the organiser; shown once it accepts."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cohosts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cohosted_events", verbose_name=_("organisation")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="one_cohost_per_organisation")]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"


class Registration(models.Model):
    """One person's sign-up for an event: a seat, a place on the waiting list, or cancelled. One row per person
    and event; signing up again after cancelling reuses it."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The order of the waiting list (and of sign-ups): the next number for the event when the person signed up.
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]
        indexes = [models.Index(fields=["event", "status", "position"], name="registration_event_status")]

    def __str__(self):
        return f"{self.user} → {self.event} ({self.status})"


class AgendaItem(models.Model):
    """A point on an event's agenda, optionally a supplier's pitch marked for a community meeting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("title"), max_length=200)
    pitch = models.ForeignKey(
        Pitch, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items", verbose_name=_("pitch")
    )
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "pitch"], condition=Q(pitch__isnull=False), name="pitch_once_per_agenda"
            )
        ]

    def __str__(self):
        return self.title
