"""Members take part in a product's groups themselves: they join an open group at once, ask to join a closed one
(the chair answers, see workflow.py), hand the chair over and leave.

The seats themselves are GroupMember rows, as when the coordinator appoints someone (services.group_member_add);
a request to join is its own row (GroupJoinRequest) until it is approved. Everyone whose seats change is
forgotten by core.roles, so the rest of the request sees the new seat. Writes that depend on who else sits in
the group (the last chair leaving, handing over) lock the group's row first, so two chairs cannot both leave.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from os2hub.accounts.models import User
from os2hub.accounts.selectors import secretariat_people
from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.roles import forget, roles_for
from os2hub.core.text import check_text
from os2hub.core.workflow import TransitionConflict, move

from .getters import group_join_organisations
from .models import Group, GroupJoinRequest, GroupMember
from .workflow import APPROVE, DECLINE, JOIN_WORKFLOW, WITHDRAW

MAX_MESSAGE_CHARS = 1000


def _lock(group: Group) -> None:
    """Lock the group's row until the transaction ends (PostgreSQL; SQLite serialises all writes anyway)."""
    Group.objects.select_for_update().values_list("pk", flat=True).get(pk=group.pk)


def _organisation_for(user, group, organisation):
    """The organisation the person sits for: the one they chose, which must be one of theirs that the group's
    kind allows; their only one when they did not choose."""
    allowed = group_join_organisations(user, group)
    if not allowed:
        raise PermissionDenied
    if organisation is None:
        if len(allowed) > 1:
            raise ValidationError({"organisation": _("Choose the organisation you take part for.")})
        return allowed[0]
    found = next((o for o in allowed if o.pk == getattr(organisation, "pk", organisation)), None)
    if found is None:
        raise ValidationError({"organisation": _("Choose one of your own organisations.")})
    return found


def _already_member(user, group) -> ValidationError:
    return ValidationError(_("You are already a member of %(group)s.") % {"group": group.name})


def _link(group) -> str:
    return settings.SITE_URL + reverse("products:group", args=[group.product.slug, group.pk])


def group_deciders(group: Group) -> list:
    """Who is asked when someone wants to join: the chairs; else the product's coordinator; else the secretariat."""
    chairs = list(User.objects.filter(group_memberships__group=group, group_memberships__role=GroupMember.Role.CHAIR))
    if chairs:
        return chairs
    if group.product.coordinator_id:
        return [group.product.coordinator]
    return list(secretariat_people())


def group_join(*, group: Group, user, organisation=None) -> GroupMember:
    """Join an open group at once, as a member, for one of the person's organisations."""
    if not group.is_open:
        raise PermissionDenied
    organisation = _organisation_for(user, group, organisation)
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(
                group=group, user=user, organisation=organisation, role=GroupMember.Role.MEMBER
            )
            # A request that was waiting (the group was closed when they asked) is answered by the join.
            waiting = GroupJoinRequest.objects.filter(group=group, user=user, status=GroupJoinRequest.Status.PENDING)
            for pending in waiting:
                # The chair may have answered it in the meantime; then there is nothing to withdraw.
                with contextlib.suppress(TransitionConflict):
                    move(
                        pending,
                        sources=JOIN_WORKFLOW[WITHDRAW].sources,
                        to=GroupJoinRequest.Status.WITHDRAWN,
                        actor=user,
                        refusal=_refusal(pending),
                    )
    except IntegrityError:
        raise _already_member(user, group) from None
    forget(user)
    return member


def group_join_request_create(*, group: Group, user, organisation=None, message: str = "") -> GroupJoinRequest:
    """Ask to join a closed group; the chair is asked by e-mail (the coordinator, or the secretariat, when the
    group has no chair)."""
    if group.is_open:
        raise ValidationError(_("The group is open: join it directly."))
    organisation = _organisation_for(user, group, organisation)
    message = (message or "").strip()
    check_text({"message": message})
    if len(message) > MAX_MESSAGE_CHARS:
        raise ValidationError(
            {"message": _("Write at most %(limit)s characters.") % {"limit": f"{MAX_MESSAGE_CHARS:,}"}}
        )
    if group.members.filter(user=user).exists():
        raise _already_member(user, group)
    pending = GroupJoinRequest.objects.filter(user=user, status=GroupJoinRequest.Status.PENDING)
    if pending.filter(group=group).exists():
        raise ValidationError(_("You have already asked to join %(group)s.") % {"group": group.name})
    if pending.count() >= GroupJoinRequest.MAX_PENDING:
        raise ValidationError(
            _("You have %(count)s requests to join groups waiting for an answer. Wait for an answer, or withdraw one.")
            % {"count": GroupJoinRequest.MAX_PENDING}
        )
    try:
        with transaction.atomic():
            join_request = GroupJoinRequest.objects.create(
                group=group, user=user, organisation=organisation, message=message
            )
            join_request.events.create(from_status="", to_status=GroupJoinRequest.Status.PENDING, actor=user)
    except IntegrityError:
        raise ValidationError(_("You have already asked to join %(group)s.") % {"group": group.name}) from None
    send_templated_mail_on_commit(
        template="group_join_request_received",
        context={
            "group": group,
            "product": group.product,
            "person": user,
            "organisation": organisation,
            "message": message,
            "link": _link(group) + "#join-requests",
        },
        to=group_deciders(group),
    )
    return join_request


