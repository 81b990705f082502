"""A product's publiccode.yml (https://yml.publiccode.tools), both ways.

Export: `export_data(product)` maps what OS2hub holds to the standard's keys, valid by the scanner's validator
(os2hub.scanner.publiccode) whatever the product lacks: texts are trimmed or padded to the standard's limits and
the required keys get values derived from the product (its status, its supplier roles, its coordinator).

Import: a file is fetched from a repository through the scanner's safe clone (allowed hosts, public addresses, no
hooks, size and time limits) or pasted; `proposal(document)` turns the valid parts of a validated file into the
values OS2hub would write, field by field, and `diff(product, document)` sets them beside the current values for
the coordinator to choose from. Writing is products.services.product_import_publiccode.
"""

import hashlib
import json
import os
import re
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from os2hub.accounts.models import Organisation
from os2hub.scanner import publiccode as standard
from os2hub.scanner import spdx
from os2hub.scanner.messages import render
from os2hub.scanner.targets import TargetError, clone, parse_target, remove_tree

from .models import (
    DEPENDENCY_KEYS,
    DEPENDENCY_KINDS,
    FEATURE_MAX_CHARS,
    DevelopmentStatus,
    MaintenanceType,
    Product,
    SoftwareType,
)
from .selectors import current_roles_filter

# The standard's limits on the descriptions.
SHORT_DESCRIPTION_MAX = 150
LONG_DESCRIPTION_MIN = 150
LONG_DESCRIPTION_MAX = 10000
# A file larger than this is refused before it is parsed (the standard's files are a few kB).
MAX_BYTES = getattr(standard, "MAX_BYTES", 1024 * 1024)
FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
# An open-ended supplier role is exported with this horizon as its `until` (the standard requires a date): the
# role is reviewed at least yearly, so a year from today is what OS2hub can vouch for.
CONTRACT_HORIZON = timedelta(days=365)

# OS2hub's categories (by slug) that have a match in the standard's vocabulary; others are left out.
CATEGORIES = {
    "organisation-og-personale": "employee-management",
    "identitet-og-sikkerhed": "identity-management",
    "borgerservice": "digital-citizenship",
    "iot-og-data": "data-collection",
    "automatisering": "workflow-management",
    "kommunikation": "communications",
}
DEVELOPMENT_STATUS_BY_STATUS = {
    Product.Status.IDEA: DevelopmentStatus.CONCEPT,
    Product.Status.SANDBOX: DevelopmentStatus.DEVELOPMENT,
    Product.Status.PRODUCT: DevelopmentStatus.STABLE,
    Product.Status.RETIRED: DevelopmentStatus.OBSOLETE,
}

# Name resolution for the repository check; tests replace it, as they replace the clone.
_resolve = socket.getaddrinfo


# --- Export ---------------------------------------------------------------------------------------------------


def landing_url(product) -> str:
    return settings.SITE_URL + product.get_absolute_url()


