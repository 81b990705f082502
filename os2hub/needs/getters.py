"""The doors to needs, calls, offers and donations (rule 2), and the reads the lists and dashboards share.

Needs, pitches and calls are public. Offers are sealed until the award: the caller and the secretariat see every
offer, a supplier sees its own; after the award everyone sees the awarded one. Donations are seen by the donating
authority's members and the secretariat."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from os2hub.accounts.models import Membership, Organisation
from os2hub.core import roles
from os2hub.development.models import DevelopmentRequest, Estimate

from . import services
from .models import Call, CoSign, Donation, Need, Offer, Pitch


def needs_with_counts():
    """Every need with `cosigner_count`, newest first. The count is a correlated subquery rather than a GROUP BY
    over every need: a page then counts the co-signs of its 25 rows only (and the paginator's COUNT leaves it out),
    which took the board from 18 to a few ms of SQL with 5,000 needs (benchmarks/needs.py)."""
    cosigns = CoSign.objects.filter(need=OuterRef("pk")).order_by().values("need").annotate(n=Count("pk")).values("n")
    return (
        Need.objects.select_related("organisation", "category")
        .annotate(cosigner_count=Coalesce(Subquery(cosigns, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )


def search_needs(queryset, q: str):
    """Words in the title, the problem or the desired outcome (every word must match somewhere)."""
    for word in q.split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(problem__icontains=word) | Q(desired_outcome__icontains=word)
        )
    return queryset


def get_need(pk) -> Need:
    need = needs_with_counts().select_related("product", "development_request", "created_by").filter(pk=pk).first()
    if need is None:
        raise Http404
    return need


def get_call(pk) -> Call:
    call = (
        Call.objects.select_related(
            "product", "need", "group__product", "organisation", "awarded_offer__supplier", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404
    return call


def can_see_all_offers(user, call) -> bool:
    return services.is_caller(user, call) or roles.is_secretariat(user)


def visible_offers(user, call):
    """The offers the user may read, cheapest first."""
    offers = Offer.objects.filter(call=call).select_related("supplier")
    if can_see_all_offers(user, call):
        return offers
    own = Q(supplier__in=Membership.objects.filter(user=user).values("organisation")) if user.is_authenticated else Q()
    awarded = Q(pk=call.awarded_offer_id) if call.awarded_offer_id else Q(pk__in=[])
    return offers.filter(own | awarded) if user.is_authenticated else offers.filter(awarded)


def get_pitch(pk) -> Pitch:
    pitch = Pitch.objects.select_related("supplier", "need").filter(pk=pk).first()
    if pitch is None:
        raise Http404
    return pitch


def visible_donations(user):
    if not user.is_authenticated:
        return Donation.objects.none()
    if user.is_secretariat:
        return Donation.objects.select_related("organisation", "product")
    return Donation.objects.filter(
        organisation__in=Membership.objects.filter(user=user).values("organisation")
    ).select_related("organisation", "product")


def get_donation_for_user(user, pk) -> Donation:
    donation = visible_donations(user).filter(pk=pk).first()
    if donation is None:
        raise Http404
    return donation


# --- Dashboards -------------------------------------------------------------------------------------------------


def supplier_opportunities(organisation, *, since=None, limit=20) -> dict:
    """What an approved partner can act on: open calls of the kinds its competences answer (deadline not passed),
    open needs, and development requests waiting for estimates (when it offers software development). `since`
    keeps only what is newer (the weekly digest)."""
    application = services.approved_partner(organisation)
    if application is None:
        return {"calls": [], "needs": [], "requests": [], "kinds": []}
    keys = set(application.competences.values_list("key", flat=True))
    kinds = [kind for kind, competences in services.KIND_COMPETENCES.items() if keys & set(competences)]
    today = timezone.localdate()
    calls = Call.objects.filter(status=Call.Status.OPEN, kind__in=kinds, deadline__gte=today).select_related(
        "product", "need", "group", "organisation"
    )
    needs = needs_with_counts().filter(status__in=services.OPEN_NEED)
    requests = DevelopmentRequest.objects.none()
    if "software-development" in keys:
        requests = (
            DevelopmentRequest.objects.filter(status__in=("submitted", "estimated"))
            .exclude(Exists(Estimate.objects.filter(request=OuterRef("pk"), supplier=organisation)))
            .select_related("product", "requester")
            .only("title", "status", "created_at", "submitted_at", "product__name", "product__slug", "requester__name")
        )
    if since is not None:
        calls = calls.filter(created_at__gte=since)
        needs = needs.filter(created_at__gte=since)
        requests = requests.filter(submitted_at__gte=since)
    return {
        "calls": list(calls.order_by("deadline", "pk")[:limit]),
        "needs": list(needs.order_by("-created_at", "-pk")[:limit]),
        "requests": list(requests.order_by("-submitted_at", "-pk")[:limit]),
        "kinds": kinds,
    }


def authority_overview(organisation, *, limit=20) -> dict:
    """An authority's needs, co-signs, active pledges and calls, newest first."""
    from os2hub.development.models import Pledge

    return {
        "needs": list(needs_with_counts().filter(organisation=organisation)[:limit]),
        "cosigns": list(
            CoSign.objects.filter(organisation=organisation)
            .select_related("need__organisation")
            .order_by("-created_at")[:limit]
        ),
        "pledges": list(
            Pledge.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
            .select_related("request__product")
            .order_by("-created_at")[:limit]
        ),
        "calls": list(
            Call.objects.filter(organisation=organisation)
            .select_related("product", "need")
            .annotate(offer_count=Count("offers"))
            .order_by("-created_at")[:limit]
        ),
    }


def dashboard_organisations(user) -> tuple[list[Organisation], list[Organisation]]:
    """(suppliers, authorities) the user is a member of."""
    if not user.is_authenticated:
        return [], []
    organisations = list(Organisation.objects.filter(memberships__user=user).order_by("name"))
    return (
        [o for o in organisations if o.kind == Organisation.Kind.SUPPLIER],
        [o for o in organisations if o.kind == Organisation.Kind.AUTHORITY],
    )
