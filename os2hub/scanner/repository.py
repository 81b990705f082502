"""One checkout as the checks see it: its file list (walked once), texts read on demand and cached, headings of
documentation, titles of office documents, and facts from git. Never runs anything from the repository."""

import bisect
import functools
import os
import re
import stat
import subprocess
import sys
import threading
from functools import cached_property
from pathlib import Path

from . import files, gitsafe, office

DOC_FOLDERS = ("doc", "docs", "documentation", "dokumentation", "vejledninger", "manual", "manuals", "wiki")
TEXT_DOCS = (".md", ".rst", ".txt", ".adoc", ".markdown")
OFFICE_DOCS = (".docx", ".pptx", ".xlsx", ".odt", ".odp", ".ods")
OTHER_DOCS = (".pdf", ".doc", ".ppt", ".key")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
RST_UNDERLINE = re.compile(r"^([=\-~^\"'`*+#])\1{2,}\s*$")
MAX_OFFICE_BYTES = 50 * 1024 * 1024
MAX_TITLES_READ = 300


GIT_TIMEOUT_S = 20
# Read-only git in a checkout that is not trusted, with the options and environment of `gitsafe` (nothing the
# repository's configuration names is started, no transport, no pager, no discovery of a repository above the
# checkout) and a time limit. A checkout owned by another user is read all the same (safe.directory).


# The commands of the file list and the commit (what `start_git` can start ahead).
LS_FILES_ARGS = ("ls-files", "-z", "--cached")
HEAD_ARGS = ("rev-parse", "--verify", "-q", "HEAD")

LINE_START = "\x01"  # begins every path in the joined text of Repository.find


@functools.lru_cache(maxsize=256)
def _multiline(pattern: re.Pattern) -> re.Pattern | None:
    """The pattern for the joined text of paths (see Repository.find), or None when it cannot be rewritten.

    Every line is LINE_START + path, so the anchors become characters: `^` becomes LINE_START and `(^|/)`
    the class [LINE_START/]. The engine then only tries the positions where such a character stands instead
    of every position (three to ten times faster on 2,000 paths). `[^/]` also stops at the end of a line."""
    source = pattern.pattern
    if "\\^" in source or LINE_START in source or "\x02" in source:
        return None
    source = source.replace("[^", "\x02")
    source = source.replace("(^|/)", f"[{LINE_START}/]").replace("^", LINE_START)
    source = source.replace("\x02/]", "[^/\n]").replace("\x02", "[^")
    return re.compile(source, pattern.flags | re.MULTILINE)


# A literal that stands in at most this many paths: those paths are tested one by one instead of a pass over all.
FEW_CANDIDATES = 48
QUANTIFIERS = "?*+{"
MAX_BRANCHES = 64


@functools.lru_cache(maxsize=256)
def _branches(pattern: re.Pattern) -> tuple[tuple[str, re.Pattern, re.Pattern | None], ...] | None:
    """The pattern's top-level alternatives, each as (a literal that every match of it contains, or "", the
    alternative for one path, the alternative for the joined text or None); None when the pattern is left whole.

    A path matches the pattern when it matches one of its alternatives, and an alternative whose literal is not
    in the joined text matches no path: most alternatives of the checks' patterns (`chart\\.yaml`,
    `_test\\.`) match nothing in a given repository, and a `str.find` for the literal is far cheaper than a pass of
    the regular-expression engine, which tries a pattern with alternatives at nearly every character. A group of
    alternatives that is matched once (`^(licence|copying)$`) is an alternative of the whole as well
    (`^licence$|^copying$`): L(A|B)R matches a text where LAR or LBR does."""
    source = pattern.pattern
    # Inline flags, conditionals and back references tie the alternatives together (or change their meaning).
    if pattern.flags & (re.IGNORECASE | re.VERBOSE) or re.search(r"\(\?[^:]|\\[0-9g]", source):
        return None
    parts = _split_alternatives(source)
    if parts is None:
        return None
    expanded, pending = [], parts[::-1]
    while pending:
        part = pending.pop()
        distributed = _distribute(part) if len(expanded) + len(pending) < MAX_BRANCHES else None
        if distributed is None:
            expanded.append(part)
        else:
            pending.extend(distributed[::-1])
    parts = expanded
    if len(parts) < 2:
        return None
    branches = []
    for part in parts:
        try:
            single = re.compile(part, pattern.flags)
        except re.error:  # a split the engine reads otherwise than this function: the pattern stays whole
            return None
        branches.append((_required_literal(part), single, _multiline(single)))
    return tuple(branches)


