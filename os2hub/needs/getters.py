"""Who someone is to a need, a call, a pitch or a donation (built on core.roles: the one place these questions are
answered), the doors to them (rule 2), and the reads the dashboards share.

Needs, pitches and calls are public. Offers are sealed until the award: the caller and the secretariat see every
offer, a supplier sees its own; after the award everyone sees the awarded one. Donations are seen by the donating
authority's members and the secretariat."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from os2hub.accounts.models import Organisation
from os2hub.core.roles import PROFESSIONAL, roles_for
from os2hub.development.models import DevelopmentRequest, Estimate
from os2hub.suppliers.selectors import approved_partnership

from .models import KIND_COMPETENCES, OPEN_NEED, Call, CoSign, Donation, Follow, Need, Offer, Pitch
from .selectors import needs_with_counts

AUTHORITY = Organisation.Kind.AUTHORITY


# --- Who someone is to a need, a call, a pitch or a donation (built on core.roles) ---------------------------------


def is_need_owner(user, need) -> bool:
    """The posting authority's members."""
    return roles_for(user).member(need.organisation_id)


def is_need_steward(user, need) -> bool:
    """The posting authority's members and the secretariat move a need along."""
    roles = roles_for(user)
    return roles.member(need.organisation_id) or roles.secretariat


def is_caller(user, call) -> bool:
    """The members of the group or organisation that made the call. A product has one coordination group (and one
    steering group), so the person's groups by product and kind answer it; professional groups are several."""
    roles = roles_for(user)
    if not roles.authenticated:
        return False
    if call.group_id:
        group = call.group
        if group.kind == PROFESSIONAL:
            return group.members.filter(user=user).exists()
        return roles.in_group(group.product_id, group.kind)
    return roles.member(call.organisation_id)


def can_see_all_offers(user, call) -> bool:
    return is_caller(user, call) or roles_for(user).secretariat


def can_cancel_call(user, call) -> bool:
    """The caller, or the secretariat, cancels a call."""
    return is_caller(user, call) or roles_for(user).secretariat


def can_mark_pitches(user) -> bool:
    """The secretariat puts pitches on a community meeting's agenda."""
    return roles_for(user).secretariat


def can_decide_donations(user) -> bool:
    """The secretariat accepts or declines donations and sees all of them."""
    return roles_for(user).secretariat


def user_organisations(user, kind) -> list[Organisation]:
    """The user's organisations of a kind, by name."""
    ids = roles_for(user).organisation_ids(kind)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


def cosigner_ids(need) -> set[int]:
    return set(CoSign.objects.filter(need=need).values_list("organisation_id", flat=True))


def cosign_organisation_ids(user, need) -> set[int]:
    """The user's authorities that may still co-sign: not the posting one, and not one that already has."""
    mine = roles_for(user).organisation_ids(AUTHORITY) - {need.organisation_id}
    return mine - cosigner_ids(need) if mine else set()


def cosigned_organisation_ids(user, need) -> set[int]:
    """The user's authorities that have co-signed (and so may withdraw)."""
    mine = roles_for(user).organisation_ids(AUTHORITY)
    return mine & cosigner_ids(need) if mine else set()


def follows(user, need) -> bool:
    return bool(user.is_authenticated and Follow.objects.filter(need=need, user=user).exists())


def partner_ids(user) -> set[int]:
    """The user's suppliers that are approved partners (they pitch)."""
    return roles_for(user).partner_organisations()


def offering_ids(user, call) -> set[int]:
    """The user's approved partners whose competences answer the call's kind (they offer)."""
    roles = roles_for(user)
    found = set()
    for competence in KIND_COMPETENCES[Call.Kind(call.kind)]:
        found |= roles.partner_organisations(competence)
    return found


def organisations(ids) -> list[Organisation]:
    """The organisations with these ids, by name (the choices of an "on behalf of" field)."""
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


# --- Doors --------------------------------------------------------------------------------------------------------


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


def visible_offers(user, call):
    """The offers the user may read, cheapest first."""
    offers = Offer.objects.filter(call=call).select_related("supplier")
    if can_see_all_offers(user, call):
        return offers
    awarded = Q(pk=call.awarded_offer_id) if call.awarded_offer_id else Q(pk__in=[])
    if not user.is_authenticated:
        return offers.filter(awarded)
    return offers.filter(Q(supplier__in=roles_for(user).organisation_ids()) | awarded)


def get_pitch(pk) -> Pitch:
    pitch = Pitch.objects.select_related("supplier", "need").filter(pk=pk).first()
    if pitch is None:
        raise Http404
    return pitch


def visible_donations(user):
    if not user.is_authenticated:
        return Donation.objects.none()
    if can_decide_donations(user):
        return Donation.objects.select_related("organisation", "product")
    return Donation.objects.filter(organisation__in=roles_for(user).organisation_ids()).select_related(
        "organisation", "product"
    )


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
    application = approved_partnership(organisation)
    if application is None:
        return {"calls": [], "needs": [], "requests": [], "kinds": []}
    keys = set(application.competences.values_list("key", flat=True))
    kinds = [kind for kind, competences in KIND_COMPETENCES.items() if keys & set(competences)]
    today = timezone.localdate()
    calls = Call.objects.filter(status=Call.Status.OPEN, kind__in=kinds, deadline__gte=today).select_related(
        "product", "need", "group", "organisation"
    )
    needs = needs_with_counts().filter(status__in=OPEN_NEED)
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
