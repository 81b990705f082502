"""One door per permission for supplier applications; what a person is comes from core.roles."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from os2hub.accounts.getters import admin_organisations
from os2hub.accounts.models import Organisation
from os2hub.core.roles import roles_for

from .models import SupplierApplication
from .workflow import applicant


def get_application_for_user(user, pk, *, write=False) -> SupplierApplication:
    """Members of the applying organisation and the secretariat may read; only the organisation's admins
    may write. Anyone else gets 404, so another supplier cannot even learn that the application exists."""
    if not user.is_authenticated:
        raise Http404
    try:
        application = SupplierApplication.objects.select_related("organisation").get(pk=int(pk))
    except (SupplierApplication.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    roles = roles_for(user)
    if not roles.member(application.organisation_id) and not roles.secretariat:
        raise Http404
    if write and not applicant(roles, application):
        raise PermissionDenied
    return application


def can_edit_application(user, application) -> bool:
    """The applying organisation's administrators fill in, change and submit its application."""
    return applicant(roles_for(user), application)


def supplier_organisation_for_admin(user) -> Organisation | None:
    """The supplier organisation the user administers (the first, if several)."""
    if not user.is_authenticated:
        return None
    return admin_organisations(user, Organisation.Kind.SUPPLIER).order_by("name").first()


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
        .prefetch_related("competences", "prices", "contacts", "commit_domains")
        .filter(organisation__slug=slug)
        .first()
    )
    if application is None:
        raise Http404
    return application


def can_manage_commit_domains(user, application) -> bool:
    """The partner's administrators list the e-mail domains the partner commits from (and remove them)."""
    return applicant(roles_for(user), application)


def can_verify_commit_domains(user, application) -> bool:
    """The secretariat verifies a partner's commit domains, but not a partnership of its own: nobody confirms
    their own claim to another company's commits."""
    roles = roles_for(user)
    return roles.secretariat and not roles.member(application.organisation_id)


def can_remove_commit_domain(user, application) -> bool:
    """The partner's administrators withdraw a domain; the secretariat removes one that is not the partner's."""
    roles = roles_for(user)
    return applicant(roles, application) or roles.secretariat
