"""The workflow of a development request, declared once (API.md "Development requests").

draft -> submitted -> estimated (first estimate) -> ordered (requester pays: the requester chooses an estimate)
                                                 -> funding (community pays: the coordination group opens it at
                                                    a chosen estimate) -> ordered (by itself, when pledged = price)
ordered -> in_progress -> delivered -> accepted, or back to in_progress; rejected and withdrawn where they fit.

The request's page shows a step's form exactly when `REQUEST_WORKFLOW.allowed(...)` says so; the API finds the
step a `{"to": ...}` means with `leading_to` and names where a status can be reached from with `sources_of`; the
services move along these steps' sources and targets and ask the same `who`. Estimating and pledging add
something without choosing the next status (the first estimate makes a request estimated, the pledge that
completes the price orders it), so they have no target.
"""

from os2hub.core.workflow import Step, Workflow

from . import getters
from .models import DevelopmentRequest

S = DevelopmentRequest.Status
Funding = DevelopmentRequest.Funding

SUBMIT = "submit"
ESTIMATE = "estimate"
ORDER = "order"
OPEN_FUNDING = "open_funding"
REJECT = "reject"
PLEDGE = "pledge"
START = "start"
DELIVER = "deliver"
ACCEPT = "accept"
SEND_BACK = "send_back"
WITHDRAW = "withdraw"


# --- Who (roles from core.roles, the request) ---------------------------------------------------------------------


def _requester(roles, request) -> bool:
    return getters.is_requester(roles.user, request)


def _coordination(roles, request) -> bool:
    return getters.is_coordination(roles.user, request.product)


def _estimator(roles, request) -> bool:
    return getters.is_estimator(roles.user)


def _pledger(roles, request) -> bool:
    return bool(getters.pledging_authority_ids(roles.user))


def _supplier(roles, request) -> bool:
    return getters.is_supplier_of(roles.user, request)


def _supplier_or_coordination(roles, request) -> bool:
    return _supplier(roles, request) or _coordination(roles, request)


def _decider(roles, request) -> bool:
    return getters.is_decider(roles.user, request)


# --- Requires (the request) ---------------------------------------------------------------------------------------


def _paid_by(funding):
    """The request is paid the given way and has estimates to choose from."""

    def requires(request) -> bool:
        return request.funding == funding and bool(request.estimates.all())

    return requires


REQUEST_WORKFLOW = Workflow(
    Step(SUBMIT, (S.DRAFT,), S.SUBMITTED, who=_requester),
    Step(ESTIMATE, (S.SUBMITTED, S.ESTIMATED), None, who=_estimator),
    Step(ORDER, (S.ESTIMATED,), S.ORDERED, who=_requester, requires=_paid_by(Funding.REQUESTER)),
    Step(OPEN_FUNDING, (S.ESTIMATED,), S.FUNDING, who=_coordination, requires=_paid_by(Funding.COMMUNITY)),
    Step(REJECT, (S.SUBMITTED, S.ESTIMATED), S.REJECTED, who=_coordination),
    Step(PLEDGE, (S.FUNDING,), None, who=_pledger),
    Step(START, (S.ORDERED,), S.IN_PROGRESS, who=_supplier_or_coordination),
    Step(DELIVER, (S.IN_PROGRESS,), S.DELIVERED, who=_supplier),
    Step(ACCEPT, (S.DELIVERED,), S.ACCEPTED, who=_decider),
    Step(SEND_BACK, (S.DELIVERED,), S.IN_PROGRESS, who=_decider),
    Step(WITHDRAW, (S.DRAFT, S.SUBMITTED, S.ESTIMATED, S.FUNDING), S.WITHDRAWN, who=_requester),
)
