"""The OS2 products from public facts (data/os2-products.yaml), with fictional adoptions, joining agreements,
supplier roles and groups."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from os2hub.accounts.models import Organisation, User
from os2hub.demo import community, governance
from os2hub.demo.common import DEMO_NOTE
from os2hub.products import services as product_services
from os2hub.products.models import (
    Category,
    Group,
    GroupJoinRequest,
    GroupMember,
    JoiningAgreement,
    Product,
    SupplierRole,
    TextSuggestion,
)

PRODUCTS_FILE = Path(__file__).parent / "data" / "os2-products.yaml"
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


def load(*, secretariat, authorities):
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
                "summary_en": " ".join(fact.get("summary_en", "").split()),
                "features": fact.get("features_da", []),
                "platforms": fact.get("platforms", []),
                "software_type": fact.get("software_type", ""),
            },
            categories=[categories[c] for c in PRODUCT_CATEGORIES.get(name, [])],
        )
        if fact.get("level"):
            governance.official_level(product, fact["level"], secretariat)
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
            community.product_content(product, secretariat, steering if i == 0 else None)
        if i == 0:
            _contributions(product, coordination, authorities, kommune, kommune2)


def _contributions(product, coordination, authorities, kommune, kommune2):
    """Members contribute (issue 16): an open professional group anyone from a member authority may join, a
    request to join the (closed) coordination group waiting for its chair, the coordinator persona, and a text
    suggestion from an authority that uses the product, waiting for the coordinator. Made directly, without the
    e-mails the services send."""
    faggruppe = Group.objects.create(
        product=product,
        kind=Group.Kind.PROFESSIONAL,
        name=f"Faggruppen for HR og løn ({product.name})",
        kommissorium="Faggruppen deler erfaringer med løsningen og samler ønsker til udviklingen." + DEMO_NOTE,
        is_open=True,
    )
    GroupMember.objects.create(group=faggruppe, user=kommune, organisation=authorities[0], role="chair")
    request = GroupJoinRequest.objects.create(
        group=coordination,
        user=kommune2,
        organisation=authorities[2],
        message="Odense vil gerne være med til at prioritere udviklingen. (Demodata)",
    )
    request.events.create(from_status="", to_status=GroupJoinRequest.Status.PENDING, actor=kommune2)
    base = product.getting_started
    suggestion = TextSuggestion.objects.create(
        product=product,
        field="getting_started",
        base_text=base,
        proposed_text=base + "\n\nSe også vores introduktionsvideo og tjeklisten til opstartsmødet. (Demodata)",
        comment="Nye kommuner spørger ofte efter en tjekliste.",
        author=kommune,
        organisation=authorities[0],
    )
    suggestion.events.create(from_status="", to_status=TextSuggestion.Status.PENDING, actor=kommune)
