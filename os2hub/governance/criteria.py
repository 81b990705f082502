"""OS2's product-level criteria as versioned data: reading and checking a criteria file (YAML).

A new version of the model is a new file loaded with `manage.py load_criteria`; nothing here knows a criterion by
its id. The bundled versions live in `criteria/` beside this module.
"""

import hashlib
import re
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BUNDLED = Path(__file__).resolve().parent / "criteria"
# The levels a product can be at (os2hub.products.models.Level); a criteria file may use these keys only.
KNOWN_LEVELS = ("sandkasse", "1", "2", "3")
VERSION = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}$")
CODE = re.compile(r"^[A-Z]{1,3}\d{1,3}$")
MAX_FILE_BYTES = 1_000_000


def version_sort_key(version: str) -> str:
    """'1.10.0' -> '001.010.000', so versions sort by number in the database."""
    return ".".join(part.zfill(3) for part in version.split("."))


def bundled_files() -> list[Path]:
    return sorted(BUNDLED.glob("governance-criteria-v*.yaml"))


def _text(item, key, where, errors, *, required=True):
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(_("%(where)s: %(key)s must be text.") % {"where": where, "key": key})
        return ""
    if required and not value.strip():
        errors.append(_("%(where)s: %(key)s is missing.") % {"where": where, "key": key})
    return value.strip()


def parse(raw: bytes | str) -> dict:
    """Check a criteria file and return it as plain data:
    {version, released, sha256, levels: [{key, name_da, name_en}], themes: [...], criteria: [{code, theme, level,
    recommendation, text_da, text_en, guideline_da, guideline_en}]}. Raises ValidationError listing every problem."""
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationError(_("The criteria file is larger than 1 MB."))
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ValidationError(_("The criteria file is not valid YAML: %(error)s") % {"error": exc}) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The criteria file must be a mapping with version, levels, themes and criteria."))
    errors = []
    version = str(data.get("version", "")).strip()
    if not VERSION.match(version):
        errors.append(_("version must look like 1.1.0."))
    levels, themes, criteria = [], [], []
    for name, target in (("levels", levels), ("themes", themes)):
        items = data.get(name)
        if not isinstance(items, list) or not items:
            errors.append(_("%(name)s must be a non-empty list.") % {"name": name})
            continue
        for n, item in enumerate(items, 1):
            where = f"{name}[{n}]"
            if not isinstance(item, dict):
                errors.append(_("%(where)s must be a mapping.") % {"where": where})
                continue
            entry = {
                "key": str(item.get("key", "")).strip(),
                "name_da": _text(item, "name_da", where, errors),
                "name_en": _text(item, "name_en", where, errors),
            }
            if not entry["key"]:
                errors.append(_("%(where)s: key is missing.") % {"where": where})
            target.append(entry)
    level_keys = [entry["key"] for entry in levels]
    theme_keys = [entry["key"] for entry in themes]
    if any(key not in KNOWN_LEVELS for key in level_keys) or len(set(level_keys)) != len(level_keys):
        errors.append(
            _("levels must be distinct keys among %(known)s, lowest first.") % {"known": ", ".join(KNOWN_LEVELS)}
        )
    if len(set(theme_keys)) != len(theme_keys):
        errors.append(_("themes must have distinct keys."))
    items = data.get("criteria")
    if not isinstance(items, list) or not items:
        errors.append(_("criteria must be a non-empty list."))
        items = []
    seen = set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            errors.append(_("criteria[%(n)s] must be a mapping.") % {"n": n})
            continue
        code = str(item.get("id", "")).strip()
        where = code or f"criteria[{n}]"
        if not CODE.match(code):
            errors.append(_("%(where)s: the id must look like R1 or F12.") % {"where": where})
        elif code in seen:
            errors.append(_("%(where)s: the id is used twice.") % {"where": where})
        seen.add(code)
        theme, level = str(item.get("theme", "")), str(item.get("level", ""))
        if theme not in theme_keys:
            errors.append(_("%(where)s: unknown theme %(value)s.") % {"where": where, "value": theme})
        if level not in level_keys:
            errors.append(_("%(where)s: unknown level %(value)s.") % {"where": where, "value": level})
        recommendation = item.get("recommendation", False)
        if not isinstance(recommendation, bool):
            errors.append(_("%(where)s: recommendation must be true or false.") % {"where": where})
        criteria.append(
            {
                "code": code,
                "theme": theme,
                "level": level,
                "recommendation": bool(recommendation),
                "text_da": _text(item, "text_da", where, errors),
                "text_en": _text(item, "text_en", where, errors),
                "guideline_da": _text(item, "guideline_da", where, errors, required=False),
                "guideline_en": _text(item, "guideline_en", where, errors, required=False),
            }
        )
    if errors:
        raise ValidationError(errors)
    return {
        "version": version,
        "released": str(data.get("released", "") or ""),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "levels": levels,
        "themes": themes,
        "criteria": criteria,
    }
