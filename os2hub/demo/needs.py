"""Needs in every status, pitches, calls for suppliers with sealed offers, and donations."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from os2hub.accounts.models import Organisation, User
from os2hub.demo.suppliers import SUPPLIERS, supplier_create
from os2hub.products.models import Category, Product

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


def load(*, secretariat):
    """Needs in every status, co-signs and follows, pitches, calls for suppliers with sealed offers in every
    state and donations in every state, all through the services; a second approved partner so a call has two
    offers; the demo supplier's weekly digest."""
    from os2hub.needs import services as needs

    coordinator = User.objects.get(email="koordinator@os2hub.example")
    kommune = User.objects.get(email="kommune@os2hub.example")
    kommune2 = User.objects.get(email="kommune2@os2hub.example")
    supplier_admin = User.objects.get(email="leverandoer@os2hub.example")
    supplier = supplier_admin.memberships.get().organisation
    supplier2, supplier2_admin = supplier_create(SECOND_PARTNER, secretariat, seed=len(SUPPLIERS))
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


def summary() -> str:
    from os2hub.needs.models import Call, Donation, Need, Offer, Pitch

    needs = Need.objects.values_list("status", flat=True)
    calls = Call.objects.values_list("status", flat=True)
    donations = Donation.objects.values_list("status", flat=True)
    return (
        f"{needs.count()} needs in {len(set(needs))} states, {Pitch.objects.count()} pitches, "
        f"{calls.count()} calls in {len(set(calls))} states with {Offer.objects.count()} offers, "
        f"{donations.count()} donations in {len(set(donations))} states"
    )
