"""Control characters in text: refused where people write text (the pages and the API), and left out where stored
text goes out (the Atom feed, the calendars, the exports, e-mails), so that one of them in an old row, an import or
an admin edit can never break a feed for everyone.

XML 1.0 cannot carry most C0 control characters (Django's feed writer raises on them) nor U+FFFE and U+FFFF;
calendars (RFC 5545), spreadsheets, Jira and mail clients stumble on the rest."""

import csv
import io
import re

import pytest
from defusedxml import ElementTree as ET
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from os2hub.accounts.services import api_token_issue
from os2hub.community.models import Event, NewsPost
from os2hub.development import services as development
from os2hub.development.models import DevelopmentRequest, Estimate
from os2hub.needs.models import Call, Need, Offer
from os2hub.products.models import Product

from .test_community import ATOM, DAY, HOUR, event_data, parse_ics
from .test_development import COMPLETE, STORY
from .test_development import World as DevelopmentWorld
from .test_needs import NEED
from .test_needs import World as NeedsWorld

pytestmark = pytest.mark.django_db

# Everything that must never reach a feed, a calendar, an export or an e-mail (TAB, LF and CR may).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# C0 controls (Django's XML writer raised on these: a 500 for every reader), the noncharacter U+FFFF (not XML:
# readers refuse the whole feed), and DEL and a C1 control (XML, but invisible garbage in a reader).
IN_FEEDS = ["\x01", "\x0b", "\x1b", "\uffff", "\x7f", "\x85"]
# ical_escape already left out C0 controls and DEL; C1 controls and the noncharacters still went through.
IN_CALENDARS = ["\x85", "\x9b", "\ufffe"]
IN_EXPORTS = ["\x01", "\x1b", "\x9b"]
# What people could submit; NUL included (Django's forms refuse it on their own, the API did not everywhere).
TYPED = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe"]


class Api:
    def __init__(self, client, user):
        _token, raw = api_token_issue(user=user, name="test")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def post(self, path, data):
        return self.client.post(path, data, content_type="application/json", **self.headers)


def form_errors(response) -> dict:
    """The field errors of every bound form the page rendered."""
    errors = {}
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound:
                errors.update(value.errors)
    return errors


def refused_on_page(response, field):
    assert response.status_code == 200, response.status_code
    assert field in form_errors(response), form_errors(response)


def refused_in_api(response, field):
    assert response.status_code == 400, (response.status_code, response.content)
    assert [e["field"] for e in response.json()["errors"]] == [field], response.json()


@pytest.fixture
def product(people):
    return Product.objects.create(
        name="OS2kitos", slug="os2kitos", summary="IT-systemoverblik.", coordinator=people.authority_admin
    )


@pytest.fixture
def development_world(people):
    return DevelopmentWorld(people)


@pytest.fixture
def needs_world(people):
    return NeedsWorld(people)


# --- What is stored already goes out without them -----------------------------------------------------------------


@pytest.mark.parametrize("char", IN_FEEDS)
def test_a_control_character_stored_in_a_news_post_does_not_break_the_atom_feed(client, people, product, char):
    # Written past the forms, as an old row, an import or the admin would.
    Product.objects.filter(pk=product.pk).update(name=f"OS2{char}kitos")
    people.authority_admin.name = f"Anne{char} Admin"
    people.authority_admin.save(update_fields=["name"])
    NewsPost.objects.create(
        product=product, title=f"Ny{char} version", body=f"Version{char} **2.0**.", author=people.authority_admin
    )
    response = client.get(reverse("community:news_feed"))
    assert response.status_code == 200
    assert not CONTROL.search(response.content.decode())
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")  # well-formed XML
    assert entry.find(f"{ATOM}title").text == "OS2kitos: Ny version"
    assert "<strong>2.0</strong>" in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Anne Admin"


