"""The front page a visitor sees and the overview each persona lands on, in a real browser at 375 px and 1280 px:
axe finds nothing, nothing is wider than the screen, and every link on the page answers 200 for that person
(following redirects, as the browser would)."""

from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.test_home_and_overview import World

from .actions import log_in
from .test_mobile_navigation import DESKTOP, PHONE, expect_fits, expect_no_axe_violations

pytestmark = pytest.mark.e2e

PERSONAS = ["visitor", "authority_admin", "supplier_admin", "coordinator", "secretariat"]


def _user(world: World, persona: str):
    if persona == "visitor":
        return None
    return world.coordinator if persona == "coordinator" else getattr(world.people, persona)


def _links(page: Page, site: str) -> list[str]:
    """The addresses of every link on the page that stays on the site."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = set()
    for href in hrefs:
        absolute = urljoin(page.url, href)
        if urlsplit(absolute).netloc == urlsplit(site).netloc and not href.startswith("#"):
            found.add(absolute.split("#")[0])
    return sorted(found)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_front_page_and_each_overview_pass_axe_and_every_link_answers(site, open_page, people, persona, viewport):
    world = World(people)
    user = _user(world, persona)
    page = open_page(viewport)
    if user is not None:
        log_in(page, site, user)
    response = page.goto(f"{site}/")
    assert response.status == 200
    if user is None:
        expect(page).to_have_url(f"{site}/")
        expect(page.locator("#home-funding")).to_be_visible()
        expect(page.locator("#become-partner")).to_be_visible()
    else:
        # Someone signed in lands on their overview.
        expect(page).to_have_url(f"{site}/overblik/")
        expect(page.locator("main h1")).to_be_visible()
    expect_fits(page, viewport["width"])
    expect_no_axe_violations(page, f"{persona}'s {'front page' if user is None else 'overview'}")

    if viewport == DESKTOP:
        # The links are the same at both widths: check them once, as this person (the page's cookies).
        hrefs = _links(page, site)
        assert len(hrefs) > 10, hrefs
        refused = []
        for href in hrefs:
            answer = page.request.get(href)
            if answer.status != 200:
                refused.append(f"{href}: {answer.status}")
        assert not refused, f"{persona} is offered links that do not answer 200: {refused}"
