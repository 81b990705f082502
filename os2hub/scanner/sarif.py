"""Scan results as SARIF 2.1.0 (the OASIS standard that code-scanning services such as GitHub's read).

`tests/scanner/test_sarif.py` validates the output against the official JSON schema and checks the rules of the
standard that a schema cannot. How the scanner's results map onto SARIF:

- One run per scanned target. `versionControlProvenance[].repositoryUri` is absolute (the https address of a
  remote, a `file://` URI of a folder) with the commit as `revisionId`; `originalUriBaseIds.SRCROOT` is that
  URI with a trailing slash, and every evidence path is a relative, percent-encoded URI against `SRCROOT`.
- One result per finding, as `kind` (§3.27.9): pass -> `pass`, fail -> `fail`, not_applicable ->
  `notApplicable`. The outcome "error" (the check could not run) is `open`: the tool could not tell whether
  the repository meets the rule. The standard allows a `level` other than "none" only for kind `fail` (§3.27.10).
- A failed check is an `error` when it is a legal or security problem (no open licence, secrets or binaries in the
  repository: they stop a product being shared safely at all), and a `warning` for the rest, which ask for
  documentation or practice that a product can add. The level is the rule's `defaultConfiguration` too.
- A check that could not run is also a `toolExecutionNotifications` entry of level `error` with its rule
  (`associatedRule`), so a consumer knows the run's results are incomplete (the standard's appendix on
  incomplete result sets); `executionSuccessful` stays true, since the scan itself ran (exit status 0).
- `tool.driver.rules` lists every check with its criteria; each result names its rule by `ruleId` and
  `ruleIndex`, and each rule's `helpUri` is the check's section in the scanner's documentation.

No Django here: the rule texts are English (as the command line's messages are), marked with the scanner's own
`gettext_noop`; they are the same sentences as the site's own labels (os2hub/scans/labels.py, held to them by a
test), so the catalogues have them once.
"""

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import version
from .checks import CHECKS
from .messages import gettext_noop
from .model import ERROR, FAIL, NOT_APPLICABLE, PASS, printable

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "os2hub-scan"
# The scanner's documentation, with a section per check (docs/scanner.md#<check id>).
DOCUMENTATION_URI = "https://github.com/OS2/os2hub/blob/main/docs/scanner.md"
SOURCE_ROOT = "SRCROOT"

KINDS = {PASS: "pass", FAIL: "fail", NOT_APPLICABLE: "notApplicable", ERROR: "open"}
# Checks whose failure is a legal or a security problem; any other failed check is a warning.
ERROR_LEVEL_CHECKS = frozenset({"license", "secrets", "binaries"})

# What each check is called and asks for: the same English as the site's labels (os2hub/scans/labels.py).
RULE_TEXTS = {
    "license": (gettext_noop("Licence"), gettext_noop("An open-source licence approved by the OSI, by SPDX id.")),
    "readme": (gettext_noop("README"), gettext_noop("A README at the top of the repository.")),
    "purpose-described": (
        gettext_noop("Purpose described"),
        gettext_noop("The README describes the purpose and value (formål)."),
    ),
    "security-policy": (
        gettext_noop("Security policy"),
        gettext_noop("A SECURITY file that says how to report vulnerabilities."),
    ),
    "security-docs": (
        gettext_noop("Security documentation"),
        gettext_noop("Documentation of the solution's security (sikkerhed)."),
    ),
    "container": (gettext_noop("Container"), gettext_noop("Delivery as a container: a Dockerfile or a compose file.")),
    "install-script": (
        gettext_noop("Installation"),
        gettext_noop("A way to install and run it: scripts, Makefile, compose, Helm."),
    ),
    "ci": (
        gettext_noop("Continuous integration"),
        gettext_noop("Builds and tests run automatically (CI configuration)."),
    ),
    "tests": (gettext_noop("Automated tests"), gettext_noop("Automated tests in the repository.")),
    "changelog": (gettext_noop("Change log"), gettext_noop("A change log (CHANGELOG, ændringslog) or release notes.")),
    "contributing": (gettext_noop("Contribution guide"), gettext_noop("A guide for people who want to contribute.")),
    "code-of-conduct": (gettext_noop("Code of conduct"), gettext_noop("A code of conduct for the community.")),
    "code-standards": (
        gettext_noop("Coding standards"),
        gettext_noop("Configured linters, formatters or documented coding standards."),
    ),
    "operations-docs": (gettext_noop("Operations documentation"), gettext_noop("How to run and maintain it (drift).")),
    "technical-docs": (
        gettext_noop("Technical documentation"),
        gettext_noop("Architecture and developer documentation."),
    ),
    "implementation-docs": (
        gettext_noop("Implementation guide"),
        gettext_noop("How to implement it in an organisation."),
    ),
    "user-docs": (gettext_noop("User documentation"), gettext_noop("A user guide or manual (brugervejledning).")),
    "presentation-material": (
        gettext_noop("Presentation material"),
        gettext_noop("Presentations or material describing the solution."),
    ),
    "issue-tracking": (
        gettext_noop("Public issue tracking"),
        gettext_noop("Issue templates, and commits that refer to issues."),
    ),
    "active-development": (
        gettext_noop("Active development"),
        gettext_noop("Commits in the last year in the public repository."),
    ),
    "publiccode-yml": (
        gettext_noop("publiccode.yml"),
        gettext_noop("A publiccode.yml that follows the standard."),
    ),
    "reuse": (gettext_noop("REUSE"), gettext_noop("Every file has licence and copyright information (REUSE).")),
    "secrets": (gettext_noop("No secrets"), gettext_noop("No private keys or access tokens in the files.")),
    "binaries": (
        gettext_noop("No binaries"),
        gettext_noop("No compiled programs or archives instead of source code."),
    ),
    "vendor-concentration": (
        gettext_noop("Several contributors"),
        gettext_noop("Not nearly all commits from one organisation."),
    ),
}

