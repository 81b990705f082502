"""REUSE compliance (https://reuse.software) with the `reuse` library's semantics, run so that a repository cannot
lead it astray, and fast: about 15-20 ms for 2,000 files (reuse's own lint takes 0.5 s).

- `lint` builds reuse's project lint from reuse's own lower-level parts, over the files the scanner already lists
  (what git tracks, or a plain folder's files) and the texts other checks have already read:
  which files are covered (reuse's ignore patterns from `reuse.covered_files`: LICENSE*, COPYING*, *.license,
  REUSE.toml, *.spdx, .git, LICENSES/, .reuse/, Meson subprojects, empty files), the file's header
  (`reuse.extract.filter_ignore_block` and `extract_reuse_info`, only on the lines with a tag word) or its
  `.license` companion, REUSE.toml (`reuse.global_licensing.ReuseTOML`, nested ones too, with reuse's own
  annotation regular expressions and its precedence rules `closest`, `aggregate` and `override`) or
  `.reuse/dep5` (`ReuseDep5`), the licence texts in LICENSES/ (reuse's naming rules and SPDX list), and the
  report's sums. `lint_reference` is reuse's own `Project` + `ProjectReport` on the same files, 0.3-0.5 ms a
  file; the tests hold `lint` to it on many small repositories and on OS2hub itself.
- Nothing from the repository is executed: `reuse` normally asks git, Mercurial, Jujutsu or Pijul which files
  are ignored, and Mercurial or Jujutsu would read the repository's own configuration (extensions are code).
  Here no program is started, and a folder without git works the same.
- The repository is the listed files: a licence text in LICENSES/, a `.license` companion or a .reuse/dep5 that
  git does not track is not part of it (reuse's own lint, and `lint_reference`, look for those on disk).
- Links: reuse itself skips linked files and does not descend into linked folders, except in LICENSES/ (its
  glob follows linked folders) and for REUSE.toml, .reuse/dep5 and `x.license` companions, which it opens
  through links. A repository with a link in any of those places is refused before the lint.
- Huge files are left out of the lint (reuse reads every file to its end) and counted as skipped.
- File names that are not valid UTF-8 (os.fsdecode keeps them as surrogates) make reuse's file report fail on
  encoding the name; reuse counts such a file as a read error, and so does this check.
- reuse logs problems and warns about .reuse/dep5; both are kept out of the output. Every failure ends as a
  LintError with a message, never a traceback.
- Reading: reuse reads each file in chunks, asks libmagic for its encoding and runs its tag pattern over every
  line, about 1-2 ms a file. `_fast_reuse_info_of_file` gives the same result: text that is plainly UTF-8 needs
  no libmagic, and only the lines that can hold a tag (with "SPDX-", "Copyright" or the copyright sign, reuse's
  own pre-condition) go through reuse's `extract_reuse_info`. `lint` starts from a text the scanner has already
  read, else from the file's bytes, and leaves to reuse's encoding detection only what is not plainly UTF-8.
  Files that share a header (most do) share its parsing.
"""

import codecs
import functools
import io
import logging
import os
import re
import stat
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from types import SimpleNamespace

from . import files
from .messages import Message, gettext_noop, message
from .repository import Repository

MAX_LINT_BYTES = files.MAX_TEXT_BYTES
_LOGGER_SILENCED = False
_READER_INSTALLED = False
# Bytes that plain text does not have (NUL and most control characters): such a file goes to reuse's own
# encoding detection, which may call it binary.
_NOT_PLAIN_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# The same, as byte values and as characters, each searched for on its own (with memchr: a regular expression
# or a search for a one-byte bytes object is ten times slower).
_NOT_PLAIN_BYTES = (*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F)
_NOT_PLAIN_CHARACTERS = tuple(chr(byte) for byte in _NOT_PLAIN_BYTES)
_TAG_WORDS = ("SPDX-", "Copyright", "\u00a9")  # reuse's tag pattern needs one of these on the line


class LintError(Exception):
    """The lint could not run. `repository_fault` tells a problem of the repository (a malformed REUSE.toml)
    from one of the scanner or the library. `text` is the message with its template (str(error) the English)."""

    def __init__(self, text: Message | str, paths=(), *, repository_fault: bool = True):
        super().__init__(str(text))
        self.text = text if isinstance(text, Message) else Message(str(text))
        self.paths = list(paths)
        self.repository_fault = repository_fault


@dataclass
class Lint:
    files_total: int = 0
    missing_licensing: list[str] = field(default_factory=list)
    missing_copyright: list[str] = field(default_factory=list)
    bad_licenses: list[str] = field(default_factory=list)
    deprecated_licenses: list[str] = field(default_factory=list)
    licenses_without_extension: list[str] = field(default_factory=list)
    missing_licenses: list[str] = field(default_factory=list)
    unused_licenses: list[str] = field(default_factory=list)
    invalid_expressions: list[str] = field(default_factory=list)
    read_errors: list[str] = field(default_factory=list)
    skipped_large: list[str] = field(default_factory=list)
    compliant: bool = False


