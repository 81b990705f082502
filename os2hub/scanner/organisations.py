"""Which organisation an e-mail domain belongs to, for the vendor-concentration check.

A company commits from its old and its new domain and from its subsidiaries' domains; counted by domain it looks
like several organisations. An `Organisations` mapping names the organisation behind a domain, and a domain
matches its subdomains too (`mail.magenta.dk` is Magenta's when `magenta.dk` is), the longest mapped suffix
winning. Domains are compared in lower case and in their ASCII (IDNA, "xn--") form, so `Blåbær.dk` and
`xn--blbr-roa6a.dk` are the same domain.

`os2hub-scan --organisations FILE` reads the mapping from a file in one of two forms:

- JSON: one object, domain to organisation name: `{"magenta.dk": "Magenta ApS", "magenta.com": "Magenta ApS"}`;
- text: one `domain = organisation` (or `domain,organisation`) per line; blank lines and lines starting with `#`
  are skipped. A file whose first character (after spaces) is `{` is read as JSON.

A bad file raises OrganisationsError naming the line; OS2hub builds the mapping from its partners' verified
domains instead of a file.
"""

import json
import re
from pathlib import Path

MAX_FILE_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 200
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class OrganisationsError(ValueError):
    """A domain or a mapping file that cannot be used; the text says what and where, for a person."""


def normalise_domain(text: str) -> str:
    """The domain in lower case and ASCII (IDNA) form, without a trailing dot; OrganisationsError (in English)
    when it is not a domain name: an e-mail address, an address with a scheme or a path, a single label, a
    label that is empty, too long or has characters a host name cannot have."""
    domain = str(text).strip().lower().rstrip(".")
    if not domain:
        raise OrganisationsError("the domain is empty")
    if "@" in domain:
        raise OrganisationsError(f"{text!r} is an e-mail address; give only the part after @")
    if "/" in domain or ":" in domain:
        raise OrganisationsError(f"{text!r} is an address; give only the domain name, such as magenta.dk")
    try:
        ascii_form = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise OrganisationsError(f"{text!r} is not a valid domain name") from None
    labels = ascii_form.split(".")
    if len(labels) < 2 or len(ascii_form) > 253 or not all(LABEL.match(label) for label in labels):
        raise OrganisationsError(f"{text!r} is not a valid domain name, such as magenta.dk")
    if labels[-1].isdigit():
        raise OrganisationsError(f"{text!r} is an IP address, not a domain name")
    return ascii_form


def display_domain(domain: str) -> str:
    """The domain as people write it (Unicode letters instead of the xn-- form), for pages."""
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain


class Organisations:
    """domain -> organisation name, matching subdomains. Empty (falsy) when nothing is mapped. `strict=False`
    leaves out an entry that is not a domain with a name instead of raising OrganisationsError (a scan is worth
    more than one bad entry in a list kept elsewhere)."""

    def __init__(self, mapping: dict[str, str] | None = None, *, strict: bool = True):
        self._names: dict[str, str] = {}
        for domain, name in (mapping or {}).items():
            name = " ".join(str(name).split())
            try:
                if not name:
                    raise OrganisationsError(f"the organisation of {domain!r} has no name")
                self._names[normalise_domain(domain)] = name[:MAX_NAME_LENGTH]
            except OrganisationsError:
                if strict:
                    raise

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"Organisations({len(self)} domains)"

    def name_for(self, domain: str) -> str | None:
        """The organisation behind the domain or the nearest of its parents that is mapped; None otherwise
        (also for text that is not a domain)."""
        if not self._names:
            return None
        try:
            labels = normalise_domain(domain).split(".")
        except OrganisationsError:
            return None
        for start in range(len(labels) - 1):
            name = self._names.get(".".join(labels[start:]))
            if name is not None:
                return name
        return None


def parse(text: str) -> Organisations:
    """The mapping from the text of a file (JSON or lines, see the module's description)."""
    if text.lstrip()[:1] in ("{", "["):
        return _parse_json(text)
    mapping: dict[str, str] = {}
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        # The first separator counts: a name may contain either ("Firma A/S, Aarhus").
        found = [i for i in (line.find("="), line.find(",")) if i >= 0]
        if not found:
            raise OrganisationsError(f"line {number}: expected 'domain = organisation', got {_shown(line)}")
        domain, name = (part.strip().strip('"').strip() for part in (line[: min(found)], line[min(found) + 1 :]))
        if not name:
            raise OrganisationsError(f"line {number}: the organisation of {_shown(domain)} has no name")
        try:
            key = normalise_domain(domain)
        except OrganisationsError as exc:
            raise OrganisationsError(f"line {number}: {exc}") from None
        if key in seen and mapping[key] != name:
            raise OrganisationsError(f"line {number}: {key} is already mapped on line {seen[key]}")
        seen.setdefault(key, number)
        mapping[key] = name
    return Organisations(mapping)


def _parse_json(text: str) -> Organisations:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OrganisationsError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise OrganisationsError('the JSON must be one object, {"domain": "organisation", ...}')
    for domain, name in data.items():
        if not isinstance(name, str) or not name.strip():
            raise OrganisationsError(f"the organisation of {_shown(domain)} must be a name (text)")
        try:
            normalise_domain(domain)
        except OrganisationsError as exc:
            raise OrganisationsError(f"{_line_of(text, domain)}{exc}") from None
    return Organisations(data)


def _line_of(text: str, key: str) -> str:
    """'line N: ' for the line where the key stands in the JSON text, as far as it can be found."""
    position = text.find(json.dumps(key, ensure_ascii=False))
    if position < 0:
        position = text.find(json.dumps(key))
    return f"line {text.count(chr(10), 0, position) + 1}: " if position >= 0 else ""


def _shown(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def load(path) -> Organisations:
    """The mapping from a file; OrganisationsError for a missing, unreadable, too large or bad file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise OrganisationsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise OrganisationsError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise OrganisationsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise OrganisationsError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise OrganisationsError(f"{path}: line {line}: not UTF-8 text") from None
    try:
        return parse(text)
    except OrganisationsError as exc:
        raise OrganisationsError(f"{path}: {exc}") from None
