"""What a person does in the browser, shared by the e2e tests."""

from playwright.sync_api import Page

from tests.personas import PASSWORD


def log_in(page: Page, base_url: str, user, *, next_path: str = "") -> None:
    """Log in through the real login form, as a person would."""
    page.goto(f"{base_url}/konto/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/konto/login/" not in page.url, page.inner_text("main")


def log_out(page: Page) -> None:
    """Log out with the POST form in the page header."""
    with page.expect_navigation():
        page.locator("header form[action*='logout'] button[type=submit]").click()


def set_language(page: Page, base_url: str, code: str, next_path: str = "/") -> None:
    """Choose a language through the language switcher's link (remembered in a cookie)."""
    page.goto(f"{base_url}/sprog/{code}/?next={next_path}")
    assert page.locator("html").get_attribute("lang") == code
