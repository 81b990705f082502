"""Needs and opportunities: the four ways work enters OS2 (PRODUCT.md, capability F; the guidelines' "Klassiske
adgange til fællesskabet").

1. An authority's **need** (behov) that others co-sign; it is clarified and becomes a product, a development
   request on an existing product, or a tender, or it is closed.
2. A **call** (forespørgsel) from a coordination group, the secretariat or an authority for a sub-task; approved
   suppliers with the matching competence send sealed **offers**; the caller awards one.
3. A supplier's **pitch** of a solution, to a need or on its own.
4. An authority's **donation** of a solution it built, which the secretariat turns into a sandbox product.

Every status is changed by one function in services.py, which checks who may do it and from which status and
keeps a history row."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.core.workflow import TransitionHistory
from os2hub.products.models import Category, Group, Product
from os2hub.suppliers.models import Competence

MONEY = {"max_digits": 12, "decimal_places": 2}


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLARIFYING = "clarifying", _("Being clarified")
        PRODUCT = "product", _("Became a product")
        REQUEST = "request", _("Became a development request")
        TENDER = "tender", _("Went to tender")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem"), help_text=_("Markdown. What is hard or impossible today?"))
    who_has_it = models.TextField(_("who has it"), blank=True, help_text=_("Which staff, citizens or units."))
    current_solutions = models.TextField(
        _("what exists today"), blank=True, help_text=_("Products, workarounds or market offers you know of.")
    )
    desired_outcome = models.TextField(_("desired outcome"), help_text=_("What is better when the need is met?"))
    rough_value = models.CharField(
        _("rough value"), max_length=200, blank=True, help_text=_("For example: saves about 500 hours a year.")
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs", verbose_name=_("category")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="needs", verbose_name=_("authority")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs", verbose_name=_("product")
    )
    development_request = models.ForeignKey(
        "development.DevelopmentRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    tender_url = models.URLField(_("tender notice"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="need_recent"),
            models.Index(fields=["status", "-created_at", "-id"], name="need_status_recent"),
        ]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NEED


# A need is open to co-signs, pitches, calls and the steps that decide it while it is open or being clarified.
OPEN_NEED = (Need.Status.OPEN, Need.Status.CLARIFYING)


class CoSign(models.Model):
    """ "Vi har også dette behov": another authority shares the need, once."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="cosigns")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cosigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["need", "organisation"], name="one_cosign_per_authority")]

    def __str__(self):
        return f"{self.organisation} → {self.need}"


class Follow(models.Model):
    """A person who wants an e-mail when the need moves or gets a pitch."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="one_follow_per_user")]

    def __str__(self):
        return f"{self.user} follows {self.need}"


class NeedEvent(TransitionHistory):
    """One row per step of a need (core.workflow.move writes it)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Need.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Need.Status.choices)


class Pitch(models.Model):
    """A supplier partner's solution, to a need or on its own; the secretariat may put it on a community meeting."""

    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pitches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="pitches", verbose_name=_("need")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the solution"), help_text=_("Markdown. What you offer and how it meets the need."))
    links = models.JSONField(_("links"), default=list, blank=True)
    wants_meeting = models.BooleanField(_("we would like a meeting"), default=False)
    wants_event = models.BooleanField(_("we would like to present at an OS2 event"), default=False)
    marked_for_meeting_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pitch")
        verbose_name_plural = _("pitches")

    def __str__(self):
        return self.title


