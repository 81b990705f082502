"""Demo data for `make run`: the personas of API.md, authorities, supplier partners in every state.

Loaded only with DEBUG on. Every persona's password is `demo-os2hub` (documented in the README as demo-only).
"""

import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from PIL import Image, ImageDraw, ImageFont
from stdnum import ean
from stdnum.dk import cvr as cvr_number

from os2hub.accounts.models import Membership, Organisation, User
from os2hub.governance import services as governance_services
from os2hub.governance.models import Decision, Evaluation, Practice, Round, SelfAssessment
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
    _governance(secretariat=secretariat)
    scanned = _scans(secretariat=secretariat)
    _development()
    say(
        f"Loaded {Organisation.objects.count()} organisations, {User.objects.count()} people, "
        f"{SupplierApplication.objects.count()} partner applications and {Product.objects.count()} products.\n"
        f"Governance: {Round.objects.count()} evaluation rounds, {SelfAssessment.objects.count()} self-assessments, "
        f"{Evaluation.objects.count()} evaluations, {Decision.objects.count()} level decisions and "
        f"{Practice.objects.count()} follow-or-explain entries.\n"
        + (f"Scans: OS2hub's own code, {scanned}.\n" if scanned else "")
        + f"Development requests: {_development_summary()}.\n"
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
            _official_level(product, fact["level"], secretariat)
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


# --- Governance ---------------------------------------------------------------------------------------------

GOVERNANCE_FILE = Path(__file__).parent / "demo_data" / "governance.yaml"
# Fictional governance data is labelled like the rest of the demo: Markdown texts end with this note, and every
# answer's documentation and every grounds text with DEMO_MARK.
GOVERNANCE_NOTE = (
    "\n\n*Demodata: selvevalueringer, vurderinger og følg-eller-forklar-registret på OS2hub's demoside er fiktive.*"
)
DEMO_MARK = " (Demodata.)"
LEVEL_WORDS = {"sandkasse": "sandkasse", "1": "niveau 1", "2": "niveau 2", "3": "niveau 3"}


def _danish_date(day: date) -> str:
    with translation.override("da"):
        return formats.date_format(day, "j. F Y")


def _official_level(product, level_fact: dict, secretariat):
    """A public fact enters through the decision log, the only way an official level changes. The date and what
    the secretariat's assessment did come from the fact's note; the log entry's wording is ours and says so."""
    level = str(level_fact["value"])
    note = level_fact.get("note", "")
    found = re.search(r"\d{4}-\d{2}-\d{2}", note)
    words = LEVEL_WORDS[level]
    if found is None:
        decided_on = timezone.localdate()
        decision, reference = words.capitalize(), ""
        grounds = f"{product.name} er på {words}.\n\nDemodata: niveauet er et offentligt faktum uden dato."
    else:
        decided_on = date.fromisoformat(found.group())
        assessment = f"OS2-sekretariatets vurdering af {_danish_date(decided_on)}"
        # The level before is not among the demo's facts, so the log starts here: "lowered" and "kept" are said in
        # the grounds, not in a decision that would read "none -> 1".
        if "lowering" in note:
            outcome = f"anbefalede at sænke niveauet til {words}. Niveauet før vurderingen er ikke med i demodata."
        elif "kept" in note:
            outcome = f"fastholdt {words}. Niveauet før vurderingen er ikke med i demodata."
        else:
            outcome = f"anbefalede {words}."
        decision = f"{words.capitalize()} efter sekretariatets vurdering af {_danish_date(decided_on)}"
        grounds, reference = f"{assessment} {outcome}", assessment
        grounds += (
            "\n\nDemodata: niveauet og datoen er offentlige fakta; ordlyden i denne logpost er OS2hub's gengivelse."
        )
    governance_services.decision_record(
        product=product,
        user=secretariat,
        decided_on=decided_on,
        level=level,
        decision=decision,
        grounds=grounds,
        made_by="OS2-sekretariatet",
        reference=reference,
    )


def _governance(*, secretariat):
    """Two evaluation rounds (one closed, one open), self-assessments in every state, a published and a draft
    evaluation, and follow-or-explain entries - all through the services, all fictional and labelled so."""
    texts = yaml.safe_load(GOVERNANCE_FILE.read_text(encoding="utf-8"))
    products = {p.name: p for p in Product.objects.prefetch_related("repositories")}
    coordinator = User.objects.get(email="koordinator@os2hub.example")
    chair = User.objects.get(email="kommune@os2hub.example")  # chairs the steering groups of the first products
    today = timezone.localdate()
    opens_on = today - timedelta(days=30)
    earlier = opens_on - timedelta(days=183)

    def season(day):
        return f"{'Forår' if day.month <= 6 else 'Efterår'} {day.year}"

    def answer(product, code, value):
        text = texts["documentation"][code] if value == "ja" else texts["not_met"].get(code, texts["not_met"][value])
        links = [r.url for r in product.repositories.all()] if code == "F1" and value == "ja" else []
        documentation = text.format(product=product.name, licence=product.licence or "en OSI-godkendt licens")
        return {"answer": value, "documentation": documentation + DEMO_MARK, "links": links}

    def answers(product, codes, *, nej=(), ved_ikke=(), ikke_relevant=()):
        values = dict.fromkeys(codes, "ja")
        values |= dict.fromkeys(nej, "nej") | dict.fromkeys(ved_ikke, "ved_ikke")
        values |= dict.fromkeys(ikke_relevant, "ikke_relevant")
        return {code: answer(product, code, value) for code, value in values.items()}

    def self_assessment(product, user, given, *, submit=True):
        draft = governance_services.self_assessment_draft(product=product, user=user)
        governance_services.self_assessment_save(assessment=draft, user=user, answers=given)
        if submit:
            governance_services.self_assessment_submit(assessment=draft, user=user)
        return draft

    # The spring round: two products submitted before it closed.
    spring = governance_services.round_open(
        user=secretariat, name=season(earlier), opens_on=earlier, deadline=earlier + timedelta(days=42)
    )
    codes = [c.code for c in governance_services.criteria_of(spring.criteria_version)]
    levels_of = {c.code: c.level for c in governance_services.criteria_of(spring.criteria_version)}
    mo, rollekatalog = products["OS2mo"], products["OS2rollekatalog"]
    self_assessment(
        mo,
        coordinator,
        answers(mo, codes, nej=["F13", "F14", "F21", "F22", "S5", "G11", "G12", "G13"], ved_ikke=["G5", "G10"]),
    )
    self_assessment(
        rollekatalog,
        coordinator,
        answers(rollekatalog, codes, nej=["F21", "F22", "G11", "G12", "G13"], ved_ikke=["S5"]),
    )
    governance_services.round_close(round=spring, user=secretariat)
    # Submitted and closed in the spring, so the rounds' history reads naturally (as the demo news is backdated).
    submitted = timezone.make_aware(datetime.combine(spring.deadline - timedelta(days=3), time(14, 0)))
    SelfAssessment.objects.filter(round=spring).update(
        submitted_at=submitted, content_at=submitted, filled_date=submitted.date()
    )
    Round.objects.filter(pk=spring.pk).update(closed_at=submitted + timedelta(days=17))

    # The open round: OS2mo and OS2rollekatalog start from their spring answers; OS2borgerPC submits for the
    # first time; OS2iot has only begun; the other products have no self-assessment yet.
    governance_services.round_open(
        user=secretariat, name=season(opens_on), opens_on=opens_on, deadline=today + timedelta(days=21)
    )
    mo_autumn = self_assessment(mo, coordinator, {code: answer(mo, code, "ja") for code in ("F13", "F14", "G5")})
    self_assessment(rollekatalog, coordinator, {"S5": answer(rollekatalog, "S5", "nej")})
    borgerpc, iot = products["OS2borgerPC"], products["OS2iot"]
    self_assessment(
        borgerpc,
        chair,
        answers(
            borgerpc,
            codes,
            nej=["F15", "F17", "S4", "R4", "F21", "F22", "S5", "G11", "G12", "G13"],
            ved_ikke=["S3"],
            ikke_relevant=["F19"],
        ),
    )
    first_levels = [c for c in codes if levels_of[c] in ("sandkasse", "1")]
    self_assessment(iot, chair, answers(iot, first_levels, ved_ikke=["F7"]), submit=False)

    # A published evaluation of OS2mo: the secretariat agrees with most answers, but not with F14.
    colour = {"ja": "green", "nej": "red", "ved_ikke": "yellow", "ikke_relevant": "grey"}
    given = {a.criterion.code: a.answer for a in mo_autumn.answers.select_related("criterion")}
    ratings = {}
    for code in codes:
        rating = "yellow" if code == "F14" else colour[given[code]]
        grounds = (texts["grounds"].get(code) if rating != "green" else None) or texts["grounds"][rating]
        ratings[code] = {"rating": rating, "grounds": grounds + DEMO_MARK}
    evaluation = governance_services.evaluation_start(product=mo, user=secretariat)
    governance_services.evaluation_save(
        evaluation=evaluation,
        user=secretariat,
        ratings=ratings,
        summary=(
            "OS2mo opfylder alle krav til niveau 1 og næsten alle krav til niveau 2. Udviklingen er åben, "
            "dokumentationen og driftsopsætningen er på plads, og styregruppen arbejder aktivt.\n\n"
            "- **Mangler til niveau 2:** kommunikationsmaterialet til direktionerne (F14) skal færdiggøres og "
            "godkendes af styregruppen.\n"
            "- **Anbefaling:** afklar, om alle tilsluttede kommuner har underskrevet tilslutningsaftalen (G10).\n\n"
            "Sekretariatet anbefaler niveau 1 og vurderer produktet igen i næste runde." + GOVERNANCE_NOTE
        ),
    )
    governance_services.evaluation_publish(evaluation=evaluation, user=secretariat)

    # A draft evaluation of OS2borgerPC: the secretariat has rated the sandbox criteria so far.
    draft = governance_services.evaluation_start(product=borgerpc, user=secretariat)
    governance_services.evaluation_save(
        evaluation=draft,
        user=secretariat,
        ratings={
            c: {"rating": "green", "grounds": texts["grounds"]["green"] + DEMO_MARK}
            for c in codes
            if levels_of[c] == "sandkasse"
        },
        summary="Udkast: sandkassekravene er gennemgået; resten følger." + GOVERNANCE_NOTE,
    )

    # Follow or explain (feeds F18).
    for product, entries in (
        (
            mo,
            [
                ("architecture", "Fælleskommunal rammearkitektur", "", "follows", ""),
                ("standard", "OpenAPI 3", "https://spec.openapis.org/oas/latest.html", "follows", ""),
                (
                    "standard",
                    "OIO REST",
                    "",
                    "deviates",
                    "Den nye snitflade bruger GraphQL frem for OIO REST, så integrationer kan hente præcis de data, "
                    "de skal bruge, i ét kald. Ældre integrationer bruger en overgangsadapter, der udfases, når de "
                    "tilsluttede kommuner er flyttet.",
                ),
            ],
        ),
        (
            rollekatalog,
            [
                ("standard", "OpenAPI 3", "https://spec.openapis.org/oas/latest.html", "follows", ""),
                (
                    "standard",
                    "WCAG 2.1 AA",
                    "https://www.w3.org/TR/WCAG21/",
                    "deviates",
                    "Rapportsiderne opfylder endnu ikke kravene til kontrast og tastaturbetjening. Rettelsen er "
                    "bestilt og kommer i næste version; indtil da kan rapporterne hentes som regneark.",
                ),
            ],
        ),
    ):
        for kind, name, url, status, explanation in entries:
            governance_services.practice_save(
                product=product,
                user=coordinator,
                data={
                    "kind": kind,
                    "name": name,
                    "url": url,
                    "status": status,
                    "explanation": (explanation or "Produktet følger standarden.") + GOVERNANCE_NOTE,
                },
            )


def _scans(*, secretariat) -> str:
    """OS2hub itself as a sandbox product, its repository scanned from this installation's own folder, so the
    scanner's findings and proposals can be seen without internet access. The other products' repositories are
    scanned from their pages (that needs access to github.com)."""
    from django.conf import settings

    from os2hub.scanner import cli as scanner
    from os2hub.scanner.targets import TargetError, parse_target
    from os2hub.scans import services as scan_services

    coordinator = User.objects.get(email="koordinator@os2hub.example")
    product = product_services.product_create(
        user=secretariat,
        data={
            "name": "OS2hub",
            "summary": "Platformen for OS2-fællesskabet: leverandørpartnere, produktkatalog, produktniveauer og "
            "evidens fra koden.",
            "purpose": "OS2hub samler fællesskabets samarbejde ét sted: leverandører, produkter, produktniveauer, "
            "udviklingsønsker og behov." + DEMO_NOTE,
            "status": Product.Status.SANDBOX,
            "licence": "MPL-2.0",
            "coordinator": coordinator,
        },
        categories=list(Category.objects.filter(slug="kommunikation")),
    )
    repository = product_services.repository_add(product=product, user=secretariat, url="https://github.com/OS2/os2hub")
    try:
        result = scanner.scan(parse_target(str(settings.BASE_DIR)))
    except TargetError:
        return ""
    scan = scan_services.scan_record(product=product, repository=repository, result=result, user=coordinator)
    passed = sum(1 for f in result["findings"] if f["outcome"] == "pass")
    return f"{passed} of {len(result['findings'])} checks pass, {scan.proposals.count()} proposals"


DEVELOPMENT_NOTE = "\n\n*Demodata: udviklingsønsket, estimaterne og tilsagnene er fiktive.*"
DEMO_STORY = "Som {role} ønsker jeg {need}, således at jeg kan {value}"
DEVELOPMENT_REQUESTS = [
    # (product index, title, funding, the state to bring it to)
    (0, "Eksport af organisationsdata til CSV", "requester", "draft"),
    (1, "Rolletildeling via API", "community", "submitted"),
    (0, "Historik over ændringer i en enhed", "requester", "estimated"),
    (0, "Tilgængelighedsforbedringer i brugerfladen", "community", "funding"),
    (1, "Rapport over udløbne roller", "requester", "ordered"),
    (0, "Integration til lønsystemet", "requester", "in_progress"),
    (1, "Masseredigering af rettigheder", "requester", "delivered"),
    (0, "Dansk søgning med stavefejl", "community", "accepted"),
    (1, "Mørk tilstand", "requester", "rejected"),
    (0, "Gammel importfunktion genindført", "requester", "withdrawn"),
]


def _development():
    """Development requests in every state on the two products whose coordination group the coordinator
    persona chairs, all through the services (estimates at the demo partner's published rate, pledges by the
    two demo authorities' admins)."""
    from os2hub.development import services as dev

    coordinator = User.objects.get(email="koordinator@os2hub.example")
    kommune = User.objects.get(email="kommune@os2hub.example")
    kommune2 = User.objects.get(email="kommune2@os2hub.example")
    supplier_admin = User.objects.get(email="leverandoer@os2hub.example")
    supplier = supplier_admin.memberships.get().organisation
    aarhus = kommune.memberships.get().organisation
    odense = kommune2.memberships.get().organisation
    products = list(
        Product.objects.filter(groups__kind=Group.Kind.COORDINATION, groups__members__user=coordinator).order_by("pk")
    )
    today = timezone.localdate()
    sprint = dev.sprint_create(
        product=products[0],
        user=coordinator,
        name="Sprint 1",
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=7),
    )
    order = ["draft", "submitted", "estimated", "ordered", "in_progress", "delivered", "accepted"]
    for index, title, funding, target in DEVELOPMENT_REQUESTS:
        product = products[index % len(products)]
        request = dev.request_create(
            user=kommune,
            organisation=aarhus,
            product=product,
            data={
                "title": title,
                "description": f"Hvad: {title.lower()}. Hvorfor: det sparer tid i kommunerne. Hvem: "
                f"medarbejdere, der bruger {product.name} hver dag." + DEVELOPMENT_NOTE,
                "user_stories": [
                    DEMO_STORY.format(role="medarbejder", need=title.lower(), value="løse opgaven hurtigere"),
                    DEMO_STORY.format(role="it-ansvarlig", need="at funktionen er dokumenteret", value="drive den"),
                ],
                "acceptance_criteria": ["Funktionen virker som beskrevet", "Brugervejledningen er opdateret"],
                "documentation_requirements": "Bruger- og driftsvejledningen opdateres.",
                "funding": funding,
            },
        )
        _demo_attachment(request, kommune, title)
        if target == "draft":
            continue
        if target == "withdrawn":
            dev.request_submit(request=request, user=kommune)
            dev.request_withdraw(request=request, user=kommune, comment="Behovet dækkes af en anden løsning.")
            continue
        dev.request_submit(request=request, user=kommune)
        if target == "submitted":
            continue
        if target == "rejected":
            dev.request_reject(request=request, user=coordinator, comment="Passer ikke ind i produktets køreplan.")
            continue
        estimate = dev.estimate_save(
            request=request,
            user=supplier_admin,
            supplier=supplier,
            data={
                "hours": str(20 + 8 * index),
                "start_conditions": "Kan starte i næste sprint.",
                "code_location": "I produktets hovedrepository, som et selvstændigt modul.",
                "reviewer": "En anden partner gennemgår koden (review ca. 10 % af timerne).",
                "valid_until": today + timedelta(days=60),
            },
        )
        if target == "estimated":
            continue
        if funding == "community":
            dev.funding_open(request=request, user=coordinator, estimate=estimate, comment="Prioriteret i gruppen.")
            half = (estimate.price_dkk / 2).quantize(Decimal("0.01"))
            dev.pledge_create(request=request, user=kommune, organisation=aarhus, amount=half)
            if target == "funding":
                continue
            dev.pledge_create(request=request, user=kommune2, organisation=odense, amount=estimate.price_dkk - half)
        else:
            dev.request_order(request=request, user=kommune, estimate=estimate)
        request.refresh_from_db()
        if order.index(target) >= order.index("in_progress"):
            dev.request_start(request=request, user=supplier_admin, sprint=sprint if product == products[0] else None)
        if order.index(target) >= order.index("delivered"):
            dev.request_deliver(request=request, user=supplier_admin, comment="Klar til test.")
        if target == "accepted":
            decider = kommune if funding == "requester" else coordinator
            dev.request_accept(request=request, user=decider, checklist=[True, True], comment="Testet og godkendt.")


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text (ASCII), built by hand with a correct cross-reference table."""
    line = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + line + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _demo_attachment(request, user, title: str) -> None:
    from django.core.files.base import ContentFile

    from os2hub.development.attachments import attachment_add

    upload = ContentFile(_demo_pdf(f"Kravspecifikation (demo): {title}"), name="kravspecifikation.pdf")
    attachment_add(request=request, user=user, title="Kravspecifikation", upload=upload)


def _development_summary() -> str:
    from os2hub.development.models import DevelopmentRequest

    states = DevelopmentRequest.objects.values_list("status", flat=True)
    return f"{states.count()} in {len(set(states))} states"
