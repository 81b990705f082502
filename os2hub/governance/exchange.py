"""OS2's self-assessment JSON format (the form at os2.eu produces it):

    {"productName", "filledBy", "filledDate", "generatedAt",
     "krav": [{"id", "kategori", "krav", "produktniveau", "retningslinjer", "efterlevet", "dokumentation"}]}

`efterlevet` is one of Ja, Nej, Ikke relevant, Ved ikke or null. Reading checks a file against a criteria
version and names every item it refuses; writing gives back what was read (texts, key order, nulls), with the
answers as they are now. Pure functions on plain data; services.py stores the result.
"""

import datetime
import json
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import Answer

MAX_IMPORT_BYTES = 1_000_000
MAX_DOCUMENTATION = 20_000
WORD_TO_ANSWER = {label: value for value, label in Answer.choices}
ANSWER_TO_WORD = dict(Answer.choices)
TOP_KEYS = ("productName", "filledBy", "filledDate", "generatedAt", "krav")


def same_name(a: str, b: str) -> bool:
    def norm(s):
        return " ".join(unicodedata.normalize("NFC", str(s or "")).casefold().split())

    return norm(a) == norm(b)


def format_generated_at(moment: datetime.datetime) -> str:
    """2026-05-01T20:26:06.858Z, as the form writes it."""
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def load_json(raw) -> dict:
    """Bytes, text or already-parsed data -> the top-level object, or ValidationError."""
    if isinstance(raw, bytes | str):
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValidationError({"file": [_("The file is larger than 1 MB; a self-assessment is far smaller.")]})
        try:
            raw = json.loads(raw)
        except RecursionError:
            raise ValidationError({"file": [_("The file is nested too deeply to be a self-assessment.")]}) from None
        except UnicodeDecodeError:
            raise ValidationError({"file": [_("The file is not valid JSON: it is not text in UTF-8.")]}) from None
        except json.JSONDecodeError as exc:
            raise ValidationError({"file": [json_error(exc)]}) from None
    if not isinstance(raw, dict):
        raise ValidationError({"file": [_("The file must hold one JSON object with productName and krav.")]})
    if _has_nul(raw):
        raise ValidationError({"file": [_("The file contains a NUL character, which is not allowed.")]})
    return raw


def _json_problems():
    """What json's (English) messages mean, in the person's language; matched on how they begin."""
    return (
        ("Expecting property name", _("a name in double quotes is expected")),
        ("Expecting value", _("a value is expected")),
        ("Expecting ',' delimiter", _("a comma is expected")),
        ("Expecting ':' delimiter", _("a colon is expected")),
        ("Extra data", _("there is more after the end of the JSON")),
        ("Unterminated string", _("a text is not closed with a double quote")),
        ("Invalid control character", _("a text contains a line break or a control character")),
        ("Invalid \\escape", _("a text contains a backslash that is not a valid escape")),
    )


def json_error(exc: json.JSONDecodeError) -> str:
    """Where the file stops being JSON and, when known, what is wrong there, translated (not json's English):
    "The file is not valid JSON (line 3, character 5): a comma is expected."."""
    where = _("The file is not valid JSON (line %(line)s, character %(column)s)") % {
        "line": exc.lineno,
        "column": exc.colno,
    }
    problem = next((text for start, text in _json_problems() if exc.msg.startswith(start)), "")
    return f"{where}: {problem}." if problem else f"{where}."


def _has_nul(value, depth=0) -> bool:
    """A NUL anywhere (keys included): PostgreSQL cannot store it in text or JSON."""
    if depth > 20:
        return False  # deeper than any self-assessment; parse() refuses such items anyway
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