@pytest.mark.parametrize("char", IN_CALENDARS)
def test_a_control_character_stored_in_an_event_stays_out_of_the_calendars(client, product, char):
    starts = timezone.now() + 7 * DAY
    Product.objects.filter(pk=product.pk).update(name=f"OS2{char}kitos")
    Event.objects.create(
        product=product,
        title=f"Bruger{char}møde",
        description=f"Program{char}:\n- Nyheder",
        location=f"Aarhus{char} Rådhus",
        starts_at=starts,
        ends_at=starts + 2 * HOUR,
    )
    for url in (reverse("community:events_ics"), reverse("community:product_events_ics", args=[product.slug])):
        response = client.get(url)
        assert response.status_code == 200
        assert not CONTROL.search(response.content.decode()), url
        event = parse_ics(response.content)["children"][0]["props"]
        assert event["SUMMARY"] == ["OS2kitos: Brugermøde"]
        assert event["LOCATION"] == ["Aarhus Rådhus"]


def stored_with(char, world) -> DevelopmentRequest:
    request = world.submitted("community")
    DevelopmentRequest.objects.filter(pk=request.pk).update(
        title=f"Samlet{char} sagsoverblik",
        description=f"Hvad:{char} et overblik.",
        user_stories=[f"{STORY}{char}"],
        acceptance_criteria=[f"=Overblikket{char} viser alle sager"],
        documentation_requirements=f"Brugervejledning{char}.",
    )
    return request


@pytest.mark.parametrize("char", IN_EXPORTS)
def test_a_control_character_stored_in_a_request_stays_out_of_the_github_issue(client, development_world, char):
    request = stored_with(char, development_world)
    response = client.get(f"/development-requests/{request.pk}/github-issue.md")
    assert response.status_code == 200
    body = response.content.decode()
    assert not CONTROL.search(body)
    assert "Hvad: et overblik." in body and f"- {STORY}\n" in body


