"""The command line for people and for CI: --version, --help, --fail-on and its exit status, and the CI snippets
of docs/scanner.md (valid YAML, only options the command accepts)."""

import importlib.metadata
import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

import os2hub.scanner
from os2hub.scanner import checks, cli

from .test_checks import build

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "scanner.md"


def run(capsys, *argv) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def a_broken_check(monkeypatch):
    def broken(repo):
        raise RuntimeError("something unforeseen")

    monkeypatch.setitem(checks.CHECKS, "tests", (checks.CHECKS["tests"][0], broken))


def test_it_prints_its_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"os2hub-scan {importlib.metadata.version('os2hub')}\n"


def test_it_knows_its_version_from_the_source_tree_when_it_is_not_installed(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    os2hub.scanner.version.cache_clear()
    try:
        expected = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
        assert os2hub.scanner.version() == expected
    finally:
        os2hub.scanner.version.cache_clear()


def test_the_help_explains_every_option_and_the_exit_status(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--help"])
    assert stopped.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option, explained in [
        ("TARGET", "a folder, or the https address of a git repository"),
        ("--format {text,json,sarif}", "text for people (the default), JSON as OS2hub's API gives it, or SARIF 2.1.0"),
        ("--fail-on {fail,error}", "exit with status 1 when a finding has this outcome"),
        ("--version", "print the version and exit"),
        ("--allow-host HOST", "also allow this git host"),
        ("--organisations FILE", "count commits per organisation"),
    ]:
        assert f"{option} {explained}" in text
    assert "Exit status: 0 when the scan ran" in text and "2 for bad input" in text


def test_fail_on_fail_exits_with_1_after_the_whole_report_and_names_the_checks(tmp_path, capsys):
    status, out, err = run(capsys, str(build(tmp_path, {"README.md": "# x"})), "--format", "json", "--fail-on", "fail")
    report = json.loads(out)  # the report is complete
    failed = [f["check"] for f in report["findings"] if f["outcome"] == "fail"]
    assert status == 1 and len(failed) > 3
    assert err == f"os2hub-scan: {len(failed)} findings failed ({', '.join(failed)}).\n"


def test_fail_on_fail_counts_checks_that_could_not_run(tmp_path, capsys, a_broken_check):
    status, _out, err = run(capsys, str(build(tmp_path, {"README.md": "# x"})), "--fail-on", "fail")
    assert status == 1
    assert re.fullmatch(r"os2hub-scan: \d+ findings failed \([a-z, -]+\) and 1 could not run \(tests\)\.\n", err)
    assert err.endswith(" and 1 could not run (tests).\n")


def test_fail_on_error_only_counts_checks_that_could_not_run(tmp_path, capsys, monkeypatch):
    folder = build(tmp_path, {"README.md": "# x"})
    assert run(capsys, str(folder), "--fail-on", "error")[0] == 0  # failed checks, none broken

    def broken(repo):
        raise RuntimeError("something unforeseen")

    monkeypatch.setitem(checks.CHECKS, "tests", (checks.CHECKS["tests"][0], broken))
    status, out, err = run(capsys, str(folder), "--fail-on", "error", "--format", "sarif")
    assert status == 1 and json.loads(out)["runs"]
    assert err == "os2hub-scan: 1 finding could not run (tests).\n"


def test_fail_on_passes_when_nothing_matches_and_counts_over_all_targets(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(checks, "CHECKS", {"readme": checks.CHECKS["readme"]})
    a, b = build(tmp_path / "a", {"README.md": "# a"}), build(tmp_path / "b", {"README.md": "# b"})
    assert run(capsys, str(a), str(b), "--fail-on", "fail")[0] == 0
    c = build(tmp_path / "c", {"src/x.py": "x = 1"})
    status, _out, err = run(capsys, str(a), str(c), str(tmp_path / "c"), "--fail-on", "fail")
    assert (status, err) == (1, "os2hub-scan: 2 findings failed (readme).\n")


def test_bad_input_wins_over_fail_on(tmp_path, capsys):
    status, out, err = run(capsys, str(tmp_path / "findes-ikke"), "--fail-on", "fail")
    assert status == 2 and out == "" and err.startswith("os2hub-scan: ")
    with pytest.raises(SystemExit) as stopped:
        cli.main([str(tmp_path), "--fail-on", "warning"])
    assert stopped.value.code == 2
    assert "invalid choice: 'warning'" in capsys.readouterr().err


def test_a_fault_of_the_scanner_is_told_apart_from_failed_checks(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "scan", broken)
    status, out, err = run(capsys, str(tmp_path), "--fail-on", "fail")
    assert (status, out) == (1, "")
    assert err == "os2hub-scan: the scan stopped with an unexpected error (ValueError: a bug).\n"


# --- The documentation's snippets ------------------------------------------------------------------------------


def fenced(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOCS.read_text("utf-8"), re.MULTILINE | re.DOTALL)


def commands(text: str) -> list[list[str]]:
    """The os2hub-scan command lines in a shell text: the arguments up to a redirection or a pipe."""
    found = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if "os2hub-scan" in words:
            words = words[words.index("os2hub-scan") + 1 :]
            for stop in (">", "|", "&&", ";"):
                if stop in words:
                    words = words[: words.index(stop)]
            found.append(words)
    return found


def workflows() -> dict[str, dict]:
    loaded = {}
    for block in fenced("yaml"):
        name = block.splitlines()[0].lstrip("# ").strip()
        loaded[name] = yaml.safe_load(block)
    return loaded


def test_the_ci_snippets_are_valid_yaml_that_uploads_and_keeps_the_report():
    snippets = workflows()
    github, gitlab = snippets[".github/workflows/os2hub-scan.yml"], snippets[".gitlab-ci.yml"]
    (job,) = github["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = {step.get("uses", "").split("@")[0]: step for step in job["steps"]}
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    upload = steps["github/codeql-action/upload-sarif"]
    assert upload["if"] == "always()" and upload["with"]["sarif_file"] == "problems.sarif"
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pip install" in script and "--format sarif --fail-on fail > os2hub-scan.sarif" in script
    assert "os2hub-scan.sarif > problems.sarif" in script

    job = gitlab["os2hub-scan"]
    assert job["image"] == "python:3.11" and job["artifacts"]["when"] == "always"
    assert {"os2hub-scan.sarif", "os2hub-scan.json"} <= set(job["artifacts"]["paths"])
    assert any("--fail-on fail" in line for line in job["script"])


def test_every_command_in_the_documentation_uses_options_the_command_accepts(capsys, monkeypatch):
    scanned = []

    def scan(target, **kwargs):  # no fetching, no scanning: only the command line is under test
        scanned.append(target)
        return {"repository": target.url or str(target.path), "commit": None, "duration_ms": 0, "findings": []}

    monkeypatch.setattr(cli, "resolve_target", lambda target: target)
    monkeypatch.setattr(cli, "scan", scan)
    texts = [*fenced("sh")]
    for workflow in workflows().values():
        for job in (workflow.get("jobs") or workflow).values():
            for step in job.get("steps", []):
                texts.append(step.get("run", ""))
            texts.extend(line for name, value in job.items() if name == "script" for line in value)
    found = [words for text in texts for words in commands(text)]
    assert len(found) >= 6
    for words in found:
        assert cli.main(words) == 0, words  # argparse would stop with SystemExit(2) on an unknown option
    capsys.readouterr()
    assert scanned


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_github_jobs_filter_keeps_a_valid_log_of_the_problems(tmp_path, capsys):
    from .test_sarif import assert_valid

    (job,) = workflows()[".github/workflows/os2hub-scan.yml"]["jobs"].values()
    (command,) = [step["run"] for step in job["steps"] if step.get("run", "").startswith("jq ")]
    repository = build(tmp_path / "repo", {"README.md": "# x"})
    assert cli.main([str(repository), "--format", "sarif"]) == 0
    (tmp_path / "os2hub-scan.sarif").write_text(capsys.readouterr().out, "utf-8")
    subprocess.run(command, shell=True, cwd=tmp_path, check=True)  # noqa: S602 - the documented command itself
    log = json.loads((tmp_path / "problems.sarif").read_text("utf-8"))
    assert_valid(log)
    kinds = [result["kind"] for result in log["runs"][0]["results"]]
    assert kinds and set(kinds) == {"fail"}
