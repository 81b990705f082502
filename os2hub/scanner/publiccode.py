"""publiccode.yml (https://yml.publiccode.tools): validating a file against the standard and writing one.

`validate(text)` reads a publiccode.yml and checks it against the rules of the version it declares
(`publiccodeYmlVersion`): required keys, types, allowed values, lengths, language and country codes, URLs,
dates, e-mail addresses and the SPDX licence expression. Every problem names its key as a dotted path
("description.da.shortDescription", "maintenance.contractors[0].until") and the line it stands on, as a
translatable Message (see messages). Keys the version deprecated, and keys the standard does not know, are
warnings: a file with warnings only is valid. `dump(data)` writes a mapping back in the standard's key order.
The scanner's `publiccode-yml` check and the site's import and export (products.publiccode) share this module;
it imports no Django.

The rules are those of the standard's text (docs/standard/schema.core.rst of publiccodeyml/publiccode.yml) for
versions 0.2 to 0.5, checked against the reference validator (italia/publiccode-parser-go) where the text is
vague. What changed between versions, as far as a check notices:
  0.1    `publiccode-yaml-version`, `tags`, ISO 639-2 language keys ("eng"): no longer read; the file is refused
         with a clear message (the reference validator has not read it since 2019 either).
  0.2    `publiccodeYmlVersion`; `categories` (fixed list) required; BCP 47 language keys.
  0.3    `monochromeLogo`, `inputTypes`, `outputTypes`, `description.*.genericName` and `legal.authorsFile`
         deprecated (warnings).
  0.4    no rule a validator sees changed (the standard's own examples moved to it).
  0.5    `categories` optional (and `other` allowed); `organisation` and `fundedBy` added; country codes and
         the Italian section in upper case (`IT`, lower case deprecated); `legal.repoOwner`,
         `IT.conforme` and `IT.riuso.codiceIPA` deprecated; `maintenance.contractors` only with
         `maintenance.type: contract`. "0" stands for the latest 0.x.
A later 0.x than this module knows is checked as the latest it knows, with a warning (minor versions of the
standard only add keys or make keys optional). Country sections (`IT:`, `it:`, any two-letter key) are left to
their countries and not checked.

Hostile input is refused before it costs anything: more than MAX_BYTES, text that is not UTF-8, aliases that
would expand beyond MAX_ALIASES, nesting deeper than MAX_DEPTH. `validate` never raises.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import spdx
from .messages import Joined, Message, gettext_noop, message

CURRENT_VERSION = "0.5.0"
KNOWN_VERSIONS = ("0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5", "0.5.0")
_LATEST_MINOR = 5

MAX_BYTES = 1024 * 1024
MAX_ALIASES = 100  # uses of an anchor; a real file has a handful, a "billion laughs" has millions
MAX_ALIAS_VALUES = 2_000  # values the aliases repeat, all together
MAX_NODES = 20_000  # values in the whole document, aliases expanded
MAX_LINES = 10_000  # the standard's longest example has 150; reading YAML costs ~15 µs a line
MAX_DEPTH = 64


@dataclass(frozen=True)
class Problem:
    key: str  # dotted path: "description.da.shortDescription", "maintenance.contractors[0].until"; "" = the document
    line: int | None  # 1-based line where the key (or its value) stands; None when unknown
    text: Message  # str() gives the English sentence
    severity: str = "error"  # "error" or "warning"

    def as_dict(self) -> dict:
        return {"key": self.key, "line": self.line, "message": str(self.text), "severity": self.severity}


@dataclass
class Document:
    data: dict | None  # the parsed mapping; None when the text is not YAML or not a mapping
    version: str | None  # publiccodeYmlVersion as written ("0.4.0", "0.2"); None when absent
    problems: list[Problem] = field(default_factory=list)  # in document order; missing top-level keys last
    lines: dict[str, int] = field(default_factory=dict)  # dotted key -> 1-based line, for every key

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors


# --- Vocabularies ---------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
PLATFORMS = ("web", "windows", "mac", "linux", "ios", "android")  # others are allowed as free text
# docs/standard/categories-list.rst; "other" from 0.5.
CATEGORIES = _words(
    """accounting agile-project-management applicant-tracking application-development appointment-scheduling
    backup billing-and-invoicing blog budgeting business-intelligence business-process-management cad
    call-center-management cloud-management collaboration communications compliance-management
    contact-management content-management crm customer-service-and-support data-analytics data-collection
    data-visualization design design-system digital-asset-management digital-citizenship document-management
    donor-management e-commerce e-signature educational-content email-management email-marketing
    employee-management enterprise-project-management enterprise-social-networking erp event-management
    facility-management feedback-and-reviews-management financial-reporting fleet-management fundraising
    gamification geographic-information-systems grant-management graphic-design help-desk hr ide
    identity-management instant-messaging inventory-management it-asset-management it-development
    it-management it-security it-service-management knowledge-management learning-management-system marketing
    mind-mapping mobile-marketing mobile-payment network-management office online-booking online-community
    payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration
    project-management property-management real-estate-management remote-support resource-management
    sales-management seo service-desk social-media-management survey talent-management task-management
    taxes-management test-management time-management time-tracking translation video-conferencing
    video-editing visitor-management voip warehouse-management web-collaboration web-conferencing
    website-builder whistleblowing workflow-management"""
)
# docs/standard/scope-list.rst
SCOPES = _words(
    """agriculture culture defence education emergency-services employment energy environment
    finance-and-economic-development foreign-affairs healthcare infrastructures justice local-authorities
    manufacturing research science-and-technology security society sport tourism transportation welfare"""
)
# ISO 3166-1 alpha-2 (all 249 assigned codes).
COUNTRIES = _words(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
    BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ
    FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ
    IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH
    MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL
    PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD
    TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"""
)
# ISO 639-1: the two-letter primary language subtags of BCP 47.
LANGUAGES = _words(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
    el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is
    it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms
    mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk
    sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu"""
)
# Three-letter codes (ISO 639-2, as version 0.1 used them) of languages that have a two-letter code: BCP 47
# allows only the shortest, so "dan" is wrong where "da" is right.
_LONG_LANGUAGE_CODES = {
    "dan": "da", "eng": "en", "ita": "it", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
    "nld": "nl", "dut": "nl", "swe": "sv", "nor": "no", "nob": "nb", "nno": "nn", "fin": "fi", "isl": "is",
    "ice": "is", "por": "pt", "pol": "pl", "est": "et", "lav": "lv", "lit": "lt", "ell": "el", "gre": "el",
    "ces": "cs", "cze": "cs", "slk": "sk", "slo": "sk", "slv": "sl", "hun": "hu", "ron": "ro", "rum": "ro",
    "bul": "bg", "hrv": "hr", "srp": "sr", "ukr": "uk", "rus": "ru", "tur": "tr", "ara": "ar", "fao": "fo",
    "kal": "kl", "gle": "ga", "mlt": "mt", "cat": "ca", "eus": "eu", "baq": "eu", "glg": "gl", "zho": "zh",
    "chi": "zh", "jpn": "ja", "kor": "ko", "fas": "fa", "per": "fa", "urd": "ur", "som": "so",
}  # fmt: skip
_BCP47 = re.compile(
    r"^(?P<language>[A-Za-z]{2,3})"
    r"(?:-[A-Za-z]{3}){0,3}"  # extended language subtags
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"  # private use
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MIME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")
_COUNTRY_SECTION = re.compile(r"^[A-Za-z]{2}$")


# --- Messages ---------------------------------------------------------------------------------------------------

_MISSING = gettext_noop("%(key)s is missing")
_EMPTY = gettext_noop("%(key)s is empty")
_TYPES = {
    "text": gettext_noop("%(key)s must be text"),
    "list": gettext_noop("%(key)s must be a list"),
    "mapping": gettext_noop("%(key)s must be a mapping of keys"),
    "bool": gettext_noop("%(key)s must be true or false"),
    "text-or-list": gettext_noop("%(key)s must be text or a list of texts"),
}


_DROP_IT = gettext_noop("it can be dropped")


# --- Reading YAML with lines --------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, text: Message, line: int | None = None):
        super().__init__(str(text))
        self.text = text
        self.line = line


_TRUE = {"true", "yes", "on", "y"}


class _Reader:
    """Turns composed YAML nodes into plain data: mappings, lists, text, True/False and None. Every other
    scalar (numbers, dates) stays the text it was written as, so `softwareVersion: 1.10` is "1.10" and
    `releaseDate: 2024-05-01` is "2024-05-01", as the standard means them. Records the line of every key and
    list item, counts alias uses and refuses cycles, depth and expansion beyond the limits."""

    def __init__(self):
        self.lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []
        self.nodes = 0
        self.aliases = 0
        self.repeated = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()

    def read(self, node, path: str, depth: int, repeated: bool = False):
        """`repeated`: inside a value an alias repeats (its parts are not counted as aliases again)."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(
                message(gettext_noop("The document has more than %(limit)s values; it is refused."), limit=MAX_NODES)
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                message(gettext_noop("The document nests deeper than %(limit)s levels."), limit=MAX_DEPTH),
                node.start_mark.line + 1,
            )
        ident = id(node)
        if ident in self.active:
            raise _Refused(message(gettext_noop("An alias refers to itself.")), node.start_mark.line + 1)
        again = ident in self.seen
        if again or repeated:
            self.repeated += 1
            if self.repeated > MAX_ALIAS_VALUES:
                raise _Refused(
                    message(
                        gettext_noop(
                            "The aliases in the document expand to more than %(limit)s values; it is refused."
                        ),
                        limit=MAX_ALIAS_VALUES,
                    )
                )
        if again and not repeated:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(
                    message(
                        gettext_noop("The document uses aliases more than %(limit)s times; it is refused."),
                        limit=MAX_ALIASES,
                    )
                )
        self.seen.add(ident)
        kind = node.id
        if kind == "scalar":
            return self._scalar(node)
        self.active.add(ident)
        try:
            if kind == "sequence":
                result = []
                for index, item in enumerate(node.value):
                    item_path = f"{path}[{index}]"
                    self.lines.setdefault(item_path, item.start_mark.line + 1)
                    result.append(self.read(item, item_path, depth + 1, repeated or again))
                return result
            mapping = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if key_node.id != "scalar":
                    raise _Refused(
                        message(gettext_noop("A key must be text, not a list or a mapping.")),
                        line,
                    )
                key = key_node.value
                key_path = f"{path}.{key}" if path else key
                if key in mapping:
                    self.duplicates.append((key_path, line))
                self.lines.setdefault(key_path, line)
                mapping[key] = self.read(value_node, key_path, depth + 1, repeated or again)
            return mapping
        finally:
            self.active.discard(ident)

    @staticmethod
    def _scalar(node):
        tag = node.tag or ""
        if tag.endswith(":null"):
            return None
        if tag.endswith(":bool"):
            return node.value.lower() in _TRUE
        return node.value