def setup_files(repo: Repository) -> list[str]:
    """The files that make a REUSE set-up: REUSE.toml (anywhere), .reuse/dep5 and the licence texts in
    LICENSES/. Empty when the repository has none (then there is nothing for reuse to lint)."""
    return [
        e.path
        for e in repo.entries
        if e.path in ("REUSE.toml", ".reuse/dep5", "LICENSES")
        or e.path.endswith("/REUSE.toml")
        or e.path.startswith("LICENSES/")
    ]


def _is_reuse_file(path: str) -> bool:
    """In LICENSES/ or .reuse/, a REUSE.toml, or a `.license` companion (by the name, which is the end of the
    path)."""
    return (
        path.startswith(("LICENSES/", ".reuse/"))
        or path.endswith((".license", "/REUSE.toml"))
        or path in ("LICENSES", ".reuse", "REUSE.toml")
    )


# Why a REUSE file is refused before the lint: one sentence per reason.
A_LINK = gettext_noop(
    "%(path)s is a link; the REUSE files (LICENSES/, REUSE.toml, .reuse/dep5, *.license) must be ordinary files for "
    "the scanner to check them."
)
NOT_ORDINARY = gettext_noop(
    "%(path)s is not an ordinary file; the REUSE files (LICENSES/, REUSE.toml, .reuse/dep5, *.license) must be "
    "ordinary files for the scanner to check them."
)


def _refuse_links(repo: Repository) -> None:
    """reuse opens these files through links (a link could point out of the checkout or at a device) and
    would wait forever on a named pipe; each must be an ordinary file."""
    root = repo.root
    refused: list[tuple[str, str]] = []
    for entry in repo.entries:
        if not _is_reuse_file(entry.path):
            continue
        if entry.is_link:
            refused.append((entry.path, A_LINK))
            continue
        try:
            mode = os.lstat(root / entry.path).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            refused.append((entry.path, NOT_ORDINARY))
    for special in ("LICENSES", ".reuse", ".reuse/dep5", "REUSE.toml"):
        if os.path.islink(root / special) and all(path != special for path, _why in refused):
            refused.append((special, A_LINK))
    licenses = root / "LICENSES"
    if licenses.is_dir() and not licenses.is_symlink():
        for e in files.walk(licenses):
            if e.is_link and all(path != f"LICENSES/{e.path}" for path, _why in refused):
                refused.append((f"LICENSES/{e.path}", A_LINK))
    if refused:
        path, why = refused[0]
        raise LintError(
            message(why, path=path),
            [path for path, _why in refused],
        )


def _silence_reuse() -> None:
    """reuse logs every unreadable file with its traceback; the findings say what matters."""
    global _LOGGER_SILENCED
    if not _LOGGER_SILENCED:
        logger = logging.getLogger("reuse")
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        # Above CRITICAL: reuse's own loggers (reuse.project, ...) inherit the level and log nothing, whatever
        # handlers an application or a test runner puts on the root logger. Their messages can hold file
        # names that are not valid UTF-8.
        logger.setLevel(logging.CRITICAL + 10)
        _LOGGER_SILENCED = True


def _fast_reuse_info_of_file(fp, chunk_size=None, line_size=None):
    """reuse.extract.reuse_info_of_file, with the same result for the files the lint reads (at most
    MAX_LINT_BYTES): the encoding, the newline normalisation, the REUSE ignore blocks and the tag
    extraction are reuse's; only plain UTF-8 skips libmagic, and lines without a tag word are not searched."""
    from reuse.copyright import ReuseInfo
    from reuse.extract import HEURISTICS_CHUNK_SIZE, detect_encoding, extract_reuse_info, filter_ignore_block

    # Files over MAX_LINT_BYTES are left out of the lint; a `.license` companion that large is read only so far.
    # The head decides the encoding; a binary file is not read further.
    head = fp.read(min(HEURISTICS_CHUNK_SIZE, MAX_LINT_BYTES))
    encoding = None
    if not _NOT_PLAIN_TEXT.search(head):
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a cut character at the end is fine
            encoding = "utf_8_sig" if head.startswith(codecs.BOM_UTF8) else "utf_8"
        except UnicodeDecodeError:
            pass
    if encoding is None:
        encoding = detect_encoding(head)
        if encoding is None:
            return ReuseInfo()  # binary: reuse does not search it either
    data = head + fp.read(MAX_LINT_BYTES - len(head))
    text = data.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    text = filter_ignore_block(text).text
    return extract_reuse_info("\n".join(_lines_with_tag_words(text)))


