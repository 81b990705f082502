"""Danish is the default language: its catalogue must be complete and compile."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "os2hub" / "locale" / "da" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_the_danish_catalogue_has_no_missing_or_fuzzy_strings(flag):
    out = subprocess.run(["msgattrib", flag, "--no-wrap", str(PO)], capture_output=True, text=True, check=True)  # noqa: S603, S607
    entries = [line for line in out.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert entries == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_the_compiled_catalogue_matches_its_source(tmp_path):
    """`make messages` was run after the last change to the .po file (the .mo is what Django reads)."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)  # noqa: S603, S607
    assert fresh.read_bytes() == PO.with_suffix(".mo").read_bytes()


def test_pages_are_in_danish_by_default(db):
    body = Client().get("/leverandoerer/").content.decode()
    assert "Leverandørpartnere" in body


def test_status_labels_are_translated():
    from os2hub.suppliers.models import SupplierApplication

    with translation.override("da"):
        assert str(SupplierApplication.Status.CHANGES_REQUESTED.label) != "Changes requested"