def _refusal(join_request):
    def refusal(current):
        label = dict(GroupJoinRequest.Status.choices).get(current, current)
        return _("The request from %(person)s has been answered already (%(status)s).") % {
            "person": join_request.user,
            "status": str(label).lower(),
        }

    return refusal


def group_join_request_decide(*, join_request: GroupJoinRequest, user, decision: str, reason: str = ""):
    """The chair (or the coordinator, or the secretariat) approves - the person gets a seat as a member - or
    declines with a reason. The person is told by e-mail either way."""
    if decision not in (APPROVE, DECLINE):
        raise ValidationError({"decision": _("Choose to approve or decline.")})
    if not JOIN_WORKFLOW[decision].who(roles_for(user), join_request):
        raise PermissionDenied
    reason = (reason or "").strip()
    check_text({"reason": reason})
    if decision == DECLINE and not reason:
        raise ValidationError({"reason": _("Give a reason: it is sent to the person.")})
    group = join_request.group
    with transaction.atomic():
        move(
            join_request,
            sources=JOIN_WORKFLOW[decision].sources,
            to=JOIN_WORKFLOW[decision].target,
            actor=user,
            comment=reason,
            refusal=_refusal(join_request),
            reason=reason,
            decided_by=user,
        )
        if decision == APPROVE:
            GroupMember.objects.get_or_create(
                group=group,
                user=join_request.user,
                defaults={"organisation": join_request.organisation, "role": GroupMember.Role.MEMBER},
            )
    forget(join_request.user)
    send_templated_mail_on_commit(
        template="group_join_approved" if decision == APPROVE else "group_join_declined",
        context={"group": group, "product": group.product, "reason": reason, "link": _link(group)},
        to=[join_request.user],
    )
    return join_request


def group_join_request_withdraw(*, join_request: GroupJoinRequest, user) -> GroupJoinRequest:
    if not JOIN_WORKFLOW[WITHDRAW].who(roles_for(user), join_request):
        raise PermissionDenied
    move(
        join_request,
        sources=JOIN_WORKFLOW[WITHDRAW].sources,
        to=GroupJoinRequest.Status.WITHDRAWN,
        actor=user,
        refusal=_refusal(join_request),
    )
    return join_request


def leaving_refusal(group: Group, user) -> str:
    """Why the person cannot leave the group now ("" when they can): the last chair hands the chair over first."""
    seat = group.members.filter(user=user).first()
    if seat is None or seat.role != GroupMember.Role.CHAIR:
        return ""
    if group.members.filter(role=GroupMember.Role.CHAIR).exclude(pk=seat.pk).exists():
        return ""
    if group.members.exclude(pk=seat.pk).exists():
        return _("You are the group's only chair. Hand the chair over to another member before you leave.")
    return _(
        "You are the group's only member and its chair. Ask the product's coordinator to appoint a new chair "
        "before you leave."
    )


def group_leave(*, group: Group, user) -> None:
    """The person gives up their seat; the last chair cannot leave without handing the chair over."""
    with transaction.atomic():
        _lock(group)  # two chairs leaving at once: the second sees that the first has gone
        seat = group.members.filter(user=user).first()
        if seat is None:
            raise ValidationError(_("You are not a member of %(group)s.") % {"group": group.name})
        refusal = leaving_refusal(group, user)
        if refusal:
            raise TransitionConflict(refusal)
        seat.delete()
    forget(user)


def group_chair_hand_over(*, group: Group, user, to_member: GroupMember) -> GroupMember:
    """A chair makes another member chair and becomes an ordinary member."""
    if to_member.group_id != group.pk:
        raise PermissionDenied
    with transaction.atomic():
        _lock(group)
        seat = group.members.filter(user=user, role=GroupMember.Role.CHAIR).first()
        if seat is None:
            raise PermissionDenied
        if to_member.pk == seat.pk:
            raise ValidationError({"member": _("Choose another member.")})
        updated = GroupMember.objects.filter(pk=to_member.pk, group=group).update(role=GroupMember.Role.CHAIR)
        if not updated:
            raise ValidationError({"member": _("The person is no longer a member of the group.")})
        seat.role = GroupMember.Role.MEMBER
        seat.save(update_fields=["role"])
    to_member.role = GroupMember.Role.CHAIR
    forget(user)
    forget(to_member.user)
    return to_member


def pending_request(group: Group, user) -> GroupJoinRequest | None:
    if not user.is_authenticated:
        return None
    return GroupJoinRequest.objects.filter(group=group, user=user, status=GroupJoinRequest.Status.PENDING).first()