def _lines_with_tag_words(text: str) -> list[str]:
    """The lines holding one of the tag words, in order, each once (found with str.find: a file with a header
    of three tags costs a few searches, not a test of every line)."""
    find, rfind = text.find, text.rfind
    lines: dict[int, str] = {}
    for word in _TAG_WORDS:
        position = find(word)
        while position != -1:
            start = rfind("\n", 0, position) + 1
            end = find("\n", position)
            if end == -1:
                lines[start] = text[start:]
                break
            if start not in lines:
                lines[start] = text[start:end]
            position = find(word, end)
    if len(lines) < 2:
        return list(lines.values())
    return [lines[start] for start in sorted(lines)]


def _install_fast_reader() -> None:
    """Give reuse's Project the fast reader, once, if reuse still reads files through the function it imports
    from reuse.extract (else reuse's own reader stays: slower, same result)."""
    global _READER_INSTALLED
    if _READER_INSTALLED:
        return
    import reuse.extract
    import reuse.project

    if getattr(reuse.project, "reuse_info_of_file", None) is getattr(reuse.extract, "reuse_info_of_file", False):
        reuse.project.reuse_info_of_file = _fast_reuse_info_of_file
    _READER_INSTALLED = True


def _relative(path, root: Path) -> str:
    """The path below root, with forward slashes (string operations: reuse asks for every file and folder)."""
    text, prefix = os.fspath(path), os.fspath(root).rstrip("/") + "/"
    if text.startswith(prefix):
        return text[len(prefix) :]
    return Path(text).as_posix().removeprefix("./")


# --- The lint, from reuse's parts -----------------------------------------------------------------------------

# What the lint's results depend on, of one source of information (a file's header, its `.license` companion, a
# REUSE.toml annotation, a dep5 paragraph): (expressions, has copyright), an expression as (valid, licence ids).
_EMPTY = ((), False)


def _expression(expression) -> tuple[bool, tuple[str, ...]]:
    """What reuse's FileReport takes from an SpdxExpression: whether it parses, and its licence (and exception)
    ids."""
    return (True, tuple(expression.licenses)) if expression.is_valid else (False, ())


def _summary(info) -> tuple:
    """The part of a reuse ReuseInfo that the lint depends on (contributor lines do not count)."""
    if not info.spdx_expressions and not info.copyright_notices:
        return _EMPTY
    return tuple(_expression(e) for e in info.spdx_expressions), bool(info.copyright_notices)


@functools.lru_cache(maxsize=4096)
def _header_summary(tag_lines: str) -> tuple:
    """reuse's extract_reuse_info on a file's lines with tag words. Many files share their header, and the
    copyright and expression parsers are the costly part."""
    from reuse.extract import extract_reuse_info

    return _summary(extract_reuse_info(tag_lines))


def _summary_of_text(text: str, reuse: SimpleNamespace) -> tuple | None:
    """The information in a file from the scanner's text of it (the UTF-8 decoding of the whole file, without a
    byte-order mark): what `_fast_reuse_info_of_file` finds in the file, or None when only the bytes can tell
    (text that is not plainly UTF-8: reuse's encoding detection decides)."""
    if "\ufffd" in text:
        return None  # bytes that are not UTF-8 (or a U+FFFD as such)
    head = text[: reuse.head_bytes]  # at least the characters of the bytes reuse takes the encoding from
    for character in _NOT_PLAIN_CHARACTERS:
        if character in head:
            return None
    return _summary_of_plain_text(text, reuse)


def _summary_of_plain_text(text: str, reuse: SimpleNamespace) -> tuple:
    """`_fast_reuse_info_of_file` from the point where the file has been decoded as UTF-8."""
    if "SPDX-" not in text and "Copyright" not in text and "\u00a9" not in text:
        return _EMPTY
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if reuse.ignore_start in text:  # without it, filter_ignore_block returns the text as it is
        text = reuse.filter_ignore_block(text).text
    return _header_summary("\n".join(_lines_with_tag_words(text)))


class _NotAFile(Exception):
    """A listed path that is a folder (a git submodule): reuse walks into it; it is no file of the report."""


def _summary_of_data(data: bytes, reuse: SimpleNamespace) -> tuple:
    """The information in a file from its bytes (at most MAX_LINT_BYTES), as `_fast_reuse_info_of_file` finds
    it: plainly UTF-8 text (no control characters in the head, the head valid UTF-8) is decoded as UTF-8;
    anything else goes through reuse's encoding detection."""
    head = data[: reuse.head_bytes]
    for byte in _NOT_PLAIN_BYTES:
        if byte in head:
            return _summary(_fast_reuse_info_of_file(io.BytesIO(data)))
    if not head.isascii():
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a cut character at the end is fine
        except UnicodeDecodeError:
            return _summary(_fast_reuse_info_of_file(io.BytesIO(data)))
    text = data.decode("utf_8_sig" if data.startswith(codecs.BOM_UTF8) else "utf_8", errors="replace")
    return _summary_of_plain_text(text, reuse)


