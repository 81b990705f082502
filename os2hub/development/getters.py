"""One door per permission for development requests: a draft is its requester's business (and the
secretariat's); every other request is public. Lookups outside that raise 404, so nobody learns a draft exists."""

from django.db.models import Prefetch, Q
from django.http import Http404

from os2hub.accounts.models import Membership, Organisation

from . import services
from .models import DevelopmentRequest, Estimate, Pledge, RequestEvent

Status = DevelopmentRequest.Status


def visible_requests(user):
    """Every request the user may see: all that have been submitted, and the drafts of the user's organisations
    (all drafts for the secretariat)."""
    requests = DevelopmentRequest.objects.all()
    if not user.is_authenticated:
        return requests.exclude(status=Status.DRAFT)
    if user.is_secretariat:
        return requests
    own = Membership.objects.filter(user=user).values("organisation")
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
    if found.status != Status.DRAFT or not services.is_requester(user, found):
        raise Http404
    return found


def requester_organisations(user) -> list[Organisation]:
    """The authorities and suppliers on whose behalf the user may file requests, authorities first."""
    if not user.is_authenticated:
        return []
    organisations = Organisation.objects.filter(
        memberships__user=user, kind__in=(Organisation.Kind.AUTHORITY, Organisation.Kind.SUPPLIER)
    ).order_by("kind", "name")
    return list(organisations)


def estimating_suppliers(user) -> list[tuple[Organisation, object]]:
    """(supplier, approved application) for each approved software-development partner the user belongs to."""
    if not user.is_authenticated:
        return []
    found = []
    for organisation in Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.SUPPLIER):
        application = services.approved_estimator(organisation)
        if application is not None:
            found.append((organisation, application))
    return found


def pledging_authorities(user) -> list[Organisation]:
    """The authorities the user administers: those it may pledge for."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.AUTHORITY, memberships__user=user, memberships__role=Membership.Role.ADMIN
        ).order_by("name")
    )
