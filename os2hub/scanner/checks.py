"""The checks: each reads a Repository and returns one Finding naming the criteria (version 1.1.0 ids) it
speaks to. Danish and English names and headings count alike, as do office documents in doc/ and docs/."""

import re
import time
from collections.abc import Callable

import yaml

from .model import FAIL, NOT_APPLICABLE, PASS, Evidence, Finding
from .repository import OFFICE_DOCS, TEXT_DOCS, Repository

CHECKS: dict[str, tuple[tuple[str, ...], Callable]] = {}
MAX_EVIDENCE = 10


def check(check_id: str, *criteria: str):
    def register(function):
        CHECKS[check_id] = (criteria, function)
        return function

    return register


def _finding(check_id, outcome, message, evidence=(), **details) -> Finding:
    criteria = list(CHECKS[check_id][0])
    return Finding(check_id, outcome, criteria, message, list(evidence)[:MAX_EVIDENCE], details)


def _files(repo: Repository, pattern: str) -> list[str]:
    return repo.find(re.compile(pattern))


# --- Files that should be there -----------------------------------------------------------------------------

README = r"^(readme|læsmig|laesmig)(\.[a-z]+)?$"


@check("readme", "F5")
def readme(repo):
    found = _files(repo, README)
    if found:
        return _finding("readme", PASS, f"The repository has a README ({found[0]}).", [Evidence(found[0])])
    return _finding("readme", FAIL, "There is no README at the top of the repository.")


PURPOSE_WORDS = re.compile(
    r"\b(formål|formaal|purpose|about|om løsningen|om projektet|what is|hvad er|baggrund|background|introduction|"
    r"introduktion|overview|overblik|beskrivelse|description)\b",
    re.IGNORECASE,
)


@check("purpose-described", "F5")
def purpose_described(repo):
    for path in _files(repo, README):
        for line, heading in repo.headings(path):
            if PURPOSE_WORDS.search(heading):
                return _finding(
                    "purpose-described",
                    PASS,
                    f"The README describes the purpose under “{heading[:80]}”.",
                    [Evidence(path, line)],
                )
        text = repo.text(path) or ""
        words = len(text.split())
        if words >= 50:
            return _finding(
                "purpose-described",
                PASS,
                f"The README has {words} words describing the solution.",
                [Evidence(path, 1)],
                words=words,
            )
    return _finding(
        "purpose-described", FAIL, "No README section describes the purpose and value of the solution (formål)."
    )


def _present(repo, check_id, pattern, found_message, missing_message):
    found = _files(repo, pattern)
    if found:
        return _finding(check_id, PASS, found_message.format(path=found[0]), [Evidence(p) for p in found])
    return _finding(check_id, FAIL, missing_message)


@check("security-policy", "F4")
def security_policy(repo):
    return _present(
        repo,
        "security-policy",
        r"^(\.github/|\.gitlab/|docs?/)?(security|sikkerhed)(\.(md|txt|rst|adoc))?$|(^|/)\.well-known/security\.txt$",
        "There is a security policy ({path}).",
        "There is no SECURITY file telling how to report vulnerabilities.",
    )


@check("changelog", "F11")
def changelog(repo):
    return _present(
        repo,
        "changelog",
        r"^(changelog|changes|history|news|ændringslog|aendringslog|releasenotes?)(\.[a-z]+)?$",
        "Changes are recorded in {path}.",
        "There is no CHANGELOG.",
    )


@check("contributing", "F1")
def contributing(repo):
    return _present(
        repo,
        "contributing",
        r"^(\.github/|\.gitlab/|docs?/)?(contributing|bidrag)(\.(md|txt|rst|adoc))?$",
        "The repository tells how to contribute ({path}).",
        "There is no CONTRIBUTING file telling how to contribute.",
    )


@check("code-of-conduct", "G14")
def code_of_conduct(repo):
    return _present(
        repo,
        "code-of-conduct",
        r"^(\.github/|\.gitlab/|docs?/)?(code_of_conduct|code-of-conduct|adfærdskodeks|adfaerdskodeks)"
        r"(\.(md|txt|rst|adoc))?$",
        "The community has a code of conduct ({path}).",
        "There is no code of conduct.",
    )


