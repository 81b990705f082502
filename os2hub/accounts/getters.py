"""One door per permission: every lookup of user-scoped account data goes through here.

What a person is to an organisation comes from core.roles, computed once per request.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from os2hub.core.roles import roles_for

from .models import JoinRequest, Organisation
from .selectors import joinable


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


def confirmed_organisation_ids(user, kind: str | None = None) -> set[int]:
    """The person's organisations (of a kind, if given) that are confirmed (Organisation.status): one query,
    kept with the person's roles for the rest of the request (and forgotten with them)."""
    roles = roles_for(user)
    own = roles.organisation_ids()
    if not own:
        return set()
    confirmed = getattr(roles, "_confirmed_organisations", None)
    if confirmed is None:
        confirmed = set(
            Organisation.objects.filter(pk__in=own, status=Organisation.Status.CONFIRMED).values_list("pk", flat=True)
        )
        roles._confirmed_organisations = confirmed
    return confirmed & roles.organisation_ids(kind)


def awaiting_confirmation(user, kind: str = Organisation.Kind.AUTHORITY) -> list[Organisation]:
    """The organisations the person administers that wait for (or did not get) the secretariat's confirmation:
    what a page says when it cannot offer a pledge or a joining agreement."""
    administered = admin_organisation_ids(user, kind)
    if not administered or administered <= confirmed_organisation_ids(user):
        return []
    return list(Organisation.objects.filter(pk__in=administered).exclude(status=Organisation.Status.CONFIRMED))


def get_joinable_organisation(user, slug: str) -> Organisation:
    """An organisation a signed-in person may ask to join (its public facts only): 404 for the secretariat's and
    for one the secretariat did not confirm."""
    org = Organisation.objects.filter(slug=slug).first()
    if org is None or not user.is_authenticated or not joinable(org):
        raise Http404
    return org


def get_join_request_for_admin(user, organisation: Organisation, pk) -> JoinRequest:
    """A request to join `organisation`, for its administrators and the secretariat (404 for anyone else)."""
    roles = roles_for(user)
    if not roles.admin(organisation) and not roles.secretariat:
        raise Http404
    found = JoinRequest.objects.filter(organisation=organisation, pk=pk).select_related("user", "organisation").first()
    if found is None:
        raise Http404
    return found


def require_secretariat(user) -> None:
    if not roles_for(user).secretariat:
        raise PermissionDenied(_("Only the OS2 secretariat can see this page."))
