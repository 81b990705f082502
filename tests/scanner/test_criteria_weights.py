"""The weights of the checks per criterion and the answers they suggest: the decisive checks decide, a blocking
check that fails makes the answer Nej, supporting checks decide by their weighted share only when no decisive
check speaks; errors and "not applicable" never count."""

from pathlib import Path

import pytest
import yaml

from os2hub.scanner import criteria
from os2hub.scanner.checks import CHECKS, run_checks
from os2hub.scanner.criteria import JA, NEJ, THRESHOLD, WEIGHTS, propose
from os2hub.scanner.model import Finding
from os2hub.scanner.repository import Repository

from .test_checks import build

CRITERIA_FILE = Path(__file__).parents[2] / "os2hub" / "governance" / "criteria" / "governance-criteria-v1.1.0.yaml"


def found(outcomes: dict[str, str]) -> list[Finding]:
    """Findings as the scanner gives them, each naming the criteria its check speaks to."""
    return [Finding(check, outcome, list(CHECKS[check][0]), "") for check, outcome in outcomes.items()]


def test_every_pair_the_checks_declare_has_a_weight_and_no_other():
    declared = {(check, code) for check, (codes, _fn) in CHECKS.items() for code in codes}
    weighed = {(check, code) for code, checks in WEIGHTS.items() for check in checks}
    assert declared - weighed == set(), "give these (check, criterion) pairs a weight in scanner/criteria.py"
    assert weighed - declared == set(), "these weights name a pair no check declares"


def test_the_weights_name_real_criteria_and_known_roles():
    data = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    assert set(WEIGHTS) <= {c["id"] for c in data["criteria"]}
    for checks in WEIGHTS.values():
        for weight in checks.values():
            assert weight.role in (criteria.DECISIVE, criteria.BLOCKING, criteria.SUPPORTING)
            assert weight.weight > 0


def test_it_proposes_f5_ja_from_the_purpose_without_publiccode_yml():
    proposal = propose(found({"readme": "pass", "purpose-described": "pass", "publiccode-yml": "fail"}))["F5"]
    assert proposal.answer == JA
    assert proposal.decided_by == ("purpose-described",)
    assert proposal.considered == ("readme", "publiccode-yml")


def test_it_proposes_f5_nej_without_a_readme():
    proposal = propose(found({"readme": "fail", "purpose-described": "fail", "publiccode-yml": "pass"}))["F5"]
    assert proposal.answer == NEJ
    assert proposal.decided_by == ("purpose-described",)
    assert proposal.considered == ("readme", "publiccode-yml")


def test_a_licence_decides_f2_whatever_reuse_says():
    proposals = propose(found({"license": "pass", "reuse": "fail", "binaries": "pass"}))
    assert (proposals["F2"].answer, proposals["F2"].decided_by) == (JA, ("license",))
    assert proposals["F2"].considered == ("reuse", "binaries")
    proposals = propose(found({"license": "fail", "reuse": "pass", "binaries": "pass"}))
    assert (proposals["F2"].answer, proposals["F2"].decided_by) == (NEJ, ("license",))


def test_supporting_checks_decide_by_their_weighted_share_when_no_decisive_check_speaks():
    # The licence check could not run: REUSE and binaries decide F2, half of the weight passing is enough.
    proposal = propose(found({"license": "error", "reuse": "pass", "binaries": "fail"}))["F2"]
    assert proposal.score == 0.5 >= THRESHOLD
    assert (proposal.answer, proposal.decided_by, proposal.considered) == (JA, ("reuse",), ("binaries",))
    proposal = propose(found({"license": "error", "reuse": "fail", "binaries": "fail"}))["F2"]
    assert (proposal.answer, proposal.decided_by, proposal.score) == (NEJ, ("reuse", "binaries"), 0.0)
    # A contribution guide weighs more for F1 than the absence of binaries, when the history cannot be read.
    f1 = {"active-development": "not_applicable", "contributing": "fail", "binaries": "pass"}
    assert propose(found(f1))["F1"].answer == NEJ
    f1 |= {"contributing": "pass", "binaries": "fail"}
    assert propose(found(f1))["F1"].answer == JA


