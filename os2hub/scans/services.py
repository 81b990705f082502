"""Starting scans, running them (as a background task), storing the findings and turning them into proposals
on the self-assessment; accepting and rejecting proposals. The only writers of scans.models."""

import hashlib
import json
import logging
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from os2hub.core.workflow import TransitionConflict
from os2hub.governance import services as governance
from os2hub.governance.getters import can_answer
from os2hub.governance.models import ANSWER_LABELS, CriteriaVersion, SelfAssessmentAnswer
from os2hub.scanner import cli as scanner
from os2hub.scanner import criteria as scanner_criteria
from os2hub.scanner.organisations import Organisations
from os2hub.scanner.targets import TargetError, parse_target
from os2hub.suppliers.selectors import verified_commit_domains

from . import labels, links, selectors, wording
from .getters import can_scan
from .models import Finding, Proposal, Scan

log = logging.getLogger(__name__)

# Name resolution for the target check; tests replace it, as they replace the scanner's clone.
_resolve = socket.getaddrinfo


def _stale_before():
    return timezone.now() - timedelta(minutes=settings.SCAN_STALE_MINUTES)


def fail_stale(*, product=None) -> int:
    """Scans queued or running for longer than SCAN_STALE_MINUTES lost their worker: mark them failed, so the
    repository can be scanned again. Returns how many."""
    scans = Scan.objects.filter(status__in=Scan.ACTIVE, created_at__lt=_stale_before())
    if product is not None:
        scans = scans.filter(product=product)
    error, template = wording.reason(wording.STALE)
    return scans.update(status=Scan.Status.FAILED, finished_at=timezone.now(), error=error, error_template=template)


def scan_request(*, product, user=None, repository=None) -> list[Scan]:
    """Queue a scan of one repository of the product (all of them when `repository` is None) and enqueue the
    task after the transaction commits. `user` None means the scheduler (scan_due). Raises TransitionConflict
    when a scan of the repository is already queued or running, ValidationError when there is nothing to scan."""
    if user is not None and not can_scan(user, product):
        raise PermissionDenied
    repositories = [repository] if repository is not None else list(product.repositories.all())
    if not repositories:
        raise ValidationError(_("The product has no repository to scan. Add its repository address first."))
    if repository is not None and repository.product_id != product.pk:
        raise ValidationError(_("That repository does not belong to the product."))
    fail_stale(product=product)
    created = []
    try:
        with transaction.atomic():
            for repo in repositories:
                if Scan.objects.filter(repository=repo, status__in=Scan.ACTIVE).exists():
                    raise TransitionConflict(_("A scan of %(url)s is already waiting or running.") % {"url": repo.url})
                created.append(
                    Scan.objects.create(
                        product=product,
                        repository=repo,
                        repository_url=repo.url,
                        requested_by=user if user is not None and user.is_authenticated else None,
                    )
                )
    except IntegrityError:
        # Someone started the same scan at the same moment (the partial unique constraint).
        raise TransitionConflict(_("A scan of this repository is already waiting or running.")) from None
    from .tasks import run_scan

    for scan in created:
        transaction.on_commit(lambda pk=scan.pk: run_scan.enqueue(pk))
    return created


def _scan_target(url: str, progress=None) -> dict:
    """Check the address and run the scanner (the clone has its own time and size limits). The partners'
    verified commit domains name the organisation behind commits (vendor-concentration): a partner that commits
    from an old and a new domain is one supplier, shown by its name."""
    target = parse_target(url, allowed_hosts=tuple(settings.SCANNER_ALLOWED_HOSTS), resolve=_resolve)
    organisations = Organisations(verified_commit_domains(), strict=False)
    return scanner.scan(target, progress=progress, organisations=organisations)


# A running scan writes its progress at most this often (seconds), and whenever its step changes: the checks
# take well under a second, so a write per check would only load the database.
PROGRESS_INTERVAL = 0.5
SCANNER_STEPS = {"fetch": Scan.Step.FETCH, "check": Scan.Step.CHECK, "checked": Scan.Step.STORE}


