"""One door per permission for supplier applications."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from os2hub.accounts.models import Membership, Organisation

from .models import SupplierApplication


def get_application_for_user(user, pk, *, write=False) -> SupplierApplication:
    """Members of the applying organisation and the secretariat may read; only the organisation's admins
    may write. Anyone else gets 404, so another supplier cannot even learn that the application exists."""
    if not user.is_authenticated:
        raise Http404
    try:
        application = SupplierApplication.objects.select_related("organisation").get(pk=int(pk))
    except (SupplierApplication.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    membership = Membership.objects.filter(user=user, organisation=application.organisation_id).first()
    if membership is None and not user.is_secretariat:
        raise Http404
    if write and (membership is None or not membership.is_admin):
        raise PermissionDenied
    return application


def supplier_organisation_for_admin(user) -> Organisation | None:
    """The supplier organisation the user administers (the first, if several)."""
    if not user.is_authenticated:
        return None
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.SUPPLIER, memberships__user=user, memberships__role=Membership.Role.ADMIN
        )
        .order_by("name")
        .first()
    )


def get_own_application(user) -> tuple[Organisation | None, SupplierApplication | None]:
    """The live (not rejected) application of the supplier organisation the user administers, or the latest."""
    org = supplier_organisation_for_admin(user)
    if org is None:
        return None, None
    qs = SupplierApplication.objects.filter(organisation=org).select_related("organisation")
    application = qs.exclude(status=SupplierApplication.Status.REJECTED).first() or qs.order_by("-created_at").first()
    return org, application


def get_public_profile(slug) -> SupplierApplication:
    application = (
        SupplierApplication.objects.approved()
        .select_related("organisation")
        .prefetch_related("competences", "prices", "contacts")
        .filter(organisation__slug=slug)
        .first()
    )
    if application is None:
        raise Http404
    return application