@pytest.mark.parametrize("char", IN_EXPORTS)
def test_a_control_character_stored_in_a_request_stays_out_of_the_jira_csv(client, development_world, char):
    request = stored_with(char, development_world)
    for url in (f"/development-requests/{request.pk}/jira.csv", "/products/os2mo/development-requests/jira.csv"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert not CONTROL.search(text), url
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[1][0] == "Samlet sagsoverblik"
        assert "* =Overblikket viser alle sager" in rows[1][2]


@pytest.mark.parametrize("char", IN_EXPORTS)
def test_a_control_character_stored_in_a_title_stays_out_of_the_e_mails(
    development_world, people, char, django_capture_on_commit_callbacks, mailoutbox
):
    request = stored_with(char, development_world)
    with django_capture_on_commit_callbacks(execute=True):
        development.estimate_save(
            request=request, user=people.supplier_admin, supplier=people.supplier_org, data={"hours": "10"}
        )
    assert mailoutbox
    for message in mailoutbox:
        assert not CONTROL.search(message.subject) and not CONTROL.search(message.body)
        assert "Samlet sagsoverblik" in message.subject and "Samlet sagsoverblik" in message.body
        message.message().as_bytes()  # and it can be sent


# --- Refused where people write -----------------------------------------------------------------------------------


@pytest.mark.parametrize("char", TYPED)
@pytest.mark.parametrize("field", ["title", "body"])
def test_a_news_post_with_a_control_character_is_refused_on_its_field(login, people, product, char, field):
    data = {"title": "Ny version", "body": "Version 2.0.", field: f"Ny{char}tekst"}
    response = login(people.authority_admin).post(reverse("community:news_create", args=[product.slug]), data)
    refused_on_page(response, field)
    assert not NewsPost.objects.exists()


@pytest.mark.parametrize("char", TYPED)
@pytest.mark.parametrize("field", ["title", "description", "location"])
def test_an_event_with_a_control_character_is_refused_on_its_field(login, people, product, char, field):
    data = event_data(**{field: f"Bruger{char}møde"})
    response = login(people.authority_admin).post(reverse("community:event_create", args=[product.slug]), data)
    refused_on_page(response, field)
    assert not Event.objects.exists()


@pytest.mark.parametrize("char", TYPED)
@pytest.mark.parametrize("field", ["title", "description", "user_stories", "acceptance_criteria"])
def test_a_development_request_with_a_control_character_is_refused_on_the_page(
    development_world, login, people, char, field
):
    data = {
        **COMPLETE,
        "user_stories": STORY,
        "acceptance_criteria": "Overblikket viser alle åbne sager",
        "funding": "community",
    }
    data[field] = f"{data[field]}{char} mere"
    response = login(people.authority_admin).post("/products/os2mo/development-requests/new/", data)
    refused_on_page(response, field)
    assert not DevelopmentRequest.objects.exists()


@pytest.mark.parametrize("char", TYPED)
@pytest.mark.parametrize("field", ["title", "problem", "desired_outcome"])
def test_a_need_with_a_control_character_is_refused_on_the_page(needs_world, login, people, char, field):
    data = {**NEED, field: f"{NEED[field]}{char} mere"}
    response = login(people.authority_admin).post("/needs/new/", data)
    refused_on_page(response, field)
    assert not Need.objects.exists()


# NUL is refused at the API's edge (400) before any endpoint reads the body; the rest by the services.
API_TYPED = [c for c in TYPED if c != "\x00"]


@pytest.mark.parametrize("char", API_TYPED)
@pytest.mark.parametrize("field", ["title", "description", "documentation_requirements", "user_stories"])
def test_a_development_request_with_a_control_character_is_refused_by_the_api(client, development_world, char, field):
    data = {**COMPLETE, "product": "os2mo", "funding": "community"}
    data[field] = [f"{STORY}{char}"] if field == "user_stories" else f"{data[field]}{char}"
    response = Api(client, development_world.people.authority_admin).post("/api/v1/development-requests", data)
    refused_in_api(response, field)
    assert not DevelopmentRequest.objects.exists()


@pytest.mark.parametrize("char", API_TYPED)
def test_a_comment_with_a_control_character_is_refused_by_the_api(client, development_world, char):
    request, estimate = development_world.estimated("community")
    response = Api(client, development_world.coordinator).post(
        f"/api/v1/development-requests/{request.pk}/transition",
        {"to": "funding", "estimate": estimate.pk, "comment": f"Prioriteret{char}"},
    )
    refused_in_api(response, "comment")
    assert DevelopmentRequest.objects.get(pk=request.pk).status == "estimated"


@pytest.mark.parametrize("char", API_TYPED)
def test_estimate_texts_with_a_control_character_are_refused_by_the_api(client, development_world, char):
    request = development_world.submitted()
    response = Api(client, development_world.people.supplier_admin).post(
        f"/api/v1/development-requests/{request.pk}/estimates", {"hours": 10, "reviewer": f"Intern{char} review"}
    )
    assert response.status_code in (400, 422), response.content  # another endpoint's answer may change
    assert [e["field"] for e in response.json()["errors"]] == ["reviewer"]
    assert not Estimate.objects.exists()


@pytest.mark.parametrize("char", API_TYPED)
def test_needs_calls_and_offers_with_a_control_character_are_refused_by_the_api(client, needs_world, people, char):
    authority = Api(client, people.authority_admin)
    refused_in_api(authority.post("/api/v1/needs", {**NEED, "problem": f"Fem{char} systemer"}), "problem")
    assert not Need.objects.exists()
    coordinator = Api(client, needs_world.coordinator)
    call = {
        "product": "os2mo",
        "kind": "code-review",
        "title": "Code review",
        "description": f"Gennemgang{char}.",
        "deadline": (timezone.localdate() + 14 * DAY).isoformat(),
    }
    refused_in_api(coordinator.post("/api/v1/calls", call), "description")
    assert not Call.objects.exists()
    open_call = needs_world.call()
    offer = {"price_dkk": 1000, "approach": f"Vi{char} læser koden."}
    refused_in_api(Api(client, people.supplier_admin).post(f"/api/v1/calls/{open_call.pk}/offers", offer), "approach")
    assert not Offer.objects.exists()


def test_the_refusal_says_which_character_it_is(client, development_world):
    data = {**COMPLETE, "product": "os2mo", "description": "Farve\x1b[31m rød"}
    response = Api(client, development_world.people.authority_admin).post("/api/v1/development-requests", data)
    # In the site's language (Danish) once the message is translated; its English source until then.
    message = gettext("The text contains an invisible control character (%(code)s), which is not allowed. Remove it.")
    assert response.json()["errors"] == [{"field": "description", "message": message % {"code": "U+001B"}}]
