"""Product news, events and their feeds (Atom and iCalendar), through the URLs."""

import datetime
import re

import pytest
from defusedxml import ElementTree as ET
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from os2hub.community.feeds import ical_fold
from os2hub.community.models import Event, NewsPost
from os2hub.products.models import Product

# defusedxml parses with xml.etree and hands back its elements; it only refuses entity tricks.
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def product(people):
    return Product.objects.create(
        name="OS2kitos", slug="os2kitos", summary="IT-systemoverblik.", coordinator=people.authority_admin
    )


@pytest.fixture
def other_product(people):
    return Product.objects.create(name="OS2mo", slug="os2mo", summary="Medarbejdere og organisation.")


def make_event(product, *, starts=None, hours=2, **fields):
    starts = starts or NOW + 7 * DAY
    fields.setdefault("title", "Brugermøde")
    fields.setdefault("location", "Aarhus Rådhus")
    return Event.objects.create(product=product, starts_at=starts, ends_at=starts + hours * HOUR, **fields)


def event_data(**changes):
    return {
        "title": "Brugermøde",
        "starts_at": "2030-05-01T10:00",
        "ends_at": "2030-05-01T15:30",
        "location": "Aarhus Rådhus, mødesal 1",
        "online_url": "https://meet.example.dk/os2kitos",
        "registration_url": "https://tilmelding.example.dk/os2kitos",
        "description": "Program:\n\n- Nyheder\n- Roadmap",
        **changes,
    }


# --- A strict reader of iCalendar (RFC 5545), just enough to refuse what calendar clients refuse -------------

CONTENT_LINE = re.compile(r"^(?P<name>[A-Z0-9-]+)(?P<params>(?:;[A-Z0-9-]+=[^;:\"]*)*):(?P<value>.*)$")
UTC_DATETIME = re.compile(r"^\d{8}T\d{6}Z$")


def unescape_text(value):
    """A TEXT value, unescaped; a bare semicolon or comma, or an unknown escape, is an error."""
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            following = value[i + 1 : i + 2]
            assert following in ("\\", ";", ",", "n", "N"), f"bad escape in {value!r}"
            out.append("\n" if following in "nN" else following)
            i += 2
            continue
        assert char not in ";,", f"unescaped {char!r} in {value!r}"
        out.append(char)
        i += 1
    return "".join(out)


