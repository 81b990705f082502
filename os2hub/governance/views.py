"""Pages for everyone and for those who answer for a product: the criteria, a product's level and its history,
the badge, the self-assessment (answer, import, export, submit) and the follow-or-explain register.
The secretariat's pages are in evaluation_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict
from os2hub.products.getters import get_product

from . import evidence, levels, services
from .forms import ImportForm, PracticeForm, SelfAssessmentForm
from .getters import (
    can_answer,
    can_edit_practices,
    can_evaluate,
    get_product_for_assessor,
    latest_published_evaluation,
    latest_submitted,
    may_request_development,
    visible_evaluations,
    visible_self_assessment,
)
from .models import (
    ANSWER_LABELS,
    CriteriaVersion,
    Decision,
    GovernanceEvent,
    Practice,
    Round,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from .workflow import SELF_ASSESSMENT

HISTORY_LENGTH = 30


def _themes(version, criteria):
    """[(theme key, theme name, [criteria])] in the version's theme order."""
    by_theme = {}
    for criterion in criteria:
        by_theme.setdefault(criterion.theme, []).append(criterion)
    return [(t["key"], version.theme_name(t["key"]), by_theme.get(t["key"], [])) for t in version.themes]


# --- The criteria -------------------------------------------------------------------------------------------


def criteria(request):
    versions = list(CriteriaVersion.objects.all())
    wanted = request.GET.get("version")
    version = (
        next((v for v in versions if v.version == wanted), None) if wanted else (versions[0] if versions else None)
    )
    if version is None:
        raise Http404
    items = services.criteria_of(version)
    for item in items:
        item.level_label = version.level_name(item.level)
    level_order = {key: n for n, key in enumerate(version.level_keys)}
    themes = []
    for key, name, theme_criteria in _themes(version, items):
        themes.append((key, name, sorted(theme_criteria, key=lambda c: (level_order.get(c.level, 99), c.position))))
    counts = [
        (
            version.level_name(level),
            [sum(1 for c in items if c.level == level and c.theme == t["key"]) for t in version.themes],
            sum(1 for c in items if c.level == level and c.recommendation),
        )
        for level in version.level_keys
    ]
    return render(
        request,
        "governance/criteria.html",
        {
            "version": version,
            "versions": versions,
            "themes": themes,
            "theme_names": [version.theme_name(t["key"]) for t in version.themes],
            "counts": counts,
            "total": len(items),
        },
    )


# --- A product's level --------------------------------------------------------------------------------------


def level(request, slug):
    product = get_product(slug)
    user = request.user
    assessment = visible_self_assessment(user, product)
    version = assessment.criteria_version if assessment else CriteriaVersion.current()
    # One query for the answers with their criteria; the level, the progress and the blockers come from them.
    answer_rows = (
        list(SelfAssessmentAnswer.objects.filter(self_assessment=assessment).select_related("criterion"))
        if assessment
        else []
    )
    answers = {a.criterion.code: a for a in answer_rows}
    report = None
    if version is not None:
        criteria_list = (
            sorted((a.criterion for a in answer_rows), key=lambda c: c.position)
            if answer_rows
            else services.criteria_of(version)
        )
        report = levels.self_declared(
            version.level_keys, criteria_list, {code: a.answer for code, a in answers.items()}
        )
    evaluation = latest_published_evaluation(product)
    return render(
        request,
        "governance/level.html",
        {
            "product": product,
            "version": version,
            "assessment": assessment,
            "report": report,
            "progress": [(version.level_name(row.level), row) for row in report.progress] if report else [],
            "blockers": [(c, answers.get(c.code)) for c in report.blockers] if report else [],
            "evaluation": evaluation,
            "self_declared_name": version.level_name(report.level) if report and report.level else "",
            "next_level_name": version.level_name(report.next_level) if report and report.next_level else "",
            "evaluations": list(
                visible_evaluations(user, product).select_related("round", "criteria_version").order_by("-pk")
            ),
            "decisions": list(Decision.objects.filter(product=product).select_related("evaluation")),
            "history": list(_history(user, product)[:HISTORY_LENGTH]),
            "can_answer": can_answer(user, product),
            "can_evaluate": can_evaluate(user),
            # Development requests are filed by members of an authority or a supplier (not the secretariat's).
            "may_request": bool(report and report.blockers) and may_request_development(user),
            "badge_url": request.build_absolute_uri(reverse("governance:badge", args=[product.slug])),
            "page_url": request.build_absolute_uri(reverse("governance:level", args=[product.slug])),
        },
    )


# What everyone may see happen; drafts started are the business of those who work on them.
PUBLIC_EVENTS = (
    GovernanceEvent.Kind.SELF_ASSESSMENT_SUBMITTED,
    GovernanceEvent.Kind.EVALUATION_PUBLISHED,
    GovernanceEvent.Kind.DECISION_RECORDED,
)


