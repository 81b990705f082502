"""The scanner's messages in the reader's language (issue 15, item 7): the scanner gives each message as a template
with parameters besides the English sentence (the command line prints the English); every template is marked for
the catalogues; OS2hub's pages show them translated, and an accepted proposal writes them into the answer in the
site's language (Danish), whoever accepts it."""

import ast
import json
from pathlib import Path

import pytest
from django.utils import translation

from os2hub.governance import services as governance
from os2hub.scanner import cli, messages
from os2hub.scanner.checks import run_checks
from os2hub.scanner.cli import main, public, scan
from os2hub.scanner.repository import Repository
from os2hub.scanner.targets import TargetError, check_target, parse_target
from os2hub.scans import services, wording
from os2hub.scans.models import Finding, Scan

from .scan_sources import make_repo
from .test_scans import PROPOSALS, SCANS, URL, answers_of, product, proposal, scan_now  # noqa: F401

PACKAGE = Path(messages.__file__).resolve().parent.parent

# Repositories that between them make most checks pass, fail or not apply, in many ways.
REPOSITORIES = {
    "empty": {},
    "plain": {"notes.txt": "nothing here\n"},
    "good": {
        "README.md": "# OS2eksempel\n\n## Formål\n\nLøsningen hjælper kommunerne.\n",
        "LICENSE": "SPDX-" + "License-Identifier: MPL-2.0\n\nMozilla Public License Version 2.0\n",
        "Dockerfile": "FROM python:3.11-slim\n",
        "Makefile": "run:\n\ttrue\n",
        ".github/workflows/ci.yml": "on: push\n",
        ".github/ISSUE_TEMPLATE/bug.md": "bug\n",
        "tests/test_app.py": "def test_it():\n    assert True\n",
        "CHANGELOG.md": "# Changes\n",
        "CONTRIBUTING.md": "# Contributing\n",
        "CODE_OF_CONDUCT.md": "# Code of conduct\n",
        "SECURITY.md": "# Security\n",
        "ruff.toml": "line-length = 120\n",
        "docs/drift.md": "# Drift\n",
        "docs/arkitektur.md": "# Arkitektur\n",
        "docs/installation.md": "# Installation\n",
        "docs/brugervejledning.md": "# Brugervejledning\n",
        "docs/sikkerhed.md": "# Sikkerhed\n",
        "docs/praesentation.md": "# Præsentation\n",
        "publiccode.yml": "publiccodeYmlVersion: '0.4'\nname: x\n",
    },
    "odd": {
        "package.json": '{"license": "Nonsense-Licence"}',
        "publiccode.yml": "- a list\n",
        "config.py": "KEY = '-----BEGIN RSA " + "PRIVATE KEY-----'\n",
        "tool.exe": "MZ",
        "LICENSES/MPL-2.0.txt": "Mozilla Public License Version 2.0\n",
        "LICENSES/CC0-1.0.txt": "Creative Commons Legal Code\n",
        "README.md": " ".join(["ord"] * 60) + "\n",
    },
    "unrecognised": {"LICENSE": "Do what you like, mostly.\n", "publiccode.yml": "name: [unclosed\n"},
    "gpl-and-cc": {"pyproject.toml": '[project]\nname = "x"\nlicense = "GPL-3.0-or-later AND CC-BY-SA-4.0"\n'},
}