def parse(data: dict, *, product_name: str, product_slug: str, version, criteria: dict) -> dict:
    """Check OS2's JSON against the product and the criteria version (criteria: code -> Criterion).
    Returns {meta, filled_by, filled_date, content_at, items: [{code, answer, documentation, source, position}]}.
    Raises ValidationError with one message per problem, each naming the item."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    name = data.get("productName")
    if not isinstance(name, str) or not name.strip():
        fail("productName", _("productName is missing: the file must say which product it is about."))
    elif not (same_name(name, product_name) or same_name(name, product_slug)):
        fail(
            "productName",
            _("The file is a self-assessment of “%(file)s”, not of “%(product)s”.")
            % {"file": name[:200], "product": product_name},
        )
    filled_by = data.get("filledBy")
    if filled_by is not None and (not isinstance(filled_by, str) or len(filled_by) > 200 or "\x00" in filled_by):
        fail("filledBy", _("filledBy must be a name of at most 200 characters."))
    filled_date = None
    raw_date = data.get("filledDate")
    if raw_date not in (None, ""):
        try:
            filled_date = parse_date(raw_date) if isinstance(raw_date, str) else None
        except ValueError:
            filled_date = None
        if filled_date is None:
            fail("filledDate", _("filledDate must be a date like 2026-05-01."))
    content_at = None
    raw_generated = data.get("generatedAt")
    if raw_generated not in (None, ""):
        try:
            content_at = (
                parse_datetime(raw_generated.replace("Z", "+00:00")) if isinstance(raw_generated, str) else None
            )
        except ValueError:
            content_at = None
        if content_at is None:
            fail("generatedAt", _("generatedAt must be a time like 2026-05-01T20:26:06.858Z."))
        elif timezone.is_naive(content_at):
            content_at = timezone.make_aware(content_at, datetime.UTC)
    krav = data.get("krav")
    items = []
    if not isinstance(krav, list):
        fail("krav", _("krav must be a list of criteria."))
        krav = []
    seen = set()
    for n, item in enumerate(krav):
        field = f"krav.{n}"
        if not isinstance(item, dict):
            fail(field, _("Item %(n)s of krav is not an object.") % {"n": n + 1})
            continue
        code = item.get("id")
        label = str(code)[:20] if code is not None else str(n + 1)
        criterion = criteria.get(code) if isinstance(code, str) else None
        if criterion is None:
            fail(
                field,
                _("%(id)s is not a criterion of criteria version %(version)s.")
                % {"id": label, "version": version.version},
            )
            continue
        if code in seen:
            fail(field, _("%(id)s appears twice in the file.") % {"id": code})
            continue
        seen.add(code)
        theme, level = item.get("kategori"), item.get("produktniveau")
        if (theme is not None and theme != criterion.theme) or (level is not None and str(level) != criterion.level):
            fail(
                field,
                _(
                    "%(id)s is at %(theme)s/%(level)s in the file but at %(our_theme)s/%(our_level)s in criteria "
                    "version %(version)s: the file was made with another version of the criteria."
                )
                % {
                    "id": code,
                    "theme": theme,
                    "level": level,
                    "our_theme": criterion.theme,
                    "our_level": criterion.level,
                    "version": version.version,
                },
            )
        word = item.get("efterlevet")
        if word is not None and (not isinstance(word, str) or word not in WORD_TO_ANSWER):
            fail(
                field,
                _("%(id)s: efterlevet must be Ja, Nej, Ikke relevant, Ved ikke or null, not “%(value)s”.")
                % {"id": code, "value": str(word)[:50]},
            )
        documentation = item.get("dokumentation")
        if documentation is not None and not isinstance(documentation, str):
            fail(field, _("%(id)s: dokumentation must be text.") % {"id": code})
            documentation = ""
        elif documentation and (len(documentation) > MAX_DOCUMENTATION or "\x00" in documentation):
            fail(
                field,
                _("%(id)s: dokumentation must be text of at most %(max)s characters.")
                % {"id": code, "max": MAX_DOCUMENTATION},
            )
        for key in ("krav", "retningslinjer"):
            if item.get(key) is not None and not isinstance(item.get(key), str):
                fail(field, _("%(id)s: %(key)s must be text.") % {"id": code, "key": key})
        items.append(
            {
                "code": code,
                "answer": WORD_TO_ANSWER.get(word, "") if isinstance(word, str) else "",
                "documentation": documentation or "",
                # As [key, value] pairs: a JSON object in PostgreSQL (jsonb) does not keep its keys' order.
                "source": [[key, value] for key, value in item.items()],
                "position": n,
            }
        )
    if errors:
        raise ValidationError(errors)
    meta = {key: value for key, value in data.items() if key != "krav"}
    meta["_order"] = list(data.keys())
    return {
        "meta": meta,
        "filled_by": filled_by or "",
        "filled_date": filled_date,
        "content_at": content_at,
        "items": items,
    }


def build(assessment, answers) -> dict:
    """OS2's JSON for a self-assessment; answers in their stored order, each with its criterion."""
    meta = assessment.imported_meta or {}
    product = assessment.product
    name = meta.get("productName")
    generated = meta.get("generatedAt")
    parsed_generated = None
    if isinstance(generated, str):
        try:
            parsed_generated = parse_datetime(generated.replace("Z", "+00:00"))
        except ValueError:
            parsed_generated = None
    values = {
        "productName": name if isinstance(name, str) and same_name(name, product.name) else product.name,
        "filledBy": assessment.filled_by or meta.get("filledBy", ""),
        "filledDate": assessment.filled_date.isoformat() if assessment.filled_date else meta.get("filledDate"),
        # The time this version of the answers was made: the imported one until someone changes an answer.
        "generatedAt": generated
        if parsed_generated == assessment.content_at
        else format_generated_at(assessment.content_at),
    }
    krav = []
    for answer in answers:
        criterion = answer.criterion
        source = dict(answer.source or [])
        item = (
            dict(source)
            if source
            else {
                "id": criterion.code,
                "kategori": criterion.theme,
                "krav": criterion.text_da,
                "produktniveau": criterion.level,
                "retningslinjer": criterion.guideline_da,
            }
        )
        documentation = answer.documentation
        if answer.link_list:
            documentation = "\n\n".join(filter(None, [documentation, "\n".join(answer.link_list)]))
        item["efterlevet"] = ANSWER_TO_WORD.get(answer.answer)
        # A null stays null and an empty text stays empty, as the file had it.
        # A null stays null and an empty text stays empty, as the file had it; a cleared text is cleared.
        if documentation or source.get("dokumentation") not in (None, ""):
            item["dokumentation"] = documentation
        else:
            item["dokumentation"] = source.get("dokumentation", "")
        krav.append(item)
    values["krav"] = krav
    order = [key for key in meta.get("_order", []) if key in values or key in meta]
    order += [key for key in TOP_KEYS if key not in order]
    result = {}
    for key in order:
        if key in values:
            result[key] = values[key]
        elif key != "_order" and key in meta:
            result[key] = meta[key]  # keys of the form that OS2hub does not use, kept as they were
    return result
