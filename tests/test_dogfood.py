"""OS2hub's own repository passes every check of its scanner that applies to it (issue 5, dogfooding)."""

import subprocess
from pathlib import Path

import pytest

from os2hub.scanner.checks import run_checks
from os2hub.scanner.repository import Repository

ROOT = Path(__file__).resolve().parent.parent


def test_os2hub_passes_its_own_scanner():
    inside = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "rev-parse", "--is-inside-work-tree"],  # noqa: S607
        capture_output=True,
        text=True,
    )
    if inside.returncode != 0:
        pytest.skip("not a git checkout")
    findings = run_checks(Repository(ROOT))
    failing = {f.check: f.message for f in findings if f.outcome in ("fail", "error")}
    assert failing == {}
    assert sum(1 for f in findings if f.outcome == "pass") >= len(findings) - 1
