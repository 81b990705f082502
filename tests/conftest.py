import shutil

import pytest

from .personas import PASSWORD, Personas


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def people(db):
    return Personas()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that persona and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def scan_sources(monkeypatch, tmp_path):
    """Repositories served as if from github.com: scan_sources.add(url, files) (files default: a good one)."""
    from .scan_sources import ScanSources

    return ScanSources(tmp_path / "repositories").install(monkeypatch)


@pytest.fixture
def product(people):
    """OS2mo, coordinated by the authority admin, with one repository (tests that need another product define
    their own `product`)."""
    from os2hub.products.models import Product

    p = Product.objects.create(
        name="OS2mo",
        slug="os2mo",
        summary="Medarbejdere og organisation",
        purpose="Overblik over organisationen.",
        status="product",
        licence="MPL-2.0",
        coordinator=people.authority_admin,
    )
    p.repositories.create(url="https://github.com/OS2mo/os2mo")
    return p
