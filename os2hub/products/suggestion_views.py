"""Text suggestions for a product page: writing one (partners on the product, authorities using it), the
product's list, and one suggestion with its differences and the decision (the coordinator, the secretariat).
Thin: parse the request, call suggestions.py, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict

from . import selectors, suggestions, wiki
from .forms import SuggestionAcceptForm, SuggestionChoiceForm, SuggestionForm, SuggestionRejectForm
from .getters import (
    can_decide_suggestions,
    get_product,
    get_suggestion_for_user,
    suggestion_organisations,
)
from .models import Product, TextSuggestion
from .workflow import SUGGESTION_WORKFLOW

DECIDED_SHOWN = 30


@login_required
def suggestion_list(request, slug):
    """The deciders see what waits and what was decided lately; an author sees their own suggestions."""
    product = get_product(slug)
    user = request.user
    deciding = can_decide_suggestions(user, product)
    can_suggest = bool(suggestion_organisations(user, product))
    related = ("author", "organisation", "page", "decided_by")
    if deciding:
        waiting = list(selectors.text_suggestions_waiting(user, product).select_related(*related))
        decided = list(
            product.text_suggestions.exclude(status=TextSuggestion.Status.PENDING)
            .select_related(*related)
            .order_by("-decided_at", "-pk")[:DECIDED_SHOWN]
        )
    else:
        own = list(product.text_suggestions.filter(author=user).select_related(*related).order_by("-created_at"))
        if not own and not can_suggest:
            raise Http404
        waiting = [s for s in own if s.status == TextSuggestion.Status.PENDING]
        decided = [s for s in own if s.status != TextSuggestion.Status.PENDING]
    for suggestion in waiting + decided:
        suggestion.label = suggestions.label_of(suggestion)
    return render(
        request,
        "products/suggestions.html",
        {
            "product": product,
            "deciding": deciding,
            "can_suggest": can_suggest,
            "waiting": waiting,
            "decided": decided,
        },
    )


@login_required
def suggestion_new(request, slug):
    """Step one (no `text`): choose the text. Step two: write the new text against the current one."""
    product = get_product(slug)
    organisations = suggestion_organisations(request.user, product)
    if not organisations:
        raise PermissionDenied(
            _("Suppliers with a role on the product and authorities that use it can suggest changes to its texts.")
        )
    choices = suggestions.text_choices(product)
    key = request.POST.get("text") if request.method == "POST" else request.GET.get("text")
    if not key:
        return render(
            request,
            "products/suggestion_new.html",
            {"product": product, "choice_form": SuggestionChoiceForm(choices=choices)},
        )
    try:
        field, page = suggestions.resolve(product, key)
    except ValidationError as exc:
        choice_form = SuggestionChoiceForm({"text": key}, choices=choices)
        choice_form.is_valid()
        choice_form.errors.pop("text", None)  # the service's message says what to do
        add_service_errors(choice_form, exc)
        return render(request, "products/suggestion_new.html", {"product": product, "choice_form": choice_form})
    current = suggestions.current_text(product, field, page)
    form_args = {
        "organisations": organisations,
        "single_line": field == "summary",
        "limit": Product._meta.get_field("summary").max_length if field == "summary" else None,
    }
    changed = None
    if request.method == "POST":
        form = SuggestionForm(request.POST, **form_args)
        if form.is_valid():
            try:
                suggestion = suggestions.suggestion_create(
                    product=product,
                    user=request.user,
                    key=key,
                    base_fingerprint=form.cleaned_data["base"],
                    proposed_text=form.cleaned_data["proposed_text"],
                    comment=form.cleaned_data["comment"],
                    organisation=form.cleaned_data.get("organisation"),
                )
            except suggestions.TextChanged as exc:
                # Keep the author's text and base the form on the text as it is now: sending again after
                # looking at the differences is a deliberate choice.
                changed = exc.current
                data = request.POST.copy()
                data["base"] = suggestions.fingerprint(changed)
                form = SuggestionForm(data, **form_args)
                form.is_valid()
                form.add_error(None, str(exc))
                current = changed
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your suggestion is sent to the coordinator. You get an e-mail when it is decided."),
                )
                return redirect(suggestion.get_absolute_url())
    else:
        form = SuggestionForm(
            initial={"text": key, "base": suggestions.fingerprint(current), "proposed_text": current}, **form_args
        )
    label = dict(choices).get(key, key)
    return render(
        request,
        "products/suggestion_new.html",
        {
            "product": product,
            "form": form,
            "label": label,
            "current": current,
            "changed_rows": wiki.diff_lines(current, form.data.get("proposed_text", ""))
            if changed is not None
            else None,
        },
    )


def _detail(request, product, suggestion, *, reject_form=None, stale_error=""):
    user = request.user
    roles = roles_for(user)
    steps = SUGGESTION_WORKFLOW.available(suggestion, roles)
    current = suggestions.current_text(product, suggestion.field, suggestion.page)
    stale = suggestion.status == TextSuggestion.Status.PENDING and suggestions.is_stale(suggestion, current)
    return render(
        request,
        "products/suggestion.html",
        {
            "product": product,
            "suggestion": suggestion,
            "label": suggestions.label_of(suggestion),
            "rows": wiki.diff_lines(suggestion.base_text, suggestion.proposed_text),
            "stale": stale,
            "stale_error": stale_error,
            "current_rows": wiki.diff_lines(current, suggestion.proposed_text) if stale else None,
            "can_accept": "accept" in steps,
            "can_reject": "reject" in steps,
            "accept_form": SuggestionAcceptForm(initial={"seen": suggestions.fingerprint(current)}),
            "reject_form": reject_form or SuggestionRejectForm(),
            "markdown": suggestion.field != "summary",
        },
    )


@login_required
def suggestion_detail(request, slug, pk):
    product = get_product(slug)
    suggestion = get_suggestion_for_user(request.user, product, pk)
    return _detail(request, product, suggestion)


@login_required
@require_POST
def suggestion_decide(request, slug, pk):
    product = get_product(slug)
    suggestion = get_suggestion_for_user(request.user, product, pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        messages.error(request, _("Choose to accept or reject the suggestion."))
        return redirect(suggestion.get_absolute_url())
    if not SUGGESTION_WORKFLOW.allowed(decision, suggestion, roles_for(request.user)):
        if not can_decide_suggestions(request.user, product):
            raise PermissionDenied
        messages.error(
            request,
            _("The suggestion has been decided already (%(status)s).")
            % {"status": suggestion.get_status_display().lower()},
        )
        return redirect(suggestion.get_absolute_url())
    try:
        if decision == "accept":
            form = SuggestionAcceptForm(request.POST)
            seen = form.cleaned_data["seen"] if form.is_valid() else ""
            suggestions.suggestion_accept(suggestion=suggestion, user=request.user, seen_fingerprint=seen)
            messages.success(
                request,
                _("The suggestion is accepted: %(text)s is updated and the author is told by e-mail.")
                % {"text": suggestions.label_of(suggestion)},
            )
        else:
            form = SuggestionRejectForm(request.POST)
            if not form.is_valid():
                return _detail(request, product, suggestion, reject_form=form)
            suggestions.suggestion_reject(suggestion=suggestion, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The suggestion is rejected; the author is told by e-mail."))
    except suggestions.StaleSuggestion as exc:
        suggestion.refresh_from_db()
        return _detail(request, product, suggestion, stale_error=str(exc))
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        if decision == "reject":
            add_service_errors(form, exc)
            return _detail(request, product, suggestion, reject_form=form)
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("products:suggestions", args=[product.slug]))
