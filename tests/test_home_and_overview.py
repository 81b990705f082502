"""The front page a first-time visitor sees, the one personal overview a signed-in person lands on, the main menu,
and the one setting every absolute link is built from (SITE_URL)."""

import datetime
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from os2hub.accounts.models import Organisation
from os2hub.community.models import CoHost, Event, Registration
from os2hub.development.models import DevelopmentRequest, Estimate, Pledge
from os2hub.governance.models import CriteriaVersion, Round, SelfAssessment
from os2hub.needs.models import Call, CoSign, DigestSubscription, Donation, Need, Offer
from os2hub.products.models import Group, GroupJoinRequest, GroupMember, JoiningAgreement, Product, TextSuggestion
from os2hub.questions.models import Question
from os2hub.scans.models import Proposal, Scan
from os2hub.web.context_processors import navigation
from os2hub.web.views import SHOWN

from .personas import VALID_CVRS, OrganisationFactory, UserFactory, make_application, member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


# --- A world with something in every list --------------------------------------------------------------------


class World:
    """Products at levels, open needs, requests open for funding, events, partners; a coordinator with a draft,
    a scanner proposal waiting and an open round; an authority with a request, a pledge, a need, a co-sign, a
    call and an agreement; a supplier with an estimate and an offer; queues for the secretariat."""

    def __init__(self, people):
        self.people = people
        self.coordinator = UserFactory(email="koordinator@example.dk", name="Kim Koordinator")
        self.product = self.add_product("OS2mo", level="2", coordinator=self.coordinator)
        self.steered = self.add_product("OS2rollekatalog", level="1")
        steering = Group.objects.create(product=self.steered, kind=Group.Kind.STEERING, name="Styregruppen")
        GroupMember.objects.create(group=steering, user=self.coordinator)
        self.other = self.add_product("OS2display")
        self.round = Round.objects.create(
            name="Efterår 2026",
            criteria_version=CriteriaVersion.current(),
            opens_on=timezone.localdate() - DAY,
            deadline=timezone.localdate() + 30 * DAY,
        )
        SelfAssessment.objects.create(product=self.product, criteria_version=CriteriaVersion.current())
        scan = Scan.objects.create(product=self.product, repository_url="https://github.com/os2/os2mo", status="done")
        self.proposal = Proposal.objects.create(
            product=self.product,
            repository_url=scan.repository_url,
            criterion_code="1.1",
            scan=scan,
            answer="ja",
            fingerprint="x",
        )
        authority, supplier = people.authority, people.supplier_org
        self.need = self.add_need(authority, "Booking af lokaler")
        self.theirs = self.add_need(people.authority2, "Tilgængelige breve")
        CoSign.objects.create(need=self.theirs, organisation=authority, created_by=people.authority_admin)
        self.funding = self.add_request(authority, "Bedre søgning", status="funding", pledged="250")
        Pledge.objects.create(request=self.funding, organisation=authority, amount_dkk="250")
        Estimate.objects.create(
            request=self.funding, supplier=supplier, hours="10", hourly_rate_dkk="100", price_dkk="1000"
        )
        self.call = self.add_call(authority, "Code review af API")
        Offer.objects.create(call=self.call, supplier=supplier, price_dkk="5000", approach="Vi læser koden.")
        JoiningAgreement.objects.create(
            product=self.product, organisation=authority, starts_on=datetime.date(2025, 1, 1)
        )
        self.event = self.add_event(self.product, "Brugergruppemøde", days=3)
        Donation.objects.create(
            organisation=authority,
            name="Lokalebooking",
            repository_url="https://github.com/aarhus/booking",
            licence="MPL-2.0",
            description="x",
            users="y",
        )
        make_application(people.new_supplier_org, people.new_supplier_admin, status="submitted", cvr=VALID_CVRS[1])
        self.pending = Organisation.objects.create(
            name="Nyby Kommune", slug="nyby", kind="authority", status=Organisation.Status.PENDING
        )
        self.coordination = Group.objects.create(
            product=self.product, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen"
        )
        self.add_community("Første")

    def add_community(self, name):
        """What waits in the community: a supplier's question on the authority's need, a suggestion and a request
        to join for the coordinator, an event proposal (with the supplier invited to co-host) for the
        coordinator and the secretariat, and the authority's admin's seat at an event."""
        people = self.people
        need = self.add_need(people.authority, f"Behov med spørgsmål {name}")
        Question.objects.create(
            need=need, author=people.supplier_admin, organisation=people.supplier_org, body=f"Spørgsmål {name}?"
        )
        TextSuggestion.objects.create(
            product=self.product,
            field="summary",
            base_text=self.product.summary,
            proposed_text=f"Bedre resumé {name}.",
            author=people.authority_admin,
            organisation=people.authority,
        )
        joining = UserFactory()
        member(joining, people.authority2)
        GroupJoinRequest.objects.create(group=self.coordination, user=joining, organisation=people.authority2)
        proposal = Event.objects.create(
            product=self.product,
            organisation=people.authority,
            status=Event.Status.PROPOSED,
            title=f"Forslag {name}",
            starts_at=NOW + 20 * DAY,
            ends_at=NOW + 20 * DAY + datetime.timedelta(hours=2),
        )
        CoHost.objects.create(event=proposal, organisation=people.supplier_org)
        seated = self.add_event(self.product, f"Med tilmelding {name}", days=5)
        Registration.objects.create(event=seated, user=people.authority_admin, status=Registration.Status.CONFIRMED)

    def add_product(self, name, *, level="", coordinator=None):
        return Product.objects.create(
            name=name,
            slug=name.lower(),
            summary="Et produkt.",
            status="product",
            official_level=level,
            coordinator=coordinator,
        )

    def add_need(self, organisation, title, status="open"):
        return Need.objects.create(
            title=title, problem="Et problem.", desired_outcome="Et mål.", organisation=organisation, status=status
        )

    def add_request(self, organisation, title, *, status="funding", pledged="0"):
        return DevelopmentRequest.objects.create(
            product=self.product,
            requester=organisation,
            title=title,
            status=status,
            funding="community",
            price_dkk=Decimal("1000"),
            pledged_dkk=Decimal(pledged),
            submitted_at=timezone.now(),
        )

    def add_call(self, organisation, title, kind="code-review"):
        return Call.objects.create(
            kind=kind,
            title=title,
            description="Opgaven.",
            product=self.product,
            organisation=organisation,
            deadline=timezone.localdate() + 14 * DAY,
        )

    def add_event(self, product, title, *, days):
        starts = NOW + days * DAY
        return Event.objects.create(
            product=product, title=title, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
        )

    def add_partner(self, i):
        org = OrganisationFactory(name=f"Partner {i} ApS", slug=f"partner-{i}", kind="supplier")
        admin = member(UserFactory(email=f"admin@partner-{i}.dk"), org)
        return make_application(org, admin, cvr=f"{40000000 + i:08d}")

    def more_of_everything(self, n, start=0):
        """n more of every kind of row the front page and the overviews list."""
        people = self.people
        for i in range(start, start + n):
            self.add_community(str(i))
            self.add_product(f"Produkt{i}", level="1")
            self.add_need(people.authority, f"Behov {i}")
            request = self.add_request(people.authority, f"Ønske {i}", pledged="100")
            Pledge.objects.create(request=request, organisation=people.authority, amount_dkk="100")
            Estimate.objects.create(
                request=request, supplier=people.supplier_org, hours="5", hourly_rate_dkk="200", price_dkk="1000"
            )
            CoSign.objects.create(
                need=self.add_need(people.authority2, f"Andres behov {i}"), organisation=people.authority
            )
            call = self.add_call(people.authority, f"Forespørgsel {i}")
            Offer.objects.create(call=call, supplier=people.supplier_org, price_dkk="900", approach="Sådan.")
            JoiningAgreement.objects.create(
                product=Product.objects.get(slug=f"produkt{i}"), organisation=people.authority, starts_on=NOW.date()
            )
            self.add_event(self.other, f"Møde {i}", days=10 + i)
            self.add_partner(i)
            coordinated = self.add_product(f"Koordineret{i}", coordinator=self.coordinator)
            scan = Scan.objects.create(
                product=coordinated, repository_url=f"https://github.com/os2/k{i}", status="done"
            )
            Proposal.objects.create(
                product=coordinated,
                repository_url=scan.repository_url,
                criterion_code="1.1",
                scan=scan,
                answer="nej",
                fingerprint=f"k{i}",
            )
            Donation.objects.create(
                organisation=people.authority2,
                name=f"Løsning {i}",
                repository_url=f"https://github.com/odense/l{i}",
                licence="MIT",
                description="x",
                users="y",
            )


