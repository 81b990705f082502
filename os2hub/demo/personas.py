"""The personas of API.md: the secretariat, the authorities and their people, a new supplier."""

from stdnum import ean

from os2hub.accounts.models import Organisation
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
    return secretariat, authorities