def _summary_of_file(root: Path, rel: str, reuse: SimpleNamespace, *, folder_is_error: bool) -> tuple:
    """The information in a file read as bytes (at most MAX_LINT_BYTES of it). Never follows a link (and no
    folder on the way is one: `_Walk`), never waits on a named pipe; raises OSError where reuse's `open` fails."""
    fd = os.open(os.path.join(root, rel), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) and not folder_is_error:
            raise _NotAFile(rel)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{rel} is not a file")
        # What the file holds, read in one call (a read of MAX_LINT_BYTES would allocate that much each time).
        wanted, chunks = min(info.st_size, MAX_LINT_BYTES), []
        while wanted > 0:
            chunk = os.read(fd, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
    finally:
        os.close(fd)
    return _summary_of_data(chunks[0] if len(chunks) == 1 else b"".join(chunks), reuse)


def _any_match(patterns: list) -> Callable[[str], object]:
    """`any(p.match(name) for p in patterns)` (as a truth value) for reuse's lists of name patterns, as one
    regular expression: each pattern is anchored at both ends, so one alternative matching is one pattern
    matching."""
    if all(p.flags == re.UNICODE for p in patterns):
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns)).match  # a match object or None
    return lambda name: any(p.match(name) for p in patterns)


class _Walk:
    """The folders reuse's walk enters (os.walk from the root, `covered_files.is_path_ignored`): not a link, not
    named like .git, .hg, .sl, LICENSES or .reuse, not a Meson subproject (a folder in a `subprojects` folder),
    and every folder above entered too. (A folder of a listed file is never one the reference lint's file list
    ignores; a listed folder, a git submodule, is entered and has no listed file.)"""

    def __init__(self, root: Path, reuse: SimpleNamespace):
        self.root = os.fspath(root)
        self.root_name = root.name  # the parent of a top-level folder, for the Meson rule
        self.ignored_name = _any_match(reuse.dir_patterns)
        self.meson_parent = _any_match(reuse.meson_parent_patterns)
        self.known: dict[str, bool] = {"": True}

    def enters(self, folder: str) -> bool:
        known = self.known.get(folder)
        if known is not None:
            return known
        entered, prefix, parent_name = True, "", self.root_name
        for part in folder.split("/"):  # level by level, without recursion: any depth of folders is fine
            prefix = f"{prefix}/{part}" if prefix else part
            known = self.known.get(prefix)
            if known is None:
                known = entered and not self.ignored_name(part) and not self.meson_parent(parent_name)
                if known:
                    try:
                        known = stat.S_ISDIR(os.lstat(os.path.join(self.root, prefix)).st_mode)
                    except OSError:
                        known = False
                self.known[prefix] = known
            entered, parent_name = known, part
        return entered

    def reaches(self, path: str) -> bool:
        """Whether the walk reaches the folder of a file."""
        return "/" not in path or self.enters(path.rsplit("/", 1)[0])


def _annotation_matcher(annotations: list) -> tuple[Callable, bool]:
    """reuse's `ReuseTOML.find_annotations_item` (the last annotation whose globs match a path relative to the
    REUSE.toml's folder) as one match of one regular expression: reuse's own regular expression of each
    annotation (`AnnotationsItem._paths_regex`, anchored at both ends) in a named group, the last annotation
    first, so that the first alternative that matches is the one reuse finds. Returns the match function and
    whether it is that regular expression's (the matching group's name `a<n>` tells annotation n); another reuse
    version without `_paths_regex` gets reuse's `matches`, one annotation at a time (the result is n)."""
    try:
        regexes = [item._paths_regex for item in annotations]
        if any(regex.flags != re.UNICODE for regex in regexes):
            raise AttributeError("flags")
    except AttributeError:

        def match_each(path: str) -> int | None:
            for n in range(len(annotations) - 1, -1, -1):
                if annotations[n].matches(path):
                    return n
            return None

        return match_each, False
    if not regexes:
        return (lambda path: None), False
    combined = re.compile("|".join(f"(?P<a{n}>{regexes[n].pattern})" for n in range(len(regexes) - 1, -1, -1)))
    return combined.match, True


