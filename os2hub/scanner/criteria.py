"""How much each check counts for each criterion it speaks to, and the answer the findings suggest.

The checks (checks.CHECKS) each name the criteria they speak to; `WEIGHTS` says, per criterion, how much each of
those checks counts, with one line of reason read from what the criterion asks (governance criteria v1.1.0).
The command line and the site both ask `propose()`, so they suggest the same answers. A test holds `WEIGHTS`
and `CHECKS` to the same (check, criterion) pairs, so no check is added without saying how much it counts.

A check counts for a criterion in one of three roles:

- **decisive**: the check looks at what the criterion asks and answers it alone (licence for F2, a purpose
  section in the README for F5).
- **blocking**: a fail shows the criterion is not met (a committed secret for F4), but a pass shows nothing
  more than the absence of one problem, so it never makes the answer Ja by itself.
- **supporting**, with a weight: evidence that bears on the criterion without answering it (publiccode.yml for
  F5, REUSE for F2); it decides only when no decisive check could.

The rules of `propose()`, in order, for each criterion:

1. Only findings that pass or fail count; an error or "not applicable" says nothing about the criterion.
2. A blocking check that fails makes the answer Nej, decided by the failing blocking and decisive checks.
3. Else, when a decisive check counts, the decisive checks decide: Ja when all of them pass (decided by them),
   Nej when one fails (decided by those that fail).
4. Else, when a supporting check counts, the weighted share of the supporting checks that pass decides: Ja at
   `THRESHOLD` or more (decided by those that pass), Nej below it (decided by those that fail).
5. Else (nothing counts, or only blocking checks that pass): no proposal.

Every other check that counts is "considered": shown beside the proposal, but it did not decide it. A check
that speaks to a criterion without a weight here (a stored finding of an older scanner) is supporting with
weight 1.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import FAIL, PASS, Finding

# The answers of OS2's self-assessment format (governance.models.Answer), which the proposals suggest.
JA, NEJ = "ja", "nej"

DECISIVE, BLOCKING, SUPPORTING = "decisive", "blocking", "supporting"

# The weighted share of passing supporting checks at which they suggest Ja (rule 4): half the evidence.
THRESHOLD = 0.5


@dataclass(frozen=True)
class Weight:
    role: str
    weight: float = 1.0  # counts only for a supporting check


def decisive() -> Weight:
    return Weight(DECISIVE)


def blocking() -> Weight:
    return Weight(BLOCKING)


def supporting(weight: float = 1.0) -> Weight:
    return Weight(SUPPORTING, weight)


# criterion -> check -> how much the check counts for it.
WEIGHTS: dict[str, dict[str, Weight]] = {
    # F1: all source code is developed openly and actively in the designated repository.
    "F1": {
        # Commits in the last year are the activity in the repository that F1 asks for.
        "active-development": decisive(),
        # A contribution guide shows the development is open to others; openness, not activity.
        "contributing": supporting(2),
        # Committed binaries hint that some code is not there as source; common by-products (a Gradle wrapper
        # jar) make it too weak to decide.
        "binaries": supporting(1),
    },
    # F2: open-source licence criteria are met (an OSI-approved licence, OS2's standard MPL-2.0).
    "F2": {
        # The licence itself, by SPDX id and OSI approval, is what F2 asks for.
        "license": decisive(),
        # REUSE (licence and copyright in every file) is good practice beyond the criterion.
        "reuse": supporting(1),
        # Binaries may carry licences of their own; a hint, not a breach of the licence criteria.
        "binaries": supporting(1),
    },
    # F4: security has been considered in the solution (design, code, operations).
    "F4": {
        # Documentation of the solution's security is the description the criterion's guideline asks for.
        "security-docs": supporting(1),
        # A policy for reporting vulnerabilities shows security is thought of, as much as documentation does.
        "security-policy": supporting(1),
        # A committed secret shows security was not considered; finding none shows little.
        "secrets": blocking(),
    },
    # F5: the purpose and value of the solution are described (e.g. in the README).
    "F5": {
        # A README section (or prose) describing the purpose is exactly what the guideline points to.
        "purpose-described": decisive(),
        # A README alone does not describe the purpose; it is where the description is looked for.
        "readme": supporting(1),
        # publiccode.yml describes the software for catalogues; one place among others to describe it.
        "publiccode-yml": supporting(1),
    },
    # F6: the source code is handed over and placed under OS2's control.
    "F6": {
        # Code written by nearly one supplier hints that it is not handed over; control is not in the code.
        "vendor-concentration": supporting(1),
    },
    # F11: public issue tracking is used, clearly linked to specific code changes.
    "F11": {
        # Issue templates and commits referring to issues are the tracking and the links F11 asks for.
        "issue-tracking": decisive(),
        # A change log records changes, but not their link to issues.
        "changelog": supporting(1),
    },
    # F13: presentation material for the solution exists.
    "F13": {
        # Presentation documents are the material F13 asks for.
        "presentation-material": decisive(),
    },
    # F14: communication material for the strategic level exists.
    "F14": {
        # Presentation material may or may not be written for the strategic level.
        "presentation-material": supporting(1),
    },
    # F15: best practice for implementation in the organisation is documented.
    "F15": {
        # An implementation guide is the documentation F15 asks for.
        "implementation-docs": decisive(),
        # A scripted installation helps the technical part of implementing it, not the organisation's.
        "install-script": supporting(1),
    },
    # F16: technical documentation contains best practice for coding standards for the technologies used.
    "F16": {
        # The technical documentation F16 names.
        "technical-docs": decisive(),
        # Configured linters and formatters are the coding standards, written down where they are enforced.
        "code-standards": decisive(),
        # Continuous integration runs the standards, but is not documentation of them.
        "ci": supporting(1),
        # Tests are good practice, not coding standards.
        "tests": supporting(1),
    },
    # F17: the operations and maintenance set-up is described.
    "F17": {
        # Operations documentation is the description F17 asks for.
        "operations-docs": decisive(),
        # A scripted set-up shows how it runs, but not who operates and maintains it.
        "install-script": supporting(1),
    },
    # F19: the solution is delivered in a container format (recommendation).
    "F19": {
        # A Dockerfile, compose file or Helm chart is the container delivery itself.
        "container": decisive(),
    },
    # F20: training material exists (recommendation).
    "F20": {
        # A user guide or manual is the training material F20 names.
        "user-docs": decisive(),
    },
    # G1: the product is registered in OS2's portfolio management.
    "G1": {
        # publiccode.yml makes the product ready for catalogues; the registration itself is at OS2.
        "publiccode-yml": supporting(1),
    },
    # G9: code is reviewed by a third party (recommendation).
    "G9": {
        # Several organisations writing the code hints that others read it; it is no review report.
        "vendor-concentration": supporting(1),
    },
    # G14: a professional community exists behind the solution where experiences are exchanged.
    "G14": {
        # A code of conduct shows a community is looked after; the community itself is outside the code.
        "code-of-conduct": supporting(1),
    },
}

DEFAULT_WEIGHT = supporting(1)


@dataclass(frozen=True)
class Proposal:
    """The answer the findings suggest for one criterion. `decided_by` are the checks that gave the answer,
    `considered` the other checks that counted (passed or failed), both in the order of the findings. `score`:
    the weighted share of the supporting checks that pass, None when none counted."""

    criterion: str
    answer: str
    decided_by: tuple[str, ...]
    considered: tuple[str, ...]
    score: float | None = None


def weight(criterion: str, check_id: str) -> Weight:
    """How much a check counts for a criterion it speaks to."""
    return WEIGHTS.get(criterion, {}).get(check_id, DEFAULT_WEIGHT)


def _read(finding) -> tuple[str, str, list[str]]:
    """(check, outcome, criteria) of a scanner Finding or of its JSON form (as the command line writes it)."""
    if isinstance(finding, Finding):
        return finding.check, finding.outcome, list(finding.criteria)
    if isinstance(finding, Mapping):
        check_id = str(finding.get("check") or "")
        criteria = finding.get("criteria")
        if criteria is None:
            criteria = [code for code, checks in WEIGHTS.items() if check_id in checks]
        return check_id, str(finding.get("outcome") or ""), [str(code) for code in criteria]
    raise TypeError(f"not a finding: {finding!r}")


def propose(findings: Iterable[Finding | Mapping]) -> dict[str, Proposal]:
    """criterion -> the proposal the findings suggest, by the rules of this module's docstring. A finding is a
    scanner Finding or a mapping with "check", "outcome" and (optionally) "criteria"; without criteria, those
    `WEIGHTS` gives the check."""
    counted: dict[str, list[tuple[str, str]]] = {}
    for finding in findings:
        check_id, outcome, criteria = _read(finding)
        if outcome not in (PASS, FAIL):
            continue
        for code in criteria:
            if all(seen != check_id for seen, _outcome in counted.get(code, ())):
                counted.setdefault(code, []).append((check_id, outcome))
    proposals = {}
    for code, outcomes in counted.items():
        proposal = _propose_one(code, outcomes)
        if proposal is not None:
            proposals[code] = proposal
    return proposals


def _propose_one(code: str, outcomes: list[tuple[str, str]]) -> Proposal | None:
    roles = {check_id: weight(code, check_id) for check_id, _outcome in outcomes}
    by_role = {
        role: [(c, o) for c, o in outcomes if roles[c].role == role] for role in (DECISIVE, BLOCKING, SUPPORTING)
    }
    supporting_total = sum(roles[c].weight for c, _o in by_role[SUPPORTING])
    score = (
        round(sum(roles[c].weight for c, o in by_role[SUPPORTING] if o == PASS) / supporting_total, 3)
        if supporting_total > 0
        else None
    )

    def result(answer, decided):
        considered = tuple(c for c, _o in outcomes if c not in decided)
        return Proposal(code, answer, tuple(c for c, _o in outcomes if c in decided), considered, score)

    blocked = [c for c, o in by_role[BLOCKING] if o == FAIL]
    if blocked:
        return result(NEJ, {*blocked, *(c for c, o in by_role[DECISIVE] if o == FAIL)})
    if by_role[DECISIVE]:
        failing = {c for c, o in by_role[DECISIVE] if o == FAIL}
        return result(NEJ, failing) if failing else result(JA, {c for c, _o in by_role[DECISIVE]})
    if score is not None:
        if score >= THRESHOLD:
            return result(JA, {c for c, o in by_role[SUPPORTING] if o == PASS})
        return result(NEJ, {c for c, o in by_role[SUPPORTING] if o == FAIL})
    return None


__all__ = ["JA", "NEJ", "THRESHOLD", "WEIGHTS", "Proposal", "propose", "weight"]
