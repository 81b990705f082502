"""Every link a person is offered works for that person (issue 15, item 8): on the demo data, anonymous visitors
and each persona of tests/personas.py follow every same-site link from the home page and the main pages, and no
link they are offered answers 403, 404 or 500.

The world is the demo (`load_demo`: the personas of API.md, products at every level, requests, needs, calls,
scans), loaded once per test process; the personas of tests/personas.py are its people (the demo mirrors them),
with a supplier's ordinary member and an outsider added. The walk skips what is no page of the site: logging out,
the language switch, the Django admin, static files and uploads, and other sites. Pages of one kind (one URL
pattern with the same query parameters) take turns and are visited SAME_KIND times at most, so the walk reaches
every kind of page, and most of the demo's products, needs and requests, within PAGE_CAP pages.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, resolve

from os2hub.accounts.models import Membership, Organisation, User

from .personas import UserFactory

PAGE_CAP = 300
SAME_KIND = 12  # pages visited at most per URL pattern and set of query parameters
START = ["/", "/products/", "/needs/", "/calls/", "/pitches/", "/donations/", "/development-requests/", "/overblik/"]
SKIP = ("/sprog/", "/konto/logout/", "/django-admin/", "/static/", "/media/")
DEAD_ENDS = (403, 404, 500)

# The personas of tests/personas.py, by the demo person that plays each (the demo mirrors API.md's personas).
PERSONAS = {
    "anonymous": None,
    "secretariat": "sekretariat@os2hub.example",
    "authority_admin": "kommune@os2hub.example",
    "authority2_admin": "kommune2@os2hub.example",
    "coordinator": "koordinator@os2hub.example",
    "supplier_admin": "leverandoer@os2hub.example",
    "supplier_member": "udvikler@kodevaerket.example",
    "new_supplier_admin": "ny-leverandoer@os2hub.example",
    "outsider": "outsider@example.dk",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def same_site(base: str, href: str) -> str | None:
    """The link as a path with its query, or None when it leaves the site or is no page to walk to."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme != "http" or parts.netloc != "testserver" or parts.path.startswith(SKIP):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def kind(url: str) -> tuple:
    """Pages of one kind: the URL pattern's name and the query's parameter names."""
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    return name, tuple(sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}))


def get(client, url: str):
    """The page, following redirects within the site (a login page, the page after a step)."""
    for _hop in range(5):
        response = client.get(url)
        if response.status_code not in (301, 302, 303, 307, 308):
            return response, url
        target = same_site(url, response["Location"])
        if target is None:
            return response, url
        url = target
    return response, url


def walk(client) -> tuple[int, list[str]]:
    """Visit the site from the start pages; (pages visited, the dead ends: status, link and the page offering it).
    The kinds of page take turns (the least visited kind first), so every kind is visited before any is visited
    again, and the cap is spent on variety."""
    pending: dict[tuple, deque] = {}
    visits: dict[tuple, int] = {}
    seen: set[str] = set()
    dead_ends = []

    def offer(url, offered_on):
        if url not in seen:
            pending.setdefault(kind(url), deque()).append((url, offered_on))

    for url in START:
        offer(url, None)
    while len(seen) < PAGE_CAP:
        waiting = [k for k, queue in pending.items() if queue and visits.get(k, 0) < SAME_KIND]
        if not waiting:
            break
        key = min(waiting, key=lambda k: visits.get(k, 0))
        url, offered_on = pending[key].popleft()
        if url in seen:
            continue
        seen.add(url)
        visits[key] = visits.get(key, 0) + 1
        response, landed = get(client, url)
        if response.status_code in DEAD_ENDS and (offered_on is not None or response.status_code == 500):
            dead_ends.append(f"{response.status_code} {url} (offered on {offered_on or 'the start'})")
            continue
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        links = Links()
        links.feed(response.content.decode("utf-8", "replace"))
        for href in links.hrefs:
            target = same_site(landed, href)
            if target is not None:
                offer(target, url)
    return len(seen), dead_ends


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data with the extra personas, once per test process; rolled back at the end. Its uploads are
    in the folder it gives."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(DEBUG=True, MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        supplier = Organisation.objects.get(memberships__user__email=PERSONAS["supplier_admin"])
        member = UserFactory(email=PERSONAS["supplier_member"], name="Udvikler Ulla")
        Membership.objects.create(user=member, organisation=supplier, role="member")
        UserFactory(email=PERSONAS["outsider"], name="Ude Udenfor")
        yield media
        transaction.set_rollback(True)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_link_offered_to_a_persona_is_a_dead_end(demo, db, client, settings, persona):
    settings.MEDIA_ROOT = demo  # the demo's uploads (logos, attachments)
    if PERSONAS[persona]:
        client.force_login(User.objects.get(email=PERSONAS[persona]))
    visited, dead_ends = walk(client)
    assert visited >= 60, f"the walk stopped early after {visited} pages"
    assert dead_ends == [], f"{persona} is offered dead ends:\n" + "\n".join(dead_ends)


def test_the_walk_finds_a_dead_end(db, client, monkeypatch):
    """The walk itself: a link to a page that is not there is reported with the page that offered it."""
    monkeypatch.setattr(f"{__name__}.START", ["/calls/"])
    response_html = '<a href="/calls/">x</a><a href="/products/findes-ikke/">y</a><a href="https://example.dk/">z</a>'

    class Page:
        status_code = 200
        content = response_html.encode()
        streaming = False

        def get(self, key, default=None):
            return "text/html; charset=utf-8" if key == "Content-Type" else default

    class Client:
        def get(self, url):
            if url == "/calls/":
                return Page()
            return client.get(url)

    visited, dead_ends = walk(Client())
    assert dead_ends == ["404 /products/findes-ikke/ (offered on /calls/)"]
