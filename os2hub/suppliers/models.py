from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.accounts.numbers import validate_cvr
from os2hub.core.addresses import validate_public_url
from os2hub.core.workflow import TransitionHistory
from os2hub.scanner.organisations import display_domain


class Competence(models.TextChoices):
    """What a supplier partner offers. Keys are part of the public API (API.md)."""

    HOSTING = "hosting", _("Hosting")
    OPERATIONS_SUPPORT = "operations-support", _("Operations and support")
    CONSULTING_TECHNICAL = "consulting-technical", _("Consulting: technical")
    CONSULTING_DESIGN = "consulting-design", _("Consulting: design")
    CONSULTING_IMPLEMENTATION = "consulting-implementation", _("Consulting: implementation")
    SOFTWARE_DEVELOPMENT = "software-development", _("Software development")
    CODE_REVIEW = "code-review", _("Quality assurance / code review")


class ApplicationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=SupplierApplication.Status.APPROVED)


class SupplierApplication(models.Model):
    """A supplier's partnership with OS2: the application while it is reviewed, the public profile once approved.

    See docs/decisions/0001-approved-application-is-the-profile.md.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="supplier_applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    organisation_name = models.CharField(_("company name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, validators=[validate_cvr])
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A Danish postcode has 4 digits."))],
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), max_length=300, validators=[validate_public_url])
    core_competences = models.TextField(
        _("core competences"), blank=True, help_text=_("Markdown. Describe what your company is best at.")
    )
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    vector_logo = models.FileField(_("vector logo (SVG)"), upload_to="logos/", blank=True)
    agreement = models.FileField(_("signed partner agreement (PDF)"), upload_to="agreements/", blank=True)
    agreement_uploaded_at = models.DateTimeField(null=True, blank=True)
    coc_version = models.CharField(_("Code of Conduct version"), max_length=20, blank=True)
    coc_accepted_at = models.DateTimeField(null=True, blank=True)
    coc_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_name"]
        constraints = [
            # One live application per organisation and per CVR; a rejected one may be followed by a new one.
            models.UniqueConstraint(
                fields=["organisation"], condition=~Q(status="rejected"), name="one_live_application_per_org"
            ),
            models.UniqueConstraint(
                fields=["cvr"], condition=~Q(status="rejected"), name="one_live_application_per_cvr"
            ),
        ]
        indexes = [models.Index(fields=["status", "organisation_name"])]

    def __str__(self):
        return self.organisation_name

    def get_absolute_url(self):
        return reverse("suppliers:profile", args=[self.organisation.slug])

    @property
    def slug(self):
        return self.organisation.slug

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    def competence_keys(self) -> list[str]:
        return sorted(c.key for c in self.competences.all())

    def competence_labels(self):
        return [Competence(k).label for k in self.competence_keys()]

    def current_prices(self, on=None) -> list["PriceEntry"]:
        """The price in force per competence on a date: the latest entry with valid_from on or before it."""
        on = on or timezone.localdate()
        offered = set(self.competence_keys())
        current: dict[str, PriceEntry] = {}
        for entry in sorted(self.prices.all(), key=lambda e: (e.valid_from, e.created_at)):
            if entry.valid_from <= on and entry.competence in offered:
                current[entry.competence] = entry
        return [current[k] for k in sorted(current)]

    def missing_for_submission(self) -> list[str]:
        """What still has to be filled in before the application can be submitted (translated sentences)."""
        missing = []
        if not (self.organisation_name and self.cvr and self.website):
            missing.append(_("Company name, CVR number and website"))
        if not (self.street and self.postcode and self.city):
            missing.append(_("Address"))
        keys = set(self.competence_keys())
        if not keys:
            missing.append(_("At least one competence"))
        if not self.core_competences.strip():
            missing.append(_("A description of your core competences"))
        if not self.contacts.exists():
            missing.append(_("At least one contact person"))
        priced = {p.competence for p in self.current_prices()}
        if keys - priced:
            missing.append(_("An hourly rate for every competence you offer"))
        if not self.logo:
            missing.append(_("A logo of 800×800 pixels"))
        if not self.agreement:
            missing.append(_("The signed partner agreement (PDF)"))
        if not self.coc_accepted_at:
            missing.append(_("Acceptance of OS2's Code of Conduct"))
        return missing


class SupplierCompetence(models.Model):
    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="competences")
    key = models.CharField(max_length=40, choices=Competence.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="unique_competence")]
        indexes = [models.Index(fields=["key"])]

    def __str__(self):
        return self.key

    @property
    def label(self):
        return Competence(self.key).label


class ContactPerson(models.Model):
    """A supplier's contact. Shown publicly and mailed only with recorded consent (time and wording)."""

    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, help_text=_("For example: account manager, CTO."))
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 -]{6,18}[0-9]$", _("Enter a phone number of 8 to 15 digits, e.g. +45 12 34 56 78.")
            )
        ],
    )
    public_consent_at = models.DateTimeField(null=True, blank=True)
    public_consent_text = models.TextField(blank=True)
    newsletter_consent_at = models.DateTimeField(null=True, blank=True)
    newsletter_consent_text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_public(self):
        return self.public_consent_at is not None

    @property
    def wants_newsletter(self):
        return self.newsletter_consent_at is not None


class PriceEntry(models.Model):
    """An hourly rate (DKK excl. VAT) for one competence from a date. Never changed once the partner is
    approved: a new rate is a new row, so the history stays transparent."""

    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="prices")
    competence = models.CharField(_("competence"), max_length=40, choices=Competence.choices)
    hourly_rate_dkk = models.DecimalField(
        _("hourly rate (DKK excl. VAT)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["competence", "-valid_from", "-created_at"]
        indexes = [models.Index(fields=["application", "competence", "valid_from"])]

    def __str__(self):
        return f"{self.competence}: {self.hourly_rate_dkk} ({self.valid_from})"

    @property
    def competence_label(self):
        return Competence(self.competence).label


class ApplicationEvent(TransitionHistory):
    """One row per state transition of an application: who, when, from, to and why (core.workflow.move writes
    it; the first row, from "" to draft, is written when the application is created)."""

    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=SupplierApplication.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SupplierApplication.Status.choices)


class CommitDomain(models.Model):
    """An e-mail domain a partner commits code from (its old and new domains, a subsidiary's). The scanner's
    vendor-concentration check counts the commits from a partner's domains, and their subdomains, as the
    partner's, not as several organisations; only domains the secretariat has verified count, so a partner
    cannot claim another company's commits. Stored in lower case and ASCII (IDNA) form; one partner per domain."""

    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="commit_domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    @property
    def is_verified(self):
        return self.verified_at is not None

    @property
    def display_domain(self):
        """The domain as people write it (blåbær.dk rather than xn--blbr-roah.dk)."""
        return display_domain(self.domain)
