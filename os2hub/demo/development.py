"""Development requests in every state, with estimates, pledges, a sprint and attachments."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from os2hub.accounts.models import User
from os2hub.products.models import Group, Product

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


def load():
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


def summary() -> str:
    from os2hub.development.models import DevelopmentRequest

    states = DevelopmentRequest.objects.values_list("status", flat=True)
    return f"{states.count()} in {len(set(states))} states"
