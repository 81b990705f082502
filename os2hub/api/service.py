"""Service endpoints: health for monitoring, `me` for a token's owner."""

import logging

from django.db import connection
from django.http import Http404
from ninja import Router, Schema, Status

from os2hub.accounts.models import Membership

from .errors import ErrorOut

logger = logging.getLogger(__name__)

router = Router(tags=["service"])


class HealthOut(Schema):
    status: str
    database: str


class MembershipOut(Schema):
    slug: str
    name: str
    kind: str
    role: str


class ProductRoleOut(Schema):
    slug: str
    role: str


class MeOut(Schema):
    email: str
    name: str
    organisations: list[MembershipOut]
    products: list[ProductRoleOut]


@router.get("health", auth=None, response={200: HealthOut, 503: HealthOut}, summary="Health check")
def health(request):
    """200 when the application and its database answer; 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Any failure of the database is an unhealthy service, never a 500 from the health check itself.
        logger.exception("Health check: the database did not answer")
        return Status(503, {"status": "error", "database": "error"})
    return Status(200, {"status": "ok", "database": "ok"})


def product_roles_of(user) -> list[dict]:
    """Every product role of the user: coordinator, and membership of the product's groups by kind."""
    from os2hub.products.models import GroupMember, Product

    roles = [
        {"slug": slug, "role": "coordinator"}
        for slug in Product.objects.filter(coordinator=user).values_list("slug", flat=True)
    ]
    roles += [
        {"slug": slug, "role": kind}
        for slug, kind in GroupMember.objects.filter(user=user)
        .values_list("group__product__slug", "group__kind")
        .distinct()
    ]
    return sorted(roles, key=lambda r: (r["slug"], r["role"]))


@router.get("me", response={200: MeOut, 401: ErrorOut}, summary="The token's owner")
def me(request):
    user = request.auth
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return {
        "email": user.email,
        "name": user.name,
        "organisations": [
            {
                "slug": m.organisation.slug,
                "name": m.organisation.name,
                "kind": m.organisation.kind,
                "role": m.role,
            }
            for m in memberships
        ],
        "products": product_roles_of(user),
    }


# Unknown paths under /api/v1/ answer 404 in the API's error format rather than with the HTML page.
# Mounted after every other router (see __init__.py): Django tries URL patterns in order.
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "{path:rest}", auth=None, include_in_schema=False)
def unknown_path(request, rest: str):
    raise Http404