def marked_templates() -> set[str]:
    """Every literal marked with gettext_noop in the scanner and in scans (what makemessages puts in the
    catalogues)."""
    found = set()
    for folder in ("scanner", "scans"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "gettext_noop"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    found.add(node.args[0].value)
    return found


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    found = []
    for name, files in REPOSITORIES.items():
        root = tmp_path_factory.mktemp(name)
        if name == "empty":
            found += run_checks(Repository(root))  # not a git checkout: the history checks do not apply
            continue
        make_repo(root, files)
        found += run_checks(Repository(root))
    return found


def test_every_message_is_its_template_filled_in_and_every_template_is_marked(findings):
    marked = marked_templates()
    used = set()
    for finding in findings:
        assert messages.render(finding.template) == finding.message, finding.check
        used |= set(messages.templates(finding.template))
    assert used - marked == set()
    assert len(used) >= 50  # the repositories above reach most of the messages


def test_a_refused_target_says_why_in_a_marked_template(tmp_path):
    marked = marked_templates()
    for raw in ("ssh://github.com/OS2/x", "https://user:secret@github.com/OS2/x", "https://example.dk/OS2/x",
                str(tmp_path / "missing")):  # fmt: skip
        with pytest.raises(TargetError) as error:
            parse_target(raw)
        assert messages.render(error.value.text.as_data()) == str(error.value)
        assert set(messages.templates(error.value.text.as_data())) <= marked
        assert "secret" not in json.dumps(error.value.text.as_data())  # a password is never part of a message


def test_the_command_line_prints_english_without_templates(tmp_path, capsys):
    make_repo(tmp_path, REPOSITORIES["good"])
    assert main([str(tmp_path), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert all("template" not in f for f in printed["findings"])
    result = scan(check_target(str(tmp_path)))
    assert printed["findings"] == public(result)["findings"]
    assert all(messages.render(f["template"]) == f["message"] for f in result["findings"])
    assert main([str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "The repository has a README (README.md)." in text


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_english():
    data = messages.message("%(path)s is not valid YAML.", path="publiccode.yml").as_data()
    assert messages.render(data, lambda t: "%(sti)s er ikke gyldig YAML.") == "publiccode.yml is not valid YAML."
    assert messages.render(data, lambda t: "%(path)s er ikke gyldig YAML.") == "publiccode.yml er ikke gyldig YAML."
    nested = messages.message(
        "The repository does not follow REUSE: %(problems)s.",
        problems=messages.Joined((messages.message("deprecated SPDX ids: %(ids)s", ids="GPL-2.0"),), "; "),
    ).as_data()
    danish = {"The repository does not follow REUSE: %(problems)s.": "Repositoriet følger ikke REUSE: %(problems)s.",
              "deprecated SPDX ids: %(ids)s": "forældede SPDX-id'er: %(ids)s"}  # fmt: skip
    assert (
        messages.render(nested, lambda t: danish.get(t, t))
        == "Repositoriet følger ikke REUSE: forældede SPDX-id'er: GPL-2.0."
    )


# --- On OS2hub's pages --------------------------------------------------------------------------------------------

DANISH = {
    "There is no CHANGELOG.": "Der er ingen ændringslog.",
    "The solution is delivered as a container (%(path)s).": "Løsningen leveres som container (%(path)s).",
    "The repository could not be fetched: %(reason)s.": "Repositoriet kunne ikke hentes: %(reason)s.",
    "%(target)s: the host %(host)s is not allowed; allowed: %(allowed)s.": "%(target)s: værten %(host)s er ikke "
    "tilladt; tilladt: %(allowed)s.",
}


@pytest.fixture
def catalogue(monkeypatch):
    """Danish for a few of the scanner's templates, as the catalogue will have them (the real catalogue is
    translated by people; these tests hold the machinery to showing what it says)."""
    real = wording.gettext

    def gettext(text):
        if (translation.get_language() or "").startswith("da") and text in DANISH:
            return DANISH[text]
        return real(text)

    monkeypatch.setattr(wording, "gettext", gettext)


def test_findings_show_in_the_readers_language(client, login, people, product, scan_sources, catalogue):  # noqa: F811
    scan_sources.add(URL)
    scan = scan_now(product, people.authority_admin)
    changelog = scan.findings.get(check_id="changelog")
    assert changelog.message == "There is no CHANGELOG." and changelog.template["template"] == changelog.message
    danish = client.get(SCANS).content.decode()
    assert "Der er ingen ændringslog." in danish and "There is no CHANGELOG." not in danish
    assert "Løsningen leveres som container (Dockerfile)." in danish
    assert '<span lang="en">Der er ingen' not in danish  # translated text is not marked English
    client.cookies["django_language"] = "en"
    english = client.get(SCANS).content.decode()
    assert "There is no CHANGELOG." in english and "Der er ingen ændringslog." not in english


def test_an_accepted_proposal_writes_the_evidence_in_danish_whoever_accepts_it(
    login,
    people,
    product,  # noqa: F811
    scan_sources,
    catalogue,
):
    scan_sources.add(URL)
    governance.self_assessment_draft(product=product, user=people.authority_admin)
    scan_now(product, people.authority_admin)
    found = proposal(product, "F19")
    c = login(people.authority_admin)
    c.cookies["django_language"] = "en"
    page = c.get(PROPOSALS).content.decode()
    assert "The solution is delivered as a container (Dockerfile)." in page  # the page in the reader's language
    c.post(f"{PROPOSALS}{found.pk}/", {"decision": "accept"})
    documentation = answers_of(product)["F19"][1]
    assert "Løsningen leveres som container (Dockerfile)." in documentation
    assert "delivered as a container" not in documentation


def test_a_failed_scan_says_why_in_the_readers_language(client, login, people, product, scan_sources, catalogue):  # noqa: F811
    product.repositories.update(url="https://git.example.dk/os2/x")
    with translation.override("en"):
        scan_now(product, people.authority_admin)
    scan = Scan.objects.get()
    assert scan.status == "failed" and "is not allowed" in scan.error  # stored in English, as the API shows it
    page = client.get(SCANS).content.decode()
    assert "værten git.example.dk er ikke tilladt" in page


def test_findings_stored_without_a_template_are_shown_as_they_are(people, product):  # noqa: F811
    scan = Scan.objects.create(product=product, repository_url=URL, status="done")
    finding = Finding.objects.create(scan=scan, check_id="readme", outcome="fail", message="Old English words.")
    with translation.override("da"):
        assert finding.text == "Old English words." and finding.text_lang == "en"
    with translation.override("en"):
        assert finding.text_lang == ""


def test_a_scan_result_from_the_command_line_is_stored_without_templates(people, product, tmp_path):  # noqa: F811
    make_repo(tmp_path, REPOSITORIES["good"])
    printed = public(cli.scan(check_target(str(tmp_path))))
    recorded = services.scan_record(product=product, repository=product.repositories.get(), result=printed)
    assert recorded.findings.exists() and not recorded.findings.exclude(template={}).exists()
