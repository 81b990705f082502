"""One door per permission for development requests, and what a person is to a request.

A draft is its requester's business (and the secretariat's); every other request is public. Lookups outside that
raise 404, so nobody learns a draft exists. Who the requester, the coordination group, the chosen supplier, an
estimating partner or a pledging authority is, is answered here from core/roles.py; the workflow table
(workflow.py) and the services ask these, never the memberships themselves."""

from django.db.models import Prefetch, Q
from django.http import Http404

from os2hub.accounts.getters import awaiting_confirmation, confirmed_organisation_ids
from os2hub.accounts.models import Organisation
from os2hub.core import roles
from os2hub.core.roles import roles_for
from os2hub.suppliers.models import Competence
from os2hub.suppliers.selectors import approved_partnership

from .models import DevelopmentRequest, Estimate, Pledge, RequestEvent

Status = DevelopmentRequest.Status
Funding = DevelopmentRequest.Funding
# The competence that makes a supplier partner an estimator of development work.
ESTIMATING_COMPETENCE = Competence.SOFTWARE_DEVELOPMENT
# From the first estimate until accepted, the request's links say where the work happens.
LINKABLE = (Status.ESTIMATED, Status.FUNDING, Status.ORDERED, Status.IN_PROGRESS, Status.DELIVERED, Status.ACCEPTED)


# --- What a person is to a request --------------------------------------------------------------------------------


def is_requester(user, request) -> bool:
    """A member of the organisation that filed the request."""
    return roles_for(user).member(request.requester_id)


def is_coordination(user, product) -> bool:
    """The product's coordination group prioritises community-funded requests; the secretariat may act too."""
    return roles.is_coordination(user, product)


def is_supplier_of(user, request) -> bool:
    """A member of the supplier whose estimate was ordered (or is being funded)."""
    return bool(request.chosen_estimate_id) and roles_for(user).member(request.chosen_estimate.supplier_id)


def is_decider(user, request) -> bool:
    """Who accepts a delivery or sends it back: the requester when the requester pays, the coordination group when
    the community pays."""
    if request.funding == Funding.REQUESTER:
        return is_requester(user, request)
    return is_coordination(user, request.product)


def is_estimator(user) -> bool:
    """A member of an approved supplier partner offering software development."""
    return bool(roles_for(user).partner_organisations(ESTIMATING_COMPETENCE))


def pledging_authority_ids(user) -> set[int]:
    """The confirmed authorities the user administers: those it may pledge for. An authority that registered
    itself pledges once the OS2 secretariat has confirmed it (see pledge_refusal)."""
    found = roles_for(user)
    administered = {org for org in found.organisation_ids(Organisation.Kind.AUTHORITY) if found.admin(org)}
    return administered & confirmed_organisation_ids(user) if administered else set()


def pledge_refusal(user, organisation=None) -> str:
    """Why the user's authority (`organisation`, or the first it administers that waits) cannot pledge yet and
    what to do, or "" when nothing stands in the way of a confirmation. For the request page and the pledge
    service."""
    if organisation is not None:
        return organisation.confirmation_refusal()
    waiting = awaiting_confirmation(user)
    return waiting[0].confirmation_refusal() if waiting else ""


def can_change_attachments(user, request) -> bool:
    """The requester's members add and remove attachments while the request is a draft."""
    return request.status == Status.DRAFT and is_requester(user, request)


def can_remove_attachments(user, request) -> bool:
    """The secretariat removes an attachment at any time (personal data uploaded by mistake)."""
    return roles.is_secretariat(user) or can_change_attachments(user, request)


def can_link(user, request) -> bool:
    """The requester, the chosen supplier and the coordination group keep the links to the work."""
    return is_requester(user, request) or is_supplier_of(user, request) or is_coordination(user, request.product)


# --- Finding requests -------------------------------------------------------------------------------------------


def visible_requests(user):
    """Every request the user may see: all that have been submitted, and the drafts of the user's organisations
    (all drafts for the secretariat)."""
    requests = DevelopmentRequest.objects.all()
    found = roles_for(user)
    if found.secretariat:
        return requests
    own = found.organisation_ids()
    if not own:
        return requests.exclude(status=Status.DRAFT)
    return requests.filter(~Q(status=Status.DRAFT) | Q(requester__in=own))


def get_request_for_user(user, pk) -> DevelopmentRequest:
    """The request with what its page shows (estimates, active pledges, history), or 404."""
    found = (
        visible_requests(user)
        .filter(pk=pk)
        .select_related("product", "requester", "created_by", "sprint", "chosen_estimate__supplier")
        .prefetch_related(
            Prefetch("estimates", queryset=Estimate.objects.select_related("supplier")),
            Prefetch(
                "pledges",
                queryset=Pledge.objects.filter(withdrawn_at__isnull=True).select_related("organisation", "created_by"),
                to_attr="active_pledges",
            ),
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
            "attachments",
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_draft_for_requester(user, pk) -> DevelopmentRequest:
    """A request whose text the user may change: a draft of one of the user's organisations (404 otherwise)."""
    found = get_request_for_user(user, pk)
    if found.status != Status.DRAFT or not is_requester(user, found):
        raise Http404
    return found


def requester_organisations(user) -> list[Organisation]:
    """The authorities and suppliers on whose behalf the user may file requests, authorities first."""
    own = roles_for(user).organisation_ids()
    if not own:
        return []
    organisations = Organisation.objects.filter(
        pk__in=own, kind__in=(Organisation.Kind.AUTHORITY, Organisation.Kind.SUPPLIER)
    ).order_by("kind", "name")
    return list(organisations)


def estimating_suppliers(user) -> list[tuple[Organisation, object]]:
    """(supplier, approved application) for each approved software-development partner the user belongs to."""
    partners = roles_for(user).partner_organisations(ESTIMATING_COMPETENCE)
    if not partners:
        return []
    found = []
    for organisation in Organisation.objects.filter(pk__in=partners):
        application = approved_partnership(organisation, ESTIMATING_COMPETENCE)
        if application is not None:
            found.append((organisation, application))
    return found


def pledging_authorities(user) -> list[Organisation]:
    """The authorities the user administers, by name: those it may pledge for."""
    ids = pledging_authority_ids(user)
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
