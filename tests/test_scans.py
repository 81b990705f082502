"""Scans in OS2hub: a coordinator scans the product's repository from the product's pages, the findings show
with evidence links at the scanned commit, proposals reach the self-assessment and are accepted or rejected
there; failures end as failed scans with the reason; scan_due schedules; the secretariat sees the evidence."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from os2hub.governance import services as governance
from os2hub.governance.models import SelfAssessment, SelfAssessmentAnswer
from os2hub.products.models import Group, GroupMember, Product, Repository
from os2hub.scanner.checks import CHECKS
from os2hub.scanner.criteria import propose
from os2hub.scans import links, services
from os2hub.scans.models import Finding, Proposal, Scan

from .scan_sources import make_repo

pytestmark = pytest.mark.django_db

URL = "https://github.com/OS2/os2eksempel"
SLUG = "os2eksempel"
SCANS = f"/products/{SLUG}/scans/"
PROPOSALS = f"/products/{SLUG}/self-assessment/proposals/"


@pytest.fixture
def product(people):
    p = Product.objects.create(
        name="OS2eksempel", slug=SLUG, summary="Et eksempel.", status="product", coordinator=people.authority_admin
    )
    steering = Group.objects.create(product=p, kind="steering_group", name="Styregruppen")
    GroupMember.objects.create(group=steering, user=people.authority2_admin)
    Repository.objects.create(product=p, url=URL)
    return p


@pytest.fixture
def good_repo(scan_sources):
    return scan_sources.add(URL)


def start_scan(client, django_capture_on_commit_callbacks, path=SCANS + "start/", data=None):
    """Press the scan button and land where it leads. The test's transaction never commits, so the task that
    a commit would start runs when the request is over, before the page it leads to is read."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, data or {})
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def answers_of(product) -> dict:
    assessment = SelfAssessment.objects.filter(product=product).order_by("-pk").first()
    if assessment is None:
        return {}
    return {
        a.criterion.code: (a.answer, a.documentation, a.links)
        for a in SelfAssessmentAnswer.objects.filter(self_assessment=assessment).select_related("criterion")
    }


# --- Evidence links ----------------------------------------------------------------------------------------

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/OS2/x", f"https://github.com/OS2/x/blob/{COMMIT}/docs/drift%20og%20vedligehold.md#L7"),
        ("https://github.com/OS2/x.git", f"https://github.com/OS2/x/blob/{COMMIT}/docs/drift%20og%20vedligehold.md#L7"),
        ("https://gitlab.com/g/s/x/", f"https://gitlab.com/g/s/x/-/blob/{COMMIT}/docs/drift%20og%20vedligehold.md#L7"),
        (
            "https://codeberg.org/o/x",
            f"https://codeberg.org/o/x/src/commit/{COMMIT}/docs/drift%20og%20vedligehold.md#L7",
        ),
        (
            "https://bitbucket.org/o/x",
            f"https://bitbucket.org/o/x/src/{COMMIT}/docs/drift%20og%20vedligehold.md#lines-7",
        ),
        ("https://git.example.dk/o/x", None),
        ("http://github.com/o/x", None),
    ],
)
def test_evidence_links_point_at_the_scanned_commit(url, expected):
    assert links.file_url(url, COMMIT, "docs/drift og vedligehold.md", 7) == expected


def test_no_link_without_a_commit_that_looks_like_one():
    assert links.file_url(URL, "", "README.md") is None
    assert links.file_url(URL, "main;rm -rf", "README.md") is None
    assert links.commit_url(URL, COMMIT) == f"{URL}/commit/{COMMIT}"


# --- Scanning from the product's page ---------------------------------------------------------------------


