"""Pages for everyone and for those who answer for a product: the criteria, a product's level and its history,
the badge, the self-assessment (answer, import, export, submit) and the follow-or-explain register.
The secretariat's pages are in evaluation_views.py."""

from django.conf import settings
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

from . import evidence, levels, selectors, services
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
            "badge_url": settings.SITE_URL + reverse("governance:badge", args=[product.slug]),
            "page_url": settings.SITE_URL + reverse("governance:level", args=[product.slug]),
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
#
# The self-assessment is answered theme by theme: the overview (the self-assessment's own address) lists the
# themes with what is answered and what is missing, and each theme is a page with its own form and save. A save
# keeps what passes: the other answers of the theme are saved while a refused one (a bad link, someone else's
# save in between) stays on the page as typed, with its error beside it. Submitting is confirmed on a page of its
# own that lists what is not answered.

# The extra tag of a save's message: the theme page shows it at the top of its form (where the person is), not
# at the top of the page with the other messages.
SAVED = "self-assessment-saved"


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


def _draft(product) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT)
        .select_related("criteria_version")
        .first()
    )


def _version(draft, open_round):
    """The draft's criteria version; before there is a draft, the one the first save will start it with."""
    version = draft.criteria_version if draft else getattr(open_round, "criteria_version", None)
    version = version or CriteriaVersion.current()
    if version is None:
        raise Http404
    return version


def _answers(assessment):
    if assessment is None:
        return {}
    return {
        a.criterion.code: a
        for a in SelfAssessmentAnswer.objects.filter(self_assessment=assessment).select_related("criterion")
    }


def _report(version, criteria_list, answers):
    return levels.self_declared(version.level_keys, criteria_list, {code: a.answer for code, a in answers.items()})


def self_assessment(request, slug):
    """Those who answer for the product see the overview of its draft here; everyone else sees the latest
    submitted self-assessment."""
    product = get_product(slug)
    user = request.user
    answerer = can_answer(user, product)
    draft = _draft(product)
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
        # The one-page form of every criterion, from before the self-assessment was split by theme, posted from a
        # tab left open: its answers are saved as a theme's are.
        return _save_posted_criteria(request, product, draft)
    if answerer and draft is None:
        shown = visible_self_assessment(user, product)
        if shown is None:
            # Nothing yet: the themes of the current criteria; the first save starts the draft.
            return _overview(request, product, None)
        return _read_only(request, product, shown, answerer)
    if not answerer:
        shown = visible_self_assessment(user, product)
        if shown is None:
            raise Http404
        return _read_only(request, product, shown, answerer)
    return _overview(request, product, draft)


def _overview(request, product, draft):
    open_round = Round.open_round()
    version = _version(draft, open_round)
    criteria_list = services.criteria_of(version)
    answers = _answers(draft)
    progress = selectors.self_assessment_progress(version, criteria_list, answers)
    report = _report(version, criteria_list, answers) if draft else None
    proposals = evidence.open_proposals(request.user, product)
    return render(
        request,
        "governance/self_assessment_overview.html",
        {
            "product": product,
            "draft": draft,
            "version": version,
            "progress": progress,
            "total": len(criteria_list),
            "answered": sum(theme.answered for theme in progress),
            "report": report,
            "self_declared_name": version.level_name(report.level) if report and report.level else "",
            "open_round": open_round,
            "open_proposals": sum(len(items) for items in proposals.values()),
            "steps": _steps(request.user, product, draft),
        },
    )


def _save(request, product, draft, form):
    """Save the form's changed answers criterion by criterion: (the draft, the codes saved, the errors of those
    refused). The first save starts the draft; one that saves nothing because everything was refused leaves no
    draft behind. Raises TransitionConflict when the self-assessment was submitted meanwhile."""
    answers, expected = form.changes()
    with transaction.atomic():
        target = draft or services.self_assessment_draft(product=product, user=request.user)
        target, changed, errors = services.self_assessment_save_valid(
            assessment=target, user=request.user, answers=answers, expected=expected
        )
        if draft is None and errors and not changed:
            transaction.set_rollback(True)
            target = None
    return target, changed, errors


@login_required
def self_assessment_theme(request, slug, theme):
    """One theme's criteria with their own form and save."""
    product = get_product_for_assessor(request.user, slug)
    draft = _draft(product)
    if _answering_refused(request.user, product, draft):
        if request.method == "POST":
            messages.error(request, _("The self-assessment has been submitted and can no longer be changed."))
        return redirect("governance:self_assessment", product.slug)
    open_round = Round.open_round()
    version = _version(draft, open_round)
    criteria_list = services.criteria_of(version)
    theme_criteria = [c for c in criteria_list if c.theme == theme]
    if not theme_criteria:
        raise Http404
    url = reverse("governance:self_assessment_theme", args=[product.slug, theme])
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None, criteria=theme_criteria, answers=_answers(draft)
    )
    saved = 0
    if request.method == "POST" and form.is_valid():
        try:
            draft, changed, errors = _save(request, product, draft, form)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("governance:self_assessment", product.slug)
        name = version.theme_name(theme)
        if not errors:
            if changed:
                messages.success(
                    request,
                    _("Your answers in %(theme)s are saved. You can come back and go on later.") % {"theme": name},
                    extra_tags=SAVED,
                )
            else:
                messages.info(request, _("Nothing was changed."), extra_tags=SAVED)
            return redirect(url)
        saved = len(changed)
        form = form.after_save(changed)
        form.add_service_errors(errors)
    return _theme_page(request, product, draft, version, criteria_list, form, themes=[theme], action=url, saved=saved)


