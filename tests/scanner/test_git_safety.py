"""A repository that is scanned is not trusted: its .git/config can name programs that git would start (a
signature checker, a file-system monitor, a pager, hooks, diff drivers, credential helpers, an ssh command, a
remote helper for a lazy fetch). Scanning it must start none of them and still give the normal result.

Every test builds a hostile repository whose configuration runs a marker program (it writes the file `ran`),
first shows with plain git that the configuration really would run it, and then scans the repository with the
real command line (`os2hub-scan FOLDER --format json`): the marker must not appear, and the findings must be
those of the same repository without the hostile configuration."""

import json
import os
import pty
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from os2hub.scanner import gitsafe, targets
from os2hub.scanner.cli import public, scan
from os2hub.scanner.repository import Repository
from os2hub.scanner.targets import check_target, parse_target

# Git for building the test repositories: no system or user configuration either.
BUILD_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
}
AUTHORS = ["udvikler@aarhus.dk"] * 7 + ["konsulent@leverandoer.dk"] * 5

SIGNATURES = {
    "openpgp": "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEexample\n=abcd\n-----END PGP SIGNATURE-----",
    "x509": "-----BEGIN SIGNED MESSAGE-----\nMIIGexample\n-----END SIGNED MESSAGE-----",
    "ssh": "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHexample\n-----END SSH SIGNATURE-----",
}


def git(root: Path, *args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Plain git, as a user would run it in the repository (its configuration honoured)."""
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(root), *args],  # noqa: S607
        env={**BUILD_ENV, **(env or {})},
        capture_output=True,
        **({} if "input" in kwargs else {"stdin": subprocess.DEVNULL}),
        timeout=60,
        check=kwargs.pop("check", True),
        **kwargs,
    )


def out(root: Path, *args: str, **kwargs) -> str:
    return git(root, *args, **kwargs).stdout.decode().strip()


def signed_commit(root: Path, kind: str, when: int) -> None:
    """A commit on top of HEAD whose object carries a signature header (not a valid signature: checking it
    still starts the checker)."""
    person = f"Udvikler <udvikler@aarhus.dk> {when} +0000"
    header = "gpgsig " + SIGNATURES[kind].replace("\n", "\n ")
    text = (
        f"tree {out(root, 'rev-parse', 'HEAD^{tree}')}\nparent {out(root, 'rev-parse', 'HEAD')}\n"
        f"author {person}\ncommitter {person}\n{header}\n\nSigneret ændring ({kind})\n"
    )
    sha = out(root, "hash-object", "-w", "-t", "commit", "--stdin", input=text.encode())
    git(root, "update-ref", "HEAD", sha)


def build_template(root: Path) -> None:
    """Twelve commits by two organisations in the last hours, then three signed ones (one of each kind)."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("# OS2eksempel\n\n## Formål\n\nEt eksempel.\n")
    (root / "src").mkdir()
    now = int(time.time()) - 3600
    for n, email in enumerate(AUTHORS):
        (root / "notes.txt").write_text(f"version {n}\n")
        (root / "src" / f"m{n}.py").write_text(f"x = {n}\n")
        when = f"@{now + n} +0000"
        env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": "T",
               "GIT_COMMITTER_EMAIL": email, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}  # fmt: skip
        git(root, "add", "-A", env=env)
        git(root, "commit", "-qm", f"Ændring {n} (#{n + 1})", env=env)
    for n, kind in enumerate(SIGNATURES):
        signed_commit(root, kind, now + 100 + n)


