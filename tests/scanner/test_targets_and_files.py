"""The scanner's safety layer: targets refused before any connection, clones that cannot run away, and a
checkout read without following links out of it. No network: host names resolve through a fake resolver."""

import os
import socket
import sys
import time

import pytest

from os2hub.scanner import files
from os2hub.scanner.targets import TargetError, parse_target, run_limited


def resolver(address):
    calls = []

    def resolve(host, port, type=0):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    resolve.calls = calls
    return resolve


PUBLIC = "140.82.121.4"


def test_a_public_https_repository_on_an_allowed_host_is_accepted():
    resolve = resolver(PUBLIC)
    target = parse_target("https://github.com/OS2mo/os2mo.git", resolve=resolve)
    assert (target.url, target.host, target.address) == ("https://github.com/OS2mo/os2mo.git", "github.com", PUBLIC)
    assert resolve.calls == ["github.com"]


@pytest.mark.parametrize(
    "raw, message",
    [
        ("file:///etc", "only https"),
        ("ssh://git@github.com/OS2mo/os2mo", "only https"),
        ("git@github.com:OS2mo/os2mo.git", "only https"),
        ("git://github.com/OS2mo/os2mo", "only https"),
        ("http://github.com/OS2mo/os2mo", "only https"),
        ("https://user:s3cret@github.com/OS2mo/os2mo", "user name, password or token"),
        ("https://ghp_abc@github.com/OS2mo/os2mo", "user name, password or token"),
        ("https://github.com:8443/OS2mo/os2mo", "standard https port"),
        ("https://example.com/OS2mo/os2mo", "not allowed"),
        ("https://github.com.evil.example/x/y", "not allowed"),
        ("https://github.com/", "address of a repository"),
        ("https://github.com/OS2mo/os2mo?ref=x", "no query string"),
        ("https://github.com/a\nb", "control characters"),
    ],
)
def test_refused_targets_are_refused_before_any_connection(raw, message):
    resolve = resolver(PUBLIC)
    with pytest.raises(TargetError, match=message) as refused:
        parse_target(raw, resolve=resolve)
    assert resolve.calls == []  # not even a name lookup
    assert "s3cret" not in str(refused.value) and "ghp_abc" not in str(refused.value)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "192.168.1.1", "169.254.169.254", "::1", "fd00::1"])
def test_an_allowed_name_resolving_inside_a_network_is_refused(address):
    with pytest.raises(TargetError, match="not a public address"):
        parse_target("https://github.com/OS2mo/os2mo", resolve=resolver(address))


def test_a_host_that_cannot_be_found_gives_a_clear_message():
    def fail(host, port, type=0):
        raise socket.gaierror("Name or service not known")

    with pytest.raises(TargetError, match="could not be found"):
        parse_target("https://github.com/OS2mo/os2mo", resolve=fail)


def test_the_allowlist_is_configurable():
    target = parse_target(
        "https://git.kommune.example/os2/x", allowed_hosts=["git.kommune.example"], resolve=resolver(PUBLIC)
    )
    assert target.host == "git.kommune.example"


def test_local_targets_must_be_existing_folders(tmp_path):
    assert parse_target(str(tmp_path)).path == tmp_path.resolve()
    with pytest.raises(TargetError, match="does not exist"):
        parse_target(str(tmp_path / "findes-ikke"))
    (tmp_path / "fil.txt").write_text("x")
    with pytest.raises(TargetError, match="is not a folder"):
        parse_target(str(tmp_path / "fil.txt"))


def test_a_command_that_hangs_is_killed_at_the_time_limit(tmp_path):
    started = time.monotonic()
    with pytest.raises(TargetError, match="longer than 0.5 seconds"):
        run_limited([sys.executable, "-c", "import time; time.sleep(30)"], watch=tmp_path, timeout=0.5, max_bytes=10**9)
    assert time.monotonic() - started < 5


def test_a_download_that_grows_too_large_is_killed(tmp_path):
    script = (
        "import time, sys\n"
        f"f = open({str(tmp_path / 'big')!r}, 'wb')\n"
        "while True:\n    f.write(b'x' * 1_000_000); f.flush(); time.sleep(0.01)\n"
    )
    with pytest.raises(TargetError, match="larger than 1 MB"):
        run_limited([sys.executable, "-c", script], watch=tmp_path, timeout=20, max_bytes=1024 * 1024)


def test_a_failing_command_reports_its_last_line(tmp_path):
    with pytest.raises(TargetError, match="fatal: repository not found"):
        run_limited(
            [sys.executable, "-c", "import sys; sys.stderr.write('fatal: repository not found\\n'); sys.exit(128)"],
            watch=tmp_path,
            timeout=10,
            max_bytes=10**9,
        )


# --- Reading a checkout -------------------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]")
    (root / "README.md").write_text("# Formål\n\nLøsningen hjælper kommunerne.\n", encoding="utf-8")
    (root / "docs" / "drift.md").write_bytes(b"Drift: \xff\xfe ugyldig UTF-8\n")
    (root / "logo.bin").write_bytes(b"\x89PNG\x00\x00binary")
    (root / "huge.txt").write_bytes(b"a" * (files.MAX_TEXT_BYTES + 1))
    secret = tmp_path / "outside.txt"
    secret.write_text("hemmelig")
    os.symlink(secret, root / "escape.txt")
    os.symlink(tmp_path, root / "escape-folder")
    os.symlink(root / "loop-a", root / "loop-b")
    os.symlink(root / "loop-b", root / "loop-a")
    return root


