"""Repositories for scan tests: small git repositories built in a temporary folder, served to OS2hub as if
they lived on github.com. Name resolution and the clone are replaced (the machine has no internet); the
target check, the scanner, the task and everything after them are the real ones."""

import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from os2hub.scanner.targets import TargetError

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Udvikler",
    "GIT_AUTHOR_EMAIL": "udvikler@aarhus.dk",
    "GIT_COMMITTER_NAME": "Udvikler",
    "GIT_COMMITTER_EMAIL": "udvikler@aarhus.dk",
    "GIT_CONFIG_NOSYSTEM": "1",
    "PATH": "/usr/bin:/bin",
}

# A repository that does most things right, the OS2 way: Danish README with a purpose section, MPL licence,
# a Dockerfile, CI, tests, documentation in docs/.
GOOD = {
    "README.md": "# OS2eksempel\n\n## Formål\n\nLøsningen hjælper kommunerne med at dele viden.\n",
    "LICENSE": "Mozilla Public License Version 2.0\n==================================\n\n1. Definitions\n",
    "Dockerfile": "FROM python:3.11-slim\n",
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
    "tests/test_app.py": "def test_it():\n    assert True\n",
    "docs/drift.md": "# Drift\n\nSådan drives løsningen.\n",
}


def run_git(root: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(root), *args],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        env={**GIT_ENV, "HOME": str(root), **(env or {})},
    ).stdout.strip()


def make_repo(root: Path, files: dict[str, str], message: str = "Første version (#1)") -> str:
    """Write the files and commit them (initialising the repository on first use); returns the commit."""
    root.mkdir(parents=True, exist_ok=True)
    if not (root / ".git").exists():
        run_git(root, "init", "-q", "-b", "main")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "--allow-empty", "-m", message)
    return run_git(root, "rev-parse", "HEAD")


class ScanSources:
    """address -> local repository. Addresses not registered fail to clone, as an unknown repository does."""

    def __init__(self, base: Path):
        self.base = base
        self.repos: dict[str, Path] = {}
        self.clones = 0

    def add(self, url: str, files: dict[str, str] | None = None) -> Path:
        root = self.base / f"repo{len(self.repos)}"
        make_repo(root, GOOD if files is None else files)
        self.repos[url.rstrip("/")] = root
        return root

    def resolve(self, host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("140.82.121.4", port))]

    def clone(self, target, **kwargs) -> Path:
        self.clones += 1
        source = self.repos.get(target.url.rstrip("/"))
        if source is None:
            raise TargetError("The repository could not be fetched: repository not found.")
        base = Path(tempfile.mkdtemp(prefix="os2hub-test-scan-"))
        dest = base / "checkout"
        try:
            subprocess.run(  # noqa: S603
                ["git", "clone", "-q", "--no-local", str(source), str(dest)],  # noqa: S607
                check=True,
                capture_output=True,
                env={**GIT_ENV, "HOME": str(base)},
            )
        except subprocess.CalledProcessError:
            shutil.rmtree(base, ignore_errors=True)
            raise
        return dest

    def install(self, monkeypatch) -> "ScanSources":
        monkeypatch.setattr("os2hub.scans.services._resolve", self.resolve)
        monkeypatch.setattr("os2hub.scanner.cli.clone", self.clone)
        return self
