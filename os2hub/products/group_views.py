"""A group's own page and what members do there themselves: join an open group, ask to join a closed one (and
withdraw), answer requests (the chair, the coordinator, the secretariat), hand the chair over and leave. Thin:
parse the request, call membership.py, render. Everyone reads a group's page; each button shows exactly when
the service would accept the step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict

from . import membership
from .forms import ChairHandOverForm, GroupJoinDecisionForm, GroupJoinForm
from .getters import (
    can_decide_join_requests,
    can_edit_group,
    can_edit_product,
    get_group_for_user,
    get_join_request_for_decider,
    get_product,
    group_join_organisations,
)
from .models import GroupJoinRequest, GroupMember
from .workflow import JOIN_WORKFLOW


def _group(request, slug, pk):
    product = get_product(slug)
    group = get_group_for_user(request.user, product, pk)
    group.product = product
    return product, group


def _page(request, product, group, *, join_form=None, decision_forms=None, hand_over_form=None, status=200):
    user = request.user
    members = list(group.members.select_related("user", "organisation"))
    group.chair_ids = {m.user_id for m in members if m.role == GroupMember.Role.CHAIR}
    seat = next((m for m in members if m.user_id == user.pk), None) if user.is_authenticated else None
    pending = None if seat else membership.pending_request(group, user)
    organisations = [] if seat or pending else group_join_organisations(user, group)
    if join_form is None and organisations:
        join_form = GroupJoinForm(organisations=organisations, closed=not group.is_open)
    can_decide = can_decide_join_requests(user, group)
    if decision_forms is None:
        decision_forms = {}
    requests = []
    if can_decide:
        waiting = group.join_requests.filter(status=GroupJoinRequest.Status.PENDING).select_related(
            "user", "organisation"
        )
        for join_request in waiting:
            join_request.group = group
            requests.append(decision_forms.get(join_request.pk) or GroupJoinDecisionForm(join_request=join_request))
    is_chair = seat is not None and seat.role == GroupMember.Role.CHAIR
    others = [m for m in members if seat is None or m.pk != seat.pk]
    if hand_over_form is None and is_chair and others:
        hand_over_form = ChairHandOverForm(members=others)
    return render(
        request,
        "products/group.html",
        {
            "product": product,
            "group": group,
            "members": members,
            "seat": seat,
            "is_chair": is_chair,
            "pending": pending,
            "join_form": join_form if organisations else None,
            "join_kinds": group.joinable_kinds,
            "decision_forms": requests,
            "hand_over_form": hand_over_form if is_chair and others else None,
            "leaving_refusal": membership.leaving_refusal(group, user) if seat else "",
            "pages": list(group.wiki_pages.defer("body")),
            "can_edit_pages": can_edit_group(user, group),
            "can_edit": can_edit_product(user, product),
        },
        status=status,
    )


def group_detail(request, slug, pk):
    product, group = _group(request, slug, pk)
    return _page(request, product, group)


@login_required
@require_POST
def group_join(request, slug, pk):
    product, group = _group(request, slug, pk)
    organisations = group_join_organisations(request.user, group)
    if not organisations:
        raise PermissionDenied(_("Only members of the organisations this group is for can join it."))
    if group.members.filter(user=request.user).exists():
        messages.info(request, _("You are already a member of %(group)s.") % {"group": group.name})
        return redirect(group.get_absolute_url())
    form = GroupJoinForm(request.POST, organisations=organisations, closed=not group.is_open)
    if form.is_valid():
        organisation = form.cleaned_data.get("organisation")
        try:
            if group.is_open:
                membership.group_join(group=group, user=request.user, organisation=organisation)
                messages.success(request, _("You are now a member of %(group)s.") % {"group": group.name})
            else:
                membership.group_join_request_create(
                    group=group,
                    user=request.user,
                    organisation=organisation,
                    message=form.cleaned_data["message"],
                )
                messages.success(
                    request,
                    _("Your request to join %(group)s is sent to its chair. You get an e-mail when they answer.")
                    % {"group": group.name},
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(group.get_absolute_url())
    return _page(request, product, group, join_form=form, status=200)


@login_required
@require_POST
def group_join_withdraw(request, slug, pk):
    product, group = _group(request, slug, pk)
    pending = membership.pending_request(group, request.user)
    if pending is None:
        messages.info(request, _("You have no request waiting to join %(group)s.") % {"group": group.name})
        return redirect(group.get_absolute_url())
    pending.group = group
    try:
        membership.group_join_request_withdraw(join_request=pending, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your request to join %(group)s is withdrawn.") % {"group": group.name})
    return redirect(group.get_absolute_url())


@login_required
@require_POST
def group_join_decide(request, slug, pk, request_pk):
    product, group = _group(request, slug, pk)
    join_request = get_join_request_for_decider(request.user, group, request_pk)
    form = GroupJoinDecisionForm(request.POST, join_request=join_request)
    if not form.is_valid():
        return _page(request, product, group, decision_forms={join_request.pk: form})
    decision = form.cleaned_data["decision"]
    values = {"person": join_request.user, "group": group.name}
    if not JOIN_WORKFLOW.allowed(decision, join_request, roles_for(request.user)):
        messages.error(
            request,
            _("The request from %(person)s has been answered already (%(status)s).")
            % {"person": join_request.user, "status": join_request.get_status_display().lower()},
        )
        return redirect(group.get_absolute_url() + "#join-requests")
    try:
        membership.group_join_request_decide(
            join_request=join_request, user=request.user, decision=decision, reason=form.cleaned_data["reason"]
        )
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, product, group, decision_forms={join_request.pk: form})
    else:
        if decision == "approve":
            messages.success(request, _("%(person)s is now a member of %(group)s and is told by e-mail.") % values)
        else:
            messages.success(request, _("The request from %(person)s is declined; they are told by e-mail.") % values)
    return redirect(group.get_absolute_url() + "#join-requests")


@login_required
def group_leave(request, slug, pk):
    """GET asks for confirmation; POST gives up the seat."""
    product, group = _group(request, slug, pk)
    seat = group.members.filter(user=request.user).first()
    if seat is None:
        messages.info(request, _("You are not a member of %(group)s.") % {"group": group.name})
        return redirect(group.get_absolute_url())
    if request.method == "POST":
        try:
            membership.group_leave(group=group, user=request.user)
        except (TransitionConflict, ValidationError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("You have left %(group)s.") % {"group": group.name})
        return redirect(group.get_absolute_url())
    return render(
        request,
        "products/group_leave.html",
        {"product": product, "group": group, "seat": seat, "refusal": membership.leaving_refusal(group, request.user)},
    )


@login_required
@require_POST
def group_chair_hand_over(request, slug, pk):
    product, group = _group(request, slug, pk)
    seat = group.members.filter(user=request.user, role=GroupMember.Role.CHAIR).first()
    if seat is None:
        raise Http404
    others = list(group.members.exclude(pk=seat.pk).select_related("user", "organisation"))
    form = ChairHandOverForm(request.POST, members=others)
    if form.is_valid():
        to_member = next(m for m in others if m.pk == form.cleaned_data["member"])
        try:
            membership.group_chair_hand_over(group=group, user=request.user, to_member=to_member)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is now the chair of %(group)s.") % {"person": to_member.user, "group": group.name},
            )
            return redirect(group.get_absolute_url())
    return _page(request, product, group, hand_over_form=form)
