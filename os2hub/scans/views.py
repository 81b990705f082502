"""Pages of the scans: a product's evidence from its code (public), starting a scan, and the proposals on the
self-assessment that those who answer accept or reject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core import charts
from os2hub.core.htmx import wants_fragment
from os2hub.core.workflow import TransitionConflict
from os2hub.governance.getters import get_product_for_assessor
from os2hub.governance.models import ANSWER_LABELS, CriteriaVersion
from os2hub.products.getters import get_product

from . import labels, selectors, services
from .getters import can_scan
from .models import Finding, Proposal, Scan


def _decorate(scan):
    for finding in scan.findings.all():
        finding.scan = scan
        finding.label = labels.label(finding.check_id)
        finding.description = labels.description(finding.check_id)
        finding.links = finding.evidence_links()
        finding.chart = _commit_shares(finding)
    scan.summary = selectors.summary(scan)
    return scan


def _commit_shares(finding):
    """For the vendor concentration check: the commits per organisation as a segmented bar (core.charts), the
    largest organisations and the others together; None for other checks or when nothing could be judged."""
    details = finding.details if isinstance(finding.details, dict) else {}
    if finding.check_id != "vendor-concentration" or not details.get("top_organisation"):
        return None
    commits = details.get("commits") or 0
    largest = details.get("by_organisation")
    if not isinstance(largest, list):  # a scan from before the scanner listed the largest ones
        top_share = details.get("top_share") or 0
        largest = [[details["top_organisation"], round(commits * top_share)]]
    pairs = [(str(item[0]), item[1]) for item in largest if isinstance(item, list | tuple) and len(item) == 2]
    return charts.segments(charts.top_with_rest(pairs, keep=5, rest_label=_("Other organisations"), total=commits))


def _progress(scan):
    """A waiting or running scan with what its page shows of its progress (scans/_progress.html)."""
    scan.check_label = labels.label(scan.current_check) if scan.current_check else ""
    scan.step_label = Scan.Step(scan.current_step).label if scan.is_active else ""
    scan.chart = charts.progress(scan.checks_done, scan.checks_total)
    return scan


def _no_store(response):
    """While a scan runs, its page changes every second: keep it out of the anonymous page cache and the
    browser's cache, so polling shows the progress and not a copy."""
    patch_cache_control(response, no_store=True, private=True)
    return response


def product_scans(request, slug):
    product = get_product(slug)
    done = [_decorate(scan) for scan in selectors.latest_done(product)]
    done_ids = {scan.pk for scan in done}
    # The latest scan of a repository when it is newer than its latest finished one.
    pending = [_progress(s) for s in selectors.latest_any(product) if s.pk not in done_ids]
    polling = any(s.is_active for s in pending)
    context = {
        "product": product,
        "done": done,
        "pending": pending,
        # While a scan waits or runs, htmx asks for the progress again every two seconds until it is over, then
        # shows the findings (without JavaScript, the page offers a link to itself).
        "polling": polling,
        "fragment": wants_fragment(request),
    }
    if context["fragment"]:
        response = render(request, "scans/product_scans.html#results", context)
        return _no_store(response) if polling else response
    response = render(
        request,
        "scans/product_scans.html",
        context
        | {
            "history": selectors.history(product),
            "repositories": list(product.repositories.all()),
            "can_scan": can_scan(request.user, product),
            "open_proposals": selectors.visible_proposals(request.user, product, selectors.PENDING).count(),
        },
    )
    return _no_store(response) if polling else response


def scan_detail(request, slug, pk):
    product = get_product(slug)
    scan = selectors.get_scan(pk)
    if scan.product_id != product.pk:
        raise Http404
    scan = _progress(_decorate(scan))
    context = {"product": product, "scan": scan, "polling": scan.is_active, "fragment": wants_fragment(request)}
    # htmx polls the scan's state while it waits or runs: the fragment, until the findings replace it.
    response = render(
        request, "scans/scan_detail.html#state" if context["fragment"] else "scans/scan_detail.html", context
    )
    return _no_store(response) if scan.is_active else response


@login_required
@require_POST
def scan_start(request, slug):
    product = get_product_for_assessor(request.user, slug)
    repository = None
    wanted = request.POST.get("repository", "")
    if wanted:
        repository = product.repositories.filter(pk=wanted).first() if wanted.isdigit() else None
        if repository is None:
            raise Http404
    try:
        scans = services.scan_request(product=product, user=request.user, repository=repository)
    except (TransitionConflict, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        # With the immediate backend the scans have run by now; with a worker they wait in the queue.
        scans = list(Scan.objects.filter(pk__in=[s.pk for s in scans]))
        failed = [s for s in scans if s.status == Scan.Status.FAILED]
        if failed:
            messages.error(
                request,
                _("The scan of %(url)s failed: %(reason)s")
                % {"url": failed[0].repository_url, "reason": failed[0].error_text},
            )
        elif all(s.status == Scan.Status.DONE for s in scans):
            messages.success(request, _("The scan is done. The findings are below."))
        else:
            messages.info(
                request, _("The scan is queued. Its progress is shown below, and the findings when it is done.")
            )
    return redirect(reverse("scans:product", args=[product.slug]))


@login_required
def proposals(request, slug):
    product = get_product_for_assessor(request.user, slug)
    assessment, answers = selectors.current_answers(product)
    version = assessment.criteria_version if assessment else CriteriaVersion.current()
    criteria = {c.code: c for c in version.criteria.all()} if version else {}
    items = list(selectors.visible_proposals(request.user, product).order_by("criterion_code", "-created_at"))
    for proposal in items:
        proposal.criterion = criteria.get(proposal.criterion_code)
        proposal.current = answers.get(proposal.criterion_code)
        proposal.answer_label = ANSWER_LABELS.get(proposal.answer, proposal.answer)
        proposal.current_label = (
            ANSWER_LABELS.get(proposal.current.answer, "") if proposal.current and proposal.current.answer else ""
        )
        proposal.links_grounds = proposal.grounds_with_links()
        for ground in proposal.links_grounds:
            ground["label"] = labels.label(ground["check"])
            ground["outcome_label"] = Finding.Outcome(ground["outcome"]).label
    return render(
        request,
        "scans/proposals.html",
        {
            "product": product,
            "assessment": assessment,
            "open": [p for p in items if p.status == Proposal.Status.OPEN],
            "matched": [p for p in items if p.status == Proposal.Status.MATCHED],
            "decided": [p for p in items if p.status in (Proposal.Status.ACCEPTED, Proposal.Status.REJECTED)][:30],
        },
    )


@login_required
@require_POST
def proposal_decide(request, slug, pk):
    product = get_product_for_assessor(request.user, slug)
    proposal = selectors.get_proposal_for_answerer(request.user, product, pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        messages.error(request, _("Choose to accept or reject the proposal."))
        return redirect("scans:proposals", product.slug)
    try:
        if decision == "accept":
            services.proposal_accept(proposal=proposal, user=request.user)
            messages.success(
                request,
                _("%(id)s is now answered %(answer)s in the draft, with the evidence in its documentation.")
                % {"id": proposal.criterion_code, "answer": ANSWER_LABELS.get(proposal.answer, proposal.answer)},
            )
        else:
            services.proposal_reject(proposal=proposal, user=request.user)
            messages.success(request, _("The proposal for %(id)s is rejected.") % {"id": proposal.criterion_code})
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect(reverse("scans:proposals", args=[product.slug]) + "#open")
