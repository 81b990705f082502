"""The personas of API.md: the secretariat, the authorities and their people, a new supplier; and what waits in
the onboarding queues: an authority that registered itself and waits for the secretariat's confirmation, a
supplier's e-mail domain to verify, and a person who asks to join Aarhus Kommune."""

from stdnum import ean

from os2hub.accounts.models import JoinRequest, Organisation
from os2hub.accounts.services import organisation_create
from os2hub.demo.common import fictional_cvr, join, organisation, person

# Real Danish public authorities with their public CVR numbers.
AUTHORITIES = [
    ("Aarhus Kommune", "55133018"),
    ("Københavns Kommune", "64942212"),
    ("Odense Kommune", "35209115"),
    ("Aalborg Kommune", "29189420"),
    ("Frederiksberg Kommune", "11259979"),
    ("Ballerup Kommune", "58271713"),
    ("Region Hovedstaden", "29190623"),
]


def load():
    """The secretariat and its persona, the authorities with the municipal personas, and a new supplier's admin.
    Returns the secretariat persona and the authorities, in the order of AUTHORITIES."""
    secretariat_org = organisation("OS2-sekretariatet", Organisation.Kind.SECRETARIAT, "29190925")
    secretariat = person("sekretariat@os2hub.example", "Sara Sekretariat", staff=True)
    join(secretariat, secretariat_org)

    authorities = []
    for i, (name, cvr) in enumerate(AUTHORITIES):
        prefix = f"57980000{i + 1:04d}"
        authorities.append(organisation(name, Organisation.Kind.AUTHORITY, cvr, prefix + ean.calc_check_digit(prefix)))
    join(person("kommune@os2hub.example", "Karen Kommune"), authorities[0])
    join(person("kommune2@os2hub.example", "Ole Odense"), authorities[2])
    # The coordinator persona is a member here; its product roles (tovholder, coordination group) come below.
    join(person("koordinator@os2hub.example", "Kim Koordinator"), authorities[1], role="member")

    ny_org = organisation("Ny Leverandør Demo ApS", Organisation.Kind.SUPPLIER, fictional_cvr(99))
    join(person("ny-leverandoer@os2hub.example", "Nina Ny"), ny_org)
    _onboarding(authorities[0], ny_org)
    return secretariat, authorities


def _onboarding(aarhus, ny_org):
    """The onboarding queues, not empty: the secretariat's (an authority to confirm, a domain to verify) and
    Aarhus Kommune's administrators' (a request to join). Made directly, without the e-mails the services send."""
    registrant = person("ny-kommune@os2hub.example", "Nanna Nykommune")
    prefix = "579800009998"
    demo_kommune = organisation_create(
        name="Demoby Kommune",
        kind=Organisation.Kind.AUTHORITY,
        cvr=fictional_cvr(98),
        ean=prefix + ean.calc_check_digit(prefix),
        admin=registrant,
        status=Organisation.Status.PENDING,
        created_by=registrant,
        website="https://demoby.example",
        email_domain="demoby.example",
    )
    demo_kommune.events.create(from_status="", to_status=Organisation.Status.PENDING, actor=registrant)
    ny_org.email_domain = "nyleverandoer.example"
    ny_org.save(update_fields=["email_domain"])
    asker = person("ansoeger@os2hub.example", "Anders Ansøger")
    request = JoinRequest.objects.create(
        organisation=aarhus,
        user=asker,
        message="Jeg arbejder i Digitaliseringsafdelingen og skal følge vores udviklingsønsker. (Demodata)",
    )
    request.events.create(from_status="", to_status=JoinRequest.Status.PENDING, actor=asker)