def parse_ics(body: bytes) -> dict:
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert line, "empty line"
        assert "\r" not in line and "\n" not in line, f"bare line break in {line!r}"
        assert len(line.encode()) <= 75, f"line longer than 75 octets: {line!r}"
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", line), f"control character in {line!r}"
    logical = []
    for line in physical:
        if line[0] in " \t":
            assert logical, "continuation without a line before it"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    root = {"name": None, "props": {}, "children": []}
    stack = [root]
    for line in logical:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, value = match["name"], match["value"]
        if name == "BEGIN":
            component = {"name": value, "props": {}, "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert len(stack) > 1 and stack[-1]["name"] == value, f"END:{value} does not close {stack[-1]['name']}"
            stack.pop()
        else:
            assert len(stack) > 1, f"property outside a component: {line!r}"
            stack[-1]["props"].setdefault(name, []).append(value)
    assert len(stack) == 1, "BEGIN without END"
    assert [c["name"] for c in root["children"]] == ["VCALENDAR"]
    calendar = root["children"][0]
    props = calendar["props"]
    assert props["VERSION"] == ["2.0"]
    assert len(props["PRODID"]) == 1
    assert props["CALSCALE"] == ["GREGORIAN"]
    assert props["METHOD"] == ["PUBLISH"]
    unescape_text(props["X-WR-CALNAME"][0])
    uids = []
    for event in calendar["children"]:
        assert event["name"] == "VEVENT"
        p = event["props"]
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert len(p.get(required, [])) == 1, f"{required} must occur once"
        for key in ("DTSTAMP", "DTSTART", "DTEND", "CREATED", "LAST-MODIFIED"):
            for value in p.get(key, []):
                assert UTC_DATETIME.match(value), f"{key}:{value} is not a UTC date-time"
        if "DTEND" in p:
            assert p["DTEND"][0] > p["DTSTART"][0], "DTEND must be after DTSTART"
        for key in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            for value in p.get(key, []):
                unescape_text(value)
        uids.append(p["UID"][0])
    assert len(uids) == len(set(uids)), "UIDs must be unique"
    return calendar


def event_props(calendar):
    return {e["props"]["UID"][0]: e["props"] for e in calendar["children"]}


# --- News ---------------------------------------------------------------------------------------------------


def test_the_coordinator_publishes_news_that_everyone_reads(people, login, client, product):
    response = login(people.authority_admin).post(
        reverse("community:news_create", args=[product.slug]), {"title": "Ny version", "body": "Version **2.0**."}
    )
    post = NewsPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:news_detail", args=[product.slug, post.pk])
    assert post.author == people.authority_admin
    assert post.product == product
    client.logout()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<strong>2.0</strong>" in page.content.decode()
    listing = client.get(reverse("community:news_list", args=[product.slug]))
    assert "Ny version" in listing.content.decode()
    assert reverse("community:news_edit", args=[product.slug, post.pk]) not in listing.content.decode()


def test_the_secretariat_edits_and_deletes_news(people, login, product):
    post = NewsPost.objects.create(product=product, title="Gammel", body="Tekst")
    client = login(people.secretariat)
    response = client.post(
        reverse("community:news_edit", args=[product.slug, post.pk]), {"title": "Rettet", "body": "Ny tekst"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.body) == ("Rettet", "Ny tekst")
    assert client.get(reverse("community:news_delete", args=[product.slug, post.pk])).status_code == 405
    response = client.post(reverse("community:news_delete", args=[product.slug, post.pk]))
    assert response["Location"] == reverse("community:news_list", args=[product.slug])
    assert not NewsPost.objects.exists()


def test_it_refuses_news_without_a_title_or_text(people, login, product):
    response = login(people.authority_admin).post(
        reverse("community:news_create", args=[product.slug]), {"title": "", "body": " "}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "body"}
    assert 'id="error-summary"' in response.content.decode()
    assert not NewsPost.objects.exists()


def test_it_refuses_a_title_with_a_line_break(people, login, product):
    response = login(people.authority_admin).post(
        reverse("community:news_create", args=[product.slug]), {"title": "To\nlinjer", "body": "Tekst"}
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not NewsPost.objects.exists()


def test_it_removes_script_from_markdown_in_news_and_events(people, login, client, product):
    evil = "Hej <script>alert('x')</script> [klik](javascript:alert(1)) <img src=x onerror=alert(2)>"
    post = NewsPost.objects.create(product=product, title="Farlig", body=evil)
    event = make_event(product, description=evil)
    pages = [
        client.get(reverse("community:news_detail", args=[product.slug, post.pk])),
        client.get(reverse("community:news_list", args=[product.slug])),
        client.get(reverse("community:event_detail", args=[product.slug, event.pk])),
    ]
    feed = ET.fromstring(client.get(reverse("community:news_feed")).content)
    # The feed's summary is HTML inside XML: what a feed reader shows once the XML is read.
    shown = [page.content.decode() for page in pages] + [feed.find(f"{ATOM}entry/{ATOM}summary").text]
    for html in shown:
        assert "Hej" in html
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript:' not in html


def test_an_outsider_gets_404_on_every_edit_address(people, login, product):
    post = NewsPost.objects.create(product=product, title="Nyhed", body="Tekst")
    event = make_event(product)
    for user in (people.outsider, people.supplier_admin, people.authority2_admin):
        client = login(user)
        for name, args in [
            ("community:news_create", [product.slug]),
            ("community:news_edit", [product.slug, post.pk]),
            ("community:event_create", [product.slug]),
            ("community:event_edit", [product.slug, event.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 404
            assert client.post(reverse(name, args=args), {"title": "Hacket", "body": "x"}).status_code == 404
        for name, pk in [("community:news_delete", post.pk), ("community:event_delete", event.pk)]:
            assert client.post(reverse(name, args=[product.slug, pk])).status_code == 404
    post.refresh_from_db()
    event.refresh_from_db()
    assert post.title == "Nyhed" and event.title == "Brugermøde"
    assert NewsPost.objects.count() == 1 and Event.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in_on_edit_addresses(client, product):
    response = client.get(reverse("community:news_create", args=[product.slug]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_news_of_another_product_is_not_found_under_this_one(client, product, other_product):
    post = NewsPost.objects.create(product=other_product, title="Andet", body="x")
    event = make_event(other_product)
    assert client.get(reverse("community:news_detail", args=[product.slug, post.pk])).status_code == 404
    assert client.get(reverse("community:event_detail", args=[product.slug, event.pk])).status_code == 404
    assert client.get(reverse("community:news_list", args=["findes-ikke"])).status_code == 404
    assert client.get(reverse("community:product_events_ics", args=["findes-ikke"])).status_code == 404


def test_the_coordinator_of_one_product_cannot_edit_another(people, login, product, other_product):
    post = NewsPost.objects.create(product=other_product, title="Andet", body="x")
    client = login(people.authority_admin)
    assert client.get(reverse("community:news_create", args=[other_product.slug])).status_code == 404
    # Not even through this product's address with the other product's post.
    assert client.get(reverse("community:news_edit", args=[product.slug, post.pk])).status_code == 404


# --- Events -------------------------------------------------------------------------------------------------


def test_the_coordinator_creates_an_event_in_danish_time(people, login, client, product):
    response = login(people.authority_admin).post(reverse("community:event_create", args=[product.slug]), event_data())
    event = Event.objects.get()
    assert response["Location"] == reverse("community:event_detail", args=[product.slug, event.pk])
    # 10:00 in Copenhagen in May (summer time) is 08:00 UTC.
    assert event.starts_at == datetime.datetime(2030, 5, 1, 8, 0, tzinfo=datetime.UTC)
    assert event.ends_at == datetime.datetime(2030, 5, 1, 13, 30, tzinfo=datetime.UTC)
    client.logout()
    html = client.get(response["Location"]).content.decode()
    assert "Aarhus Rådhus, mødesal 1" in html
    assert 'href="https://meet.example.dk/os2kitos"' in html
    assert 'href="https://tilmelding.example.dk/os2kitos"' in html
    assert reverse("community:product_events_ics", args=[product.slug]) in html
    assert "<li>Roadmap</li>" in html


def test_the_secretariat_edits_and_deletes_an_event(people, login, product):
    event = make_event(product)
    client = login(people.secretariat)
    response = client.post(
        reverse("community:event_edit", args=[product.slug, event.pk]), event_data(title="Flyttet møde")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Flyttet møde"
    client.post(reverse("community:event_delete", args=[product.slug, event.pk]))
    assert not Event.objects.exists()


def test_it_refuses_an_event_that_ends_before_it_starts(people, login, product):
    response = login(people.authority_admin).post(
        reverse("community:event_create", args=[product.slug]), event_data(ends_at="2030-05-01T09:00")
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert not Event.objects.exists()


def test_the_database_also_refuses_an_event_that_ends_before_it_starts(product):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(product=product, title="x", location="y", starts_at=NOW, ends_at=NOW - HOUR)


def test_editing_an_event_to_end_before_it_starts_keeps_the_saved_one(people, login, product):
    event = make_event(product)
    response = login(people.authority_admin).post(
        reverse("community:event_edit", args=[product.slug, event.pk]),
        event_data(title="Ændret", ends_at="2030-04-30T10:00"),
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    event.refresh_from_db()
    assert event.title == "Brugermøde"


def test_it_refuses_an_event_with_neither_place_nor_online_link(people, login, product):
    response = login(people.authority_admin).post(
        reverse("community:event_create", args=[product.slug]), event_data(location="", online_url="")
    )
    assert response.status_code == 200
    assert "location" in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "http://localhost:8000/tilmeld",
        "http://127.0.0.1/",
        "https://192.168.1.10/møde",
        "http://10.0.0.5/",
        "https://intranet.local/",
        "ftp://example.dk/fil",
        "javascript:alert(1)",
        "https://bruger:kode@example.dk/",
    ],
)
@pytest.mark.parametrize("field", ["online_url", "registration_url"])
def test_it_refuses_links_that_are_not_public_web_addresses(people, login, product, field, address):
    response = login(people.authority_admin).post(
        reverse("community:event_create", args=[product.slug]), event_data(**{field: address})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_the_product_event_list_shows_upcoming_and_on_request_past_events(client, product):
    make_event(product, title="Træf-kommende", starts=NOW + DAY)
    make_event(product, title="Træf-i-gang", starts=NOW - HOUR)
    make_event(product, title="Træf-overstået", starts=NOW - 10 * DAY)
    url = reverse("community:event_list", args=[product.slug])
    upcoming = client.get(url).content.decode()
    assert "Træf-kommende" in upcoming and "Træf-i-gang" in upcoming and "Træf-overstået" not in upcoming
    assert upcoming.index("Træf-i-gang") < upcoming.index("Træf-kommende")
    past = client.get(url, {"tidligere": "1"}).content.decode()
    assert "Træf-overstået" in past and "Træf-kommende" not in past


def test_the_events_page_lists_upcoming_events_of_all_products(client, product, other_product):
    make_event(product, title="Kitos-møde", starts=NOW + 2 * DAY)
    make_event(other_product, title="MO-webinar", starts=NOW + DAY, location="", online_url="https://meet.example.dk/")
    make_event(product, title="Gammelt møde", starts=NOW - 5 * DAY)
    html = client.get(reverse("community:upcoming_events")).content.decode()
    assert html.index("MO-webinar") < html.index("Kitos-møde")
    assert "Gammelt møde" not in html
    assert "OS2mo" in html and 'href="https://meet.example.dk/"' in html


# --- Query counts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 20])
def test_lists_use_a_constant_number_of_queries(client, people, product, rows, django_assert_max_num_queries):
    for i in range(rows):
        NewsPost.objects.create(product=product, title=f"Nyhed {i}", body="**Tekst**", author=people.authority_admin)
        make_event(product, title=f"Møde {i}", starts=NOW + (i + 1) * DAY, registration_url="https://example.dk/")
    for name, args in [
        ("community:news_list", [product.slug]),
        ("community:event_list", [product.slug]),
        ("community:upcoming_events", []),
    ]:
        with django_assert_max_num_queries(3):
            assert client.get(reverse(name, args=args)).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("community:news_feed")).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("community:events_ics")).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("community:product_events_ics", args=[product.slug])).status_code == 200


# --- The include for the product page -----------------------------------------------------------------------


def test_the_product_page_include_shows_latest_news_and_next_events(product, django_assert_max_num_queries):
    for i in range(5):
        NewsPost.objects.create(product=product, title=f"Nyhed {i}", body="x", published_at=NOW - i * HOUR)
        make_event(product, title=f"Møde {i}", starts=NOW + (i + 1) * DAY, registration_url="https://example.dk/t")
    make_event(product, title="Overstået", starts=NOW - 3 * DAY)
    with django_assert_max_num_queries(2):
        html = render_to_string("community/_product_news_events.html", {"product": product, "can_edit": False})
    assert all(f"Nyhed {i}" in html for i in range(3)) and "Nyhed 3" not in html
    assert all(f"Møde {i}" in html for i in range(3)) and "Møde 3" not in html and "Overstået" not in html
    assert reverse("community:news_list", args=[product.slug]) in html
    assert reverse("community:event_list", args=[product.slug]) in html
    assert reverse("community:product_events_ics", args=[product.slug]) in html
    assert 'href="https://example.dk/t"' in html
    assert reverse("community:news_create", args=[product.slug]) not in html
    editor = render_to_string("community/_product_news_events.html", {"product": product, "can_edit": True})
    assert reverse("community:news_create", args=[product.slug]) in editor
    assert reverse("community:event_create", args=[product.slug]) in editor


# --- Atom -----------------------------------------------------------------------------------------------------


def test_the_news_feed_is_atom_with_absolute_links(client, people, product, other_product, settings):
    settings.SITE_URL = "https://os2hub.example.dk"
    for i in range(55):
        NewsPost.objects.create(
            product=product if i % 2 else other_product,
            title=f"Nyhed {i} & mere",
            body=f"Tekst **{i}**",
            published_at=NOW - i * HOUR,
            author=people.authority_admin,
        )
    response = client.get(reverse("community:news_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{tag}") is not None and feed.find(f"{ATOM}{tag}").text
    self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    # Links, like ids, are on the configured site address, not the host the feed was fetched from.
    assert self_links and self_links[0].get("href") == "https://os2hub.example.dk/feeds/news.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    first = entries[0]
    newest = NewsPost.objects.first()
    assert first.find(f"{ATOM}title").text == f"{newest.product.name}: Nyhed 0 & mere"
    link = first.find(f"{ATOM}link").get("href")
    assert link == f"https://os2hub.example.dk{reverse('community:news_detail', args=[newest.product.slug, newest.pk])}"
    assert feed.find(f"{ATOM}id").text == "https://os2hub.example.dk/feeds/news.atom"
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 50 and all(i.startswith("https://os2hub.example.dk/products/") for i in ids)
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("https://os2hub.example.dk/products/")
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "Kommune Karlsen"
    assert "<strong>0</strong>" in first.find(f"{ATOM}summary").text


def test_an_empty_news_feed_is_still_valid_atom(client, db):
    feed = ET.fromstring(client.get(reverse("community:news_feed")).content)
    assert feed.find(f"{ATOM}updated").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "OS2"


# --- iCalendar ------------------------------------------------------------------------------------------------


def test_the_events_calendar_is_valid_icalendar(client, product, other_product, settings):
    settings.SITE_URL = "https://os2hub.example.dk"
    text = "Linje 1; med semikolon, komma og \\ backslash\nLinje 2 " + "æøå " * 40
    upcoming = make_event(product, title="Møde, med; tegn", description=text, registration_url="https://t.example.dk/")
    online = make_event(
        other_product, title="Webinar", starts=NOW + DAY, location="", online_url="https://meet.example.dk/a,b"
    )
    recent = make_event(product, title="For nylig", starts=NOW - 20 * DAY)
    make_event(product, title="For længe siden", starts=NOW - 40 * DAY)
    response = client.get(reverse("community:events_ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse_ics(response.content)
    assert unescape_text(calendar["props"]["X-WR-CALNAME"][0])
    events = event_props(calendar)
    assert set(events) == {f"event-{e.pk}@os2hub.example.dk" for e in (upcoming, online, recent)}

    props = events[f"event-{upcoming.pk}@os2hub.example.dk"]
    assert props["DTSTART"] == [upcoming.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")]
    assert props["DTEND"] == [upcoming.ends_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")]
    assert unescape_text(props["SUMMARY"][0]) == "OS2kitos: Møde, med; tegn"
    description = unescape_text(props["DESCRIPTION"][0])
    assert description.startswith(text.strip())
    page = f"https://os2hub.example.dk{reverse('community:event_detail', args=[product.slug, upcoming.pk])}"
    assert page in description
    assert unescape_text(props["LOCATION"][0]) == "Aarhus Rådhus"
    assert props["URL"] == ["https://t.example.dk/"]

    props = events[f"event-{online.pk}@os2hub.example.dk"]
    assert props["URL"] == ["https://meet.example.dk/a,b"]
    assert unescape_text(props["LOCATION"][0]) == "https://meet.example.dk/a,b"

    props = events[f"event-{recent.pk}@os2hub.example.dk"]
    recent_page = reverse("community:event_detail", args=[product.slug, recent.pk])
    assert props["URL"] == [f"https://os2hub.example.dk{recent_page}"]


def test_the_product_calendar_holds_only_that_products_events(client, product, other_product):
    mine = make_event(product)
    make_event(other_product)
    response = client.get(reverse("community:product_events_ics", args=[product.slug]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse_ics(response.content)
    assert [e["props"]["UID"][0] for e in calendar["children"]] == [f"event-{mine.pk}@127.0.0.1"]
    assert "OS2kitos" in unescape_text(calendar["props"]["X-WR-CALNAME"][0])


def test_an_event_that_ends_when_it_starts_has_no_dtend(client, product):
    make_event(product, hours=0)
    calendar = parse_ics(client.get(reverse("community:events_ics")).content)
    assert "DTEND" not in calendar["children"][0]["props"]


def test_an_empty_calendar_is_valid(client, db):
    assert parse_ics(client.get(reverse("community:events_ics")).content)["children"] == []


@pytest.mark.parametrize("line", ["A" * 75, "A" * 76, "DESCRIPTION:" + "æ" * 100, "X:" + "😀" * 50])
def test_folding_keeps_lines_within_75_octets_and_characters_whole(line):
    folded = ical_fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in physical)
    assert physical[0] + "".join(p[1:] for p in physical[1:]) == line
    assert all(p.startswith(" ") for p in physical[1:])
