"""A product's documents and wiki pages, through their URLs: who may change what, which files get in, and how
every edit is kept."""

import io
import os
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from os2hub.products import documents
from os2hub.products.models import Document, Group, GroupMember, Product, WikiPage, WikiRevision

from .files import PDF_BYTES

# --- Test files -------------------------------------------------------------------------------------------------


def zip_bytes(members: dict, *, prefix=b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            # ODF wants its mimetype first and uncompressed; harmless for the others.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return prefix + buf.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": b"<Relationships/>", "word/document.xml": b"<w:document/>"}
PPTX = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": b"<Relationships/>", "ppt/presentation.xml": b"<p/>"}
ODT = {
    "mimetype": b"application/vnd.oasis.opendocument.text",
    "content.xml": b"<office:document-content/>",
    "META-INF/manifest.xml": b"<manifest:manifest/>",
}


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    # The browser's content type is whatever the name suggests; the checks must not trust it.
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- Fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages are asserted in English, so that translating them into Danish does not break the tests."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def product(people):
    return Product.objects.create(
        name="OS2mo", slug="os2mo", summary="Organisation og medarbejdere.", coordinator=people.authority_admin
    )


@pytest.fixture
def groups(product, people):
    """Odense's admin is in the coordination group; the supplier's admin is in a professional group."""
    coordination = Group.objects.create(product=product, kind="coordination_group", name="Koordinationsgruppen")
    professional = Group.objects.create(product=product, kind="faggruppe", name="Faggruppe HR")
    GroupMember.objects.create(group=coordination, user=people.authority2_admin, role="member")
    GroupMember.objects.create(group=professional, user=people.supplier_admin, role="member")
    return coordination, professional


def post_document(client, product, data, name, title="Referat"):
    return client.post(reverse("products:documents", args=[product.slug]), {"title": title, "file": upload(data, name)})


def url(name, product, *args):
    return reverse(f"products:{name}", args=[product.slug, *args])


def new_page(client, product, title="Mødereferater", body="Første udgave.", group=None):
    target = url("wiki_new", product) + (f"?group={group.pk}" if group else "")
    return client.post(target, {"title": title, "body": body, "comment": "Oprettet"})


def edit_page(client, product, page, body, *, base=None, title=None, comment="Rettet"):
    if base is None:
        base = page.revisions.order_by("-pk").first().pk
    return client.post(
        url("wiki_edit", product, page.slug),
        {"title": title or page.title, "body": body, "comment": comment, "base_revision": base},
    )


# --- Documents --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, name, kind",
    [
        (PDF_BYTES, "referat.pdf", "pdf"),
        (zip_bytes(DOCX), "referat.docx", "docx"),
        (zip_bytes(PPTX), "oplaeg.pptx", "pptx"),
        (zip_bytes(ODT), "referat.odt", "odt"),
        # Judged by content: a correct document with a wrong name is stored under its real type.
        (zip_bytes(DOCX), "referat.pdf", "docx"),
    ],
)
def test_the_coordinator_uploads_each_allowed_type(people, login, product, data, name, kind):
    response = post_document(login(people.authority_admin), product, data, name, title="Referat fra mødet")
    assert response.status_code == 302
    document = Document.objects.get(product=product)
    assert (document.kind, document.title, document.size) == (kind, "Referat fra mødet", len(data))
    assert document.file.name.startswith("documents/") and document.file.name.endswith(f".{kind}")
    assert "referat" not in document.file.name and "oplaeg" not in document.file.name
    assert document.uploaded_by == people.authority_admin


def test_a_large_deck_that_the_server_spools_to_disk_is_stored(people, login, product):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE, Django hands the checks a temporary file instead of memory.
    data = zip_bytes(PPTX | {"ppt/media/image1.bin": os.urandom(3 * 1024 * 1024)})
    assert post_document(login(people.authority_admin), product, data, "stort.pptx").status_code == 302
    document = Document.objects.get()
    assert document.kind == "pptx" and document.size == len(data)
    with document.file.open("rb") as stored:
        assert stored.read() == data


def test_the_secretariat_uploads_too(people, login, product):
    assert post_document(login(people.secretariat), product, PDF_BYTES, "a.pdf").status_code == 302
    assert product.documents.count() == 1