def test_the_coordinator_scans_and_everyone_sees_the_findings(client, login, people, product, good_repo,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    commit = make_repo(good_repo, {"SECURITY.md": "# Sikkerhed\n\nSkriv til sikkerhed@aarhus.dk\n"})
    response = start_scan(login(people.authority_admin), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    scan = Scan.objects.get(product=product)
    assert scan.status == Scan.Status.DONE, scan.error
    assert scan.commit == commit
    assert scan.requested_by == people.authority_admin
    assert scan.started_at and scan.finished_at and scan.started_at <= scan.finished_at
    # One finding per check of the scanner, each naming its criteria.
    found = {f.check_id: f for f in scan.findings.all()}
    assert set(found) == set(CHECKS)
    assert all(f.criteria == list(CHECKS[f.check_id][0]) for f in found.values())
    assert found["readme"].outcome == Finding.Outcome.PASS
    assert found["security-policy"].outcome == Finding.Outcome.PASS
    assert found["code-of-conduct"].outcome == Finding.Outcome.FAIL

    assert people.authority_admin.get_full_name() in client.get(SCANS).content.decode()
    client.logout()
    page = client.get(SCANS).content.decode()
    # Who started a scan is for those who may start one, not for every visitor.
    assert people.authority_admin.get_full_name() not in page
    # The evidence links into the repository at the scanned commit, for anyone.
    assert f'href="{URL}/blob/{commit}/SECURITY.md"' in page
    assert f"{URL}/commit/{commit}" in page
    passed = sum(1 for f in found.values() if f.outcome == "pass")
    assert f"{passed} af {len(found)} tjek består" in page
    product_page = client.get(f"/products/{SLUG}/").content.decode()
    assert f"{passed} af {len(found)} tjek består" in product_page
    assert client.get(f"{SCANS}{scan.pk}/").status_code == 200


def test_only_those_who_answer_may_start_a_scan(client, login, people, product, good_repo,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    assert client.post(SCANS + "start/").status_code == 302  # to the login page
    for user in (people.outsider, people.supplier_admin):
        assert start_scan(login(user), django_capture_on_commit_callbacks).status_code == 404
    assert not Scan.objects.exists()
    # The steering group and the secretariat may.
    for user in (people.authority2_admin, people.secretariat):
        start_scan(login(user), django_capture_on_commit_callbacks)
    assert Scan.objects.filter(status="done").count() == 2
    assert client.get(SCANS + "start/").status_code == 405


def test_a_second_scan_while_one_waits_is_refused(client, login, people, product, good_repo,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    waiting = Scan.objects.create(product=product, repository=product.repositories.get(), repository_url=URL)
    page = start_scan(login(people.authority_admin), django_capture_on_commit_callbacks).content.decode()
    assert "venter eller kører allerede" in page
    assert Scan.objects.count() == 1
    # The database itself refuses a second active scan of a repository (two workers, a double click).
    with pytest.raises(IntegrityError), transaction.atomic():
        Scan.objects.create(product=product, repository=waiting.repository, repository_url=URL)


def test_a_scan_that_never_finished_is_failed_after_a_while(client, login, people, product, good_repo, settings,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    stuck = Scan.objects.create(product=product, repository=product.repositories.get(), repository_url=URL)
    Scan.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.SCAN_STALE_MINUTES + 1)
    )
    start_scan(login(people.authority_admin), django_capture_on_commit_callbacks)
    stuck.refresh_from_db()
    assert stuck.status == Scan.Status.FAILED and "did not finish" in stuck.error
    assert Scan.objects.filter(status="done").count() == 1


def test_a_product_without_a_repository_says_so(client, login, people, product, django_capture_on_commit_callbacks):
    product.repositories.all().delete()
    page = start_scan(login(people.authority_admin), django_capture_on_commit_callbacks).content.decode()
    assert "ingen repository" in page.lower() or "intet repository" in page.lower()
    assert not Scan.objects.exists()


@pytest.mark.parametrize(
    ("url", "reason", "danish"),
    [
        ("https://git.example.dk/os2/x", "is not allowed", "er ikke tilladt"),  # a host outside the allowlist
        # Not registered: the clone fails.
        # Its reason comes from the fetch's own error and is not translated yet (noted in issue 15's note).
        ("https://github.com/OS2/findes-ikke", "could not be fetched", None),
    ],
)
def test_a_refused_or_unfetchable_repository_ends_as_a_failed_scan(
    client, login, people, product, scan_sources, url, reason, danish, django_capture_on_commit_callbacks
):
    product.repositories.update(url=url)
    page = start_scan(login(people.authority_admin), django_capture_on_commit_callbacks).content.decode()
    scan = Scan.objects.get()
    assert scan.status == Scan.Status.FAILED and reason in scan.error
    assert not scan.findings.exists() and not Proposal.objects.exists()
    # The scanner's English reason is stored; the Danish page shows it in Danish.
    if danish:
        assert danish in page and reason not in page, page[page.find("<main") :][:3000]
    else:
        assert reason in page, page[page.find("<main") :][:3000]
    if "example.dk" in url:
        assert scan_sources.clones == 0  # refused before any connection


def test_a_host_resolving_to_a_private_address_is_refused(client, login, people, product, scan_sources, monkeypatch,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    scan_sources.add(URL)
    monkeypatch.setattr("os2hub.scans.services._resolve", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.5", 443))])
    start_scan(login(people.authority_admin), django_capture_on_commit_callbacks)
    scan = Scan.objects.get()
    assert scan.status == "failed" and "not a public address" in scan.error
    assert scan_sources.clones == 0


def test_a_scanner_crash_is_a_failed_scan_not_an_error_page(client, login, people, product, good_repo, monkeypatch,
                                                            caplog, django_capture_on_commit_callbacks):  # fmt: skip
    def explode(repo, only=None, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr("os2hub.scanner.cli.run_checks", explode)
    response = start_scan(login(people.authority_admin), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    scan = Scan.objects.get()
    assert scan.status == "failed" and "unexpected error" in scan.error and "boom" not in scan.error
    assert "boom" in caplog.text


# --- Proposals ---------------------------------------------------------------------------------------------


def scan_now(product, user=None):
    with transaction.atomic():
        scans = services.scan_request(product=product, user=user)
    # scan_request enqueues after commit; the test transaction never commits, so run the task body here.
    for scan in scans:
        services.scan_run(scan.pk)
    return Scan.objects.get(pk=scans[-1].pk)


def proposal(product, code) -> Proposal:
    return Proposal.objects.filter(product=product, criterion_code=code).exclude(status="superseded").get()


def test_a_scan_proposes_answers_and_never_writes_one(people, product, good_repo):
    governance.self_assessment_draft(product=product, user=people.authority_admin)
    before = answers_of(product)
    scan = scan_now(product, people.authority_admin)
    assert answers_of(product) == before
    # Each criterion the checks speak to gets the answer the scanner's weights suggest (scanner.criteria).
    suggested = propose(
        {"check": f.check_id, "outcome": f.outcome, "criteria": f.criteria} for f in scan.findings.all()
    )
    for code in {c for criteria, _fn in CHECKS.values() for c in criteria}:
        if code not in suggested:
            assert not Proposal.objects.filter(criterion_code=code).exists()
            continue
        assert proposal(product, code).answer == suggested[code].answer, code
    # F5: the README describes the purpose, which decides; the missing publiccode.yml is only considered.
    assert (proposal(product, "F5").answer, proposal(product, "F5").deciding_checks) == ("ja", ["purpose-described"])
    # F16 (CI, tests, coding standards): the good repository has CI and tests but no linter configuration.
    assert proposal(product, "F16").answer == "nej"
    assert proposal(product, "F19").answer == "ja"  # the Dockerfile
    assert proposal(product, "G14").answer == "nej"  # no code of conduct
    assert proposal(product, "F19").status == "open"


def test_accepting_puts_the_answer_and_the_evidence_in_the_draft(client, login, people, product, good_repo):
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_save(
        assessment=draft, user=people.authority_admin,
        answers={"F19": {"answer": "ved_ikke", "documentation": "Vi mener der er en Dockerfile.", "links": ""},
                 "R1": {"answer": "ja", "documentation": "Værdi for borgerne.", "links": ""}},
    )  # fmt: skip
    scan = scan_now(product, people.authority_admin)
    found = proposal(product, "F19")
    c = login(people.authority_admin)
    page = c.get(PROPOSALS).content.decode()
    assert f'id="proposal-{found.pk}"' in page and "Scanneren foreslår Ja" in page
    response = c.post(f"{PROPOSALS}{found.pk}/", {"decision": "accept"}, follow=True)
    assert "F19 er nu besvaret Ja" in response.content.decode()
    answer, documentation, answer_links = answers_of(product)["F19"]
    assert answer == "ja"
    assert documentation.startswith("Vi mener der er en Dockerfile.")  # what was there stays
    assert scan.commit[:10] in documentation and "Dockerfile" in documentation
    assert f"{URL}/blob/{scan.commit}/Dockerfile" in answer_links.splitlines()
    assert answers_of(product)["R1"][:2] == ("ja", "Værdi for borgerne.")  # nothing else touched
    found.refresh_from_db()
    assert found.status == "accepted" and found.decided_by == people.authority_admin and found.decided_at
    # A second click (the same form, posted again) changes nothing and says why.
    again = c.post(f"{PROPOSALS}{found.pk}/", {"decision": "accept"}, follow=True).content.decode()
    assert "allerede" in again
    assert answers_of(product)["F19"][1] == documentation


def test_accepting_after_submission_starts_a_new_draft(people, product, good_repo):
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_submit(assessment=draft, user=people.authority_admin)
    scan_now(product)
    services.proposal_accept(proposal=proposal(product, "F19"), user=people.authority_admin)
    assert SelfAssessment.objects.filter(product=product, status="draft").count() == 1
    assert answers_of(product)["F19"][0] == "ja"
    submitted = SelfAssessment.objects.get(product=product, status="submitted")
    assert submitted.answers.get(criterion__code="F19").answer == ""


def test_rejecting_keeps_the_answer_and_a_changed_outcome_asks_again(client, login, people, product, good_repo):
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    scan_now(product)
    security = proposal(product, "F4")  # no SECURITY.md yet
    assert security.answer == "nej"
    c = login(people.authority2_admin)  # the steering group decides too
    c.post(f"{PROPOSALS}{security.pk}/", {"decision": "reject"})
    security.refresh_from_db()
    assert security.status == "rejected" and security.decided_by == people.authority2_admin
    assert draft.answers.get(criterion__code="F4").answer == ""

    # The same outcome again: nothing new to decide.
    scan_now(product)
    assert Proposal.objects.filter(criterion_code="F4").count() == 1
    # The repository gets a security policy: the outcome changes and the scanner asks again.
    make_repo(good_repo, {"SECURITY.md": "# Sikkerhed\n\nRapportér sårbarheder til sikkerhed@aarhus.dk.\n"})
    later = scan_now(product)
    fresh = Proposal.objects.filter(criterion_code="F4").latest("pk")
    assert fresh.pk != security.pk and fresh.status == "open" and fresh.answer == "ja" and fresh.scan == later
    security.refresh_from_db()
    assert security.status == "rejected"  # the decision stays on record


def test_an_undecided_proposal_is_replaced_when_the_outcome_changes(people, product, good_repo):
    scan_now(product)
    first = proposal(product, "F4")
    make_repo(good_repo, {"SECURITY.md": "# Sikkerhed\n\nsikkerhed@aarhus.dk\n"})
    scan_now(product)
    first.refresh_from_db()
    assert first.status == "superseded"
    assert proposal(product, "F4").answer == "ja"
    # An unchanged outcome brings the undecided proposal up to the newest commit instead of raising another.
    newest = make_repo(good_repo, {"docs/mere.md": "# Mere\n"})
    scan_now(product)
    assert proposal(product, "F4").scan.commit == newest
    assert Proposal.objects.filter(criterion_code="F4").count() == 2


def test_a_proposal_that_agrees_with_the_answer_needs_no_decision(client, login, people, product, good_repo):
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_save(
        assessment=draft,
        user=people.authority_admin,
        answers={"F19": {"answer": "ja", "documentation": "", "links": ""}},
    )
    scan_now(product)
    assert proposal(product, "F19").status == "matched"
    page = login(people.authority_admin).get(f"/products/{SLUG}/self-assessment/").content.decode()
    open_count = Proposal.objects.filter(product=product, status="open").count()
    assert f"Scanneren har {open_count} forslag" in page


def test_proposals_are_only_for_those_who_answer(client, login, people, product, good_repo):
    scan_now(product)
    some = Proposal.objects.filter(product=product).first()
    assert client.get(PROPOSALS).status_code == 302
    c = login(people.outsider)
    assert c.get(PROPOSALS).status_code == 404
    assert c.post(f"{PROPOSALS}{some.pk}/", {"decision": "accept"}).status_code == 404
    some.refresh_from_db()
    assert some.status in ("open", "matched")
    # Another product's coordinator cannot reach this product's proposal through their own product.
    other = Product.objects.create(name="Andet", slug="andet", summary="x", coordinator=people.authority2_admin)
    c = login(people.authority2_admin)
    assert (
        c.post(f"/products/{other.slug}/self-assessment/proposals/{some.pk}/", {"decision": "reject"}).status_code
        == 404
    )


def test_a_bad_decision_value_changes_nothing(client, login, people, product, good_repo):
    scan_now(product)
    some = Proposal.objects.filter(product=product, status="open").first()
    login(people.authority_admin).post(f"{PROPOSALS}{some.pk}/", {"decision": "<script>"})
    some.refresh_from_db()
    assert some.status == "open"


# --- The secretariat's evaluation ---------------------------------------------------------------------------


def test_the_evaluation_shows_the_latest_evidence_beside_each_criterion(client, login, people, product, good_repo):
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_submit(assessment=draft, user=people.authority_admin)
    scan = scan_now(product)
    evaluation = governance.evaluation_start(product=product, user=people.secretariat)
    page = login(people.secretariat).get(f"/products/{SLUG}/evaluations/{evaluation.pk}/edit/").content.decode()
    section = page[page.index('id="criterion-F19"') :]
    section = section[: section.index("</section>")]
    assert "Evidens fra koden" in section
    assert f"{URL}/blob/{scan.commit}/Dockerfile" in section


# --- scan_due ----------------------------------------------------------------------------------------------


def test_scan_due_scans_what_has_not_been_scanned_lately(
    people, product, scan_sources, settings, django_capture_on_commit_callbacks
):
    scan_sources.add(URL)
    fresh = Product.objects.create(name="Frisk", slug="frisk", summary="x")
    Repository.objects.create(product=fresh, url="https://github.com/OS2/frisk")
    scan_sources.add("https://github.com/OS2/frisk")
    recent = scan_now(fresh)
    out = io.StringIO()
    call_command("scan_due", "--dry-run", stdout=out)
    assert URL in out.getvalue() and "frisk" not in out.getvalue()
    assert Scan.objects.count() == 1  # a dry run scans nothing

    old = scan_now(product)
    Scan.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=settings.SCAN_DUE_DAYS + 1))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scan_due", stdout=out)
    assert "1 scans started of 1 due" in out.getvalue()
    latest = Scan.objects.filter(product=product).latest("pk")
    assert latest.pk != old.pk and latest.status == "done" and latest.requested_by is None
    assert Scan.objects.filter(product=fresh).get() == recent


# --- Query counts -------------------------------------------------------------------------------------------


def test_the_scans_page_takes_the_same_queries_for_more_repositories(client, people, product, scan_sources,
                                                                     django_assert_max_num_queries):  # fmt: skip
    scan_sources.add(URL)
    scan_now(product)
    with django_assert_max_num_queries(20) as one:
        assert client.get(SCANS).status_code == 200
    for n in range(3):
        url = f"https://github.com/OS2/ekstra{n}"
        Repository.objects.create(product=product, url=url)
        scan_sources.add(url)
    for repo in product.repositories.exclude(url=URL):
        with transaction.atomic():
            (made,) = services.scan_request(product=product, repository=repo)
        services.scan_run(made.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(SCANS).content.decode()
    assert page.count('class="table table--compact scan-findings"') == 4


def test_the_page_polls_while_a_scan_waits_and_stops_when_it_is_done(client, people, product, good_repo):
    waiting = Scan.objects.create(product=product, repository=product.repositories.get(), repository_url=URL)
    client.cookies["django_language"] = "en"
    response = client.get(SCANS)
    page = response.content.decode()
    # Polling every two seconds, a live region for the steps, a plain link for those without JavaScript, and
    # no caching of a page that changes while it is read.
    assert 'hx-trigger="every 2s"' in page and 'id="scan-announcer"' in page and 'aria-live="polite"' in page
    assert (
        "Waiting for a worker to start the scan." in page and f'<a href="{SCANS}">Show the latest progress</a>' in page
    )
    assert "reload the page" not in page.lower()
    assert "no-store" in response["Cache-Control"]
    fragment = client.get(SCANS, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="scan-results-current"') and "<html" not in fragment
    assert 'hx-swap-oob="innerHTML:#scan-announcer"' in fragment and "Waiting for a worker." in fragment
    services.scan_run(waiting.pk)
    response = client.get(SCANS, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "hx-trigger" not in fragment and "scan-findings" in fragment
    assert "The scan is over. The findings are shown." in fragment
    assert "no-store" not in response.get("Cache-Control", "")
