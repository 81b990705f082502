"""What may be scanned, decided before any connection is made, and a clone that cannot run away.

A target is a local folder or an https address of a repository on an allowed host. Everything else is refused
with a TargetError whose message a coordinator understands (the command line exits with status 2): other
schemes (file://, ssh://, git://, http://, scp-like user@host:path), addresses with credentials, ports, query
strings, hosts outside the allowlist, and names that resolve to loopback, private, link-local or other
non-public addresses. Cloning never runs code from the repository: no hooks, no submodules, no LFS, no
redirects, no credential prompts, a pinned address, a time limit, a size limit and a limited history.
"""

import contextlib
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import gitsafe
from .messages import Message, gettext_noop, message

DEFAULT_ALLOWED_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org")
CLONE_TIMEOUT_S = 60
CLONE_MAX_BYTES = 500 * 1024 * 1024
CLONE_DEPTH = 1000


class TargetError(Exception):
    """A target that is refused or could not be fetched; the message is for the user. `text` is the message with
    its template (messages.Message; str(error) is the English sentence)."""

    def __init__(self, text: Message | str):
        super().__init__(str(text))
        self.text = text if isinstance(text, Message) else Message(str(text))


@dataclass(frozen=True)
class Target:
    raw: str
    path: Path | None = None  # a local folder
    url: str | None = None  # an https repository address
    host: str = ""
    address: str = ""  # the public IP address the host resolved to, pinned for the clone

    @property
    def is_remote(self) -> bool:
        return self.url is not None


def _looks_remote(raw: str) -> bool:
    if "://" in raw:
        return True
    # scp-like git syntax: user@host:path or host:path (but not a Windows drive or a plain relative path)
    head = raw.split("/", 1)[0]
    return ":" in head and not Path(raw).exists()


def _safe_for_message(raw: str) -> str:
    """The target as it may be printed: never a password or token that was part of it."""
    try:
        parts = urlsplit(raw)
    except ValueError:
        return "(an address that cannot be read)"
    if parts.username or parts.password:
        host = parts.hostname or ""
        return f"{parts.scheme}://***@{host}{parts.path}"
    return raw[:300]


