"""The scanner's proposals say which checks decided them: the coordinator sees the deciding checks and those also
considered, accepting writes the deciding checks into the answer's documentation, and a rescan in which only a
check that did not decide changes asks nobody again. Proposals stored before the weights keep working."""

import hashlib
import json

import pytest

from os2hub.governance import services as governance
from os2hub.governance.models import SelfAssessment, SelfAssessmentAnswer
from os2hub.products.models import Product, Repository
from os2hub.scans.models import Proposal, Scan

from .scan_sources import GOOD, make_repo
from .scanner.test_checks import PASSING

pytestmark = pytest.mark.django_db

URL = "https://github.com/OS2/os2vaegt"
SLUG = "os2vaegt"
START = f"/products/{SLUG}/scans/start/"
PROPOSALS = f"/products/{SLUG}/self-assessment/proposals/"

# A publiccode.yml that passes the check, as the check's own tests keep it.
PUBLICCODE = PASSING["publiccode-yml"]["publiccode.yml"]


@pytest.fixture
def product(people):
    p = Product.objects.create(
        name="OS2vægt", slug=SLUG, summary="Et eksempel.", status="product", coordinator=people.authority_admin
    )
    Repository.objects.create(product=p, url=URL)
    return p


@pytest.fixture
def repo(scan_sources):
    """The good repository of the scan tests: a README with a purpose section, and no publiccode.yml."""
    assert "publiccode.yml" not in GOOD
    return scan_sources.add(URL)


def scan(client, django_capture_on_commit_callbacks) -> Scan:
    """Press the scan button as the coordinator; the task runs when the request's transaction would commit."""
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(START).status_code == 302
    found = Scan.objects.filter(repository_url=URL).latest("pk")
    assert found.status == "done", found.error
    return found


def proposal(code) -> Proposal:
    return Proposal.objects.filter(criterion_code=code).exclude(status="superseded").get()


def section(page: str, pk: int, part: str = "") -> str:
    """The proposal's section of the page, or its list of deciding ("decided") or considered checks."""
    text = page[page.index(f'id="proposal-{pk}"') :]
    text = text[: text.index("</section>")]
    if part:
        text = text[text.index(f'id="proposal-{pk}-{part}"') :]
        text = text[: text.index("</ul>")]
    return text


def documentation(product, code) -> tuple[str, str]:
    assessment = SelfAssessment.objects.filter(product=product, status="draft").get()
    row = SelfAssessmentAnswer.objects.get(self_assessment=assessment, criterion__code=code)
    return row.documentation, row.links


def test_the_coordinator_sees_which_checks_decided_a_proposal(
    login, people, product, repo, django_capture_on_commit_callbacks
):
    c = login(people.authority_admin)
    c.cookies["django_language"] = "en"
    scan(c, django_capture_on_commit_callbacks)
    f5 = proposal("F5")
    assert f5.answer == "ja" and f5.status == "open"
    page = c.get(PROPOSALS).content.decode()
    assert "Suggested Yes based on:" in section(page, f5.pk)
    decided = section(page, f5.pk, "decided")
    assert "Purpose described" in decided and "README.md:3" in decided  # the purpose section's heading
    considered = section(page, f5.pk, "considered")
    assert "Also considered:" in considered
    assert "publiccode.yml" in considered and "README" in considered
    assert "publiccode.yml" not in decided
    # A criterion with a single check shows it as deciding and lists nothing as considered.
    f19 = proposal("F19")
    assert "Container" in section(page, f19.pk, "decided")
    assert f'id="proposal-{f19.pk}-considered"' not in page


