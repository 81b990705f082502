"""The product catalogue and the communities around each product."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.core.addresses import validate_public_url
from os2hub.core.workflow import TransitionHistory

SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{1,63}$")


def validate_spdx_id(value):
    if not SPDX_ID.match(value or ""):
        raise ValidationError(_("Enter an SPDX licence identifier, for example MPL-2.0 or GPL-3.0-only."))


def validate_https_repository(value):
    validate_public_url(value)
    if not value.lower().startswith("https://"):
        raise ValidationError(_("A repository address must start with https://."), code="scheme")


class SearchDocumentField(SearchVectorField):
    """A tsvector on PostgreSQL (indexed with GIN, see migration 0002); plain text, unused, on SQLite, where the
    catalogue search falls back to matching words."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class Level(models.TextChoices):
    """OS2's product levels (the governance issue manages them; the catalogue filters on them)."""

    SANDKASSE = "sandkasse", _("Sandbox")
    ONE = "1", _("Level 1")
    TWO = "2", _("Level 2")
    THREE = "3", _("Level 3")


class Category(models.Model):
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name_da"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name_da

    @property
    def name(self):
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "da").startswith("en") else self.name_da


# What OS2hub holds for a publiccode.yml (products/publiccode.py maps both ways). Lists of short strings and
# links live in JSON fields: they are read and written whole, never queried one item at a time.
FEATURE_MAX_CHARS = 100  # the standard's limit for one feature
LIST_MAX_ITEMS = 50
DEPENDENCY_KINDS = ("open", "proprietary", "hardware")
DEPENDENCY_KEYS = ("name", "versionMin", "versionMax", "version", "optional")
LOGO_TYPES = (".svg", ".svgz", ".png")  # the standard's types for a logo and for screenshots
SCREENSHOT_TYPES = (".png", ".jpg", ".jpeg")


