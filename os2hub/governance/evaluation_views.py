"""The secretariat's pages: evaluations (rating form, report page, Markdown report), the decision log form and
evaluation rounds. Published reports are public; everything else is the secretariat's and 404 for others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict
from os2hub.products.getters import get_product

from . import evidence, reports, selectors, services
from .evaluation_forms import DecisionForm, EvaluationForm, RoundForm
from .getters import can_evaluate, get_evaluation_for_user, get_product_for_evaluator, latest_published_evaluation
from .models import Evaluation, Round
from .workflow import EVALUATION, ROUND

# --- Evaluations ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def evaluation_start(request, slug):
    product = get_product_for_evaluator(request.user, slug)
    try:
        evaluation = services.evaluation_start(product=product, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("governance:level", slug=product.slug)
    return redirect("governance:evaluation_edit", slug=product.slug, pk=evaluation.pk)


def evaluation(request, slug, pk):
    product = get_product(slug)
    evaluation = _with_people(get_evaluation_for_user(request.user, product, pk))
    version = evaluation.criteria_version
    context = {
        "product": product,
        "evaluation": evaluation,
        "version": version,
        "computed_level": version.level_name(evaluation.computed_level),
        "recommended_level": version.level_name(evaluation.recommended_level),
        # The rating form (and its publish button) while the workflow lets this person rate the evaluation.
        "can_edit": EVALUATION.allowed("rate", evaluation, roles_for(request.user)),
        **selectors.evaluation_report(evaluation),
    }
    return render(request, "governance/evaluation.html", context)


def _with_people(evaluation):
    """The evaluation with its round, publisher and self-assessment in the same query."""
    return Evaluation.objects.select_related(
        "product", "criteria_version", "round", "published_by", "self_assessment"
    ).get(pk=evaluation.pk)


def _editable(request, slug, pk):
    product = get_product_for_evaluator(request.user, slug)
    evaluation = get_evaluation_for_user(request.user, product, pk, write=True)
    return product, _with_people(evaluation)


def _render_edit(request, product, evaluation, form, rows):
    version = evaluation.criteria_version
    # What the apps that read the product's code found (scans registers it; see evidence.py).
    found = evidence.evidence(product)
    for row in rows:
        row.evidence = found.get(row.criterion.code, [])
    themes = selectors.by_theme(version, rows)
    for section in themes:
        section.rows = form.bound_rows(section.rows)
    return render(
        request,
        "governance/evaluation_edit.html",
        {
            "product": product,
            "evaluation": evaluation,
            "version": version,
            "form": form,
            "themes": themes,
            "computed_level": version.level_name(evaluation.computed_level),
            "steps": EVALUATION.available(evaluation, roles_for(request.user)),
        },
    )


def _save(request, evaluation, form):
    """Save the posted form through the service (which raises ValidationError or TransitionConflict)."""
    return services.evaluation_save(
        evaluation=evaluation,
        user=request.user,
        ratings=form.ratings(),
        summary=form.cleaned_data["summary"],
        level=form.cleaned_data["level"],
        level_reason=form.cleaned_data["level_reason"],
    )


@login_required
def evaluation_edit(request, slug, pk):
    product, evaluation = _editable(request, slug, pk)
    rows = selectors.evaluation_rows(evaluation)
    form = EvaluationForm(request.POST or None, evaluation=evaluation, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, evaluation, form)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("governance:evaluation", slug=product.slug, pk=evaluation.pk)
        else:
            messages.success(request, _("The evaluation is saved. It is a draft until you publish it."))
            return redirect("governance:evaluation_edit", slug=product.slug, pk=evaluation.pk)
    return _render_edit(request, product, evaluation, form, rows)


@login_required
@require_POST
def evaluation_publish(request, slug, pk):
    """Publish. The publish button belongs to the rating form, so what is typed is saved first and nothing is
    lost; when the report cannot be published yet the form comes back with the missing parts marked."""
    product, evaluation = _editable(request, slug, pk)
    if not EVALUATION.allowed("publish", evaluation, roles_for(request.user)):
        raise Http404
    rows = selectors.evaluation_rows(evaluation)
    posted = "level" in request.POST
    form = (
        EvaluationForm(request.POST, evaluation=evaluation, rows=rows)
        if posted
        else EvaluationForm.stored(evaluation=evaluation, rows=rows)
    )
    saved = False
    if form.is_valid():
        try:
            if posted:
                evaluation = _save(request, evaluation, form)
                saved = True
            services.evaluation_publish(evaluation=evaluation, user=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("governance:evaluation", slug=product.slug, pk=evaluation.pk)
        else:
            messages.success(
                request, _("The evaluation is published. The coordinator and the steering group are told.")
            )
            return redirect("governance:evaluation", slug=product.slug, pk=evaluation.pk)
    # Show the computed level as it now stands (a successful save above may have changed it).
    evaluation = _with_people(evaluation)
    if form.errors:
        message = (
            _("Your changes are saved, but the evaluation cannot be published yet. Missing: %(missing)s.")
            if saved
            else _("The evaluation cannot be published yet. Missing: %(missing)s.")
        )
        messages.error(request, message % {"missing": _missing(form)})
    return _render_edit(request, product, evaluation, form, rows)


def _missing(form) -> str:
    """The criteria and parts that kept the report from being published, for the message at the top."""
    names = []
    for name in form.errors:
        if name.startswith(("rating_", "grounds_")):
            code = name.split("_", 1)[1]
            if code not in names:
                names.append(code)
        elif name in form.fields:
            names.append(str(form.fields[name].label).lower())
    return ", ".join(names) or _("see the errors below")


def evaluation_markdown(request, slug, pk):
    product = get_product(slug)
    evaluation = get_evaluation_for_user(request.user, product, pk)
    text = reports.evaluation_markdown(_with_people(evaluation))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    day = timezone.localdate(evaluation.published_at) if evaluation.published_at else timezone.localdate()
    response["Content-Disposition"] = (
        f'attachment; filename="governancerapport-{product.slug}-{day.isoformat()}'
        f'{"" if evaluation.is_published else "-kladde"}.md"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Decision log ---------------------------------------------------------------------------------------------


@login_required
def decision_create(request, slug):
    """A decision is public and permanent and sets the official level, so it is asked first: a valid form shows
    the decision as it will be published (level before and after, the text, the grounds) with a button that
    records it (confirm=yes) and one that goes back to change it (edit)."""
    product = get_product_for_evaluator(request.user, slug)
    evaluations = selectors.published_evaluations(product).select_related("criteria_version")
    latest = latest_published_evaluation(product)
    form = DecisionForm(request.POST or None, evaluations=evaluations, latest=latest)
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        data = form.decision_data()
        try:
            entry = services.decision_check(product=product, user=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            seen = request.POST.get("official_level_seen")
            if request.POST.get("confirm") == "yes" and seen == product.official_level:
                try:
                    services.decision_record(product=product, user=request.user, **data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request, _("The decision is recorded in the decision log and the official level is set.")
                    )
                    return redirect("governance:level", slug=product.slug)
            else:
                if request.POST.get("confirm") == "yes" and seen is not None:
                    # Someone recorded another decision while this one waited for confirmation.
                    messages.warning(
                        request,
                        _(
                            "The official level changed while you were confirming. "
                            "Check the decision and confirm again."
                        ),
                    )
                return render(
                    request,
                    "governance/decision_confirm.html",
                    {"product": product, "form": form, "entry": entry},
                )
    return render(
        request,
        "governance/decision_form.html",
        {
            "product": product,
            "form": form,
            "latest": latest,
            "latest_level": latest.criteria_version.level_name(latest.recommended_level) if latest else "",
        },
    )


# --- Rounds ---------------------------------------------------------------------------------------------------


def _require_evaluator(request):
    if not can_evaluate(request.user):
        raise Http404


def _round(request, pk) -> Round:
    _require_evaluator(request)
    return get_object_or_404(Round.objects.select_related("criteria_version"), pk=pk)


@login_required
def rounds(request):
    _require_evaluator(request)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.round_open(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The round “%(name)s” is open.") % {"name": new.name})
            return redirect("governance:round", pk=new.pk)
    return render(
        request,
        "governance/rounds.html",
        {
            "form": form,
            "rounds": Round.objects.select_related("criteria_version"),
            "open_round": Round.open_round(),
        },
    )


@login_required
def round_dashboard(request, pk):
    the_round = _round(request, pk)
    overview = selectors.round_overview(the_round, page_number=request.GET.get("side"))
    steps = ROUND.available(the_round, roles_for(request.user))
    return render(request, "governance/round.html", {"round": the_round, "overview": overview, "steps": steps})


@login_required
@require_POST
def round_remind(request, pk):
    the_round = _round(request, pk)
    try:
        count = services.round_remind(round=the_round, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "A reminder is sent to the coordinator of %(count)s product.",
                "Reminders are sent to the coordinators of %(count)s products.",
                count,
            )
            % {"count": count},
        )
    return redirect("governance:round", pk=the_round.pk)


@login_required
@require_POST
def round_close(request, pk):
    the_round = _round(request, pk)
    try:
        services.round_close(round=the_round, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The round “%(name)s” is closed.") % {"name": the_round.name})
    return redirect("governance:round", pk=the_round.pk)
