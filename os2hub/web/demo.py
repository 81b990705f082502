"""Demo data for `make run`: the personas of API.md, authorities, supplier partners in every state.

Loaded only with DEBUG on. Every persona's password is `demo-os2hub` (documented in the README as demo-only).
"""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from stdnum import ean
from stdnum.dk import cvr as cvr_number

from os2hub.accounts.models import Membership, Organisation, User
from os2hub.products import services as product_services
from os2hub.products.models import Category, Group, GroupMember, JoiningAgreement, Product, SupplierRole
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
    # The coordinator persona is a member here; its product roles (tovholder, coordination group) come below.
    _join(_person("koordinator@os2hub.example", "Kim Koordinator"), authorities[1], role="member")

    ny_org = _org("Ny Leverandør Demo ApS", Organisation.Kind.SUPPLIER, fictional_cvr(99))
    _join(_person("ny-leverandoer@os2hub.example", "Nina Ny"), ny_org)

    for i, (name, email, status, competences, rates, colour) in enumerate(SUPPLIERS):
        org = _org(name, Organisation.Kind.SUPPLIER)
        admin = _person(email or f"admin{i}@{org.slug}.example", f"Admin {name.split()[0]}")
        _join(admin, org)
        _supplier_application(org, admin, secretariat, status, competences, rates, colour, seed=i)
    _products(secretariat=secretariat, authorities=authorities)
    say(
        f"Loaded {Organisation.objects.count()} organisations, {User.objects.count()} people, "
        f"{SupplierApplication.objects.count()} partner applications and {Product.objects.count()} products.\n"
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


PRODUCTS_FILE = Path(__file__).parent / "demo_data" / "os2-products.yaml"
CATEGORIES = [
    ("organisation-og-personale", "Organisation og personale", "Organisation and staff"),
    ("identitet-og-sikkerhed", "Identitet og sikkerhed", "Identity and security"),
    ("borgerservice", "Borgerservice", "Citizen services"),
    ("iot-og-data", "IoT og data", "IoT and data"),
    ("automatisering", "Automatisering", "Automation"),
    ("kommunikation", "Kommunikation", "Communication"),
]
PRODUCT_CATEGORIES = {
    "OS2mo": ["organisation-og-personale"],
    "OS2rollekatalog": ["identitet-og-sikkerhed", "organisation-og-personale"],
    "OS2borgerPC": ["borgerservice"],
    "OS2iot": ["iot-og-data"],
    "OS2faktor": ["identitet-og-sikkerhed"],
    "OS2sofd": ["organisation-og-personale", "iot-og-data"],
    "OS2display": ["kommunikation"],
    "OS2autoproces": ["automatisering"],
}
# Fictional community data, clearly labelled in the texts: which demo authorities use which product, and
# which demo suppliers hold which roles.
DEMO_NOTE = "\n\n*Demodata: anvendere, aftaler, grupper og leverandørroller på OS2hub's demoside er fiktive.*"


def _products(*, secretariat, authorities):
    categories = {slug: Category.objects.create(slug=slug, name_da=da, name_en=en) for slug, da, en in CATEGORIES}
    facts = yaml.safe_load(PRODUCTS_FILE.read_text(encoding="utf-8"))["products"]
    coordinator = User.objects.get(email="koordinator@os2hub.example")
    kommune = User.objects.get(email="kommune@os2hub.example")
    kommune2 = User.objects.get(email="kommune2@os2hub.example")
    suppliers = list(
        Organisation.objects.filter(kind="supplier", supplier_applications__status="approved").order_by("name")
    )
    for i, fact in enumerate(facts):
        name = fact["name"]
        product = product_services.product_create(
            user=secretariat,
            data={
                "name": name,
                "summary": " ".join(fact["purpose_da"].split())[:280],
                "purpose": " ".join(fact["purpose_da"].split()),
                "value": f"Kommunerne deler udvikling og drift af {name} i stedet for at købe hver sin løsning. "
                "Koden er åben, og flere leverandører kan levere til produktet." + DEMO_NOTE,
                "target_group": "Kommunale it-afdelinger og de fagområder, der bruger løsningen.",
                "getting_started": f"Kontakt tovholderen for {name}, læs dokumentationen i repositoriet, og tilslut "
                "jer fællesskabet med en tilslutningsaftale.",
                "help_support": "Support ydes af fællesskabets leverandører; "
                "spørgsmål kan stilles i koordinationsgruppen.",
                "cost": "Et årligt tilslutningsbidrag til drift af fællesskabet "
                "plus eventuel hosting hos en leverandør." + DEMO_NOTE
                if i % 3
                else "",
                "status": Product.Status.PRODUCT if i < 6 else Product.Status.SANDBOX,
                "licence": fact.get("licence", ""),
                "coordinator": coordinator if i < 2 else secretariat,
            },
            categories=[categories[c] for c in PRODUCT_CATEGORIES.get(name, [])],
        )
        if fact.get("level"):
            Product.objects.filter(pk=product.pk).update(official_level=str(fact["level"]["value"]))
        for url in fact.get("repositories", []):
            product_services.repository_add(product=product, user=secretariat, url=url)
        # Fictional: two to five demo authorities use each product; some have joining agreements.
        for j, authority in enumerate(authorities[i % 3 : i % 3 + 2 + i % 4]):
            admin = authority.memberships.filter(role="admin").first()
            if j == 0:
                JoiningAgreement.objects.create(
                    product=product,
                    organisation=authority,
                    yearly_fee_dkk=Decimal(25000 + 5000 * i),
                    one_off_fee_dkk=Decimal(10000),
                    governance_percentage=Decimal("12.5"),
                    starts_on=date(2025, 1, 1),
                    created_by=secretariat,
                )
            product.adoptions.create(organisation=authority, created_by=admin.user if admin else secretariat)
        # Fictional supplier roles: one or two demo partners per product.
        for k, supplier in enumerate(suppliers[i % len(suppliers) : i % len(suppliers) + 1 + i % 2]):
            role = [SupplierRole.Role.DEVELOPMENT, SupplierRole.Role.OPERATIONS, SupplierRole.Role.CONSULTING][
                (i + k) % 3
            ]
            SupplierRole.objects.create(product=product, supplier=supplier, role=role, starts_on=date(2025, 1, 1))
        steering = Group.objects.create(
            product=product,
            kind=Group.Kind.STEERING,
            name=f"Styregruppen for {name}",
            kommissorium="Styregruppen prioriterer udviklingen og godkender budgettet." + DEMO_NOTE,
        )
        coordination = Group.objects.create(
            product=product, kind=Group.Kind.COORDINATION, name=f"Koordinationsgruppen for {name}"
        )
        if i < 4:
            GroupMember.objects.create(group=steering, user=kommune, organisation=authorities[0], role="chair")
            GroupMember.objects.create(group=steering, user=kommune2, organisation=authorities[2])
        if i < 2:
            GroupMember.objects.create(group=coordination, user=coordinator, organisation=authorities[1], role="chair")
        if i < 3:
            _community_content(product, secretariat, steering if i == 0 else None)


def _community_content(product, editor, steering):
    """Fictional news, an event and wiki pages, so the product pages look lived in."""
    from os2hub.community import services as community_services
    from os2hub.products import wiki

    now = timezone.now()
    post = community_services.news_create(
        product=product,
        user=editor,
        data={
            "title": f"Ny version af {product.name} er klar (demo)",
            "body": f"Fællesskabet har frigivet en ny version af {product.name} med rettelser og forbedringer."
            + DEMO_NOTE,
        },
    )
    # Published a few days ago, so the demo's news list reads naturally.
    type(post).objects.filter(pk=post.pk).update(published_at=now - timezone.timedelta(days=3))
    community_services.event_create(
        product=product,
        user=editor,
        data={
            "title": f"Brugergruppemøde om {product.name} (demo)",
            "description": "Vi gennemgår ønsker til næste version og deler erfaringer." + DEMO_NOTE,
            "starts_at": now + timezone.timedelta(days=14),
            "ends_at": now + timezone.timedelta(days=14, hours=3),
            "location": "Aarhus Rådhus",
            "online_url": "https://os2.eu/",
        },
    )
    wiki.wiki_page_save(
        product=product,
        user=editor,
        title="Kom godt i gang",
        body=f"## Installation\n\nSe dokumentationen i {product.name}s repository.\n" + DEMO_NOTE,
        comment="Første udgave",
    )
    if steering is not None:
        wiki.wiki_page_save(
            product=product,
            user=editor,
            group=steering,
            title="Styregruppens referater",
            body="Referater fra styregruppens møder." + DEMO_NOTE,
            comment="Oprettet",
        )