@check("container", "F19")
def container(repo):
    return _present(
        repo,
        "container",
        r"(^|/)(dockerfile|containerfile)(\.[a-z0-9_-]+)?$|(^|/)(docker-)?compose\.ya?ml$|(^|/)chart\.yaml$",
        "The solution is delivered as a container ({path}).",
        "No Dockerfile, Containerfile, compose file or Helm chart was found.",
    )


@check("install-script", "F15", "F17")
def install_script(repo):
    return _present(
        repo,
        "install-script",
        r"^(makefile|install\.sh|setup\.sh|bootstrap\.sh|justfile)$|(^|/)(ansible|playbooks?|terraform)/|"
        r"(^|/)(docker-)?compose\.ya?ml$|(^|/)chart\.yaml$",
        "There is a scripted set-up ({path}).",
        "No install script, Makefile, compose file, Ansible, Terraform or Helm set-up was found.",
    )


@check("ci", "F16")
def ci(repo):
    return _present(
        repo,
        "ci",
        r"^\.github/workflows/[^/]+\.ya?ml$|^\.gitlab-ci\.yml$|^\.woodpecker(\.ya?ml|/)|^\.circleci/|"
        r"^azure-pipelines\.ya?ml$|^jenkinsfile$|^bitbucket-pipelines\.yml$|^\.ci/",
        "Changes are built and tested automatically ({path}).",
        "No continuous integration set-up was found.",
    )


@check("tests", "F16")
def tests(repo):
    return _present(
        repo,
        "tests",
        r"(^|/)(tests?|spec|__tests__)/|(^|/)test_[^/]+\.py$|(^|/)[^/]+_test\.(py|go)$|\.(test|spec)\.[jt]sx?$|"
        r"(^|/)src/test/",
        "The repository has automated tests ({path}).",
        "No automated tests were found.",
    )


CODE_STANDARD_FILES = (
    r"(^|/)\.editorconfig$|(^|/)\.pre-commit-config\.yaml$|(^|/)(ruff|\.ruff)\.toml$|(^|/)\.flake8$|"
    r"(^|/)\.eslintrc(\.[a-z]+)?$|(^|/)eslint\.config\.[cm]?js$|(^|/)\.prettierrc(\.[a-z]+)?$|"
    r"(^|/)\.stylelintrc(\.[a-z]+)?$|(^|/)checkstyle\.xml$|(^|/)\.rubocop\.yml$|(^|/)\.php-cs-fixer(\.dist)?\.php$|"
    r"(^|/)phpcs\.xml(\.dist)?$|(^|/)\.clang-format$|(^|/)\.golangci\.ya?ml$|(^|/)rustfmt\.toml$"
)


@check("code-standards", "F16")
def code_standards(repo):
    found = _files(repo, CODE_STANDARD_FILES)
    for path in _files(repo, r"^pyproject\.toml$|^setup\.cfg$|^tox\.ini$"):
        text = repo.text(path) or ""
        for n, line in enumerate(text.splitlines(), 1):
            if re.match(r"^\[(tool\.(ruff|black|isort|pylint|flake8)|flake8|pycodestyle|pylint)", line.strip()):
                found.append(path)
                return _finding(
                    "code-standards",
                    PASS,
                    f"Coding standards are configured in {path}.",
                    [Evidence(path, n), *(Evidence(p) for p in found[:-1])],
                )
    if found:
        return _finding(
            "code-standards", PASS, f"Coding standards are configured ({found[0]}).", [Evidence(p) for p in found]
        )
    return _finding("code-standards", FAIL, "No configuration of a formatter or linter (coding standard) was found.")


# --- Documentation by topic, in Danish and English ----------------------------------------------------------

