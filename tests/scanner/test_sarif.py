"""The command line's SARIF: valid against the official SARIF 2.1.0 JSON schema (OASIS, in data/), and right by the
rules of the standard that the schema cannot express."""

import importlib.metadata
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema_rs
import pytest
from django.utils import translation

from os2hub.scanner import cli, sarif
from os2hub.scanner.checks import CHECKS

from .test_checks import build

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "scanner.md"
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
# The characters of a URI (RFC 3986): anything else must be percent-encoded (the schema's validator lets a space by).
URI_CHARACTERS = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/%?#]*$")

KEY_FILE = "konfig æøå/nøgle fil.txt"
REPOSITORY = {
    "README.md": "# Eksempel\n\nFormålet er at vise, hvordan scanneren skriver SARIF.\n",
    # A secret on line 3 (a finding with a line), in a path with spaces and æøå.
    KEY_FILE: "x = 1\n\n-----BEGIN RSA PRIVATE " + "KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n",
}


def validator():
    # offline: the schema's own meta-schema (draft 4) is built in; nothing is fetched.
    return jsonschema_rs.Draft4Validator(SCHEMA, validate_formats=True, offline=True)


def assert_valid(log: dict):
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator().iter_errors(log)]
    assert errors == []


def assert_semantics(log: dict):
    """What SARIF 2.1.0 asks beyond its schema, and what this scanner promises."""
    assert log["version"] == "2.1.0" and log["$schema"] == sarif.SARIF_SCHEMA
    for run in log["runs"]:
        rules = run["tool"]["driver"]["rules"]
        repository = run["versionControlProvenance"][0]["repositoryUri"]
        assert urlsplit(repository).scheme in ("https", "file")  # absolute
        root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        assert root == repository.rstrip("/") + "/"
        assert URI_CHARACTERS.match(repository)
        notified = {n["associatedRule"]["id"] for n in run["invocations"][0].get("toolExecutionNotifications", [])}
        for result in run["results"]:
            rule = rules[result["ruleIndex"]]
            assert rule["id"] == result["ruleId"]
            # §3.27.10: a level other than "none" only for kind "fail".
            if result["kind"] == "fail":
                assert result["level"] in ("error", "warning")
                assert result["level"] == rule["defaultConfiguration"]["level"]
            else:
                assert result["level"] == "none"
            assert (result["kind"] == "open") == (result["properties"]["outcome"] == "error")
            assert (result["ruleId"] in notified) == (result["kind"] == "open")
            for location in result.get("locations", []):
                artifact = location["physicalLocation"]["artifactLocation"]
                assert artifact["uriBaseId"] == "SRCROOT"
                assert not urlsplit(artifact["uri"]).scheme and not artifact["uri"].startswith("/")
                assert URI_CHARACTERS.match(artifact["uri"])
                assert location["physicalLocation"].get("region", {"startLine": 1})["startLine"] >= 1
        invocation = run["invocations"][0]
        assert invocation["executionSuccessful"] is True
        assert UTC_TIME.match(invocation["startTimeUtc"]) and UTC_TIME.match(invocation["endTimeUtc"])
        assert invocation["startTimeUtc"] <= invocation["endTimeUtc"]


