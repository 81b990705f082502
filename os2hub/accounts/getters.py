"""One door per permission: every lookup of user-scoped account data goes through here.

What a person is to an organisation comes from core.roles, computed once per request.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from os2hub.core.roles import roles_for

from .models import Organisation


def get_organisation_for_user(user, slug: str, *, admin: bool = False) -> Organisation:
    """Return the organisation. Members see it; admin=True requires an admin of it.

    The secretariat may read every organisation. Outsiders get 404 so they learn nothing.
    """
    org = Organisation.objects.filter(slug=slug).first()
    if org is None or not user.is_authenticated:
        raise Http404
    roles = roles_for(user)
    if not roles.member(org) and not roles.secretariat:
        raise Http404
    if admin and not roles.admin(org):
        raise PermissionDenied
    return org


def admin_organisation_ids(user, kind: str | None = None) -> set[int]:
    """The organisations (of a kind, if given) the person administers."""
    roles = roles_for(user)
    return {org for org in roles.organisation_ids(kind) if roles.admin(org)}


def admin_organisations(user, kind: str | None = None):
    return Organisation.objects.filter(pk__in=admin_organisation_ids(user, kind))
