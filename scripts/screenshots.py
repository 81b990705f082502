"""Retake the README's screenshots from a running demo (`make run`), as the demo personas see the pages.

    .venv/bin/python scripts/screenshots.py [--site http://127.0.0.1:8000] [--only NAME ...]

Writes docs/images/<name>.png: desktop shots at 1280 px wide and phone shots at 375 px, each the top of the page
(what a person sees first). Uses Debian's Chromium like the browser tests.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
PASSWORD = "demo-os2hub"  # noqa: S105 - the demo personas' password (os2hub/demo/common.py), refused when DEBUG is off
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 780}

# name: (who is logged in, or None for a visitor; path; viewport; what to scroll to, or None)
SHOTS = {
    "forside": (None, "/", DESKTOP, None),
    "mobil-forside": (None, "/", PHONE, None),
    "overblik": ("kommune@os2hub.example", "/overblik/", DESKTOP, None),
    "mobil-produktside": ("kommune@os2hub.example", "/products/os2mo/", PHONE, None),
    "leverandoerer": (None, "/leverandoerer/", DESKTOP, None),
    "leverandoerprofil": (None, "/leverandoerer/kodevaerket-demo-aps/", DESKTOP, None),
    "behandlingskoe": ("sekretariat@os2hub.example", "/sekretariat/ansoegninger/", DESKTOP, None),
    "produkter": (None, "/products/", DESKTOP, None),
    "produktside": (None, "/products/os2mo/", DESKTOP, None),
    "produktniveau": (None, "/products/os2rollekatalog/level/", DESKTOP, None),
    "udviklingsoenske": ("kommune@os2hub.example", "/development-requests/?status=funding", DESKTOP, None),
    "tavle": (None, "/products/os2mo/development-requests/board/", DESKTOP, None),
    "behov": (None, "/needs/", DESKTOP, None),
    "soegning": (None, "/soeg/?q=rollekatlog", DESKTOP, None),
    "scanning": ("koordinator@os2hub.example", "/products/os2hub/scans/", DESKTOP, None),
    "forslag": ("koordinator@os2hub.example", "/products/os2hub/self-assessment/proposals/", DESKTOP, None),
    "muligheder": ("leverandoer@os2hub.example", "/overblik/", DESKTOP, None),
    "arrangementer": (None, "/events/", DESKTOP, None),
    "nyhedsbreve": (None, "/nyhedsbrev/", DESKTOP, None),
}


def log_in(page, site: str, email: str) -> None:
    page.goto(f"{site}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="http://127.0.0.1:8000", help="where the demo runs")
    parser.add_argument("--only", nargs="*", help="take only these shots (names without .png)")
    args = parser.parse_args(argv)
    site = args.site.rstrip("/")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (who, path, viewport, anchor) in SHOTS.items():
            if args.only and name not in args.only:
                continue
            context = browser.new_context(viewport=viewport, locale="da-DK")
            page = context.new_page()
            if who:
                log_in(page, site, who)
            response = page.goto(site + path)
            if response is None or response.status != 200:
                print(f"{name}: {path} answered {response.status if response else 'nothing'}", file=sys.stderr)
                context.close()
                continue
            if anchor:
                page.locator(anchor).first.scroll_into_view_if_needed()
            page.screenshot(path=str(IMAGES / f"{name}.png"))
            print(f"{name}.png ({viewport['width']} px): {path}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
