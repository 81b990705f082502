"""Pages for needs, pitches, calls for suppliers and their offers, donations, and the opportunities dashboard.
The views parse and render; the services decide and check again (rule 1). A step that no longer fits
(TransitionConflict) or is not allowed (PermissionDenied with a reason) is told as a message, never a 500."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from os2hub.accounts.models import Organisation
from os2hub.core.forms import add_service_errors
from os2hub.core.htmx import wants_fragment
from os2hub.core.workflow import TransitionConflict
from os2hub.products.models import Product

from . import getters, selectors, services
from . import workflow as steps
from .forms import (
    AwardForm,
    CallFilterForm,
    CallForm,
    CommentForm,
    CoSignForm,
    DonationForm,
    NeedFilterForm,
    NeedForm,
    OfferForm,
    PitchForm,
    ProductChoiceForm,
    TenderForm,
)
from .models import Donation, Pitch

PAGE_SIZE = 25
LONG_NEED_FIELDS = ("problem", "who_has_it", "current_solutions", "desired_outcome")


def _refusal(request, exc) -> None:
    """A PermissionDenied with a reason, or a TransitionConflict, as an error message."""
    text = str(exc) or _("You cannot do that.")
    messages.error(request, text)


# --- Needs ------------------------------------------------------------------------------------------------------


def need_list(request):
    form = NeedFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    needs = selectors.need_list(
        user=request.user,
        q=filters.get("q"),
        status=filters.get("status"),
        category=filters.get("category") or None,
        min_cosigners=filters.get("cosigners") or None,
        sort=filters.get("sort"),
    ).defer(*LONG_NEED_FIELDS)
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("side"))
    context = {
        "form": form,
        "page": page,
        "can_post": bool(getters.user_organisations(request.user, Organisation.Kind.AUTHORITY)),
    }
    template = "needs/list.html"
    return render(request, f"{template}#results" if wants_fragment(request) else template, context)


@login_required
def need_new(request):
    organisations = getters.user_organisations(request.user, Organisation.Kind.AUTHORITY)
    if not organisations:
        messages.error(request, _("Needs are posted by members of an authority. Suppliers pitch solutions instead."))
        return redirect("needs:list")
    form = NeedForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(
                user=request.user,
                organisation=form.chosen(),
                data=form.need_data(),
                category=form.cleaned_data.get("category"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need is posted. Other authorities can now co-sign it."))
            return redirect("needs:detail", need.pk)
    return render(request, "needs/need_form.html", {"form": form, "need": None})


@login_required
def need_edit(request, pk):
    need = getters.get_need(pk)
    if not getters.is_need_owner(request.user, need) or not need.is_open:
        raise Http404
    initial = {
        **{f: getattr(need, f) for f in ("title", "problem", "who_has_it", "current_solutions", "desired_outcome")},
        "rough_value": need.rough_value,
        "category": need.category.slug if need.category else "",
    }
    form = NeedForm(request.POST or None, initial=initial, organisations=[need.organisation])
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(
                need=need, user=request.user, data=form.need_data(), category=form.cleaned_data.get("category")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            _refusal(request, exc)
            return redirect("needs:detail", need.pk)
        else:
            messages.success(request, _("The need is saved."))
            return redirect("needs:detail", need.pk)
    return render(request, "needs/need_form.html", {"form": form, "need": need})


def _need_forms(request, need, allowed, bound=None, bound_name=""):
    """The forms of the steps the table allows the viewer now (and the posted one, with its errors)."""
    user = request.user
    forms = {}
    if steps.COSIGN in allowed:
        forms["cosign"] = CoSignForm(organisations=getters.organisations(getters.cosign_organisation_ids(user, need)))
    if steps.CLARIFY in allowed:
        forms["clarify"] = CommentForm(prefix_id="clarify")
    if steps.TO_PRODUCT in allowed:
        forms["to_product"] = ProductChoiceForm(prefix_id="to_product")
    if steps.TO_TENDER in allowed:
        forms["to_tender"] = TenderForm()
    if steps.TO_REQUEST in allowed:
        forms["to_request"] = ProductChoiceForm(prefix_id="to_request")
    if steps.CLOSE in allowed:
        forms["close"] = CommentForm(prefix_id="close", required=True)
    if bound is not None:
        forms[bound_name] = bound
    return forms


def need_detail(request, pk, bound=None, bound_name=""):
    need = getters.get_need(pk)
    user = request.user
    allowed = steps.available(need, user)
    context = {
        "need": need,
        "steps": allowed,
        "forms": _need_forms(request, need, allowed, bound, bound_name),
        "cosigned_as": (set(getters.cosigned_organisation_ids(user, need)) if steps.UNCOSIGN in allowed else set()),
        "can_edit": need.is_open and getters.is_need_owner(user, need),
        "can_pitch": need.is_open and bool(getters.partner_ids(user)),
        "can_call": need.is_open and getters.is_need_steward(user, need),
        "error_form": bound if bound is not None and bound.errors else None,
        "cosigns": list(need.cosigns.select_related("organisation")),
        "pitches": list(need.pitches.select_related("supplier")),
        "calls": list(need.calls.all()),
        "events": list(need.events.select_related("actor")),
        "followers": need.follows.count(),
    }
    return render(request, "needs/detail.html", context)


@login_required
@require_POST
def need_step(request, pk, step):
    if step not in steps.NEED_WORKFLOW:
        raise Http404
    need = getters.get_need(pk)
    user = request.user
    form_name = step.replace("-", "_")
    form = None
    organisation = None
    if step == steps.UNCOSIGN:
        organisation = Organisation.objects.filter(slug=request.POST.get("organisation", "")).first()
        if organisation is None:
            raise Http404
    try:
        # The table decides whether the step is the viewer's to take now; the service decides again as it writes.
        steps.check(step, need, user, **({"organisation": organisation} if organisation else {}))
        if step == steps.FOLLOW:
            services.need_follow(need=need, user=user)
            messages.success(request, _("You follow the need and get an e-mail when it moves."))
        elif step == steps.UNFOLLOW:
            services.need_unfollow(need=need, user=user)
            messages.success(request, _("You no longer follow the need."))
        elif step == steps.UNCOSIGN:
            services.need_uncosign(need=need, user=user, organisation=organisation)
            messages.success(request, _("The co-signature is withdrawn."))
        elif step == steps.COSIGN:
            choices = getters.organisations(getters.cosign_organisation_ids(user, need))
            form = CoSignForm(request.POST, organisations=choices)
            if not form.is_valid():
                return need_detail(request, pk, bound=form, bound_name=form_name)
            services.need_cosign(need=need, user=user, organisation=form.chosen(), note=form.cleaned_data["note"])
            messages.success(request, _("Your authority has co-signed the need."))
        elif step in (steps.CLARIFY, steps.CLOSE):
            form = CommentForm(request.POST, prefix_id=form_name, required=step == steps.CLOSE)
            if not form.is_valid():
                return need_detail(request, pk, bound=form, bound_name=form_name)
            action = services.need_clarify if step == steps.CLARIFY else services.need_close
            need = action(need=need, user=user, comment=form.cleaned_data["comment"])
            messages.success(request, _("The need is now: %(status)s.") % {"status": need.get_status_display()})
        elif step in (steps.TO_PRODUCT, steps.TO_REQUEST):
            form = ProductChoiceForm(request.POST, prefix_id=form_name)
            if not form.is_valid():
                return need_detail(request, pk, bound=form, bound_name=form_name)
            action = services.need_to_product if step == steps.TO_PRODUCT else services.need_to_request
            need = action(need=need, user=user, product=form.chosen_product(), comment=form.cleaned_data["comment"])
            if step == steps.TO_REQUEST:
                messages.success(
                    request, _("A draft development request is made from the need. Complete it and submit it.")
                )
                return redirect("development:edit", need.development_request_id)
            messages.success(request, _("The need is now: %(status)s.") % {"status": need.get_status_display()})
        elif step == steps.TO_TENDER:
            form = TenderForm(request.POST)
            if not form.is_valid():
                return need_detail(request, pk, bound=form, bound_name=form_name)
            need = services.need_to_tender(
                need=need, user=user, tender_url=form.cleaned_data["tender_url"], comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("The need is now: %(status)s.") % {"status": need.get_status_display()})
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            add_service_errors(form, exc)
            return need_detail(request, pk, bound=form, bound_name=form_name)
    except (TransitionConflict, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect("needs:detail", need.pk)


# --- Pitches ----------------------------------------------------------------------------------------------------


def pitch_list(request):
    pitches = Pitch.objects.select_related("supplier", "need")
    only = request.GET.get("marked") == "1"
    if only:
        pitches = pitches.filter(marked_for_meeting_at__isnull=False)
    page = Paginator(pitches, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "needs/pitches.html",
        {
            "page": page,
            "marked_only": only,
            "can_pitch": bool(getters.partner_ids(request.user)),
            "can_mark": getters.can_mark_pitches(request.user),
        },
    )


@login_required
def pitch_new(request):
    suppliers = getters.organisations(getters.partner_ids(request.user))
    if not suppliers:
        messages.error(request, _("Only approved supplier partners pitch solutions."))
        return redirect("needs:pitches")
    need = None
    need_id = request.POST.get("need") or request.GET.get("need")
    if need_id:
        if not str(need_id).isdigit():
            raise Http404
        need = getters.get_need(need_id)
    form = PitchForm(request.POST or None, suppliers=suppliers)
    if request.method == "POST" and form.is_valid():
        try:
            services.pitch_create(user=request.user, supplier=form.chosen(), need=need, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (TransitionConflict, PermissionDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Your pitch is published."))
            return redirect("needs:detail", need.pk) if need else redirect("needs:pitches")
    return render(request, "needs/pitch_form.html", {"form": form, "need": need})


@login_required
@require_POST
def pitch_mark(request, pk):
    pitch = getters.get_pitch(pk)
    try:
        services.pitch_mark_for_meeting(pitch=pitch, user=request.user)
    except TransitionConflict as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The pitch is marked for a community meeting; the supplier is told."))
    return redirect(reverse("needs:pitches") + f"#pitch-{pitch.pk}")


# --- Calls and offers -------------------------------------------------------------------------------------------


def call_list(request):
    form = CallFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    calls = selectors.call_list(
        user=request.user,
        kind=filters.get("kind"),
        status=filters.get("status"),
        product=filters.get("product") or None,
    )
    page = Paginator(calls.defer("description"), PAGE_SIZE).get_page(request.GET.get("side"))
    template = "needs/calls.html"
    return render(request, f"{template}#results" if wants_fragment(request) else template, {"form": form, "page": page})


def _call_target(request):
    """The product (?product=slug) or the need (?need=id) the call is for."""
    slug = request.POST.get("product") or request.GET.get("product")
    need_id = request.POST.get("need") or request.GET.get("need")
    product = Product.objects.filter(slug=slug).first() if slug else None
    need = None
    if need_id:
        if not str(need_id).isdigit():
            raise Http404
        need = getters.get_need(need_id)
    if product is None and need is None:
        raise Http404
    return product, need


@login_required
def call_new(request):
    product, need = _call_target(request)
    callers = services.caller_choices(request.user, product)
    if not callers:
        messages.error(request, _("Calls are made by a coordination group, the secretariat or an authority."))
        return redirect(product.get_absolute_url() if product else reverse("needs:detail", args=[need.pk]))
    form = CallForm(request.POST or None, callers=callers)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                user=request.user,
                data=form.call_data(),
                caller=form.cleaned_data.get("caller", ""),
                product=product,
                need=need,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (TransitionConflict, PermissionDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The call is published. Matching supplier partners can now make offers."))
            return redirect("needs:call", call.pk)
    return render(request, "needs/call_form.html", {"form": form, "product": product, "need": need})


def call_detail(request, pk, offer_form=None, award_form=None):
    call = getters.get_call(pk)
    user = request.user
    offers = list(getters.visible_offers(user, call))
    allowed = steps.available(call, user)
    suppliers = getters.organisations(getters.offering_ids(user, call)) if steps.OFFER in allowed else []
    own = {o.supplier_id: o for o in offers if o.supplier_id in {s.pk for s in suppliers}}
    if offer_form is None and suppliers:
        first = own.get(suppliers[0].pk)
        initial = (
            {"price_dkk": first.fixed_price_dkk, "hours": first.hours, "approach": first.approach, "team": first.team}
            if first
            else None
        )
        offer_form = OfferForm(initial=initial, suppliers=suppliers)
    if award_form is None and steps.AWARD in allowed:
        award_form = AwardForm(offers=offers)
    context = {
        "call": call,
        "offers": offers,
        "sees_all": getters.can_see_all_offers(user, call),
        "offers_open": steps.offers_open(call),
        "offer_form": offer_form,
        "award_form": award_form,
        "has_offered": bool(own),
        "can_cancel": steps.CANCEL in allowed,
        "error_form": next((f for f in (offer_form, award_form) if f is not None and f.is_bound and f.errors), None),
    }
    return render(request, "needs/call.html", context)


@login_required
@require_POST
def offer_save(request, pk):
    call = getters.get_call(pk)
    try:
        steps.check(steps.OFFER, call, request.user)
    except (TransitionConflict, PermissionDenied) as exc:
        _refusal(request, exc)
        return redirect("needs:call", call.pk)
    form = OfferForm(request.POST, suppliers=getters.organisations(getters.offering_ids(request.user, call)))
    if not form.is_valid():
        return call_detail(request, pk, offer_form=form)
    try:
        services.offer_save(call=call, user=request.user, supplier=form.chosen(), data=form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return call_detail(request, pk, offer_form=form)
    except (TransitionConflict, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Your offer is saved. Only the caller and the secretariat can see it."))
    return redirect("needs:call", call.pk)


def _offers_seen(offers) -> str:
    """A short fingerprint of the offers as the award's confirmation showed them (a new or changed offer after
    that changes it)."""
    seen = ";".join(f"{o.pk}@{o.updated_at.isoformat()}" for o in sorted(offers, key=lambda o: o.pk))
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


@login_required
@require_http_methods(["GET", "POST"])
def call_award(request, pk):
    """An award cannot be undone, so it is asked first: the call page's award form (GET, the chosen offer) leads
    here, to a page that says what the award does and, while the deadline has not passed, that offers may still
    come and until when, with the form that awards (POST, confirm=yes). A POST without it shows the same page."""
    call = getters.get_call(pk)
    refused = steps.refusal(steps.AWARD, call, request.user)
    if isinstance(refused, PermissionDenied):
        raise refused
    if isinstance(refused, TransitionConflict):
        _refusal(request, refused)
        return redirect("needs:call", call.pk)
    if request.method == "GET" and not request.GET:
        return redirect(reverse("needs:call", args=[call.pk]) + "#step-award")
    data = request.POST if request.method == "POST" else request.GET
    offers = list(call.offers.select_related("supplier"))
    form = AwardForm(data, offers=offers)
    if not form.is_valid():
        return call_detail(request, pk, award_form=form)
    if refused is not None:  # what the step requires (an offer to choose) is missing
        add_service_errors(form, refused)
        return call_detail(request, pk, award_form=form)
    offer = form.chosen_offer()
    seen = _offers_seen(offers)
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    if confirmed and request.POST.get("offers_seen") not in (None, seen):
        # An offer came in or changed while the caller was confirming: back to the offers as they are now.
        messages.warning(request, _("The offers changed while you were confirming. Check them before you award."))
        return redirect(reverse("needs:call", args=[call.pk]) + "#step-award")
    if confirmed:
        try:
            services.call_award(call=call, user=request.user, offer=offer)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return call_detail(request, pk, award_form=form)
        except TransitionConflict as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The call is awarded. The suppliers are told."))
        return redirect("needs:call", call.pk)
    return render(
        request,
        "needs/call_award_confirm.html",
        {
            "call": call,
            "offer": offer,
            "others": len(offers) - 1,
            "offers_open": steps.offers_open(call),
            "offers_seen": seen,
        },
    )


@login_required
@require_POST
def call_cancel(request, pk):
    call = getters.get_call(pk)
    try:
        steps.check(steps.CANCEL, call, request.user)
        services.call_cancel(call=call, user=request.user, reason=request.POST.get("reason", "")[:2000])
    except TransitionConflict as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The call is cancelled."))
    return redirect("needs:call", call.pk)


# --- Donations --------------------------------------------------------------------------------------------------


@login_required
def donation_list(request):
    donations = getters.visible_donations(request.user)
    return render(
        request,
        "needs/donations.html",
        {
            "donations": list(donations),
            "can_donate": bool(getters.user_organisations(request.user, Organisation.Kind.AUTHORITY)),
            "is_secretariat": getters.can_decide_donations(request.user),
        },
    )


@login_required
def donation_new(request):
    organisations = getters.user_organisations(request.user, Organisation.Kind.AUTHORITY)
    if not organisations:
        messages.error(request, _("Solutions are donated by members of an authority."))
        return redirect("needs:donations")
    form = DonationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            donation = services.donation_create(
                user=request.user, organisation=form.chosen(), data=form.donation_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. The secretariat has been told about the donation."))
            return redirect("needs:donation", donation.pk)
    return render(request, "needs/donation_form.html", {"form": form})


@login_required
def donation_detail(request, pk, decline_form=None):
    donation = getters.get_donation_for_user(request.user, pk)
    is_secretariat = getters.can_decide_donations(request.user)
    if decline_form is None and is_secretariat and donation.status == Donation.Status.OFFERED:
        decline_form = CommentForm(prefix_id="decline", required=True)
    return render(
        request,
        "needs/donation.html",
        {
            "donation": donation,
            "is_secretariat": is_secretariat,
            "decline_form": decline_form,
            "error_form": decline_form if decline_form is not None and decline_form.errors else None,
        },
    )


@login_required
@require_POST
def donation_step(request, pk, step):
    if step not in ("accept", "decline"):
        raise Http404
    donation = getters.get_donation_for_user(request.user, pk)
    try:
        if step == "accept":
            product = services.donation_accept(donation=donation, user=request.user)
            messages.success(request, _("%(name)s is now a sandbox product in the catalogue.") % {"name": product.name})
            return redirect(product.get_absolute_url())
        form = CommentForm(request.POST, prefix_id="decline", required=True)
        if not form.is_valid():
            return donation_detail(request, pk, decline_form=form)
        try:
            services.donation_decline(donation=donation, user=request.user, reason=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error("comment", exc.messages)
            return donation_detail(request, pk, decline_form=form)
        messages.success(request, _("The donation is declined; the authority is told."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except TransitionConflict as exc:
        _refusal(request, exc)
    return redirect("needs:donation", donation.pk)


# --- The dashboard ----------------------------------------------------------------------------------------------


def dashboard(request):
    """The opportunities moved to the personal overview (web:dashboard), with the weekly e-mail; this address
    stays for old links, bookmarks and the digest's links."""
    return redirect("web:dashboard")