def _load(text: str):
    """(data, lines, duplicates) of the text, or raises _Refused."""
    import yaml  # noqa: PLC0415 - the scanner's command line starts without it until a check needs it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(exc.problem or exc.context or "").split())
        raise _Refused(
            message(gettext_noop("The text is not valid YAML: %(reason)s."), reason=reason),
            mark.line + 1 if mark else None,
        ) from None
    except RecursionError:
        raise _Refused(message(gettext_noop("The document nests too deeply."))) from None
    except Exception as exc:  # noqa: BLE001 - a YAML library error of any kind is the text's fault
        reason = " ".join(str(exc).split())[:200]
        raise _Refused(message(gettext_noop("The text is not valid YAML: %(reason)s."), reason=reason)) from None
    if root is None:
        raise _Refused(message(gettext_noop("The document is empty.")))
    if root.id != "mapping":
        raise _Refused(
            message(gettext_noop("The document must be a mapping of keys (key: value), not a list or a text.")),
            root.start_mark.line + 1,
        )
    reader = _Reader()
    try:
        data = reader.read(root, "", 0)
    except RecursionError:
        raise _Refused(message(gettext_noop("The document nests too deeply."))) from None
    return data, reader.lines, reader.duplicates


# --- Validation -------------------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, data: dict, lines: dict[str, int], minor: int):
        self.data = data
        self.lines = lines
        self.minor = minor
        self.problems: list[Problem] = []

    # Reporting -------------------------------------------------------------------------------------------------
    def line(self, key: str) -> int | None:
        """The line of the key, or of its nearest parent that is in the document."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = re.sub(r"(\.[^.\[\]]*|\[\d+\])$", "", key) if ("." in key or "[" in key) else ""
        return None

    def error(self, key: str, template: str, **params):
        self.problems.append(Problem(key, self.line(key), message(template, key=key, **params)))

    def warn(self, key: str, template: str, **params):
        self.problems.append(Problem(key, self.line(key), message(template, key=key, **params), "warning"))

    def missing(self, key: str):
        self.error(key, _MISSING)

    def absent(self, key: str):
        """A required value that is not there: missing, or written without a value."""
        self.error(key, _EMPTY if key in self.lines else _MISSING)

    def deprecated(self, key: str, since: str, advice: Message):
        self.warn(
            key,
            gettext_noop("%(key)s is deprecated since version %(version)s of the standard: %(advice)s."),
            version=since,
            advice=advice,
        )

    # Types ----------------------------------------------------------------------------------------------------
    def text(self, key: str, value, *, required=False, max_length=None, min_length=None) -> str | None:
        if value is None or value == "":
            if required:
                self.absent(key)
            return None
        if not isinstance(value, str):
            self.error(key, _TYPES["text"])
            return None
        length = len(value.strip())
        if max_length is not None and length > max_length:
            self.error(
                key,
                gettext_noop("%(key)s is %(length)s characters long; at most %(limit)s are allowed."),
                length=length,
                limit=max_length,
            )
        if min_length is not None and length < min_length:
            self.error(
                key,
                gettext_noop("%(key)s is %(length)s characters long; at least %(limit)s are required."),
                length=length,
                limit=min_length,
            )
        return value

    def mapping(self, key: str, value, *, required=False) -> dict | None:
        if value is None:
            if required:
                self.absent(key)
            return None
        if not isinstance(value, dict):
            self.error(key, _TYPES["mapping"])
            return None
        return value

    def listing(self, key: str, value, *, required=False, single_allowed=False) -> list | None:
        if value is None or value == []:
            if required:
                self.absent(key)
            return None
        if single_allowed and isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            self.error(key, _TYPES["text-or-list" if single_allowed else "list"])
            return None
        return value

    def texts(self, key: str, value, *, required=False, single_allowed=False) -> list[tuple[str, str]]:
        """(item key, text) of a list of texts; items that are not text are reported."""
        items = self.listing(key, value, required=required, single_allowed=single_allowed)
        if items is None:
            return []
        if single_allowed and isinstance(value, str):
            return [(key, value)]
        found = []
        for index, item in enumerate(items):
            item_key = f"{key}[{index}]"
            if self.text(item_key, item, required=True) is not None:
                found.append((item_key, item))
        return found

    def boolean(self, key: str, value, *, required=False):
        if value is None:
            if required:
                self.missing(key)
            return
        if not isinstance(value, bool):
            self.error(key, _TYPES["bool"])

    def choice(self, key: str, value, allowed, *, required=False):
        text = self.text(key, value, required=required)
        if text is not None and text not in allowed:
            self.error(
                key,
                gettext_noop("%(key)s is “%(value)s”; it must be one of: %(allowed)s."),
                value=text,
                allowed=", ".join(allowed),
            )

    def url(self, key: str, value, *, required=False, any_scheme=False):
        text = self.text(key, value, required=required)
        if text is None:
            return
        try:
            parts = urlsplit(text.strip())
            scheme_ok = parts.scheme in ("http", "https") or (
                any_scheme and re.match(r"^[a-z][a-z0-9+.-]*$", parts.scheme)
            )
            good = scheme_ok and parts.netloc and not re.search(r"\s", text.strip())
        except ValueError:
            good = False
        if not good:
            template = (
                gettext_noop("%(key)s must be the address of the repository, such as https://github.com/OS2/name.")
                if any_scheme
                else gettext_noop("%(key)s must be an address starting with https:// or http://.")
            )
            self.error(key, template)

    def date(self, key: str, value, *, required=False):
        text = self.text(key, value, required=required)
        if text is None:
            return
        try:
            good = bool(_DATE.match(text)) and datetime.date.fromisoformat(text) is not None
        except ValueError:
            good = False
        if not good:
            self.error(key, gettext_noop("%(key)s must be a date written YYYY-MM-DD, such as 2024-05-31."))

    def email(self, key: str, value):
        text = self.text(key, value)
        if text is not None and not _EMAIL.match(text.strip()):
            self.error(key, gettext_noop("%(key)s must be an e-mail address."))

    def file(self, key: str, value, extensions: tuple[str, ...]):
        """A file of the repository: a relative path or an http(s) address, with one of the extensions."""
        text = self.text(key, value)
        if text is None:
            return
        text = text.strip()
        scheme = urlsplit(text).scheme if ":" in text else ""
        if text.startswith("/") or (scheme and scheme not in ("http", "https")):
            self.error(
                key,
                gettext_noop(
                    "%(key)s must be a path inside the repository (such as docs/logo.svg) or an https:// address."
                ),
            )
        elif not text.lower().split("?")[0].endswith(extensions):
            self.error(key, gettext_noop("%(key)s must be a file of type %(types)s."), types=", ".join(extensions))

    def language(self, key: str, tag: str, template: str):
        """A BCP 47 language tag ("da", "en-GB", "sl-IT-nedis")."""
        match = _BCP47.match(tag) if isinstance(tag, str) else None
        if match:
            primary = match.group("language").lower()
            region = match.group("region")
            if len(primary) == 2 and primary not in LANGUAGES:
                match = None
            elif primary in _LONG_LANGUAGE_CODES:
                self.error(
                    key,
                    gettext_noop("“%(tag)s” in %(key)s must be written with the two-letter code “%(short)s”."),
                    tag=tag,
                    short=_LONG_LANGUAGE_CODES[primary],
                )
                return
            elif region and region.isalpha() and region.upper() not in COUNTRIES:
                match = None
        if not match:
            self.error(key, template, tag=tag)

    def country(self, key: str, value):
        text = self.text(key, value, required=True)
        if text is None:
            return
        if text.upper() not in COUNTRIES or len(text) != 2:
            self.error(
                key,
                gettext_noop("“%(value)s” in %(key)s is not a two-letter country code (ISO 3166-1 alpha-2)."),
                value=text,
            )
        elif self.minor >= 5 and text != text.upper():
            self.deprecated(
                key, "0.5", message(gettext_noop("write the country code in capitals (%(code)s)"), code=text.upper())
            )

    def known_keys(self, key: str, value: dict, known: dict[str, int]):
        """Warns about keys the standard does not have (or not yet in the declared version)."""
        for name in value:
            path = f"{key}.{name}" if key else name
            since = known.get(name)
            if since is None:
                if not key and (_COUNTRY_SECTION.match(name) or name in _VERSION_0_1_KEYS):
                    continue  # a country's own section, or version 0.1's key (reported as the version)
                self.warn(path, gettext_noop("%(key)s is not a key of the standard; it is ignored."))
            elif since > self.minor:
                self.warn(
                    path,
                    gettext_noop(
                        "%(key)s came with version 0.%(since)s of the standard; the file declares an older one."
                    ),
                    since=since,
                )

    # The standard ------------------------------------------------------------------------------------------
    def check(self):
        data = self.data
        self.known_keys("", data, _TOP_KEYS)
        self.text("name", data.get("name"), required=True)
        self.text("applicationSuite", data.get("applicationSuite"))
        self.url("url", data.get("url"), required=True, any_scheme=True)
        self.url("landingURL", data.get("landingURL"))
        for item_key, item in self.texts("isBasedOn", data.get("isBasedOn"), single_allowed=True):
            self.url(item_key, item, any_scheme=True)
        self.text("softwareVersion", data.get("softwareVersion"))
        self.date("releaseDate", data.get("releaseDate"))
        self.file("logo", data.get("logo"), (".svg", ".svgz", ".png"))
        if "monochromeLogo" in data:
            self.file("monochromeLogo", data.get("monochromeLogo"), (".svg", ".svgz", ".png"))
            self._deprecated_since_0_3("monochromeLogo", message(gettext_noop("use logo instead")))
        self._organisation()
        for name in ("inputTypes", "outputTypes"):
            if name in data:
                for item_key, item in self.texts(name, data.get(name)):
                    if not _MIME.match(item.strip()):
                        self.error(
                            item_key,
                            gettext_noop("“%(value)s” in %(key)s is not a media type (such as text/csv)."),
                            value=item,
                        )
                self._deprecated_since_0_3(name, message(_DROP_IT))
        self._platforms()
        self._categories()
        self.texts("usedBy", data.get("usedBy"))
        self.url("roadmap", data.get("roadmap"))
        self.choice("developmentStatus", data.get("developmentStatus"), DEVELOPMENT_STATUSES, required=True)
        self.choice("softwareType", data.get("softwareType"), SOFTWARE_TYPES, required=True)
        self._intended_audience()
        self._description()
        self._legal()
        self._maintenance()
        self._localisation()
        self._depends_on()
        self._italy()

    def _deprecated_since_0_3(self, key: str, advice: Message):
        if self.minor >= 3:
            self.deprecated(key, "0.3", advice)

    def _organisation(self):
        if "organisation" in self.data:
            organisation = self.mapping("organisation", self.data["organisation"], required=True)
            if organisation is not None:
                self.known_keys("organisation", organisation, {"name": 5, "uri": 5})
                self.text("organisation.name", organisation.get("name"), required=True)
                self.text("organisation.uri", organisation.get("uri"))
        for index, funder in enumerate(self.listing("fundedBy", self.data.get("fundedBy")) or []):
            key = f"fundedBy[{index}]"
            funder = self.mapping(key, funder, required=True)
            if funder is not None:
                self.known_keys(key, funder, {"name": 5, "uri": 5})
                self.text(f"{key}.name", funder.get("name"), required=True)
                self.text(f"{key}.uri", funder.get("uri"))

    def _platforms(self):
        self.texts("platforms", self.data.get("platforms"), required=True, single_allowed=True)

    def _categories(self):
        allowed = CATEGORIES | {"other"} if self.minor >= 5 else CATEGORIES
        for item_key, item in self.texts("categories", self.data.get("categories"), required=self.minor < 5):
            if item not in allowed:
                self.error(
                    item_key,
                    gettext_noop("“%(value)s” in %(key)s is not a category of the standard's list."),
                    value=item,
                )

    def _intended_audience(self):
        audience = self.mapping("intendedAudience", self.data.get("intendedAudience"))
        if audience is None:
            return
        self.known_keys("intendedAudience", audience, {"scope": 2, "countries": 0, "unsupportedCountries": 0})
        for item_key, item in self.texts("intendedAudience.scope", audience.get("scope")):
            if item not in SCOPES:
                self.error(
                    item_key, gettext_noop("“%(value)s” in %(key)s is not a scope of the standard's list."), value=item
                )
        for name in ("countries", "unsupportedCountries"):
            key = f"intendedAudience.{name}"
            for index, item in enumerate(self.listing(key, audience.get(name)) or []):
                self.country(f"{key}[{index}]", item)

    def _description(self):
        description = self.mapping("description", self.data.get("description"), required=True)
        if description is None:
            return
        if not description:
            self.error("description", _EMPTY)
            return
        with_long, with_features, first = False, False, None
        for language, entry in description.items():
            key = f"description.{language}"
            self.language(
                key,
                language,
                gettext_noop("%(key)s: “%(tag)s” is not a language code (BCP 47, such as da, en or en-GB)."),
            )
            entry = self.mapping(key, entry, required=True)
            if entry is None:
                continue
            first = first or language
            self.known_keys(key, entry, _DESCRIPTION_KEYS)
            self.text(f"{key}.localisedName", entry.get("localisedName"))
            if "genericName" in entry:
                self.text(f"{key}.genericName", entry.get("genericName"), max_length=35)
                self._deprecated_since_0_3(f"{key}.genericName", message(_DROP_IT))
            self.text(f"{key}.shortDescription", entry.get("shortDescription"), required=True, max_length=150)
            if entry.get("longDescription") is not None:
                with_long = True
                self.text(f"{key}.longDescription", entry.get("longDescription"), min_length=150, max_length=10000)
            self.url(f"{key}.documentation", entry.get("documentation"))
            self.url(f"{key}.apiDocumentation", entry.get("apiDocumentation"))
            if entry.get("features") is not None:
                features = self.texts(f"{key}.features", entry.get("features"), required=True)
                with_features = with_features or bool(features)
                for item_key, item in features:
                    if len(item.strip()) > 100:
                        self.warn(
                            item_key,
                            gettext_noop("%(key)s is %(length)s characters long; a feature should fit in 100."),
                            length=len(item.strip()),
                        )
            for item_key, item in self.texts(f"{key}.screenshots", entry.get("screenshots")):
                self.file(item_key, item, (".png", ".jpg", ".jpeg"))
            for item_key, item in self.texts(f"{key}.videos", entry.get("videos")):
                self.url(item_key, item)
            self.texts(f"{key}.awards", entry.get("awards"))
        # Required "for at least one language" (the standard's words): reported on the first language.
        if first is not None and not with_long:
            self.missing(f"description.{first}.longDescription")
        if first is not None and not with_features:
            self.missing(f"description.{first}.features")

    def _legal(self):
        legal = self.mapping("legal", self.data.get("legal"), required=True)
        if legal is None:
            return
        self.known_keys("legal", legal, {"license": 0, "mainCopyrightOwner": 0, "repoOwner": 0, "authorsFile": 0})
        licence = self.text("legal.license", legal.get("license"), required=True)
        if licence is not None:
            expression = spdx.parse(licence)
            if expression is None:
                self.error(
                    "legal.license",
                    gettext_noop(
                        "%(key)s “%(value)s” is not an SPDX licence expression (such as MPL-2.0 or EUPL-1.2)."
                    ),
                    value=licence.strip(),
                )
            elif expression.unknown:
                self.error(
                    "legal.license",
                    gettext_noop("%(key)s names licences that are not on the SPDX list: %(ids)s."),
                    ids=", ".join(expression.unknown),
                )
            elif getattr(expression, "deprecated", None):
                self.warn(
                    "legal.license",
                    gettext_noop("%(key)s uses deprecated SPDX ids (%(ids)s); write “%(current)s”."),
                    ids=", ".join(expression.deprecated),
                    current=expression.current,
                )
        self.text("legal.mainCopyrightOwner", legal.get("mainCopyrightOwner"))
        if "repoOwner" in legal:
            self.text("legal.repoOwner", legal.get("repoOwner"))
            if self.minor >= 5:
                self.deprecated("legal.repoOwner", "0.5", message(gettext_noop("use organisation.name instead")))
        if "authorsFile" in legal:
            self.text("legal.authorsFile", legal.get("authorsFile"))
            self._deprecated_since_0_3("legal.authorsFile", message(_DROP_IT))

    def _maintenance(self):
        maintenance = self.mapping("maintenance", self.data.get("maintenance"), required=True)
        if maintenance is None:
            return
        self.known_keys("maintenance", maintenance, {"type": 0, "contractors": 0, "contacts": 0})
        kind = maintenance.get("type")
        self.choice("maintenance.type", kind, MAINTENANCE_TYPES, required=True)
        contractors = self.listing(
            "maintenance.contractors", maintenance.get("contractors"), required=kind == "contract"
        )
        if contractors and kind != "contract" and self.minor >= 5 and kind in MAINTENANCE_TYPES:
            self.error(
                "maintenance.contractors",
                gettext_noop("%(key)s is only for maintenance.type contract (the type is %(type)s)."),
                type=kind,
            )
        for index, contractor in enumerate(contractors or []):
            key = f"maintenance.contractors[{index}]"
            contractor = self.mapping(key, contractor, required=True)
            if contractor is None:
                continue
            self.known_keys(key, contractor, {"name": 0, "email": 0, "website": 0, "until": 0})
            self.text(f"{key}.name", contractor.get("name"), required=True)
            self.email(f"{key}.email", contractor.get("email"))
            self.url(f"{key}.website", contractor.get("website"))
            self.date(f"{key}.until", contractor.get("until"), required=True)
        contacts = self.listing(
            "maintenance.contacts", maintenance.get("contacts"), required=kind in ("internal", "community")
        )
        for index, contact in enumerate(contacts or []):
            key = f"maintenance.contacts[{index}]"
            contact = self.mapping(key, contact, required=True)
            if contact is None:
                continue
            self.known_keys(key, contact, {"name": 0, "email": 0, "phone": 0, "affiliation": 0})
            self.text(f"{key}.name", contact.get("name"), required=True)
            self.email(f"{key}.email", contact.get("email"))
            self.text(f"{key}.phone", contact.get("phone"))
            self.text(f"{key}.affiliation", contact.get("affiliation"))

    def _localisation(self):
        localisation = self.mapping("localisation", self.data.get("localisation"), required=True)
        if localisation is None:
            return
        self.known_keys("localisation", localisation, {"localisationReady": 0, "availableLanguages": 0})
        self.boolean("localisation.localisationReady", localisation.get("localisationReady"), required=True)
        for item_key, item in self.texts(
            "localisation.availableLanguages", localisation.get("availableLanguages"), required=True
        ):
            self.language(
                item_key,
                item,
                gettext_noop("“%(tag)s” in %(key)s is not a language code (BCP 47, such as da, en or en-GB)."),
            )

    def _depends_on(self):
        depends = self.mapping("dependsOn", self.data.get("dependsOn"))
        if depends is None:
            return
        self.known_keys("dependsOn", depends, {"open": 0, "proprietary": 0, "hardware": 0})
        for kind in ("open", "proprietary", "hardware"):
            for index, dependency in enumerate(self.listing(f"dependsOn.{kind}", depends.get(kind)) or []):
                key = f"dependsOn.{kind}[{index}]"
                dependency = self.mapping(key, dependency, required=True)
                if dependency is None:
                    continue
                self.known_keys(
                    key, dependency, {"name": 0, "versionMin": 0, "versionMax": 0, "version": 0, "optional": 0}
                )
                self.text(f"{key}.name", dependency.get("name"), required=True)
                for name in ("versionMin", "versionMax", "version"):
                    self.text(f"{key}.{name}", dependency.get(name))
                self.boolean(f"{key}.optional", dependency.get("optional"))

    def _italy(self):
        """The Italian section is Italy's to check; only what the core standard says about it is checked."""
        if self.minor < 5 or not ("it" in self.data or "IT" in self.data):
            return
        if "it" in self.data and "IT" in self.data:
            self.error("it", gettext_noop("%(key)s and IT are the same section; keep IT only."))
        elif "it" in self.data:
            self.deprecated("it", "0.5", message(gettext_noop("write the section as IT")))
        name = "IT" if "IT" in self.data else "it"
        section = self.data[name]
        if isinstance(section, dict):
            if "conforme" in section:
                self.deprecated(f"{name}.conforme", "0.5", message(_DROP_IT))
            riuso = section.get("riuso")
            if isinstance(riuso, dict) and "codiceIPA" in riuso:
                self.deprecated(
                    f"{name}.riuso.codiceIPA",
                    "0.5",
                    message(
                        gettext_noop("use organisation.uri urn:x-italian-pa:%(code)s instead"), code=riuso["codiceIPA"]
                    ),
                )