def _short(text: str, limit: int = SHORT_DESCRIPTION_MAX) -> str:
    """The text on one line, cut at a word with "…" when longer than `limit` characters."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,.;:-–") + "…"


def _long(texts: list[str], *, name: str, url: str) -> str:
    """The long description: the texts as paragraphs, trimmed at a paragraph or word to the standard's maximum,
    and, when shorter than its minimum, followed by sentences that say where the full page is."""
    text = "\n\n".join(t.strip() for t in texts if t and t.strip())
    if len(text) > LONG_DESCRIPTION_MAX:
        cut = text[: LONG_DESCRIPTION_MAX - 1]
        cut = cut.rsplit("\n\n", 1)[0] if "\n\n" in cut[LONG_DESCRIPTION_MAX // 2 :] else cut.rsplit(" ", 1)[0]
        text = cut.rstrip() + "…"
    padding = [
        _("Read more about %(name)s on OS2hub: %(url)s") % {"name": name, "url": url},
        _("This description is made by OS2hub from the product's page, where it is kept up to date."),
        _("OS2 is the Danish public-sector community for open-source software."),
    ]
    while len(text) < LONG_DESCRIPTION_MIN and padding:
        text = (text + "\n\n" if text else "") + padding.pop(0)
    return text


def _description(product, language: str, *, url: str) -> dict | None:
    with translation.override(language):
        if language == "da":
            short, long_texts = product.summary, [product.purpose, product.value, product.target_group]
            features = product.features
        else:
            if not product.summary_en.strip():
                return None
            short, long_texts, features = product.summary_en, [product.purpose_en], product.features_en
        description = {
            "shortDescription": _short(short) or product.name,
            "longDescription": _long(long_texts, name=product.name, url=url),
        }
        # The standard wants features; a product without them has its summary as its one feature.
        description["features"] = list(features) or [_short(short, FEATURE_MAX_CHARS) or product.name]
        if product.screenshots:
            description["screenshots"] = list(product.screenshots)
        return description


def _organisation() -> dict:
    secretariat = Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).order_by("pk").first()
    organisation = {"name": secretariat.name if secretariat else "OS2"}
    if secretariat and secretariat.website:
        organisation["uri"] = secretariat.website
    return organisation


def _contractors(product) -> list[dict]:
    horizon = timezone.localdate() + CONTRACT_HORIZON
    by_supplier = {}
    for role in (
        product.supplier_roles.filter(current_roles_filter()).select_related("supplier").order_by("supplier__name")
    ):
        until = role.ends_on or horizon
        seen = by_supplier.get(role.supplier_id)
        if seen is None or seen["_until"] < until:
            by_supplier[role.supplier_id] = {"_until": until, "supplier": role.supplier}
    contractors = []
    for item in by_supplier.values():
        contractor = {"name": item["supplier"].name, "until": item["_until"].isoformat()}
        if item["supplier"].website:
            contractor["website"] = item["supplier"].website
        contractors.append(contractor)
    return contractors


def _maintenance(product) -> dict:
    contractors = _contractors(product)
    # The coordinator's name and address are on the public product page already; nothing else personal is given.
    contacts = []
    if product.coordinator_id and product.coordinator.is_active:
        contacts.append(
            {
                "name": product.coordinator.get_full_name() or product.coordinator.email,
                "email": product.coordinator.email,
            }
        )
    kind = product.maintenance_type or (
        MaintenanceType.CONTRACT if contractors else MaintenanceType.COMMUNITY if contacts else MaintenanceType.NONE
    )
    # The standard requires contractors for a contract and contacts for internal or community maintenance: a
    # type OS2hub cannot back up falls back to the next one it can.
    if kind == MaintenanceType.CONTRACT and not contractors:
        kind = MaintenanceType.COMMUNITY
    if kind in (MaintenanceType.INTERNAL, MaintenanceType.COMMUNITY) and not contacts:
        kind = MaintenanceType.NONE
    maintenance = {"type": str(kind)}
    if kind == MaintenanceType.CONTRACT:
        maintenance["contractors"] = contractors
    if contacts and kind != MaintenanceType.NONE:
        maintenance["contacts"] = contacts
    return maintenance


def _used_by(product) -> list[str]:
    names = set(product.adoptions.values_list("organisation__name", flat=True))
    names |= set(product.agreements.values_list("organisation__name", flat=True))
    return sorted(names)


def _licence(licence: str) -> str:
    """The product's SPDX id; one the SPDX list does not know (the product form checks only its form) as the
    standard's custom LicenseRef, and none given said the SPDX way."""
    if not licence:
        return "LicenseRef-not-stated"
    expression = spdx.parse(licence)
    if expression is None or expression.unknown:
        return "LicenseRef-" + (re.sub(r"[^A-Za-z0-9.-]", "-", licence).strip("-") or "not-stated")
    return licence