class _Annotations:
    """REUSE.toml files (nested ones too) or .reuse/dep5: a file's information by precedence, as reuse's
    `NestedReuseTOML.reuse_info_of` and `ReuseDep5.reuse_info_of` give it, as the summaries of (override,
    aggregate, closest). Computed once for each combination of matching annotations (or dep5 paragraph)."""

    NOTHING = ((), (), ())

    def __init__(self, root: Path, reuse: SimpleNamespace, tomls: list, dep5=None):
        self.precedence = reuse.precedence
        self.dep5 = dep5
        self.results: dict = {}
        self.summaries: dict[int, tuple] = {}
        self.tomls = []  # (number, folder prefix, match function, is a regular expression's), topmost first
        self.annotations = []
        base = PurePath(root)
        for number, toml in enumerate(sorted(tomls, key=lambda toml: toml.directory.parts)):  # as reuse sorts
            folder = toml.directory.relative_to(base).as_posix()
            prefix = "" if folder == "." else folder + "/"
            self.tomls.append((number, prefix, *_annotation_matcher(toml.annotations)))
            self.annotations.append(toml.annotations)

    def of(self, path: str) -> tuple:
        if self.dep5 is not None:
            paragraph = self.dep5.dep5_copyright.find_files_paragraph(path)
            if paragraph is None:
                return self.NOTHING
            key = id(paragraph)  # the paragraphs live as long as the dep5 object
            if key not in self.results:
                found = self.dep5.reuse_info_of(path)  # reuse's conversion of the paragraph
                self.results[key] = self._by_precedence(
                    {p: [_summary(info) for info in infos] for p, infos in found.items()}
                )
            return self.results[key]
        key = ()
        for number, prefix, match, is_regex in self.tomls:
            if path.startswith(prefix):
                found = match(path[len(prefix) :] if prefix else path)
                if found is not None:
                    key += (number, found.lastgroup if is_regex else found)
        if not key:
            return self.NOTHING
        result = self.results.get(key)
        if result is None:
            matched = [(key[n], key[n + 1]) for n in range(0, len(key), 2)]
            matched = [(number, int(index[1:]) if isinstance(index, str) else index) for number, index in matched]
            result = self.results[key] = self._by_precedence(self._nested(matched))
        return result

    def _by_precedence(self, found: dict) -> tuple:
        precedence = self.precedence
        return tuple(tuple(found.get(p, ())) for p in (precedence.OVERRIDE, precedence.AGGREGATE, precedence.CLOSEST))

    def _item_summary(self, item) -> tuple:
        key = id(item)
        if key not in self.summaries:
            self.summaries[key] = (
                tuple(_expression(e) for e in item.spdx_expressions),
                bool(item.copyright_notices),
            )
        return self.summaries[key]

    def _nested(self, matched: list) -> dict:
        """NestedReuseTOML.reuse_info_of: from the topmost REUSE.toml down, each one's matching annotation; an
        `override` ends the search; of the `closest` ones, the deepest copyright and the deepest licence stay."""
        override, closest = self.precedence.OVERRIDE, self.precedence.CLOSEST
        result: dict = {}
        for number, index in matched:
            item = self.annotations[number][index]
            result.setdefault(item.precedence, []).append(self._item_summary(item))
            if item.precedence == override:
                break
        if closest in result:
            copyright_found = licence_found = False
            kept = []
            for expressions, has_copyright in reversed(result[closest]):
                new_expressions, new_copyright = (), False
                if not copyright_found and has_copyright:
                    new_copyright = copyright_found = True
                if not licence_found and expressions:
                    new_expressions, licence_found = expressions, True
                if new_expressions or new_copyright:
                    kept.append((new_expressions, new_copyright))
            if kept:
                result[closest] = kept[::-1]
            else:
                del result[closest]
        return result


def _licence_files(paths: list[str], reuse: SimpleNamespace) -> tuple[dict, dict, set]:
    """reuse's `Project._find_licenses` over the listed files in LICENSES/ (as its glob: hidden names left out,
    `.license` companions too): {id: path}, {id: path} of the texts without an extension, and the LicenseRef-
    ids that count as known licences. Raises RuntimeError for two texts of one id, as reuse does."""
    licence_map, licence_ref = reuse.licence_map, reuse.licence_ref
    found: dict[str, str] = {}
    without_extension: dict[str, str] = {}
    refs: set[str] = set()
    for rel in paths:
        # (A file named LICENSES is one too: reuse's glob of LICENSES/** gives "LICENSES/".)
        if not rel.startswith("LICENSES/") and rel != "LICENSES":
            continue
        if any(part.startswith(".") for part in rel[9:].split("/")):
            continue
        path = PurePosixPath(rel)  # reuse's idea of a suffix and a stem ("LGPL-2.1" has the suffix ".1")
        if path.suffix == ".license":
            continue
        if path.suffix and (path.stem in licence_map or path.stem in refs or licence_ref.match(path.stem)):
            identifier = path.stem
        elif path.name in licence_map or path.name in refs:
            identifier = path.name
            without_extension[identifier] = rel
        else:
            identifier = path.stem  # a bad licence
        if identifier in found:
            raise RuntimeError(f"Multiple licenses resolve to {identifier} ({found[identifier]} and {rel})")
        found[identifier] = rel
        if licence_ref.match(identifier) and "Unknown" not in identifier:
            refs.add(identifier)
    return found, without_extension, refs