# Keys of the top level and of a description, with the minor version that brought them (0 = all versions).
_TOP_KEYS = {
    "publiccodeYmlVersion": 0, "name": 0, "applicationSuite": 0, "url": 0, "landingURL": 0, "isBasedOn": 0,
    "softwareVersion": 0, "releaseDate": 0, "logo": 0, "monochromeLogo": 0, "organisation": 5, "fundedBy": 5,
    "inputTypes": 0, "outputTypes": 0, "platforms": 0, "categories": 0, "usedBy": 0, "roadmap": 0,
    "developmentStatus": 0, "softwareType": 0, "intendedAudience": 0, "description": 0, "legal": 0,
    "maintenance": 0, "localisation": 0, "dependsOn": 0,
}  # fmt: skip
_DESCRIPTION_KEYS = {
    "localisedName": 0, "genericName": 0, "shortDescription": 0, "longDescription": 0, "documentation": 0,
    "apiDocumentation": 0, "features": 0, "screenshots": 0, "videos": 0, "awards": 0,
}  # fmt: skip


# Version 0.1's key, as the standard's changelog spells it and as files in the wild do.
_VERSION_0_1_KEYS = ("publiccode-yaml-version", "publiccode-yml-version")


def _version(data: dict, lines: dict[str, int]) -> tuple[str | None, int, list[Problem]]:
    """(version as written, the minor version whose rules apply, problems of the version itself)."""
    current_minor = _LATEST_MINOR
    if "publiccodeYmlVersion" not in data:
        old_key = next((key for key in _VERSION_0_1_KEYS if key in data), None)
        if old_key:
            text = message(
                gettext_noop(
                    "The file follows version 0.1 of the standard (%(key)s), which is no longer read; write it "
                    "for version %(current)s."
                ),
                key=old_key,
                current=CURRENT_VERSION,
            )
            return None, current_minor, [Problem(old_key, lines.get(old_key), text)]
        return (
            None,
            current_minor,
            [Problem("publiccodeYmlVersion", None, message(_MISSING, key="publiccodeYmlVersion"))],
        )
    raw = data["publiccodeYmlVersion"]
    line = lines.get("publiccodeYmlVersion")
    if not isinstance(raw, str) or not raw.strip():
        key = "publiccodeYmlVersion"
        template = _EMPTY if raw in (None, "") else _TYPES["text"]
        return None, current_minor, [Problem(key, line, message(template, key=key))]
    version = raw.strip()
    match = re.match(r"^0(?:\.(\d+)(?:\.\d+)?)?$", version)
    if version in KNOWN_VERSIONS:
        minor = int(match.group(1)) if match.group(1) else _LATEST_MINOR
        problems = []
        if minor < 4:
            problems.append(
                Problem(
                    "publiccodeYmlVersion",
                    line,
                    message(
                        gettext_noop("Version %(version)s of the standard is old; version %(current)s is current."),
                        version=version,
                        current=CURRENT_VERSION,
                    ),
                    "warning",
                )
            )
        return version, minor, problems
    if match and match.group(1) and int(match.group(1)) > _LATEST_MINOR:
        text = message(
            gettext_noop(
                "Version %(version)s of the standard is newer than this check knows; it is checked as %(current)s."
            ),
            version=version,
            current=CURRENT_VERSION,
        )
        return version, current_minor, [Problem("publiccodeYmlVersion", line, text, "warning")]
    text = message(
        gettext_noop("publiccodeYmlVersion “%(version)s” is not a version of the standard (such as %(current)s)."),
        version=version,
        current=CURRENT_VERSION,
    )
    return version, current_minor, [Problem("publiccodeYmlVersion", line, text)]


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8")  # UnicodeDecodeError: the caller reports it
    return text.removeprefix("\ufeff")


