"""News posts and events of a product's community."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.core.addresses import validate_public_url
from os2hub.products.models import Product


class NewsPost(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="news", verbose_name=_("product"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
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

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:news_detail", args=[self.product.slug, self.pk])


class EventQuerySet(models.QuerySet):
    def upcoming(self):
        """Events that have not ended yet (an event in progress is still worth showing)."""
        return self.filter(ends_at__gte=timezone.now())

    def past(self):
        return self.filter(ends_at__lt=timezone.now())


class Event(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="events", verbose_name=_("product"))
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
    created_at = models.DateTimeField(auto_now_add=True)
    # Calendar clients use LAST-MODIFIED to notice a changed event.
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_it_starts"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:event_detail", args=[self.product.slug, self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if not (self.location or "").strip() and not (self.online_url or "").strip():
            errors["location"] = _("Give a place, an online link or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self):
        return self.ends_at < timezone.now()
