"""Supplier partners in every state of the partner application, each with its admin, prices and contacts."""

import io
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from os2hub.accounts.models import Organisation
from os2hub.demo.common import fictional_cvr, join, organisation, person
from os2hub.suppliers import services as supplier_services

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


def logo_png(text: str, colour) -> bytes:
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=300)
    draw.text((400, 400), text, fill=(255, 255, 255), font=font, anchor="mm")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def load(*, secretariat):
    for i, supplier in enumerate(SUPPLIERS):
        supplier_create(supplier, secretariat, seed=i)


def supplier_create(supplier, secretariat, *, seed):
    """A supplier organisation, its admin and its partner application in the given status."""
    name, email, status, competences, rates, colour = supplier
    org = organisation(name, Organisation.Kind.SUPPLIER)
    admin = person(email or f"admin{seed}@{org.slug}.example", f"Admin {name.split()[0]}")
    join(admin, org)
    _supplier_application(org, admin, secretariat, status, competences, rates, colour, seed=seed)
    return org, admin


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
