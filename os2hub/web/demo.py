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

    for i, supplier in enumerate(SUPPLIERS):
        _supplier(supplier, secretariat, seed=i)
    _products(secretariat=secretariat, authorities=authorities)
    _governance(secretariat=secretariat)
    scanned = _scans(secretariat=secretariat)
    _development()
    _needs(secretariat=secretariat)
    say(
        f"Loaded {Organisation.objects.count()} organisations, {User.objects.count()} people, "
        f"{SupplierApplication.objects.count()} partner applications and {Product.objects.count()} products.\n"
        f"Governance: {Round.objects.count()} evaluation rounds, {SelfAssessment.objects.count()} self-assessments, "
        f"{Evaluation.objects.count()} evaluations, {Decision.objects.count()} level decisions and "
        f"{Practice.objects.count()} follow-or-explain entries.\n"
        + (f"Scans: OS2hub's own code, {scanned}.\n" if scanned else "")
        + f"Development requests: {_development_summary()}.\n"
        + f"Needs and calls: {_needs_summary()}.\n"
    )


def _supplier(supplier, secretariat, *, seed):
    """A supplier organisation, its admin and its partner application in the given status."""
    name, email, status, competences, rates, colour = supplier
    org = _org(name, Organisation.Kind.SUPPLIER)
    admin = _person(email or f"admin{seed}@{org.slug}.example", f"Admin {name.split()[0]}")
    _join(admin, org)
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


# --- Needs, pitches, calls and donations ------------------------------------------------------------------------

