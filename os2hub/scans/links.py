"""Addresses of a file, a line and a commit in the web view of a repository host, at a fixed commit, so that
evidence keeps pointing at what was scanned. Hosts we do not know get no link (None)."""

from urllib.parse import quote, urlsplit

_COMMIT = {
    "github.com": "{base}/commit/{commit}",
    "gitlab.com": "{base}/-/commit/{commit}",
    "codeberg.org": "{base}/commit/{commit}",
    "bitbucket.org": "{base}/commits/{commit}",
}
_FILE = {
    "github.com": ("{base}/blob/{commit}/{path}", "#L{line}"),
    "gitlab.com": ("{base}/-/blob/{commit}/{path}", "#L{line}"),
    "codeberg.org": ("{base}/src/commit/{commit}/{path}", "#L{line}"),
    "bitbucket.org": ("{base}/src/{commit}/{path}", "#lines-{line}"),
}


def _base(repository_url: str) -> tuple[str, str] | None:
    parts = urlsplit(repository_url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or host not in _FILE:
        return None
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    return host, f"https://{host}{path}"


def _is_commit(commit: str) -> bool:
    return bool(commit) and all(c in "0123456789abcdef" for c in commit.lower())


def commit_url(repository_url: str, commit: str) -> str | None:
    found = _base(repository_url)
    if found is None or not _is_commit(commit):
        return None
    host, base = found
    return _COMMIT[host].format(base=base, commit=commit)


def file_url(repository_url: str, commit: str, path: str, line: int | None = None) -> str | None:
    found = _base(repository_url)
    if found is None or not _is_commit(commit) or not path:
        return None
    host, base = found
    template, anchor = _FILE[host]
    url = template.format(base=base, commit=commit, path=quote(path, safe="/"))
    if isinstance(line, int) and line > 0:
        url += anchor.format(line=line)
    return url
