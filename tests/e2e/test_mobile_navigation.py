"""Moving around OS2hub on a phone (375 px) and on a desktop (1280 px), as a visitor and signed in.

Below DKFDS's large breakpoint (992 px) the header's menu button opens DKFDS's mobile drawer with the main menu,
the login (or the user and log out) and the language switcher; focus moves into it, stays there, and goes back to
the button when Escape or the close button closes it. On a desktop the main menu is in the header and DKFDS's
overflow menu holds the items that do not fit. No page is wider than the screen (WCAG 2.1 1.4.10 reflow: wide
tables scroll inside their container), and axe finds nothing at either width.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from os2hub.web.context_processors import navigation

from .actions import log_in, set_language
from .test_accessibility import AXE, WCAG_AA, _level_with_decision, _product

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])

MENU_BUTTON = "header .js-menu-open"
DRAWER = "header .mobile-drawer"
DESKTOP_MENU = "header .navigation-menu .mainmenu"


def menu_items(user=None, language="da") -> list[tuple[str, str]]:
    """The main menu the server offers this person: (text, href) pairs."""
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    with translation.override(language):
        return [(str(item["text"]), item["href"]) for item in navigation(request)["main_nav"]]


def expect_usable(locator: Locator) -> None:
    """Shown, with a size to click (the issue: menu links measured 0x0 below 1024 px)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, box