NEEDS_NOTE = "\n\n*Demodata: behovet, medunderskrifterne og forløbet er fiktive.*"
CALLS_NOTE = "\n\n*Demodata: forespørgslen og tilbuddene er fiktive.*"
PITCH_NOTE = "\n\n*Demodata: forslaget er fiktivt.*"
DONATION_NOTE = "\n\n*Demodata: donationen og dens repository er fiktive.*"
# A second approved partner offering code review and development, so a call has offers from two suppliers.
SECOND_PARTNER = (
    "Kodesmedjen Demo ApS",
    "leverandoer2@os2hub.example",
    "approved",
    ["code-review", "software-development"],
    [Decimal("1095"), Decimal("1025")],
    (0, 95, 70),
)
# (key, posting authority, category, the need's texts, co-signs (authority, note), the status to bring it to)
NEEDS = [
    (
        "adgange",
        "aarhus",
        "identitet-og-sikkerhed",
        {
            "title": "Påmindelse om adgange, der ikke længere bruges",
            "problem": "Medarbejdere beholder ofte adgange til fagsystemer, efter at de har skiftet job internt. "
            "Lederne får ingen påmindelse, og før revisionen gennemgår it-afdelingen flere tusind rettigheder i "
            "hånden.",
            "who_has_it": "Ledere, it-sikkerhedsmedarbejdere og HR i alle forvaltninger.",
            "current_solutions": "OS2rollekatalog viser de tildelte roller, men sender ingen påmindelser. Nogle "
            "forvaltninger fører regneark.",
            "desired_outcome": "Hvert kvartal får lederen en liste over sine medarbejderes adgange og kan fjerne "
            "dem, der ikke bruges, med ét klik.",
            "rough_value": "Ca. 400 timer om året i it-afdelingen",
        },
        [
            ("odense", "Vi har også dette behov – især når medarbejdere skifter mellem skoler."),
            ("koebenhavn", "Relevant for hele kommunen; vi deltager gerne i afklaringen."),
        ],
        "open",
    ),
    (
        "breve",
        "odense",
        "kommunikation",
        {
            "title": "Tilgængelige PDF-breve til borgerne",
            "problem": "Breve fra flere fagsystemer dannes som PDF-filer uden struktur, så skærmlæsere ikke kan "
            "læse dem. Borgere med synshandicap må ringe til kommunen for at få brevet læst op.",
            "who_has_it": "Borgere, der bruger skærmlæser, og sagsbehandlerne, der sender brevene.",
            "current_solutions": "Fagsystemernes leverandører har ingen planer om at rette skabelonerne. Enkelte "
            "breve rettes i hånden.",
            "desired_outcome": "Alle breve, kommunen sender digitalt, er tilgængelige PDF/UA-dokumenter.",
            "rough_value": "Overholdelse af webtilgængelighedsloven og færre opkald til borgerservice",
        },
        [("aarhus", "Vi har også dette behov. Vi har omkring 40 brevskabeloner, der skal rettes.")],
        "open",
    ),
    (
        "sensorer",
        "aarhus",
        "iot-og-data",
        {
            "title": "Overblik over batteristatus på kommunens sensorer",
            "problem": "Kommunen har over 2.000 sensorer i bygninger, kloakker og parker. Når et batteri løber "
            "tør, opdager vi det først, når data har manglet i ugevis.",
            "who_has_it": "Driftsteknikere, bygningsservice og klimatilpasning.",
            "current_solutions": "OS2iot modtager data fra sensorerne, men advarer ikke om lavt batteri. "
            "Sensorleverandørernes egne portaler dækker kun deres egne sensorer.",
            "desired_outcome": "En samlet liste over sensorer med lavt batteri eller manglende data og en e-mail "
            "til den ansvarlige enhed.",
            "rough_value": "Færre tabte måleserier og ca. 150 færre udkald om året",
        },
        [("odense", "Vi har også dette behov for vores LoRaWAN-sensorer på skolerne.")],
        "clarifying",
    ),
    (
        "infoskaerme",
        "odense",
        "kommunikation",
        {
            "title": "Infoskærme med dagens aktiviteter på plejecentre",
            "problem": "Beboere og pårørende på plejecentrene mangler overblik over dagens aktiviteter og menu. "
            "Opslag på papir bliver hurtigt forældede.",
            "who_has_it": "Beboere, pårørende og personale på kommunens plejecentre.",
            "current_solutions": "Nogle centre viser en præsentation på et fjernsyn, som opdateres i hånden.",
            "desired_outcome": "Skærme, som personalet selv opdaterer fra en browser, og som henter menuen automatisk.",
            "rough_value": "Ca. 2 timer sparet pr. center om ugen",
        },
        [("aarhus", "Vi har også dette behov på vores aktivitetscentre.")],
        "product",
    ),
    (
        "organisationsdiagram",
        "aarhus",
        "organisation-og-personale",
        {
            "title": "Organisationsdiagram fra OS2mo på intranettet",
            "problem": "Intranettets organisationsdiagram vedligeholdes i hånden og er ofte forkert, selv om "
            "oplysningerne allerede findes i OS2mo.",
            "who_has_it": "Alle medarbejdere, især nye medarbejdere og ledere.",
            "current_solutions": "OS2mo har data og en API, men ingen færdig visning, der kan indlejres på "
            "intranettet.",
            "desired_outcome": "Et diagram, der opdateres fra OS2mo hver nat og kan indlejres på intranettet.",
            "rough_value": "Ca. 300 timer om året til vedligehold",
        },
        [("odense", "Vi har også dette behov og bidrager gerne til finansieringen.")],
        "request",
    ),
    (
        "affald",
        "aarhus",
        "borgerservice",
        {
            "title": "Digital assistent til spørgsmål om affald og genbrug",
            "problem": "Borgerservice får tusindvis af opkald om tømningsdage, storskrald og sortering, især "
            "efter omlægningen til flere affaldstyper.",
            "who_has_it": "Borgerne og medarbejderne i borgerservice og på genbrugsstationerne.",
            "current_solutions": "Markedet har flere færdige løsninger; intet OS2-produkt dækker området.",
            "desired_outcome": "En assistent på kommunens hjemmeside, der besvarer de hyppigste spørgsmål døgnet "
            "rundt.",
            "rough_value": "Op mod 30 % færre opkald om affald",
        },
        [("odense", "Vi har også dette behov og går gerne med i et fælles udbud.")],
        "tender",
    ),
    (
        "vagtplaner",
        "odense",
        "organisation-og-personale",
        {
            "title": "Vagtplaner i medarbejdernes kalender",
            "problem": "Medarbejderne i hjemmeplejen skal tjekke vagtplanen i et særskilt system; ændringer ses "
            "ikke i kalenderen på deres telefon.",
            "who_has_it": "Medarbejderne i hjemmeplejen og deres planlæggere.",
            "current_solutions": "Vagtplanssystemet kan eksportere en fil, men ikke løbende.",
            "desired_outcome": "Vagter og ændringer vises automatisk i medarbejdernes kalender.",
            "rough_value": "",
        },
        [],
        "closed",
    ),
]