def test_walking_lists_files_and_links_but_never_follows_links_or_enters_git(checkout):
    entries = {e.path: e for e in files.walk(checkout)}
    assert "README.md" in entries and "docs/drift.md" in entries
    assert not any(path.startswith(".git/") for path in entries)
    assert entries["escape.txt"].is_link and entries["escape-folder"].is_link
    assert not any(path.startswith("escape-folder/") for path in entries)
    assert entries["loop-a"].is_link and entries["loop-b"].is_link


def test_reading_refuses_links_binaries_and_huge_files_and_survives_bad_encoding(checkout):
    assert "Løsningen" in files.read_text(checkout, "README.md")
    assert "ugyldig UTF-8" in files.read_text(checkout, "docs/drift.md")
    assert files.read_text(checkout, "logo.bin") is None
    assert files.read_text(checkout, "huge.txt") is None
    assert files.read_text(checkout, "escape.txt") is None
    assert files.read_text(checkout, "escape-folder/outside.txt") is None
    assert files.read_text(checkout, "loop-a") is None
    assert files.read_text(checkout, "../outside.txt") is None
    assert files.read_text(checkout, "findes-ikke.md") is None


def test_the_scanner_does_not_import_django():
    import subprocess

    code = "import sys, os2hub.scanner.targets, os2hub.scanner.files; print('django' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=os.getcwd()
    )
    assert result.stdout.strip() == "False"


def test_a_clone_runs_git_with_every_safety_on(monkeypatch, tmp_path):
    from os2hub.scanner import targets

    seen = {}

    def fake_run(cmd, *, watch, timeout, max_bytes, env):
        seen.update(cmd=cmd, env=env, timeout=timeout, max_bytes=max_bytes)
        watch.mkdir(parents=True)

    monkeypatch.setattr(targets, "run_limited", fake_run)
    target = parse_target("https://github.com/OS2mo/os2mo", resolve=resolver(PUBLIC))
    dest = targets.clone(target, into=tmp_path)
    cmd = " ".join(seen["cmd"])
    for option in (
        "protocol.allow=never",
        "core.hooksPath=/dev/null",
        "http.followRedirects=false",
        f"http.curloptResolve=github.com:443:{PUBLIC}",
        "--no-recurse-submodules",
        "--depth=1000",
        "-- https://github.com/OS2mo/os2mo",
    ):
        assert option in cmd
    assert seen["env"]["GIT_TERMINAL_PROMPT"] == "0" and seen["env"]["GIT_LFS_SKIP_SMUDGE"] == "1"
    assert seen["env"]["HOME"] != os.environ.get("HOME")
    assert dest.is_dir() and dest.is_relative_to(tmp_path)


def test_a_clone_is_measured_and_removed_whatever_its_depth(tmp_path):
    from os2hub.scanner.targets import _tree_bytes, remove_tree

    base = tmp_path / "clone"
    levels = [str(base)]
    os.mkdir(levels[0])
    for _level in range(1200):
        levels.append(os.path.join(levels[-1], "d"))
        os.mkdir(levels[-1])
    with open(os.path.join(levels[-1], "data"), "wb") as handle:
        handle.write(b"x" * 1000)
    outside = tmp_path / "outside"
    outside.write_bytes(b"y" * 5000)
    os.symlink(outside, os.path.join(levels[1], "link"))  # counted as a link, never followed
    assert 1000 <= _tree_bytes(base) < 5000
    remove_tree(base)
    assert not base.exists() and outside.exists()


def test_a_folder_where_a_file_was_expected_is_no_text(tmp_path):
    # A submodule's path is a folder in the checkout; git lists it like a file.
    (tmp_path / "docs").mkdir()
    assert files.read_text(tmp_path, "docs") is None
    (tmp_path / "small.md").write_text("# Drift\n")
    assert files.read_text(tmp_path, "small.md") == "# Drift\n"


@pytest.mark.parametrize(
    ("git_says", "reason"),
    [
        ("remote: Repository not found.\nfatal: repository 'https://github.com/OS2/x/' not found",
         "there is no public repository at that address"),
        ("fatal: could not read Username for 'https://github.com': terminal prompts disabled",
         "the repository asks for a login; only public repositories are scanned"),
        ("fatal: unable to access 'https://github.com/OS2/x/': Could not resolve host: github.com",
         "the host could not be found"),
        ("fatal: unable to access 'https://github.com/OS2/x/': Failed to connect to github.com port 443",
         "the host did not answer"),
        ("fatal: unable to access 'https://github.com/OS2/x/': SSL certificate problem: self-signed certificate",
         "the host's certificate could not be verified"),
        ("fatal: unable to update url base from redirection", "the address sends the request on elsewhere; "
         "give the repository's own address"),
        ("fatal: the remote end hung up unexpectedly", "git said “fatal: the remote end hung up unexpectedly”"),
        ("", "git failed"),
    ],
)  # fmt: skip
def test_a_failed_clone_says_why_in_words_that_can_be_translated(tmp_path, git_says, reason):
    from os2hub.scanner import messages

    script = tmp_path / "git.sh"
    script.write_text(f"printf '%s' {json_quote(git_says)} >&2\nexit 128\n")
    with pytest.raises(TargetError) as error:
        run_limited(["sh", str(script)], watch=tmp_path / "checkout", timeout=10, max_bytes=10**6)
    assert str(error.value) == f"The repository could not be fetched: {reason}."
    data = error.value.text.as_data()
    assert data["template"] == "The repository could not be fetched: %(reason)s."
    # The reason is a template of its own, so a Danish page shows it in Danish.
    assert messages.render(data, lambda t: {"git failed": "git fejlede"}.get(t, t)).endswith(
        "git fejlede." if reason == "git failed" else f"{reason}."
    )


def json_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
