"""`os2hub-scan TARGET [TARGET ...] [--format text|json|sarif] [--fail-on fail|error]` (also
`python -m os2hub.scanner`; `--version`, `--help`). Documented in docs/scanner.md.

Exit status:
- 0 when the scan ran, whatever the outcomes (unless `--fail-on` says otherwise);
- 2 for bad input (a refused or missing target, a repository that could not be fetched or read, a bad option),
  with a message and no traceback, and nothing on standard output;
- 1 for a fault of the scanner itself, as a message "os2hub-scan: the scan stopped with an unexpected error
  (...)." and nothing on standard output; and, with `--fail-on`, when a finding has that outcome: the report is
  printed in full first, then "os2hub-scan: 3 findings failed (license, tests, ci)." on standard error.
  `--fail-on fail` counts the outcome "error" too (a check that could not run cannot vouch for the repository:
  a CI gate should not pass because a check broke), and says so ("... and 1 could not run (reuse)");
  `--fail-on error` counts only checks that could not run. Bad input wins: it is 2 before anything is scanned.

Every target is checked before any is fetched, so a refused one stops the call before a connection is made. A
repository that can be read but is damaged (missing objects, a broken history) is still scanned: the checks that
cannot work report the outcome "error" with the reason. SARIF output: see sarif.py.
"""

import argparse
import json
import sys
import time
from datetime import UTC, datetime

from . import version
from .checks import run_checks
from .model import ERROR, FAIL, PASS, printable
from .organisations import OrganisationsError
from .organisations import load as load_organisations
from .repository import Repository
from .sarif import as_sarif
from .targets import DEFAULT_ALLOWED_HOSTS, TargetError, check_target, clone, remove_tree, resolve_target


def scan(target, progress=None, organisations=None) -> dict:
    """Scan one parsed target; the result as API.md describes it, and each finding's message also as a template
    with its parameters (`template`, see messages), which the printed output leaves out (`public`).
    `progress(step, done, total, check_id)`, when given, hears how far the scan is: step "fetch" before the
    clone, "check" before each check (done of total), "checked" when every check has run. `organisations`
    (organisations.Organisations) names the organisation behind e-mail domains for vendor-concentration."""
    started = time.perf_counter()
    if progress is not None:
        progress("fetch", 0, 0, "")
    checkout = clone(target) if target.is_remote else target.path
    try:
        repo = Repository(checkout, organisations=organisations)
        on_check = None if progress is None else lambda done, total, check_id: progress("check", done, total, check_id)
        findings = run_checks(repo, progress=on_check)
        if progress is not None:
            progress("checked", len(findings), len(findings), "")
        commit = repo.commit
    finally:
        if target.is_remote:
            remove_tree(checkout.parent)
    return {
        "repository": target.url or str(target.path),
        "commit": commit,
        "duration_ms": round((time.perf_counter() - started) * 1000),
        "findings": [{**f.as_dict(), "template": printable(f.template)} for f in findings],
    }


def public(result: dict) -> dict:
    """The result as the command line prints it (API.md): the findings without their message templates."""
    return {**result, "findings": [{k: v for k, v in f.items() if k != "template"} for f in result["findings"]]}


def as_text(results: list[dict]) -> str:
    lines = []
    for result in results:
        lines.append(f"{result['repository']} @ {result['commit'] or '(no commit)'} ({result['duration_ms']} ms)")
        for f in result["findings"]:
            where = ", ".join(f"{e['path']}:{e['line']}" if "line" in e else e["path"] for e in f["evidence"][:3])
            criteria = ",".join(f["criteria"])
            lines.append(f"  {f['outcome'].upper():15} {f['check']:22} [{criteria}] {f['message']}")
            if where:
                lines.append(f"  {'':15} {'':22} {where}")
        passed = sum(1 for f in result["findings"] if f["outcome"] == PASS)
        lines.append(f"  {passed} of {len(result['findings'])} checks pass")
    return "\n".join(lines)


FAIL_ON = {FAIL: (FAIL, ERROR), ERROR: (ERROR,)}  # --fail-on fail also counts checks that could not run


