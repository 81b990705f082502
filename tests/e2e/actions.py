"""What a person does in the browser, shared by the e2e tests."""

from urllib.parse import quote

from playwright.sync_api import Page

from tests.personas import PASSWORD


def log_in(page: Page, base_url: str, user, *, next_path: str = "", open_form: bool = True) -> None:
    """Log in through the real login form, as a person would, and land on `next_path` (default: the overview).

    With open_form=False the login page is already open (for instance after choosing a language on it)."""
    if open_form:
        # The form is filled as soon as it is there; its fonts and images are not needed for that.
        page.goto(f"{base_url}{login_path(next_path)}", wait_until="domcontentloaded")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/konto/login/" not in page.url, page.inner_text("main")


def login_path(next_path: str = "") -> str:
    return "/konto/login/" + (f"?next={quote(next_path)}" if next_path else "")


def log_out(page: Page) -> None:
    """Log out with the POST form in the page header (the visible one: the mobile menu has its own)."""
    with page.expect_navigation():
        page.locator("header form[action*='logout'] button[type=submit]:visible").click()


def set_language(page: Page, base_url: str, code: str, next_path: str = "/", *, wait_until="load") -> None:
    """Choose a language with the language switcher's link (remembered in a cookie); it returns to next_path."""
    page.goto(f"{base_url}/sprog/{code}/?next={quote(next_path)}", wait_until=wait_until)
    assert page.locator("html").get_attribute("lang") == code


def open_menu_item(page: Page, href: str) -> None:
    """Follow a main-menu link as a person would: in the bar, in DKFDS's "Mere" menu when it did not fit, or, on
    a phone, in the drawer the menu button opens."""
    menu_button = page.locator("header .js-menu-open")
    if menu_button.is_visible():
        menu_button.click()
        with page.expect_navigation():
            page.locator(f"header .navigation-menu-mobile a[href='{href}']").click()
        return
    menu = page.locator("header .navigation-menu .mainmenu")
    link = menu.locator(f":scope > li:not(.more-option) > a[href='{href}']:visible")
    if not link.count():
        menu.locator(".more-button").click()
        link = menu.locator(f".more-option a[href='{href}']")
    link.click()
