"""The steps of a need and of a call for suppliers, declared once.

A need: open -> clarifying -> product / request / tender -> closed (and from open straight to product, request or
tender; closed from anywhere but closed). Co-signs, withdrawn co-signs and following add something without moving
the need. A call: open -> awarded or cancelled; offers come in while it is open and its deadline has not passed.

The pages show a step's form exactly when `NEED_WORKFLOW.allowed(...)` / `CALL_WORKFLOW.allowed(...)` says so and
refuse a posted step the table does not allow; the API asks `check(...)` before it calls a service. `refusal()`
says why a step is not allowed in the services' own words, and its kind is the answer: PermissionDenied (403) when
the person may not, TransitionConflict (409) when the need or call is not in a state for it, ValidationError (400)
when something it needs is missing. The services ask the same `check_who()` and move along the same steps' sources
and targets, under a lock (they are the writers and decide again atomically).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from os2hub.core.roles import roles_for
from os2hub.core.workflow import Step, TransitionConflict, Workflow

from . import getters
from .models import OPEN_NEED, Call, Need

N = Need.Status
C = Call.Status

COSIGN = "cosign"
UNCOSIGN = "uncosign"
FOLLOW = "follow"
UNFOLLOW = "unfollow"
CLARIFY = "clarify"
TO_PRODUCT = "to-product"
TO_REQUEST = "to-request"
TO_TENDER = "to-tender"
CLOSE = "close"

OFFER = "offer"
AWARD = "award"
CANCEL = "cancel"

EVERY_NEED_STATUS = tuple(N.values)
NOT_CLOSED = tuple(s for s in N.values if s != N.CLOSED)
# The steps that decide what became of a need: taken by its stewards, recorded, told to its followers.
MOVES = (CLARIFY, TO_PRODUCT, TO_REQUEST, TO_TENDER, CLOSE)


# --- Who (roles from core.roles, the need or the call) -------------------------------------------------------------


def _steward(roles, need) -> bool:
    return getters.is_need_steward(roles.user, need)


def _owner(roles, need) -> bool:
    return getters.is_need_owner(roles.user, need)


def _may_cosign(roles, need) -> bool:
    return bool(getters.cosign_organisation_ids(roles.user, need))


def _has_cosigned(roles, need) -> bool:
    return bool(getters.cosigned_organisation_ids(roles.user, need))


def _not_following(roles, need) -> bool:
    return roles.authenticated and not getters.follows(roles.user, need)


def _following(roles, need) -> bool:
    return roles.authenticated and getters.follows(roles.user, need)


def _offering(roles, call) -> bool:
    return bool(getters.offering_ids(roles.user, call))


def _caller(roles, call) -> bool:
    return getters.is_caller(roles.user, call)


def _canceller(roles, call) -> bool:
    return getters.can_cancel_call(roles.user, call)


# --- Requires (the call) ------------------------------------------------------------------------------------------


def before_deadline(call) -> bool:
    """Offers are accepted until the end of the deadline day (Danish time)."""
    return timezone.localdate() <= call.deadline


def has_offers(call) -> bool:
    return call.offers.exists()


NEED_WORKFLOW = Workflow(
    Step(COSIGN, OPEN_NEED, None, who=_may_cosign),
    Step(UNCOSIGN, EVERY_NEED_STATUS, None, who=_has_cosigned),
    Step(FOLLOW, EVERY_NEED_STATUS, None, who=_not_following),
    Step(UNFOLLOW, EVERY_NEED_STATUS, None, who=_following),
    Step(CLARIFY, (N.OPEN,), N.CLARIFYING, who=_steward),
    Step(TO_PRODUCT, OPEN_NEED, N.PRODUCT, who=_steward),
    Step(TO_REQUEST, OPEN_NEED, N.REQUEST, who=_owner),
    Step(TO_TENDER, OPEN_NEED, N.TENDER, who=_steward),
    Step(CLOSE, NOT_CLOSED, N.CLOSED, who=_steward),
)

CALL_WORKFLOW = Workflow(
    Step(OFFER, (C.OPEN,), None, who=_offering, requires=before_deadline),
    Step(AWARD, (C.OPEN,), C.AWARDED, who=_caller, requires=has_offers),
    Step(CANCEL, (C.OPEN,), C.CANCELLED, who=_canceller),
)


def workflow_of(obj) -> Workflow:
    return NEED_WORKFLOW if isinstance(obj, Need) else CALL_WORKFLOW


def offers_open(call) -> bool:
    """The call takes offers: it is open and its deadline has not passed."""
    return CALL_WORKFLOW[OFFER].fits(call)


def available(obj, user) -> set[str]:
    """The steps the person may take on the need or the call now (the page shows these, and only these)."""
    return set(workflow_of(obj).available(obj, roles_for(user)))


# --- Why not ------------------------------------------------------------------------------------------------------


def state_message(name: str, obj, status: str | None = None) -> str:
    """Why the need or call, in `status` (by default its own), does not fit the step."""
    status = status or obj.status
    if name == COSIGN:
        return _("Only an open need can be co-signed.")
    if name == TO_REQUEST:
        return _("Only an open need can become a development request.")
    if name in MOVES:
        return _("The need is %(status)s; that step does not fit.") % {"status": N(status).label.lower()}
    if name == OFFER:
        if status == C.OPEN:
            return _("The call takes no more offers: its deadline was %(date)s.") % {
                "date": date_format(obj.deadline, "DATE_FORMAT")
            }
        return _("The call takes no more offers: it is %(status)s.") % {"status": C(status).label.lower()}
    if name == AWARD:
        return _("The call is %(status)s; it can be awarded once.") % {"status": C(status).label.lower()}
    if name == CANCEL:
        return _("Only an open call can be cancelled.")
    return _("You cannot do that.")


def _who_refusal(name: str, obj, user, *, organisation=None, supplier=None) -> Exception | None:
    """Why the person may not take the step (None: they may), before the state is looked at. `organisation` is the
    authority co-signing or withdrawing, `supplier` the partner offering, when the person has chosen one; without
    it the question is whether they may for any of theirs (what the page offers)."""
    roles = roles_for(user)
    if name == COSIGN:
        authorities = roles.organisation_ids(getters.AUTHORITY)
        if organisation is None:
            if not authorities:
                return PermissionDenied(_("Needs are co-signed by members of an authority."))
            if not getters.cosign_organisation_ids(user, obj):
                return TransitionConflict(_("Your authority has already co-signed, or posted, this need."))
            return None
        if organisation.pk not in authorities:
            return PermissionDenied(_("Needs are co-signed by members of an authority."))
        if organisation.pk == obj.organisation_id:
            return TransitionConflict(_("%(name)s posted this need.") % {"name": organisation.name})
        if organisation.pk in getters.cosigner_ids(obj):
            return TransitionConflict(_("%(name)s has already co-signed this need.") % {"name": organisation.name})
        return None
    if name == UNCOSIGN:
        if organisation is None:
            return None if _has_cosigned(roles, obj) else PermissionDenied()
        if not roles.member(organisation):
            return PermissionDenied()
        if organisation.pk not in getters.cosigner_ids(obj):
            return TransitionConflict(_("%(name)s has not co-signed this need.") % {"name": organisation.name})
        return None
    if name in (FOLLOW, UNFOLLOW):
        if not roles.authenticated:
            return PermissionDenied()
        if name == FOLLOW and getters.follows(user, obj):
            return TransitionConflict(_("You already follow the need."))
        if name == UNFOLLOW and not getters.follows(user, obj):
            return TransitionConflict(_("You do not follow the need."))
        return None
    if name == TO_REQUEST:
        if not _owner(roles, obj):
            return PermissionDenied(_("A member of the authority that posted the need files the request."))
        return None
    if name in MOVES:
        return None if _steward(roles, obj) else PermissionDenied()
    if name == OFFER:
        if supplier is None:
            if not _offering(roles, obj):
                return PermissionDenied(_("Only approved supplier partners with a matching competence make offers."))
            return None
        if not roles.member(supplier):
            return PermissionDenied(_("Offers are made by members of a supplier partner."))
        if supplier.pk not in roles.partner_organisations():
            return PermissionDenied(_("Only approved supplier partners make offers."))
        if supplier.pk not in getters.offering_ids(user, obj):
            return PermissionDenied(
                _("%(supplier)s does not offer %(kind)s in its partner profile.")
                % {"supplier": supplier.name, "kind": Call.Kind(obj.kind).label.lower()}
            )
        return None
    if name == AWARD:
        if not _caller(roles, obj):
            return PermissionDenied(_("Only the group or organisation that made the call awards it."))
        return None
    if name == CANCEL:
        return None if _canceller(roles, obj) else PermissionDenied()
    raise KeyError(name)


def refusal(name: str, obj, user, **chosen) -> Exception | None:
    """Why the person may not take the step on the need or call now, or None when they may."""
    step = workflow_of(obj)[name]
    found = _who_refusal(name, obj, user, **chosen)
    if found is not None:
        return found
    if obj.status not in step.sources:
        return TransitionConflict(state_message(name, obj))
    if not step.requires(obj):
        if name == AWARD:
            return ValidationError({"offer": [_("Choose one of the call's offers.")]})
        return TransitionConflict(state_message(name, obj))
    return None


def check(name: str, obj, user, **chosen) -> None:
    """Raise the refusal of the step, if there is one (the API and the pages ask this before a service)."""
    found = refusal(name, obj, user, **chosen)
    if found is not None:
        raise found


def check_who(name: str, obj, user, **chosen) -> None:
    """Raise the refusal of who the person is, if there is one: the services ask this, then decide the state
    under their lock."""
    found = _who_refusal(name, obj, user, **chosen)
    if found is not None:
        raise found
