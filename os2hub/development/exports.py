"""A development request where the work happens: a GitHub issue body (Markdown) and a CSV file that Jira's CSV
import reads (one row per request). Always in Danish, the language of OS2's boards."""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _

from os2hub.core.text import strip_control_characters

from .models import DevelopmentRequest

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JIRA_COLUMNS = ["Summary", "Issue Type", "Description", "Labels", "Labels", "External ID"]


def _funding(request) -> str:
    return DevelopmentRequest.Funding(request.funding).label if request.funding else "–"


def _attachment_lines(request, url: str) -> list[str]:
    """Links to the attachments on OS2hub (a draft's are visible only to its requester, like the draft)."""
    found = list(request.attachments.all())
    if not found:
        return []
    links = [f"- [{_markdown_text(a.title)}]({url}attachments/{a.pk}/)" for a in found]
    return [f"## {_('Attachments')}", "", *links, ""]


def _markdown_text(text: str) -> str:
    """A title as link text: the characters that would end the link or start markup are escaped."""
    return "".join(f"\\{ch}" if ch in "\\[]()*_`<>#!|" else ch for ch in text)


def github_issue(request, *, url: str) -> str:
    """The request as the body of a GitHub issue, with the acceptance criteria as a task list."""
    with translation.override("da"):
        lines = [
            f"## {_('Description')}",
            "",
            request.description.strip() or "–",
            "",
            f"## {_('User stories')}",
            "",
            *[f"- {story}" for story in request.user_stories],
            "",
            f"## {_('Acceptance criteria')}",
            "",
            *[f"- [ ] {criterion}" for criterion in request.acceptance_criteria],
            "",
            f"## {_('Documentation requirements')}",
            "",
            request.documentation_requirements.strip() or "–",
            "",
            *_attachment_lines(request, url),
            "---",
            "",
            _(
                "Development request on OS2hub: %(url)s · Product: %(product)s · Requested by: %(requester)s · "
                "%(funding)s"
            )
            % {
                "url": url,
                "product": request.product.name,
                "requester": request.requester.name,
                "funding": _funding(request),
            },
        ]
    # Whatever is stored (an old row, the admin) goes out without control characters, which GitHub and
    # editors show as garbage or refuse.
    return strip_control_characters("\n".join(lines) + "\n")


def _jira_description(request, url: str) -> str:
    """Jira's wiki markup: headings h3., bullet lists *."""
    with translation.override("da"):
        parts = [
            request.description.strip(),
            f"h3. {_('User stories')}",
            "\n".join(f"* {story}" for story in request.user_stories),
            f"h3. {_('Acceptance criteria')}",
            "\n".join(f"* {criterion}" for criterion in request.acceptance_criteria),
            f"h3. {_('Documentation requirements')}",
            request.documentation_requirements.strip(),
            f"{_('Development request on OS2hub')}: {url} · {_funding(request)}",
        ]
    return "\n\n".join(p for p in parts if p)


def _cell(value: str) -> str:
    # Control characters are left out: spreadsheet programs and Jira's import stumble on them.
    value = strip_control_characters(str(value))
    return f"'{value}" if value.startswith(FORMULA_START) else value


def jira_csv(requests, *, url_of) -> str:
    """One row per request, with a header Jira's CSV import maps (Summary, Issue Type, Description, Labels)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(JIRA_COLUMNS)
    for request in requests:
        writer.writerow(
            [
                _cell(request.title),
                "Story",
                _cell(_jira_description(request, url_of(request))),
                "os2hub",
                "udviklingsoenske",
                f"OS2HUB-{request.pk}",
            ]
        )
    return out.getvalue()
