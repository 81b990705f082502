"""The steps of an organisation's confirmation and of a request to join an organisation, declared once.

The secretariat's review page offers the confirmation steps and the organisation page the join request's, by
asking these tables; the services (the writers) ask them too and move the status with core.workflow.move.

    Organisation (authorities that registered themselves):
    pending --confirm (the secretariat)--> confirmed
    pending --reject (the secretariat, with a reason)--> rejected --confirm--> confirmed (a second look)

    Join request:
    pending --approve / decline (the organisation's administrators, or the secretariat)--> approved / declined
    pending --withdraw (the person who asked)--> withdrawn
"""

from django.utils.translation import gettext_lazy as _

from os2hub.core.workflow import Step, Workflow

from .models import JoinRequest, Organisation

OrgStatus = Organisation.Status
JoinStatus = JoinRequest.Status

CONFIRM = "confirm"
REJECT = "reject"
APPROVE = "approve"
DECLINE = "decline"
WITHDRAW = "withdraw"


def secretariat(roles, obj) -> bool:
    return roles.secretariat


def organisation_admin(roles, join_request) -> bool:
    """The organisation's administrators decide who joins it; the secretariat may too (an organisation without
    administrators)."""
    return roles.admin(join_request.organisation_id) or roles.secretariat


def requester(roles, join_request) -> bool:
    return roles.authenticated and roles.user.pk == join_request.user_id


ORGANISATION_WORKFLOW = Workflow(
    Step(CONFIRM, (OrgStatus.PENDING, OrgStatus.REJECTED), OrgStatus.CONFIRMED, who=secretariat),
    Step(REJECT, (OrgStatus.PENDING,), OrgStatus.REJECTED, who=secretariat),
)

JOIN_WORKFLOW = Workflow(
    Step(APPROVE, (JoinStatus.PENDING,), JoinStatus.APPROVED, who=organisation_admin),
    Step(DECLINE, (JoinStatus.PENDING,), JoinStatus.DECLINED, who=organisation_admin),
    Step(WITHDRAW, (JoinStatus.PENDING,), JoinStatus.WITHDRAWN, who=requester),
)

# The secretariat's decisions on an organisation, in the order the review page offers them.
CONFIRMATION_DECISIONS = {CONFIRM: _("Confirm the organisation"), REJECT: _("Do not confirm it")}


def available_confirmation_decisions(organisation, roles) -> list[str]:
    return [name for name in CONFIRMATION_DECISIONS if ORGANISATION_WORKFLOW.allowed(name, organisation, roles)]


def available_join_steps(join_request, roles) -> list[str]:
    return JOIN_WORKFLOW.available(join_request, roles)