def many_members(n) -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"} | {f"f{i}": b"" for i in range(n)}
    )


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "referat.pdf", "must be a PDF, Word"),
        (b"", "tom.pdf", "The submitted file is empty"),
        (zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "hello.txt": b"hi"}), "referat.docx", "must be a PDF"),
        (zip_bytes({"word/document.xml": b"<w/>"}), "referat.docx", "must be a PDF"),
        (zip_bytes({**ODT, "mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "ark.odt", "must be"),
        (zip_bytes(DOCX | {"word/vbaProject.bin": b"macro"}), "makro.docx", "macros"),
        # An archive glued to the end of a program (a self-extracting .exe) is not a document.
        (zip_bytes(DOCX, prefix=b"MZ" + b"\x00" * 100), "referat.docx", "must be a PDF"),
        (b"PK\x03\x04 not really an archive", "referat.docx", "must be a PDF"),
        (many_members(documents.MAX_ZIP_MEMBERS + 1), "bombe.docx", "more than 2000 parts"),
        (b"<html><script>alert(1)</script></html>", "referat.pdf", "must be a PDF"),
    ],
    ids=[
        "renamed-exe",
        "empty",
        "zip-without-document",
        "zip-without-content-types",
        "ods-as-odt",
        "macros",
        "self-extracting",
        "broken-zip",
        "member-count-bomb",
        "html",
    ],
)
def test_it_refuses_files_that_are_not_allowed_documents(people, login, product, data, name, message):
    response = post_document(login(people.authority_admin), product, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not product.documents.exists()
    assert not default_storage.exists("documents") or default_storage.listdir("documents") == ([], [])


def test_it_refuses_an_archive_that_expands_too_much(people, login, product, monkeypatch):
    # A zip bomb by size: 3 MB of zeros compress to a few kilobytes. The limit is lowered so the test stays fast.
    monkeypatch.setattr(documents, "MAX_ZIP_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    data = zip_bytes(DOCX | {"word/media/zeros.bin": b"\x00" * (3 * 1024 * 1024)})
    assert len(data) < 20_000
    response = post_document(login(people.authority_admin), product, data, "bombe.docx")
    assert response.status_code == 200
    assert "expands to more than" in response.content.decode()
    assert not product.documents.exists()


def test_it_refuses_a_file_over_the_size_limit(people, login, product, settings):
    settings.OS2HUB_MAX_DOCUMENT_BYTES = 1024
    response = post_document(login(people.authority_admin), product, PDF_BYTES + b"%" * 2000, "stor.pdf")
    assert response.status_code == 200
    assert "larger than the limit" in response.content.decode()
    assert not product.documents.exists()


def test_a_document_is_always_downloaded_never_shown(people, login, client, product):
    data = zip_bytes(DOCX)
    post_document(login(people.authority_admin), product, data, "x.docx", title='Referat "maj"/2026')
    document = Document.objects.get()
    client.logout()
    response = client.get(url("document_download", product, document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == Document.KINDS["docx"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Referat -maj--2026.docx"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == data


def test_a_danish_title_becomes_a_utf8_file_name(people, login, product):
    client = login(people.authority_admin)
    post_document(client, product, PDF_BYTES, "x.pdf", title="Årsrapport for Økonomi")
    response = client.get(url("document_download", product, Document.objects.get().pk))
    assert "filename*=utf-8''%C3%85rsrapport%20for%20%C3%98konomi.pdf" in response["Content-Disposition"]


def test_a_document_of_another_product_is_not_found(people, login, product):
    other = Product.objects.create(name="OS2kitos", slug="os2kitos", summary="IT-systemer.")
    post_document(login(people.authority_admin), product, PDF_BYTES, "x.pdf")
    document = Document.objects.get()
    assert login(people.secretariat).get(url("document_download", other, document.pk)).status_code == 404


def test_everyone_sees_the_documents_and_only_editors_the_upload_form(people, login, client, product):
    post_document(login(people.authority_admin), product, PDF_BYTES, "x.pdf", title="Styregruppereferat")
    page = login(people.authority_admin).get(url("documents", product))
    assert 'enctype="multipart/form-data"' in page.content.decode()
    client.logout()
    page = client.get(url("documents", product))
    assert page.status_code == 200
    assert "Styregruppereferat" in page.content.decode()
    assert 'enctype="multipart/form-data"' not in page.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "authority2_admin", "supplier_admin"])
def test_others_cannot_upload_or_delete_documents(people, login, product, groups, persona):
    post_document(login(people.authority_admin), product, PDF_BYTES, "x.pdf")
    document = Document.objects.get()
    client = login(getattr(people, persona))  # group members included: documents belong to the coordinator
    assert post_document(client, product, PDF_BYTES, "y.pdf").status_code == 404
    assert client.post(url("document_delete", product, document.pk)).status_code == 404
    assert product.documents.count() == 1


def test_the_coordinator_deletes_a_document_and_its_file(people, login, product, django_capture_on_commit_callbacks):
    client = login(people.authority_admin)
    post_document(client, product, PDF_BYTES, "x.pdf")
    document = Document.objects.get()
    assert default_storage.exists(document.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("document_delete", product, document.pk))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not default_storage.exists(document.file.name)
    assert client.get(url("document_delete", product, document.pk)).status_code == 405


# --- Wiki: creating and permissions ----------------------------------------------------------------------------


def test_the_coordinator_creates_a_product_page_with_a_danish_slug(people, login, product):
    response = new_page(login(people.authority_admin), product, title="Møder på Åbent Hus")
    page = WikiPage.objects.get()
    assert response.status_code == 302 and response["Location"] == url("wiki_page", product, page.slug)
    assert page.slug == "moeder-paa-aabent-hus"
    assert page.group is None
    revision = page.revisions.get()
    assert (revision.author, revision.comment, revision.body) == (people.authority_admin, "Oprettet", "Første udgave.")


def test_slugs_are_unique_per_product_and_never_clash_with_the_new_page_address(people, login, product):
    client = login(people.secretariat)
    new_page(client, product, title="Referater")
    new_page(client, product, title="Referater")
    new_page(client, product, title="New")
    new_page(client, product, title="!!!")
    assert sorted(WikiPage.objects.values_list("slug", flat=True)) == ["new-2", "referater", "referater-2", "side"]
    assert client.get(url("wiki_page", product, "new-2")).status_code == 200


def test_everyone_reads_the_wiki(people, login, client, product, groups):
    new_page(login(people.authority_admin), product, title="Vejledning", body="Sådan **starter** du.")
    new_page(login(people.authority2_admin), product, title="Mødeplan", group=groups[0])
    client.logout()
    index = client.get(url("wiki", product)).content.decode()
    assert "Vejledning" in index and "Mødeplan" in index and "Koordinationsgruppen" in index
    assert url("wiki_new", product) not in index
    page = client.get(url("wiki_page", product, "vejledning"))
    assert page.status_code == 200
    assert "Sådan <strong>starter</strong> du." in page.content.decode()
    assert url("wiki_edit", product, "vejledning") not in page.content.decode()
    assert client.get(url("wiki_history", product, "vejledning")).status_code == 200


def test_a_group_member_edits_only_their_groups_pages(people, login, product, groups):
    coordination, professional = groups
    new_page(login(people.authority_admin), product, title="Produktside")
    new_page(login(people.supplier_admin), product, title="Faggruppens side", group=professional)
    member = login(people.authority2_admin)

    assert new_page(member, product, title="Dagsorden", group=coordination).status_code == 302
    own = WikiPage.objects.get(slug="dagsorden")
    assert own.group == coordination
    assert edit_page(member, product, own, "Ny tekst").status_code == 302

    assert member.get(url("wiki_new", product) + f"?group={professional.pk}").status_code == 404
    assert new_page(member, product, title="Snyd", group=professional).status_code == 404
    assert new_page(member, product, title="Snyd").status_code == 404
    for slug in ("produktside", "faggruppens-side"):
        page = WikiPage.objects.get(slug=slug)
        assert member.get(url("wiki_edit", product, slug)).status_code == 404
        assert edit_page(member, product, page, "Overskrevet").status_code == 404
        assert member.post(url("wiki_revert", product, slug, page.revisions.get().pk)).status_code == 404
    assert not WikiPage.objects.filter(body="Overskrevet").exists()
    assert not WikiPage.objects.filter(title="Snyd").exists()

    index = member.get(url("wiki", product)).content.decode()
    assert f"?group={coordination.pk}" in index and f"?group={professional.pk}" not in index


def test_the_coordinator_and_the_secretariat_edit_every_groups_pages(people, login, product, groups):
    new_page(login(people.supplier_admin), product, title="Faggruppens side", group=groups[1])
    page = WikiPage.objects.get()
    for persona in (people.authority_admin, people.secretariat):
        assert edit_page(login(persona), product, page, f"Rettet af {persona.email}").status_code == 302
    assert page.revisions.count() == 3


def test_a_group_of_another_product_cannot_be_used(people, login, product):
    other = Product.objects.create(name="OS2kitos", slug="os2kitos", summary="IT-systemer.")
    foreign = Group.objects.create(product=other, kind="coordination_group", name="Fremmed gruppe")
    client = login(people.secretariat)
    assert new_page(client, product, group=foreign).status_code == 404
    assert client.get(url("wiki_new", product) + "?group=abc").status_code == 404
    assert not WikiPage.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "authority2_admin", "supplier_admin"])
def test_outsiders_get_404_when_they_try_to_edit(people, login, product, persona):
    new_page(login(people.authority_admin), product, title="Vejledning")
    page = WikiPage.objects.get()
    client = login(getattr(people, persona))
    assert client.get(url("wiki_new", product)).status_code == 404
    assert client.get(url("wiki_edit", product, page.slug)).status_code == 404
    assert edit_page(client, product, page, "Hacket").status_code == 404
    assert client.post(url("wiki_revert", product, page.slug, page.revisions.get().pk)).status_code == 404
    page.refresh_from_db()
    assert page.body == "Første udgave." and page.revisions.count() == 1


def test_anonymous_editors_are_sent_to_log_in(client, product, people, login):
    new_page(login(people.authority_admin), product, title="Vejledning")
    client.logout()
    response = client.get(url("wiki_edit", product, "vejledning"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert client.post(url("wiki_new", product), {"title": "X", "body": "Y"}).status_code == 302
    assert WikiPage.objects.count() == 1


# --- Wiki: history, diff, revert, conflicts ---------------------------------------------------------------------


def test_every_edit_is_kept_and_the_history_shows_who_did_what(people, login, product, groups):
    new_page(login(people.authority_admin), product, title="Vejledning", body="Linje 1\nLinje 2\nLinje 3")
    page = WikiPage.objects.get()
    edit_page(login(people.secretariat), product, page, "Linje 1\nLinje to\nLinje 3\nLinje 4", comment="Tal")
    page.refresh_from_db()
    assert page.body == "Linje 1\nLinje to\nLinje 3\nLinje 4"
    revisions = list(page.revisions.order_by("pk"))
    assert [r.author for r in revisions] == [people.authority_admin, people.secretariat]
    assert [r.comment for r in revisions] == ["Oprettet", "Tal"]

    history = login(people.outsider).get(url("wiki_history", product, page.slug)).content.decode()
    assert "Kommune Karlsen" in history and "Sekretær Sørensen" in history and "Tal" in history
    assert url("wiki_diff", product, page.slug, revisions[0].pk) in history
    assert url("wiki_revert", product, page.slug, revisions[0].pk) not in history  # not an editor

    diff = login(people.outsider).get(url("wiki_diff", product, page.slug, revisions[1].pk)).content.decode()
    assert "<del>Linje 2</del>" in diff
    assert "<ins>Linje to</ins>" in diff and "<ins>Linje 4</ins>" in diff
    first = login(people.outsider).get(url("wiki_diff", product, page.slug, revisions[0].pk)).content.decode()
    assert "<ins>Linje 1</ins>" in first


def test_revert_saves_the_old_text_as_a_new_revision(people, login, product):
    client = login(people.authority_admin)
    new_page(client, product, title="Vejledning", body="Den gode tekst")
    page = WikiPage.objects.get()
    first = page.revisions.get()
    edit_page(client, product, page, "Ødelagt tekst", title="Forkert titel")
    history = client.get(url("wiki_history", product, page.slug)).content.decode()
    assert url("wiki_revert", product, page.slug, first.pk) in history

    response = client.post(url("wiki_revert", product, page.slug, first.pk))
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body, page.slug) == ("Vejledning", "Den gode tekst", "vejledning")
    assert page.revisions.count() == 3
    newest = page.revisions.order_by("-pk").first()
    assert newest.body == "Den gode tekst" and newest.author == people.authority_admin
    assert newest.comment.startswith("Reverted to the version of")
    assert client.get(url("wiki_revert", product, page.slug, first.pk)).status_code == 405


def test_a_revision_of_another_page_cannot_be_reverted_to(people, login, product):
    client = login(people.authority_admin)
    new_page(client, product, title="En", body="Side en")
    new_page(client, product, title="To", body="Side to")
    other = WikiRevision.objects.get(page__slug="to")
    assert client.post(url("wiki_revert", product, "en", other.pk)).status_code == 404
    assert client.get(url("wiki_diff", product, "en", other.pk)).status_code == 404
    assert WikiPage.objects.get(slug="en").body == "Side en"


def test_a_stale_edit_is_refused_instead_of_overwriting(people, login, product, groups):
    new_page(login(people.authority_admin), product, title="Mødeplan", body="Møde mandag", group=groups[0])
    page = WikiPage.objects.get()
    base = page.revisions.get().pk
    form = login(people.authority2_admin).get(url("wiki_edit", product, page.slug)).content.decode()
    assert f'name="base_revision" value="{base}"' in form

    edit_page(login(people.secretariat), product, page, "Møde tirsdag", base=base)
    response = edit_page(login(people.authority2_admin), product, page, "Møde onsdag", base=base)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed the page" in body
    assert "Møde onsdag" in body  # the editor's text is kept in the form
    assert "<del>Møde tirsdag</del>" in body and "<ins>Møde onsdag</ins>" in body
    page.refresh_from_db()
    assert page.body == "Møde tirsdag" and page.revisions.count() == 2

    latest = page.revisions.order_by("-pk").first().pk
    assert f'name="base_revision" value="{latest}"' in body
    # Having seen the other version, saving again is a deliberate choice.
    assert edit_page(login(people.authority2_admin), product, page, "Møde onsdag", base=latest).status_code == 302
    page.refresh_from_db()
    assert page.body == "Møde onsdag" and page.revisions.count() == 3


def test_an_edit_without_a_base_revision_is_refused(people, login, product):
    client = login(people.authority_admin)
    new_page(client, product, title="Vejledning")
    response = client.post(url("wiki_edit", product, "vejledning"), {"title": "Vejledning", "body": "Ny"})
    assert response.status_code == 200
    assert WikiPage.objects.get().body == "Første udgave."


def test_markdown_is_sanitised_and_diffs_are_escaped(people, login, product):
    client = login(people.authority_admin)
    hostile = '<script>alert("x")</script>\n\n[klik](javascript:alert(1))\n\n<img src=x onerror=alert(1)>'
    new_page(client, product, title="<b>Titel</b>", body=hostile)
    page = WikiPage.objects.get()
    shown = client.get(url("wiki_page", product, page.slug)).content.decode()
    assert "<script>alert" not in shown and 'href="javascript:' not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown  # shown as text, harmlessly
    assert "<b>Titel</b>" not in shown and "&lt;b&gt;Titel&lt;/b&gt;" in shown
    diff = client.get(url("wiki_diff", product, page.slug, page.revisions.get().pk)).content.decode()
    assert "<script>alert" not in diff and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in diff
    assert "<img src=x" not in diff


def test_it_refuses_a_multi_line_title(people, login, product):
    response = new_page(login(people.authority_admin), product, title="En\nTo")
    assert response.status_code == 200
    assert not WikiPage.objects.exists()


# --- The product page and query budgets -------------------------------------------------------------------------


def test_the_product_page_lists_documents_and_wiki_pages(people, login, client, product, groups):
    post_document(login(people.authority_admin), product, PDF_BYTES, "x.pdf", title="Kommissorium")
    new_page(login(people.authority_admin), product, title="Vejledning")
    new_page(login(people.authority2_admin), product, title="Mødeplan", group=groups[0])
    client.logout()
    body = client.get(reverse("products:detail", args=[product.slug])).content.decode()
    assert "Kommissorium" in body and url("document_download", product, Document.objects.get().pk) in body
    assert url("wiki_page", product, "vejledning") in body and url("wiki_page", product, "moedeplan") in body
    assert url("wiki_new", product) not in body
    as_editor = login(people.authority_admin).get(reverse("products:detail", args=[product.slug])).content.decode()
    assert url("wiki_new", product) in as_editor and url("documents", product) in as_editor


def test_the_wiki_index_and_document_list_use_a_constant_number_of_queries(
    people, login, product, groups, django_assert_max_num_queries
):
    editor = login(people.secretariat)
    for n in range(15):
        new_page(editor, product, title=f"Side {n}", group=groups[n % 2] if n % 3 else None)
    for n in range(10):
        Document.objects.create(product=product, title=f"Dok {n}", file=f"documents/{n}.pdf", kind="pdf", size=10)
    client = login(people.authority2_admin)
    with django_assert_max_num_queries(10):
        assert client.get(url("wiki", product)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("documents", product)).status_code == 200
