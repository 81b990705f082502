"""Reading a checkout without trusting it: links are never followed, nothing outside the checkout is read,
huge and binary files are skipped, and text of any encoding comes back as text."""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_TEXT_BYTES = 1024 * 1024  # larger files are listed but not read
MAX_FILES = 200_000
SKIP_FOLDERS = {".git"}


@dataclass(frozen=True)
class Entry:
    path: str  # relative, with forward slashes
    size: int
    is_link: bool = False


def walk(root: Path, *, max_files: int = MAX_FILES) -> list[Entry]:
    """Every file and link below root (not .git), sorted; links are listed, never followed."""
    root = Path(root)
    entries = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        # os.walk lists a link to a folder among dirs but does not descend into it (followlinks=False).
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS and d not in links)
        for name in [*files, *links]:
            full = os.path.join(folder, name)
            try:
                info = os.lstat(full)
            except OSError:
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            entries.append(Entry(rel, info.st_size, stat.S_ISLNK(info.st_mode)))
            if len(entries) >= max_files:
                return sorted(entries, key=lambda e: e.path)
    return sorted(entries, key=lambda e: e.path)


def read_text(root: Path, rel: str, *, limit: int = MAX_TEXT_BYTES) -> str | None:
    """The text of a regular file inside root, or None for links, files outside root, files larger than
    `limit`, binary files and anything unreadable. Invalid UTF-8 is replaced, never an error."""
    root = Path(root).resolve()
    full = root / rel
    try:
        # Refuse a path that leaves the checkout through a linked folder on the way.
        if not full.resolve(strict=True).is_relative_to(root):
            return None
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except (OSError, RuntimeError):  # RuntimeError: a link loop on old Pythons
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    if len(data) > limit or b"\x00" in data[:8192]:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")
