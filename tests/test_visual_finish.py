"""The lasting guards of the visual finish: every class a template uses is one the design system (DKFDS) or
OS2hub's own CSS defines; dates are shown in one format per language, named once in os2hub/formats/; error
summaries and back links use DKFDS's markup; the header's logo and the footer's links lead somewhere real."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent / "os2hub"
TEMPLATES = ROOT / "templates"
CSS_FILES = [ROOT / "static/dkfds/css/dkfds.min.css", *sorted((ROOT / "static/os2hub").glob("*.css"))]

# Classes no stylesheet defines on purpose: hooks that JavaScript finds elements by, and DKFDS markup that its
# own CSS leaves unstyled. Keep this short: a class that styles nothing belongs in a stylesheet or nowhere.
HOOKS = {
    "js-menu-open": "DKFDS's JavaScript opens the mobile drawer with the button that has it",
    "js-menu-close": "DKFDS's JavaScript closes the mobile drawer with it",
    "alert-body": "DKFDS's documented wrapper of an alert's heading and text (DKFDS 11 CSS does not style it)",
}

CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
DYNAMIC = "\x00"


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def defined_classes() -> set[str]:
    css = "".join(path.read_text() for path in CSS_FILES)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"url\([^)]*\)", "", css)  # file names are not selectors
    css = re.sub(r"\{[^{}]*\}", "{}", css)  # declarations (`.5rem`) are not selectors
    return set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", css))


def used_classes(text: str):
    """(class, line) for every class named in a class attribute. A class built by template code
    (`alert-{{ kind }}`, `button-{% if %}primary{% endif %}`) cannot be checked and is left out; whole classes
    chosen by a tag (`{% if x %}badge-warning{% else %}badge-info{% endif %}`) are checked."""
    for match in CLASS_ATTRIBUTE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        value = TEMPLATE_CODE.sub(DYNAMIC, match.group(1))
        for token in value.split():
            pieces = token.split(DYNAMIC)
            if len(pieces) > 1 and (pieces[0] or pieces[-1]):
                continue  # glued to template code: a class assembled at render time
            for piece in pieces:
                if piece:
                    yield piece, line


def test_the_class_reader_sees_through_template_code():
    found = [
        c
        for c, _ in used_classes('<p class="a {% if x %}b-c{% else %}d{% endif %} e-{{ k }} f-{% if y %}g{% endif %}">')
    ]
    assert found == ["a", "b-c", "d"]


def test_every_class_in_a_template_is_defined_by_dkfds_or_os2hub_css():
    defined = defined_classes() | set(HOOKS)
    assert {"button-primary", "align-text-right", "back-link", "accordion-button"} <= defined  # the reader works
    unknown = sorted(
        f"{path.relative_to(TEMPLATES)}:{line}: {name}"
        for path in _templates()
        for name, line in used_classes(path.read_text())
        if name not in defined
    )
    assert not unknown, (
        "Classes that no stylesheet defines (a typo, or a class of another design system):\n" + "\n".join(unknown)
    )


def test_error_summaries_and_back_links_use_dkfds_markup():
    problems = []
    for path in _templates():
        text = path.read_text()
        for match in re.finditer(r"<[^>]*id=\"error-summary\"[^>]*>", text):
            if 'data-module="error-summary"' not in match.group(0):
                problems.append(f"{path.relative_to(TEMPLATES)}: error summary without data-module")
        for match in re.finditer(r'class="back-link"(?:[^>{]|\{%.*?%\}|\{\{.*?\}\})*>', text):
            if not text[match.end() :].startswith("{% icon 'chevron-left' %}"):
                problems.append(f"{path.relative_to(TEMPLATES)}: back link without DKFDS's arrow")
    assert not problems, problems


# --- Dates ----------------------------------------------------------------------------------------------------

# The formats a template may give |date: the named ones of os2hub/formats/, and machine formats that are never
# shown as text ('c' fills <time datetime="...">, 'Ymd' compares two days).
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT"}
MACHINE = {"c", "Ymd"}
DATE_FILTER = re.compile(r"\|\s*(date|time)\s*(?::\s*(\"[^\"]*\"|'[^']*'|[\w.]+))?")
# Python that writes dates for machines (feeds, OS2's JSON, CSV exports), not for people.
STRFTIME_ALLOWED = {"community/feeds.py", "governance/exchange.py", "community/services.py"}


def test_templates_show_dates_only_in_the_named_formats():
    problems = []
    for path in _templates():
        for match in DATE_FILTER.finditer(path.read_text()):
            name, argument = match.groups()
            if argument is None:
                continue  # |date alone is DATE_FORMAT
            value = argument.strip("\"'")
            if value not in NAMED | MACHINE:
                problems.append(f"{path.relative_to(TEMPLATES)}: |{name}:{argument}")
    assert not problems, "Use DATE_FORMAT or DATETIME_FORMAT (os2hub/formats/):\n" + "\n".join(problems)
    forbidden = re.compile(r"\|\s*(naturaltime|naturalday|timesince|timeuntil)\b")
    assert not [p for p in _templates() if forbidden.search(p.read_text())]


def test_python_formats_dates_for_people_only_by_name():
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative.startswith("formats/"):
            continue
        text = path.read_text()
        for match in re.finditer(r"date_format\([^,]+,\s*(\"[^\"]*\"|'[^']*')", text):
            if match.group(1).strip("\"'") not in NAMED:
                problems.append(f"{relative}: {match.group(0)}")
        if ".strftime(" in text and relative not in STRFTIME_ALLOWED:
            problems.append(f"{relative}: strftime")
    assert not problems, problems


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("da", "7. december 2026", "7. december 2026 kl. 14.30"), ("en", "7 December 2026", "7 December 2026, 14:30")],
)
def test_one_date_and_one_date_and_time_format_per_language(language, day, moment):
    when = datetime.datetime(2026, 12, 7, 14, 30)
    with translation.override(language):
        assert formats.date_format(when.date(), "DATE_FORMAT") == day
        assert formats.date_format(when, "DATETIME_FORMAT") == moment
        # The short formats are the same on purpose: a page shows a date one way.
        assert formats.date_format(when, "SHORT_DATETIME_FORMAT") == moment
        assert formats.date_format(when.date(), "SHORT_DATE_FORMAT") == day


def test_danish_dates_are_still_read_the_way_danes_type_them(settings):
    from django import forms

    with translation.override("da"):
        assert forms.DateField().clean("27.11.2026") == datetime.date(2026, 11, 27)
        assert forms.DateField().clean("2026-11-27") == datetime.date(2026, 11, 27)


# --- Header and footer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_logo_leads_home_and_every_footer_link_answers(client, db, language):
    client.cookies["django_language"] = language
    page = client.get(reverse("contact:privacy")).content.decode()
    logo = re.search(r'<a href="([^"]+)" class="logo os2hub-logo" aria-label="([^"]+)"><span>OS2hub</span></a>', page)
    assert logo and logo.group(1) == "/" and "OS2hub" in logo.group(2)
    footer = page[page.index("<footer") :]
    links = re.findall(r'href="([^"]+)"', footer)
    assert {"/kontakt/", "/privatliv/", "/cookies/", "/tilgaengelighed/", "/api/docs"} <= set(links)
    assert any(link.startswith("mailto:") for link in links)
    assert any(link.startswith("https://github.com/") for link in links)
    for link in links:
        if link.startswith("/"):
            assert client.get(link, follow=True).status_code == 200, link


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("contact:privacy", "Privacy on OS2hub"),
        ("contact:cookies", "Cookies on OS2hub"),
        ("web:accessibility", "Accessibility statement"),
    ],
)
def test_the_statements_are_real_pages_in_both_languages(client, db, settings, name, english):
    settings.CONTACT_EMAIL = "sekretariatet@os2.example"
    client.cookies["django_language"] = "en"
    page = client.get(reverse(name)).content.decode()
    assert f"<h1>{english}</h1>" in page
    assert 'lang="en"' in page
    client.cookies["django_language"] = "da"
    danish = client.get(reverse(name))
    assert danish.status_code == 200 and 'lang="da"' in danish.content.decode()
    if name != "contact:cookies":
        assert "sekretariatet@os2.example" in page
    else:
        for cookie in ("sessionid", "csrftoken", "django_language"):
            assert f"<code>{cookie}</code>" in page
