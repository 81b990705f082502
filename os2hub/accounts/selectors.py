"""Reads about organisations that the organisation form and the apps above accounts share: whose a CVR number
is, who is told about something (an organisation's administrators, the secretariat), what waits for the
secretariat and for an organisation's administrators (new organisations to confirm, requests to join), and
finding an organisation to join.

A CVR number belongs to one organisation on OS2hub. A supplier that applies for a partnership claims its CVR
number with its live (not rejected) application before the organisation itself carries it, so both count. The
applications are read through the relation the suppliers app declares on Organisation (`supplier_applications`),
so accounts imports no app above it.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db.models import Count, FilteredRelation, Q
from django.utils.translation import gettext as _

from os2hub.core.roles import roles_for

from .models import JoinRequest, Membership, Organisation, User

REJECTED = "rejected"


def _others(besides: Organisation | None):
    found = Organisation.objects.all()
    if besides is not None and besides.pk:
        found = found.exclude(pk=besides.pk)
    return found


def cvr_applied_for(cvr: str, *, besides: Organisation | None = None) -> bool:
    """Does an organisation other than `besides` have a live partnership application with this CVR number?"""
    live = FilteredRelation("supplier_applications", condition=~Q(supplier_applications__status=REJECTED))
    return _others(besides).annotate(live_application=live).filter(live_application__cvr=cvr).exists()


def cvr_registered(cvr: str, *, besides: Organisation | None = None) -> bool:
    """Does another organisation carry this CVR number or apply with it?"""
    return _others(besides).filter(cvr=cvr).exists() or cvr_applied_for(cvr, besides=besides)


def cvr_taken_error(cvr: str) -> ValidationError:
    return ValidationError(_("CVR number %(cvr)s is already registered on OS2hub.") % {"cvr": cvr})


def organisation_admins(organisation):
    """The people who administer an organisation (e-mail recipients)."""
    return User.objects.filter(memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN)


def secretariat_people():
    """The people of the OS2 secretariat (e-mail recipients)."""
    return User.objects.filter(memberships__organisation__kind=Organisation.Kind.SECRETARIAT)


# --- Self-service onboarding ------------------------------------------------------------------------------------


def verified_email_domains(user) -> set[str]:
    """The domains of the person's confirmed e-mail addresses (allauth)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {address.rsplit("@", 1)[-1].lower() for address in addresses if "@" in address}


def joinable(organisation: Organisation) -> bool:
    """People find and ask to join authorities and suppliers; the secretariat invites its own people, and an
    organisation the secretariat did not confirm is not offered."""
    return organisation.kind != Organisation.Kind.SECRETARIAT and organisation.status != Organisation.Status.REJECTED


def joins_by_domain(user, organisation: Organisation) -> bool:
    """Does the person join without asking: a confirmed address at the organisation's verified e-mail domain?"""
    return organisation.email_domain_verified and organisation.email_domain in verified_email_domains(user)


def joinable_organisations():
    return Organisation.objects.exclude(kind=Organisation.Kind.SECRETARIAT).exclude(status=Organisation.Status.REJECTED)


def organisation_search(q: str):
    """Organisations a person may ask to join, by part of the name or by CVR number (also the number a live
    partnership application gives, before the organisation carries it)."""
    q = " ".join((q or "").split())
    if not q:
        return Organisation.objects.none()
    digits = q.replace(" ", "")
    condition = Q(name__icontains=q)
    if digits.isdigit() and len(digits) == 8:
        live = FilteredRelation("supplier_applications", condition=~Q(supplier_applications__status=REJECTED))
        found = joinable_organisations().annotate(live_application=live)
        return found.filter(condition | Q(cvr=digits) | Q(live_application__cvr=digits)).distinct().order_by("name")
    return joinable_organisations().filter(condition).order_by("name")


def own_join_requests(user):
    """The person's requests that wait for an answer, with their organisations."""
    return JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).select_related("organisation")


def join_requests_waiting(user):
    """The requests to join the organisations the person administers that wait for an answer, oldest first (for
    the organisation pages and the personal overview: `.count()` is one query)."""
    roles = roles_for(user)
    administered = [org for org in roles.organisation_ids() if roles.admin(org)]
    if not administered:
        return JoinRequest.objects.none()
    return (
        JoinRequest.objects.filter(organisation__in=administered, status=JoinRequest.Status.PENDING)
        .select_related("organisation", "user")
        .order_by("created_at", "pk")
    )


def organisations_to_confirm():
    """The authorities that registered themselves and wait for the secretariat's confirmation, oldest first.
    The secretariat's queue and overview count them: `organisations_to_confirm().count()`."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY, status=Organisation.Status.PENDING)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )


def domains_to_verify():
    """Organisations whose e-mail domain the secretariat has not verified yet, oldest first."""
    return (
        joinable_organisations()
        .exclude(email_domain="")
        .filter(email_domain_verified_at__isnull=True)
        .order_by("created_at", "pk")
    )


def onboarding_queue_counts() -> dict[str, int]:
    """What waits for the secretariat, in one query: {"organisations": authorities to confirm, "domains": e-mail
    domains to verify}."""
    return Organisation.objects.aggregate(
        organisations=Count("pk", filter=Q(kind=Organisation.Kind.AUTHORITY, status=Organisation.Status.PENDING)),
        domains=Count(
            "pk",
            filter=~Q(email_domain="")
            & Q(email_domain_verified_at__isnull=True)
            & ~Q(kind=Organisation.Kind.SECRETARIAT)
            & ~Q(status=Organisation.Status.REJECTED),
        ),
    )