def _reuse_parts() -> SimpleNamespace:
    """The parts of reuse the lint is built from (imported at each lint: a library that does not load is an
    error finding, not a crash)."""
    from reuse._licenses import EXCEPTION_MAP, LICENSE_MAP
    from reuse._util import _add_plus_to_identifier, _strip_plus_from_identifier
    from reuse.covered_files import _IGNORE_DIR_PATTERNS, _IGNORE_FILE_PATTERNS, _IGNORE_MESON_PARENT_DIR_PATTERNS
    from reuse.exceptions import GlobalLicensingConflictError, ReuseError
    from reuse.extract import _LICENSEREF_PATTERN, HEURISTICS_CHUNK_SIZE, REUSE_IGNORE_START, filter_ignore_block
    from reuse.global_licensing import PrecedenceType, ReuseDep5, ReuseTOML

    return SimpleNamespace(
        licence_map={**LICENSE_MAP, **EXCEPTION_MAP},
        licence_ref=_LICENSEREF_PATTERN,
        add_plus=_add_plus_to_identifier,
        strip_plus=_strip_plus_from_identifier,
        file_patterns=_IGNORE_FILE_PATTERNS,
        dir_patterns=_IGNORE_DIR_PATTERNS,
        meson_parent_patterns=_IGNORE_MESON_PARENT_DIR_PATTERNS,
        conflict_error=GlobalLicensingConflictError,
        reuse_error=ReuseError,
        filter_ignore_block=filter_ignore_block,
        ignore_start=REUSE_IGNORE_START,
        head_bytes=HEURISTICS_CHUNK_SIZE,
        precedence=PrecedenceType,
        dep5=ReuseDep5,
        toml=ReuseTOML,
    )