DOC_TOPICS = {
    "operations-docs": (
        ("F17",),
        r"drift|operation|deploy|hosting|backup|monitor|vedligehold|maintenance|runbook|administrat",
        "operations",
    ),
    "technical-docs": (
        ("F16",),
        r"teknisk|technical|arkitektur|architecture|developer|udvikler|\bapi\b|datamodel|data model|design",
        "technical",
    ),
    "implementation-docs": (
        ("F15",),
        r"implementering|implementation|installation|install|opsætning|opsaetning|setup|set-up|getting started|"
        r"kom i gang|konfiguration|configuration|ibrugtagning|onboarding",
        "implementation",
    ),
    "user-docs": (
        ("F20",),
        r"brugermanual|brugervejledning|vejledning|user guide|user manual|manual|brugerguide|how to use|"
        r"sådan bruger|saadan bruger|undervisning|træning|training|e-learning|tutorial",
        "user",
    ),
    "security-docs": (
        ("F4",),
        r"sikkerhed|security|trussel|threat|risikovurdering|risk assessment|dpia|databeskyttelse|gdpr|"
        r"persondata|konsekvensanalyse|informationssikkerhed",
        "security",
    ),
    "presentation-material": (
        ("F13", "F14"),
        r"præsentation|praesentation|presentation|slides|pitch|salgsmateriale|brochure|pjece|folder",
        "presentation",
    ),
}


def _topic_evidence(repo: Repository, pattern: re.Pattern, *, presentation=False) -> list[Evidence]:
    evidence = []
    for path in repo.docs:
        lower = path.lower()
        name = lower.rsplit("/", 1)[-1]
        if presentation and lower.endswith((".pptx", ".odp", ".ppt", ".key")):
            evidence.append(Evidence(path))
            continue
        if pattern.search(name):
            evidence.append(Evidence(path))
            continue
        if lower.endswith(TEXT_DOCS):
            for line, heading in repo.headings(path):
                if pattern.search(heading.lower()):
                    evidence.append(Evidence(path, line))
                    break
        elif lower.endswith(OFFICE_DOCS) and pattern.search(repo.office_title(path).lower()):
            evidence.append(Evidence(path))
        if len(evidence) >= MAX_EVIDENCE:
            break
    return evidence


def _doc_check(check_id):
    criteria, words, label = DOC_TOPICS[check_id]
    pattern = re.compile(words)

    def run(repo):
        evidence = _topic_evidence(repo, pattern, presentation=check_id == "presentation-material")
        if evidence:
            first = evidence[0]
            where = f"{first.path}:{first.line}" if first.line else first.path
            return _finding(check_id, PASS, f"There is {label} documentation ({where}).", evidence)
        return _finding(
            check_id,
            FAIL,
            f"No {label} documentation was found in the README, doc/ or docs/ (names, headings or document titles).",
        )

    CHECKS[check_id] = (criteria, run)


for _topic in DOC_TOPICS:
    _doc_check(_topic)


# --- Things that should not be there ------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b"),
    "GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Stripe secret key": re.compile(r"\bsk_live_[0-9A-Za-z]{24,}\b"),
}
SECRET_SCAN_MAX_BYTES = 512 * 1024


@check("secrets", "F4")
def secrets(repo):
    evidence, kinds = [], set()
    sizes = {e.path: e.size for e in repo.entries}
    for path in repo.paths:
        if sizes.get(path, 0) > SECRET_SCAN_MAX_BYTES:
            continue
        text = repo.text(path)
        if not text:
            continue
        for kind, pattern in SECRET_PATTERNS.items():
            match = pattern.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                evidence.append(Evidence(path, line))
                kinds.add(kind)
                break
    if evidence:
        # The secret itself is never printed: the kind, the file and the line are enough to find it.
        return _finding(
            "secrets",
            FAIL,
            f"{len(evidence)} file(s) look like they contain secrets ({', '.join(sorted(kinds))}); remove them "
            "and revoke them.",
            evidence,
            kinds=sorted(kinds),
            files=len(evidence),
        )
    return _finding("secrets", PASS, "No private keys or common token formats were found.")


