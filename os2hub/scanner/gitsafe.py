"""How the scanner starts git: the one place for the options and the environment of every git call.

A repository that is scanned is not trusted, and git reads its configuration (.git/config, the files it
includes, .gitattributes). Much of that configuration names programs that git starts: a signature checker
(`log.showSignature` with `gpg.program`), a file-system monitor, a pager, an editor, hooks, external diff and
textconv drivers, credential helpers, an ssh command, remote helpers (`ext::`), a lazy fetch from a promisor
remote. Every git call of the scanner is therefore made with `command` and `environment`:

- `-c` options, which outrank every configuration file, set each such setting to a value that starts nothing
  (`cat` and `:` are git's own words for "no pager" and "no editor"; an empty credential.helper clears the
  list; an empty program name cannot be started);
- no transport at all (GIT_ALLOW_PROTOCOL names none, which outranks `protocol.<name>.allow` in the repository,
  and GIT_NO_LAZY_FETCH): no ssh command, proxy, remote helper, credential helper or askpass program is reached.
  The scanner's own clone allows https and nothing else;
- no pager (`--no-pager`), and the working tree is the checkout itself (a `core.worktree` in the repository
  cannot point git elsewhere);
- an environment built from nothing: no system or global configuration or attributes, no inherited GIT_*
  variable (GIT_DIR, GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND, GIT_EXEC_PATH, ...), no prompts,
  and a PATH without relative folders (a relative one would find programs in the checkout).

Per-driver programs (`diff.<driver>.textconv` and `.command`, `filter.<driver>.*`, `merge.<driver>.driver`)
have names the repository chooses, so no `-c` option can cover them all: they run only for diffs, checkouts and
merges, which the scanner does not make of a repository it reads; the history is read with --no-ext-diff and
--no-textconv, and `git grep` with --no-textconv. Aliases cannot replace the built-in commands the scanner uses.

A checkout owned by another user is read all the same (safe.directory=*): with the settings above its
configuration cannot start anything. Nothing here imports Django.
"""

import os
from pathlib import Path

# Transports git knows by name; GIT_ALLOW_PROTOCOL covers every other one (remote helpers included).
PROTOCOLS = ("file", "git", "ssh", "http", "https", "ext", "fd")

SAFE_CONFIG = (
    # Programs that even reading commands may start.
    "core.hooksPath=/dev/null",  # hooks
    "core.fsmonitor=false",  # a file-system monitor command, or git's own daemon
    "log.showSignature=false",  # verifying a signature starts gpg, gpgsm or ssh-keygen
    "gpg.program=",
    "gpg.openpgp.program=",
    "gpg.x509.program=",
    "gpg.ssh.program=",
    "gpg.ssh.defaultKeyCommand=",
    "core.pager=cat",  # git starts no pager for "cat"
    "core.editor=:",  # nor an editor for ":"
    "sequence.editor=:",
    "core.attributesFile=/dev/null",  # attributes only from the repository itself
    # Programs for the network, never reached since no transport is allowed (see `environment`).
    "credential.helper=",  # an empty value clears the list of helpers
    "core.askPass=",
    "core.sshCommand=",
    "protocol.allow=never",
    # No background housekeeping, no submodules.
    "gc.auto=0",
    "maintenance.auto=false",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    # A checkout owned by another user is read too.
    "safe.directory=*",
)


def config(*, allow_https: bool = False) -> list[str]:
    """The `-c` options of a git call: the safe configuration, and every transport refused (https allowed
    for the scanner's own clone)."""
    protocols = [f"protocol.{name}.allow=never" for name in PROTOCOLS if not (allow_https and name == "https")]
    if allow_https:
        protocols.append("protocol.https.allow=always")
    return [arg for setting in (*SAFE_CONFIG, *protocols) for arg in ("-c", setting)]


def command(*args: str, root: Path | None = None, allow_https: bool = False) -> list[str]:
    """A git command line with every safety on: git from PATH, the safe configuration, no pager, and (with
    `root`) run in that checkout with it as the working tree."""
    where = ["-C", os.fspath(root), f"--work-tree={os.fspath(root)}"] if root is not None else []
    return ["git", *config(allow_https=allow_https), "--no-pager", *where, *args]


def _path() -> str:
    folders = [folder for folder in os.environ.get("PATH", "").split(os.pathsep) if os.path.isabs(folder)]
    return os.pathsep.join(folders) or os.pathsep.join(("/usr/bin", "/bin"))


def environment(root: Path | None = None, *, allow_https: bool = False, home: Path | None = None) -> dict:
    """The whole environment of a git call (nothing else is inherited)."""
    env = {
        "PATH": _path(),
        "HOME": os.fspath(home) if home is not None else os.devnull,  # no user configuration
        "XDG_CONFIG_HOME": os.devnull,
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_EDITOR": ":",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",  # set and empty: neither core.askPass nor SSH_ASKPASS is asked
        "SSH_ASKPASS": "",
        # Only these transports, whatever protocol.<name>.allow the repository sets; "none" is no transport.
        "GIT_ALLOW_PROTOCOL": "https" if allow_https else "none",
        "GIT_PROTOCOL_FROM_USER": "0",
        "GIT_NO_LAZY_FETCH": "1",  # no fetch of missing objects from a promisor remote
        "GIT_OPTIONAL_LOCKS": "0",
    }
    if root is not None:
        # No discovery of a repository above the checkout.
        env["GIT_CEILING_DIRECTORIES"] = os.fspath(Path(root).parent)
    return env