def _public_address(host: str, resolve) -> str:
    try:
        infos = resolve(host, 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise TargetError(
            message(gettext_noop("The host %(host)s could not be found (%(reason)s)."), host=host, reason=str(exc))
        ) from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise TargetError(message(gettext_noop("The host %(host)s could not be found."), host=host))
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise TargetError(
                message(
                    gettext_noop(
                        "The host %(host)s resolves to %(address)s, which is not a public address; it is not scanned."
                    ),
                    host=host,
                    address=address,
                )
            )
    return addresses[0]


def check_target(raw: str, *, allowed_hosts=DEFAULT_ALLOWED_HOSTS) -> Target:
    """Check a target without any connection or name lookup: a local folder comes back complete, a remote one
    without its address (see `resolve_target`). Raises TargetError."""
    raw = (raw or "").strip()
    if not raw:
        raise TargetError(message(gettext_noop("Give a folder or an https address of a repository.")))
    if "\x00" in raw or any(ch in raw for ch in "\r\n\t"):
        raise TargetError(message(gettext_noop("The target contains control characters.")))
    if not _looks_remote(raw):
        path = Path(raw)
        try:
            if not path.exists():
                raise TargetError(message(gettext_noop("%(target)s does not exist."), target=raw))
            if not path.is_dir():
                raise TargetError(message(gettext_noop("%(target)s is not a folder."), target=raw))
            return Target(raw=raw, path=path.resolve(strict=True))
        except (OSError, RuntimeError) as exc:  # unreadable, a link loop, a name too long
            raise TargetError(
                message(
                    gettext_noop("%(target)s cannot be read (%(reason)s)."),
                    target=raw,
                    reason=str(getattr(exc, "strerror", None) or exc),
                )
            ) from None
    shown = _safe_for_message(raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise TargetError(message(gettext_noop("%(target)s is not a valid address."), target=shown)) from None
    if parts.scheme.lower() != "https":
        scheme = parts.scheme.lower() or "ssh (user@host:path)"
        raise TargetError(
            message(
                gettext_noop("%(target)s: only https addresses are scanned, not %(scheme)s."),
                target=shown,
                scheme=scheme,
            )
        )
    if parts.username or parts.password:
        raise TargetError(
            message(
                gettext_noop(
                    "%(target)s: an address with a user name, password or token is refused; use a public one."
                ),
                target=shown,
            )
        )
    if port not in (None, 443):
        raise TargetError(message(gettext_noop("%(target)s: only the standard https port is allowed."), target=shown))
    if parts.query or parts.fragment:
        raise TargetError(
            message(gettext_noop("%(target)s: a repository address has no query string or fragment."), target=shown)
        )
    host = (parts.hostname or "").rstrip(".").lower()
    allowed = {h.lower() for h in allowed_hosts}
    if host not in allowed:
        raise TargetError(
            message(
                gettext_noop("%(target)s: the host %(host)s is not allowed; allowed: %(allowed)s."),
                target=shown,
                host=host or "(none)",
                allowed=", ".join(sorted(allowed)),
            )
        )
    path = parts.path.strip("/")
    if not path or ".." in path.split("/"):
        raise TargetError(
            message(
                gettext_noop("%(target)s: give the address of a repository, for example https://%(host)s/owner/name."),
                target=shown,
                host=host,
            )
        )
    return Target(raw=raw, url=f"https://{host}/{path}", host=host)


def resolve_target(target: Target, *, resolve=None) -> Target:
    """A checked remote target with the public address its host resolves to (refusing non-public ones); a local
    target as it is. The only network use before a clone is this name lookup. Raises TargetError."""
    if not target.is_remote or target.address:
        return target
    address = _public_address(target.host, resolve or socket.getaddrinfo)
    return Target(raw=target.raw, url=target.url, host=target.host, address=address)


def parse_target(raw: str, *, allowed_hosts=DEFAULT_ALLOWED_HOSTS, resolve=None) -> Target:
    """Check a target; for a remote one, resolve its host and refuse non-public addresses. Makes no other
    connection. Raises TargetError."""
    return resolve_target(check_target(raw, allowed_hosts=allowed_hosts), resolve=resolve)


def _tree_bytes(root: Path) -> int:
    """Bytes below root, links not followed; iterative, so a hostile depth of folders cannot exhaust Python's
    recursion limit."""
    total, pending = 0, [os.fspath(root)]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                for item in listing:
                    with contextlib.suppress(OSError):
                        if item.is_dir(follow_symlinks=False):
                            pending.append(item.path)
                        else:
                            total += item.stat(follow_symlinks=False).st_size
        except OSError:
            continue
    return total


def remove_tree(root: Path) -> None:
    """Remove a folder the scanner made (a clone), whatever its depth: shutil.rmtree recurses once per level,
    so a hostile nesting of folders is removed level by level instead. Errors are ignored."""
    try:
        shutil.rmtree(root, ignore_errors=True)
        return
    except RecursionError:
        pass
    pending, folders = [os.fspath(root)], []
    while pending:
        folder = pending.pop()
        folders.append(folder)
        with contextlib.suppress(OSError), os.scandir(folder) as listing:
            for item in listing:
                if item.is_dir(follow_symlinks=False):
                    pending.append(item.path)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def run_limited(cmd: list[str], *, watch: Path, timeout: float, max_bytes: int, env=None) -> None:
    """Run a command in its own process group; kill it when it takes longer than `timeout` seconds or `watch`
    grows beyond `max_bytes`. Raises TargetError."""
    # stderr to a file, not a pipe: a chatty command must not block on a full pipe and look like a hang.
    with tempfile.TemporaryFile() as errors:
        # The command is ours (git with fixed options); only the checked address and folder are arguments.
        process = subprocess.Popen(  # noqa: S603
            cmd, stdout=subprocess.DEVNULL, stderr=errors, env=env, start_new_session=True
        )
        started = time.monotonic()
        reason = None
        while process.poll() is None:
            if time.monotonic() - started > timeout:
                reason = message(gettext_noop("it took longer than %(seconds)s seconds"), seconds=f"{timeout:g}")
            elif watch.exists() and _tree_bytes(watch) > max_bytes:
                reason = message(
                    gettext_noop("it is larger than %(megabytes)s MB"), megabytes=max_bytes // (1024 * 1024)
                )
            if reason:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise TargetError(message(gettext_noop("The repository was not fetched: %(reason)s."), reason=reason))
            time.sleep(0.1)
        if process.returncode != 0:
            errors.seek(0)
            output = errors.read(20_000).decode("utf-8", "replace").strip()
            raise TargetError(
                message(gettext_noop("The repository could not be fetched: %(reason)s."), reason=git_failure(output))
            )


# What git's last words on a failed clone mean, as a reason in the reader's language: git's own line is
# English, and a coordinator on a Danish page should not have to read "fatal: ...". First match wins.
GIT_FAILURES = (
    (
        re.compile(r"could not read (username|password)|authentication failed|terminal prompts disabled|"
                   r"returned error: 40[13]", re.IGNORECASE),
        gettext_noop("the repository asks for a login; only public repositories are scanned"),
    ),
    (
        re.compile(r"repository .* not found|returned error: 404|does not appear to be a git repository",
                   re.IGNORECASE),
        gettext_noop("there is no public repository at that address"),
    ),
    (re.compile(r"could not resolve host", re.IGNORECASE), gettext_noop("the host could not be found")),
    (
        re.compile(r"failed to connect|connection (refused|reset|timed out)|operation timed out|"
                   r"could not connect", re.IGNORECASE),
        gettext_noop("the host did not answer"),
    ),
    (
        re.compile(r"ssl|certificate", re.IGNORECASE),
        gettext_noop("the host's certificate could not be verified"),
    ),
    (
        re.compile(r"redirect", re.IGNORECASE),
        gettext_noop("the address sends the request on elsewhere; give the repository's own address"),
    ),
    (
        re.compile(r"remote branch .* not found|nonexistent ref|empty repository", re.IGNORECASE),
        gettext_noop("the repository has no default branch with commits"),
    ),
    (re.compile(r"returned error: 5\d\d", re.IGNORECASE), gettext_noop("the host answered with a server error")),
)  # fmt: skip


def git_failure(output: str) -> Message:
    """The reason a clone failed, from git's error output: a known cause in words, else git's last line."""
    for pattern, reason in GIT_FAILURES:
        if pattern.search(output):
            return message(reason)
    lines = output.splitlines()
    if not lines:
        return message(gettext_noop("git failed"))
    return message(gettext_noop("git said “%(line)s”"), line=_safe_for_message(lines[-1])[:200])


def clone(
    target: Target,
    *,
    into: Path | None = None,
    timeout: float = CLONE_TIMEOUT_S,
    max_bytes: int = CLONE_MAX_BYTES,
    depth: int = CLONE_DEPTH,
) -> Path:
    """Clone a remote target into a new folder (returned; the caller removes it) with every safety on."""
    if not target.is_remote:
        raise ValueError("only remote targets are cloned")
    base = Path(tempfile.mkdtemp(prefix="os2hub-scan-", dir=into))
    dest = base / "checkout"
    home = base / "home"
    home.mkdir()
    # The safe options and environment of every git call (gitsafe), with https the one transport allowed.
    env = gitsafe.environment(home=home, allow_https=True) | {"GIT_LFS_SKIP_SMUDGE": "1"}
    cmd = gitsafe.command(
        "-c", "http.followRedirects=false",
        "-c", f"http.curloptResolve={target.host}:443:{target.address}",
        "-c", "filter.lfs.smudge=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false",
        "clone", "--quiet", "--no-recurse-submodules", "--single-branch", f"--depth={depth}",
        "--", target.url, str(dest),
        allow_https=True,
    )  # fmt: skip
    try:
        run_limited(cmd, watch=dest, timeout=timeout, max_bytes=max_bytes, env=env)
    except BaseException:
        remove_tree(base)
        raise
    return dest