def test_a_security_policy_or_security_documentation_is_enough_for_f4():
    proposal = propose(found({"security-policy": "pass", "security-docs": "fail", "secrets": "pass"}))["F4"]
    assert (proposal.answer, proposal.decided_by) == (JA, ("security-policy",))
    assert proposal.considered == ("security-docs", "secrets")
    proposal = propose(found({"security-policy": "fail", "security-docs": "fail", "secrets": "pass"}))["F4"]
    assert (proposal.answer, proposal.decided_by) == (NEJ, ("security-policy", "security-docs"))


def test_a_committed_secret_makes_f4_nej_but_no_secret_alone_is_no_ja():
    proposal = propose(found({"security-policy": "pass", "security-docs": "pass", "secrets": "fail"}))["F4"]
    assert (proposal.answer, proposal.decided_by) == (NEJ, ("secrets",))
    assert proposal.considered == ("security-policy", "security-docs")
    assert "F4" not in propose(found({"security-policy": "error", "security-docs": "error", "secrets": "pass"}))


def test_every_decisive_check_must_pass_and_those_that_fail_decide():
    f16 = {"ci": "pass", "tests": "pass", "code-standards": "pass", "technical-docs": "fail"}
    proposal = propose(found(f16))["F16"]
    assert (proposal.answer, proposal.decided_by) == (NEJ, ("technical-docs",))
    assert proposal.considered == ("ci", "tests", "code-standards")
    proposal = propose(found(f16 | {"technical-docs": "pass", "ci": "fail"}))["F16"]
    assert (proposal.answer, proposal.decided_by) == (JA, ("code-standards", "technical-docs"))


def test_errors_and_not_applicable_findings_never_count():
    proposals = propose(found({"vendor-concentration": "not_applicable", "container": "error"}))
    assert proposals == {}
    proposals = propose(found({"vendor-concentration": "pass", "issue-tracking": "error", "changelog": "fail"}))
    assert proposals["F6"].answer == JA and proposals["G9"].answer == JA
    # F11 without its decisive check: the change log alone decides.
    assert (proposals["F11"].answer, proposals["F11"].decided_by) == (NEJ, ("changelog",))


def test_it_reads_the_json_of_the_command_line_and_weighs_unknown_checks_as_supporting():
    proposals = propose(
        [
            {"check": "container", "outcome": "pass"},  # no criteria: those of the weights
            {"check": "some-future-check", "outcome": "fail", "criteria": ["F19"]},
        ]
    )
    assert (proposals["F19"].answer, proposals["F19"].decided_by) == (JA, ("container",))
    assert proposals["F19"].considered == ("some-future-check",)
    with pytest.raises(TypeError):
        propose(["container"])


def test_a_built_repository_with_a_purpose_and_no_publiccode_yml_gets_f5_ja(tmp_path):
    repo = build(
        tmp_path,
        {
            "README.md": "# OS2test\n\n## Formål\n\nLøsningen hjælper kommunerne med at dele viden.\n",
            "LICENSE": "Mozilla Public License Version 2.0\n==================================\n",
        },
    )
    proposals = propose(run_checks(Repository(repo)))
    assert (proposals["F5"].answer, proposals["F5"].decided_by) == (JA, ("purpose-described",))
    assert set(proposals["F5"].considered) == {"readme", "publiccode-yml"}
    assert (proposals["F2"].answer, proposals["F2"].decided_by) == (JA, ("license",))
    assert proposals["G1"].answer == NEJ  # publiccode.yml alone speaks to G1

    bare = build(tmp_path / "bare", {"src/app.py": "print('hej')\n"})
    assert propose(run_checks(Repository(bare)))["F5"].answer == NEJ