def validate(text: str | bytes) -> Document:
    """The document and its problems; never raises (an unforeseen failure is reported as a problem)."""
    try:
        return _validate(text)
    except Exception as exc:  # noqa: BLE001 - validation must never take down a scan or a page
        reason = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        return Document(
            None,
            None,
            [Problem("", None, message(gettext_noop("The file could not be checked (%(reason)s)."), reason=reason))],
        )


def _validate(text: str | bytes) -> Document:
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        refused = message(
            gettext_noop("The file is larger than %(limit)s KiB; it is not read."), limit=MAX_BYTES // 1024
        )
        return Document(None, None, [Problem("", None, refused)])
    try:
        text = _decode(text)
    except UnicodeDecodeError:
        return Document(None, None, [Problem("", None, message(gettext_noop("The file is not UTF-8 text.")))])
    # Counted before parsing, which is what would take the time: a value per line, or per comma in a flow list.
    if text.count("\n") > MAX_LINES:
        refused = message(gettext_noop("The file has more than %(limit)s lines; it is not read."), limit=MAX_LINES)
        return Document(None, None, [Problem("", None, refused)])
    if text.count(",") > MAX_NODES:
        refused = message(gettext_noop("The document has more than %(limit)s values; it is refused."), limit=MAX_NODES)
        return Document(None, None, [Problem("", None, refused)])
    try:
        data, lines, duplicates = _load(text)
    except _Refused as refused:
        return Document(None, None, [Problem("", refused.line, refused.text)])
    version, minor, problems = _version(data, lines)
    for key, line in duplicates:
        problems.append(Problem(key, line, message(gettext_noop("%(key)s is written more than once."), key=key)))
    checker = _Checker(data, lines, minor)
    checker.check()
    problems += checker.problems
    # In the order of the file; keys missing from the top (no line) after what is wrong in it.
    order = {id(problem): index for index, problem in enumerate(problems)}
    problems.sort(key=lambda problem: (problem.line is None, problem.line or 0, order[id(problem)]))
    return Document(data, version, problems, lines)


