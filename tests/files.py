"""Test files made on the fly: images, PDFs and SVGs, good and hostile."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width=800, height=800, fmt="PNG", color=(0, 90, 160)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format=fmt)
    return buf.getvalue()


def image_upload(width=800, height=800, fmt="PNG", name=None) -> SimpleUploadedFile:
    ext = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "BMP": "bmp"}[fmt]
    return SimpleUploadedFile(name or f"logo.{ext}", image_bytes(width, height, fmt), content_type=f"image/{ext}")


def decompression_bomb_png() -> bytes:
    """A tiny PNG whose header claims a gigantic image (it would need gigabytes to decode)."""
    buf = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buf, format="PNG")
    return buf.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 612 792]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="partneraftale.pdf", data=PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><title>Logo</title>'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>'
    b'<rect width="100" height="100" fill="url(#g)"/><circle cx="50" cy="50" r="30" fill="#fff"/></svg>'
)


def svg_upload(data=GOOD_SVG, name="logo.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/svg+xml")