class _Linter:
    """One repository's lint: the global licensing, the licence texts, and each covered file's information."""

    def __init__(self, repo: Repository, reuse: SimpleNamespace):
        self.repo, self.root, self.reuse = repo, repo.root, reuse
        self.sizes: dict[str, int] = {}
        self.folders: set[str] = set()
        for entry in repo.entries:
            if not entry.is_link:
                self.sizes[entry.path] = entry.size
                folder = entry.path.rpartition("/")[0]
                if folder:
                    self.folders.add(folder)
        self.large = sorted(path for path, size in self.sizes.items() if size > MAX_LINT_BYTES)
        self.walk = _Walk(self.root, reuse)
        self.ignored_name = _any_match(reuse.file_patterns)
        self.annotations: _Annotations | None = None
        self.licences: dict[str, str] = {}
        self.without_extension: dict[str, str] = {}
        self.refs: set[str] = set()

    def read_set_up(self) -> None:
        """Project.from_directory: .reuse/dep5 or the REUSE.toml files, then LICENSES/. Raises reuse's errors."""
        reuse, root, sizes = self.reuse, self.root, self.sizes
        dep5 = ".reuse/dep5" in sizes
        # Every REUSE.toml reuse's walk reaches; an empty one, or one too large for the lint, is one that the
        # reference lint's file list leaves out.
        tomls = [
            path
            for path, size in sizes.items()
            if (path == "REUSE.toml" or path.endswith("/REUSE.toml"))
            and 0 < size <= MAX_LINT_BYTES
            and self.walk.reaches(path)
        ]
        tomls.sort(key=lambda path: (path.count("/"), path))
        if dep5 and tomls:
            raise reuse.conflict_error(
                f"Found both '{root / tomls[0]}' and '{root / '.reuse/dep5'}'. You cannot keep both files "
                "simultaneously; they are not intercompatible."
            )
        if dep5:
            self.annotations = _Annotations(root, reuse, [], reuse.dep5.from_file(root / ".reuse/dep5"))
        elif tomls:
            self.annotations = _Annotations(root, reuse, [reuse.toml.from_file(root / path) for path in tomls])
        self.licences, self.without_extension, self.refs = _licence_files(list(sizes), reuse)

    def covered(self) -> list[str]:
        """The files reuse's lint reports on (`covered_files.is_path_ignored` over the scanner's file list): in a
        folder reuse's walk enters, not too large for the lint, and for a regular file not one of reuse's
        ignored names (LICENSE*, *.license, ...) and not empty."""
        covered, entered, enters, ignored_name = [], self.walk.known, self.walk.enters, self.ignored_name
        for path, size in self.sizes.items():
            if size > MAX_LINT_BYTES:
                continue
            folder, _slash, name = path.rpartition("/")
            known = entered.get(folder)
            if not (enters(folder) if known is None else known):
                continue
            if size == 0 or ignored_name(name):
                # The name patterns and the size apply to regular files only (a named pipe is reported).
                try:
                    mode = os.lstat(self.root / path).st_mode
                except OSError:
                    continue
                if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
                    continue
            covered.append(path)
        return covered

    def sources(self, path: str) -> list[tuple]:
        """reuse's `Project.reuse_info_of` for one file, as a summary for each source: REUSE.toml or dep5 by
        precedence, and the file's own header or its `.license` companion (which replaces the header). Raises
        what reuse's report counts as a read error, and _NotAFile for a folder."""
        root, sizes = self.root, self.sizes
        if not path.isascii():
            try:
                path.encode("utf-8")
            except UnicodeEncodeError:  # reuse's report fails on encoding the name: a read error (or a folder)
                if stat.S_ISDIR(os.lstat(root / path).st_mode):
                    raise _NotAFile(path) from None
                raise
        companion = path + ".license"
        # The companion replaces the file's own header; a folder named x.license is one reuse opens, and fails on.
        source = None if companion in self.folders else companion if companion in sizes else path
        override, aggregate, closest = self.annotations.of(path) if self.annotations else _Annotations.NOTHING
        if source != path or override:
            mode = os.lstat(root / path).st_mode  # the file itself is not read; reuse's report asks if it is one
            if stat.S_ISDIR(mode):
                raise _NotAFile(path)
            if not stat.S_ISREG(mode):
                raise OSError(f"{path} is not a file")
        if override:
            own = _EMPTY
        elif source is None:
            raise IsADirectoryError(companion)
        else:
            own = None
            if sizes[source] <= MAX_LINT_BYTES:
                text = self.repo.text_if_read(source)  # read by another check: not read again
                if text is not None:
                    own = _summary_of_text(text, self.reuse)
            if own is None:
                own = _summary_of_file(root, source, self.reuse, folder_is_error=source != path)
        expressions, has_copyright = own
        if not expressions and not has_copyright:
            return [*override, *aggregate, *closest]
        if bool(expressions) != has_copyright and closest:
            # Only copyright in the file: the closest REUSE.toml licence applies, and the other way round.
            nearest_expressions, nearest_copyright = closest[0]
            nearest = (nearest_expressions, False) if has_copyright else ((), nearest_copyright)
            return [*override, *aggregate, own, nearest]
        return [*override, *aggregate, own]

    def report(self) -> Lint:
        """ProjectReport: each file's licences and copyright, then the project's sums."""
        reuse = self.reuse
        licence_ids, strip_plus = set(self.licences), reuse.strip_plus
        used: set[str] = set()
        missing: set[str] = set()
        files_total = 0
        missing_licensing, missing_copyright, invalid, read_errors = [], [], [], []
        for path in self.covered():
            try:
                sources = self.sources(path)
            except _NotAFile:
                continue
            except Exception:  # noqa: BLE001 - reuse's report counts any failure on a file as a read error
                read_errors.append(path)
                files_total += 1
                continue
            files_total += 1
            has_licence = has_copyright = has_invalid = False
            for expressions, copyright_info in sources:
                if copyright_info:
                    has_copyright = True
                for valid, identifiers in expressions:
                    if not valid:
                        has_invalid = True
                        continue
                    for identifier in identifiers:
                        has_licence = True
                        if identifier not in used:
                            used.add(identifier)
                            if identifier not in licence_ids and strip_plus(identifier) not in licence_ids:
                                missing.add(identifier)
            if not has_licence:
                missing_licensing.append(path)
            if not has_copyright:
                missing_copyright.append(path)
            if has_invalid:
                invalid.append(path)
        licence_map = reuse.licence_map
        lint = Lint(
            files_total=files_total,
            missing_licensing=sorted(missing_licensing),
            missing_copyright=sorted(missing_copyright),
            bad_licenses=sorted(lic for lic in self.licences if lic not in licence_map and lic not in self.refs),
            deprecated_licenses=sorted(
                lic for lic in self.licences if lic in licence_map and licence_map[lic]["isDeprecatedLicenseId"]
            ),
            licenses_without_extension=sorted(self.without_extension),
            missing_licenses=sorted(missing),
            unused_licenses=sorted(lic for lic in self.licences if lic not in used and reuse.add_plus(lic) not in used),
            invalid_expressions=sorted(invalid),
            read_errors=sorted(read_errors),
            skipped_large=self.large,
        )
        lint.compliant = not any(
            (lint.missing_licensing, lint.missing_copyright, lint.bad_licenses, lint.deprecated_licenses,
             lint.licenses_without_extension, lint.missing_licenses, lint.unused_licenses, lint.invalid_expressions,
             lint.read_errors)
        )  # fmt: skip
        return lint


def lint(repo: Repository) -> Lint:
    """The REUSE lint with reuse's semantics (the same results as `lint_reference`, reuse's own Project and
    ProjectReport), built from reuse's parts over the scanner's file list and texts. Raises LintError."""
    _refuse_links(repo)
    try:
        reuse = _reuse_parts()
    except Exception as exc:  # noqa: BLE001 - reuse raises its own error when no encoding detector loads
        raise LintError(_not_loaded(exc), repository_fault=False) from None
    _silence_reuse()
    root = repo.root
    linter = _Linter(repo, reuse)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # .reuse/dep5 is deprecated: a warning, not an error
            linter.read_set_up()
    except (reuse.reuse_error, UnicodeError, ValueError, TypeError) as exc:
        # A malformed REUSE.toml or .reuse/dep5, both of them, ...
        source = getattr(exc, "source", None)  # the file a parse error is in
        where = _relative(source, root) if source else "REUSE information"
        raise LintError(
            message(gettext_noop("%(path)s could not be read: %(reason)s."), path=where, reason=_reason(exc, root)),
            [where] if source else [],
        ) from None
    except RuntimeError as exc:  # two texts of one licence (LICENSES/MIT.txt and LICENSES/MIT.md)
        raise LintError(
            message(gettext_noop("LICENSES/ could not be read: %(reason)s."), reason=_reason(exc, root))
        ) from None
    except OSError as exc:
        raise LintError(
            message(
                gettext_noop("The files could not be read for the REUSE lint: %(reason)s."), reason=_reason(exc, root)
            )
        ) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return linter.report()


