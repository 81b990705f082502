"""Scans of a product's repositories (the Django side of os2hub.scanner), their findings, and the proposals
they raise on the self-assessment. A scan never writes an answer: a person accepts or rejects a proposal."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from os2hub.governance.models import Answer
from os2hub.products.models import Product, Repository

from . import links, wording


class Scan(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Step(models.TextChoices):
        """How far a running scan is, as the task records it (scans.services.scan_run)."""

        WAITING = "", _("waiting for a worker")
        FETCH = "fetch", _("fetching the repository")
        CHECK = "check", _("running the checks")
        STORE = "store", _("storing the findings")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="scans")
    # The repository row may be removed later; the address scanned stays with the scan.
    repository = models.ForeignKey(Repository, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans")
    repository_url = models.CharField(_("repository"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    commit = models.CharField(_("commit"), max_length=64, blank=True)
    error = models.TextField(_("reason"), blank=True)  # in English, as the scanner said it (and the API shows it)
    error_template = models.JSONField(default=dict, blank=True)  # the reason as a template (scans.wording)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Progress while it runs: the step, and during the checks which one and how many of how many have run.
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.WAITING, blank=True)
    checks_done = models.PositiveSmallIntegerField(default=0)
    checks_total = models.PositiveSmallIntegerField(default=0)
    current_check = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["product", "-created_at"], name="scan_product_recent")]
        constraints = [
            # One scan of a repository at a time: a double click or two workers cannot start a second one.
            models.UniqueConstraint(
                fields=["repository"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_scan_per_repository",
            )
        ]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self):
        return f"{self.repository_url} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def current_step(self) -> str:
        """The step to show: a queued scan waits, whatever a worker wrote; a running one is at least fetching."""
        if self.status == self.Status.QUEUED:
            return self.Step.WAITING
        if self.status == self.Status.RUNNING:
            return self.step or self.Step.FETCH
        return ""

    @property
    def short_commit(self) -> str:
        return self.commit[:10]

    @property
    def commit_url(self) -> str | None:
        return links.commit_url(self.repository_url, self.commit)

    @property
    def error_text(self) -> str:
        """Why the scan failed, in the reader's language."""
        return wording.translated(self.error_template, self.error)

    @property
    def error_lang(self) -> str:
        return wording.language(self.error_template)


class Finding(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", _("passes")
        FAIL = "fail", _("fails")
        NOT_APPLICABLE = "not_applicable", _("not applicable")
        ERROR = "error", _("could not be checked")

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(_("check"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    criteria = models.JSONField(default=list)
    message = models.TextField(_("message"))  # in English, as the scanner said it (and the API shows it)
    template = models.JSONField(default=dict, blank=True)  # the message as a template (scanner.messages)
    evidence = models.JSONField(default=list)  # [{"path": str, "line": int?}]
    details = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scan", "position"]
        constraints = [models.UniqueConstraint(fields=["scan", "check_id"], name="one_finding_per_check")]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.check_id}: {self.outcome}"

    @property
    def text(self) -> str:
        """What the scanner found, in the reader's language."""
        return wording.translated(self.template, self.message)

    @property
    def text_lang(self) -> str:
        return wording.language(self.template)

    def evidence_links(self) -> list[dict]:
        """[{path, line, url}] with the address of the file (and line) at the scanned commit, where the host
        is known."""
        return [
            {**item, "url": links.file_url(self.scan.repository_url, self.scan.commit, item["path"], item.get("line"))}
            for item in self.evidence
        ]


class Proposal(models.Model):
    """What the scanner suggests for one criterion of one product, from one repository's scan."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting a decision")
        MATCHED = "matched", _("agrees with the answer")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("replaced by a later scan")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="scan_proposals")
    repository_url = models.CharField(_("repository"), max_length=300)
    criterion_code = models.CharField(_("criterion"), max_length=10)
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="proposals")
    answer = models.CharField(_("suggested answer"), max_length=20, choices=Answer.choices)
    # What the checks found: [{check, outcome, message, template, evidence: [{path, line}], decided}], in the
    # scanner's order (message in English, template as in Finding); `decided`: the check decided the answer
    # (scanner.criteria), else it was only considered. Grounds stored before the weights lack it: all decided.
    grounds = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["criterion_code", "-created_at", "-pk"]
        indexes = [models.Index(fields=["product", "status"], name="proposal_product_status")]
        verbose_name = _("scanner proposal")
        verbose_name_plural = _("scanner proposals")

    def __str__(self):
        return f"{self.criterion_code}: {self.answer} ({self.status})"

    def deciding_grounds(self) -> list[dict]:
        """The grounds of the checks that decided the answer."""
        return [g for g in self.grounds if g.get("decided", True)]

    def considered_grounds(self) -> list[dict]:
        """The grounds of the checks that counted without deciding the answer."""
        return [g for g in self.grounds if not g.get("decided", True)]

    @property
    def deciding_checks(self) -> list[str]:
        """The ids of the checks that decided the answer (`decided_by` is the person who decided the proposal)."""
        return [g["check"] for g in self.deciding_grounds()]

    def grounds_with_links(self) -> list[dict]:
        return [
            {
                **item,
                "decided": item.get("decided", True),
                "text": wording.translated(item.get("template"), item.get("message", "")),
                "lang": wording.language(item.get("template")),
                "evidence": [
                    {**e, "url": links.file_url(self.repository_url, self.scan.commit, e["path"], e.get("line"))}
                    for e in item.get("evidence", [])
                ],
            }
            for item in self.grounds
        ]