@pytest.fixture
def world(people):
    return World(people)


# --- Reading pages -----------------------------------------------------------------------------------------------


class Links(HTMLParser):
    """The addresses of a page's links (<a href>)."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def main_of(html: str) -> str:
    return html[html.index('<main id="main-content"') : html.index("</main>")]


def section(html: str, element_id: str) -> str:
    """The <section> labelled by element_id (or the element with that id to the next section)."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return html[start : end if end != -1 else None]


# --- The front page ----------------------------------------------------------------------------------------------


def test_a_visitor_sees_all_of_os2hub_on_the_front_page_with_counts_and_the_newest(client, world, people):
    response = client.get("/")
    html = main_of(response.content.decode())
    # Products and their levels, each level a link to the filtered catalogue.
    assert response.context["products"].count == 3
    levels = section(html, "home-levels")
    assert 'href="/products/?level=2"' in levels and 'href="/products/?level=none"' in levels
    assert re.search(r'href="/products/\?level=2">[^<]+</a>: 1', levels)
    assert re.search(r'href="/products/\?level=none">[^<]+</a>: 1', levels)
    assert f'href="{world.other.get_absolute_url()}"' in section(html, "home-newest-products")
    # Needs, requests open for funding, upcoming events and partners, linked to their pages and lists.
    assert f'href="/needs/{world.need.pk}/"' in section(html, "home-needs-list")
    assert 'href="/needs/"' in html
    funding = section(html, "home-funding-list")
    assert f'href="/development-requests/{world.funding.pk}/"' in funding and "250,00" in funding
    assert 'href="/development-requests/?status=funding"' in html
    assert f'href="{world.event.get_absolute_url()}"' in section(html, "home-events-list")
    assert 'href="/events/"' in html
    assert f'href="/leverandoerer/{people.supplier_org.slug}/"' in section(html, "home-partners-list")
    assert 'href="/leverandoerer/"' in html


