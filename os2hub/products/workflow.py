"""The steps of a request to join a group and of a text suggestion, declared once.

The group page and the suggestion pages offer exactly the steps these tables allow; the services (the writers)
ask them again and move the status with core.workflow.move.

    Request to join a closed group:
    pending --approve / decline (the group's chair, the product's coordinator, the secretariat)--> approved / declined
    pending --withdraw (the person who asked)--> withdrawn

    Text suggestion:
    pending --accept / reject (the product's coordinator, the secretariat)--> accepted / rejected
    pending --(another suggestion on the same text is accepted)--> outdated
"""

from os2hub.core.workflow import Step, Workflow

from .models import GroupJoinRequest, GroupMember, TextSuggestion

JoinStatus = GroupJoinRequest.Status
SuggestionStatus = TextSuggestion.Status

APPROVE = "approve"
DECLINE = "decline"
WITHDRAW = "withdraw"
ACCEPT = "accept"
REJECT = "reject"


def edits_product(roles, product) -> bool:
    return roles.coordinator(product) or roles.secretariat


def chairs(roles, group) -> bool:
    """The person chairs this group. A product may have several professional groups, so core.roles' group kinds
    cannot tell; `group.chair_ids`, when a page has set it from the members it shows, saves the query."""
    if not roles.authenticated:
        return False
    ids = getattr(group, "chair_ids", None)
    if ids is None:
        ids = set(group.members.filter(role=GroupMember.Role.CHAIR).values_list("user_id", flat=True))
        group.chair_ids = ids
    return roles.user.pk in ids


def group_decider(roles, join_request) -> bool:
    """The chair lets people in; the coordinator (who appoints the members anyway) and the secretariat may too,
    so a request never waits forever on a group without a chair."""
    group = join_request.group
    return chairs(roles, group) or edits_product(roles, group.product)


def requester(roles, join_request) -> bool:
    return roles.authenticated and roles.user.pk == join_request.user_id


def suggestion_decider(roles, suggestion) -> bool:
    return edits_product(roles, suggestion.product)


JOIN_WORKFLOW = Workflow(
    Step(APPROVE, (JoinStatus.PENDING,), JoinStatus.APPROVED, who=group_decider),
    Step(DECLINE, (JoinStatus.PENDING,), JoinStatus.DECLINED, who=group_decider),
    Step(WITHDRAW, (JoinStatus.PENDING,), JoinStatus.WITHDRAWN, who=requester),
)

SUGGESTION_WORKFLOW = Workflow(
    Step(ACCEPT, (SuggestionStatus.PENDING,), SuggestionStatus.ACCEPTED, who=suggestion_decider),
    Step(REJECT, (SuggestionStatus.PENDING,), SuggestionStatus.REJECTED, who=suggestion_decider),
)