def expect_fits(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide on a {width} px screen"


def expect_no_axe_violations(page: Page, what: str) -> None:
    results = AXE.run(page, options=WCAG_AA)
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, f"{what}: {results.violations_count} axe violations"


# --- On a phone ----------------------------------------------------------------------------------------------------


def test_on_a_phone_the_menu_button_opens_the_drawer_with_the_menu_the_login_and_the_language(site, open_page, people):
    page = open_page(PHONE)
    page.goto(f"{site}/")
    expect(page.locator("header .navigation-menu .nav")).to_be_hidden()
    button = page.locator(MENU_BUTTON)
    expect_usable(button)
    drawer = page.locator(DRAWER)
    close = drawer.locator(".js-menu-close")
    expect(drawer).to_be_hidden()

    button.click()
    expect(drawer).to_be_visible()
    expect(drawer).to_have_attribute("role", "dialog")
    expect(close).to_be_focused()
    for text, href in menu_items():
        link = drawer.locator(f".navigation-menu-mobile a[href='{href}']")
        expect(link).to_have_text(text)
        expect_usable(link)
    expect(drawer.locator(".navigation-menu-mobile a[aria-current=page]")).to_have_attribute("href", "/")
    expect_usable(drawer.locator("a[href^='/konto/login/']"))
    expect_usable(drawer.locator("a[lang=da][aria-current=true]"))
    english = drawer.locator("a[lang=en]")
    expect_usable(english)
    expect_fits(page, PHONE["width"])
    expect_no_axe_violations(page, "the open drawer")

    # Escape closes the drawer and gives focus back to the button.
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(button).to_be_focused()

    # While it is open, the keyboard stays in the drawer: back from its first control to its last and round again.
    button.click()
    expect(close).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(english).to_be_focused()
    page.keyboard.press("Tab")
    expect(close).to_be_focused()

    # The close button closes it too.
    close.click()
    expect(drawer).to_be_hidden()
    expect(button).to_be_focused()

    # A link in the drawer leads to its page.
    button.click()
    with page.expect_navigation():
        drawer.locator(".navigation-menu-mobile a[href='/products/']").click()
    expect(page).to_have_url(f"{site}/products/")
    expect(page.locator("main h1")).to_be_visible()
    expect(drawer).to_be_hidden()
    expect(drawer.locator(".navigation-menu-mobile a[aria-current=page]")).to_have_attribute("href", "/products/")

    # The language switcher in the drawer changes the language and stays on the page.
    page.locator(MENU_BUTTON).click()
    with page.expect_navigation():
        english.click()
    expect(page).to_have_url(f"{site}/products/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(MENU_BUTTON).click()
    for text, href in menu_items(language="en"):
        expect(drawer.locator(f".navigation-menu-mobile a[href='{href}']")).to_have_text(text)

    # And the login link leads to the login form, coming back to the page afterwards.
    with page.expect_navigation():
        drawer.locator("a[href^='/konto/login/']").click()
    expect(page.locator("input[name=login]")).to_be_visible()
    assert page.url.endswith("?next=/products/"), page.url


def test_on_a_phone_a_signed_in_person_finds_every_menu_item_their_name_and_log_out_in_the_drawer(
    site, open_page, people
):
    page = open_page(PHONE)
    log_in(page, site, people.secretariat)
    expect(page.locator(f"{DESKTOP_MENU}")).to_be_hidden()
    drawer = page.locator(DRAWER)

    page.locator(MENU_BUTTON).click()
    items = menu_items(people.secretariat)
    assert len(items) > len(menu_items()), "the secretariat has more menu items than a visitor"
    for text, href in items:
        link = drawer.locator(f".navigation-menu-mobile a[href='{href}']")
        expect(link).to_have_text(text)
        expect_usable(link)
    expect(drawer.locator("a[href='/profil/']")).to_have_text(people.secretariat.get_full_name())
    expect_usable(drawer.locator("a[href='/profil/']"))
    expect_usable(drawer.locator("form[action*='logout'] button[type=submit]"))
    expect(drawer.locator("a[href^='/konto/login/']")).to_have_count(0)
    expect_no_axe_violations(page, "the open drawer, signed in")

    with page.expect_navigation():
        drawer.locator(".navigation-menu-mobile a[href='/sekretariat/ansoegninger/']").click()
    expect(page).to_have_url(f"{site}/sekretariat/ansoegninger/")

    page.locator(MENU_BUTTON).click()
    with page.expect_navigation():
        drawer.locator("form[action*='logout'] button[type=submit]").click()
    page.locator(MENU_BUTTON).click()
    expect_usable(drawer.locator("a[href^='/konto/login/']"))
    expect(drawer.locator("a[href='/profil/']")).to_have_count(0)


# --- On a desktop --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "secretariat"])
def test_on_a_desktop_the_menu_login_and_language_are_in_the_header(site, open_page, people, signed_in):
    page = open_page(DESKTOP)
    user = people.secretariat if signed_in else None
    if user:
        log_in(page, site, user)
    page.goto(f"{site}/")
    expect(page.locator(MENU_BUTTON)).to_be_hidden()
    expect(page.locator(DRAWER)).to_be_hidden()

    menu = page.locator(DESKTOP_MENU)
    more = menu.locator(".more-button")
    for text, href in menu_items(user):
        link = menu.locator(f":scope > li:not(.more-option) > a[href='{href}']")
        if not link.is_visible():
            # DKFDS moved it into the overflow menu.
            more.click()
            link = menu.locator(f".more-option a[href='{href}']")
        expect(link).to_have_text(text)
        expect_usable(link)
        page.keyboard.press("Escape")

    if user:
        expect_usable(page.locator("header .portal-user a[href='/profil/']"))
        expect_usable(page.locator("header .portal-user form[action*='logout'] button[type=submit]"))
    else:
        expect_usable(page.locator("header .portal-user a[href^='/konto/login/']"))
    expect_usable(page.locator(".language-switcher a[lang=en]"))

    with page.expect_navigation():
        menu.locator("a[href='/leverandoerer/']:visible").click()
    expect(page).to_have_url(f"{site}/leverandoerer/")
    expect(menu.locator(":scope > li.current > a")).to_have_attribute("href", "/leverandoerer/")


def test_on_a_narrow_desktop_the_overflow_menu_holds_what_does_not_fit_in_the_pages_language(site, open_page, people):
    page = open_page({"width": 992, "height": 800})
    set_language(page, site, "en", "/konto/login/", wait_until="domcontentloaded")
    log_in(page, site, people.secretariat, open_form=False)
    menu = page.locator(DESKTOP_MENU)
    more = menu.locator(".more-button")
    expect_usable(more)
    # DKFDS writes "Mere"; on an English page the button says More.
    expect(more).to_have_text("More")

    def in_the_bar(href):
        return menu.locator(f":scope > li:not(.more-option) > a[href='{href}']")

    hidden = [href for _, href in menu_items(people.secretariat) if not in_the_bar(href).is_visible()]
    assert hidden, "at 992 px the secretariat's menu does not fit"
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    for href in hidden:
        expect_usable(menu.locator(f".more-option a[href='{href}']"))
    page.keyboard.press("Escape")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(menu.locator(f".more-option a[href='{hidden[0]}']")).to_be_hidden()


# --- Every main page fits the screen and passes axe, at both widths ------------------------------------------------


@VIEWPORTS
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "secretariat"])
def test_the_main_pages_fit_the_screen_and_axe_finds_nothing(site, open_page, people, viewport, signed_in):
    _product(people)
    _, level_page, _ = _level_with_decision(people)
    paths = [
        "/",
        "/products/",
        "/products/os2mo/",
        level_page,
        "/leverandoerer/",
        f"/leverandoerer/{people.supplier_org.slug}/",
        "/governance/criteria/",
        "/needs/",
    ]
    page = open_page(viewport)
    if signed_in:
        log_in(page, site, people.secretariat)
        paths += ["/overblik/", "/sekretariat/ansoegninger/"]
    for path in paths:
        response = page.goto(f"{site}{path}")
        assert response.status == 200, path
        if path == level_page:
            expect(page.locator("main")).to_contain_text("OS2's bestyrelse")  # the decision log is there
        expect_fits(page, viewport["width"])
        expect_no_axe_violations(page, f"{path} at {viewport['width']} px")