def lint_reference(repo: Repository) -> Lint:
    """reuse's own project lint (`Project` + `ProjectReport`) over the repository's files, about 0.3 ms a file: the
    reference that the tests hold `lint` to. Raises LintError."""
    _refuse_links(repo)
    try:
        from reuse.exceptions import ReuseError
        from reuse.project import Project
        from reuse.report import ProjectReport
        from reuse.vcs import VCSStrategy
    except Exception as exc:  # noqa: BLE001 - reuse raises its own error when no encoding detector loads
        raise LintError(_not_loaded(exc), repository_fault=False) from None
    _silence_reuse()
    _install_fast_reader()

    root = repo.root
    sizes = {e.path: e.size for e in repo.entries if not e.is_link}
    large = {path for path, size in sizes.items() if size > MAX_LINT_BYTES}
    linted = set(sizes) - large
    folders = {""}
    for path in sizes:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.add("/".join(parts[:depth]))

    class ListedFiles(VCSStrategy):
        """The scanner's file list as reuse's version control: a file not listed (untracked, or too large)
        counts as ignored, and so does a folder with no listed file in it (a virtual environment)."""

        EXE = None

        def is_ignored(self, path: Path) -> bool:
            rel = _relative(path, root)
            if rel in folders:
                return False
            return rel not in linted

        def is_submodule(self, path) -> bool:
            return False

        @classmethod
        def in_repo(cls, directory) -> bool:
            return False

        @classmethod
        def find_root(cls, cwd=None):
            return None

    strategy = ListedFiles(root)

    class ScannerProject(Project):
        @classmethod
        def _detect_vcs_strategy(cls, root):
            return strategy

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # .reuse/dep5 is deprecated: a warning, not an error
            project = ScannerProject.from_directory(root)
            report = ProjectReport.generate(project, do_checksum=False, multiprocessing=False)
            result = Lint(
                files_total=len(report.file_reports) + len(report.read_errors),
                missing_licensing=sorted(_relative(p, root) for p in report.files_without_licenses),
                missing_copyright=sorted(_relative(p, root) for p in report.files_without_copyright),
                bad_licenses=sorted(report.bad_licenses),
                deprecated_licenses=sorted(report.deprecated_licenses),
                licenses_without_extension=sorted(report.licenses_without_extension),
                missing_licenses=sorted(report.missing_licenses),
                unused_licenses=sorted(report.unused_licenses),
                invalid_expressions=sorted(_relative(p, root) for p in report.invalid_spdx_expressions),
                read_errors=sorted(_relative(p, root) for p in report.read_errors),
                skipped_large=sorted(large),
                compliant=report.is_compliant,
            )
    except (ReuseError, UnicodeError, ValueError, TypeError) as exc:
        # A malformed REUSE.toml or .reuse/dep5, two global licensing files, a licence text without an id, ...
        source = getattr(exc, "source", None)  # the file a parse error is in
        where = _relative(source, root) if source else "REUSE information"
        raise LintError(
            message(gettext_noop("%(path)s could not be read: %(reason)s."), path=where, reason=_reason(exc, root)),
            [where] if source else [],
        ) from None
    except RecursionError:
        raise LintError(message(gettext_noop("The folders are nested too deeply for the REUSE lint."))) from None
    except RuntimeError as exc:  # "Multiple licenses resolve to ..." (LICENSES/MIT.txt and LICENSES/MIT.md)
        raise LintError(
            message(gettext_noop("LICENSES/ could not be read: %(reason)s."), reason=_reason(exc, root))
        ) from None
    except OSError as exc:
        raise LintError(
            message(
                gettext_noop("The files could not be read for the REUSE lint: %(reason)s."), reason=_reason(exc, root)
            )
        ) from None
    return result


def _not_loaded(exc: BaseException) -> Message:
    return message(
        gettext_noop("The reuse library could not be loaded (%(error)s: %(reason)s)."),
        error=type(exc).__name__,
        reason=str(exc),
    )


def _reason(exc: BaseException, root: Path) -> str:
    """The library's message, on one line, with paths relative to the checkout (a clone's temporary folder
    means nothing to the reader)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = text.replace(os.fspath(root).rstrip("/") + "/", "")
    return text[:300].rstrip(".")
