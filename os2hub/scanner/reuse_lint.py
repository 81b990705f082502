"""REUSE compliance (https://reuse.software) with the `reuse` library's own project lint, run so that a
repository cannot lead it astray.

- Nothing from the repository is executed: `reuse` normally asks git, Mercurial, Jujutsu or Pijul which files
  are ignored, and Mercurial or Jujutsu would read the repository's own configuration (extensions are code).
  Here the files are the ones the scanner already lists (what git tracks, or a plain folder's files), handed to
  reuse as its "version control" strategy; no program is started, and a folder without git works the same.
- Links: reuse itself skips linked files and does not descend into linked folders, except in LICENSES/ (its
  glob follows linked folders) and for REUSE.toml, .reuse/dep5 and `x.license` companions, which it opens
  through links. A repository with a link in any of those places is refused before the lint.
- Huge files are left out of the lint (reuse reads every file to its end) and counted as skipped.
- File names that are not valid UTF-8 (os.fsdecode keeps them as surrogates) make reuse's file report fail on
  encoding the name; reuse counts such a file as a read error, and so does this check.
- reuse logs problems and warns about .reuse/dep5; both are kept out of the output. Every failure ends as a
  LintError with a message, never a traceback.
- Speed: reuse reads each file in chunks, asks libmagic for its encoding and runs its tag pattern over every
  line, about 1-2 ms a file. The scanner gives reuse's project an equivalent reader (`_fast_reuse_info_of_file`,
  installed into reuse.project): text that is plainly UTF-8 needs no libmagic, and only the lines that can hold a
  tag (with "SPDX-", "Copyright" or the copyright sign, reuse's own pre-condition) go through reuse's
  `extract_reuse_info`.
  Everything else (REUSE.toml and dep5, precedence, licence files, the report) is reuse's own code.
"""

import codecs
import logging
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import files
from .repository import Repository

MAX_LINT_BYTES = files.MAX_TEXT_BYTES
_LOGGER_SILENCED = False
_READER_INSTALLED = False
# Bytes that plain text does not have (NUL and most control characters): such a file goes to reuse's own
# encoding detection, which may call it binary.
_NOT_PLAIN_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_TAG_WORDS = ("SPDX-", "Copyright", "\u00a9")  # reuse's tag pattern needs one of these on the line


class LintError(Exception):
    """The lint could not run. `repository_fault` tells a problem of the repository (a malformed REUSE.toml)
    from one of the scanner or the library."""

    def __init__(self, message: str, paths=(), *, repository_fault: bool = True):
        super().__init__(message)
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
    name = path.rsplit("/", 1)[-1]
    return (
        path.startswith(("LICENSES/", ".reuse/"))
        or path in ("LICENSES", ".reuse")
        or name == "REUSE.toml"
        or name.endswith(".license")
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
            refused.append((entry.path, "a link"))
            continue
        try:
            mode = os.lstat(root / entry.path).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            refused.append((entry.path, "not an ordinary file"))
    for special in ("LICENSES", ".reuse", ".reuse/dep5", "REUSE.toml"):
        if os.path.islink(root / special) and all(path != special for path, _why in refused):
            refused.append((special, "a link"))
    licenses = root / "LICENSES"
    if licenses.is_dir() and not licenses.is_symlink():
        for e in files.walk(licenses):
            if e.is_link and all(path != f"LICENSES/{e.path}" for path, _why in refused):
                refused.append((f"LICENSES/{e.path}", "a link"))
    if refused:
        path, why = refused[0]
        raise LintError(
            f"{path} is {why}; the REUSE files (LICENSES/, REUSE.toml, .reuse/dep5, *.license) must be ordinary "
            "files for the scanner to check them.",
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
    data = fp.read(MAX_LINT_BYTES)
    head = data[:HEURISTICS_CHUNK_SIZE]
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
    text = data.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    text = filter_ignore_block(text).text
    return extract_reuse_info("\n".join(_lines_with_tag_words(text)))


def _lines_with_tag_words(text: str) -> list[str]:
    """The lines holding one of the tag words, in order, each once (found with str.find: a file with
    a header of three tags costs three searches, not a test of every line)."""
    starts = set()
    for word in _TAG_WORDS:
        position = text.find(word)
        while position != -1:
            start = text.rfind("\n", 0, position) + 1
            starts.add(start)
            end = text.find("\n", position)
            position = -1 if end == -1 else text.find(word, end)
    lines = []
    for start in sorted(starts):
        end = text.find("\n", start)
        lines.append(text[start:] if end == -1 else text[start:end])
    return lines


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


def lint(repo: Repository) -> Lint:
    """reuse's project lint over the repository's files. Raises LintError."""
    _refuse_links(repo)
    try:
        from reuse.exceptions import ReuseError
        from reuse.project import Project
        from reuse.report import ProjectReport
        from reuse.vcs import VCSStrategy
    except Exception as exc:  # noqa: BLE001 - reuse raises its own error when no encoding detector loads
        raise LintError(
            f"The reuse library could not be loaded ({type(exc).__name__}: {exc}).", repository_fault=False
        ) from None
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
        raise LintError(f"{where} could not be read: {_reason(exc, root)}.", [where] if source else []) from None
    except RecursionError:
        raise LintError("The folders are nested too deeply for the REUSE lint.") from None
    except RuntimeError as exc:  # "Multiple licenses resolve to ..." (LICENSES/MIT.txt and LICENSES/MIT.md)
        raise LintError(f"LICENSES/ could not be read: {_reason(exc, root)}.") from None
    except OSError as exc:
        raise LintError(f"The files could not be read for the REUSE lint: {_reason(exc, root)}.") from None
    return result


def _reason(exc: BaseException, root: Path) -> str:
    """The library's message, on one line, with paths relative to the checkout (a clone's temporary folder
    means nothing to the reader)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = text.replace(os.fspath(root).rstrip("/") + "/", "")
    return text[:300].rstrip(".")