BINARY_EXTENSIONS = (
    ".exe", ".dll", ".so", ".dylib", ".jar", ".war", ".ear", ".class", ".pyc", ".pyo", ".o", ".a", ".lib",
    ".msi", ".apk", ".bin", ".dmg", ".deb", ".rpm",
)  # fmt: skip


@check("binaries", "F1", "F2")
def binaries(repo):
    found = [p for p in repo.paths if p.lower().endswith(BINARY_EXTENSIONS)]
    if found:
        return _finding(
            "binaries",
            FAIL,
            f"{len(found)} compiled or binary file(s) are committed; deliver source code and build the binaries.",
            [Evidence(p) for p in found],
            files=len(found),
        )
    return _finding("binaries", PASS, "No compiled program files are committed.")


# --- From the history (git) ---------------------------------------------------------------------------------

ACTIVE_DAYS = 365
LOG_LIMIT = 5000
PERSONAL_MAIL = {
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.dk", "outlook.com", "outlook.dk", "live.com", "live.dk",
    "yahoo.com", "yahoo.dk", "icloud.com", "me.com", "mail.dk", "jubii.dk", "protonmail.com", "proton.me",
    "gmx.com", "gmx.net", "mail.com", "aol.com",
}  # fmt: skip
NOREPLY = re.compile(
    r"(^|[.@])(users\.noreply\.github\.com|noreply\.github\.com|noreply\.gitlab\.com)$|noreply|no-reply"
)


def _log(repo) -> list[tuple[int, str, str]] | None:
    """(unix time, author e-mail, subject) of the latest commits, newest first; None without history."""
    out = repo.git("log", f"--max-count={LOG_LIMIT}", "--no-merges", "--format=%at%x1f%ae%x1f%s")
    if out is None:
        return None
    rows = []
    for line in out.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 3 and parts[0].isdigit():
            rows.append((int(parts[0]), parts[1].strip().lower(), parts[2]))
    return rows


def _no_history(check_id):
    return _finding(check_id, NOT_APPLICABLE, "There is no readable git history to check (not a git checkout).")