@login_required
@require_POST
def digest(request):
    suppliers, _authorities = getters.dashboard_organisations(request.user)
    if request.POST.get("weekly") == "1":
        if not suppliers:
            raise PermissionDenied
        organisation = next((o for o in suppliers if o.slug == request.POST.get("organisation")), suppliers[0])
        services.digest_subscribe(user=request.user, organisation=organisation)
        messages.success(request, _("You get the weekly e-mail with new opportunities."))
    else:
        services.digest_unsubscribe(user=request.user)
        messages.success(request, _("You no longer get the weekly e-mail."))
    return redirect("needs:dashboard")


# --- A call started from the list of calls ----------------------------------------------------------------------


@login_required
def call_start(request):
    """/calls/new/: with ?product= or ?need= (from a product's or a need's page, or chosen here) the call's form
    (call_new); without, the products and open needs the person may call on, to choose from. The same service as
    POST /api/v1/calls makes the call."""
    from . import call_start as start

    data = request.POST if request.method == "POST" else request.GET
    if data.get("product") or data.get("need"):
        return call_new(request)
    if not start.may_call(request.user):
        raise PermissionDenied(_("Calls are made by a coordination group, the secretariat or an authority."))
    chosen = "product" in request.GET or "need" in request.GET  # the choice was sent empty
    form = start.CallTargetForm(request.GET if chosen else None, user=request.user)
    form.is_valid()
    return render(request, "needs/call_start.html", {"form": form})