def progress_recorder(scan_id: int, *, clock=time.monotonic):
    """The scanner's progress callback for one scan: records the step, the check and how many of how many have
    run on the scan's row (only while it is running), so its page can show them. A failed write is logged and
    ignored: progress is never worth a scan."""
    last = {"at": None, "step": None}

    def record(step: str, done: int, total: int, check_id: str) -> None:
        step = SCANNER_STEPS.get(step)
        if step is None:
            return
        now = clock()
        if step == last["step"] and last["at"] is not None and now - last["at"] < PROGRESS_INTERVAL:
            return
        last.update(at=now, step=step)
        try:
            Scan.objects.filter(pk=scan_id, status=Scan.Status.RUNNING).update(
                step=step,
                checks_done=max(0, min(int(done), 32767)),
                checks_total=max(0, min(int(total), 32767)),
                current_check=str(check_id)[:40],
            )
        except Exception:  # noqa: BLE001
            log.warning("Could not record the progress of scan %s", scan_id, exc_info=True)

    return record


def scan_run(scan_id: int) -> Scan | None:
    """The task's body: run the scan once. A scan that is not queued (already run, or taken by another worker)
    is left alone. Every failure ends as a failed scan with the reason; nothing is raised."""
    claimed = Scan.objects.filter(pk=scan_id, status=Scan.Status.QUEUED).update(
        status=Scan.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    scan = Scan.objects.select_related("product").get(pk=scan_id)
    try:
        result = _scan_target(scan.repository_url, progress=progress_recorder(scan.pk))
    except TargetError as exc:
        return _fail(scan, str(exc), exc.text.as_data())
    except Exception:  # noqa: BLE001 - a scanner bug must end as a failed scan, not a lost task
        log.exception("Scan %s of %s stopped with an unexpected error", scan.pk, scan.repository_url)
        return _fail(scan, *wording.reason(wording.SCANNER_FAILED))
    try:
        with transaction.atomic():
            _store(scan, result)
            proposals_from_scan(scan)
    except Exception:  # noqa: BLE001
        log.exception("Storing scan %s failed", scan.pk)
        return _fail(scan, *wording.reason(wording.NOT_STORED))
    return scan


def scan_record(*, product, repository, result: dict, user=None) -> Scan:
    """Store a scan the scanner has already run elsewhere (its JSON result, as `os2hub-scan --format json`
    writes it) as a finished scan of the product's repository, with its proposals. The demo data uses it for a
    scan of OS2hub's own folder."""
    if repository.product_id != product.pk:
        raise ValidationError(_("That repository does not belong to the product."))
    with transaction.atomic():
        now = timezone.now()
        scan = Scan.objects.create(
            product=product,
            repository=repository,
            repository_url=repository.url,
            status=Scan.Status.RUNNING,
            started_at=now,
            requested_by=user,
        )
        _store(scan, result)
        proposals_from_scan(scan)
    return scan


def _fail(scan, reason: str, template: dict | None = None) -> Scan:
    """The scan failed: the reason in English and as a template (scans.wording), when there is one."""
    scan.status = Scan.Status.FAILED
    scan.error = reason[:2000]
    scan.error_template = template if template and len(reason) <= 2000 else {}
    scan.finished_at = timezone.now()
    scan.save(update_fields=["status", "error", "error_template", "finished_at"])
    return scan


def _store(scan, result: dict) -> None:
    scan.status = Scan.Status.DONE
    scan.commit = (result.get("commit") or "")[:64]
    scan.duration_ms = max(0, int(result.get("duration_ms") or 0))
    scan.finished_at = timezone.now()
    scan.save(update_fields=["status", "commit", "duration_ms", "finished_at"])
    Finding.objects.bulk_create(
        Finding(
            scan=scan,
            check_id=f["check"][:40],
            outcome=f["outcome"],
            criteria=list(f.get("criteria") or []),
            message=f.get("message") or "",
            template=_template(f.get("template")),
            evidence=[
                {k: v for k, v in e.items() if k in ("path", "line")}
                for e in (f.get("evidence") or [])
                if e.get("path")
            ],
            details=f.get("details") or {},
            position=n,
        )
        for n, f in enumerate(result.get("findings") or [])
    )


def _template(data) -> dict:
    """A finding's message template from the scanner's result (absent from a result written by the command line,
    whose JSON has the English message only): kept when it has the form of scanner.messages."""
    return data if isinstance(data, dict) and isinstance(data.get("template"), str) else {}


# --- Proposals ----------------------------------------------------------------------------------------------


def _fingerprint(answer: str, grounds: list[dict]) -> str:
    """What makes a proposal the same as the last one: its answer and the checks that decided it, with their
    outcomes. A check that was only considered may change its outcome without asking anyone again. Grounds of
    a proposal from before the weights have no `decided` key: each of them decided (as they did then), so an
    old proposal keeps the fingerprint it was stored with."""
    deciding = sorted((g["check"], g["outcome"]) for g in grounds if g.get("decided", True))
    raw = json.dumps([answer, deciding])
    return hashlib.sha256(raw.encode()).hexdigest()


def _same_as(latest, answer: str, grounds: list[dict], fingerprint: str) -> bool:
    """The new proposal says what `latest` said. A proposal stored before the weights counted every check it
    names as deciding; it is the same when the answer is and each check that decides now had the same outcome
    then, so the weights alone raise nothing new."""
    if latest.fingerprint == fingerprint:
        return True
    if any("decided" in g for g in latest.grounds):
        return False
    before = {(g.get("check"), g.get("outcome")) for g in latest.grounds}
    return latest.answer == answer and all((g["check"], g["outcome"]) in before for g in grounds if g["decided"])


def proposals_from_scan(scan) -> list[Proposal]:
    """One proposal per criterion the scan has evidence for, with the answer the scanner's weights suggest
    (scanner.criteria.propose: the decisive checks decide, supporting ones only when no decisive check could).
    Its grounds are every finding that counted, each marked `decided` or not. The same answer from the same
    deciding findings as the last proposal raises nothing new (an undecided one is brought up to the new
    commit); anything else replaces an undecided one and raises a new proposal, whatever was decided before. An
    answer is never written here."""
    assessment, rows = selectors.current_answers(scan.product)
    version = assessment.criteria_version if assessment else CriteriaVersion.current()
    if version is None:
        return []
    answers = {code: row.answer for code, row in rows.items()}
    known = set(version.criteria.values_list("code", flat=True))
    findings = {f.check_id: f for f in scan.findings.all()}
    suggested = scanner_criteria.propose(
        {"check": f.check_id, "outcome": f.outcome, "criteria": [c for c in f.criteria if c in known]}
        for f in findings.values()
    )
    raised = []
    for code, suggestion in sorted(suggested.items()):
        answer = suggestion.answer
        grounds = [
            {
                "check": f.check_id,
                "outcome": f.outcome,
                "message": f.message,
                "template": f.template,
                "evidence": f.evidence[:5],
                "decided": f.check_id in suggestion.decided_by,
            }
            for f in findings.values()
            if f.check_id in suggestion.decided_by or f.check_id in suggestion.considered
        ]
        fingerprint = _fingerprint(answer, grounds)
        latest = (
            Proposal.objects.select_for_update()
            .filter(product=scan.product, repository_url=scan.repository_url, criterion_code=code)
            .exclude(status=Proposal.Status.SUPERSEDED)
            .order_by("-created_at", "-pk")
            .first()
        )
        undecided = latest is not None and latest.status in (Proposal.Status.OPEN, Proposal.Status.MATCHED)
        if latest is not None and _same_as(latest, answer, grounds, fingerprint):
            if undecided:
                latest.scan, latest.grounds, latest.fingerprint = scan, grounds, fingerprint
                latest.save(update_fields=["scan", "grounds", "fingerprint"])
            continue
        if undecided:
            latest.status = Proposal.Status.SUPERSEDED
            latest.save(update_fields=["status"])
        raised.append(
            Proposal.objects.create(
                product=scan.product,
                repository_url=scan.repository_url,
                criterion_code=code,
                scan=scan,
                answer=answer,
                grounds=grounds,
                fingerprint=fingerprint,
                status=Proposal.Status.MATCHED if answers.get(code) == answer else Proposal.Status.OPEN,
            )
        )
    return raised


def _ground_said(ground: dict, *, outcome=False) -> str:
    """A ground as the documentation says it, in the current language: the check's name and what it found
    ("Purpose described: The README describes ..."), the outcome after the name when asked (a considered
    check may have passed or failed)."""
    text = wording.translated(ground.get("template"), ground.get("message", "")).rstrip(" .")
    name = labels.label(ground["check"])
    if outcome and ground.get("outcome") in Finding.Outcome.values:
        name = f"{name} ({Finding.Outcome(ground['outcome']).label})"
    return f"{name}: {text}"


def proposal_documentation(proposal) -> tuple[str, list[str]]:
    """The line added to the answer's documentation and the evidence links added to its links: the checks that
    decided the answer, then those also considered, with what each found (the evidence of the deciding ones
    first). The answer is written in the site's language (Danish), whoever accepts the proposal."""
    when = timezone.localdate(proposal.scan.finished_at or proposal.created_at).isoformat()
    decided = proposal.deciding_grounds()
    considered = proposal.considered_grounds()
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Suggested %(answer)s based on: %(grounds)s.") % {
            "answer": ANSWER_LABELS.get(proposal.answer, proposal.answer),
            "grounds": "; ".join(_ground_said(g) for g in decided),
        }
        if considered:
            summary += " " + _("Also considered: %(grounds)s.") % {
                "grounds": "; ".join(_ground_said(g, outcome=True) for g in considered)
            }
    line = f"os2hub-scan {when}, {proposal.repository_url} @ {proposal.scan.commit[:10]}: {summary}"
    urls = []
    for g in decided + considered:
        for e in g.get("evidence", []):
            url = links.file_url(proposal.repository_url, proposal.scan.commit, e["path"], e.get("line"))
            if url and url not in urls:
                urls.append(url)
    return line[:2000], urls[:5]