def test_the_front_page_shows_the_newest_few_and_counts_them_all(client, world):
    world.more_of_everything(SHOWN + 2)
    response = client.get("/")
    html = main_of(response.content.decode())
    assert section(html, "home-needs-list").count("<li>") == SHOWN
    # The newest first; the oldest are counted, not shown.
    assert f"Behov {SHOWN + 1}" in html and "Booking af lokaler" not in html
    open_needs = Need.objects.filter(status__in=("open", "clarifying")).count()
    assert response.context["needs"].count == open_needs > SHOWN
    assert section(html, "home-events-list").count("<li>") == SHOWN
    assert "Brugergruppemøde" in section(html, "home-events-list")  # soonest first


def test_the_front_page_takes_the_same_number_of_queries_however_much_there_is(client, world):
    world.more_of_everything(SHOWN)
    with CaptureQueriesContext(connection) as some:
        client.get("/")
    world.more_of_everything(10, start=SHOWN)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    assert len(many.captured_queries) == len(some.captured_queries)


def test_become_a_partner_offers_a_visitor_to_sign_up_or_log_in_never_a_page_that_refuses(client, db):
    html = main_of(client.get("/").content.decode())
    card = section(html, "become-partner")
    assert 'href="/konto/signup/"' in card and 'href="/konto/login/"' in card
    assert reverse("suppliers:application") not in html


def test_a_signed_in_person_who_opens_the_front_page_lands_on_the_overview(client, people):
    client.force_login(people.authority_admin)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("web:dashboard")


