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


def test_the_request_page_offers_the_downloads_and_keeps_the_links_to_the_work(client, people, request_):
    from os2hub.development import services
    from os2hub.development.models import DevelopmentRequest

    page = f"/development-requests/{request_.pk}/"
    issue = client.get(page + "github-issue.md")
    assert issue["Content-Type"] == "text/markdown; charset=utf-8"
    assert "attachment" in issue["Content-Disposition"]
    assert "- [ ] Overblikket viser alle åbne sager" in issue.content.decode()
    csv_file = client.get(page + "jira.csv")
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    assert "OS2HUB-" in csv_file.content.decode()
    assert client.get("/products/os2mo/development-requests/jira.csv").content.decode().count("OS2HUB-") == 1

    # Links are kept once the request is estimated, by the requester, the supplier or the coordination group.
    services.estimate_save(
        request=request_, user=people.supplier_admin, supplier=people.supplier_org, data={"hours": "4"}
    )
    client.force_login(people.authority_admin)
    links = "https://github.com/OS2mo/os2mo/issues/42\nOS2MO-123\n"
    client.post(page + "links/", {"work_links": links})
    assert DevelopmentRequest.objects.get(pk=request_.pk).work_links == [
        "https://github.com/OS2mo/os2mo/issues/42",
        "OS2MO-123",
    ]
    shown = client.get(page).content.decode()
    assert 'href="https://github.com/OS2mo/os2mo/issues/42"' in shown and "<code>OS2MO-123</code>" in shown
    # Addresses inside a network, other schemes and scripts are refused, and nothing changes.
    for bad in ("http://localhost/x", "javascript:alert(1)", "https://10.0.0.1/x", "not a key"):
        client.post(page + "links/", {"work_links": bad})
        assert DevelopmentRequest.objects.get(pk=request_.pk).work_links[1] == "OS2MO-123"
    client.force_login(people.outsider)
    assert client.post(page + "links/", {"work_links": "OS2MO-1"}).status_code == 404


def test_a_draft_cannot_be_downloaded_by_others(client, people):
    draft = World(people).request()
    assert client.get(f"/development-requests/{draft.pk}/github-issue.md").status_code == 404
    assert client.get(f"/development-requests/{draft.pk}/jira.csv").status_code == 404


def test_our_pledges_and_our_estimates_are_filters_of_the_list(client, people):
    from os2hub.development import services

    world = World(people)
    funded, estimate = world.estimated("community")
    services.funding_open(request=funded, user=world.coordinator, estimate=estimate)
    services.pledge_create(request=funded, user=people.authority2_admin, organisation=people.authority2, amount="100")
    other = world.submitted()
    client.force_login(people.authority2_admin)
    pledged = client.get("/development-requests/?mine=pledged").content.decode()
    assert f"/development-requests/{funded.pk}/" in pledged and f"/development-requests/{other.pk}/" not in pledged
    client.force_login(people.supplier_admin)
    estimated = client.get("/development-requests/?mine=estimated").content.decode()
    assert f"/development-requests/{funded.pk}/" in estimated and f"/development-requests/{other.pk}/" not in estimated
    client.force_login(people.authority_admin)
    filed = client.get("/development-requests/?mine=requested").content.decode()
    assert f"/development-requests/{funded.pk}/" in filed and f"/development-requests/{other.pk}/" in filed
    client.logout()
    assert 'name="mine"' not in client.get("/development-requests/").content.decode()