def _history(user, product):
    events = GovernanceEvent.objects.filter(product=product).select_related("actor", "round")
    if not (can_answer(user, product) or can_evaluate(user)):
        events = events.filter(kind__in=PUBLIC_EVENTS)
    return events


BADGE_COLOURS = {"": "#5c5c5c", "sandkasse": "#8a4b00", "1": "#0059b3", "2": "#00703c", "3": "#5c2d91"}


def badge(request, slug):
    """An SVG badge with the official level, for READMEs and websites. Plain text only: no scripts, no links."""
    product = get_product(slug)
    key = product.official_level
    left = _("OS2 level")
    right = product.get_official_level_display() if key else _("none yet")
    # About 7 px per character at 11 px Verdana, plus padding; good enough for short labels.
    left_w, right_w = 7 * len(left) + 12, 7 * len(right) + 12
    width = left_w + right_w
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(left)}: {escape(right)}">'
        f"<title>{escape(left)}: {escape(right)}</title>"
        f'<rect width="{left_w}" height="20" fill="#333"/>'
        f'<rect x="{left_w}" width="{right_w}" height="20" fill="{BADGE_COLOURS.get(key, "#5c5c5c")}"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left_w / 2}" y="14">{escape(left)}</text>'
        f'<text x="{left_w + right_w / 2}" y="14">{escape(right)}</text>'
        "</g></svg>"
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    # Embedded on other sites (READMEs, municipal pages), so other origins may load it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- Self-assessment ----------------------------------------------------------------------------------------


def _steps(user, product, assessment) -> list[str]:
    """The workflow steps (workflow.SELF_ASSESSMENT) the person may take on the self-assessment now."""
    if assessment is None:
        return []
    assessment.product = product  # already loaded; the workflow asks who answers for it
    return SELF_ASSESSMENT.available(assessment, roles_for(user))


def _answering_refused(user, product, draft) -> bool:
    """Answers go into the draft; once the self-assessment is submitted there is none until someone starts the
    next one on purpose, so a form from before the submission is refused (as the API refuses it)."""
    current = draft or latest_submitted(product)
    return current is not None and "answer" not in _steps(user, product, current)


def self_assessment(request, slug):
    """Those who answer for the product fill in its draft here; everyone else sees the latest submitted one."""
    product = get_product(slug)
    user = request.user
    answerer = can_answer(user, product)
    draft = SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT).first()
    if request.method == "POST":
        if not answerer:
            raise Http404
        if request.POST.get("action") == "start":
            services.self_assessment_draft(product=product, user=user)
            messages.success(request, _("A new self-assessment is started from the last one."))
            return redirect("governance:self_assessment", product.slug)
        if _answering_refused(user, product, draft):
            # A form from before the submission: the answers are locked; a new one is started on purpose.
            messages.error(request, _("The self-assessment has been submitted and can no longer be changed."))
            return redirect("governance:self_assessment", product.slug)
    if answerer and draft is None and request.method == "GET":
        shown = visible_self_assessment(user, product)
        if shown is None:
            # Nothing yet: the form over the current criteria, stored on the first save.
            return _form_page(request, product, None)
        return _read_only(request, product, shown, answerer)
    if not answerer:
        shown = visible_self_assessment(user, product)
        if shown is None:
            raise Http404
        return _read_only(request, product, shown, answerer)
    return _form_page(request, product, draft)


def _answers(assessment):
    if assessment is None:
        return {}
    return {
        a.criterion.code: a
        for a in SelfAssessmentAnswer.objects.filter(self_assessment=assessment).select_related("criterion")
    }


