"""Governance: OS2's product levels. Criteria versions (data), evaluation rounds, self-assessments, the
secretariat's evaluations, the decision log and the follow-or-explain register."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from os2hub.core.addresses import validate_public_url
from os2hub.products.models import Level, Product


def _english() -> bool:
    return (get_language() or "da").startswith("en")


class CriteriaVersion(models.Model):
    """One version of OS2's governance model, loaded from its YAML file; never changed once loaded."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    sort_key = models.CharField(max_length=40, db_index=True, editable=False)
    released = models.CharField(_("released"), max_length=20, blank=True)
    levels = models.JSONField(_("levels"), default=list)  # [{key, name_da, name_en}], lowest first
    themes = models.JSONField(_("themes"), default=list)  # [{key, name_da, name_en}]
    sha256 = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sort_key"]
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")

    def __str__(self):
        return self.version

    @classmethod
    def current(cls):
        """The newest version by number."""
        return cls.objects.order_by("-sort_key").first()

    @property
    def level_keys(self) -> list[str]:
        return [level["key"] for level in self.levels]

    def _name(self, items, key):
        for item in items:
            if item["key"] == key:
                return item["name_en"] if _english() else item["name_da"]
        return key

    def level_name(self, key):
        return self._name(self.levels, key) if key else _("No level")

    def theme_name(self, key):
        return self._name(self.themes, key)


