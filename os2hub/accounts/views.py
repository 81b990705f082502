from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.roles import is_admin as is_admin_of
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict

from . import cvr as cvr_register
from . import selectors, services
from .forms import (
    ConfirmationDecisionForm,
    InviteForm,
    JoinDecisionForm,
    JoinRequestForm,
    OrganisationForm,
    OrganisationRegisterForm,
    OrganisationSearchForm,
    ProfileForm,
    TokenForm,
)
from .getters import (
    get_join_request_for_admin,
    get_joinable_organisation,
    get_organisation_for_user,
    require_secretariat,
)
from .models import ApiToken, Invitation, JoinRequest, Membership, Organisation
from .workflow import JOIN_WORKFLOW, available_confirmation_decisions


@login_required
def profile(request):
    user = request.user
    profile_form = ProfileForm(initial={"name": user.name}, prefix="profile")
    token_form = TokenForm(prefix="token")
    new_token = None
    if request.method == "POST":
        if "profile-name" in request.POST:
            profile_form = ProfileForm(request.POST, prefix="profile")
            if profile_form.is_valid():
                user.name = profile_form.cleaned_data["name"]
                user.save(update_fields=["name"])
                messages.success(request, _("Your name is saved."))
                return redirect("accounts:profile")
        else:
            token_form = TokenForm(request.POST, prefix="token")
            if token_form.is_valid():
                _token, new_token = services.api_token_issue(user=user, name=token_form.cleaned_data["name"])
                token_form = TokenForm(prefix="token")
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_form": profile_form,
            "token_form": token_form,
            "new_token": new_token,
            "tokens": user.api_tokens.all(),
            "memberships": Membership.objects.filter(user=user).select_related("organisation"),
            "queue": selectors.onboarding_queue_counts() if roles_for(user).secretariat else None,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, _("The token is revoked; it no longer works."))
    return redirect("accounts:profile")


@login_required
def organisation(request, slug):
    org = get_organisation_for_user(request.user, slug)
    is_admin = is_admin_of(request.user, org)
    form = InviteForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invitation_create(organisation=org, inviter=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error("email", exc.message_dict.get("email", exc.messages))
            else:
                messages.success(request, _("An invitation is sent to %(email)s.") % form.cleaned_data)
                return redirect(org.get_absolute_url())
    return _organisation_page(request, org, is_admin=is_admin, form=form)


def _organisation_page(request, org, *, is_admin, form=None, decision_form=None):
    roles = roles_for(request.user)
    may_decide = is_admin or roles.secretariat
    join_requests = (
        list(org.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")) if may_decide else []
    )
    decision_forms = [
        decision_form
        if decision_form is not None and decision_form.join_request.pk == r.pk
        else JoinDecisionForm(join_request=r)
        for r in join_requests
    ]
    rejected_because = ""
    if org.status == Organisation.Status.REJECTED:
        last = org.events.filter(to_status=Organisation.Status.REJECTED).order_by("-created_at", "-pk").first()
        rejected_because = last.comment if last else ""
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "is_admin": is_admin,
            "form": form,
            "members": org.memberships.select_related("user"),
            "invitations": [i for i in org.invitations.filter(accepted_at__isnull=True) if i.is_open]
            if is_admin
            else [],
            "join_decisions": decision_forms,
            "refusal": org.confirmation_refusal(),
            "rejected_because": rejected_because,
            "is_secretariat": roles.secretariat,
        },
    )


@login_required
def organisation_edit(request, slug):
    org = get_organisation_for_user(request.user, slug, admin=True)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=form.instance, changed=form.changed_data)
        messages.success(request, _("The organisation is saved."))
        return redirect(org.get_absolute_url())
    return render(request, "accounts/organisation_edit.html", {"organisation": org, "form": form})


@login_required
@require_POST
def member_remove(request, slug, pk):
    org = get_organisation_for_user(request.user, slug, admin=True)
    member = get_object_or_404(Membership, pk=pk, organisation=org)
    try:
        services.membership_remove(membership=member, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(user)s is no longer a member.") % {"user": member.user})
    return redirect(org.get_absolute_url())


def invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Log in or create an account with %(email)s to accept the invitation.") % {"email": invitation.email},
        )
        return redirect(reverse("account_login") + "?next=" + request.path)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("You are now a member of %(org)s.") % {"org": invitation.organisation})
            return redirect(invitation.organisation.get_absolute_url())
    return render(request, "accounts/invitation.html", {"invitation": invitation})


