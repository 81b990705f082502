"""Every check on small repositories built in the test: what makes it pass, and that an empty repository fails
it. Danish names and headings count, and office documents in doc/ are read by their titles."""

import io
import json
import subprocess
import zipfile

import pytest

from os2hub.scanner.checks import CHECKS, run_checks
from os2hub.scanner.cli import main
from os2hub.scanner.repository import Repository


def build(root, files: dict):
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def docx(title: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{title}</dc:title></cp:coreProperties>",
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def findings(root, check_id):
    result = {f.check: f for f in run_checks(Repository(root), only={check_id})}
    return result[check_id]


# REUSE tags are put together at run time too: reuse would read a literal tag in this file as its own licence.
SPDX_LICENSE = "SPDX-" + "License-Identifier:"
SPDX_COPYRIGHT = "SPDX-" + "FileCopyrightText:"

PASSING = {
    "license": {"LICENSE": "Mozilla Public License Version 2.0\n==================================\n"},
    "reuse": {
        "LICENSES/MPL-2.0.txt": "Mozilla Public License Version 2.0\n",
        "src/app.py": f"# {SPDX_COPYRIGHT} 2024 Aarhus Kommune\n# {SPDX_LICENSE} MPL-2.0\nprint('hej')\n",
    },
    "readme": {"README.md": "# OS2test\n"},
    "purpose-described": {"README.md": "# OS2test\n\n## Formål\n\nLøsningen hjælper kommunerne.\n"},
    "security-policy": {"SECURITY.md": "Skriv til sikkerhed@kommune.dk"},
    "changelog": {"CHANGELOG.md": "# Ændringer"},
    "contributing": {".github/CONTRIBUTING.md": "Sådan bidrager du"},
    "code-of-conduct": {"CODE_OF_CONDUCT.md": "Vær venlig"},
    "container": {"docker/Dockerfile": "FROM debian:12"},
    "install-script": {"Makefile": "run:\n\ttrue\n"},
    "ci": {".github/workflows/test.yml": "on: push"},
    "tests": {"tests/test_app.py": "def test_it(): pass"},
    "code-standards": {"pyproject.toml": "[project]\nname='x'\n\n[tool.ruff]\nline-length = 120\n"},
    "operations-docs": {"doc/Driftsvejledning.md": "Sådan drives løsningen"},
    "technical-docs": {"docs/index.md": "# Intro\n\n## Teknisk arkitektur\n"},
    "implementation-docs": {"doc/implementering.docx": docx("Implementeringsvejledning")},
    "user-docs": {"docs/Brugermanual.pdf": b"%PDF-1.4"},
    "security-docs": {"docs/risikovurdering.odt": b"not really an odt"},
    "presentation-material": {"doc/OS2test.pptx": b"PK"},
    "secrets": {"README.md": "ingen hemmeligheder"},
    "binaries": {"src/app.py": "print('hej')"},
    "publiccode-yml": {
        "publiccode.yml": """publiccodeYmlVersion: "0.4"
name: OS2test
url: https://github.com/OS2/test
platforms: [web]
categories: [it-development]
developmentStatus: stable
softwareType: standalone/web
description:
  da:
    shortDescription: En testløsning
    longDescription: >
      OS2test er en løsning, som kommunerne har udviklet i fællesskab for at afprøve scanneren; beskrivelsen
      skal være mindst 150 tegn lang, så den fortæller brugerne, hvad løsningen gør.
    features: [Afprøver scanneren]
legal:
  license: MPL-2.0
maintenance:
  type: community
  contacts: [{name: Jens Jensen}]
localisation:
  localisationReady: true
  availableLanguages: [da]
"""
    },
}
# Read from the git history; tested below on repositories with commits.
HISTORY_CHECKS = {"active-development", "vendor-concentration", "issue-tracking"}
FAILING_EVEN_WHEN_PRESENT = {"secrets", "binaries"}


def test_every_check_has_a_case_here_and_names_criteria():
    assert set(PASSING) | HISTORY_CHECKS == set(CHECKS)
    assert all(criteria for criteria, _fn in CHECKS.values())


@pytest.mark.parametrize("check_id", sorted(PASSING))
def test_the_check_passes_on_what_it_looks_for_and_fails_without_it(tmp_path, check_id):
    good = build(tmp_path / "good", PASSING[check_id])
    finding = findings(good, check_id)
    assert finding.outcome == "pass", finding.message
    assert finding.criteria == list(CHECKS[check_id][0])
    empty = build(tmp_path / "empty", {"src/app.py": "print('hej')"})
    expected_empty = "pass" if check_id in FAILING_EVEN_WHEN_PRESENT else "fail"
    assert findings(empty, check_id).outcome == expected_empty


def test_documentation_evidence_points_at_the_heading_line(tmp_path):
    repo = build(tmp_path, {"docs/index.md": "# Intro\n\ntekst\n\n## Drift og vedligehold\n"})
    finding = findings(repo, "operations-docs")
    assert [(e.path, e.line) for e in finding.evidence] == [("docs/index.md", 5)]


def test_rst_headings_count(tmp_path):
    repo = build(tmp_path, {"docs/index.rst": "Intro\n=====\n\nInstallation\n------------\n"})
    assert findings(repo, "implementation-docs").evidence[0].line == 4


# The secrets are put together when the test runs, so that this file does not itself hold one: OS2hub's own
# `secrets` check scans it when OS2hub scans itself.
PRIVATE_KEY_HEADER = "-----BEGIN OPENSSH " + "PRIVATE KEY-----"


def test_a_secret_is_found_but_never_printed(tmp_path, capsys):
    token = "ghp_" + "A1b2C3d4E5" * 4
    build(
        tmp_path,
        {
            "config/settings.py": f"DEBUG = True\nTOKEN = '{token}'\n",
            "keys/id_rsa": f"{PRIVATE_KEY_HEADER}\nabc\n",
        },
    )
    finding = findings(tmp_path, "secrets")
    assert finding.outcome == "fail"
    assert {(e.path, e.line) for e in finding.evidence} == {("config/settings.py", 2), ("keys/id_rsa", 1)}
    assert finding.details["kinds"] == ["GitHub token", "private key"]
    assert main([str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert token not in out and PRIVATE_KEY_HEADER not in out and "abc" not in out


def test_every_kind_of_secret_has_a_hint_and_is_found(tmp_path):
    from os2hub.scanner.checks import SECRET_HINTS, SECRET_PATTERNS

    assert set(SECRET_HINTS) == set(SECRET_PATTERNS)
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key": "AKIA" + "ABCDEFGHIJKLMNOP",
        "GitHub token": "github_pat_" + "a1B2" * 16,
        "GitLab token": "glpat-" + "x1y2z3" * 4,
        "Slack token": "xoxb-" + "1234567890-abc",
        "Google API key": "AIza" + "S" * 35,
        "Stripe secret key": "sk_live_" + "a1" * 12,
    }
    assert set(samples) == set(SECRET_PATTERNS)
    for n, (kind, sample) in enumerate(samples.items()):
        build(tmp_path / str(n), {"config.txt": f"x = {sample}\n"})
        assert findings(tmp_path / str(n), "secrets").details["kinds"] == [kind]


def test_committed_binaries_fail(tmp_path):
    build(tmp_path, {"lib/tool.jar": b"PK", "bin/app.exe": b"MZ"})
    finding = findings(tmp_path, "binaries")
    assert finding.outcome == "fail" and finding.details["files"] == 2


def test_a_hostile_office_file_is_only_a_name(tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docProps/core.xml", "<a>" + "x" * 5_000_000 + "</a>")
    build(tmp_path, {"doc/Drift.docx": bomb.getvalue(), "doc/broken.docx": b"PK\x03\x04broken"})
    assert Repository(tmp_path).office_title("doc/Drift.docx") == ""
    assert Repository(tmp_path).office_title("doc/broken.docx") == ""
    assert findings(tmp_path, "operations-docs").outcome == "pass"  # by its name


def test_only_files_tracked_by_git_count_in_a_repository(tmp_path):
    build(tmp_path, {"README.md": "# x", ".venv/lib/x.pyc": b"\x00", "build/app.exe": b"MZ"})
    (tmp_path / ".gitignore").write_text(".venv/\nbuild/\n")
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@kommune.dk", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@kommune.dk", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # fmt: skip
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        subprocess.run(["git", "-C", str(tmp_path), *cmd], check=True, env=env)  # noqa: S603, S607
    repo = Repository(tmp_path)
    assert findings(tmp_path, "binaries").outcome == "pass"
    assert repo.commit and len(repo.commit) == 40


# --- The command line ---------------------------------------------------------------------------------------


def test_json_output_follows_the_contract(tmp_path, capsys):
    build(tmp_path, PASSING["purpose-described"])
    assert main([str(tmp_path), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"repository", "commit", "duration_ms", "findings"}
    assert [f["check"] for f in result["findings"]] == list(CHECKS)
    for f in result["findings"]:
        assert set(f) == {"check", "outcome", "criteria", "message", "evidence", "details"}
        assert f["outcome"] in {"pass", "fail", "not_applicable", "error"}


def test_several_targets_in_one_call_and_sarif(tmp_path, capsys):
    a, b = build(tmp_path / "a", {"README.md": "# a"}), build(tmp_path / "b", {"SECURITY.md": "x"})
    assert main([str(a), str(b), "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 2
    readme = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "readme")
    assert (
        readme["kind"] == "pass"
        and readme["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "README.md"
    )


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc",
        "ssh://git@github.com/a/b",
        "https://u:p@github.com/a/b",
        "https://evil.example/a/b",
        "/findes/ikke",
    ],
)
def test_bad_targets_exit_with_status_2_and_a_message(capsys, target, tmp_path):
    assert main([str(tmp_path), target]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("os2hub-scan: ")
    assert "Traceback" not in captured.err and ":p@" not in captured.err


# --- From the history ---------------------------------------------------------------------------------------


def commit_as(root, email, message="Ændring", date=None):
    """A commit by `email` (at `date`, default now) in a test repository, created on first use."""
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": email,
           "PATH": "/usr/bin:/bin", "HOME": str(root)}  # fmt: skip
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)  # noqa: S603, S607
    n = len(list(root.glob("f*.txt")))
    (root / f"f{n}.txt").write_text(message)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)  # noqa: S603, S607
    subprocess.run(["git", "-C", str(root), "commit", "-qm", message], check=True, env=env)  # noqa: S603, S607


@pytest.mark.parametrize("check_id", sorted(HISTORY_CHECKS))
def test_history_checks_do_not_apply_without_history(tmp_path, check_id):
    build(tmp_path, {"README.md": "# x"})
    assert findings(tmp_path, check_id).outcome == "not_applicable"


def test_recent_commits_are_active_development_and_old_ones_are_not(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    commit_as(old, "a@aarhus.dk", date="2020-01-01T12:00:00")
    commit_as(new, "a@aarhus.dk")
    assert findings(old, "active-development").outcome == "fail"
    recent = findings(new, "active-development")
    assert recent.outcome == "pass" and recent.details["commits_last_year"] == 1


def test_one_organisation_writing_nearly_everything_is_a_concentration(tmp_path):
    for i in range(11):
        commit_as(tmp_path, f"udvikler{i % 3}@dev.leverandoer.dk")
    commit_as(tmp_path, "someone@gmail.com")
    commit_as(tmp_path, "123+x@users.noreply.github.com")
    finding = findings(tmp_path, "vendor-concentration")
    assert finding.outcome == "fail"
    assert (finding.details["top_organisation"], finding.details["top_share"]) == ("leverandoer.dk", 1.0)


def test_several_organisations_are_no_concentration(tmp_path):
    for i in range(12):
        commit_as(tmp_path, ["a@aarhus.dk", "b@leverandoer.dk", "c@odense.dk"][i % 3])
    finding = findings(tmp_path, "vendor-concentration")
    assert finding.outcome == "pass" and finding.details["organisations"] == 3


def test_personal_and_noreply_addresses_are_not_organisations(tmp_path):
    for i in range(12):
        commit_as(tmp_path, ["x@gmail.com", "y@users.noreply.github.com"][i % 2])
    assert findings(tmp_path, "vendor-concentration").outcome == "not_applicable"


def test_commits_that_refer_to_issues_show_issue_tracking(tmp_path):
    for i in range(6):
        commit_as(tmp_path, "a@aarhus.dk", message=f"Ret fejl i login (OS2MO-{100 + i})")
    finding = findings(tmp_path, "issue-tracking")
    assert finding.outcome == "pass" and finding.details["commits_referencing_issues"] == 6
    other = tmp_path / "other"
    commit_as(other, "a@aarhus.dk", message="Ret fejl")
    assert findings(other, "issue-tracking").outcome == "fail"
    build(other, {".github/ISSUE_TEMPLATE/fejl.md": "Beskriv fejlen"})
    commit_as(other, "a@aarhus.dk", message="Tilføj skabelon til fejlrapporter")
    assert findings(other, "issue-tracking").outcome == "pass"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("name: OS2test\n", "publiccodeYmlVersion is missing"),
        ("publiccodeYmlVersion: 0.4\nname: [a]\n", "name must be text"),
        ("name: [unclosed\n", "not valid YAML"),
        ("- a list\n", "must be a mapping"),
    ],
)
def test_publiccode_yml_is_checked_against_the_standard(tmp_path, text, problem):
    build(tmp_path, {"publiccode.yml": text})
    finding = findings(tmp_path, "publiccode-yml")
    assert finding.outcome == "fail" and problem in finding.message