def findings(result: dict) -> list[dict]:
    """The findings as the command line prints them (the library's result also holds the message templates)."""
    return public(result)["findings"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The repository, and its findings and commit when nothing in it is hostile."""
    root = tmp_path_factory.mktemp("template") / "repo"
    build_template(root)
    result = scan(check_target(str(root)))
    return root, result


@pytest.fixture
def hostile(template, tmp_path):
    """A fresh copy of the repository, the marker program and the file it writes when it runs."""
    source, baseline = template
    root = tmp_path / "repo"
    shutil.copytree(source, root, symlinks=True)
    ran = tmp_path / "ran"
    evil = tmp_path / "bin" / "evil"
    evil.parent.mkdir()
    # Never reads its input: an ssh command or pager that waited for the end of it would hang the control.
    evil.write_text(f'#!/bin/sh\necho "$0 $*" >> "{ran}"\nexit 1\n')
    evil.chmod(0o755)
    shutil.copy2(evil, root / "evil")  # also as ./evil in the checkout (not tracked)
    return Hostile(root, evil, ran, baseline)


class Hostile:
    def __init__(self, root, evil, ran, baseline):
        self.root, self.evil, self.ran, self.baseline = root, evil, ran, baseline

    def config(self, **settings: str) -> None:
        for key, value in settings.items():
            git(self.root, "config", key.replace("__", "."), value)

    def would_run(self, *args: str, **kwargs) -> None:
        """Plain git with these arguments starts the marker: the configuration is live. The marker is then
        removed for the scan."""
        git(self.root, *args, check=False, **kwargs)
        assert self.ran.exists(), f"git {' '.join(args)} did not run the marker; the test proves nothing"
        self.ran.unlink()

    def scan_cli(self, *, env: dict | None = None, cwd: Path | None = None) -> dict:
        """The real command line on the checkout, as a separate process."""
        script = Path(sys.executable).with_name("os2hub-scan")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "os2hub.scanner"]
        result = subprocess.run(  # noqa: S603 - our own command line
            [*command, str(self.root), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=180,
            env=env if env is not None else os.environ.copy(),
            cwd=cwd,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def assert_safe_and_normal(self, **kwargs) -> dict:
        result = self.scan_cli(**kwargs)
        assert not self.ran.exists(), f"the scan ran a program from the repository: {self.ran.read_text()}"
        assert result["commit"] == self.baseline["commit"]
        assert findings(result) == findings(self.baseline)
        by_check = {f["check"]: f for f in findings(result)}
        assert by_check["active-development"]["outcome"] == "pass"
        assert by_check["active-development"]["details"]["commits_last_year"] == len(AUTHORS) + len(SIGNATURES)
        assert by_check["vendor-concentration"]["outcome"] == "pass"
        assert by_check["vendor-concentration"]["details"]["top_organisation"] == "aarhus.dk"
        return result


# --- One vector each ----------------------------------------------------------------------------------------


def test_the_baseline_reads_the_history(template):
    _root, result = template
    outcomes = {f["check"]: f["outcome"] for f in findings(result)}
    assert outcomes["active-development"] == outcomes["vendor-concentration"] == "pass"


@pytest.mark.parametrize(
    "program",
    [
        {"gpg.program": "./evil"},  # the finding of the test: a relative program in the checkout
        {"gpg.openpgp.program": "EVIL"},
        {"gpg.x509.program": "EVIL"},
        {"gpg.ssh.program": "EVIL", "gpg.ssh.allowedSignersFile": "ALLOWED"},
    ],
    ids=["gpg.program", "gpg.openpgp.program", "gpg.x509.program", "gpg.ssh.program"],
)
def test_signatures_are_not_checked(hostile, program):
    (hostile.root / "allowed_signers").write_text("udvikler@aarhus.dk ssh-ed25519 AAAAC3Nz\n")
    values = {"EVIL": str(hostile.evil), "ALLOWED": str(hostile.root / "allowed_signers")}
    hostile.config(log__showSignature="true", **{k: values.get(v, v) for k, v in program.items()})
    hostile.would_run("log", "-5", "--format=%s")
    hostile.assert_safe_and_normal()


def test_a_file_system_monitor_is_not_started(hostile):
    hostile.config(core__fsmonitor=str(hostile.evil))
    hostile.would_run("ls-files")  # the scanner's own listing of the files would start it
    hostile.assert_safe_and_normal()


def test_no_pager_is_started_even_on_a_terminal(hostile):
    hostile.config(core__pager=str(hostile.evil), **{"pager.log": str(hostile.evil), "pager.grep": str(hostile.evil)})

    def on_a_terminal(command, env):
        main, secondary = pty.openpty()
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary, env=env,  # noqa: S603
                           timeout=60, check=False)  # fmt: skip
        finally:
            os.close(secondary)
            os.close(main)

    on_a_terminal(["git", "-C", str(hostile.root), "log", "-1"], BUILD_ENV)  # noqa: S607
    assert hostile.ran.exists()
    hostile.ran.unlink()
    # The scanner never gives git a terminal; even with one, its options start no pager.
    on_a_terminal(gitsafe.command("log", "-1", root=hostile.root), gitsafe.environment(hostile.root))
    assert not hostile.ran.exists()
    hostile.assert_safe_and_normal()


def test_an_external_diff_is_not_started(hostile):
    (hostile.root / ".gitattributes").write_text("*.txt diff=evil\n")  # not tracked: read from the folder
    hostile.config(diff__external=str(hostile.evil), **{"diff.evil.command": str(hostile.evil)})
    hostile.would_run("diff", "HEAD~5", "HEAD")
    hostile.assert_safe_and_normal()


def test_a_textconv_driver_is_not_started(hostile):
    (hostile.root / ".gitattributes").write_text("*.txt diff=evil\n*.py diff=evil\n")
    hostile.config(**{"diff.evil.textconv": str(hostile.evil), "diff.evil.cachetextconv": "false"})
    hostile.would_run("log", "-p", "-3", "--", "notes.txt")
    hostile.would_run("grep", "--textconv", "-l", "x")
    hostile.assert_safe_and_normal()


def test_a_filter_driver_is_not_started(hostile):
    (hostile.root / ".gitattributes").write_text("* filter=evil\n")
    hostile.config(**{f"filter.evil.{key}": str(hostile.evil) for key in ("clean", "smudge")})
    hostile.would_run("hash-object", "notes.txt")
    hostile.assert_safe_and_normal()


def test_hooks_are_not_run(hostile):
    names = ["pre-commit", "post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc",
             "post-rewrite", "fsmonitor-watchman", "post-merge", "pre-push"]  # fmt: skip
    for folder in (hostile.root / "hooks", hostile.root / ".git" / "hooks"):
        folder.mkdir(exist_ok=True)
        for name in names:
            shutil.copy2(hostile.evil, folder / name)
    hostile.would_run("hook", "run", "pre-commit")  # the default folder, .git/hooks
    hostile.config(core__hooksPath=str(hostile.root / "hooks"))
    hostile.would_run("hook", "run", "pre-commit")
    hostile.assert_safe_and_normal()


def test_aliases_are_not_followed(hostile):
    evil = f"!{hostile.evil}"
    hostile.config(**{f"alias.{name}": evil for name in ("lg", "log", "ls-files", "grep", "rev-parse", "clone")})
    hostile.would_run("lg")
    hostile.assert_safe_and_normal()


def test_a_credential_helper_is_not_asked(hostile):
    hostile.config(
        credential__helper=f"!{hostile.evil}",
        **{"credential.https://example.com.helper": f"!{hostile.evil}", "remote.origin.url": "https://example.com/r"},
    )
    hostile.would_run("credential", "fill", input=b"protocol=https\nhost=example.com\n\n",
                      env={"GIT_TERMINAL_PROMPT": "0"})  # fmt: skip
    hostile.assert_safe_and_normal()


def test_an_ssh_command_and_askpass_are_not_started(hostile):
    hostile.config(
        core__sshCommand=str(hostile.evil),
        core__askPass=str(hostile.evil),
        core__gitProxy=str(hostile.evil),
        **{"remote.origin.url": "ssh://example.invalid/r", "protocol.ssh.allow": "always"},
    )
    hostile.would_run("ls-remote", "origin")
    hostile.assert_safe_and_normal()


def test_every_vector_at_once(hostile):
    evil = str(hostile.evil)
    (hostile.root / ".gitattributes").write_text("* diff=evil filter=evil\n")
    hostile.config(
        log__showSignature="true", gpg__program="./evil", core__fsmonitor=evil, core__pager=evil,
        core__hooksPath=str(hostile.root), diff__external=evil, credential__helper=f"!{evil}",
        core__sshCommand=evil, core__editor=evil, sequence__editor=evil, core__askPass=evil,
        **{"diff.evil.textconv": evil, "diff.evil.command": evil, "filter.evil.clean": evil,
           "alias.log": f"!{evil}", "pager.log": evil, "protocol.ext.allow": "always",
           "uploadpack.packObjectsHook": evil, "core.alternateRefsCommand": evil},
    )  # fmt: skip
    for name in ("pre-commit", "post-index-change", "reference-transaction"):
        shutil.copy2(hostile.evil, hostile.root / name)
    hostile.assert_safe_and_normal()


# --- A lazy fetch from a promisor remote --------------------------------------------------------------------


@pytest.mark.parametrize("remote", ["ext", "ssh", "helper"])
def test_a_missing_object_is_not_fetched(hostile, remote, monkeypatch):
    """A partial clone whose newest commit's parent is missing: reading the history would fetch it from the
    promisor remote, through a transport the repository's configuration allows and names the program of."""
    root = hostile.root
    head = out(root, "rev-parse", "HEAD")
    text = out(root, "cat-file", "commit", head).replace(f"parent {out(root, 'rev-parse', 'HEAD~1')}",
                                                          f"parent {'1' * 40}")  # fmt: skip
    git(root, "update-ref", "HEAD", out(root, "hash-object", "-w", "-t", "commit", "--stdin", input=text.encode()))
    urls = {
        "ext": f"ext::{hostile.evil} %S",
        "ssh": "ssh://example.invalid/r",
        "helper": "evil::https://example.invalid/r",  # git-remote-evil, found on PATH
    }
    shutil.copy2(hostile.evil, hostile.evil.with_name("git-remote-evil"))
    hostile.config(
        core__repositoryformatversion="1", extensions__partialClone="origin", remote__origin__promisor="true",
        core__sshCommand=str(hostile.evil), **{"remote.origin.url": urls[remote], f"protocol.{remote}.allow": "always",
                                              "protocol.allow": "always"},
    )  # fmt: skip
    path = f"{hostile.evil.parent}{os.pathsep}{BUILD_ENV['PATH']}"
    hostile.would_run("log", "--format=%s", env={"PATH": path})
    result = hostile.scan_cli(env={**os.environ, "PATH": f"{hostile.evil.parent}{os.pathsep}{os.environ['PATH']}"})
    assert not hostile.ran.exists()
    by_check = {f["check"]: f for f in findings(result)}
    # A history git cannot read is reported as such, as for any damaged repository.
    assert by_check["active-development"]["outcome"] == "error"
    assert "could not be read" in by_check["active-development"]["message"]
    # A git without GIT_NO_LAZY_FETCH (older than 2.39.4) is still stopped: no transport is allowed.
    env = gitsafe.environment(root) | {"PATH": path}
    del env["GIT_NO_LAZY_FETCH"]
    subprocess.run(gitsafe.command("log", "--format=%s", root=root), env=env, capture_output=True,  # noqa: S603
                   timeout=60, check=False)  # fmt: skip
    assert not hostile.ran.exists()


# --- The environment the scanner was started with -----------------------------------------------------------


def test_inherited_git_variables_and_a_relative_path_are_ignored(hostile, tmp_path):
    evil = str(hostile.evil)
    config = tmp_path / "hostile.gitconfig"
    config.write_text(f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {evil}\n[core]\n\tfsmonitor = {evil}\n")
    shutil.copy2(hostile.evil, hostile.root / "git")  # found first by a PATH that starts with "."
    env = {
        **os.environ,
        "PATH": f".{os.pathsep}{os.environ['PATH']}",
        "GIT_CONFIG_PARAMETERS": f"'log.showsignature'='true' 'gpg.program'='{evil}' 'core.fsmonitor'='{evil}'",
        "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.fsmonitor", "GIT_CONFIG_VALUE_0": evil,
        "GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_SYSTEM": str(config), "GIT_CONFIG": str(config),
        "GIT_PAGER": evil, "PAGER": evil, "GIT_EXTERNAL_DIFF": evil, "GIT_SSH_COMMAND": evil, "GIT_SSH": evil,
        "GIT_ASKPASS": evil, "SSH_ASKPASS": evil, "GIT_EDITOR": evil, "GIT_PROXY_COMMAND": evil,
        "GIT_DIR": str(tmp_path / "elsewhere"), "GIT_WORK_TREE": str(tmp_path), "GIT_INDEX_FILE": "/dev/null",
        "GIT_EXEC_PATH": str(hostile.evil.parent), "GIT_TRACE": str(tmp_path / "trace"),
    }  # fmt: skip
    hostile.assert_safe_and_normal(env=env, cwd=hostile.root)
    assert not (tmp_path / "trace").exists()


def test_the_environment_of_git_is_built_from_nothing(monkeypatch):
    monkeypatch.setenv("PATH", f".{os.pathsep}bin{os.pathsep}/usr/bin{os.pathsep}{os.pathsep}/bin")
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    env = gitsafe.environment(Path("/srv/repo"))
    assert env["PATH"] == f"/usr/bin{os.pathsep}/bin"
    assert not {"GIT_DIR", "GIT_EXTERNAL_DIFF", "GIT_SSH_COMMAND", "GIT_CONFIG_PARAMETERS"} & set(env)
    assert env["GIT_CONFIG_NOSYSTEM"] == env["GIT_ATTR_NOSYSTEM"] == "1"
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull and env["GIT_PAGER"] == env["PAGER"] == "cat"
    assert env["GIT_TERMINAL_PROMPT"] == "0" and env["GIT_ASKPASS"] == env["SSH_ASKPASS"] == ""
    assert env["GIT_ALLOW_PROTOCOL"] == "none" and env["GIT_CEILING_DIRECTORIES"] == "/srv"


# --- Where git reads ----------------------------------------------------------------------------------------


def test_a_working_tree_elsewhere_in_the_configuration_is_not_used(hostile, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    hostile.config(core__worktree=str(elsewhere))
    assert Path(Repository(hostile.root).git("rev-parse", "--show-toplevel").strip()) == hostile.root.resolve()
    hostile.assert_safe_and_normal()


def test_a_linked_worktree_is_read(template, tmp_path):
    source, _baseline = template
    main = tmp_path / "main"
    shutil.copytree(source, main, symlinks=True)
    git(main, "worktree", "add", "-q", str(tmp_path / "linked"))
    repo = Repository(tmp_path / "linked")
    assert repo.commit == out(main, "rev-parse", "HEAD") and "notes.txt" in repo.paths


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder away needs root")
def test_a_checkout_owned_by_another_user_is_read(hostile):
    hostile.config(log__showSignature="true", gpg__program="./evil")
    for folder, _dirs, names in os.walk(hostile.root):
        for name in [".", *names]:
            os.lchown(os.path.join(folder, name), 4242, 4242)
    assert git(hostile.root, "log", "-1", check=False).returncode != 0  # git refuses it without safe.directory
    hostile.assert_safe_and_normal()


# --- The scanner's own clone --------------------------------------------------------------------------------


def test_the_clone_allows_https_and_nothing_else(monkeypatch, tmp_path):
    seen = {}

    def fake_run(cmd, *, watch, timeout, max_bytes, env):
        seen.update(cmd=cmd, env=env)
        watch.mkdir(parents=True)

    monkeypatch.setattr(targets, "run_limited", fake_run)
    resolve = lambda host, port, **kw: [(2, 1, 6, "", ("140.82.121.4", port))]  # noqa: E731
    targets.clone(parse_target("https://github.com/OS2mo/os2mo", resolve=resolve), into=tmp_path)
    cmd, env = " ".join(seen["cmd"]), seen["env"]
    for option in ("protocol.https.allow=always", "protocol.ext.allow=never", "protocol.ssh.allow=never",
                   "log.showSignature=false", "core.fsmonitor=false", "credential.helper= ", "--no-pager"):  # fmt: skip
        assert option in cmd
    assert "protocol.https.allow=never" not in cmd
    assert env["GIT_ALLOW_PROTOCOL"] == "https" and env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_LFS_SKIP_SMUDGE"] == "1" and env["GIT_ASKPASS"] == ""
