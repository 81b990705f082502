"""What the scanner does to be fast must not change what it finds: the path search one alternative at a time
gives the paths one search per path gives, and the git commands a scan starts ahead in the background behave as
the ones a check starts itself (a repository without commits, a time limit, a check that raises), leaving no
process or thread behind."""

import os
import random
import re
import subprocess
import threading
import time
from pathlib import Path

from os2hub.scanner import checks, repository
from os2hub.scanner.checks import CHECKS, run_checks
from os2hub.scanner.repository import Repository

from .test_checks import build

HISTORY = ("active-development", "vendor-concentration", "issue-tracking")


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": os.fspath(root), "GIT_TERMINAL_PROMPT": "0"}
    subprocess.run(["git", "-C", os.fspath(root), *args], check=True, capture_output=True, env=env, timeout=60)  # noqa: S603, S607


def committed(root: Path, files: dict) -> Path:
    build(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=A", "-c", "user.email=a@aarhus.dk", "commit", "-q", "-m", "Første (#1)")
    return root


def children() -> list[int]:
    """This process's child processes (zombies too), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append(int(entry.name))
    return found


def scanner_patterns(tmp_path: Path, monkeypatch) -> list[re.Pattern]:
    """The path patterns of a scan (what the checks give `find`), and the checks' other written patterns that
    are about paths (anchored, or with a slash)."""
    given: list[re.Pattern] = []
    real = Repository.find

    def recording(self, pattern):
        given.append(pattern)
        return real(self, pattern)

    with monkeypatch.context() as patched:
        patched.setattr(Repository, "find", recording)
        run_checks(Repository(build(tmp_path / "sample", {"README.md": "# x", "src/app.py": "print(1)"})))
    for literal in re.findall(r'r"((?:[^"\\]|\\.)*)"', Path(checks.__file__).read_text("utf-8")):
        try:
            pattern = re.compile(literal)
        except re.error:
            continue
        if re.search(r"\^|\$|/", literal) and not re.search(r"\[\^[^/\]]*\]|\\[sSWD]", literal):
            given.append(pattern)
    return list(dict.fromkeys(given))


NAMES = [
    "test", "tests", "spec", "src", "docs", "Chart.yaml", "compose.yml", "docker-compose.yaml", "install.sh",
    "deploy", "deployment scripts", "setup.ps1", "x_test.py", "a.test.js", "ansible", "README.md", "LICENSE-MIT",
    "Makefile", ".github", "workflows", "ci.yml", "foo.tests", "tests.bar", "id_rsa", "k.pfx", ".editorconfig",
    "app.csproj", "pom.xml", "SECURITY.md", "læsmig.txt", "CHANGELOG", "x.jar", "a.b.c", "__tests__",
]  # fmt: skip


def test_it_finds_the_same_paths_as_one_search_per_path(tmp_path, monkeypatch):
    rng = random.Random(17)
    patterns = scanner_patterns(tmp_path, monkeypatch)
    assert len(patterns) > 20
    for trial in range(12):
        root = tmp_path / f"r{trial}"
        files = {"/".join(rng.choice(NAMES) for _ in range(rng.randint(1, 4))) + f"-{n}": "x" for n in range(60)}
        files.update({"/".join(rng.choice(NAMES) for _ in range(rng.randint(1, 4))): "x" for _ in range(120)})
        # A name can be a folder in one path and a file in another: keep the files that fit.
        kept = {}
        for path in sorted(files, key=len):
            if not any(path.startswith(other + "/") or other.startswith(path + "/") for other in kept):
                kept[path] = files[path]
        repo = Repository(build(root, kept))
        for pattern in patterns:
            expected = [original for lower, original in repo.lower_paths if pattern.search(lower)]
            assert repo.find(pattern) == expected, pattern.pattern


def test_it_splits_a_pattern_only_where_the_alternatives_stand_alone():
    split = repository._branches
    literals = [literal for literal, _one, _all in split(re.compile(r"(^|/)chart\.yaml$|\.(iss|wxs)$"))]
    assert literals == ["chart.yaml", ".iss", ".wxs"]
    assert split(re.compile(r"(^|/)(a|)$")) is None  # an alternative without a literal: nothing to gain
    written_out = split(re.compile(r"^(licen[cs]e|copying)(\.md)?$"))  # a group matched once is written out
    assert [one.pattern for _literal, one, _all in written_out] == [r"^licen[cs]e(\.md)?$", r"^copying(\.md)?$"]
    assert split(re.compile(r"^(licence|copying)?$")) is None  # not when the group may be left out
    assert split(re.compile(r"(a)x|\1y")) is None  # a back reference
    assert split(re.compile(r"(?i)a|b")) is None  # flags for the whole pattern
    assert split(re.compile(r"abc|def", re.IGNORECASE)) is None
    assert repository._required_literal(r"tests?\.[^/]+/") == "test"  # the "s" may be absent
    assert repository._required_literal(r"[|]x|y") == "x"  # a class is no alternative


def test_a_repository_without_commits_gives_the_same_findings_with_git_started_ahead(tmp_path, monkeypatch):
    root = build(tmp_path, {"README.md": "# x", "src/app.py": "print(1)"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")  # listed by git, nothing committed: the log started ahead fails
    ahead = {f.check: f for f in run_checks(Repository(root))}
    monkeypatch.setattr(Repository, "start_git", lambda self, *args, **kwargs: None)
    alone = {f.check: f for f in run_checks(Repository(root))}
    assert ahead == alone
    assert ahead["active-development"].outcome == "fail"
    assert ahead["active-development"].details["commits_last_year"] == 0
    assert ahead["secrets"].outcome == "pass"


def test_a_folder_that_is_no_repository_starts_no_git(tmp_path, monkeypatch):
    build(tmp_path, {"README.md": "# x"})
    started = []
    monkeypatch.setattr(repository.subprocess, "run", lambda *args, **kwargs: started.append(args))
    findings = {f.check: f for f in run_checks(Repository(tmp_path))}
    assert started == []
    assert {findings[check_id].outcome for check_id in HISTORY} == {"not_applicable"}


def test_a_background_git_that_takes_too_long_is_an_error_and_does_not_hang(tmp_path, monkeypatch):
    committed(tmp_path / "repo", {"README.md": "# x"})
    # A git whose history takes forever; everything else is the real git.
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()  # noqa: S607
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do [ "$a" = log ] && exec sleep 60; done\nexec {real} "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(repository, "GIT_TIMEOUT_S", 1)
    threads, before = threading.active_count(), children()
    started = time.monotonic()
    findings = {f.check: f for f in run_checks(Repository(tmp_path / "repo"))}
    assert time.monotonic() - started < 20
    for check_id in HISTORY:
        assert findings[check_id].outcome == "error"
        assert "took longer than 1 seconds" in findings[check_id].message
    assert findings["secrets"].outcome == "pass"  # the other git commands ran
    assert findings["readme"].outcome == "pass"
    assert threading.active_count() == threads
    assert set(children()) <= set(before)


def test_a_check_that_raises_leaves_no_git_process_or_thread(tmp_path, monkeypatch):
    committed(tmp_path, {"README.md": "# x", "src/app.py": "print(1)"})

    def broken(repo):
        raise ValueError("broken on purpose")

    for check_id in ("secrets", "active-development"):
        monkeypatch.setitem(CHECKS, check_id, (CHECKS[check_id][0], broken))
    threads, before = threading.active_count(), children()
    repo = Repository(tmp_path)
    findings = {f.check: f for f in run_checks(repo, only={"secrets", "active-development", "readme"})}
    assert findings["secrets"].outcome == findings["active-development"].outcome == "error"
    assert findings["readme"].outcome == "pass"
    assert repo._background == {}  # every command started ahead was waited for
    assert threading.active_count() == threads
    assert set(children()) <= set(before)


def test_a_scan_leaves_no_child_process(tmp_path):
    committed(tmp_path, {"README.md": "# x", "LICENSE": "MIT License\n", "tests/test_x.py": "def test(): pass"})
    before = children()
    for _ in range(3):
        run_checks(Repository(tmp_path))
    assert set(children()) <= set(before)
