"""Checks for untrusted uploads: raster logos, SVG logos and signed agreements (PDF).

Each function raises django.core.exceptions.ValidationError with a message for the person who uploaded.
"""

import re
import warnings

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_SIZE = (800, 800)
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def _check_size(upload, limit):
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(_("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)})


def check_logo(upload) -> str:
    """Accept PNG, JPEG or WebP of exactly 800×800 pixels. Returns the file extension to store it under."""
    _check_size(upload, settings.OS2HUB_MAX_LOGO_BYTES)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Image.open reads only the header, so the size is known before anything is decoded.
            with Image.open(upload) as image:
                fmt = image.format
                size = image.size
                if fmt not in LOGO_FORMATS:
                    raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
                if size != LOGO_SIZE:
                    raise ValidationError(
                        _("The logo must be exactly 800×800 pixels; this one is %(w)s×%(h)s.")
                        % {"w": size[0], "h": size[1]}
                    )
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # decode fully: truncated or corrupt data fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The file is not a PNG, JPEG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image is damaged and cannot be read.")) from None
    finally:
        upload.seek(0)
    return LOGO_FORMATS[fmt]


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Elements a logo may use: shapes, text, paint servers and grouping. No script, foreignObject, image, use of
# external files, animation (which can set attributes), or links.
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "metadata", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    "pattern", "symbol", "use", "style", "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix",
    "feFlood", "feComposite", "feMerge", "feMergeNode",
}  # fmt: skip
# CSS that can load something: url() to anything but a local #fragment, image-set() and friends, at-rules
# (@import, @font-face), scheme-relative or absolute addresses, and backslash escapes that could spell any of
# these in disguise.
CSS_LOADERS = re.compile(
    r"url\s*\(\s*['\"]?\s*(?!#)|image-set\s*\(|image\s*\(|cross-fade\s*\(|element\s*\(|src\s*\(|"
    r"expression\s*\(|@|\\|javascript:|//",
    re.IGNORECASE,
)
# Processing instructions other than the XML declaration (<?xml-stylesheet href=...?> loads a stylesheet).
PROCESSING_INSTRUCTION = re.compile(rb"<\?(?!xml[\s?])", re.IGNORECASE)


def _local(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _sep, local = name[1:].partition("}")
        return ns, local
    return "", name


def _check_style(element) -> None:
    """A <style> holds CSS text and nothing else. ElementTree keeps the text after a child element in that
    child's tail, not in the style's own text, so a child is refused outright and all of the text (itertext:
    the style's text, its children's and their tails) is what is checked. Comments and CDATA sections are
    already gone, their neighbouring text joined, when the document has been parsed."""
    if len(element):
        # The message of a forbidden element: no element is allowed here.
        raise ValidationError(
            _("The SVG contains a <%(name)s> element, which is not allowed in a logo.")
            % {"name": _local(element[0].tag)[1]}
        )
    if CSS_LOADERS.search("".join(element.itertext())):
        raise ValidationError(_("The SVG's styles refer to external resources, which is not allowed."))


def check_svg(upload) -> str:
    """Accept an SVG only if it carries no script, event handlers, javascript: URLs or external references.
    Returns the file extension to store it under."""
    _check_size(upload, settings.OS2HUB_MAX_SVG_BYTES)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        raise ValidationError(_("The file is not a well-formed SVG (XML) document, or it declares entities.")) from None
    if PROCESSING_INSTRUCTION.search(data):
        raise ValidationError(_("The SVG contains a processing instruction (<?...?>), which is not allowed."))
    ns, local = _local(root.tag)
    if local != "svg" or ns not in ("", SVG_NS):
        raise ValidationError(_("The file is not an SVG image."))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        ens, name = _local(element.tag)
        if ens not in ("", SVG_NS) or name not in SVG_ELEMENTS:
            raise ValidationError(
                _("The SVG contains a <%(name)s> element, which is not allowed in a logo.") % {"name": name}
            )
        if name == "style":
            _check_style(element)
        for attr, value in element.attrib.items():
            _ans, aname = _local(attr)
            lowered = aname.lower()
            if lowered.startswith("on"):
                raise ValidationError(
                    _("The SVG contains an event handler (%(attr)s), which is not allowed.") % {"attr": aname}
                )
            compact = re.sub(r"\s+", "", value).lower()
            if "javascript:" in compact or ("data:" in compact and lowered in ("href", "src")):
                raise ValidationError(_("The SVG contains a script URL, which is not allowed."))
            if lowered in ("href", "src") and not value.strip().startswith("#"):
                raise ValidationError(
                    _("The SVG refers to an external resource (%(value)s), which is not allowed.")
                    % {"value": value[:80]}
                )
            if lowered not in ("href", "src") and CSS_LOADERS.search(value):
                raise ValidationError(
                    _("The SVG refers to an external resource (%(value)s), which is not allowed.")
                    % {"value": value[:80]}
                )
    return "svg"


def check_pdf(upload) -> str:
    """Accept a PDF of at most 10 MB, judged by its content, not its name. Returns the file extension."""
    _check_size(upload, settings.OS2HUB_MAX_AGREEMENT_BYTES)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head[:1024] or not head.lstrip().startswith(b"%PDF-"):
        raise ValidationError(_("The agreement must be a PDF file."))
    return "pdf"