def test_the_page_cache_keeps_the_front_page_for_visitors_and_never_serves_it_to_someone_signed_in(
    client, settings, people
):
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    try:
        first = client.get("/")
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss" and not first.cookies
        # Shared caches on the way must keep apart the answer to a visitor and to someone signed in.
        assert "Cookie" in first["Vary"]
        assert client.get("/")["X-Page-Cache"] == "hit"
        client.force_login(people.authority_admin)
        signed_in = client.get("/")
        assert signed_in.status_code == 302 and signed_in["Location"] == "/overblik/"
        assert "X-Page-Cache" not in signed_in
    finally:
        cache.clear()


# --- The main menu -----------------------------------------------------------------------------------------------


def menu(user=None, path="/") -> list[tuple[str, str]]:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    with translation.override("da"):
        return [(str(item["text"]), item["href"]) for item in navigation(request)["main_nav"]]


def test_development_requests_are_in_the_main_menu_for_everyone(people):
    assert ("Udviklingsønsker", "/development-requests/") in menu()
    assert ("Udviklingsønsker", "/development-requests/") in menu(people.supplier_admin)


def test_the_menu_of_someone_signed_in_starts_with_their_overview_instead_of_the_front_page(people):
    assert menu()[0] == ("Forside", "/")
    items = menu(people.authority_admin)
    assert items[0] == ("Mit overblik", "/overblik/")
    assert "/" not in [href for _, href in items]


def test_development_requests_are_marked_current_on_their_list(rf, people):
    request = rf.get("/development-requests/")
    request.user = people.outsider
    current = [item["href"] for item in navigation(request)["main_nav"] if item["current"]]
    assert current == ["/development-requests/"]


# --- The personal overview ---------------------------------------------------------------------------------------


def test_the_secretariat_sees_its_queues_with_counts(client, world, people):
    client.force_login(people.secretariat)
    response = client.get("/overblik/")
    html = section(response.content.decode(), "overview-secretariat")
    assert "1 ansøgning om partnerskab venter på behandling." in html and 'href="/sekretariat/ansoegninger/"' in html
    queues = response.context["secretariat"]
    assert queues["applications"] == 1 and queues["donations"] == 1 and queues["onboarding"]["organisations"] == 1
    assert 'href="/donations/"' in html
    assert 'href="/sekretariat/organisationer/"' in html and world.pending.name not in html
    assert "Efterår 2026" in html and f'href="/governance/rounds/{world.round.pk}/"' in html
    assert (world.round.deadline.strftime("%Y")) in html


def test_the_coordinator_sees_the_products_the_draft_the_proposals_waiting_and_the_round_deadline(client, world):
    client.force_login(world.coordinator)
    html = section(client.get("/overblik/").content.decode(), "overview-coordination")
    table = section(html, "coordinated-products")
    # The coordinator's product and the one whose steering group they sit in; no other.
    assert f'href="{world.product.get_absolute_url()}"' in table
    assert f'href="{world.steered.get_absolute_url()}"' in table
    assert world.other.get_absolute_url() not in table
    assert f'href="/products/{world.product.slug}/self-assessment/proposals/"' in table
    assert f'href="/products/{world.product.slug}/self-assessment/"' in table
    assert "Efterår 2026" in html and str(world.round.deadline.year) in html
    assert 'class="alert alert-warning"' in html  # two products have not submitted in the round


def test_an_authority_sees_its_requests_pledges_needs_cosigns_calls_and_agreements(client, world, people):
    client.force_login(people.authority_admin)
    html = section(client.get("/overblik/").content.decode(), f"authority-{people.authority.pk}")
    assert f'href="/development-requests/{world.funding.pk}/"' in html  # filed and pledged to
    assert f'href="/needs/{world.need.pk}/"' in html and f'href="/needs/{world.theirs.pk}/"' in html
    assert f'href="/calls/{world.call.pk}/"' in html
    assert f'href="/products/{world.product.slug}/agreements/"' in html
    assert 'href="/development-requests/?mine=requested"' in html
    assert 'href="/development-requests/?mine=pledged"' in html