def _form_page(request, product, draft, *, import_form=None):
    version = draft.criteria_version if draft else (getattr(Round.open_round(), "criteria_version", None))
    version = version or CriteriaVersion.current()
    if version is None:
        raise Http404
    criteria_list = services.criteria_of(version)
    # Answers suggested by the apps that read the product's code (scans registers them; see evidence.py).
    proposals = evidence.open_proposals(request.user, product)
    for criterion in criteria_list:
        criterion.level_label = version.level_name(criterion.level)
        criterion.proposals = [(p, ANSWER_LABELS.get(p.answer, p.answer)) for p in proposals.get(criterion.code, [])]
    answers = _answers(draft)
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" and import_form is None else None,
        criteria=criteria_list,
        answers=answers,
    )
    if request.method == "POST" and import_form is None and form.is_valid():
        changed, expected = form.changes()
        try:
            # The first save starts the draft; a refused save leaves no draft behind.
            with transaction.atomic():
                target = draft or services.self_assessment_draft(product=product, user=request.user)
                services.self_assessment_save(assessment=target, user=request.user, answers=changed, expected=expected)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("governance:self_assessment", product.slug)
        else:
            if changed:
                messages.success(request, _("Your answers are saved. You can come back and go on later."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(reverse("governance:self_assessment", args=[product.slug]) + "#answers")
    report = services.self_declared_report(draft) if draft else None
    groups = form.groups()
    by_theme = {}
    for group in groups:
        by_theme.setdefault(group[0].theme, []).append(group)
    themes = [(t["key"], version.theme_name(t["key"]), by_theme.get(t["key"], [])) for t in version.themes]
    practices = (
        list(Practice.objects.filter(product=product))
        if any(c.code in Practice.CRITERIA for c in criteria_list)
        else []
    )
    return render(
        request,
        "governance/self_assessment_form.html",
        {
            "product": product,
            "draft": draft,
            "version": version,
            "form": form,
            "themes": themes,
            "report": report,
            "self_declared_name": version.level_name(report.level) if report and report.level else "",
            "import_form": import_form or ImportForm(),
            "practices": practices,
            "practice_criteria": Practice.CRITERIA,
            "deviations_unexplained": sum(
                1 for p in practices if p.status == Practice.Status.DEVIATES and not p.explanation
            ),
            "open_round": Round.open_round(),
            "open_proposals": sum(len(items) for items in proposals.values()),
            "steps": _steps(request.user, product, draft),
        },
    )


def _read_only(request, product, assessment, answerer):
    version = assessment.criteria_version
    answers = _answers(assessment)
    themes = [
        (key, name, [(c, answers.get(c.code)) for c in items])
        for key, name, items in _themes(version, services.criteria_of(version))
    ]
    return render(
        request,
        "governance/self_assessment.html",
        {
            "product": product,
            "assessment": assessment,
            "version": version,
            "themes": themes,
            "report": services.self_declared_report(assessment),
            "can_answer": answerer,
            "open_proposals": sum(len(items) for items in evidence.open_proposals(request.user, product).values()),
        },
    )


@login_required
@require_POST
def self_assessment_submit(request, slug):
    product = get_product_for_assessor(request.user, slug)
    draft = SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT).first()
    if "submit" not in _steps(request.user, product, draft):
        messages.error(request, _("There is no draft to submit; it may have been submitted already."))
        return redirect("governance:self_assessment", product.slug)
    try:
        services.self_assessment_submit(assessment=draft, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The self-assessment is submitted and locked. The secretariat has been told."))
    return redirect("governance:level", product.slug)


@login_required
def self_assessment_import(request, slug):
    product = get_product_for_assessor(request.user, slug)
    if request.method != "POST":
        return redirect("governance:self_assessment", product.slug)
    import_form = ImportForm(request.POST, request.FILES)
    draft = SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT).first()
    if _answering_refused(request.user, product, draft):
        messages.error(
            request, _("The self-assessment has been submitted. Start a new one before you import a file into it.")
        )
        return redirect("governance:self_assessment", product.slug)
    if import_form.is_valid():
        try:
            services.self_assessment_import(
                product=product, user=request.user, data=import_form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                for error in errors:
                    import_form.add_error("file", f"{key}: {error}" if key not in ("file", "__all__") else error)
        except TransitionConflict as exc:
            import_form.add_error("file", str(exc))
        else:
            messages.success(
                request, _("The file is imported into the draft. Check the answers, then submit when you are ready.")
            )
            return redirect("governance:self_assessment", product.slug)
    return _form_page(request, product, draft, import_form=import_form)


def self_assessment_export(request, slug):
    product = get_product(slug)
    assessment = visible_self_assessment(request.user, product)
    if assessment is None:
        raise Http404
    response = JsonResponse(
        services.self_assessment_export(assessment), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="selvevaluering-{product.slug}.json"'
    return response


# --- Follow or explain --------------------------------------------------------------------------------------


def practices(request, slug):
    product = get_product(slug)
    editor = can_edit_practices(request.user, product)
    form = PracticeForm(request.POST or None) if editor else None
    if request.method == "POST":
        if not editor:
            raise Http404
        if form.is_valid():
            try:
                services.practice_save(product=product, user=request.user, data=form.practice_data())
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The register is updated."))
                return redirect("governance:practices", product.slug)
    return render(
        request,
        "governance/practices.html",
        {
            "product": product,
            "practices": list(Practice.objects.filter(product=product)),
            "form": form,
            "editor": editor,
        },
    )


def _add_errors(form, exc):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _practice_for_editor(request, slug, pk):
    product = get_product(slug)
    if not can_edit_practices(request.user, product):
        raise Http404
    practice = Practice.objects.filter(product=product, pk=pk).first()
    if practice is None:
        raise Http404
    return product, practice


@login_required
def practice_edit(request, slug, pk):
    product, practice = _practice_for_editor(request, slug, pk)
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_save(product=product, user=request.user, data=form.practice_data(), practice=practice)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The register is updated."))
            return redirect("governance:practices", product.slug)
    return render(request, "governance/practice_edit.html", {"product": product, "practice": practice, "form": form})


@login_required
@require_POST
def practice_delete(request, slug, pk):
    product, practice = _practice_for_editor(request, slug, pk)
    services.practice_delete(product=product, user=request.user, practice=practice)
    messages.success(request, _("%(name)s is removed from the register.") % {"name": practice.name})
    return redirect("governance:practices", product.slug)