def summary(problems: list[Problem], limit: int = 5) -> Joined:
    """The first problems as one message, "; " between them."""
    return Joined(tuple(problem.text for problem in problems[:limit]), "; ")


# --- Writing ----------------------------------------------------------------------------------------------------

# The standard's order of keys, by where they stand ("" = the top, "description" = one language's entry).
_ORDER = {
    "": list(_TOP_KEYS),
    "description": list(_DESCRIPTION_KEYS),
    "organisation": ["name", "uri"],
    "fundedBy": ["name", "uri"],
    "intendedAudience": ["scope", "countries", "unsupportedCountries"],
    "legal": ["license", "mainCopyrightOwner", "repoOwner", "authorsFile"],
    "maintenance": ["type", "contractors", "contacts"],
    "contractors": ["name", "email", "website", "until"],
    "contacts": ["name", "email", "phone", "affiliation"],
    "localisation": ["localisationReady", "availableLanguages"],
    "dependsOn": ["open", "proprietary", "hardware"],
    "dependency": ["name", "versionMin", "versionMax", "version", "optional"],
}
_CHILD_PLACE = {
    ("", "organisation"): "organisation",
    ("", "fundedBy"): "fundedBy",
    ("", "intendedAudience"): "intendedAudience",
    ("", "legal"): "legal",
    ("", "maintenance"): "maintenance",
    ("", "localisation"): "localisation",
    ("", "dependsOn"): "dependsOn",
    ("maintenance", "contractors"): "contractors",
    ("maintenance", "contacts"): "contacts",
    ("dependsOn", "open"): "dependency",
    ("dependsOn", "proprietary"): "dependency",
    ("dependsOn", "hardware"): "dependency",
}