def _save_posted_criteria(request, product, draft):
    """Save the criteria a posted form carries (each with its base_ field), whichever themes they are in."""
    version = _version(draft, Round.open_round())
    criteria_list = services.criteria_of(version)
    posted = [c for c in criteria_list if f"base_{c.code}" in request.POST]
    if not posted:
        messages.info(request, _("Nothing was changed."))
        return redirect("governance:self_assessment", product.slug)
    form = SelfAssessmentForm(request.POST, criteria=posted, answers=_answers(draft))
    saved = 0
    if form.is_valid():
        try:
            draft, changed, errors = _save(request, product, draft, form)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("governance:self_assessment", product.slug)
        if not errors:
            if changed:
                messages.success(request, _("Your answers are saved. You can come back and go on later."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("governance:self_assessment", product.slug)
        saved = len(changed)
        form = form.after_save(changed)
        form.add_service_errors(errors)
    themes = list(dict.fromkeys(c.theme for c in posted))
    action = reverse("governance:self_assessment", args=[product.slug])
    return _theme_page(request, product, draft, version, criteria_list, form, themes=themes, action=action, saved=saved)


def _theme_page(request, product, draft, version, criteria_list, form, *, themes, action, saved=0):
    """The form of one theme (or, for a form from before the split, of the themes it carried)."""
    answers = _answers(draft)
    progress = selectors.self_assessment_progress(version, criteria_list, answers)
    shown = [theme for theme in progress if theme.key in themes]
    keys = [theme.key for theme in progress]
    current = shown[0] if len(shown) == 1 else None
    following = keys.index(current.key) + 1 if current else None
    # Answers suggested by the apps that read the product's code (scans registers them; see evidence.py).
    proposals = evidence.open_proposals(request.user, product)
    for criterion in form.criteria:
        criterion.level_label = version.level_name(criterion.level)
        criterion.proposals = [(p, ANSWER_LABELS.get(p.answer, p.answer)) for p in proposals.get(criterion.code, [])]
    groups = {}
    for group in form.groups():
        groups.setdefault(group[0].theme, []).append(group)
    practices = (
        list(Practice.objects.filter(product=product))
        if any(c.code in Practice.CRITERIA for c in form.criteria)
        else []
    )
    pending = list(messages.get_messages(request))
    return render(
        request,
        "governance/self_assessment_form.html",
        {
            "product": product,
            "draft": draft,
            "version": version,
            "form": form,
            "action": action,
            "sections": [(theme, groups.get(theme.key, [])) for theme in shown],
            "theme": current,
            "next_theme": progress[following] if following is not None and following < len(progress) else None,
            "saved": saved,
            # The save's message goes to the top of the form; the page's other messages stay where they are.
            "saved_messages": [m for m in pending if SAVED in m.extra_tags.split()],
            "messages": [m for m in pending if SAVED not in m.extra_tags.split()],
            "practices": practices,
            "practice_criteria": Practice.CRITERIA,
            "deviations_unexplained": sum(
                1 for p in practices if p.status == Practice.Status.DEVIATES and not p.explanation
            ),
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
def self_assessment_submit(request, slug):
    """Submitting cannot be undone, so it is asked first: GET is the confirmation page (what happens, and every
    criterion not answered, with links), and only its form (confirm=yes) submits."""
    product = get_product_for_assessor(request.user, slug)
    draft = _draft(product)
    if "submit" not in _steps(request.user, product, draft):
        messages.error(request, _("There is no draft to submit; it may have been submitted already."))
        return redirect("governance:self_assessment", product.slug)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            # A submit button from a page without the confirmation: ask first.
            return redirect("governance:self_assessment_submit", product.slug)
        try:
            services.self_assessment_submit(assessment=draft, user=request.user)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The self-assessment is submitted and locked. The secretariat has been told."))
        return redirect("governance:level", product.slug)
    version = draft.criteria_version
    criteria_list = services.criteria_of(version)
    answers = _answers(draft)
    progress = selectors.self_assessment_progress(version, criteria_list, answers)
    report = _report(version, criteria_list, answers)
    return render(
        request,
        "governance/self_assessment_submit.html",
        {
            "product": product,
            "draft": draft,
            "version": version,
            "progress": progress,
            "missing": selectors.unanswered(progress),
            "total": len(criteria_list),
            "report": report,
            "self_declared_name": version.level_name(report.level) if report.level else "",
        },
    )


@login_required
def self_assessment_import(request, slug):
    """The import form on a page of its own, so that a refused file's errors are at the top, where the form is."""
    product = get_product_for_assessor(request.user, slug)
    draft = _draft(product)
    if _answering_refused(request.user, product, draft):
        messages.error(
            request, _("The self-assessment has been submitted. Start a new one before you import a file into it.")
        )
        return redirect("governance:self_assessment", product.slug)
    import_form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and import_form.is_valid():
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
    return render(
        request,
        "governance/self_assessment_import.html",
        {"product": product, "draft": draft, "import_form": import_form},
    )


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
