"""What every part of the demo shares: the personas' password, the demo label, fictional CVR numbers and
the helpers that create people, organisations and memberships."""

from allauth.account.models import EmailAddress
from stdnum.dk import cvr as cvr_number

from os2hub.accounts.models import Membership, User

DEMO_PASSWORD = "demo-os2hub"  # noqa: S105 - demo-only, refused when DEBUG is off

# Fictional community data, clearly labelled in the texts: which demo authorities use which product, and
# which demo suppliers hold which roles.
DEMO_NOTE = "\n\n*Demodata: anvendere, aftaler, grupper og leverandørroller på OS2hub's demoside er fiktive.*"


def fictional_cvr(seed: int) -> str:
    """A CVR number that passes the modulus-11 check, derived from a seed (fictional, not a real company)."""
    base = 40000000 + seed * 7919
    while True:
        candidate = str(base)[:7]
        for last in range(10):
            if cvr_number.is_valid(candidate + str(last)):
                return candidate + str(last)
        base += 10


def person(email, name, *, staff=False) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name, is_staff=staff, is_superuser=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def organisation(name, kind, cvr=None, ean_number=""):
    from os2hub.accounts.services import organisation_create

    return organisation_create(name=name, kind=kind, cvr=cvr, ean=ean_number)


def join(user, org, role="admin"):
    Membership.objects.create(user=user, organisation=org, role=role)
