"""Reads about partnerships that other apps share: which partnership a supplier has, and its published rates;
and the lists the pages and the API share, so their filters are written once.

Development requests (estimates at the software-development rate) and calls (offers at the rate of the first
matching competence) both ask here, so there is one answer to "what does this partner charge today".
"""

from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from os2hub.accounts.models import Organisation
from os2hub.core.roles import roles_for

from .models import CommitDomain, PriceEntry, SupplierApplication


def approved_partnership(organisation, competence: str | None = None) -> SupplierApplication | None:
    """The supplier's approved partnership (offering the competence, when one is given); None otherwise."""
    if organisation is None or organisation.kind != Organisation.Kind.SUPPLIER:
        return None
    found = SupplierApplication.objects.approved().filter(organisation=organisation)
    if competence is not None:
        found = found.filter(competences__key=competence)
    return found.first()


def published_rate(application, competences, on=None) -> Decimal | None:
    """The hourly rate published for the first of the competences (in the order given) that has one, on a day
    (today by default). A consulting call is priced at the technical consulting rate when there is one, not at
    whichever rate changed last."""
    if isinstance(competences, str):
        competences = [competences]
    on = on or timezone.localdate()
    entries = PriceEntry.objects.filter(
        application=application, competence__in=competences, valid_from__lte=on
    ).order_by("-valid_from", "-created_at")
    current = {}
    for entry in entries:
        current.setdefault(entry.competence, entry.hourly_rate_dkk)
    return next((current[key] for key in competences if key in current), None)


def partner_list(*, competence: str | None = None, q: str | None = None):
    """Approved partners, for the public directory and the API's list: offering a competence, with a name
    containing `q`, when given."""
    found = SupplierApplication.objects.approved().select_related("organisation").prefetch_related("competences")
    if q:
        found = found.filter(organisation_name__icontains=q)
    if competence:
        found = found.filter(competences__key=competence)
    return found


def application_list(*, user, status: str | None = None):
    """The applications a person may see, for the review queue and the API's list: the secretariat all of them,
    anyone else those of their own organisations (the rule of getters.get_application_for_user)."""
    roles = roles_for(user)
    found = SupplierApplication.objects.select_related("organisation")
    if not roles.secretariat:
        found = found.filter(organisation__in=roles.organisation_ids())
    if status:
        found = found.filter(status=status)
    return found


def newest_partners():
    """Approved partners, the latest approved first, with their organisation."""
    return (
        SupplierApplication.objects.approved()
        .select_related("organisation")
        .only("organisation_name", "decided_at", "organisation__name", "organisation__slug")
        # Partners approved before decisions were timed have none: they come last on every database.
        .order_by(F("decided_at").desc(nulls_last=True), "-pk")
    )


def verified_commit_domains() -> dict[str, str]:
    """domain -> partner name: the domains the secretariat has verified, of approved partners, for the
    scanner's vendor-concentration check (os2hub.scanner.organisations). One query."""
    return dict(
        CommitDomain.objects.filter(
            verified_at__isnull=False, application__status=SupplierApplication.Status.APPROVED
        ).values_list("domain", "application__organisation_name")
    )