def _decide(proposal, user, status) -> Proposal:
    if not can_answer(user, proposal.product):
        raise PermissionDenied
    updated = Proposal.objects.filter(
        pk=proposal.pk, status__in=(Proposal.Status.OPEN, Proposal.Status.MATCHED)
    ).update(status=status, decided_by=user, decided_at=timezone.now())
    if not updated:
        raise TransitionConflict(_("This proposal has already been decided or replaced by a later scan."))
    proposal.refresh_from_db()
    return proposal


def proposal_accept(*, proposal, user) -> Proposal:
    """Put the suggested answer into the draft (started from the last submitted one if needed), and add the
    evidence to its documentation and links, keeping what is there. All or nothing."""
    with transaction.atomic():
        proposal = _decide(proposal, user, Proposal.Status.ACCEPTED)
        draft = governance.self_assessment_draft(product=proposal.product, user=user)
        row = (
            SelfAssessmentAnswer.objects.filter(self_assessment=draft, criterion__code=proposal.criterion_code)
            .only("answer", "documentation", "links")
            .first()
        )
        if row is None:
            raise ValidationError(
                _("%(id)s is not a criterion of the self-assessment's criteria version.")
                % {"id": proposal.criterion_code}
            )
        line, urls = proposal_documentation(proposal)
        documentation = row.documentation.rstrip()
        if line not in documentation:
            documentation = f"{documentation}\n\n{line}".strip()
        existing = [u.strip() for u in row.links.splitlines() if u.strip()]
        room = max(0, governance.MAX_LINKS - len(existing))
        links_text = "\n".join(existing + [u for u in urls if u not in existing][:room])
        governance.self_assessment_save(
            assessment=draft,
            user=user,
            answers={
                proposal.criterion_code: {
                    "answer": proposal.answer,
                    "documentation": documentation,
                    "links": links_text,
                }
            },
        )
    return proposal


def proposal_reject(*, proposal, user) -> Proposal:
    with transaction.atomic():
        return _decide(proposal, user, Proposal.Status.REJECTED)


# --- Scheduling ---------------------------------------------------------------------------------------------


def due_repositories(days: int):
    """Repositories of products whose last finished scan is older than `days` days, or that were never
    scanned, and that have no scan waiting or running."""
    from django.db.models import Exists, Max, OuterRef, Q

    from os2hub.products.models import Repository

    cutoff = timezone.now() - timedelta(days=days)
    active = Scan.objects.filter(repository=OuterRef("pk"), status__in=Scan.ACTIVE)
    return (
        Repository.objects.annotate(last=Max("scans__created_at", filter=Q(scans__status__in=["done", "failed"])))
        .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
        .exclude(Exists(active))
        .select_related("product")
        .order_by("last", "pk")
    )
