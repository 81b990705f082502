"""Reading a checkout without trusting it: links are never followed, nothing outside the checkout is read,
huge and binary files are skipped, and text of any encoding comes back as text."""

import functools
import os
import stat
from pathlib import Path
from typing import NamedTuple

MAX_TEXT_BYTES = 1024 * 1024  # larger files are listed but not read
MAX_FILES = 200_000
SKIP_FOLDERS = {".git"}


class Entry(NamedTuple):
    """One listed file (a tuple: a scan makes one per file, and a frozen dataclass costs twice as much)."""

    path: str  # relative, with forward slashes
    size: int
    is_link: bool = False


def walk(root: Path, *, max_files: int = MAX_FILES) -> list[Entry]:
    """Every file and link below root (not .git), sorted; links are listed, never followed. Iterative, so any
    depth of folders is fine, and unreadable folders are left out."""
    root = os.fspath(root)
    entries: list[Entry] = []
    pending = [(root, "")]
    while pending and len(entries) < max_files:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError:
            continue
        for item in items:
            rel = prefix + item.name
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if item.name not in SKIP_FOLDERS:
                    pending.append((item.path, rel + "/"))
                continue
            entries.append(Entry(rel, info.st_size, stat.S_ISLNK(info.st_mode)))
            if len(entries) >= max_files:
                break
    return sorted(entries, key=lambda e: e.path)


@functools.lru_cache(maxsize=256)
def _real_root(root: str) -> str:
    return os.path.realpath(root)


def _opened_inside(fd: int, full: str, root: str) -> bool:
    """Whether the opened file lies inside root: the kernel's name for the descriptor (Linux), else the
    resolved path. A folder on the way that is a link out of the checkout shows here."""
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        real = os.path.realpath(full)
    return real.startswith(root.rstrip("/") + "/")


def read_text(root: Path, rel: str, *, limit: int = MAX_TEXT_BYTES) -> str | None:
    """The text of a regular file inside root, or None for links, files outside root, files larger than
    `limit`, binary files and anything unreadable. Invalid UTF-8 is replaced, never an error."""
    root = _real_root(os.fspath(root))
    if not rel or os.path.isabs(rel) or ".." in rel.split("/"):
        return None
    full = os.path.join(root, rel)
    try:
        # O_NOFOLLOW: the file itself is no link; O_NONBLOCK: a named pipe does not wait for a writer.
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    try:
        info = os.fstat(fd)
        # A folder (a submodule's path, say) or a device is not a file to read; os.fdopen would refuse a folder.
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit or not _opened_inside(fd, full, root):
            return None
        # Read what the file holds (plus one byte to notice a file that grew past the limit meanwhile), not a
        # buffer of the limit's size for every file.
        chunks, wanted = [], min(info.st_size, limit) + 1
        while wanted > 0:
            chunk = os.read(fd, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        data = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > limit or b"\x00" in data[:8192]:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")
