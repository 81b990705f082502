from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.roles import is_admin as is_admin_of

from . import services
from .forms import InviteForm, OrganisationForm, ProfileForm, TokenForm
from .getters import get_organisation_for_user
from .models import ApiToken, Invitation, Membership


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
        },
    )


@login_required
def organisation_edit(request, slug):
    org = get_organisation_for_user(request.user, slug, admin=True)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
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