def test_accepting_writes_the_deciding_checks_into_the_documentation(
    login, people, product, repo, django_capture_on_commit_callbacks
):
    governance.self_assessment_draft(product=product, user=people.authority_admin)
    c = login(people.authority_admin)
    found = scan(c, django_capture_on_commit_callbacks)
    f5 = proposal("F5")
    c.post(f"{PROPOSALS}{f5.pk}/", {"decision": "accept"})
    f5.refresh_from_db()
    assert f5.status == "accepted"
    text, answer_links = documentation(product, "F5")
    line = text.splitlines()[-1]
    # Written in the site's language (Danish): the deciding check by its name and what it found, then the
    # checks also considered with their outcomes.
    assert line.startswith("os2hub-scan ") and found.commit[:10] in line
    assert "Formål beskrevet: " in line
    assert "README (består): " in line and "publiccode.yml (består ikke): " in line
    assert line.index("Formål beskrevet") < line.index("README (består)") < line.index("publiccode.yml (består ikke)")
    # The deciding evidence is linked first.
    assert answer_links.splitlines()[0] == f"{URL}/blob/{found.commit}/README.md#L3"


def test_a_rescan_that_only_changes_a_supporting_check_asks_nobody_again(
    login, people, product, repo, django_capture_on_commit_callbacks
):
    c = login(people.authority_admin)
    scan(c, django_capture_on_commit_callbacks)
    f5, g1 = proposal("F5"), proposal("G1")
    assert (f5.answer, g1.answer) == ("ja", "nej")
    c.post(f"{PROPOSALS}{f5.pk}/", {"decision": "reject"})

    # A publiccode.yml arrives: it only supports F5 (still Ja from the purpose) but decides G1 alone.
    make_repo(repo, {"publiccode.yml": PUBLICCODE})
    later = scan(c, django_capture_on_commit_callbacks)
    assert Proposal.objects.filter(criterion_code="F5").count() == 1
    f5.refresh_from_db()
    assert f5.status == "rejected"  # the decision stands; nothing new to decide
    fresh = proposal("G1")
    assert fresh.pk != g1.pk and fresh.answer == "ja" and fresh.scan == later and fresh.status == "open"

    # An undecided proposal whose deciding check is unchanged is brought up to the new commit, with the
    # supporting check's new outcome among its grounds.
    f2 = proposal("F2")
    make_repo(repo, {"publiccode.yml": "name: [ikke længere gyldig\n"})
    newest = scan(c, django_capture_on_commit_callbacks)
    assert proposal("F2").pk == f2.pk and proposal("F2").scan == newest
    assert Proposal.objects.filter(criterion_code="F5").count() == 1

    # The deciding check changes: the purpose section goes, and F5 is asked again.
    make_repo(repo, {"README.md": "# OS2vægt\n"})
    scan(c, django_capture_on_commit_callbacks)
    again = Proposal.objects.filter(criterion_code="F5").latest("pk")
    assert again.pk != f5.pk and again.answer == "nej" and again.deciding_checks == ["purpose-described"]


def test_a_proposal_stored_before_the_weights_keeps_working(
    login, people, product, repo, django_capture_on_commit_callbacks
):
    c = login(people.authority_admin)
    scan(c, django_capture_on_commit_callbacks)
    # F11 as the scanner proposed it before the weights: every ground deciding, no `decided` key, the
    # fingerprint over all of them. (Issue tracking and the change log both fail on the good repository.)
    old = proposal("F11")
    assert old.answer == "nej" and {g["check"] for g in old.grounds} == {"issue-tracking", "changelog"}
    grounds = [{k: v for k, v in g.items() if k != "decided"} for g in old.grounds]
    raw = json.dumps([old.answer, sorted((g["check"], g["outcome"]) for g in grounds)])
    Proposal.objects.filter(pk=old.pk).update(grounds=grounds, fingerprint=hashlib.sha256(raw.encode()).hexdigest())

    page = c.get(PROPOSALS).content.decode()
    decided = section(page, old.pk, "decided")
    assert "issue-tracking" not in decided  # by their names, both listed as deciding
    assert decided.count("<li>") == 2 and f'id="proposal-{old.pk}-considered"' not in page

    # The same answer, from a check that had the same outcome then: no new proposal, the old one brought up to
    # date with the weights.
    make_repo(repo, {"docs/mere.md": "# Mere\n"})
    scan(c, django_capture_on_commit_callbacks)
    assert Proposal.objects.filter(criterion_code="F11").count() == 1
    old.refresh_from_db()
    assert old.deciding_checks == ["issue-tracking"]
    assert [g["check"] for g in old.considered_grounds()] == ["changelog"]