def export_data(product) -> dict:
    """The product as a publiccode.yml mapping (the standard's current version)."""
    url = landing_url(product)
    repository = product.repositories.order_by("position", "pk").first()
    data = {
        "publiccodeYmlVersion": standard.CURRENT_VERSION,
        "name": product.name,
        "url": repository.url if repository else (product.website or url),
        "landingURL": url,
        # The community that holds the product (the standard's successor of legal.repoOwner).
        "organisation": _organisation(),
    }
    if product.logo_url:
        data["logo"] = product.logo_url
    data["platforms"] = list(product.platforms) or ["web"]
    categories = sorted({CATEGORIES[c.slug] for c in product.categories.all() if c.slug in CATEGORIES})
    if categories:
        data["categories"] = categories
    used_by = _used_by(product)
    if used_by:
        data["usedBy"] = used_by
    data["developmentStatus"] = str(
        product.development_status or DEVELOPMENT_STATUS_BY_STATUS.get(product.status, DevelopmentStatus.DEVELOPMENT)
    )
    data["softwareType"] = str(product.software_type or SoftwareType.OTHER)
    data["description"] = {"da": _description(product, "da", url=url)}
    english = _description(product, "en", url=url)
    if english:
        data["description"]["en"] = english
    # OS2hub does not know who holds the copyright (the authorities and suppliers who wrote the code), so
    # mainCopyrightOwner is left out rather than guessed.
    data["legal"] = {"license": _licence(product.licence)}
    data["maintenance"] = _maintenance(product)
    data["localisation"] = {"localisationReady": False, "availableLanguages": ["da"]}
    dependencies = {kind: items for kind, items in (product.dependencies or {}).items() if items}
    if dependencies:
        data["dependsOn"] = dependencies
    # OS2's own data in a country section, the standard's place for what matters in one country only (it
    # defines no Danish section; validators leave a country's section to that country).
    if product.official_level:
        data["DK"] = {"os2Level": product.official_level}
    return data


def export_text(product) -> str:
    return standard.dump(export_data(product))


# --- Fetching a file ------------------------------------------------------------------------------------------


class FetchError(Exception):
    """The file could not be fetched; the message is for the coordinator, in their language."""