def test_a_partner_sees_its_opportunities_estimates_offers_and_the_weekly_email(client, world, people):
    open_need = world.add_need(people.authority2, "Åbent behov")
    client.force_login(people.supplier_admin)
    page = client.get("/overblik/").content.decode()
    html = section(page, f"supplier-{people.supplier_org.pk}")
    assert f'href="/calls/{world.call.pk}/"' in section(html, "opportunity-calls")  # code review, its competence
    assert f'href="/needs/{open_need.pk}/"' in section(html, "opportunity-needs")
    assert 'href="/partnerskab/"' in html  # an administrator opens the partnership
    assert "5.000,00" in html and "1.000,00" in html  # the offer and the estimate
    assert 'href="/development-requests/?mine=estimated"' in html
    assert 'action="/dashboard/digest/"' in section(page, "digest")
    response = client.post("/dashboard/digest/", {"weekly": "1"}, follow=True)
    assert response.redirect_chain[-1] == ("/overblik/", 302)
    assert DigestSubscription.objects.filter(user=people.supplier_admin).exists()


def test_a_suppliers_member_who_is_not_its_administrator_is_not_offered_the_partnership(client, world, people):
    client.force_login(people.supplier_member)
    html = main_of(client.get("/overblik/").content.decode())
    assert 'href="/partnerskab/"' not in html
    assert client.get("/partnerskab/").status_code == 403  # which is why


def test_a_supplier_that_is_not_a_partner_yet_sees_its_partnership_not_opportunities(client, world, people):
    client.force_login(people.new_supplier_admin)
    html = main_of(client.get("/overblik/").content.decode())
    assert 'href="/partnerskab/"' in html and 'id="opportunity-calls"' not in html and 'id="digest"' not in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", ["Requests to join your groups", "Text suggestions waiting", "Event proposals waiting"]),
        (
            "secretariat",
            [
                "Questions waiting for your answer",  # the secretariat answers on needs too
                "Requests to join your groups",
                "Text suggestions waiting",
                "Event proposals waiting",
            ],
        ),
        ("authority_admin", ["Questions waiting for your answer", "Your sign-ups"]),
        ("supplier_admin", ["Invitations to co-host"]),
    ],
)
def test_the_community_part_shows_what_waits_for_each_person_and_links_to_it(client, world, people, persona, expected):
    user = world.coordinator if persona == "coordinator" else getattr(people, persona)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    page = client.get("/overblik/")
    community = section(page.content.decode(), "overview-community")
    for heading in expected:
        assert heading in community, (persona, heading)
    others = {"Questions waiting", "Requests to join your groups", "Text suggestions", "Event proposals", "co-host"}
    for heading in others - {h for e in expected for h in others if h in e}:
        assert heading not in community, (persona, heading)
    for href in links(community):
        assert client.get(href).status_code == 200, href


def test_someone_with_nothing_waiting_in_the_community_sees_no_empty_part(client, world, people):
    client.force_login(people.outsider)
    assert 'id="overview-community"' not in client.get("/overblik/").content.decode()


def test_a_newcomer_is_shown_how_to_start(client, world, people):
    client.force_login(people.outsider)
    html = main_of(client.get("/overblik/").content.decode())
    assert 'href="/organisationer/"' in html and 'href="/organisationer/ny/"' in html
    assert 'href="/partnerskab/"' in section(html, "become-partner")
    # The partnership page leads them on to create their company, never a 403.
    assert client.get("/partnerskab/", follow=True).status_code == 200


def test_the_old_opportunities_address_leads_to_the_overview(client, people):
    client.force_login(people.supplier_admin)
    assert client.get("/dashboard/")["Location"] == "/overblik/"


@pytest.mark.parametrize("persona", ["secretariat", "coordinator", "authority_admin", "supplier_admin", "outsider"])
def test_the_overview_takes_the_same_number_of_queries_however_much_there_is(client, world, people, persona):
    user = world.coordinator if persona == "coordinator" else getattr(people, persona)
    world.more_of_everything(SHOWN)
    client.force_login(user)
    with CaptureQueriesContext(connection) as some:
        client.get("/overblik/")
    world.more_of_everything(10, start=SHOWN)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/overblik/").status_code == 200
    assert len(many.captured_queries) == len(some.captured_queries)