# --- Self-service: find or create your organisation --------------------------------------------------------------

KINDS = {"leverandoer": Organisation.Kind.SUPPLIER, "myndighed": Organisation.Kind.AUTHORITY}
KIND_SLUGS = {kind: slug for slug, kind in KINDS.items()}


def safe_next(request) -> str:
    """The `next` address of the request when it is a path on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def organisations(request):
    """Find your organisation and ask to join it, see your requests, or create your organisation."""
    form = OrganisationSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if q:
        page = Paginator(selectors.organisation_search(q), 20).get_page(request.GET.get("side"))
    roles = roles_for(request.user)
    requests = list(selectors.own_join_requests(request.user))
    return render(
        request,
        "accounts/organisations.html",
        {
            "form": form,
            "q": q,
            "page": page,
            "member_of": roles.organisation_ids(),
            "asked": {r.organisation_id for r in requests},
            "own_requests": requests,
            "memberships": Membership.objects.filter(user=request.user).select_related("organisation"),
            "next": safe_next(request),
        },
    )


@login_required
def organisation_new(request):
    """Which kind of organisation to create."""
    return render(request, "accounts/organisation_new.html", {"next": safe_next(request), "kinds": KIND_SLUGS})


@login_required
def organisation_create(request, kind):
    kind = KINDS.get(kind)
    if kind is None:
        raise Http404
    user = request.user
    target = safe_next(request)
    verified = bool(selectors.verified_email_domains(user))
    lookup = cvr_register.enabled()
    found = None
    if request.method == "POST" and "lookup" in request.POST and lookup:
        form, found = _cvr_lookup(request, kind)
    else:
        form = OrganisationRegisterForm(request.POST or None, kind=kind, user=user)
        if request.method == "POST" and verified and form.is_valid():
            try:
                org = services.organisation_register(user=user, kind=kind, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(org)s is created, and you are its administrator.") % {"org": org.name})
                if org.awaits_confirmation:
                    messages.info(request, org.confirmation_refusal())
                return redirect(target or org.get_absolute_url())
    return render(
        request,
        "accounts/organisation_create.html",
        {
            "form": form,
            "kind": kind,
            "kind_slug": KIND_SLUGS[kind],
            "next": target,
            "verified": verified,
            "lookup": lookup,
            "found": found,
            "own_requests": selectors.own_join_requests(user),
        },
    )


def _cvr_lookup(request, kind):
    """Look the CVR number up and fill in the name and address it finds; the person checks them and saves."""
    data = request.POST.copy()
    form = OrganisationRegisterForm(data, kind=kind, user=request.user)
    form.keep_errors_of("cvr")
    if form.errors:
        return form, None
    number = form.cleaned_data["cvr"]
    try:
        facts = cvr_register.lookup(number)
    except cvr_register.CvrNotFound as exc:
        form.add_error("cvr", str(exc))
        return form, None
    except cvr_register.CvrLookupFailed as exc:
        messages.warning(request, str(exc))
        return form, None
    for key, value in facts.as_form_data().items():
        if value:
            data[key] = value
    data["cvr"] = number
    form = OrganisationRegisterForm(data, kind=kind, user=request.user)
    form.keep_errors_of()
    return form, facts


@login_required
def join(request, slug):
    """Ask to join an organisation (or join at once, by the verified e-mail domain)."""
    org = get_joinable_organisation(request.user, slug)
    if roles_for(request.user).member(org):
        return redirect(org.get_absolute_url())
    pending = JoinRequest.objects.filter(organisation=org, user=request.user, status=JoinRequest.Status.PENDING).first()
    by_domain = selectors.joins_by_domain(request.user, org)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            result = services.join_request_create(
                organisation=org, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if isinstance(result, Membership):
                messages.success(request, _("You are now a member of %(org)s.") % {"org": org.name})
                return redirect(safe_next(request) or org.get_absolute_url())
            messages.success(
                request,
                _("Your request is sent to the administrators of %(org)s. You get an e-mail when they answer.")
                % {"org": org.name},
            )
            return redirect("accounts:organisations")
    return render(
        request,
        "accounts/join.html",
        {
            "organisation": org,
            "form": form,
            "pending": pending,
            "by_domain": by_domain,
            "verified": bool(selectors.verified_email_domains(request.user)),
            "next": safe_next(request),
        },
    )


@login_required
@require_POST
def join_withdraw(request, slug):
    org = get_joinable_organisation(request.user, slug)
    pending = JoinRequest.objects.filter(organisation=org, user=request.user, status=JoinRequest.Status.PENDING).first()
    if pending is None:
        messages.info(request, _("You have no request waiting to join %(org)s.") % {"org": org.name})
        return redirect("accounts:organisations")
    try:
        services.join_request_withdraw(join_request=pending, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your request to join %(org)s is withdrawn.") % {"org": org.name})
    return redirect("accounts:organisations")


@login_required
@require_POST
def join_decide(request, slug, pk):
    org = get_organisation_for_user(request.user, slug)
    join_request = get_join_request_for_admin(request.user, org, pk)
    form = JoinDecisionForm(request.POST, join_request=join_request)
    if not form.is_valid():
        return _organisation_page(
            request, org, is_admin=is_admin_of(request.user, org), form=_invite_form(request, org), decision_form=form
        )
    decision = form.cleaned_data["decision"]
    if not JOIN_WORKFLOW.allowed(decision, join_request, roles_for(request.user)):
        messages.error(
            request,
            _("The request from %(person)s has been answered already (%(status)s).")
            % {"person": join_request.user, "status": join_request.get_status_display().lower()},
        )
        return redirect(org.get_absolute_url())
    try:
        services.join_request_decide(
            join_request=join_request, user=request.user, decision=decision, reason=form.cleaned_data["reason"]
        )
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        values = {"person": join_request.user, "org": org.name}
        if decision == "approve":
            messages.success(request, _("%(person)s is now a member of %(org)s and is told by e-mail.") % values)
        else:
            messages.success(request, _("The request from %(person)s is declined; they are told by e-mail.") % values)
    return redirect(org.get_absolute_url() + "#join-requests")


def _invite_form(request, org):
    return InviteForm() if is_admin_of(request.user, org) else None


# --- The secretariat: new organisations to confirm, e-mail domains to verify --------------------------------------


@login_required
def confirmation_queue(request):
    require_secretariat(request.user)
    page = Paginator(selectors.organisations_to_confirm(), 50).get_page(request.GET.get("side"))
    domains = selectors.domains_to_verify()
    return render(
        request,
        "accounts/confirmation_queue.html",
        {"page": page, "domains": domains[:50], "counts": selectors.onboarding_queue_counts()},
    )


@login_required
def confirmation(request, slug):
    if not roles_for(request.user).secretariat:
        raise Http404
    org = get_object_or_404(Organisation.objects.select_related("created_by", "confirmed_by"), slug=slug)
    decisions = available_confirmation_decisions(org, roles_for(request.user))
    form = ConfirmationDecisionForm(request.POST or None, decisions=decisions)
    if request.method == "POST" and "domain" in request.POST:
        return _verify_domain(request, org)
    if request.method == "POST" and request.POST.get("decision") not in decisions:
        # The page was opened before a colleague decided (or the decision does not fit the status any more).
        messages.error(
            request,
            _("%(org)s is no longer waiting (%(status)s); nothing was changed.")
            % {"org": org.name, "status": org.get_status_display().lower()},
        )
        return redirect("accounts:confirmation", slug=org.slug)
    if request.method == "POST" and decisions and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "confirm":
                services.organisation_confirm(organisation=org, user=request.user, comment=reason)
            else:
                services.organisation_reject(organisation=org, user=request.user, reason=reason)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("accounts:confirmation", slug=org.slug)
        else:
            if decision == "confirm":
                messages.success(request, _("%(org)s is confirmed; its administrators are told.") % {"org": org.name})
            else:
                messages.success(
                    request, _("%(org)s is not confirmed; its administrators are told why.") % {"org": org.name}
                )
            return redirect("accounts:confirmation_queue")
    return render(
        request,
        "accounts/confirmation.html",
        {
            "organisation": org,
            "form": form if decisions else None,
            "admins": selectors.organisation_admins(org),
            "events": org.events.select_related("actor"),
        },
    )


def _verify_domain(request, org):
    verified = request.POST.get("domain") == "verify"
    try:
        services.organisation_domain_verify(organisation=org, user=request.user, verified=verified)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        values = {"domain": org.email_domain, "org": org.name}
        if verified:
            messages.success(
                request,
                _("%(domain)s is verified for %(org)s: people with a confirmed address there join as members.")
                % values,
            )
        else:
            messages.success(request, _("%(domain)s is no longer verified for %(org)s.") % values)
    return redirect("accounts:confirmation", slug=org.slug)