@check("active-development", "F1")
def active_development(repo):
    log = _log(repo)
    if not log:
        return _no_history("active-development")
    newest = log[0][0]
    since = time.time() - ACTIVE_DAYS * 86400
    recent = [row for row in log if row[0] >= since]
    days = int((time.time() - newest) // 86400)
    details = {"last_commit_days_ago": days, "commits_last_year": len(recent),
               "authors_last_year": len({row[1] for row in recent})}  # fmt: skip
    if recent:
        return _finding(
            "active-development",
            PASS,
            f"{len(recent)} commit(s) in the last year; the latest {days} day(s) ago.",
            **details,
        )
    return _finding(
        "active-development", FAIL, f"No commits in the last year; the latest is {days} days old.", **details
    )


def _organisation(email: str) -> str | None:
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    if not domain or domain in PERSONAL_MAIL or NOREPLY.search(email):
        return None
    labels = domain.split(".")
    # kommune.aarhus.dk and aarhus.dk are the same organisation: the last two labels.
    return ".".join(labels[-2:])


@check("vendor-concentration", "F6", "G9")
def vendor_concentration(repo):
    log = _log(repo)
    if not log:
        return _no_history("vendor-concentration")
    counts: dict[str, int] = {}
    for _time, email, _subject in log:
        organisation = _organisation(email)
        if organisation:
            counts[organisation] = counts.get(organisation, 0) + 1
    known = sum(counts.values())
    if known < 10:
        return _finding(
            "vendor-concentration",
            NOT_APPLICABLE,
            f"Only {known} commit(s) can be tied to an organisation by e-mail domain; too few to judge.",
            top_organisation=None,
            top_share=None,
        )
    top, top_count = max(counts.items(), key=lambda item: item[1])
    share = round(top_count / known, 3)
    details = {"top_organisation": top, "top_share": share, "organisations": len(counts), "commits": known}
    if share >= 0.9:
        return _finding(
            "vendor-concentration",
            FAIL,
            f"{top} wrote {share:.0%} of the commits that can be tied to an organisation: the product depends on one "
            "supplier.",
            **details,
        )
    return _finding(
        "vendor-concentration",
        PASS,
        f"{len(counts)} organisations wrote the code; the largest, {top}, wrote {share:.0%} of the commits.",
        **details,
    )


ISSUE_REFERENCE = re.compile(r"(#\d+|\b[A-Z][A-Z0-9]{1,9}-\d+\b|/issues/\d+|/-/issues/\d+)")


@check("issue-tracking", "F11")
def issue_tracking(repo):
    templates = _files(repo, r"^\.github/issue_template(/|\.md$)|^\.gitlab/issue_templates/")
    log = _log(repo) or []
    referencing = [row for row in log if ISSUE_REFERENCE.search(row[2])]
    share = round(len(referencing) / len(log), 3) if log else 0.0
    details = {"commits_referencing_issues": len(referencing), "share": share}
    if templates or (len(referencing) >= 5 and share >= 0.1):
        message = (
            f"Issues are tracked ({templates[0]})"
            if templates
            else f"{len(referencing)} commits ({share:.0%}) refer to issues"
        )
        return _finding("issue-tracking", PASS, message + ".", [Evidence(p) for p in templates], **details)
    return _finding(
        "issue-tracking",
        FAIL,
        "No issue templates, and few commits refer to an issue (#123 or a Jira key such as OS2MO-123).",
        **details,
    )


# --- publiccode.yml -----------------------------------------------------------------------------------------

# The keys the publiccode.yml standard (v0.4) requires, with their types; `description` is per language.
PUBLICCODE_REQUIRED = {
    "publiccodeYmlVersion": str,
    "name": str,
    "url": str,
    "platforms": list,
    "categories": list,
    "developmentStatus": str,
    "softwareType": str,
    "description": dict,
    "legal": dict,
    "maintenance": dict,
    "localisation": dict,
}
PUBLICCODE_NESTED = {
    ("legal", "license"): str,
    ("maintenance", "type"): str,
    ("localisation", "localisationReady"): bool,
    ("localisation", "availableLanguages"): list,
}


@check("publiccode-yml", "F5", "G1")
def publiccode_yml(repo):
    found = _files(repo, r"^publiccode\.ya?ml$")
    if not found:
        return _finding("publiccode-yml", FAIL, "There is no publiccode.yml describing the software for catalogues.")
    path = found[0]
    text = repo.text(path)
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return _finding(
            "publiccode-yml",
            FAIL,
            f"{path} is not valid YAML.",
            [Evidence(path, line + 1 if line is not None else None)],
        )
    if not isinstance(data, dict):
        return _finding("publiccode-yml", FAIL, f"{path} must be a mapping of keys.", [Evidence(path)])
    problems = []
    for key, kind in PUBLICCODE_REQUIRED.items():
        if key not in data:
            problems.append(f"{key} is missing")
        elif not isinstance(data[key], kind):
            problems.append(f"{key} must be a {kind.__name__}")
    for (parent, key), kind in PUBLICCODE_NESTED.items():
        value = data.get(parent)
        if isinstance(value, dict):
            if key not in value:
                problems.append(f"{parent}.{key} is missing")
            elif not isinstance(value[key], kind):
                problems.append(f"{parent}.{key} must be a {kind.__name__}")
    description = data.get("description")
    if isinstance(description, dict):
        for language, entry in description.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("shortDescription"), str):
                problems.append(f"description.{language}.shortDescription is missing")
    if problems:
        return _finding(
            "publiccode-yml",
            FAIL,
            f"{path} does not follow the standard: " + "; ".join(problems[:8]) + ".",
            [Evidence(path)],
            problems=problems,
        )
    return _finding("publiccode-yml", PASS, f"{path} has every required key.", [Evidence(path)])


def run_checks(repo: Repository, only=None) -> list[Finding]:
    findings = []
    for check_id, (_criteria, function) in CHECKS.items():
        if only and check_id not in only:
            continue
        findings.append(function(repo))
    return findings


__all__ = ["CHECKS", "NOT_APPLICABLE", "run_checks"]
