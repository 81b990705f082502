"""Recognising a licence file by comparing its text with every licence text of the SPDX License List, the way
licence detectors (licensee, ScanCode) do: both texts normalised as the SPDX matching guidelines allow
(https://spdx.github.io/spdx-spec/v2.3/license-matching-guidelines-and-templates/), then compared as sets of
word pairs by the Sørensen-Dice coefficient.

The SPDX texts are in os2hub/scanner/data/spdx-texts.json.gz, already normalised (scripts/update_spdx_texts.py
builds it with `words` below, so both sides are normalised alike). It is read at most once per process, and only
when the cheap ways of `spdx.recognise` (an identifier line, a well-known opening phrase, a title) found nothing.
"""

import bisect
import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "spdx-texts.json.gz"
# Bumped whenever `words` changes: the data file records the version it was built with (a test compares them).
NORMALISATION = 1

# A Dice coefficient of 0.9 on word pairs: pairs are stricter than the single words licensee compares (its 0.98
# on words lets a changed sentence through that pairs see), and measured on the SPDX list, 0.9 keeps the close
# families apart (BSD-2-Clause and BSD-3-Clause, CC-BY-4.0 and CC-BY-SA-4.0, both best matches by far) while a
# re-wrapped, re-formatted text with another copyright holder still scores 0.97 or more. A text that is 60 % one
# licence and 40 % something else scores 0.75: not that licence. Replacing a tenth of a text reaches the floor.
THRESHOLD = 0.9
# Dice(A, B) <= 2 min(|A|, |B|) / (|A| + |B|): texts whose sizes differ more than this cannot reach THRESHOLD,
# so only the licences of about the same length are compared at all.
SIZE_RATIO = THRESHOLD / (2 - THRESHOLD)
MIN_WORDS = 12  # shorter than the shortest SPDX licence text: a note, not a licence text (and no data is read)
MAX_CHARS = 200_000  # four times the longest SPDX text (APL-1.0, 46,000 characters): a bundle of many licences

# British and American spellings are the same word (SPDX guidelines, equivalent words).
_EQUIVALENT = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "licencee": "licensee",
    "licencor": "licensor",
    "sublicence": "sublicense",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "analogue": "analog",
    "authorisation": "authorization",
    "authorise": "authorize",
    "authorised": "authorized",
    "behaviour": "behavior",
    "centre": "center",
    "colour": "color",
    "favour": "favor",
    "honour": "honor",
    "judgement": "judgment",
    "labelled": "labeled",
    "offence": "offense",
    "organisation": "organization",
    "organisations": "organizations",
    "practise": "practice",
    "recognise": "recognize",
    "recognised": "recognized",
    "utilise": "utilize",
    "whilst": "while",
}
_PER_CENT = re.compile(r"\bper\s+cent\b")
_DROPPED_WORDS = {"http", "https", "www"}  # a link is the same link with or without them