def _ordered(value, place: str | None):
    if isinstance(value, dict):
        order = _ORDER.get(place, []) if place is not None else []
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        result = {}
        for key in keys:
            if place == "" and key == "description" and isinstance(value[key], dict):
                result[key] = {str(lang): _ordered(entry, "description") for lang, entry in value[key].items()}
            else:
                result[str(key)] = _ordered(value[key], _CHILD_PLACE.get((place, key)))
        return result
    if isinstance(value, list | tuple):
        return [_ordered(item, place) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool):
        return value
    # Everything else as text, as the standard has it and as validate reads it back: numbers ("14" for
    # versionMin), and str subclasses such as a web framework's safe strings, which YAML would not write.
    return str(value)


def dump(data: dict) -> str:
    """YAML text of the mapping in the standard's key order: block style, UTF-8 as it is, texts with line
    breaks or longer than 80 characters as literal blocks. A mapping without publiccodeYmlVersion gets
    CURRENT_VERSION. validate(dump(data)).data == data for any mapping of texts, booleans, lists and mappings."""
    import yaml  # noqa: PLC0415

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):
        style = "|" if ("\n" in value or len(value) > 80) and value == value.strip(" ") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    data = dict(data)
    data.setdefault("publiccodeYmlVersion", CURRENT_VERSION)
    return yaml.dump(
        _ordered(data, ""), Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )


__all__ = ["CURRENT_VERSION", "Document", "Problem", "dump", "validate"]
