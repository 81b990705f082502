"""One checkout as the checks see it: its file list (walked once), texts read on demand and cached, headings of
documentation, titles of office documents, and facts from git. Never runs anything from the repository."""

import os
import re
import stat
import subprocess
import zipfile
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

from . import files

DOC_FOLDERS = ("doc", "docs", "documentation", "dokumentation", "vejledninger", "manual", "manuals", "wiki")
TEXT_DOCS = (".md", ".rst", ".txt", ".adoc", ".markdown")
OFFICE_DOCS = (".docx", ".pptx", ".xlsx", ".odt", ".odp", ".ods")
OTHER_DOCS = (".pdf", ".doc", ".ppt", ".key")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
RST_UNDERLINE = re.compile(r"^([=\-~^\"'`*+#])\1{2,}\s*$")
MAX_OFFICE_BYTES = 50 * 1024 * 1024
MAX_META_BYTES = 256 * 1024


def git_env() -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "HOME": os.devnull,
    }


class Repository:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._texts: dict[str, str | None] = {}

    @cached_property
    def entries(self) -> list[files.Entry]:
        """The files git tracks (a working folder's ignored files, such as a virtual environment, are not the
        repository); a folder that is not a repository is walked."""
        listed = self.git("ls-files", "-z", "--cached")
        if listed is None:
            return files.walk(self.root)
        entries = []
        for rel in sorted(filter(None, listed.split("\0"))):
            try:
                info = os.lstat(self.root / rel)
            except OSError:
                continue  # deleted in the working folder
            entries.append(files.Entry(rel, info.st_size, stat.S_ISLNK(info.st_mode)))
        return entries

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

    def find(self, pattern: re.Pattern) -> list[str]:
        """Paths (as written) whose lower-cased relative path matches the pattern."""
        return [original for lower, original in self.lower_paths if pattern.search(lower)]

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
            if full.is_symlink() or full.stat().st_size > MAX_OFFICE_BYTES:
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

    def git(self, *args: str, timeout: float = 20) -> str | None:
        """Output of a read-only git command in the checkout, or None (not a repository, broken history, ...)."""
        if not (self.root / ".git").exists():
            return None
        try:
            result = subprocess.run(  # noqa: S603 - fixed read-only arguments
                ["git", "-c", "core.hooksPath=/dev/null", "-C", str(self.root), *args],  # noqa: S607 - git from PATH
                capture_output=True,
                timeout=timeout,
                env=git_env(),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if result.returncode != 0:
            return None
        return result.stdout.decode("utf-8", "replace")

    @cached_property
    def commit(self) -> str | None:
        out = self.git("rev-parse", "--verify", "-q", "HEAD")
        return out.strip() if out else None
