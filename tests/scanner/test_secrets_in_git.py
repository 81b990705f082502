"""In a git checkout the secrets check asks `git grep` which tracked files hold a hint, then runs the patterns on
those: it must find what reading every file finds."""

from os2hub.scanner.checks import run_checks
from os2hub.scanner.repository import Repository

from .test_find import build

# Built at run time, so that OS2hub's own scan does not find them in this file.
KEY = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEow\n-----END RSA " + "PRIVATE KEY-----\n"
AWS = "AKIA" + "ABCDEFGHIJKLMNOP"


def secrets_of(root):
    (finding,) = run_checks(Repository(root), only={"secrets"})
    return finding


def test_git_grep_finds_the_same_files_as_reading_them_all(tmp_path, monkeypatch):
    files = {f"src/m{n}.py": "x = 1\n" for n in range(50)}
    files |= {"deploy/id_rsa": KEY, "config/settings.py": f"# noise\nAWS = '{AWS}'\n", "docs/ASIA.md": "# ASIA\n"}
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    build(tmp_path, [])
    with_grep = secrets_of(tmp_path)
    monkeypatch.setattr("os2hub.scanner.checks._secret_candidates", lambda repo: None)
    without = secrets_of(tmp_path)
    assert with_grep.outcome == without.outcome == "fail"
    assert with_grep.evidence == without.evidence
    assert {(e.path, e.line) for e in with_grep.evidence} == {("config/settings.py", 2), ("deploy/id_rsa", 1)}
    assert with_grep.details["kinds"] == ["AWS access key", "private key"]


def test_a_clean_checkout_passes_and_untracked_files_are_not_the_repository(tmp_path):
    build(tmp_path, ["README.md", "src/app.py"])
    (tmp_path / "local-notes.txt").write_text(KEY)  # not tracked: not part of what is published
    assert secrets_of(tmp_path).outcome == "pass"
