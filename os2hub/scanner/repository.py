"""One checkout as the checks see it: its file list (walked once), texts read on demand and cached, headings of
documentation, titles of office documents, and facts from git. Never runs anything from the repository."""

import bisect
import functools
import os
import re
import stat
import subprocess
import zipfile
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

from . import files, gitsafe

DOC_FOLDERS = ("doc", "docs", "documentation", "dokumentation", "vejledninger", "manual", "manuals", "wiki")
TEXT_DOCS = (".md", ".rst", ".txt", ".adoc", ".markdown")
OFFICE_DOCS = (".docx", ".pptx", ".xlsx", ".odt", ".odp", ".ods")
OTHER_DOCS = (".pdf", ".doc", ".ppt", ".key")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
RST_UNDERLINE = re.compile(r"^([=\-~^\"'`*+#])\1{2,}\s*$")
MAX_OFFICE_BYTES = 50 * 1024 * 1024
MAX_META_BYTES = 256 * 1024


GIT_TIMEOUT_S = 20
# Read-only git in a checkout that is not trusted, with the options and environment of `gitsafe` (nothing the
# repository's configuration names is started, no transport, no pager, no discovery of a repository above the
# checkout) and a time limit. A checkout owned by another user is read all the same (safe.directory).


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


class Repository:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._texts: dict[str, str | None] = {}
        self._git: dict[tuple, tuple[bytes | None, str]] = {}

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
        listed = self.git_bytes("ls-files", "-z", "--cached")
        if not listed:
            return files.walk(self.root)
        entries, root = [], os.fspath(self.root)
        for raw in sorted(filter(None, listed.split(b"\0"))):
            rel = os.fsdecode(raw)
            try:
                info = os.lstat(os.path.join(root, rel))
            except (OSError, ValueError):
                continue  # deleted in the working folder
            entries.append(files.Entry(rel, info.st_size, stat.S_ISLNK(info.st_mode)))
        return entries

    @property
    def listed_by_git(self) -> bool:
        """Whether the file list is git's (the files git tracks) rather than a walk of the folder."""
        return bool(self.git_bytes("ls-files", "-z", "--cached"))

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
        (see _multiline); a name with a line break or a pattern that cannot be rewritten falls back to one
        search per path, with the same result."""
        joined = self._joined_paths
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

    @cached_property
    def _joined_paths(self) -> tuple[str, list[int]] | None:
        lowers = [lower for lower, _original in self.lower_paths]
        if any(ch in lower for lower in lowers for ch in ("\n", "\r", LINE_START)):
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
        """The title in an office document's metadata (docx/pptx/xlsx: docProps/core.xml; odt/odp/ods:
        meta.xml), read without unpacking anything else; "" when there is none or the file looks hostile."""
        full = self.root / path
        try:
            info = full.lstat()
            # An ordinary file (not a link; a named pipe would wait forever) inside the checkout.
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_OFFICE_BYTES:
                return ""
            if not full.resolve().is_relative_to(self.root):
                return ""
            with zipfile.ZipFile(full) as archive:
                for name in ("docProps/core.xml", "meta.xml"):
                    try:
                        info = archive.getinfo(name)
                    except KeyError:
                        continue
                    if info.file_size > MAX_META_BYTES:
                        return ""
                    root = ElementTree.fromstring(archive.read(info))  # noqa: S314 - size-limited metadata
                    for element in root.iter():
                        if element.tag.endswith("}title") and (element.text or "").strip():
                            return element.text.strip()[:300]
        except (OSError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, RuntimeError):
            return ""
        return ""

    def git(self, *args: str, timeout: float = GIT_TIMEOUT_S) -> str | None:
        """Output of a read-only git command in the checkout, or None (not a repository, broken history, a
        timeout, ...; `git_failure` with the same arguments tells why)."""
        out = self.git_bytes(*args, timeout=timeout)
        return None if out is None else out.decode("utf-8", "replace")

    def git_bytes(self, *args: str, timeout: float = GIT_TIMEOUT_S, ok_status=(0,)) -> bytes | None:
        """Like `git`, undecoded; results are cached, since several checks read the same history. `ok_status`:
        the exit statuses that are not failures (`git grep` says 1 when nothing matched)."""
        if not self.is_git:
            return None
        if args not in self._git:
            self._git[args] = self._run_git(args, timeout, ok_status)
        return self._git[args][0]

    def git_failure(self, *args: str) -> str:
        """Why the git command with these arguments failed ("" when it did not, or did not run)."""
        return self._git.get(args, (None, ""))[1]

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
        out = self.git("rev-parse", "--verify", "-q", "HEAD")
        return out.strip() if out else None