def _needs(*, secretariat):
    """Needs in every status, co-signs and follows, pitches, calls for suppliers with sealed offers in every
    state and donations in every state, all through the services; a second approved partner so a call has two
    offers; the demo supplier's weekly digest."""
    from os2hub.needs import services as needs

    coordinator = User.objects.get(email="koordinator@os2hub.example")
    kommune = User.objects.get(email="kommune@os2hub.example")
    kommune2 = User.objects.get(email="kommune2@os2hub.example")
    supplier_admin = User.objects.get(email="leverandoer@os2hub.example")
    supplier = supplier_admin.memberships.get().organisation
    supplier2, supplier2_admin = _supplier(SECOND_PARTNER, secretariat, seed=len(SUPPLIERS))
    people = {
        "aarhus": (kommune, kommune.memberships.get().organisation),
        "odense": (kommune2, kommune2.memberships.get().organisation),
        "koebenhavn": (coordinator, coordinator.memberships.get().organisation),
    }
    products = {p.name: p for p in Product.objects.all()}
    today = timezone.localdate()

    made = {}
    for key, poster, category, texts, cosigns, target in NEEDS:
        user, organisation = people[poster]
        need = needs.need_create(
            user=user,
            organisation=organisation,
            category=Category.objects.get(slug=category),
            data={**texts, "problem": texts["problem"] + NEEDS_NOTE},
        )
        for who, note in cosigns:
            needs.need_cosign(need=need, user=people[who][0], organisation=people[who][1], note=note)
        made[key] = need
        if target == "clarifying":
            needs.need_clarify(
                need=need,
                user=user,
                comment="Vi afklarer med koordinationsgruppen for OS2iot, om behovet kan dækkes af en udvidelse.",
            )
        elif target == "product":
            needs.need_clarify(need=need, user=user, comment="Sekretariatet undersøger eksisterende OS2-produkter.")
            needs.need_to_product(
                need=need,
                user=secretariat,
                product=products["OS2display"],
                comment="OS2display dækker behovet. Odense Kommune tilslutter sig fællesskabet og starter med to "
                "plejecentre.",
            )
        elif target == "request":
            needs.need_to_request(
                need=need,
                user=user,
                product=products["OS2mo"],
                comment="Behovet løses som en udvidelse af OS2mo; kladden til udviklingsønsket er oprettet.",
            )
        elif target == "tender":
            needs.need_to_tender(
                need=need,
                user=user,
                tender_url="https://udbud.dk/Pages/Tenders/ShowTender?tenderid=900123",
                comment="Markedet kan levere løsningen, så Aarhus og Odense laver et fælles udbud. "
                "Udbudsbekendtgørelsen i demoen er fiktiv.",
            )
        elif target == "closed":
            needs.need_close(
                need=need,
                user=user,
                comment="Leverandøren af vagtplanssystemet leverer kalendersynkronisering i næste version, så "
                "behovet lukkes her.",
            )
    needs.need_follow(need=made["breve"], user=secretariat)
    needs.need_follow(need=made["sensorer"], user=secretariat)
    needs.need_follow(need=made["organisationsdiagram"], user=coordinator)

    # Pitches: to a need (asking for a meeting), on its own (marked for a community meeting), and by the second
    # partner to another need.
    needs.pitch_create(
        user=supplier_admin,
        supplier=supplier,
        need=made["adgange"],
        data={
            "title": "Påmindelsesmodul til OS2rollekatalog",
            "text": "Vi foreslår et modul til OS2rollekatalog, der hvert kvartal sender lederne en liste over "
            "deres medarbejderes roller med knapper til at beholde eller fjerne dem.\n\n"
            "- Bygger på rollekatalogets eksisterende data\n- Kan genbruges af alle tilsluttede kommuner\n"
            "- Koden lægges i produktets repository under produktets licens" + PITCH_NOTE,
            "links": [f"https://{supplier.slug}.example/cases/rollekatalog"],
            "wants_meeting": True,
        },
    )
    own = needs.pitch_create(
        user=supplier_admin,
        supplier=supplier,
        data={
            "title": "Automatiske tilgængelighedstest af OS2-produkter",
            "text": "Vi har udviklet en opsætning, der tester OS2-produkternes brugerflader mod WCAG 2.1 AA ved "
            "hver ændring i koden. Vi præsenterer den gerne for fællesskabet og hjælper koordinationsgrupperne "
            "i gang." + PITCH_NOTE,
            "links": [f"https://{supplier.slug}.example/tilgaengelighed"],
            "wants_event": True,
        },
    )
    needs.pitch_mark_for_meeting(pitch=own, user=secretariat)
    needs.pitch_create(
        user=supplier2_admin,
        supplier=supplier2,
        need=made["breve"],
        data={
            "title": "Tilgængelige brevskabeloner som fælles komponent",
            "text": "En fælles komponent, der omdanner fagsystemernes breve til PDF/UA, før de sendes til Digital "
            "Post. Kommunerne deler komponenten og dens vedligehold i OS2." + PITCH_NOTE,
            "wants_meeting": True,
        },
    )

    # Calls: an open code review with offers from both partners, an awarded development task, a cancelled
    # consulting task for a need and an authority's open call for hosting.
    review = needs.call_create(
        user=coordinator,
        caller="group",
        product=products["OS2mo"],
        data={
            "kind": "code-review",
            "title": "Code review af den nye GraphQL-snitflade i OS2mo",
            "description": "Koordinationsgruppen ønsker et uafhængigt code review af den nye GraphQL-snitflade, "
            "før den bliver standard.\n\n- Gennemgang af kode, test og dokumentation\n"
            "- Fokus på sikkerhed, adgangsstyring og svartider\n- En skriftlig rapport med prioriterede fund\n\n"
            "Reviewet skal være færdigt senest seks uger efter tildelingen." + CALLS_NOTE,
            "deadline": today + timedelta(days=14),
            "budget_min_dkk": "20000",
            "budget_max_dkk": "45000",
        },
    )
    needs.offer_save(
        call=review,
        user=supplier_admin,
        supplier=supplier,
        data={
            "hours": "28",
            "approach": "To erfarne udviklere gennemgår snitfladen hver for sig og samler fundene i én rapport, "
            "som vi gennemgår med koordinationsgruppen på et møde." + CALLS_NOTE,
            "team": "En seniorudvikler og en sikkerhedsspecialist med erfaring fra OS2-produkter.",
        },
    )
    needs.offer_save(
        call=review,
        user=supplier2_admin,
        supplier=supplier2,
        data={
            "price_dkk": "29500",
            "approach": "Fast pris for et review efter OWASP's retningslinjer for API'er, med automatiske test "
            "af adgangsstyringen, som fællesskabet kan beholde." + CALLS_NOTE,
            "team": "En arkitekt og en tester; begge har lavet code review for andre OS2-produkter.",
        },
    )
    upgrade = needs.call_create(
        user=coordinator,
        caller="group",
        product=products["OS2rollekatalog"],
        data={
            "kind": "development",
            "title": "Opgradering af OS2rollekatalog til Java 21",
            "description": "Rollekataloget skal opgraderes til Java 21 og den nyeste version af Spring Boot, før "
            "den nuværende version ikke længere får sikkerhedsopdateringer.\n\n"
            "Leverancen er en testet version med opdateret driftsvejledning." + CALLS_NOTE,
            "deadline": today + timedelta(days=10),
            "budget_min_dkk": "60000",
            "budget_max_dkk": "120000",
        },
    )
    needs.offer_save(
        call=upgrade,
        user=supplier_admin,
        supplier=supplier,
        data={
            "hours": "80",
            "approach": "Opgraderingen laves i små trin med test efter hvert trin." + CALLS_NOTE,
            "team": "To udviklere, der kender rollekataloget.",
        },
    )
    winner = needs.offer_save(
        call=upgrade,
        user=supplier2_admin,
        supplier=supplier2,
        data={
            "hours": "72",
            "approach": "Vi opgraderer afhængighederne automatisk, hvor det kan lade sig gøre, og tester resten "
            "mod en kopi af en kommunes data." + CALLS_NOTE,
            "team": "En udvikler og en driftsspecialist.",
        },
    )
    needs.call_award(call=upgrade, user=coordinator, offer=winner)

    aarhus, odense = people["aarhus"][1], people["odense"][1]
    consulting = needs.call_create(
        user=kommune,
        caller=aarhus.slug,
        need=made["sensorer"],
        data={
            "kind": "consulting",
            "title": "Rådgivning om advarsler for lavt batteri på sensorer",
            "description": "Aarhus Kommune søger teknisk rådgivning om, hvordan advarsler for lavt batteri kan "
            "bygges oven på OS2iot, og hvad det vil koste." + CALLS_NOTE,
            "deadline": today + timedelta(days=21),
            "budget_max_dkk": "25000",
        },
    )
    adviser = Organisation.objects.get(name="Rådgivningshuset Nord Demo ApS")
    needs.offer_save(
        call=consulting,
        user=adviser.memberships.get().user,
        supplier=adviser,
        data={
            "hours": "14",
            "approach": "En workshop med driftsteknikerne og et notat med løsningsforslag." + CALLS_NOTE,
        },
    )
    needs.call_cancel(
        call=consulting,
        user=kommune,
        reason="Koordinationsgruppen for OS2iot tager opgaven med i sin egen køreplan.",
    )
    hosting = needs.call_create(
        user=kommune2,
        caller=odense.slug,
        product=products["OS2iot"],
        data={
            "kind": "hosting",
            "title": "Hosting og drift af OS2iot for Odense Kommune",
            "description": "Odense Kommune søger hosting og drift af OS2iot i to år.\n\n"
            "- Hosting i EU med dagligt backup og overvågning\n- Opdateringer inden for en uge efter en ny "
            "version\n- Oppetid på mindst 99,5 % i dagtimerne" + CALLS_NOTE,
            "deadline": today + timedelta(days=30),
            "budget_min_dkk": "40000",
            "budget_max_dkk": "80000",
        },
    )
    host = Organisation.objects.get(name="Driftsfabrikken Demo A/S")
    needs.offer_save(
        call=hosting,
        user=host.memberships.get().user,
        supplier=host,
        data={
            "price_dkk": "64000",
            "approach": "Standardopsætning af OS2iot i vores danske datacenter med overvågning døgnet rundt."
            + CALLS_NOTE,
            "team": "Vores driftsteam på fire personer.",
        },
    )

    # Donations: offered, accepted (a sandbox product) and declined.
    needs.donation_create(
        user=kommune2,
        organisation=odense,
        data={
            "name": "Vikarbooking til dagtilbud",
            "repository_url": "https://code.odense-kommune.example/dagtilbud/vikarbooking",
            "licence": "MPL-2.0",
            "description": "Et webværktøj, hvor daginstitutionerne booker vikarer fra kommunens vikarkorps. "
            "Lederen ser de ledige vikarer og bekræfter med ét klik." + DONATION_NOTE,
            "users": "Kommunens daginstitutioner og vikarkorpset; udviklet sammen med en leverandør.",
        },
    )
    accepted = needs.donation_create(
        user=kommune,
        organisation=aarhus,
        data={
            "name": "Vejarbejdskort",
            "repository_url": "https://code.aarhus-kommune.example/trafik/vejarbejdskort",
            "licence": "EUPL-1.2",
            "description": "Et kort over aktuelle vejarbejder og gravetilladelser til kommunens hjemmeside, "
            "bygget på kommunens åbne data." + DONATION_NOTE,
            "users": "Trafikafdelingen og borgerne via kommunens hjemmeside.",
        },
    )
    needs.donation_accept(donation=accepted, user=secretariat)
    declined = needs.donation_create(
        user=kommune,
        organisation=aarhus,
        data={
            "name": "Mødelokalebooking på rådhuset",
            "repository_url": "https://code.aarhus-kommune.example/intern/moedelokaler",
            "licence": "MIT",
            "description": "Booking af rådhusets mødelokaler med adgangskort." + DONATION_NOTE,
            "users": "Medarbejderne på rådhuset.",
        },
    )
    needs.donation_decline(
        donation=declined,
        user=secretariat,
        reason="Løsningen er tæt bundet til ét rådhus' lokaler og adgangssystem, og ingen andre myndigheder har "
        "meldt sig som anvendere. Del gerne koden åbent, og tilbyd den igen, når en myndighed mere vil bruge den.",
    )

    needs.digest_subscribe(user=supplier_admin, organisation=supplier)


def _needs_summary() -> str:
    from os2hub.needs.models import Call, Donation, Need, Offer, Pitch

    needs = Need.objects.values_list("status", flat=True)
    calls = Call.objects.values_list("status", flat=True)
    donations = Donation.objects.values_list("status", flat=True)
    return (
        f"{needs.count()} needs in {len(set(needs))} states, {Pitch.objects.count()} pitches, "
        f"{calls.count()} calls in {len(set(calls))} states with {Offer.objects.count()} offers, "
        f"{donations.count()} donations in {len(set(donations))} states"
    )
