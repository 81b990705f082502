import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.core.addresses import validate_public_url
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionHistory

from .numbers import validate_cvr, validate_ean, validate_email_domain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; belongs to organisations through memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The language of the e-mails OS2hub sends the person (core/mail.py); set when they switch language.
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="da"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email

    @property
    def is_secretariat(self) -> bool:
        """Asked on most pages; answered from the roles computed once per request (core/roles.py)."""
        return roles_for(self).secretariat


class Organisation(models.Model):
    """A member authority, a supplier or the OS2 secretariat.

    An organisation that a person registers on their own (accounts.services.organisation_register) starts as
    `pending` when it is an authority: the secretariat confirms it before it pledges to development requests or
    signs joining agreements. Suppliers need no confirmation (their partnership application is reviewed), and
    organisations the secretariat creates (Django admin, `create_organisation`, the demo) are confirmed, which is
    why `confirmed` is the default.
    """

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Authority")
        SUPPLIER = "supplier", _("Supplier")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, null=True, blank=True, validators=[validate_cvr])
    ean = models.CharField(
        _("EAN number"),
        max_length=13,
        blank=True,
        validators=[validate_ean],
        help_text=_("13 digits, used for public e-invoicing (authorities only)."),
    )
    website = models.URLField(_("website"), blank=True, validators=[validate_public_url])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Colleagues whose verified e-mail address is at this domain join at once, once the secretariat has verified
    # that the domain is the organisation's own.
    email_domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        blank=True,
        validators=[validate_email_domain],
        help_text=_("The domain of the organisation's e-mail addresses, for example aarhus.dk."),
    )
    email_domain_verified_at = models.DateTimeField(_("e-mail domain verified"), null=True, blank=True)
    email_domain_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organisation", args=[self.slug])

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def awaits_confirmation(self) -> bool:
        """An authority the secretariat has not confirmed (yet): it may not pledge or sign joining agreements."""
        return self.kind == self.Kind.AUTHORITY and not self.is_confirmed

    @property
    def email_domain_verified(self) -> bool:
        return bool(self.email_domain and self.email_domain_verified_at)

    def confirmation_refusal(self) -> str:
        """Why this organisation may not pledge or sign a joining agreement yet, and what to do; "" when it may."""
        if not self.awaits_confirmation:
            return ""
        values = {"org": self.name, "contact": settings.CONTACT_EMAIL}
        if self.status == self.Status.REJECTED:
            return (
                _(
                    "The OS2 secretariat has not confirmed %(org)s as a public authority, so it cannot pledge to "
                    "development requests or sign joining agreements. Write to %(contact)s if you think this is a "
                    "mistake."
                )
                % values
            )
        return (
            _(
                "%(org)s is waiting for the OS2 secretariat to confirm it. Until then it cannot pledge to development "
                "requests or sign joining agreements. The secretariat has been told; write to %(contact)s if it is "
                "urgent."
            )
            % values
        )


class OrganisationEvent(TransitionHistory):
    """One step of an organisation's confirmation: registered, confirmed or not (with the reason)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Organisation.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Organisation.Status.choices)

    class Meta(TransitionHistory.Meta):
        pass


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")]
        ordering = ["organisation__name", "user__email"]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


def _new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An organisation admin invites a colleague by e-mail; the link makes them a member."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default="member")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    VALID_DAYS = 14

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self):
        return self.created_at < timezone.now() - timezone.timedelta(days=self.VALID_DAYS)

    @property
    def is_open(self):
        return self.accepted_at is None and not self.is_expired


class JoinRequest(models.Model):
    """A person asks to join an organisation; its administrators approve or decline (accounts/workflow.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message to the administrators"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # How many requests one person may have waiting at a time: enough for a real person, too few to spam.
    MAX_PENDING = 3

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.status})"


class JoinRequestEvent(TransitionHistory):
    join_request = models.ForeignKey(JoinRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=JoinRequest.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=JoinRequest.Status.choices)

    class Meta(TransitionHistory.Meta):
        pass


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token itself is shown once."""

    PREFIX = "os2h_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"
