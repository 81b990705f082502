"""Reads about organisations that the organisation form and the apps above accounts share: whose a CVR number
is, and who is told about something (an organisation's administrators, the secretariat).

A CVR number belongs to one organisation on OS2hub. A supplier that applies for a partnership claims its CVR
number with its live (not rejected) application before the organisation itself carries it, so both count. The
applications are read through the relation the suppliers app declares on Organisation (`supplier_applications`),
so accounts imports no app above it.
"""

from django.core.exceptions import ValidationError
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext as _

from .models import Membership, Organisation, User

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
