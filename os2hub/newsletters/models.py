"""Newsletters: topics people subscribe to, issues the secretariat or a product's coordinator writes, and one
delivery row per recipient of a sent issue (the snapshot that makes sending resumable)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.core.workflow import TransitionHistory
from os2hub.products.models import Product

# The topic of OS2's newsletter for suppliers; the partner application's newsletter consent subscribes to it.
SUPPLIER_TOPIC_SLUG = "leverandoerer"


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Anyone may subscribe, and its issues are in the public archive.")
    )
    product = models.OneToOneField(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_topic",
        verbose_name=_("product"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("newsletter topic")
        verbose_name_plural = _("newsletter topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletters:archive") + f"?emne={self.slug}"


class Subscription(models.Model):
    """One address's relation to one topic. Consent is recorded with its time and the wording shown; an
    unsubscribed or bounced row is kept, so that the address is left out of every later issue of the topic."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Stopped: mail bounces")

    class Source(models.TextChoices):
        FORM = "form", _("Subscription form")
        ACCOUNT = "account", _("Own page")
        SUPPLIER = "supplier_application", _("Partner application")
        API = "api", _("API")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        BOUNCE = "bounce", _("Mail bounces")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("topic"))
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="subscriptions"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=30, choices=Source.choices, default=Source.FORM)
    # Double opt-in: only the hash of the token in the confirmation mail is stored.
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("consent wording"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic__name", "email"]
        constraints = [models.UniqueConstraint(fields=["topic", "email"], name="one_subscription_per_topic")]
        indexes = [models.Index(fields=["email", "status"])]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return f"{self.email} – {self.topic}"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="issues", verbose_name=_("topic"))
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="newsletter_issues"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    # Segment keys (see segments.py), e.g. ["partners", "adopters:3", "topic:1"].
    segments = models.JSONField(_("recipients"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-created_at", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("newsletters:issue", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class IssueEvent(TransitionHistory):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=Issue.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Issue.Status.choices)


class Delivery(models.Model):
    """One recipient of one issue, written when the sender confirms. Sending only ever picks pending rows and
    marks each sent as soon as the mail backend accepted it, so a resumed send continues where it stopped."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # A worker claims a batch until this time; a worker that died leaves it to be claimed again after it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "email"], name="one_delivery_per_issue_and_address")]
        indexes = [
            models.Index(fields=["issue", "status"]),
            models.Index(fields=["email"], condition=Q(status__in=["failed", "bounced"]), name="delivery_failures"),
        ]

    def __str__(self):
        return f"{self.issue_id} → {self.email}"