class Criterion(models.Model):
    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("id"), max_length=10)
    theme = models.CharField(_("theme"), max_length=40)
    level = models.CharField(_("level"), max_length=10)
    recommendation = models.BooleanField(_("recommendation (anbefaling)"), default=False)
    text_da = models.TextField(_("criterion (Danish)"))
    text_en = models.TextField(_("criterion (English)"))
    guideline_da = models.TextField(_("guideline (Danish)"), blank=True)
    guideline_en = models.TextField(_("guideline (English)"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_criterion_per_id_and_version")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.code} {self.text_da}"

    @property
    def text(self):
        """The criterion in the reader's language. OS2's texts end recommendations with "(anbefaling)"; the pages
        mark a recommendation themselves (a tag or a word), so it is left out here rather than said twice."""
        text = self.text_en if _english() else self.text_da
        if self.recommendation:
            for marker in (" (anbefaling)", " (recommendation)"):
                if text.endswith(marker):
                    return text[: -len(marker)]
        return text

    @property
    def guideline(self):
        # OS2 writes its guidelines in Danish; an English one is used where a version has it.
        return (self.guideline_en if _english() else "") or self.guideline_da


class Round(models.Model):
    """An evaluation round: the secretariat asks every product for a self-assessment (OS2 runs two a year)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100, help_text=_("For example “Efterår 2026”."))
    criteria_version = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criteria version")
    )
    opens_on = models.DateField(_("opens"))
    deadline = models.DateField(_("self-assessments due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminders last sent"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="open"), name="one_open_round"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("opens_on")), name="round_deadline_after_start"),
        ]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self):
        return self.name

    @classmethod
    def open_round(cls):
        return cls.objects.filter(status=cls.Status.OPEN).select_related("criteria_version").first()


class Answer(models.TextChoices):
    """The answers of OS2's self-assessment form; the labels are the words of OS2's JSON format."""

    JA = "ja", "Ja"
    NEJ = "nej", "Nej"
    IKKE_RELEVANT = "ikke_relevant", "Ikke relevant"
    VED_IKKE = "ved_ikke", "Ved ikke"


# The answers as the interface shows them: OS2's words in Danish, translated in English (the JSON keeps the
# Danish words whatever the language).
ANSWER_LABELS = {"ja": _("Yes"), "nej": _("No"), "ikke_relevant": _("Not relevant"), "ved_ikke": _("Don't know")}


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="self_assessments")
    criteria_version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="self_assessments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # OS2's JSON format: filledBy, filledDate, generatedAt (the time this version of the answers was made).
    filled_by = models.CharField(_("filled in by"), max_length=200, blank=True)
    filled_date = models.DateField(_("filled in on"), null=True, blank=True)
    content_at = models.DateTimeField(default=timezone.now)
    # What an import carried beyond our fields (top-level keys and their order), for a lossless export.
    imported_meta = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The self-declared level, stored when submitted (the answers are locked then); drafts compute it live.
    declared_level = models.CharField(_("self-declared level"), max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product"], condition=Q(status="draft"), name="one_draft_per_product")
        ]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self):
        return f"{self.product} ({self.get_status_display()})"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class SelfAssessmentAnswer(models.Model):
    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    documentation = models.TextField(_("documentation"), blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("One web address per line."))
    # The imported item as OS2's form wrote it (texts may differ slightly from ours), for a lossless export.
    # Stored as [key, value] pairs, which keep their order in PostgreSQL's jsonb.
    source = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "criterion"], name="one_answer_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.get_answer_display() or '-'}"

    @property
    def label(self):
        return ANSWER_LABELS.get(self.answer, _("Not answered"))

    @property
    def link_list(self) -> list[str]:
        # Only web addresses, whatever got stored: these become href attributes on public pages.
        return [
            line.strip() for line in self.links.splitlines() if line.strip().lower().startswith(("https://", "http://"))
        ]


class Evaluation(models.Model):
    """The secretariat's evaluation of a product (vurdering), published as a report."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="evaluations")
    criteria_version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations")
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    computed_level = models.CharField(_("computed level"), max_length=10, choices=Level.choices, blank=True)
    recommended_level = models.CharField(_("recommended level"), max_length=10, choices=Level.choices, blank=True)
    level_reason = models.TextField(
        _("reason for another level"),
        blank=True,
        help_text=_("Required when the recommended level differs from the computed one."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product"], condition=Q(status="draft"), name="one_draft_evaluation")
        ]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.product} ({self.get_status_display()})"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class Rating(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    GREY = "grey", _("Grey")


class EvaluationRating(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    grounds = models.TextField(_("grounds (vurderingsgrundlag)"), blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_rating_per_criterion")]

    def __str__(self):
        return f"{self.criterion.code}: {self.get_rating_display() or '-'}"


class Decision(models.Model):
    """An entry in the decision log: the only way a product's official level changes."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="level_decisions")
    decided_on = models.DateField(_("date of decision"))
    level = models.CharField(_("level decided"), max_length=10, choices=Level.choices, blank=True)
    previous_level = models.CharField(_("previous level"), max_length=10, choices=Level.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=300)
    grounds = models.TextField(_("grounds"))
    made_by = models.CharField(_("made by"), max_length=200, help_text=_("Who decided, e.g. “OS2's bestyrelse”."))
    reference = models.CharField(
        _("reference"), max_length=300, blank=True, help_text=_("Minutes, case number or web address.")
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-created_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decision log")

    def __str__(self):
        return f"{self.product} {self.decided_on}: {self.decision}"


class Practice(models.Model):
    """Follow or explain (følg eller forklar): a standard or reference-architecture rule the product follows or
    deviates from. The register is the evidence for the criteria in CRITERIA (F18 of version 1.1.0: "the
    reference architecture and standards are followed and deviations explained")."""

    CRITERIA = ("F18",)

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Standard")
        ARCHITECTURE = "architecture", _("Reference-architecture rule")

    class Status(models.TextChoices):
        FOLLOWS = "follows", _("Follows")
        DEVIATES = "deviates", _("Deviates")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="practices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    name = models.CharField(_("standard or rule"), max_length=200)
    url = models.URLField(_("web address"), blank=True, validators=[validate_public_url])
    status = models.CharField(_("follows or deviates"), max_length=10, choices=Status.choices, default=Status.FOLLOWS)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Markdown. Required for a deviation: why, and what instead.")
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="one_practice_per_name")]
        verbose_name = _("standard or rule")
        verbose_name_plural = _("follow or explain")

    def __str__(self):
        return self.name


class GovernanceEvent(models.Model):
    """One row per transition in the governance workflow (who did what, when), shown as the product's history."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT_STARTED = "self_assessment_started", _("Self-assessment started")
        SELF_ASSESSMENT_IMPORTED = "self_assessment_imported", _("Self-assessment imported from OS2's file")
        SELF_ASSESSMENT_SUBMITTED = "self_assessment_submitted", _("Self-assessment submitted")
        EVALUATION_STARTED = "evaluation_started", _("Evaluation started")
        EVALUATION_PUBLISHED = "evaluation_published", _("Evaluation published")
        DECISION_RECORDED = "decision_recorded", _("Decision recorded")
        ROUND_OPENED = "round_opened", _("Evaluation round opened")
        ROUND_CLOSED = "round_closed", _("Evaluation round closed")
        REMINDERS_SENT = "reminders_sent", _("Reminders sent")

    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices)
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="governance_events"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("governance event")
        verbose_name_plural = _("governance events")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"