def _distribute(source: str) -> list[str] | None:
    """One alternative with the first top-level group of alternatives that each hold a literal, matched once,
    written out (`^(a|b)x` -> `^ax`, `^bx`); None when there is no such group."""
    depth, i, start = 0, 0, -1
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _skip_class(source, i)
            continue
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")":
            depth -= 1
            # Not quantified, and not after a "{" (written out, `a{(1|2)}` would become a quantifier).
            if depth == 0 and source[i + 1 : i + 2] not in tuple(QUANTIFIERS) and source[start - 1 : start] != "{":
                inner = source[start + 1 : i]
                inner = inner[2:] if inner.startswith("?:") else inner
                alternatives = _split_alternatives(inner)
                if (
                    alternatives
                    and len(alternatives) > 1
                    and all(_required_literal(alt) and alt[:1] not in QUANTIFIERS for alt in alternatives)
                ):
                    return [source[:start] + alt + source[i + 1 :] for alt in alternatives]
        i += 1
    return None


def _skip_class(source: str, i: int) -> int:
    """The index after the character class that starts at source[i] == "[" (a `]` first in it is a member)."""
    i += 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _split_alternatives(source: str) -> list[str] | None:
    """The top-level alternatives of a regular expression's source (None when its brackets do not balance)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _skip_class(source, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    if depth != 0 or i > len(source):
        return None
    parts.append(source[start:])
    return parts


def _required_literal(source: str) -> str:
    """The longest run of plain characters outside groups and classes of one alternative (each match holds it),
    or "" when there is none. A character a quantifier may leave out (`s?`, `s*`, `s{0,2}`) is no part of it."""
    best, run, depth, i = "", "", 0, 0
    while i < len(source):
        char = source[i]
        if depth == 0 and char in QUANTIFIERS:
            if char != "+" and run:
                run = run[:-1]  # the character before may be absent
            best, run = max(best, run, key=len), ""
            if char == "{":
                end = source.find("}", i)
                if end == -1:
                    return ""  # a "{" that is no quantifier: not worth the care
                i = end
            i += 1
            continue
        if char == "\\":
            escaped = source[i + 1 : i + 2]
            if depth == 0 and escaped and not escaped.isalnum():
                run += escaped
            elif depth == 0:
                best, run = max(best, run, key=len), ""  # \d, \b, \n, ...: no plain character
            i += 2
            continue
        if char == "[":
            best, run = max(best, run, key=len), ""
            i = _skip_class(source, i)
            continue
        if char == "(":
            if depth == 0:
                best, run = max(best, run, key=len), ""
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            if char in "^$.|":
                best, run = max(best, run, key=len), ""
            else:
                run += char
        i += 1
    return max(best, run, key=len)


class _Background(threading.Thread):
    """One git command run ahead (Repository.start_git); `result` as Repository._run_git gives it."""

    def __init__(self, run, args: tuple[str, ...], timeout: float, ok_status):
        super().__init__(name=f"git {args[0] if args else ''}", daemon=True)
        self._run, self.args, self.timeout, self.ok_status = run, args, timeout, ok_status
        self.result: tuple[bytes | None, str] = (None, "git did not run")

    def run(self) -> None:
        try:
            self.result = self._run(self.args, self.timeout, self.ok_status)
        except Exception as exc:  # noqa: BLE001 - told to the check that asks, as a failure of git
            self.result = (None, f"git could not be run ({type(exc).__name__}: {exc})"[:300])


def _sorted_names(listed: bytes) -> list[str]:
    """git's NUL-separated names, decoded as os.fsdecode decodes each and sorted in the order of their bytes.
    Decoded in one go (a NUL is never part of a character); valid UTF-8 sorts the same by code point as by
    byte, so only a list with names that are not UTF-8 needs the slower sort by the encoded bytes."""
    if sys.getfilesystemencoding() == "utf-8":
        try:
            return sorted(filter(None, listed.decode("utf-8").split("\0")))
        except UnicodeDecodeError:
            pass
    return sorted(filter(None, os.fsdecode(listed).split("\0")), key=os.fsencode)


class Repository:
    def __init__(self, root: Path, organisations=None):
        self.root = Path(root).resolve()
        # domain -> organisation (organisations.Organisations) for the vendor-concentration check; None: by domain.
        self.organisations = organisations
        self._texts: dict[str, str | None] = {}
        self._git: dict[tuple, tuple[bytes | None, str]] = {}
        self._background: dict[tuple, _Background] = {}  # git commands started ahead (start_git), not yet collected

    @property
    def is_git(self) -> bool:
        return (self.root / ".git").exists()

    @property
    def is_shallow(self) -> bool:
        """A clone with limited history (the scanner's own clones are)."""
        return (self.root / ".git" / "shallow").is_file()

    @cached_property
    def entries(self) -> list[files.Entry]:
        """The files git tracks (a working folder's ignored files, such as a virtual environment, are not the
        repository); a folder that is not a repository, or a repository with nothing committed or added yet, is
        walked. Names that are not valid UTF-8 are kept (as os.fsdecode gives them)."""
        listed = self.git_bytes(*LS_FILES_ARGS)
        if not listed:
            return files.walk(self.root)
        # Every name is lstat'ed (never followed): the index may be older than the working folder, where a file
        # can have become a link, grown or gone. git's names are relative, so the root and a slash make the path
        # (os.path.join costs more than the lstat's own Python work).
        entries, prefix, lstat, is_link = [], os.fspath(self.root) + "/", os.lstat, stat.S_ISLNK
        for rel in _sorted_names(listed):
            try:
                info = lstat(prefix + rel if rel[:1] != "/" else os.path.join(prefix, rel))
            except (OSError, ValueError):
                continue  # deleted in the working folder
            entries.append(files.Entry(rel, info.st_size, is_link(info.st_mode)))
        return entries

    @property
    def listed_by_git(self) -> bool:
        """Whether the file list is git's (the files git tracks) rather than a walk of the folder."""
        return bool(self.git_bytes(*LS_FILES_ARGS))

    @cached_property
    def paths(self) -> list[str]:
        return [e.path for e in self.entries if not e.is_link]

    @cached_property
    def lower_paths(self) -> list[tuple[str, str]]:
        return [(p.lower(), p) for p in self.paths]

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            self._texts[path] = files.read_text(self.root, path)
        return self._texts[path]

    def text_if_read(self, path: str) -> str | None:
        """The text of a file if a check has already read it (`text`), else None; never reads the file."""
        return self._texts.get(path)

    def find(self, pattern: re.Pattern) -> list[str]:
        """Paths (as written) whose lower-cased relative path matches the pattern.

        The paths are searched as one text, one per line, in a single pass of the regular-expression engine
        (see _multiline), one alternative of the pattern at a time where it has several (see _branches: most are
        skipped by a search for a literal); a name with a line break or a pattern that cannot be rewritten falls
        back to one search per path, with the same result."""
        joined = self._joined_paths
        branches = _branches(pattern) if joined is not None else None
        if branches is not None:
            return self._find_branches(branches, joined)
        multiline = _multiline(pattern) if joined is not None else None
        if multiline is None:
            return [original for lower, original in self.lower_paths if pattern.search(lower)]
        text, starts = joined
        found, last = [], -1
        for match in multiline.finditer(text):
            index = bisect.bisect_right(starts, match.start()) - 1
            if index != last:
                found.append(self.lower_paths[index][1])
                last = index
        return found

    def _find_branches(self, branches, joined: tuple[str, list[int]]) -> list[str]:
        """`find` one alternative at a time (see _branches), with the same result as the whole pattern."""
        text, starts = joined
        lower_paths, hits = self.lower_paths, set()
        for literal, single, multiline in branches:
            if literal:
                position = text.find(literal)
                if position == -1:
                    continue  # no path holds the literal
                candidates: set[int] = set()
                while position != -1 and len(candidates) <= FEW_CANDIDATES:
                    index = bisect.bisect_right(starts, position) - 1
                    candidates.add(index)
                    position = text.find(literal, starts[index + 1] if index + 1 < len(starts) else len(text))
                if position == -1:  # every path with the literal is a candidate: test only those
                    hits.update(index for index in candidates if single.search(lower_paths[index][0]))
                    continue
            if multiline is None:
                hits.update(index for index, (lower, _original) in enumerate(lower_paths) if single.search(lower))
            else:
                hits.update(bisect.bisect_right(starts, match.start()) - 1 for match in multiline.finditer(text))
        return [lower_paths[index][1] for index in sorted(hits)]

    @cached_property
    def _joined_paths(self) -> tuple[str, list[int]] | None:
        lowers = [lower for lower, _original in self.lower_paths]
        everything = "".join(lowers)  # one search of each character in C, not one per path
        if "\n" in everything or "\r" in everything or LINE_START in everything:
            return None
        starts, offset = [], 0
        for lower in lowers:
            starts.append(offset)
            offset += len(lower) + 2
        return "\n".join(LINE_START + lower for lower in lowers), starts

    @cached_property
    def docs(self) -> list[str]:
        """Documentation files: anything in a documentation folder, and text documents at the top."""
        found = []
        for lower, original in self.lower_paths:
            first = lower.split("/", 1)[0]
            if first in DOC_FOLDERS or ("/" not in lower and lower.endswith(TEXT_DOCS)):
                found.append(original)
        return found

    def headings(self, path: str) -> list[tuple[int, str]]:
        """(line number, heading) of a Markdown or reStructuredText file."""
        text = self.text(path)
        if not text:
            return []
        result, previous = [], ""
        for n, line in enumerate(text.splitlines(), 1):
            match = HEADING.match(line)
            if match:
                result.append((n, match.group(1)))
            elif previous.strip() and RST_UNDERLINE.match(line) and len(line.strip()) >= len(previous.strip()):
                result.append((n - 1, previous.strip()))
            previous = line
        return result

    def office_title(self, path: str) -> str:
        """The title an office document or a PDF gives itself (its metadata; for a .docx/.odt without one, its
        first heading), read without unpacking or parsing the whole file (see office); cached, since every
        documentation check asks. "" when there is none or the file looks hostile."""
        titles = self.__dict__.setdefault("_office_titles", {})
        if path not in titles:
            # A repository of thousands of documents is judged by the names of those beyond the first few
            # hundred, so that a scan's time stays bounded.
            titles[path] = self._read_office_title(path) if len(titles) < MAX_TITLES_READ else ""
        return titles[path]

    def _read_office_title(self, path: str) -> str:
        full = self.root / path
        try:
            info = full.lstat()
            # An ordinary file (not a link; a named pipe would wait forever) inside the checkout; a PDF of any
            # size (only its ends are read).
            if not stat.S_ISREG(info.st_mode):
                return ""
            if info.st_size > MAX_OFFICE_BYTES and not path.lower().endswith(".pdf"):
                return ""
            if not full.resolve().is_relative_to(self.root):
                return ""
        except (OSError, ValueError, RuntimeError):
            return ""
        return office.title(full)

    def git(self, *args: str, timeout: float | None = None) -> str | None:
        """Output of a read-only git command in the checkout, or None (not a repository, broken history, a
        timeout, ...; `git_failure` with the same arguments tells why)."""
        out = self.git_bytes(*args, timeout=timeout)
        return None if out is None else out.decode("utf-8", "replace")

    def git_bytes(self, *args: str, timeout: float | None = None, ok_status=(0,)) -> bytes | None:
        """Like `git`, undecoded; results are cached, since several checks read the same history. `ok_status`:
        the exit statuses that are not failures (`git grep` says 1 when nothing matched). A command started
        ahead with `start_git` is waited for (with the time limit and statuses it was started with)."""
        if not self.is_git:
            return None
        if args not in self._git and not self._collect(args):
            self._git[args] = self._run_git(args, GIT_TIMEOUT_S if timeout is None else timeout, ok_status)
        return self._git[args][0]

    def git_failure(self, *args: str) -> str:
        """Why the git command with these arguments failed ("" when it did not, or did not run)."""
        self._collect(args)
        return self._git.get(args, (None, ""))[1]

    def start_git(self, *args: str, timeout: float | None = None, ok_status=(0,)) -> None:
        """Start a git command now, in a thread, for a check that will ask for it later (`git`, `git_bytes`):
        git runs on another core while the checks work in Python, instead of the scan waiting for each command
        in turn. The same command line, environment and time limit as `git_bytes`; nothing if the checkout is
        no git repository or the command already ran or runs."""
        if args in self._git or args in self._background or not self.is_git:
            return
        thread = _Background(self._run_git, args, GIT_TIMEOUT_S if timeout is None else timeout, ok_status)
        self._background[args] = thread
        thread.start()

    def close(self) -> None:
        """Wait for the commands started ahead that no check asked for (a check that raised, a selection of
        checks), so that no git process or thread outlives the scan; each has its time limit."""
        for args in list(self._background):
            self._collect(args)

    def _collect(self, args: tuple[str, ...]) -> bool:
        """The result of a command started ahead into the cache; whether there was one."""
        thread = self._background.pop(args, None)
        if thread is None:
            return False
        thread.join()  # bounded: _run_git kills git at its time limit
        self._git[args] = thread.result
        return True

    def _run_git(self, args: tuple[str, ...], timeout: float, ok_status=(0,)) -> tuple[bytes | None, str]:
        command = gitsafe.command(*args, root=self.root)
        try:
            result = subprocess.run(  # noqa: S603 - fixed read-only arguments
                command,  # git from PATH
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                env=gitsafe.environment(self.root),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, f"git {args[0]} took longer than {timeout:g} seconds"
        except OSError as exc:
            return None, f"git could not be started ({exc.strerror or exc})"
        if result.returncode not in ok_status:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            # "fatal: ..." is the line that says what went wrong; otherwise the last one.
            reason = next((line for line in lines if line.startswith("fatal:")), lines[-1] if lines else "")
            return None, f"git {args[0]} failed: {reason[:300] or f'exit status {result.returncode}'}"
        return result.stdout, ""

    @cached_property
    def has_commits(self) -> bool:
        return self.commit is not None

    @cached_property
    def commit(self) -> str | None:
        out = self.git(*HEAD_ARGS)
        return out.strip() if out else None