# --- Every link works for the person who is offered it ----------------------------------------------------------

PERSONAS = [None, "secretariat", "coordinator", "authority_admin", "supplier_admin", "supplier_member", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p or "visitor" for p in PERSONAS])
def test_every_link_on_the_front_page_or_overview_answers_200(client, world, people, persona):
    user = world.coordinator if persona == "coordinator" else (getattr(people, persona) if persona else None)
    if user:
        client.force_login(user)
    start = client.get("/", follow=True)
    assert start.status_code == 200
    hrefs = sorted({h for h in links(start.content.decode()) if h.startswith("/") and not h.startswith("//")})
    assert len(hrefs) > 10
    for href in hrefs:
        response = client.get(href, follow=True)
        assert response.status_code == 200, f"{href} answers {response.status_code} for {persona or 'a visitor'}"
        client.cookies.pop("django_language", None)


# --- SITE_URL: one setting for every absolute link --------------------------------------------------------------


def test_email_links_and_feed_ids_use_site_url(client, people, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8123"
    from os2hub.accounts.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            organisation=people.authority, inviter=people.authority_admin, email="ny@aarhus.dk", role="member"
        )
    assert "http://127.0.0.1:8123/invitationer/" in mail.outbox[-1].body
    feed = client.get(reverse("community:news_feed")).content.decode()
    assert "<id>http://127.0.0.1:8123/feeds/news.atom</id>" in feed
    assert 'href="http://127.0.0.1:8123/feeds/news.atom"' in feed


def test_allauths_email_links_use_site_url_not_the_requests_host(client, people, settings):
    settings.SITE_URL = "https://os2hub.example.dk"
    client.post(reverse("account_reset_password"), {"email": people.outsider.email}, HTTP_HOST="127.0.0.1")
    body = mail.outbox[-1].body
    assert "https://os2hub.example.dk/konto/password/reset/key/" in body
    assert "127.0.0.1" not in body and "os2hub.example.dk" in mail.outbox[-1].subject + body


def test_exports_api_links_and_the_badge_snippet_use_site_url(client, world, people, settings):
    settings.SITE_URL = "https://os2hub.example.dk"
    client.force_login(people.authority_admin)
    issue = client.get(f"/development-requests/{world.funding.pk}/github-issue.md").content.decode()
    assert f"https://os2hub.example.dk/development-requests/{world.funding.pk}/" in issue
    assert "testserver" not in issue
    level = client.get(f"/products/{world.product.slug}/level/").content.decode()
    assert f"https://os2hub.example.dk/products/{world.product.slug}/badge.svg" in level
    assert "http://testserver" not in level
    api = client.get("/api/v1/suppliers").json()
    assert api["items"][0]["logo_url"].startswith("https://os2hub.example.dk/leverandoerer/")


def test_no_port_8000_or_local_host_is_written_into_the_code_outside_the_settings():
    found = []
    for path in (ROOT / "os2hub").rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or "locale" in path.parts or path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in (r":8000\b", r"127\.0\.0\.1", r"localhost:\d", r"build_absolute_uri"):
            if re.search(pattern, text):
                found.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not found, found


def test_site_url_defaults_to_the_port_when_it_is_not_set():
    import os

    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env.update(PORT="8123", DEBUG="1", DJANGO_SETTINGS_MODULE="os2hub.settings")
    code = "from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "http://127.0.0.1:8123"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_gives_the_port_to_site_url_for_the_demo_data_and_the_server():
    import os

    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    out = subprocess.run(  # noqa: S603
        ["make", "--always-make", "--dry-run", "run", "PORT=8123"],  # noqa: S607
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in out.splitlines() if "load_demo" in line or "runserver" in line]
    assert len(commands) == 2, out
    assert all("SITE_URL='http://127.0.0.1:8123'" in line for line in commands), commands
    assert "runserver 127.0.0.1:8123" in commands[-1]
