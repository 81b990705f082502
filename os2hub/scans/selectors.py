"""Reading scans: the latest per repository, the evidence per criterion, the proposals awaiting a decision.
Scans and findings are public (they describe public repositories); proposals belong to those who answer."""

from django.db.models import Count, Max, Prefetch
from django.http import Http404

from os2hub.governance.getters import can_answer, latest_submitted
from os2hub.governance.models import SelfAssessment, SelfAssessmentAnswer

from .models import Finding, Proposal, Scan

HISTORY_LENGTH = 20


def get_scan(pk) -> Scan:
    """The scan with its findings prefetched, so what views._decorate adds to them is what the page shows."""
    findings = Prefetch("findings", queryset=Finding.objects.order_by("position"))
    scan = Scan.objects.select_related("product").prefetch_related(findings).filter(pk=pk).first()
    if scan is None:
        raise Http404
    return scan


def _latest_ids(product, statuses=None):
    scans = Scan.objects.filter(product=product)
    if statuses:
        scans = scans.filter(status__in=statuses)
    return scans.values("repository_url").annotate(latest=Max("pk")).values("latest")


def latest_done(product) -> list[Scan]:
    """The latest finished scan of each repository, with its findings (two queries)."""
    findings = Prefetch("findings", queryset=Finding.objects.order_by("position"))
    return list(
        Scan.objects.filter(pk__in=_latest_ids(product, [Scan.Status.DONE]))
        .prefetch_related(findings)
        .order_by("repository_url")
    )


def latest_any(product) -> list[Scan]:
    """The latest scan of each repository whatever its state, to show what is waiting, running or failed."""
    return list(Scan.objects.filter(pk__in=_latest_ids(product)).order_by("repository_url"))


def history(product) -> list[Scan]:
    return list(Scan.objects.filter(product=product).select_related("requested_by")[:HISTORY_LENGTH])


def summary(scan: Scan) -> dict:
    counts = dict.fromkeys(Finding.Outcome.values, 0)
    for finding in scan.findings.all():
        counts[finding.outcome] = counts.get(finding.outcome, 0) + 1
    return {"passed": counts["pass"], "failed": counts["fail"], "total": sum(counts.values()), "counts": counts}


def evidence_by_criterion(product) -> dict[str, list[tuple[Scan, Finding]]]:
    """criterion code -> [(scan, finding)] from the latest finished scan of each repository."""
    evidence: dict[str, list] = {}
    for scan in latest_done(product):
        for finding in scan.findings.all():
            finding.scan = scan  # the prefetched scan, so links need no query
            for code in finding.criteria:
                evidence.setdefault(code, []).append((scan, finding))
    return evidence


PENDING = (Proposal.Status.OPEN,)


def visible_proposals(user, product, statuses=None):
    """The proposals of a product for those who answer its self-assessment; none for anyone else."""
    if not can_answer(user, product):
        return Proposal.objects.none()
    proposals = Proposal.objects.filter(product=product).select_related("scan", "decided_by")
    if statuses:
        proposals = proposals.filter(status__in=statuses)
    return proposals


def open_proposals_by_code(user, product) -> dict[str, list[Proposal]]:
    by_code: dict[str, list[Proposal]] = {}
    for proposal in visible_proposals(user, product, PENDING):
        by_code.setdefault(proposal.criterion_code, []).append(proposal)
    return by_code


def get_proposal_for_answerer(user, product, pk) -> Proposal:
    proposal = visible_proposals(user, product).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def current_answers(product) -> tuple[SelfAssessment | None, dict[str, SelfAssessmentAnswer]]:
    """The self-assessment proposals are measured against (the draft, else the latest submitted one) and its
    answers by criterion code; (None, {}) when there is none."""
    assessment = (
        SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT)
        .select_related("criteria_version")
        .first()
    ) or latest_submitted(product)
    if assessment is None:
        return None, {}
    rows = SelfAssessmentAnswer.objects.filter(self_assessment=assessment).select_related("criterion")
    return assessment, {row.criterion.code: row for row in rows}


def open_proposal_counts(product_ids) -> dict[int, int]:
    """How many proposals await a decision, per product id (products without any are left out). One query."""
    rows = (
        Proposal.objects.filter(product_id__in=list(product_ids), status__in=PENDING)
        .order_by()
        .values_list("product_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
