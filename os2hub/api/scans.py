"""Scans (API.md "Scans"): start a scan of a product's repository, read a scan with its findings.

Scans and findings are public, as the repositories are; starting one needs the right to answer the product's
self-assessment (its coordinator, steering group or the secretariat). The work is os2hub.scans.services'.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from os2hub.governance.getters import get_product_for_assessor
from os2hub.products.getters import get_product
from os2hub.scans import services
from os2hub.scans.models import Finding, Scan

from .errors import ErrorOut
from .schemas import LimitOffset

router = Router(tags=["scans"])

ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
PUBLIC_ERRORS = dict.fromkeys((400, 404, 422), ErrorOut)


class ScanRequestIn(Schema):
    repository: str | None = Field(
        None,
        max_length=300,
        description="The address of one of the product's repositories. Left out: the product's first repository.",
    )


class ScanStartedOut(Schema):
    id: int
    status: str = Field(description="queued, running, done or failed (the default immediate backend has run it).")


class EvidenceOut(Schema):
    path: str
    line: int | None = None
    url: str | None = Field(description="The file at the scanned commit on the repository's host, when known.")


class FindingOut(Schema):
    check: str = Field(alias="check_id")
    outcome: str = Field(description="pass, fail, not_applicable or error.")
    criteria: list[str]
    message: str
    evidence: list[EvidenceOut]
    details: dict

    @staticmethod
    def resolve_evidence(obj):
        return obj.evidence_links()


class ProgressOut(Schema):
    step: str = Field(description="waiting (for a worker), fetch, check or store.")
    checks_done: int = Field(description="How many checks have run (during the step check).")
    checks_total: int = Field(description="How many checks the scan runs; 0 until the checks start.")
    current_check: str | None = Field(description="The check that runs now, during the step check.")


class ScanOut(Schema):
    id: int
    product: str = Field(description="The product's slug.")
    status: str = Field(description="queued, running, done or failed.")
    repository: str = Field(alias="repository_url")
    commit: str | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None = Field(description="Why a failed scan failed; null otherwise.")
    progress: ProgressOut | None = Field(description="How far a queued or running scan is; null once it has ended.")
    findings: list[FindingOut]

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug

    @staticmethod
    def resolve_commit(obj):
        return obj.commit or None

    @staticmethod
    def resolve_error(obj):
        return obj.error or None

    @staticmethod
    def resolve_progress(obj):
        if not obj.is_active:
            return None
        step = obj.current_step
        checking = step == Scan.Step.CHECK
        return {
            "step": step or "waiting",
            "checks_done": obj.checks_done if checking else 0,
            "checks_total": obj.checks_total if step in (Scan.Step.CHECK, Scan.Step.STORE) else 0,
            "current_check": (obj.current_check or None) if checking else None,
        }

    @staticmethod
    def resolve_findings(obj):
        findings = list(obj.findings.all())
        for finding in findings:
            finding.scan = obj
        return findings


def _with_findings(scans):
    return scans.select_related("product").prefetch_related(
        Prefetch("findings", queryset=Finding.objects.order_by("position"))
    )


@router.post(
    "products/{slug}/scans",
    response={202: ScanStartedOut, **ERRORS},
    summary="Scan a repository of the product",
)
def scan_start(request, slug: str, payload: ScanRequestIn | None = None):
    """Queues a scan of one of the product's repositories (202). 409 when a scan of it is already waiting or
    running; 400 when the product has no repository or the address is not one of its repositories. Poll
    `GET /api/v1/scans/{id}` for the findings."""
    user = request.auth
    product = get_product_for_assessor(user, slug)
    wanted = payload.repository.strip() if payload and payload.repository else None
    repositories = list(product.repositories.all())
    if wanted is not None:
        repository = next((r for r in repositories if r.url.rstrip("/") == wanted.rstrip("/")), None)
        if repository is None:
            raise ValidationError({"repository": [_("That address is not one of the product's repositories.")]})
    else:
        repository = repositories[0] if repositories else None
    if repository is None:
        scans = services.scan_request(product=product, user=user)  # raises: no repository
    else:
        scans = services.scan_request(product=product, user=user, repository=repository)
    scan = Scan.objects.get(pk=scans[0].pk)
    return Status(202, {"id": scan.pk, "status": scan.status})


@router.get("scans/{scan_id}", auth=None, response={200: ScanOut, **PUBLIC_ERRORS}, summary="A scan and its findings")
def scan_detail(request, scan_id: int):
    """Findings come in the scanner's order, one per check, each naming the criteria it speaks to, with
    evidence (path, line) linked at the scanned commit."""
    if not Scan.objects.filter(pk=scan_id).exists():
        raise Http404
    return _with_findings(Scan.objects.filter(pk=scan_id)).get()


@router.get(
    "products/{slug}/scans",
    auth=None,
    response={200: list[ScanOut], **PUBLIC_ERRORS},
    summary="The product's scans, newest first",
)
@paginate(LimitOffset)
def product_scans(request, slug: str):
    product = get_product(slug)
    return _with_findings(Scan.objects.filter(product=product).order_by("-created_at", "-pk"))
