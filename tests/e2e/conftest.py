"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server runs in a thread of the test process, each xdist worker with its own database and its own
port, so these tests run in parallel on SQLite and PostgreSQL alike.
"""

import os

# Playwright's sync API runs an asyncio event loop in this thread; Django's ORM refuses to run under a running
# loop unless told that it is safe here (it is: the loop only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Generous, for a loaded CI machine running the whole suite in parallel; a passing test never waits this long.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_page(browser):
    """open_page(viewport) -> a page in a fresh browser context (no cookies) of that size, in Danish; for the
    tests that check a page at 375 px and at 1280 px."""
    contexts = []

    def _open(viewport):
        context = browser.new_context(viewport=viewport, locale="da-DK")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server, people):
    """The live server's base URL, with the personas in its database."""
    return live_server.url
