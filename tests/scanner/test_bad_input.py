"""Bad input (issue 5): every case ends in a clear message and exit status 2, or, for a repository that can be
read but is damaged, in a scan whose affected checks report "error" with the reason. Never a traceback, never a
hang, and a refused address is refused before any connection (not even a name lookup)."""

import json
import os
import socket
import subprocess
import time

import pytest

from os2hub.scanner import cli, repository, targets
from os2hub.scanner.checks import CHECKS, run_checks
from os2hub.scanner.repository import Repository

from .test_checks import build, commit_as

HISTORY = ("active-development", "vendor-concentration", "issue-tracking")


def scan_json(capsys, target) -> dict:
    status = cli.main([str(target), "--format", "json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.err == "" and "Traceback" not in captured.out
    captured.out.encode("utf-8")  # valid UTF-8 whatever the file names were
    result = json.loads(captured.out)
    assert [f["check"] for f in result["findings"]] == list(CHECKS)
    return {f["check"]: f for f in result["findings"]}


def git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)  # noqa: S603, S607


# --- Targets that are refused ---------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Any name lookup, connection or clone fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    monkeypatch.setattr(targets, "clone", forbidden)
    monkeypatch.setattr(targets, "run_limited", forbidden)
    monkeypatch.setattr(cli, "clone", forbidden)


@pytest.mark.parametrize(
    "target, message",
    [
        ("https://kommune:hemmeligt@github.com/OS2/x", "user name, password or token is refused"),
        ("https://ghp_abcdefabcdef@gitlab.com/OS2/x", "user name, password or token is refused"),
        ("file:///etc", "only https addresses are scanned, not file"),
        ("ssh://git@github.com/OS2/x", "only https addresses are scanned, not ssh"),
        ("git@github.com:OS2/x.git", "only https addresses are scanned"),
        ("git://github.com/OS2/x", "only https addresses are scanned, not git"),
        ("http://github.com/OS2/x", "only https addresses are scanned, not http"),
        ("https://git.evil.example/OS2/x", "the host git.evil.example is not allowed"),
        ("https://github.com@evil.example/OS2/x", "user name, password or token is refused"),
        ("https://[::1]/OS2/x", "is not allowed"),
    ],
)
def test_refused_addresses_exit_2_before_any_connection(no_network, capsys, target, message):
    assert cli.main([target]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("os2hub-scan: ") and message in captured.err
    assert "Traceback" not in captured.err
    assert "hemmeligt" not in captured.err and "ghp_abcdef" not in captured.err


def test_a_refused_target_among_good_ones_stops_the_call_before_anything_is_fetched(no_network, capsys, tmp_path):
    assert cli.main([str(tmp_path), "https://github.com/OS2/x", "ssh://github.com/OS2/y"]) == 2
    assert "only https" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["missing", "file", "empty", "link loop", "pipe"])
def test_a_path_that_is_no_folder_exits_2(capsys, tmp_path, kind):
    (tmp_path / "fil.txt").write_text("x")
    os.symlink("loop", tmp_path / "loop")
    os.mkfifo(tmp_path / "pipe")
    target = {"missing": str(tmp_path / "findes-ikke"), "file": str(tmp_path / "fil.txt"), "empty": " ",
              "link loop": str(tmp_path / "loop"), "pipe": str(tmp_path / "pipe")}[kind]  # fmt: skip
    assert cli.main([target]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("os2hub-scan: ") and "Traceback" not in captured.err


def test_a_plain_folder_is_a_target(capsys, tmp_path):
    build(tmp_path, {"README.md": "# x"})
    findings = scan_json(capsys, tmp_path)
    assert findings["readme"]["outcome"] == "pass"
    assert {findings[c]["outcome"] for c in ("active-development", "vendor-concentration")} == {"not_applicable"}


def test_the_console_script_exits_with_mains_status(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("sys.argv", ["os2hub-scan", str(tmp_path / "findes-ikke")])
    with pytest.raises(SystemExit) as stopped:
        cli.run()
    assert stopped.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_an_unexpected_fault_is_a_message_with_status_1(monkeypatch, capsys, tmp_path):
    def broken(target, **options):
        raise ValueError("something the scanner did not foresee")

    monkeypatch.setattr(cli, "scan", broken)
    assert cli.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "unexpected error (ValueError: something the scanner did not foresee)" in err and "Traceback" not in err


# --- Repositories that are readable but odd or damaged --------------------------------------------------------


def test_an_empty_repository_is_scanned(capsys, tmp_path):
    git(tmp_path, "init", "-q")
    findings = scan_json(capsys, tmp_path)
    assert findings["active-development"]["outcome"] == "fail"
    assert findings["active-development"]["message"] == "The repository has no commits yet."
    assert findings["vendor-concentration"]["outcome"] == "not_applicable"


def test_an_empty_repository_with_files_not_yet_committed_is_read_as_a_folder(tmp_path):
    git(tmp_path, "init", "-q")
    build(tmp_path, {"README.md": "# x"})
    assert Repository(tmp_path).paths == ["README.md"]


def test_shallow_history_is_said_in_the_details(capsys, tmp_path):
    source = tmp_path / "source"
    for n in range(3):
        commit_as(source, "a@aarhus.dk", message=f"Ændring {n}")
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{source}", str(tmp_path / "shallow"))
    findings = scan_json(capsys, tmp_path / "shallow")
    active = findings["active-development"]
    assert active["outcome"] == "pass"
    assert active["details"]["shallow"] is True and active["details"]["commits_read"] == 1


def _delete_object(root, revision):
    command = ["git", "-C", str(root), "rev-parse", revision]
    sha = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603
    (root / ".git" / "objects" / sha[:2] / sha[2:]).unlink()


@pytest.mark.parametrize("revision", ["HEAD~1", "HEAD"])
def test_missing_objects_make_the_history_checks_errors_with_a_reason(capsys, tmp_path, revision):
    for n in range(3):
        commit_as(tmp_path, "a@aarhus.dk", message=f"Ændring {n}")
    _delete_object(tmp_path, revision)
    findings = scan_json(capsys, tmp_path)
    for check_id in HISTORY:
        assert findings[check_id]["outcome"] == "error", findings[check_id]
        assert findings[check_id]["message"].startswith("The git history could not be read (git ")
    assert findings["readme"]["outcome"] == "fail"  # the other checks still ran


def test_a_corrupt_git_folder_is_an_error_and_no_repository_above_is_used(capsys, tmp_path):
    commit_as(tmp_path, "a@aarhus.dk")  # a real repository around the target
    target = build(tmp_path / "inner", {"README.md": "# x", ".git/HEAD": "ref: refs/heads/main\n", ".git/x": "x"})
    repo = Repository(target)
    assert repo.commit is None and repo.paths == ["README.md"]
    findings = scan_json(capsys, target)
    assert findings["active-development"]["outcome"] == "error"


def test_git_that_times_out_or_is_missing_gives_errors_with_the_reason(monkeypatch, tmp_path):
    commit_as(tmp_path, "a@aarhus.dk")

    def slow(command, **kwargs):
        assert kwargs["timeout"] > 0
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(repository.subprocess, "run", slow)
    findings = {f.check: f for f in run_checks(Repository(tmp_path))}
    assert findings["active-development"].outcome == "error"
    assert "took longer than 20 seconds" in findings["active-development"].message

    def missing(command, **kwargs):
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(repository.subprocess, "run", missing)
    assert "git could not be started" in run_checks(Repository(tmp_path), only={"vendor-concentration"})[0].message


def test_a_binary_readme_and_invalid_utf8_are_read_without_failing(capsys, tmp_path):
    build(
        tmp_path,
        {
            "README.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
            "docs/drift.md": b"# Drift \xff\xfe og vedligehold\n",
            os.fsdecode(b"docs/sikkerhed-\xe6\xf8\xe5.md"): b"# Sikkerhed\n",  # Latin-1 name, not UTF-8
        },
    )
    findings = scan_json(capsys, tmp_path)
    assert findings["readme"]["outcome"] == "pass"
    assert findings["purpose-described"]["outcome"] == "fail"
    assert findings["operations-docs"]["evidence"] == [{"path": "docs/drift.md"}]
    assert {"path": "docs/sikkerhed-\ufffd\ufffd\ufffd.md"} in findings["security-docs"]["evidence"]


def test_file_names_that_are_not_utf8_are_kept_in_a_git_repository(tmp_path):
    build(tmp_path, {os.fsdecode(b"Drift-\xf8.md"): "# Drift\n"})
    commit_as(tmp_path, "a@aarhus.dk")
    assert os.fsdecode(b"Drift-\xf8.md") in Repository(tmp_path).paths


def test_enormous_files_are_skipped_quickly(capsys, tmp_path):
    build(tmp_path, {"README.md": "# x", "LICENSES/MIT.txt": "..."})
    with open(tmp_path / "dump.sql", "wb") as handle:  # 4 GB, sparse: nothing is written to disk
        handle.truncate(4 * 1024**3)
    started = time.monotonic()
    findings = scan_json(capsys, tmp_path)
    assert time.monotonic() - started < 10
    assert findings["secrets"]["outcome"] == "pass"
    assert findings["reuse"]["details"]["skipped_large_files"] == 1


def test_link_loops_and_links_out_of_the_checkout_are_never_followed(capsys, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "SECURITY.md").write_text("-----BEGIN RSA " + "PRIVATE KEY-----\n")
    repo = build(tmp_path / "repo", {"README.md": "# x"})
    os.symlink("loop-b", repo / "loop-a")
    os.symlink("loop-a", repo / "loop-b")
    os.symlink(".", repo / "self")  # a folder loop: self/self/self/...
    os.symlink(outside, repo / "docs")
    os.symlink("/", repo / "root")
    os.symlink(outside / "SECURITY.md", repo / "SECURITY.md")
    started = time.monotonic()
    findings = scan_json(capsys, repo)
    assert time.monotonic() - started < 10
    assert findings["secrets"]["outcome"] == "pass"  # the key outside was not read
    assert findings["security-policy"]["outcome"] == "fail"  # a link is not a file of the repository
    assert findings["security-docs"]["outcome"] == "fail"


def test_named_pipes_in_a_folder_are_never_opened(capsys, tmp_path):
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "src/app.py": "print('hej')\n"})
    for name in ("README.md", "doc/notes.docx", "src/app.py.license", "LICENSE"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        os.mkfifo(tmp_path / name)  # opening one for reading would wait for a writer forever
    started = time.monotonic()
    findings = scan_json(capsys, tmp_path)
    assert time.monotonic() - started < 10
    assert findings["reuse"]["outcome"] == "fail"
    assert findings["reuse"]["message"].startswith("src/app.py.license is not an ordinary file")
    assert findings["purpose-described"]["outcome"] == "fail"


def test_deeply_nested_folders_are_walked_without_recursion_limits(tmp_path):
    levels = [str(tmp_path)]
    for _level in range(1200):  # os.makedirs and Path.mkdir(parents=True) would recurse themselves
        levels.append(os.path.join(levels[-1], "d"))
        os.mkdir(levels[-1])
    readme = os.path.join(levels[-1], "README.md")
    with open(readme, "w") as handle:
        handle.write("# dybt")
    try:
        assert Repository(tmp_path).paths == ["d/" * 1200 + "README.md"]
    finally:  # removed here, level by level: pytest's own clean-up (shutil.rmtree) recurses too
        os.remove(readme)
        for level in reversed(levels[1:]):
            os.rmdir(level)


def test_a_check_that_breaks_is_an_error_finding_and_the_others_still_run(monkeypatch, tmp_path):
    def broken(repo):
        raise KeyError("surprise")

    criteria, _function = CHECKS["changelog"]
    monkeypatch.setitem(CHECKS, "changelog", (criteria, broken))
    build(tmp_path, {"README.md": "# x"})
    findings = {f.check: f for f in run_checks(Repository(tmp_path))}
    assert findings["changelog"].outcome == "error"
    assert findings["changelog"].message == "The check could not run (KeyError: 'surprise')."
    assert findings["readme"].outcome == "pass"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_a_repository_owned_by_another_user_is_read_and_its_config_runs_nothing(tmp_path):
    commit_as(tmp_path, "a@aarhus.dk")
    marker = tmp_path.parent / f"{tmp_path.name}-ran"
    with open(tmp_path / ".git" / "config", "a") as config:  # what a hostile checkout could carry
        config.write(f"[core]\n\tfsmonitor = touch {marker}\n\tpager = touch {marker}\n")
    for folder, _dirs, names in os.walk(tmp_path):
        for name in [folder, *(os.path.join(folder, n) for n in names)]:
            os.lchown(name, 12345, 12345)
    repo = Repository(tmp_path)
    assert repo.commit and repo.paths == ["f0.txt"]
    assert run_checks(repo, only={"active-development"})[0].outcome == "pass"
    assert not marker.exists()


def test_an_error_is_an_open_result_in_sarif(capsys, tmp_path):
    for n in range(2):
        commit_as(tmp_path, "a@aarhus.dk", message=f"Ændring {n}")
    _delete_object(tmp_path, "HEAD~1")
    assert cli.main([str(tmp_path), "--format", "sarif"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    active = next(r for r in results if r["ruleId"] == "active-development")
    assert (active["kind"], active["properties"]["outcome"]) == ("open", "error")
