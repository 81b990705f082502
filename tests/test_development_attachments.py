"""Attachments on development requests (pages and API) and setting where the work happens through the API: files
are judged by their content, served only as downloads, visible like the request, and changed only while it is a
draft by its requester (the secretariat may remove one at any time)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from os2hub.accounts.services import api_token_issue
from os2hub.development import services
from os2hub.development.attachments import MAX_ATTACHMENTS
from os2hub.development.models import Attachment

from .files import PDF_BYTES, image_bytes
from .test_development_pages import World

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML_AS_PNG = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def world(people):
    return World(people)


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def add(client, draft, title, file):
    return client.post(f"/development-requests/{draft.pk}/attachments/", {"title": title, "file": file})


def stored_files(settings):
    folder = settings.MEDIA_ROOT / "development-attachments"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- Pages ---------------------------------------------------------------------------------------------------


def test_the_requester_attaches_a_pdf_and_a_screenshot_to_the_draft_and_others_download_them(
    world, login, client, people, settings
):
    draft = world.request()
    author = login(people.authority_admin)
    response = add(author, draft, "Skitse af overblikket", upload("skitse.png", image_bytes(40, 30), "image/png"))
    assert response.status_code == 302 and response.url.endswith(f"/development-requests/{draft.pk}/edit/#attachments")
    add(author, draft, "Kravspecifikation", upload("krav.pdf", PDF_BYTES, "application/pdf"))
    sketch, spec = Attachment.objects.filter(request=draft).order_by("pk")
    assert (sketch.kind, spec.kind) == ("png", "pdf") and spec.size == len(PDF_BYTES)
    # Stored under random names with the detected extension, never the uploader's name.
    assert len(stored_files(settings)) == 2 and "krav.pdf" not in stored_files(settings)
    edit = author.get(f"/development-requests/{draft.pk}/edit/").content.decode()
    assert "Skitse af overblikket" in edit and f"/attachments/{spec.pk}/delete/" in edit

    # A draft's files are as private as the draft.
    client.logout()
    assert client.get(f"/development-requests/{draft.pk}/attachments/{spec.pk}/").status_code == 404
    services.request_submit(request=draft, user=people.authority_admin)
    response = client.get(f"/development-requests/{draft.pk}/attachments/{spec.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Kravspecifikation.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    page = client.get(f"/development-requests/{draft.pk}/").content.decode()
    assert f'href="/development-requests/{draft.pk}/attachments/{sketch.pk}/"' in page
    assert "/delete/" not in page  # a submitted request's files stay
    # An attachment id under another request is not found.
    other = world.submitted()
    assert client.get(f"/development-requests/{other.pk}/attachments/{spec.pk}/").status_code == 404


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("script.svg", SVG_WITH_SCRIPT, "PNG- eller JPEG-billede"),
        ("side.png", HTML_AS_PNG, "PNG- eller JPEG-billede"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100, "PNG- eller JPEG-billede"),
        ("tom.pdf", b"", "tom"),
    ],
)
def test_files_that_are_not_documents_or_pictures_are_refused_and_nothing_is_stored(
    world, login, people, settings, name, data, message
):
    draft = world.request()
    response = add(login(people.authority_admin), draft, "Bilag", upload(name, data))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(world, login, people, settings):
    settings.OS2HUB_MAX_DOCUMENT_BYTES = 1000
    draft = world.request()
    response = add(login(people.authority_admin), draft, "Stort billede", upload("stort.png", image_bytes(400, 400)))
    assert "større end grænsen" in response.content.decode() and not Attachment.objects.exists()


def test_a_request_takes_at_most_20_attachments(world, login, people, settings):
    draft = world.request()
    for n in range(MAX_ATTACHMENTS):
        Attachment.objects.create(request=draft, title=f"Bilag {n}", file=f"development-attachments/{n}.pdf", size=1)
    response = add(login(people.authority_admin), draft, "Ét til", upload("krav.pdf", PDF_BYTES))
    assert f"højst {MAX_ATTACHMENTS} bilag" in response.content.decode()
    assert Attachment.objects.count() == MAX_ATTACHMENTS and stored_files(settings) == []


def test_only_the_requesters_members_attach_and_only_to_a_draft(world, login, people, settings):
    draft = world.request()
    for stranger in (people.authority2_admin, people.supplier_admin):
        response = add(login(stranger), draft, "Bilag", upload("krav.pdf", PDF_BYTES))
        assert response.status_code == 404
    submitted = world.submitted()
    response = add(login(people.authority_admin), submitted, "Bilag", upload("krav.pdf", PDF_BYTES))
    assert response.status_code == 404
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_the_requester_removes_an_attachment_from_a_draft_and_the_secretariat_at_any_time(
    world, login, people, settings, django_capture_on_commit_callbacks
):
    draft = world.request()
    author = login(people.authority_admin)
    add(author, draft, "Første udkast", upload("krav.pdf", PDF_BYTES))
    add(author, draft, "Personfølsomt skærmbillede", upload("cpr.png", image_bytes(20, 20)))
    first, second = Attachment.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        author.post(f"/development-requests/{draft.pk}/attachments/{first.pk}/delete/")
    assert list(Attachment.objects.values_list("title", flat=True)) == ["Personfølsomt skærmbillede"]
    assert len(stored_files(settings)) == 1

    services.request_submit(request=draft, user=people.authority_admin)
    response = author.post(f"/development-requests/{draft.pk}/attachments/{second.pk}/delete/", follow=True)
    assert "mens ønsket er en kladde" in response.content.decode() and Attachment.objects.count() == 1
    assert login(people.authority2_admin).post(
        f"/development-requests/{draft.pk}/attachments/{second.pk}/delete/"
    ).status_code in (403, 404)
    assert Attachment.objects.count() == 1
    secretariat = login(people.secretariat)
    assert "/delete/" in secretariat.get(f"/development-requests/{draft.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(f"/development-requests/{draft.pk}/attachments/{second.pk}/delete/")
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_the_github_issue_links_the_attachments_with_their_titles_escaped(world, login, people, settings):
    settings.SITE_URL = "https://os2hub.example.dk"
    draft = world.request()
    add(login(people.authority_admin), draft, "Skitse [v2](javascript:x)", upload("s.png", image_bytes(20, 20)))
    attachment = Attachment.objects.get()
    body = login(people.authority_admin).get(f"/development-requests/{draft.pk}/github-issue.md").content.decode()
    assert "## Bilag" in body
    expected = (
        rf"- [Skitse \[v2\]\(javascript:x\)](https://os2hub.example.dk/development-requests/{draft.pk}/attachments/"
        f"{attachment.pk}/)"
    )
    assert expected in body


# --- API -----------------------------------------------------------------------------------------------------


def bearer(user):
    _token, raw = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_attaches_lists_and_removes_files(world, client, people, settings, django_capture_on_commit_callbacks):
    draft = world.request()
    me = bearer(people.authority_admin)
    url = f"/api/v1/development-requests/{draft.pk}/attachments"
    response = client.post(url, {"title": "Kravspecifikation", "file": upload("krav.pdf", PDF_BYTES)}, **me)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind"] == "pdf" and created["size"] == len(PDF_BYTES)
    assert created["url"] == f"/development-requests/{draft.pk}/attachments/{created['id']}/"
    listed = client.get(f"/api/v1/development-requests/{draft.pk}", **me).json()["attachments"]
    assert [a["title"] for a in listed] == ["Kravspecifikation"]

    refused = client.post(url, {"title": "Script", "file": upload("x.svg", SVG_WITH_SCRIPT)}, **me)
    assert refused.status_code == 400 and "PNG- eller JPEG-billede" in refused.json()["detail"]
    stranger = client.post(url, {"title": "X", "file": upload("k.pdf", PDF_BYTES)}, **bearer(people.supplier_admin))
    assert stranger.status_code == 404  # a draft is invisible to others
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{url}/{created['id']}", **me).status_code == 204
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_the_api_refuses_attachments_once_submitted(world, client, people, settings):
    submitted = world.submitted()
    url = f"/api/v1/development-requests/{submitted.pk}/attachments"
    response = client.post(url, {"title": "Sent", "file": upload("k.pdf", PDF_BYTES)}, **bearer(people.authority_admin))
    assert response.status_code == 409 and stored_files(settings) == []


def test_the_api_sets_where_the_work_happens(world, client, people):
    request = world.ordered()  # the chosen supplier keeps the links
    url = f"/api/v1/development-requests/{request.pk}/work-links"
    links = ["https://github.com/OS2mo/os2mo/issues/12", "OS2MO-123"]
    response = client.put(url, {"work_links": links}, content_type="application/json", **bearer(people.supplier_admin))
    assert response.status_code == 200 and response.json()["work_links"] == links
    request.refresh_from_db()
    assert request.work_links == links

    inside = client.put(
        url,
        {"work_links": ["https://127.0.0.1/admin"]},
        content_type="application/json",
        **bearer(people.supplier_admin),
    )
    assert inside.status_code == 400 and "127.0.0.1" in inside.json()["detail"]
    stranger = client.put(
        url, {"work_links": ["OS2MO-1"]}, content_type="application/json", **bearer(people.authority2_admin)
    )
    assert stranger.status_code == 403
    request.refresh_from_db()
    assert request.work_links == links
