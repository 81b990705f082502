"""Uploads go through Django's storage API only, so OS2hub runs on several machines with shared storage such as an
S3 bucket: the upload and download flows work on a storage with no local path and no public address
(tests/storage.py), downloads are still served by OS2hub's own permission-checked views, and the S3 settings
choose django-storages' S3 backend."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from os2hub.development import services as development_services
from os2hub.development.models import Attachment
from os2hub.products.models import Document, JoiningAgreement, Product
from os2hub.suppliers.models import SupplierApplication

from .files import PDF_BYTES, image_bytes, image_upload, pdf_upload
from .test_development_pages import World
from .test_partnership import complete

REPO = Path(__file__).resolve().parent.parent


def files_under(folder) -> set:
    return {p for p in Path(folder).rglob("*") if p.is_file()}


@pytest.fixture
def storage(settings):
    """Every upload goes to a fresh in-memory storage; nothing more may reach MEDIA_ROOT."""
    before = files_under(settings.MEDIA_ROOT)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.storage.MemoryStorage"}}
    store = storages["default"]
    assert default_storage.exists("-") is False and isinstance(default_storage._wrapped, type(store))
    yield store
    assert files_under(settings.MEDIA_ROOT) == before, "an upload went to the local file system"


@pytest.fixture
def product(people):
    return Product.objects.create(
        name="OS2mo", slug="os2mo", summary="Organisation og medarbejdere.", coordinator=people.authority_admin
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_partner_logo_and_agreement_are_stored_and_served_without_a_file_system(
    storage, people, login, client, django_capture_on_commit_callbacks
):
    applicant = login(people.new_supplier_admin)
    application = complete(applicant)
    logo, agreement = application.logo.name, application.agreement.name
    assert logo.startswith("logos/") and agreement.startswith("agreements/")
    assert {logo, agreement} <= set(storage.files)

    slug = application.organisation.slug
    response = applicant.get(reverse("suppliers:logo", args=[slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert body(response) == storage.files[logo]
    response = applicant.get(reverse("suppliers:agreement", args=[application.pk]))
    assert response.status_code == 200 and body(response) == PDF_BYTES
    # A new logo replaces the old one in the storage once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.post(reverse("suppliers:files"), {"logo": image_upload(fmt="JPEG")})
    assert response.status_code == 302
    application = SupplierApplication.objects.get(pk=application.pk)
    assert application.logo.name.endswith(".jpg") and logo not in storage.files
    response = applicant.get(reverse("suppliers:logo", args=[slug]))
    assert response["Content-Type"] == "image/jpeg" and body(response) == storage.files[application.logo.name]

    # Still private: an outsider is not served the draft's logo.
    client.logout()
    assert client.get(reverse("suppliers:logo", args=[slug])).status_code == 404


def test_a_product_document_is_uploaded_downloaded_and_deleted_without_a_file_system(
    storage, people, login, client, product, django_capture_on_commit_callbacks
):
    coordinator = login(people.authority_admin)
    coordinator.post(
        reverse("products:documents", args=[product.slug]), {"title": "Referat", "file": pdf_upload("x.pdf")}
    )
    document = Document.objects.get()
    name = document.file.name
    assert storage.files[name] == PDF_BYTES

    client.logout()
    response = client.get(reverse("products:document_download", args=[product.slug, document.pk]))
    assert response.status_code == 200 and body(response) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")

    with django_capture_on_commit_callbacks(execute=True):
        coordinator = login(people.authority_admin)
        coordinator.post(reverse("products:document_delete", args=[product.slug, document.pk]))
    assert not Document.objects.exists() and name not in storage.files


def test_a_request_attachment_is_stored_and_downloaded_without_a_file_system(storage, people, login, client):
    draft = World(people).request()
    author = login(people.authority_admin)
    author.post(
        f"/development-requests/{draft.pk}/attachments/",
        {"title": "Skitse", "file": image_upload(40, 30, name="skitse.png")},
    )
    attachment = Attachment.objects.get()
    assert storage.files[attachment.file.name] == image_bytes(40, 30)
    development_services.request_submit(request=draft, user=people.authority_admin)
    client.logout()
    response = client.get(f"/development-requests/{draft.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and body(response) == image_bytes(40, 30)


def test_a_joining_agreement_whose_file_is_gone_from_the_storage_is_not_found(storage, people, login, product):
    client = login(people.authority_admin)
    url = reverse("products:agreements", args=[product.slug])
    data = {"yearly_fee_dkk": "10.000", "one_off_fee_dkk": "0", "governance_percentage": "10"}
    data |= {"organisation": people.authority.pk, "starts_on": "2026-01-01", "document": pdf_upload()}
    assert client.post(url, data).status_code == 302
    agreement = JoiningAgreement.objects.get()
    download = reverse("products:agreement_document", args=[product.slug, agreement.pk])
    response = client.get(download)
    assert response.status_code == 200 and body(response) == PDF_BYTES

    # Another machine's storage lost the file (or it was never copied there): a 404, not a server error.
    storage.delete(agreement.document.name)
    assert client.get(download).status_code == 404


def _settings_in_subprocess(env: dict) -> dict:
    """Load the settings in a fresh interpreter with these environment variables and describe the storage."""
    script = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "class": type(storage).__module__ + "." + type(storage).__qualname__,
    "bucket": storage.bucket_name,
    "endpoint": storage.endpoint_url,
    "region": storage.region_name,
    "location": storage.location,
    "acl": storage.default_acl,
    "querystring_auth": storage.querystring_auth,
    "file_overwrite": storage.file_overwrite,
    "url": storage.url("logos/x.png"),
}))
"""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "AWS_"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "os2hub.settings", "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:", **env}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=clean, cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_s3_settings_store_uploads_privately_in_the_bucket():
    described = _settings_in_subprocess(
        {
            "S3_BUCKET": "os2hub-media",
            "S3_ENDPOINT_URL": "https://s3.os2hub.example",
            "S3_REGION": "eu-north-1",
            "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "S3_SECRET_ACCESS_KEY": "not-a-real-secret",
            "S3_PREFIX": "uploads",
        }
    )
    assert described["backend"] == "storages.backends.s3.S3Storage"
    assert described["class"] == "storages.backends.s3.S3Storage"
    assert (described["bucket"], described["endpoint"], described["region"]) == (
        "os2hub-media",
        "https://s3.os2hub.example",
        "eu-north-1",
    )
    assert described["location"] == "uploads"
    # Private objects, never overwritten; an address to one is signed and expires.
    assert described["acl"] is None and described["querystring_auth"] is True and described["file_overwrite"] is False
    assert described["url"].startswith("https://s3.os2hub.example/os2hub-media/uploads/logos/x.png?")
    assert "Signature=" in described["url"] and "Expires=" in described["url"]


def test_without_s3_settings_uploads_stay_in_media_root():
    described_backend = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.STORAGES['default']['BACKEND'])",
        ],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("S3_", "AWS_"))},
            "DJANGO_SETTINGS_MODULE": "os2hub.settings",
            "DEBUG": "1",
        },
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert described_backend == "django.core.files.storage.FileSystemStorage"