def read_file(root: Path) -> str:
    """publiccode.yml (or .yaml) at the root of a checkout: a regular file (never a link out of the
    checkout), at most MAX_BYTES, UTF-8."""
    for name in FILE_NAMES:
        path = root / name
        if os.path.islink(path):
            raise FetchError(
                _("%(file)s in the repository is a link; OS2hub reads only a plain file.") % {"file": name}
            )
        if path.is_file():
            if path.stat().st_size > MAX_BYTES:
                raise FetchError(_("%(file)s is larger than %(kb)s kB.") % {"file": name, "kb": MAX_BYTES // 1024})
            try:
                return path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                raise FetchError(_("%(file)s is not UTF-8 text.") % {"file": name}) from None
    raise FetchError(_("The repository has no publiccode.yml at its root."))


def fetch(url: str) -> str:
    """The publiccode.yml of a repository: the address is checked as a scan's is, the repository cloned with
    the scanner's limits (only the newest commit), the file read and the checkout removed."""
    try:
        target = parse_target(url, allowed_hosts=tuple(settings.SCANNER_ALLOWED_HOSTS), resolve=_resolve)
        if not target.is_remote:
            raise FetchError(_("Give the https address of a repository."))
        checkout = clone(target, depth=1)
    except TargetError as exc:
        raise FetchError(render(exc.text.as_data(), gettext)) from None
    try:
        return read_file(checkout)
    finally:
        remove_tree(checkout.parent)


def check_size(text: str) -> None:
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise FetchError(_("The text is larger than %(kb)s kB.") % {"kb": MAX_BYTES // 1024})


# --- The proposal: what a file would change -------------------------------------------------------------------

# OS2hub's fields a file can set, in the order the diff shows them, with the keys of the file they come from
# (an error on one of those keys, or on a key above them, keeps the field out of the proposal).
FIELDS = {
    "name": (gettext_lazy("Name"), ("name",)),
    "summary": (gettext_lazy("Summary (Danish)"), ("description.da.shortDescription",)),
    "purpose": (gettext_lazy("Description (Danish)"), ("description.da.longDescription",)),
    "summary_en": (gettext_lazy("Summary (English)"), ("description.en.shortDescription",)),
    "purpose_en": (gettext_lazy("Description (English)"), ("description.en.longDescription",)),
    "features": (gettext_lazy("Features (Danish)"), ("description.da.features",)),
    "features_en": (gettext_lazy("Features (English)"), ("description.en.features",)),
    "screenshots": (gettext_lazy("Screenshots"), ("description",)),
    "logo_url": (gettext_lazy("Logo"), ("logo",)),
    "licence": (gettext_lazy("Licence"), ("legal.license",)),
    "platforms": (gettext_lazy("Platforms"), ("platforms",)),
    "dependencies": (gettext_lazy("Dependencies"), ("dependsOn",)),
    "maintenance_type": (gettext_lazy("Maintenance"), ("maintenance.type",)),
    "development_status": (gettext_lazy("Development status"), ("developmentStatus",)),
    "software_type": (gettext_lazy("Type of software"), ("softwareType",)),
}


def _get(data, dotted: str):
    value = data
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _blocked(problems, keys) -> bool:
    for problem in problems:
        if problem.severity != "error" or not problem.key:
            continue
        for key in keys:
            if (
                problem.key == key
                or problem.key.startswith((key + ".", key + "["))
                or key.startswith((problem.key + ".", problem.key + "["))
            ):
                return True
    return False


def _text(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _strings(value):
    if isinstance(value, str):  # the standard lets a one-item list be written as the item
        value = [value]
    if not isinstance(value, list) or not value or len(value) > 200:
        return None
    if not all(isinstance(item, str | int | float) and not isinstance(item, bool) for item in value):
        return None
    return [str(item).strip() for item in value if str(item).strip()]


def absolute(link, base: str) -> str | None:
    """A picture's address: as it is when absolute; a path in the repository becomes the address of the file on
    the repository's host (`<repository>/raw/HEAD/<path>`, which GitHub, GitLab and Codeberg serve)."""
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    if "://" in link or link.startswith("//"):
        return link
    if not base.startswith("https://") or ":" in link or ".." in link.split("/"):
        return None
    repository = base.rstrip("/").removesuffix(".git")
    return f"{repository}/raw/HEAD/{link.lstrip('/')}"


def _dependencies(value):
    if not isinstance(value, dict):
        return None
    out = {}
    for kind in DEPENDENCY_KINDS:
        items = value.get(kind)
        if not isinstance(items, list):
            continue
        kept = []
        for item in items[:200]:
            if not isinstance(item, dict):
                return None
            entry = {}
            for key in DEPENDENCY_KEYS:
                if key in item and item[key] is not None:
                    entry[key] = item[key] if key == "optional" else str(item[key]).strip()
            kept.append(entry)
        if kept:
            out[kind] = kept
    return out or None


def _values(data: dict) -> dict:
    """OS2hub's values from a file's mapping, before validation; None where the file says nothing usable."""
    description = data.get("description") if isinstance(data.get("description"), dict) else {}
    base = data.get("url") if isinstance(data.get("url"), str) else ""
    screenshots = None
    for language in ("da", "en", *sorted(k for k in description if isinstance(k, str))):
        found = _get(description, f"{language}.screenshots")
        if isinstance(found, list) and found:
            screenshots = [absolute(item, base) for item in found[:200]]
            screenshots = None if None in screenshots else screenshots
            break
    maintenance_type = _get(data, "maintenance.type")
    return {
        "name": _text(data.get("name")),
        "summary": _text(_get(data, "description.da.shortDescription")),
        "purpose": _text(_get(data, "description.da.longDescription")),
        "summary_en": _text(_get(data, "description.en.shortDescription")),
        "purpose_en": _text(_get(data, "description.en.longDescription")),
        "features": _strings(_get(data, "description.da.features")),
        "features_en": _strings(_get(data, "description.en.features")),
        "screenshots": screenshots,
        "logo_url": absolute(data.get("logo"), base),
        "licence": _text(_get(data, "legal.license")),
        "platforms": _strings(data.get("platforms")),
        "dependencies": _dependencies(data.get("dependsOn")),
        "maintenance_type": maintenance_type if isinstance(maintenance_type, str) else None,
        "development_status": _text(data.get("developmentStatus")),
        "software_type": _text(data.get("softwareType")),
    }


def _refusal(field: str, value) -> str:
    """Why OS2hub cannot hold the value in the field ("" when it can): the model field's own validation."""
    model_field = Product._meta.get_field(field)
    try:
        model_field.clean(value, Product())
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def proposal(document) -> dict:
    """{field: value} for every field the file gives a value OS2hub can hold, and no error stands in the way."""
    if document.data is None:
        return {}
    proposed = {}
    for field, value in _values(document.data).items():
        if value is None or _blocked(document.problems, FIELDS[field][1]) or _refusal(field, value):
            continue
        proposed[field] = value
    return proposed


def current(product) -> dict:
    return {field: getattr(product, field) for field in FIELDS}


def fingerprint(product) -> str:
    """A digest of the product's importable values: the diff carries it, the accept compares it."""
    values = json.dumps(current(product), sort_keys=True, default=str)
    return hashlib.sha256(values.encode()).hexdigest()


def _partner(contractor) -> Organisation | None:
    if not isinstance(contractor, dict):
        return None
    name = contractor.get("name") if isinstance(contractor.get("name"), str) else ""
    website = contractor.get("website") if isinstance(contractor.get("website"), str) else ""
    host = (urlsplit(website).hostname or "").removeprefix("www.") if website.startswith("https://") else ""
    matches = Q(name__iexact=name.strip()) if name.strip() else Q(pk__in=[])
    if host:
        matches |= Q(website__iregex=rf"^https?://(www\.)?{re.escape(host)}(/|$)")
    return (
        Organisation.objects.filter(matches, kind=Organisation.Kind.SUPPLIER, supplier_applications__status="approved")
        .distinct()
        .order_by("name")
        .first()
    )


def contractors(document) -> list[dict]:
    """The file's contractors: each with its `partner` (an approved supplier partner matched by name or website,
    else None) and its `until` (a date, or None)."""
    from datetime import date

    found = _get(document.data or {}, "maintenance.contractors") if document.data else None
    if not isinstance(found, list) or _blocked(document.problems, ("maintenance.contractors",)):
        return []
    out = []
    for item in found[:50]:
        if not isinstance(item, dict):
            continue
        until = item.get("until")
        if isinstance(until, str):
            try:
                until = date.fromisoformat(until)
            except ValueError:
                until = None
        out.append(
            {
                "name": str(item.get("name") or "")[:200],
                "website": str(item.get("website") or "")[:300],
                "until": until if isinstance(until, date) else None,
                "partner": _partner(item),
            }
        )
    return out


def used_by(document) -> list[dict]:
    """The file's usedBy: each name with the authority it matches (by name), else None. Shown, never written:
    that an authority uses a product is its own administrators' statement."""
    found = _get(document.data or {}, "usedBy") if document.data else None
    names = _strings(found) or []
    authorities = {
        o.name.lower(): o for o in Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY, name__in=names[:200])
    }
    return [{"name": name[:200], "authority": authorities.get(name.lower())} for name in names[:200]]


def diff(product, document) -> list[dict]:
    """One row per field: its label, the current value, the file's value, whether they differ and whether the
    file's value can be taken (`offered`), and why not (`reason`)."""
    values = _values(document.data) if document.data is not None else {}
    offered = proposal(document)
    rows = []
    for field, (label, keys) in FIELDS.items():
        proposed = values.get(field)
        if proposed is None:
            continue
        reason = ""
        if field not in offered:
            reason = (
                gettext("The file has errors here.") if _blocked(document.problems, keys) else _refusal(field, proposed)
            )
        now = getattr(product, field)
        rows.append(
            {
                "field": field,
                "label": label,
                "current": now,
                "proposed": proposed,
                "changed": now != proposed,
                "offered": field in offered,
                "reason": reason,
                "is_list": isinstance(proposed, list),
            }
        )
    return rows