def sarif_of(capsys, *argv) -> dict:
    assert cli.main([*argv, "--format", "sarif"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def a_broken_check(monkeypatch):
    """The tests check breaks (outcome "error"), as a check does on something unforeseen in a repository."""

    def broken(repo):
        raise RuntimeError("something unforeseen")

    monkeypatch.setitem(CHECKS, "tests", (CHECKS["tests"][0], broken))


def test_it_writes_sarif_that_the_official_schema_accepts_with_every_outcome(tmp_path, capsys, a_broken_check):
    folder = build(tmp_path / "min repo æøå", REPOSITORY)
    log = sarif_of(capsys, str(folder))
    assert_valid(log)
    assert_semantics(log)
    (run,) = log["runs"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert {r["properties"]["outcome"] for r in run["results"]} == {"pass", "fail", "not_applicable", "error"}
    assert {r["kind"] for r in run["results"]} == {"pass", "fail", "notApplicable", "open"}
    assert by_rule["readme"]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "README.md", "uriBaseId": "SRCROOT"}
    }  # no line known: no region
    secret = by_rule["secrets"]["locations"][0]["physicalLocation"]
    assert secret == {
        "artifactLocation": {"uri": "konfig%20%C3%A6%C3%B8%C3%A5/n%C3%B8gle%20fil.txt", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 3},
    }
    assert (by_rule["secrets"]["kind"], by_rule["secrets"]["level"]) == ("fail", "error")
    assert (by_rule["changelog"]["kind"], by_rule["changelog"]["level"]) == ("fail", "warning")
    assert "locations" not in by_rule["changelog"]  # nothing to point at


def test_the_paths_resolve_to_the_scanned_files(tmp_path, capsys):
    folder = build(tmp_path / "min repo æøå", REPOSITORY)
    (run,) = sarif_of(capsys, str(folder))["runs"]
    assert run["versionControlProvenance"][0]["repositoryUri"] == folder.resolve().as_uri()
    assert run["versionControlProvenance"][0]["repositoryUri"].startswith("file:///")
    assert "%20" in run["versionControlProvenance"][0]["repositoryUri"]
    root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
    secret = next(r for r in run["results"] if r["ruleId"] == "secrets")
    uri = urljoin(root, secret["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert Path(unquote(urlsplit(uri).path)) == folder.resolve() / KEY_FILE


def test_a_check_that_could_not_run_is_an_open_result_and_an_error_notification(tmp_path, capsys, a_broken_check):
    (run,) = sarif_of(capsys, str(build(tmp_path, {"README.md": "# x"})))["runs"]
    rules = run["tool"]["driver"]["rules"]
    result = next(r for r in run["results"] if r["ruleId"] == "tests")
    assert (result["kind"], result["level"]) == ("open", "none")
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error" and "something unforeseen" in notification["message"]["text"]
    assert rules[notification["associatedRule"]["index"]]["id"] == notification["associatedRule"]["id"] == "tests"
    assert run["invocations"][0]["executionSuccessful"] is True  # the scan ran; its results are incomplete


def test_several_targets_one_of_them_remote_are_one_valid_log(tmp_path, capsys, monkeypatch, a_broken_check):
    remote_source = build(tmp_path / "kilde", {"README.md": "# Fjern", "CHANGELOG.md": "## 1.0\n"})

    def clone(target, **kwargs):  # the remote repository, without a network
        checkout = tmp_path / "klon" / "checkout"
        shutil.copytree(remote_source, checkout)
        return checkout

    monkeypatch.setattr(cli, "resolve_target", lambda target: target)
    monkeypatch.setattr(cli, "clone", clone)
    local = build(tmp_path / "lokal mappe", REPOSITORY)
    log = sarif_of(capsys, "https://github.com/OS2/eksempel", str(local))
    assert_valid(log)
    assert_semantics(log)
    remote, folder = log["runs"]
    assert remote["versionControlProvenance"][0]["repositoryUri"] == "https://github.com/OS2/eksempel"
    assert remote["originalUriBaseIds"]["SRCROOT"]["uri"] == "https://github.com/OS2/eksempel/"
    assert folder["versionControlProvenance"][0]["repositoryUri"].startswith("file:///")
    # Code-scanning services take runs of one tool in one file apart by their category.
    assert remote["automationDetails"]["id"] != folder["automationDetails"]["id"]


def test_the_rules_describe_every_check_and_link_its_documentation(tmp_path, capsys):
    (run,) = sarif_of(capsys, str(build(tmp_path, {"README.md": "# x"})))["runs"]
    driver = run["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == list(CHECKS)
    assert driver["name"] == "os2hub-scan"
    assert driver["version"] == driver["semanticVersion"] == importlib.metadata.version("os2hub")
    assert driver["informationUri"].startswith("https://")
    headings = re.findall(r"^### `([a-z0-9-]+)`$", DOCS.read_text("utf-8"), re.MULTILINE)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["properties"]["criteria"] == list(CHECKS[rule["id"]][0])
        assert rule["helpUri"] == f"https://github.com/OS2/os2hub/blob/main/docs/scanner.md#{rule['id']}"
        assert rule["id"] in headings  # GitHub's anchor of the heading "### `<id>`" is the id
        assert " " not in rule["name"]


def test_the_rule_texts_are_the_sites_own_labels():
    from os2hub.scans import labels

    with translation.override("en"):
        site = {check_id: (str(name), str(text)) for check_id, (name, text) in labels.CHECKS.items()}
    assert site == sarif.RULE_TEXTS


def test_the_documentation_address_is_the_projects():
    project = Path(__file__).resolve().parents[2] / "pyproject.toml"
    assert 'Repository = "https://github.com/OS2/os2hub"' in project.read_text("utf-8")
    assert sarif.DOCUMENTATION_URI.startswith("https://github.com/OS2/os2hub/blob/main/docs/")


def test_the_schema_refuses_what_the_standard_refuses():
    """The validation is not vacuous: the old output's relative repositoryUri, an unknown kind and a time without
    a date are refused."""
    run = {"tool": {"driver": {"name": "os2hub-scan"}}, "results": []}
    assert validator().is_valid({"version": "2.1.0", "runs": [run]})
    for wrong in (
        {"versionControlProvenance": [{"repositoryUri": "/tmp/repo"}]},
        {"results": [{"message": {"text": "x"}, "kind": "error"}]},
        {"invocations": [{"executionSuccessful": True, "startTimeUtc": "03:25"}]},
    ):
        assert not validator().is_valid({"version": "2.1.0", "runs": [{**run, **wrong}]})
