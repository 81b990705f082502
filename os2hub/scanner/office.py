"""What an office document or a PDF calls itself, for the documentation checks: "SOFD Core - Batchkørsler.docx"
is judged by its title as well as its name. Files in a repository are untrusted, so nothing is unpacked or parsed
whole: the metadata of a zip-based document is read when it is small, the body of a .docx/.odt only for its first
heading and only its first half megabyte, and of a PDF only the first and last 64 KiB. Whatever is broken,
fake or hostile gives "" (no title), never an exception."""

import html
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

MAX_META_BYTES = 256 * 1024
MAX_BODY_BYTES = 512 * 1024
BODY_CHUNK = 64 * 1024
PDF_WINDOW = 64 * 1024
MAX_TITLE = 300

PROBLEMS = (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ElementTree.ParseError,
            ValueError, RuntimeError, NotImplementedError, KeyError, UnicodeError)  # fmt: skip

WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
# Paragraph styles of a title or a heading in Word, English and Danish style ids ("Overskrift1", "Titel").
WORD_HEADING_STYLE = re.compile(r"^(title|titel|heading\d|overskrift\d)$", re.IGNORECASE)


def title(path: Path) -> str:
    """The title of the document at `path` (an ordinary file the caller has checked), or ""."""
    try:
        if path.name.lower().endswith(".pdf"):
            return pdf_title(path)
        return _zip_title(path)
    except PROBLEMS:
        return ""


def _clean(text: str) -> str:
    text = " ".join(text.split())
    if any(ord(ch) < 32 for ch in text) or text.count("\ufffd") > len(text) // 4:
        return ""  # binary (an encrypted PDF's string), not a title
    return text[:MAX_TITLE]


# --- Zip-based documents: docx/pptx/xlsx (docProps/core.xml), odt/odp/ods (meta.xml) ------------------------


def _zip_title(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        for name in ("docProps/core.xml", "meta.xml"):
            try:
                info = archive.getinfo(name)
            except KeyError:
                continue
            if info.file_size > MAX_META_BYTES:
                return ""
            root = ElementTree.fromstring(archive.read(info))  # noqa: S314 - size-limited metadata
            for element in root.iter():
                if element.tag.endswith("}title") and (element.text or "").strip():
                    return _clean(element.text)
        # No title in the metadata (Word leaves it empty unless someone fills it in): the first heading.
        lower = path.name.lower()
        if lower.endswith(".docx"):
            return _first_heading(archive, "word/document.xml", _word_heading)
        if lower.endswith(".odt"):
            return _first_heading(archive, "content.xml", _odf_heading)
    return ""


def _word_heading(element) -> str | None:
    if element.tag != f"{WORD}p":
        return None
    style = element.find(f"{WORD}pPr/{WORD}pStyle")
    if style is None or not WORD_HEADING_STYLE.match(style.get(f"{WORD}val", "")):
        return None
    return "".join(t.text or "" for t in element.iter(f"{WORD}t"))


def _odf_heading(element) -> str | None:
    if element.tag != f"{ODF_TEXT}h":
        return None
    return "".join(element.itertext())


def _first_heading(archive: zipfile.ZipFile, name: str, heading) -> str:
    """The first heading of the document's body, read in chunks by an incremental parser that stops at the
    first heading or after MAX_BODY_BYTES; a body with a document type declaration (entities) is not read."""
    try:
        stream = archive.open(name)
    except KeyError:
        return ""
    parser = ElementTree.XMLPullParser(events=("end",))
    read, previous = 0, b""
    with stream:
        while read < MAX_BODY_BYTES:
            chunk = stream.read(BODY_CHUNK)
            seen = previous[-16:] + chunk  # a declaration split between two chunks is seen too
            if not chunk or b"<!DOCTYPE" in seen or b"<!ENTITY" in seen:
                return ""
            read, previous = read + len(chunk), chunk
            parser.feed(chunk)
            for _event, element in parser.read_events():
                text = heading(element)
                if text is not None and text.strip():
                    return _clean(text)
    return ""


# --- PDF: the document information dictionary's /Title, else XMP's dc:title ---------------------------------

INFO_REFERENCE = re.compile(rb"/Info\s+(\d{1,10})\s+(\d{1,5})\s+R")
XMP_TITLE = re.compile(rb"<dc:title\b[^>]*>(.{0,4000}?)</dc:title>", re.DOTALL)
XMP_ITEM = re.compile(rb"<rdf:li\b[^>]*>(.*?)</rdf:li>", re.DOTALL)
PDF_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def pdf_title(path: Path) -> str:
    """The title of a PDF from its first and last PDF_WINDOW bytes, where writers put the information
    dictionary and the (uncompressed) XMP metadata; a title in a compressed object stream is not seen."""
    with path.open("rb") as stream:
        head = stream.read(PDF_WINDOW)
        if b"%PDF-" not in head[:1024]:
            return ""
        stream.seek(0, 2)
        size = stream.tell()
        if size <= 2 * PDF_WINDOW:
            stream.seek(len(head))
            data = head + stream.read()
        else:
            stream.seek(size - PDF_WINDOW)
            data = head + b"\n" + stream.read(PDF_WINDOW)
    return _info_title(data) or _xmp_title(data)


def _info_title(data: bytes) -> str:
    references = INFO_REFERENCE.findall(data)
    if not references or b"/Encrypt" in data[-PDF_WINDOW:]:
        return ""  # no trailer seen, or the strings are encrypted
    number, generation = references[-1]  # the latest trailer (incremental updates append)
    objects = list(re.finditer(rb"(?<!\d)" + number + rb"\s+" + generation + rb"\s+obj\b", data))
    if not objects:
        return ""
    start = objects[-1].end()
    end = data.find(b"endobj", start, start + 16 * 1024)
    body = data[start : end if end >= 0 else start + 16 * 1024]
    found = re.search(rb"/Title\s*", body)
    if not found:
        return ""
    raw = _pdf_string(body, found.end())
    return _clean(_decode(raw)) if raw else ""


def _pdf_string(data: bytes, i: int) -> bytes | None:
    """A PDF string object at data[i:]: a literal (with escapes and balanced parentheses) or a hex string."""
    if data[i : i + 1] == b"<":
        end = data.find(b">", i, i + 4096)
        if end < 0:
            return None
        digits = re.sub(rb"\s", b"", data[i + 1 : end])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    if data[i : i + 1] != b"(":
        return None
    out, depth, i = bytearray(), 1, i + 1
    while i < len(data) and len(out) < 4 * MAX_TITLE:
        c = data[i]
        if c == 0x5C:  # backslash
            nxt = data[i + 1 : i + 2]
            if not nxt:
                return None
            if nxt[0] in PDF_ESCAPES:
                out += PDF_ESCAPES[nxt[0]]
            elif nxt in b"01234567":
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4]).group()
                out.append(int(digits, 8) & 0xFF)
                i += len(digits) - 1
            elif nxt == b"\r":
                i += 1 if data[i + 2 : i + 3] == b"\n" else 0  # a line continuation
            elif nxt != b"\n":
                out += nxt
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out)
        out.append(c)
        i += 1
    return bytes(out) if out else None


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")  # some writers put UTF-8 where PDFDocEncoding belongs
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # PDFDocEncoding agrees with Latin-1 on the letters of Danish


def _xmp_title(data: bytes) -> str:
    found = XMP_TITLE.search(data)
    if not found:
        return ""
    item = XMP_ITEM.search(found.group(1))
    text = (item.group(1) if item else found.group(1)).decode("utf-8", "replace")
    return _clean(html.unescape(re.sub(r"<[^>]*>", " ", text)))