# Quotes of any kind go with the rest of the punctuation; dashes of any kind are one hyphen (for _JOINED_HYPHEN).
_DASHES = re.compile("[‐‑‒–—―−]")
# A copyright notice (with its year, (c), © or a <placeholder>) is a line of its own and varies from file to file.
_COPYRIGHT_LINE = re.compile(
    r"^[\W_]*(copyright\b[^\n]*?(\(c\)|©|\d{4}|<|\[)|©|\(c\)\s*\d)[^\n]*$", re.MULTILINE | re.IGNORECASE
)
_RIGHTS_RESERVED = re.compile(r"all\s+rights\s+reserved\.?", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
# The varying parts of a template: <year>, <copyright holders>, [yyyy], [name of copyright owner].
_PLACEHOLDER = re.compile(r"<[^<>\n]{0,80}>|\[[^\[\]\n]{0,80}\]")
# List markers and Markdown at the start of a line: "1.", "(a)", "iv)", "-", "*", "#", ">".
_LINE_MARKER = re.compile(r"^[ \t]*((\(?[0-9]{1,3}|\(?[a-z]|\(?[ivx]{1,4})[.)]|[-*•·>#=_]+)(?=\s|$)", re.MULTILINE)
_JOINED_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")  # "sub-license" is "sublicense", "non-commercial" "noncommercial"
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of a licence text as the SPDX matching guidelines compare them: lower case, without
    punctuation, quotes, dashes, bullets, list numbers, Markdown, copyright notices, template placeholders, the
    title line and "http://", with British spellings made American."""
    text = _DASHES.sub("-", text)
    text = _COPYRIGHT_LINE.sub("", text)
    text = _RIGHTS_RESERVED.sub("", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _PLACEHOLDER.sub(" ", text).lower()
    lines = text.strip().split("\n", 1)
    if len(lines) == 2 and "licen" in lines[0] and len(lines[0].split()) <= 10:
        text = lines[1]  # "The MIT License (MIT)", "MIT License", "GNU GENERAL PUBLIC LICENSE": titles vary
    for _ in range(3):  # "1. (a) - text"
        text = _LINE_MARKER.sub(" ", text)
    text = _PER_CENT.sub("percent", _JOINED_HYPHEN.sub("", text))
    return [_EQUIVALENT.get(word, word) for word in _WORD.findall(text) if word not in _DROPPED_WORDS]


def pairs(sequence: list[str]) -> set[str]:
    """The word pairs (shingles of two) of a word list."""
    return {f"{a} {b}" for a, b in zip(sequence, sequence[1:], strict=False)}


@dataclass(frozen=True)
class Match:
    key: str  # the SPDX id
    similarity: float  # Sørensen-Dice coefficient, 0..1


def sample(sequence: list[str]) -> list[str]:
    """SAMPLE word pairs spread evenly over a text (all of a short one), stored with each SPDX text: a text
    that shares fewer than half of them with a licence file is not compared with it in full."""
    ordered = list(dict.fromkeys(f"{a} {b}" for a, b in zip(sequence, sequence[1:], strict=False)))
    step = max(1, len(ordered) // SAMPLE)
    return ordered[::step][:SAMPLE]


# At a similarity of THRESHOLD about four in five of a licence's pairs are in the file, wherever it was edited;
# missing half of pairs spread evenly over the text would take edits that fall just on them. Only the licences
# that pass are compared in full (two or three, of the fifty to a hundred of about the same length).
SAMPLE = 24
SAMPLE_FLOOR = 0.5


class _Texts:
    """The normalised SPDX texts, sorted by size, their pair sets made when first compared."""

    def __init__(self, data: dict):
        self.source = data["source"]
        entries = sorted(data["licences"], key=lambda entry: entry[1])
        self.keys = [key for key, _size, _text, _sample in entries]
        self.sizes = [size for _key, size, _text, _sample in entries]
        self.texts = [text for _key, _size, text, _sample in entries]
        self.samples = [sample for _key, _size, _text, sample in entries]
        self._pairs: dict[int, set[str]] = {}

    def candidates(self, size: int) -> range:
        return range(
            bisect.bisect_left(self.sizes, size * SIZE_RATIO), bisect.bisect_right(self.sizes, size / SIZE_RATIO)
        )

    def pairs(self, index: int) -> set[str]:
        if index not in self._pairs:
            self._pairs[index] = pairs(self.texts[index].split())
        return self._pairs[index]


@functools.cache
def texts() -> _Texts:
    with gzip.open(DATA, "rt", encoding="utf-8") as file:
        return _Texts(json.load(file))


def match(text: str) -> Match | None:
    """The SPDX licence whose text this is, when the best similarity reaches THRESHOLD; None otherwise (and
    without reading the data for a text too short or too long to be any licence text)."""
    if not text or len(text) > MAX_CHARS:
        return None
    sequence = words(text)
    if len(sequence) < MIN_WORDS:
        return None
    mine = pairs(sequence)
    data = texts()
    best: Match | None = None
    for index in data.candidates(len(mine)):
        if sum(pair in mine for pair in data.samples[index]) < SAMPLE_FLOOR * len(data.samples[index]):
            continue
        theirs = data.pairs(index)
        similarity = 2 * len(mine & theirs) / (len(mine) + len(theirs))
        if similarity >= THRESHOLD and (best is None or similarity > best.similarity):
            best = Match(data.keys[index], similarity)
    return best
