"""Demo data for `make run`: the personas of API.md, authorities, supplier partners in every state.

Loaded only with DEBUG on. Every persona's password is `demo-os2hub` (documented in the README as demo-only).
"""

import io
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from stdnum import ean
from stdnum.dk import cvr as cvr_number

from os2hub.accounts.models import Membership, Organisation, User
from os2hub.suppliers import services as supplier_services
from os2hub.suppliers.models import SupplierApplication

DEMO_PASSWORD = "demo-os2hub"  # noqa: S105 - demo-only, refused when DEBUG is off

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

# Obviously fictional suppliers. (name, admin e-mail or None, status, competences, rates, colour)
SUPPLIERS = [
    (
        "Kodeværket Demo ApS",
        "leverandoer@os2hub.example",
        "approved",
        ["software-development", "code-review"],
        [Decimal("975"), Decimal("1150")],
        (0, 84, 166),
    ),
    (
        "Driftsfabrikken Demo A/S",
        None,
        "approved",
        ["hosting", "operations-support"],
        [Decimal("850"), Decimal("795.50")],
        (0, 122, 51),
    ),
    (
        "Rådgivningshuset Nord Demo ApS",
        None,
        "approved",
        ["consulting-technical", "consulting-design", "consulting-implementation"],
        [Decimal("1250"), Decimal("1100"), Decimal("1050")],
        (128, 0, 96),
    ),
    ("Testlauget Demo IVS", None, "submitted", ["code-review"], [Decimal("890")], (196, 84, 0)),
    ("Skyhavn Hosting Demo ApS", None, "changes_requested", ["hosting"], [Decimal("700")], (0, 110, 120)),
    (
        "Eksempel Software Demo A/S",
        None,
        "rejected",
        ["software-development"],
        [Decimal("2400")],
        (90, 90, 90),
    ),
    ("Nybegynder IT Demo ApS", None, "draft", ["software-development"], [Decimal("900")], (150, 40, 40)),
]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def fictional_cvr(seed: int) -> str:
    """A CVR number that passes the modulus-11 check, derived from a seed (fictional, not a real company)."""
    base = 40000000 + seed * 7919
    while True:
        candidate = str(base)[:7]
        for last in range(10):
            if cvr_number.is_valid(candidate + str(last)):
                return candidate + str(last)
        base += 10


def logo_png(text: str, colour) -> bytes:
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=300)
    draw.text((400, 400), text, fill=(255, 255, 255), font=font, anchor="mm")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _person(email, name, *, staff=False) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name, is_staff=staff, is_superuser=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _org(name, kind, cvr=None, ean_number=""):
    from os2hub.accounts.services import organisation_create

    return organisation_create(name=name, kind=kind, cvr=cvr, ean=ean_number)


def _join(user, org, role="admin"):
    Membership.objects.create(user=user, organisation=org, role=role)


def already_loaded() -> bool:
    return User.objects.filter(email="sekretariat@os2hub.example").exists()


@transaction.atomic
def load(stdout=None):
    say = stdout.write if stdout else (lambda s: None)
    secretariat_org = _org("OS2-sekretariatet", Organisation.Kind.SECRETARIAT, "29190925")
    secretariat = _person("sekretariat@os2hub.example", "Sara Sekretariat", staff=True)
    _join(secretariat, secretariat_org)

    authorities = []
    for i, (name, cvr) in enumerate(AUTHORITIES):
        prefix = f"57980000{i + 1:04d}"
        authorities.append(_org(name, Organisation.Kind.AUTHORITY, cvr, prefix + ean.calc_check_digit(prefix)))
    _join(_person("kommune@os2hub.example", "Karen Kommune"), authorities[0])
    _join(_person("kommune2@os2hub.example", "Ole Odense"), authorities[2])
    # The coordinator persona gets product roles when the product catalogue arrives; for now a member.
    _join(_person("koordinator@os2hub.example", "Kim Koordinator"), authorities[1], role="member")

    ny_org = _org("Ny Leverandør Demo ApS", Organisation.Kind.SUPPLIER, fictional_cvr(99))
    _join(_person("ny-leverandoer@os2hub.example", "Nina Ny"), ny_org)

    for i, (name, email, status, competences, rates, colour) in enumerate(SUPPLIERS):
        org = _org(name, Organisation.Kind.SUPPLIER)
        admin = _person(email or f"admin{i}@{org.slug}.example", f"Admin {name.split()[0]}")
        _join(admin, org)
        _supplier_application(org, admin, secretariat, status, competences, rates, colour, seed=i)
    say(
        f"Loaded {Organisation.objects.count()} organisations, {User.objects.count()} people and "
        f"{SupplierApplication.objects.count()} partner applications.\n"
    )


def _supplier_application(org, admin, secretariat, status, competences, rates, colour, *, seed):
    app = supplier_services.application_create(
        organisation=org,
        user=admin,
        data={
            "organisation_name": org.name,
            "cvr": fictional_cvr(seed),
            "street": f"Demovej {seed + 1}",
            "postcode": "8000",
            "city": "Aarhus C",
            "website": f"https://{org.slug}.example",
            "competences": competences,
            "core_competences": (
                f"**{org.name}** er en fiktiv demoleverandør.\n\n"
                "- Open source-udvikling efter OS2's retningslinjer\n- Tæt samarbejde med kommunerne\n"
            ),
        },
    )
    supplier_services.prices_set(
        application=app,
        user=admin,
        rates=dict(zip(competences, rates, strict=True)),
        valid_from=date(2026, 1, 1),
    )
    supplier_services.contact_save(
        application=app,
        user=admin,
        data={
            "name": f"Kontakt {org.name.split()[0]}",
            "role": "Kundeansvarlig",
            "email": f"kontakt@{org.slug}.example",
            "phone": "+45 70 10 20 30",
            "show_publicly": True,
            "newsletter": True,
        },
    )
    supplier_services.contact_save(
        application=app,
        user=admin,
        data={
            "name": "Intern Udvikler",
            "role": "Udvikler",
            "email": f"udvikler@{org.slug}.example",
            "show_publicly": False,
            "newsletter": False,
        },
    )
    initials = "".join(word[0] for word in org.name.split()[:2]).upper()
    app.logo.save(f"demo-{org.slug}.png", ContentFile(logo_png(initials, colour)), save=False)
    app.agreement.save(f"demo-{org.slug}.pdf", ContentFile(PDF), save=False)
    app.agreement_uploaded_at = timezone.now()
    app.save()
    supplier_services.application_accept_code_of_conduct(application=app, user=admin)
    if status == "draft":
        return
    supplier_services.application_submit(application=app, user=admin)
    comments = {
        "approved": "",
        "changes_requested": "Prislisten mangler timepris for drift og support. Tilføj den og indsend igen.",
        "rejected": "Timeprisen ligger langt over markedsniveau, og partneraftalen er ikke underskrevet.",
    }
    decisions = {"approved": "approve", "changes_requested": "request_changes", "rejected": "reject"}
    if status in decisions:
        supplier_services.application_decide(
            application=app, user=secretariat, decision=decisions[status], comment=comments[status]
        )
    if status == "approved" and seed == 0:
        # An approved partner that raised a price: the history shows both rates.
        supplier_services.prices_set(
            application=app,
            user=admin,
            rates={"software-development": Decimal("995")},
            valid_from=timezone.localdate(),
        )
