"""A development request exported where the work happens: a GitHub issue body and Jira-importable CSV."""

import csv
import io

import pytest

from .test_development import STORY, World

pytestmark = pytest.mark.django_db

URL = "https://os2hub.example/development-requests/1/"


@pytest.fixture
def request_(people):
    return World(people).submitted("community")


def test_the_github_issue_body_has_the_stories_and_a_task_list_of_the_criteria(request_):
    from os2hub.development.exports import github_issue

    body = github_issue(request_, url=URL)
    assert body.startswith("## Beskrivelse\n")
    assert f"- {STORY}\n" in body
    assert "- [ ] Overblikket viser alle åbne sager\n- [ ] Siden loader på under et sekund\n" in body
    assert "## Dokumentationskrav\n\nBrugervejledning og driftsvejledning opdateres." in body
    assert URL in body and "OS2mo" in body and "Aarhus Kommune" in body


def test_the_jira_csv_has_one_row_per_request_and_no_formulas(request_, people):
    from os2hub.development.exports import jira_csv

    request_.title = '=HYPERLINK("https://evil.example","Klik")'
    rows = list(csv.reader(io.StringIO(jira_csv([request_], url_of=lambda r: URL))))
    assert rows[0] == ["Summary", "Issue Type", "Description", "Labels", "Labels", "External ID"]
    summary, kind, description, *labels, external = rows[1]
    assert summary == "'" + request_.title  # a spreadsheet shows it as text, never runs it
    assert kind == "Story" and labels == ["os2hub", "udviklingsoenske"] and external == f"OS2HUB-{request_.pk}"
    assert "h3. Acceptkriterier\n\n* Overblikket viser alle åbne sager" in description
    assert STORY in description and URL in description
    assert len(rows) == 2