def failures(results: list[dict], fail_on: str) -> str | None:
    """The message for standard error when a finding has an outcome that `--fail-on` names, else None:
    "os2hub-scan: 3 findings failed (license, tests, ci).", each check named once over all targets."""
    counted = FAIL_ON[fail_on]
    found: dict[str, list[str]] = {outcome: [] for outcome in counted}
    for result in results:
        for f in result["findings"]:
            if f["outcome"] in found:
                found[f["outcome"]].append(f["check"])
    parts = []
    for outcome, verb in ((FAIL, "failed"), (ERROR, "could not run")):
        checks = found.get(outcome)
        if checks:
            named = ", ".join(dict.fromkeys(checks))
            parts.append((len(checks), verb, named))
    if not parts:
        return None
    (count, verb, named), *rest = parts
    text = f"os2hub-scan: {count} {'finding' if count == 1 else 'findings'} {verb} ({named})"
    for count, verb, named in rest:
        text += f" and {count} {verb} ({named})"
    return text + "."


class PrintVersion(argparse.Action):
    """`--version`: "os2hub-scan X.Y.Z" on standard output (the version is looked up only when asked)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {version()}")
        parser.exit()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="os2hub-scan",
        description="Read repositories and check them against OS2's criteria. Nothing from a repository is run.",
        epilog="Exit status: 0 when the scan ran, whatever the outcomes (see --fail-on); 2 for bad input (a "
        "refused or missing target, a repository that cannot be fetched); 1 for a fault of the scanner, or when "
        "--fail-on finds what it names (the report is printed first). Documentation: "
        "https://github.com/OS2/os2hub/blob/main/docs/scanner.md",
    )
    parser.add_argument(
        "targets", nargs="+", metavar="TARGET", help="a folder, or the https address of a git repository on an "
        "allowed host (see --allow-host); several are scanned one after the other into one report",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=["text", "json", "sarif"], default="text", help="text for people (the default), JSON "
        "as OS2hub's API gives it, or SARIF 2.1.0 for code-scanning services such as GitHub's",
    )  # fmt: skip
    parser.add_argument(
        "--fail-on", choices=[FAIL, ERROR], help="exit with status 1 when a finding has this outcome, for CI: "
        "'fail' when a check failed or could not run, 'error' only when a check could not run (default: exit 0 "
        "whatever the outcomes)",
    )  # fmt: skip
    parser.add_argument("--version", action=PrintVersion, help="print the version and exit")
    parser.add_argument(
        "--allow-host", action="append", default=[], metavar="HOST", help="also allow this git host (repeatable; "
        "always allowed: " + ", ".join(DEFAULT_ALLOWED_HOSTS) + ")",
    )  # fmt: skip
    parser.add_argument(
        "--organisations", metavar="FILE", help="count commits per organisation, not per e-mail domain: a JSON "
        'object {"domain": "organisation", ...} or lines "domain = organisation"; a domain covers its subdomains',
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        organisations = load_organisations(args.organisations) if args.organisations else None
    except OrganisationsError as exc:
        print(f"os2hub-scan: --organisations {exc}", file=sys.stderr)
        return 2
    hosts = (*DEFAULT_ALLOWED_HOSTS, *args.allow_host)
    try:
        # Every target is checked before any name is looked up, and all are looked up before any is fetched.
        checked = [check_target(raw, allowed_hosts=hosts) for raw in args.targets]
        targets = [resolve_target(target) for target in checked]
        results, times = [], []
        for target in targets:
            started = datetime.now(UTC)
            results.append(public(scan(target, organisations=organisations)))
            times.append((started, datetime.now(UTC)))
    except TargetError as exc:
        print(f"os2hub-scan: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the folder vanished or cannot be read while it was scanned
        print(f"os2hub-scan: the repository could not be read ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("os2hub-scan: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a fault of the scanner, reported without a traceback
        print(f"os2hub-scan: the scan stopped with an unexpected error ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 1
    if args.format == "json":
        output = json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2)
    elif args.format == "sarif":
        output = json.dumps(as_sarif(results, times), ensure_ascii=False, indent=2)
    else:
        output = as_text(results)
    print(output)
    if args.fail_on:
        failed = failures(results, args.fail_on)
        if failed:
            sys.stdout.flush()  # the report first, then the reason for the status
            print(failed, file=sys.stderr)
            return 1
    return 0


def run() -> None:
    """The `os2hub-scan` console script: the exit status is main()'s return value."""
    sys.exit(main())