class Call(models.Model):
    """A call for suppliers (forespørgsel): a sub-task for a product or a need. Offers are sealed until the award:
    only the caller, the offering supplier and the secretariat see them."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Development")
        CODE_REVIEW = "code-review", _("Code review")
        CONSULTING = "consulting", _("Consulting")
        OPERATIONS = "operations", _("Operations")
        HOSTING = "hosting", _("Hosting")
        SUPPORT = "support", _("Support")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for offers")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Markdown. The task, what is delivered, when."))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("product")
    )
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("need")
    )
    # Who called: a product's coordination group, or an organisation (an authority or the secretariat). Its
    # members are "the caller": they see every offer and award one.
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    deadline = models.DateField(_("deadline for offers"), help_text=_("Offers are accepted until the end of this day."))
    budget_min_dkk = models.DecimalField(_("budget from (DKK)"), null=True, blank=True, **MONEY)
    budget_max_dkk = models.DecimalField(_("budget up to (DKK)"), null=True, blank=True, **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    awarded_offer = models.OneToOneField(
        "Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("awarded offer")
    )
    awarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind", "-created_at"], name="call_status_kind_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False) | Q(need__isnull=False), name="call_for_a_product_or_a_need"
            ),
            models.CheckConstraint(
                condition=Q(group__isnull=False) | Q(organisation__isnull=False), name="call_has_a_caller"
            ),
            models.CheckConstraint(
                condition=Q(budget_min_dkk__isnull=True)
                | Q(budget_max_dkk__isnull=True)
                | Q(budget_min_dkk__lte=models.F("budget_max_dkk")),
                name="call_budget_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="awarded") | Q(awarded_offer__isnull=False), name="awarded_call_has_an_offer"
            ),
        ]
        verbose_name = _("call for suppliers")
        verbose_name_plural = _("calls for suppliers")

    def __str__(self):
        return self.title

    @property
    def shown_status(self) -> tuple[str, str]:
        """(key, label) for a badge: an open call whose deadline has passed takes no offers and waits for the
        caller to award or cancel it, so it does not say "open for offers"."""
        if self.status == self.Status.OPEN and self.deadline < timezone.localdate():
            return "deadline-passed", str(_("Deadline passed, awaiting award"))
        return self.status, self.get_status_display()

    @property
    def caller_name(self) -> str:
        if self.group_id:
            return f"{self.group.name} ({self.group.product.name})"
        return self.organisation.name if self.organisation_id else ""


# The competences (suppliers.Competence) that answer a call of each kind: a partner offers on a call only with one.
KIND_COMPETENCES = {
    Call.Kind.DEVELOPMENT: (Competence.SOFTWARE_DEVELOPMENT,),
    Call.Kind.CODE_REVIEW: (Competence.CODE_REVIEW,),
    Call.Kind.CONSULTING: (
        Competence.CONSULTING_TECHNICAL,
        Competence.CONSULTING_DESIGN,
        Competence.CONSULTING_IMPLEMENTATION,
    ),
    Call.Kind.OPERATIONS: (Competence.OPERATIONS_SUPPORT,),
    Call.Kind.HOSTING: (Competence.HOSTING,),
    Call.Kind.SUPPORT: (Competence.OPERATIONS_SUPPORT,),
}


class Offer(models.Model):
    """A supplier partner's answer to a call: the price from its published rate (hours × rate) or a fixed price
    with the rate shown, its approach and its team. One per supplier; a new one replaces it until the deadline."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="offers")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    hourly_rate_dkk = models.DecimalField(_("hourly rate (DKK)"), max_digits=9, decimal_places=2, null=True, blank=True)
    fixed_price_dkk = models.DecimalField(_("fixed price (DKK)"), null=True, blank=True, **MONEY)
    price_dkk = models.DecimalField(_("price (DKK)"), **MONEY)
    approach = models.TextField(_("approach"), help_text=_("Markdown. How you would do the task."))
    team = models.TextField(_("team"), blank=True, help_text=_("Who would do it, and their experience."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["price_dkk", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "supplier"], name="one_offer_per_supplier"),
            models.CheckConstraint(condition=Q(price_dkk__gt=0), name="offer_price_positive"),
        ]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self):
        return f"{self.supplier} → {self.call}"


class Donation(models.Model):
    """An authority offers a solution it built to the community; the secretariat turns it into a sandbox product
    or declines it with a reason."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Became a sandbox product")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="donations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(_("name of the solution"), max_length=120)
    repository_url = models.URLField(_("repository address"), max_length=300)
    licence = models.CharField(_("licence (SPDX id)"), max_length=64)
    description = models.TextField(_("what it does"), help_text=_("Markdown."))
    users = models.TextField(_("who uses it"), help_text=_("Which authorities and staff use it today."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    product = models.OneToOneField(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="donation", verbose_name=_("product")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")

    def __str__(self):
        return self.name


class DigestSubscription(models.Model):
    """A supplier member's weekly e-mail with the opportunities matching the supplier's competences."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} ({self.organisation})"
