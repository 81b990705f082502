"""Reads of development requests that the pages and the API share, so that a filter is written once."""

from django.db.models import Exists, OuterRef

from os2hub.accounts.models import Organisation
from os2hub.core.roles import roles_for

from .getters import visible_requests
from .models import DevelopmentRequest, Estimate, Pledge

# "Ours" on the list page: what our organisations filed, pledged to (an authority) or estimated (a supplier).
MINE = ("requested", "pledged", "estimated")


def _slug(value: str) -> str | None:
    # PostgreSQL cannot even compare with a NUL character; such a slug names nothing.
    return None if "\x00" in value else value


def _organisations(slug: str):
    return Organisation.objects.filter(slug=_slug(slug)).values("pk")


def _pledged_by(organisations):
    return Exists(
        Pledge.objects.filter(request=OuterRef("pk"), withdrawn_at__isnull=True, organisation__in=organisations)
    )


def _estimated_by(organisations):
    return Exists(Estimate.objects.filter(request=OuterRef("pk"), supplier__in=organisations))


def request_list(
    *,
    user,
    product=None,
    status: str | None = None,
    funding: str | None = None,
    requester: str | None = None,
    pledged_by: str | None = None,
    estimated_by: str | None = None,
    mine: str | None = None,
):
    """The requests the user may see (submitted ones, and the drafts of the user's organisations), newest first,
    filtered; a filter left out (None) does not filter. `product` is a product or its slug; `requester`,
    `pledged_by` (an active pledge) and `estimated_by` are organisations' slugs; `mine` is one of MINE, about the
    user's own organisations. The caller loads what it shows."""
    requests = visible_requests(user).order_by("-created_at", "-pk")
    if product is not None:
        if isinstance(product, str):
            requests = requests.filter(product__slug=_slug(product))
        else:
            requests = requests.filter(product=product)
    if status is not None:
        requests = requests.filter(status=status)
    if funding is not None:
        requests = requests.filter(funding=funding)
    if requester is not None:
        requests = requests.filter(requester__slug=_slug(requester))
    if pledged_by is not None:
        requests = requests.filter(_pledged_by(_organisations(pledged_by)))
    if estimated_by is not None:
        requests = requests.filter(_estimated_by(_organisations(estimated_by)))
    if mine is not None:
        ours = roles_for(user).organisation_ids()
        if mine == "requested":
            requests = requests.filter(requester__in=ours)
        elif mine == "pledged":
            requests = requests.filter(_pledged_by(ours))
        elif mine == "estimated":
            requests = requests.filter(_estimated_by(ours))
        else:
            raise ValueError(f"mine is one of {MINE}")
    return requests


# --- The front page and the personal overview --------------------------------------------------------------------


def open_for_funding():
    """Requests open for funding (submitted, so public), newest first, with their product and requester."""
    return (
        DevelopmentRequest.objects.filter(status=DevelopmentRequest.Status.FUNDING)
        .select_related("product", "requester")
        .only(
            "title",
            "status",
            "price_dkk",
            "pledged_dkk",
            "created_at",
            "product__name",
            "product__slug",
            "requester__name",
        )
        .order_by("-created_at", "-pk")
    )


def pledges_of(organisation):
    """An authority's active pledges, the latest first, with their requests."""
    return (
        Pledge.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
        .select_related("request__product")
        .order_by("-created_at", "-pk")
    )


def estimates_of(supplier):
    """A supplier's estimates, the latest first, with their requests."""
    return Estimate.objects.filter(supplier=supplier).select_related("request__product").order_by("-created_at", "-pk")