# Semantic Versioning 2.0.0 (semver.org), which `semanticVersion` must follow; a version that does not (a Python
# pre-release such as 1.0rc1) is given as `version` only.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


def level(check_id: str, outcome: str) -> str:
    """The result's level: "none" unless the check failed (SARIF §3.27.10), then "error" or "warning"."""
    if outcome != FAIL:
        return "none"
    return failure_level(check_id)


def failure_level(check_id: str) -> str:
    return "error" if check_id in ERROR_LEVEL_CHECKS else "warning"


def rule_name(check_id: str) -> str:
    """SARIF's rule name: an identifier a person understands, without spaces ("purpose-described" ->
    "PurposeDescribed")."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", check_id) if part)


def rules(check_ids) -> list[dict]:
    """`tool.driver.rules`, one per check, in the order given (a result's ruleIndex is its rule's position)."""
    described = []
    for check_id in check_ids:
        criteria = list(CHECKS[check_id][0]) if check_id in CHECKS else []
        rule = {
            "id": check_id,
            "name": rule_name(check_id),
            "helpUri": f"{DOCUMENTATION_URI}#{check_id}",
            "defaultConfiguration": {"level": failure_level(check_id)},
            "properties": {"criteria": criteria},
        }
        if check_id in RULE_TEXTS:
            label, description = RULE_TEXTS[check_id]
            rule["shortDescription"] = {"text": description}
            criteria_text = ", ".join(criteria) if criteria else "-"
            rule["fullDescription"] = {"text": f"{label}: {description} OS2 criteria: {criteria_text}."}
        described.append(rule)
    return described


def repository_uri(repository: str) -> str:
    """The absolute URI of a scanned repository: a remote's https address as it is, a folder as a file:// URI of
    its absolute path (percent-encoded)."""
    if urlsplit(repository).scheme in ("https", "http"):
        return repository
    return Path(repository).resolve().as_uri()


def artifact_uri(path: str) -> str:
    """A path in the repository as a relative URI reference: every character that is not allowed in a URI path
    percent-encoded (as UTF-8), the slashes kept. A colon is encoded too, so that no path reads as a scheme."""
    return quote(path, safe="/")


def utc(moment: datetime) -> str:
    """SARIF's date-time (§3.9): UTC, ISO 8601, with a Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _locations(evidence: list[dict]) -> list[dict]:
    locations = []
    for item in evidence:
        path = item.get("path")
        if not path:
            continue
        physical = {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SOURCE_ROOT}}
        line = item.get("line")
        if isinstance(line, int) and line >= 1:
            physical["region"] = {"startLine": line}
        locations.append({"physicalLocation": physical})
    return locations


def _run(result: dict, driver: dict, index: dict[str, int], times, several: bool) -> dict:
    base = repository_uri(printable(result["repository"]))
    items, notifications = [], []
    for finding in result["findings"]:
        check_id, outcome = finding["check"], finding["outcome"]
        item = {
            "ruleId": check_id,
            "ruleIndex": index[check_id],
            "kind": KINDS.get(outcome, "open"),
            "level": level(check_id, outcome),
            "message": {"text": finding["message"]},
            "properties": {"criteria": finding["criteria"], "outcome": outcome, "details": finding["details"]},
        }
        locations = _locations(finding["evidence"])
        if locations:
            item["locations"] = locations
        items.append(item)
        if outcome == ERROR:
            notification = {
                "level": "error",
                "message": {"text": finding["message"]},
                "associatedRule": {"id": check_id, "index": index[check_id]},
            }
            if locations:
                notification["locations"] = locations
            notifications.append(notification)
    invocation: dict = {"executionSuccessful": True}
    if times is not None:
        invocation["startTimeUtc"], invocation["endTimeUtc"] = utc(times[0]), utc(times[1])
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    provenance = {"repositoryUri": base}
    if result.get("commit"):
        provenance["revisionId"] = result["commit"]
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "versionControlProvenance": [provenance],
        "originalUriBaseIds": {
            SOURCE_ROOT: {
                "uri": base if base.endswith("/") else base + "/",
                "description": {"text": "The root of the scanned repository."},
            }
        },
        "results": items,
    }
    if several:
        # One category per repository: code-scanning services take runs of one tool in one file apart by it.
        run["automationDetails"] = {"id": f"{TOOL_NAME}/{base}/"}
    return run


def driver() -> dict:
    tool = {"name": TOOL_NAME, "version": version(), "informationUri": DOCUMENTATION_URI}
    if _SEMVER.match(tool["version"]):
        tool["semanticVersion"] = tool["version"]
    return tool


def as_sarif(results: list[dict], times: list[tuple[datetime, datetime]] | None = None) -> dict:
    """The SARIF log of scan results (`cli.public` results), one run per result. `times`, when given, holds each
    scan's start and end (aware datetimes) for the run's invocation."""
    check_ids = list(CHECKS)
    for result in results:  # a check the registry does not know (never in practice) still gets its rule
        check_ids += [f["check"] for f in result["findings"] if f["check"] not in check_ids]
    index = {check_id: n for n, check_id in enumerate(check_ids)}
    tool = {**driver(), "rules": rules(check_ids)}
    runs = [
        _run(result, tool, index, None if times is None else times[n], len(results) > 1)
        for n, result in enumerate(results)
    ]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": runs}
