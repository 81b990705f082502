"""A product's documents: PDF, DOCX, PPTX and ODT files, checked by content, stored under random names and
served as downloads only.

Uploads are untrusted. The type is judged from the bytes, never from the name or the browser's content type:
a PDF starts with `%PDF-`; DOCX, PPTX and ODT are ZIP archives whose members say what they are. Archives are
inspected without extracting anything, and refused if they could expand into a zip bomb.
"""

import struct
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from os2hub.core.text import check_text

from .getters import can_edit_product
from .models import Document

DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# A real DOCX or PPTX has tens to a few hundred members and expands to a few times its size; these limits leave
# room for big decks full of pictures while refusing archives built to exhaust memory or disk when opened.
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# The central directory of 2,000 members with generous names; a larger one is read into memory by zipfile
# before we could count its members, so it is refused from the end record alone.
MAX_ZIP_DIRECTORY_BYTES = MAX_ZIP_MEMBERS * 1024

ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
END_OF_DIRECTORY = b"PK\x05\x06"
END_OF_DIRECTORY_FORMAT = "<4s4H2LH"  # signature, disks, entries here, entries in total, size, offset, comment
END_OF_DIRECTORY_SIZE = struct.calcsize(END_OF_DIRECTORY_FORMAT)


def max_document_bytes() -> int:
    return getattr(settings, "OS2HUB_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)


def _not_a_document() -> ValidationError:
    return ValidationError(
        _("The file must be a PDF, Word (DOCX), PowerPoint (PPTX) or OpenDocument text (ODT)."), code="not_a_document"
    )


def _too_big_archive() -> ValidationError:
    return ValidationError(
        _("The document contains more than %(members)s parts or expands to more than %(size)s, which is not allowed.")
        % {"members": MAX_ZIP_MEMBERS, "size": filesizeformat(MAX_ZIP_UNCOMPRESSED_BYTES)}
    )


def _check_zip_directory_size(upload) -> None:
    """Read the archive's end record ourselves: it states the number of members and the size of the directory,
    so an archive with hundreds of thousands of members is refused before zipfile builds an object for each."""
    upload.seek(0, 2)
    length = upload.tell()
    tail_length = min(length, END_OF_DIRECTORY_SIZE + 0xFFFF)  # the record plus the longest possible comment
    upload.seek(length - tail_length)
    tail = upload.read(tail_length)
    upload.seek(0)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or at + END_OF_DIRECTORY_SIZE > len(tail):
        raise _not_a_document()
    _sig, _disk, _cd_disk, _here, members, directory_size, _offset, _comment = struct.unpack(
        END_OF_DIRECTORY_FORMAT, tail[at : at + END_OF_DIRECTORY_SIZE]
    )
    # 0xFFFF and 0xFFFFFFFF mean "see the ZIP64 record": only archives far beyond our limits need ZIP64.
    if members > MAX_ZIP_MEMBERS or directory_size > MAX_ZIP_DIRECTORY_BYTES:
        raise _too_big_archive()


def _zip_kind(upload) -> str:
    _check_zip_directory_size(upload)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise _too_big_archive()
            # The sizes are what the archive declares; nothing is decompressed here, so a lie costs nothing now,
            # and anyone who opens the file later gets an archive that claims to be small.
            if sum(m.file_size for m in members) > MAX_ZIP_UNCOMPRESSED_BYTES:
                raise _too_big_archive()
            names = {m.filename for m in members}
            if "[Content_Types].xml" in names and ("word/document.xml" in names or "ppt/presentation.xml" in names):
                # vbaProject.bin holds macros: such a file is really a .docm or .pptm, which we do not share.
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise ValidationError(_("Documents with macros are not allowed."))
                return "docx" if "word/document.xml" in names else "pptx"
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as member:
                    # Read a bounded amount: the member's declared size cannot make us decompress more.
                    mimetype = member.read(len(ODT_MIMETYPE) + 1).strip()
                if mimetype == ODT_MIMETYPE:
                    return "odt"
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
            ValueError):  # fmt: skip
        # Damaged, encrypted or using a compression method Python cannot read.
        raise _not_a_document() from None
    finally:
        upload.seek(0)
    raise _not_a_document()


def check_document(upload) -> str:
    """Accept a PDF, DOCX, PPTX or ODT file, judged by its content. Returns its kind (a key of Document.KINDS),
    which is also the extension it is stored under. Raises ValidationError with a message for the uploader."""
    limit = max_document_bytes()
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(_("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    # ZIP readers find an archive from its end, so a program with an archive appended (a self-extracting .exe)
    # would pass the member checks: a document must also start like an archive.
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(upload)
    raise _not_a_document()


def download_name(document) -> str:
    """The file name a download is saved under: the title people gave it, without characters that would break
    a header or a file system, and the extension of the detected type."""
    name = "".join(
        "-" if ch in '/\\:*?"<>|' else ch for ch in document.title if not unicodedata.category(ch).startswith("C")
    )
    name = " ".join(name.split()).strip(" .")[:150] or _("document")
    return f"{name}.{document.kind}"


def download_response(stored, *, filename: str, content_type: str) -> FileResponse:
    """An uploaded file (a product document, a request's attachment) as a download with the type we detected: a
    browser never renders an uploaded file inside OS2hub. 404 when the file is gone from storage."""
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def get_document(product, pk) -> Document:
    """Documents are public, like the product: the lookup only makes sure the document belongs to it."""
    document = Document.objects.filter(product=product, pk=pk).first()
    if document is None:
        raise Http404
    return document


def document_upload(*, product, user, title: str, upload) -> Document:
    """Check an upload and store it under a random name with the extension of its detected type."""
    if not can_edit_product(user, product):
        raise PermissionDenied
    try:
        kind = check_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    check_text({"title": title}, single_line=("title",))
    document = Document(product=product, title=title.strip(), kind=kind, size=upload.size, uploaded_by=user)
    upload.seek(0)
    document.file.save(f"{get_random_string(24)}.{kind}", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        default_storage.delete(document.file.name)
        raise
    return document


def document_delete(*, document: Document, user) -> None:
    if not can_edit_product(user, document.product):
        raise PermissionDenied
    name = document.file.name
    with transaction.atomic():
        document.delete()
        # The file goes only once the row is gone for good; a rolled-back delete keeps a working download.
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))
