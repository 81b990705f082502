"""`os2hub-scan TARGET [TARGET ...] [--format text|json|sarif]` (also `python -m os2hub.scanner`).

Exit status 0 when the scan ran, whatever the outcomes; 2 for bad input (a refused or missing target, a
repository that could not be fetched or read), with a message and no traceback; 1 for a fault of the scanner
itself, also as a message. Every target is checked before any is fetched, so a refused one stops the call before
a connection is made. A repository that can be read but is damaged (missing objects, a broken history) is still
scanned: the checks that cannot work report the outcome "error" with the reason.
"""

import argparse
import json
import sys
import time

from .checks import CHECKS, run_checks
from .model import ERROR, FAIL, NOT_APPLICABLE, PASS, printable
from .repository import Repository
from .targets import DEFAULT_ALLOWED_HOSTS, TargetError, check_target, clone, remove_tree, resolve_target

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_KINDS = {PASS: "pass", FAIL: "fail", ERROR: "open", NOT_APPLICABLE: "notApplicable"}


def scan(target, progress=None) -> dict:
    """Scan one parsed target; the result as API.md describes it, and each finding's message also as a template
    with its parameters (`template`, see messages), which the printed output leaves out (`public`).
    `progress(step, done, total, check_id)`, when given, hears how far the scan is: step "fetch" before the
    clone, "check" before each check (done of total), "checked" when every check has run."""
    started = time.perf_counter()
    if progress is not None:
        progress("fetch", 0, 0, "")
    checkout = clone(target) if target.is_remote else target.path
    try:
        repo = Repository(checkout)
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


def as_sarif(results: list[dict]) -> dict:
    rules = [
        {"id": check_id, "properties": {"criteria": list(criteria)}} for check_id, (criteria, _fn) in CHECKS.items()
    ]
    runs = []
    for result in results:
        items = []
        for f in result["findings"]:
            locations = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": e["path"]},
                        **({"region": {"startLine": e["line"]}} if "line" in e else {}),
                    }
                }
                for e in f["evidence"]
            ]
            items.append(
                {
                    "ruleId": f["check"],
                    "level": "error" if f["outcome"] == FAIL else "none" if f["outcome"] == PASS else "note",
                    # SARIF's "open": the tool could not tell (a check that could not run, outcome "error").
                    "kind": SARIF_KINDS.get(f["outcome"], "notApplicable"),
                    "message": {"text": f["message"]},
                    "locations": locations,
                    "properties": {"criteria": f["criteria"], "outcome": f["outcome"], **f["details"]},
                }
            )
        runs.append(
            {
                "tool": {"driver": {"name": "os2hub-scan", "informationUri": "https://os2.eu", "rules": rules}},
                "versionControlProvenance": [
                    {
                        "repositoryUri": result["repository"],
                        **({"revisionId": result["commit"]} if result["commit"] else {}),
                    }
                ],
                "results": items,
            }
        )
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": runs}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="os2hub-scan", description="Read a repository and check it against OS2's criteria."
    )
    parser.add_argument("targets", nargs="+", metavar="TARGET", help="a folder or an https address of a repository")
    parser.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    parser.add_argument(
        "--allow-host", action="append", default=[], help="also allow this git host (default: %(default)s plus "
        + ", ".join(DEFAULT_ALLOWED_HOSTS) + ")",
    )  # fmt: skip
    args = parser.parse_args(argv)
    hosts = (*DEFAULT_ALLOWED_HOSTS, *args.allow_host)
    try:
        # Every target is checked before any name is looked up, and all are looked up before any is fetched.
        checked = [check_target(raw, allowed_hosts=hosts) for raw in args.targets]
        targets = [resolve_target(target) for target in checked]
        results = [public(scan(target)) for target in targets]
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
        output = json.dumps(as_sarif(results), ensure_ascii=False, indent=2)
    else:
        output = as_text(results)
    print(output)
    return 0


def run() -> None:
    """The `os2hub-scan` console script: the exit status is main()'s return value."""
    sys.exit(main())
