"""Development requests (udviklingsønsker): qualified against a product, estimated by supplier partners, paid by
the requester or funded by the community with pledges, ordered, done in a sprint, delivered and accepted.

Money is DKK excl. VAT with øre (two decimals). What the community has pledged is kept on the request too
(`pledged_dkk`), changed only by one conditional UPDATE per pledge, and a database constraint keeps it at or
below the price: however many authorities pledge at the same moment, the total never passes the need."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.core.workflow import TransitionHistory
from os2hub.products.models import Document, Product

MONEY = {"max_digits": 12, "decimal_places": 2}


class Sprint(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="sprints")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="sprint_ends_after_it_starts"),
            models.UniqueConstraint(fields=["product", "name"], name="unique_sprint_name_per_product"),
        ]
        verbose_name = _("sprint")
        verbose_name_plural = _("sprints")

    def __str__(self):
        return self.name


class DevelopmentRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ESTIMATED = "estimated", _("Estimated")
        FUNDING = "funding", _("Open for funding")
        ORDERED = "ordered", _("Ordered")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Funding(models.TextChoices):
        REQUESTER = "requester", _("The requester pays (opgavestiller betaler)")
        COMMUNITY = "community", _("The community pays (fællesskabet betaler)")

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="development_requests")
    requester = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="development_requests", verbose_name=_("requester")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What is wanted, why, and who needs it (hvad, hvorfor, hvem).")
    )
    user_stories = models.JSONField(_("user stories"), default=list, blank=True)
    acceptance_criteria = models.JSONField(_("acceptance criteria"), default=list, blank=True)
    documentation_requirements = models.TextField(_("documentation requirements"), blank=True)
    funding = models.CharField(_("who pays"), max_length=10, choices=Funding.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    chosen_estimate = models.ForeignKey(
        "Estimate", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("estimate")
    )
    price_dkk = models.DecimalField(_("price (DKK)"), null=True, blank=True, **MONEY)
    pledged_dkk = models.DecimalField(_("pledged (DKK)"), default=0, **MONEY)
    sprint = models.ForeignKey(Sprint, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests")
    work_links = models.JSONField(_("issues and pull requests"), default=list, blank=True)
    acceptance_results = models.JSONField(default=list, blank=True)  # one bool per acceptance criterion
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The lists are newest first: an index in that order lets a page read 25 rows instead of sorting all.
            models.Index(fields=["-created_at", "-id"], name="devrequest_recent"),
            models.Index(fields=["product", "status"], name="devrequest_product_status"),
            models.Index(fields=["status", "-created_at", "-id"], name="devrequest_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(pledged_dkk__gte=0), name="pledged_not_negative"),
            # The community never pledges more than the need.
            models.CheckConstraint(
                condition=Q(pledged_dkk=0) | Q(price_dkk__isnull=False, pledged_dkk__lte=F("price_dkk")),
                name="pledged_at_most_the_price",
            ),
        ]
        verbose_name = _("development request")
        verbose_name_plural = _("development requests")

    def __str__(self):
        return self.title

    @property
    def remaining_dkk(self):
        return None if self.price_dkk is None else self.price_dkk - self.pledged_dkk


class Estimate(models.Model):
    """A supplier partner's offer for a request. The price is the fixed price when one is given, else the hours
    at the hourly rate; the rate is shown either way."""

    request = models.ForeignKey(DevelopmentRequest, on_delete=models.CASCADE, related_name="estimates")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="estimates")
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2)
    hourly_rate_dkk = models.DecimalField(_("hourly rate (DKK)"), max_digits=9, decimal_places=2)
    fixed_price_dkk = models.DecimalField(_("fixed price (DKK)"), null=True, blank=True, **MONEY)
    price_dkk = models.DecimalField(_("price (DKK)"), **MONEY)
    start_conditions = models.TextField(_("start conditions"), blank=True)
    critical_integrations = models.TextField(_("critical integrations"), blank=True)
    code_location = models.TextField(_("where the code will live and how it fits the architecture"), blank=True)
    reviewer = models.CharField(_("who reviews the code"), max_length=200, blank=True)
    review_cost_dkk = models.DecimalField(_("cost of the review (DKK)"), null=True, blank=True, **MONEY)
    valid_until = models.DateField(_("offer valid until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price_dkk", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "supplier"], name="one_estimate_per_supplier"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="estimate_hours_positive"),
            models.CheckConstraint(condition=Q(price_dkk__gt=0), name="estimate_price_positive"),
        ]
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")

    def __str__(self):
        return f"{self.supplier}: {self.price_dkk} kr."


class Pledge(models.Model):
    request = models.ForeignKey(DevelopmentRequest, on_delete=models.CASCADE, related_name="pledges")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pledges")
    amount_dkk = models.DecimalField(_("amount (DKK)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_dkk__gt=0), name="pledge_amount_positive"),
        ]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self):
        return f"{self.organisation}: {self.amount_dkk} kr."


class RequestEvent(TransitionHistory):
    """Every transition of a request: who, when, from and to, and why (written by core.workflow.move)."""

    request = models.ForeignKey(DevelopmentRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=DevelopmentRequest.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=DevelopmentRequest.Status.choices)


class Attachment(models.Model):
    """A file that explains a request: a specification, a mock-up, a screenshot. Checked by content like a
    product's documents (os2hub/development/attachments.py), stored under a random name, served as a download."""

    # A product document's kinds, and pictures.
    KINDS = {**Document.KINDS, "png": "image/png", "jpg": "image/jpeg"}

    request = models.ForeignKey(DevelopmentRequest, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="development-attachments/")
    kind = models.CharField(max_length=5, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title
