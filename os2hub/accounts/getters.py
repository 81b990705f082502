"""One door per permission: every lookup of user-scoped account data goes through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation


def get_organisation_for_user(user, slug: str, *, admin: bool = False) -> tuple[Organisation, Membership | None]:
    """Return the organisation and the user's membership. Members see it; admin=True requires an admin.

    The secretariat may read every organisation. Outsiders get 404 so they learn nothing.
    """
    org = Organisation.objects.filter(slug=slug).first()
    if org is None or not user.is_authenticated:
        raise Http404
    membership = Membership.objects.filter(user=user, organisation=org).first()
    if membership is None and not user.is_secretariat:
        raise Http404
    if admin and (membership is None or not membership.is_admin):
        raise PermissionDenied
    return org, membership


def admin_organisations(user, kind: str | None = None):
    qs = Organisation.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)
    if kind:
        qs = qs.filter(kind=kind)
    return qs