def _short_strings(value, *, most_chars: int, refusal: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of texts."), code="invalid")
    if len(value) > LIST_MAX_ITEMS:
        raise ValidationError(_("Give at most %(max)s items.") % {"max": LIST_MAX_ITEMS}, code="too_many")
    for item in value:
        if not item.strip() or len(item) > most_chars or "\n" in item:
            raise ValidationError(refusal % {"max": most_chars, "item": item[:120]}, code="too_long")


def validate_features(value):
    refusal = _("Each feature is one line of at most %(max)s characters: %(item)s")
    _short_strings(value, most_chars=FEATURE_MAX_CHARS, refusal=refusal)


def validate_platforms(value):
    refusal = _("Each platform is one line of at most %(max)s characters: %(item)s")
    _short_strings(value, most_chars=50, refusal=refusal)


def validate_https_link(value):
    """A public https address (screenshots and logos are shown on OS2hub's pages and in the export)."""
    validate_public_url(value)
    if not str(value).lower().startswith("https://") or any(ch.isspace() for ch in str(value)) or len(value) > 500:
        raise ValidationError(_("Give a public https address: %(link)s") % {"link": str(value)[:100]}, code="https")


def _picture(value, extensions: tuple[str, ...]) -> None:
    """A picture's https address, of one of the types publiccode.yml allows for it."""
    validate_https_link(value)
    if not urlsplit(str(value)).path.lower().endswith(extensions):
        raise ValidationError(
            _("The address must end in a file of type %(types)s: %(link)s")
            % {"types": ", ".join(extensions), "link": str(value)[:100]},
            code="type",
        )


def validate_logo(value):
    _picture(value, LOGO_TYPES)


def validate_screenshots(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of addresses."), code="invalid")
    if len(value) > LIST_MAX_ITEMS:
        raise ValidationError(_("Give at most %(max)s items.") % {"max": LIST_MAX_ITEMS}, code="too_many")
    for item in value:
        _picture(item, SCREENSHOT_TYPES)


def validate_dependencies(value):
    """publiccode.yml's dependsOn: {open|proprietary|hardware: [{name, versionMin, versionMax, version,
    optional}]}."""
    if not isinstance(value, dict) or set(value) - set(DEPENDENCY_KINDS):
        raise ValidationError(_("Dependencies are open, proprietary or hardware."), code="invalid")
    for items in value.values():
        if not isinstance(items, list) or len(items) > LIST_MAX_ITEMS:
            raise ValidationError(_("Dependencies are open, proprietary or hardware."), code="invalid")
        for item in items:
            if (
                not isinstance(item, dict)
                or set(item) - set(DEPENDENCY_KEYS)
                or not isinstance(item.get("name"), str)
                or not item["name"].strip()
                or any(
                    not isinstance(item.get(key, ""), str) or len(item.get(key, "")) > 100
                    for key in ("name", "versionMin", "versionMax", "version")
                )
                or not isinstance(item.get("optional", False), bool)
            ):
                raise ValidationError(
                    _("Each dependency has a name and may have versionMin, versionMax, version and optional."),
                    code="invalid",
                )


class MaintenanceType(models.TextChoices):
    """publiccode.yml's maintenance.type."""

    INTERNAL = "internal", _("Internal (the authorities maintain it themselves)")
    CONTRACT = "contract", _("Contract (suppliers maintain it)")
    COMMUNITY = "community", _("Community")
    NONE = "none", _("Not maintained")


class DevelopmentStatus(models.TextChoices):
    """publiccode.yml's developmentStatus."""

    CONCEPT = "concept", _("Concept")
    DEVELOPMENT = "development", _("In development")
    BETA = "beta", _("Beta")
    STABLE = "stable", _("Stable")
    OBSOLETE = "obsolete", _("Obsolete")


class SoftwareType(models.TextChoices):
    """publiccode.yml's softwareType."""

    WEB = "standalone/web", _("Web application")
    BACKEND = "standalone/backend", _("Backend service")
    DESKTOP = "standalone/desktop", _("Desktop application")
    MOBILE = "standalone/mobile", _("Mobile app")
    IOT = "standalone/iot", _("Internet of things")
    OTHER = "standalone/other", _("Other standalone software")
    ADDON = "addon", _("Add-on")
    LIBRARY = "library", _("Library")
    CONFIGURATION = "configurationFiles", _("Configuration files")


class ProductQuerySet(models.QuerySet):
    def public(self):
        return self.all()


class Product(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        SANDBOX = "sandbox", _("Sandbox project")
        PRODUCT = "product", _("Product")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences."))
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Markdown. What the product does."))
    value = models.TextField(_("value"), blank=True, help_text=_("Markdown. Why it is worth it."))
    target_group = models.TextField(_("target group"), blank=True, help_text=_("Markdown. Who it is for."))
    getting_started = models.TextField(_("how to get started"), blank=True, help_text=_("Markdown."))
    help_support = models.TextField(_("help and support"), blank=True, help_text=_("Markdown."))
    cost = models.TextField(_("what it costs"), blank=True, help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SANDBOX)
    categories = models.ManyToManyField(Category, blank=True, related_name="products", verbose_name=_("categories"))
    licence = models.CharField(_("licence (SPDX id)"), max_length=64, blank=True, validators=[validate_spdx_id])
    website = models.URLField(_("website"), blank=True, validators=[validate_public_url])
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_products",
        verbose_name=_("coordinator (tovholder)"),
    )
    official_level = models.CharField(
        _("official level"), max_length=10, choices=Level.choices, blank=True, default="", db_index=True
    )
    # For publiccode.yml (products/publiccode.py): English texts, features, pictures and technical facts.
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    purpose_en = models.TextField(_("purpose (English)"), blank=True, help_text=_("Markdown."))
    features = models.JSONField(_("features"), default=list, blank=True, validators=[validate_features])
    features_en = models.JSONField(_("features (English)"), default=list, blank=True, validators=[validate_features])
    screenshots = models.JSONField(_("screenshots"), default=list, blank=True, validators=[validate_screenshots])
    logo_url = models.URLField(_("logo address"), max_length=500, blank=True, validators=[validate_logo])
    platforms = models.JSONField(_("platforms"), default=list, blank=True, validators=[validate_platforms])
    dependencies = models.JSONField(_("dependencies"), default=dict, blank=True, validators=[validate_dependencies])
    maintenance_type = models.CharField(
        _("maintenance"), max_length=10, choices=MaintenanceType.choices, blank=True, default=""
    )
    development_status = models.CharField(
        _("development status"), max_length=12, choices=DevelopmentStatus.choices, blank=True, default=""
    )
    software_type = models.CharField(
        _("type of software"), max_length=20, choices=SoftwareType.choices, blank=True, default=""
    )
    # PostgreSQL only. Recomputed by products.search.index_products, which the services that change a product's
    # texts call (products.services, the admin, the demo loader); the model itself knows nothing of search.
    search_document = SearchDocumentField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    # The publiccode.yml fields with choices (shown by their labels).
    CHOICE_FIELDS = ("maintenance_type", "development_status", "software_type")

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("products:detail", args=[self.slug])

    # The English texts on a page in English, where the product has them; the Danish ones otherwise.
    def _in_english(self) -> bool:
        from django.utils.translation import get_language

        return (get_language() or "da").startswith("en")

    @property
    def summary_shown(self) -> str:
        return self.summary_en if self.summary_en and self._in_english() else self.summary

    @property
    def purpose_shown(self) -> str:
        return self.purpose_en if self.purpose_en and self._in_english() else self.purpose

    @property
    def features_shown(self) -> list[str]:
        return self.features_en if self.features_en and self._in_english() else self.features

    def dependency_lines(self) -> list[str]:
        return dependency_lines(self.dependencies)


def dependency_lines(dependencies) -> list[str]:
    """The dependencies one per line, as the product form edits them: `open: MySQL; versionMin=1.1; optional`."""
    lines = []
    for kind in DEPENDENCY_KINDS:
        for item in (dependencies or {}).get(kind) or []:
            if not isinstance(item, dict):
                continue
            parts = [str(item.get("name", ""))]
            parts += [f"{key}={item[key]}" for key in ("versionMin", "versionMax", "version") if item.get(key)]
            if item.get("optional"):
                parts.append("optional")
            lines.append(f"{kind}: " + "; ".join(parts))
    return lines


class Repository(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="repositories")
    url = models.URLField(_("repository address"), max_length=300, validators=[validate_https_repository])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="unique_repository_per_product")]
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")

    def __str__(self):
        return self.url


