"""Reads shared by pages and the API: the questions waiting for a person's answer (the personal overview's
list and the page /questions/waiting/)."""

from django.db.models import Exists, OuterRef, Q

from os2hub.core.roles import COORDINATION, roles_for
from os2hub.development.models import DevelopmentRequest
from os2hub.products.models import GroupMember

from .models import Answer, Question


def questions_waiting_for(user):
    """The questions without an answer yet that the user is one of the people involved in answering, oldest
    first (see getters: the requester's, the chosen supplier's and the coordination group's on a request, the
    caller side's on a call, the posting authority's on a need; the secretariat's on requests and needs). Never
    the user's own questions, never a draft's. A constant number of queries, however many there are."""
    roles = roles_for(user)
    if not roles.authenticated:
        return Question.objects.none()
    organisations = roles.organisation_ids()
    groups = GroupMember.objects.filter(user=user).values("group_id")
    coordination = GroupMember.objects.filter(user=user, group__kind=COORDINATION).values("group__product_id")
    on_request = Q(development_request__isnull=False) & ~Q(development_request__status=DevelopmentRequest.Status.DRAFT)
    if roles.secretariat:
        involved = on_request | Q(need__isnull=False)
    else:
        involved = on_request & (
            Q(development_request__requester__in=organisations)
            | Q(development_request__chosen_estimate__supplier__in=organisations)
            | Q(development_request__product__in=coordination)
        )
        involved |= Q(need__organisation__in=organisations)
    # The caller side: the members of the calling organisation or group (needs.getters.is_caller).
    involved |= Q(call__organisation__in=organisations) | Q(call__group__in=groups)
    return (
        Question.objects.filter(involved)
        .exclude(author=user)
        .exclude(Exists(Answer.objects.filter(question=OuterRef("pk"))))
        .select_related("organisation", "development_request", "call", "need")
        .order_by("created_at", "pk")
    )