class SupplierRole(models.Model):
    """An approved supplier partner working on a product in a role, for a period."""

    class Role(models.TextChoices):
        DEVELOPMENT = "development", _("Development")
        CODE_REVIEW = "code-review", _("Quality assurance / code review")
        OPERATIONS = "operations", _("Operations / hosting")
        SUPPORT = "support", _("Support")
        CONSULTING = "consulting", _("Consulting")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="supplier_roles")
    supplier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="product_roles", verbose_name=_("supplier")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "supplier__name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "supplier", "role", "starts_on"], name="unique_supplier_role"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="supplier_role_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.supplier} – {self.get_role_display()}"

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class Adoption(models.Model):
    """An authority uses the product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("authority")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["product", "organisation"], name="one_adoption_per_authority")]

    def __str__(self):
        return f"{self.organisation} → {self.product}"


class JoiningAgreement(models.Model):
    """A tilslutningsaftale: who joined, on what terms, for which period. Amounts are not public."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="agreements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="joining_agreements", verbose_name=_("authority")
    )
    yearly_fee_dkk = models.DecimalField(
        _("yearly fee (DKK)"), max_digits=11, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    one_off_fee_dkk = models.DecimalField(
        _("one-off fee (DKK)"), max_digits=11, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    governance_percentage = models.DecimalField(
        _("governance share (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    document = models.FileField(_("signed agreement (PDF)"), upload_to="joining-agreements/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.product} ({self.starts_on})"


class Group(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering_group", _("Steering group (styregruppe)")
        COORDINATION = "coordination_group", _("Coordination group (koordinationsgruppe)")
        PROFESSIONAL = "faggruppe", _("Professional group (faggruppe)")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    kommissorium = models.TextField(_("terms of reference (kommissorium)"), blank=True, help_text=_("Markdown."))
    # Closed by default: steering and coordination groups hold a mandate from their organisations, so nobody
    # seats themselves; the chair lets people in. A professional group can be opened by the coordinator.
    is_open = models.BooleanField(
        _("open to join"),
        default=False,
        help_text=_(
            "In an open group, members of the organisations the group is for join at once. In a closed group they "
            "ask to join, and the chair decides."
        ),
    )

    # Whose members may join or ask to join, by the group's kind: steering and coordination groups are the
    # authorities' own; a professional group also welcomes the approved supplier partners.
    JOINABLE_KINDS = {
        "steering_group": ("authority",),
        "coordination_group": ("authority",),
        "faggruppe": ("authority", "supplier"),
    }

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            # One steering group and one coordination group per product; several professional groups.
            models.UniqueConstraint(
                fields=["product", "kind"], condition=~Q(kind="faggruppe"), name="one_steering_and_coordination_group"
            ),
        ]

    def __str__(self):
        return f"{self.product}: {self.name}"

    def get_absolute_url(self):
        return reverse("products:group", args=[self.product.slug, self.pk])

    @property
    def joinable_kinds(self) -> tuple[str, ...]:
        return self.JOINABLE_KINDS.get(self.kind, ())


class GroupMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["-role", "user__name"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class GroupJoinRequest(models.Model):
    """A person asks to join a closed group; its chair (or the product's coordinator, or the secretariat)
    approves or declines (products/workflow.py). A separate row rather than a status on GroupMember: every reader
    of GroupMember (core.roles, the wiki's rights, the newsletters) can go on treating a row as a seat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_join_requests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("on behalf of")
    )
    message = models.TextField(_("message to the chair"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # How many requests one person may have waiting at a time: enough for anyone, too few to spam chairs.
    MAX_PENDING = 5

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(status="pending"), name="one_pending_group_join_request"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.group} ({self.status})"


class GroupJoinRequestEvent(TransitionHistory):
    join_request = models.ForeignKey(GroupJoinRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=GroupJoinRequest.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=GroupJoinRequest.Status.choices)

    class Meta(TransitionHistory.Meta):
        pass


class Document(models.Model):
    KINDS = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text",
    }

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="documents/")
    kind = models.CharField(max_length=5, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title


class WikiPage(models.Model):
    """A Markdown page of a product, or of one of its groups. Every edit is kept as a revision."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="wiki_pages")
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="wiki_pages", verbose_name=_("group")
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["product", "slug"], name="unique_wiki_slug_per_product")]

    def __str__(self):
        return self.title


class WikiRevision(models.Model):
    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.page} @ {self.created_at:%Y-%m-%d %H:%M}"


class TextSuggestion(models.Model):
    """A partner on the product or a member of an authority using it suggests new text for one of the product
    page's texts (a field of Product, or the text of one of the product's own wiki pages). The coordinator or
    the secretariat accepts it (the text is written in the same transaction) or rejects it with a reason.

    `base_text` is the text the author started from; accepting compares it with the text as it is now, so a
    change made in the meantime is shown and never overwritten silently. Accepting one suggestion makes the
    others waiting on the same text *outdated*: they were written against a text that is gone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        OUTDATED = "outdated", _("Outdated")

    # The product texts a suggestion may change, in the order of the product page; "wiki" is a wiki page's text.
    FIELDS = ("summary", "purpose", "value", "target_group", "getting_started", "help_support", "cost")
    WIKI = "wiki"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="text_suggestions")
    field = models.CharField(_("text"), max_length=20)
    page = models.ForeignKey(
        WikiPage, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions", verbose_name=_("page")
    )
    base_text = models.TextField(_("text it was written against"), blank=True)
    proposed_text = models.TextField(_("suggested text"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="text_suggestions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("on behalf of")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # How many suggestions one person may have waiting per product.
    MAX_PENDING = 10

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["product", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(field="wiki") & Q(page__isnull=False)) | (~Q(field="wiki") & Q(page__isnull=True)),
                name="suggestion_page_only_for_wiki",
            ),
        ]

    def __str__(self):
        return f"{self.product}: {self.field} ({self.status})"

    def get_absolute_url(self):
        return reverse("products:suggestion", args=[self.product.slug, self.pk])


class TextSuggestionEvent(TransitionHistory):
    suggestion = models.ForeignKey(TextSuggestion, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=TextSuggestion.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=TextSuggestion.Status.choices)

    class Meta(TransitionHistory.Meta):
        pass


class PublicCodeImport(models.Model):
    """A publiccode.yml someone is importing into a product, kept between the diff and the accept: the accept
    writes exactly what the diff showed (a re-fetch could meet a newer commit), and nothing the browser sends
    back is trusted as the proposal. Old rows are deleted as new ones are made (products.publiccode)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="publiccode_imports")
    text = models.TextField()
    source = models.CharField(max_length=300, blank=True)  # the repository address, or "" for pasted text
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.product}: publiccode.yml ({self.created_at:%Y-%m-%d})"
