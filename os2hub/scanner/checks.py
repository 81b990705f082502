"""The checks: each reads a Repository and returns one Finding naming the criteria (version 1.1.0 ids) it
speaks to. Danish and English names and headings count alike, as do office documents in doc/ and docs/."""

import json
import os
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import replace

import yaml
from defusedxml import ElementTree as SafeET

from . import documents, publiccode, reuse_lint, spdx, stacks
from .messages import Joined, Message, gettext_noop, message
from .model import ERROR, FAIL, NOT_APPLICABLE, PASS, Evidence, Finding
from .repository import HEAD_ARGS, LS_FILES_ARGS, TEXT_DOCS, Repository

CHECKS: dict[str, tuple[tuple[str, ...], Callable]] = {}
MAX_EVIDENCE = 10


def check(check_id: str, *criteria: str):
    def register(function):
        CHECKS[check_id] = (criteria, function)
        return function

    return register


def _finding(check_id, outcome, text: Message, evidence=(), **details) -> Finding:
    """The finding, its message in English and as a template with parameters (for translation, see messages)."""
    criteria = list(CHECKS[check_id][0])
    evidence = list(evidence)[:MAX_EVIDENCE]
    return Finding(check_id, outcome, criteria, str(text), evidence, details, template=text.as_data())


def _files(repo: Repository, pattern: str) -> list[str]:
    return repo.find(re.compile(pattern))


# --- Licence ------------------------------------------------------------------------------------------------

# LICENSE, LICENCE, COPYING and the Danish LICENS, with or without an extension or a suffix (LICENSE-MIT,
# COPYING.LESSER), at the top of the repository.
LICENCE_FILE = re.compile(r"^(licen[cs]e|licens|licensbetingelser|copying)([.-][a-z0-9._-]+)?$")
LICENCE_TEXT_IN_LICENSES = re.compile(r"^LICENSES/([^/]+?)(\.[A-Za-z0-9]+)?$")


# libyaml's safe loader where PyYAML was built with it: the same documents, several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str):
    """A YAML document read safely (no object tags), as yaml.safe_load reads it."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def _line_matching(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


# .NET projects declare the licence in a project file of the top folder or up to two below it (src/App/App.csproj),
# or for all projects at once in Directory.Build.props.
XML_METADATA = re.compile(r"^(pom\.xml|directory\.build\.props|([^/]+/){0,2}[^/]+\.(csproj|vbproj|fsproj|nuspec))$")


def _xml_licence(text: str) -> tuple[str | None, int | None]:
    """The licence a Maven pom.xml (`licenses/license/name`; several are a choice) or a .NET project or nuspec
    (`PackageLicenseExpression`, `<license type="expression">`) declares, and its line. XML from the repository
    is untrusted: defusedxml refuses entities and DTDs."""
    root = SafeET.fromstring(text)
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if (element.text or "").strip() and (
            tag == "PackageLicenseExpression" or (tag == "license" and element.get("type") == "expression")
        ):
            return element.text.strip(), _line_matching(text, r"<(PackageLicenseExpression|license)\b")
    names = [(name.text or "").strip() for name in _children(root, "licenses", "license", "name")]
    names = [name for name in names if name]
    if not names:
        return None, None
    choices = [spdx.parse(name) for name in names]
    if len(names) > 1 and all(choice is not None and choice.valid for choice in choices):
        value = " OR ".join(f"({name})" if " " in name else name for name in names)
    else:
        value = names[0]  # a name in words ("The Apache Software License, Version 2.0"): the first
    return value, _line_matching(text, r"<licenses>")


def _children(root, *path: str) -> list:
    """The elements at `path` below the root, namespaces aside (a pom has one, a .NET project none)."""
    level = [root]
    for name in path:
        level = [child for parent in level for child in parent if str(child.tag).rsplit("}", 1)[-1] == name]
    return level


def _metadata_licences(repo: Repository) -> list[tuple[str, int | None, str]]:
    """(path, line, declared licence) from package metadata: pyproject.toml (PEP 639 `license`, the older
    `license = {text = ...}`, Poetry), package.json, composer.json (a list means a choice), publiccode.yml
    (`legal.license`), Maven's pom.xml and .NET's project files (XML_METADATA). Unreadable metadata is skipped;
    the checks of those files report it."""
    declared = []
    paths = repo.find(re.compile(r"^(pyproject\.toml|package\.json|composer\.json|publiccode\.ya?ml)$"))
    for path in paths + sorted(repo.find(XML_METADATA), key=lambda path: (path.count("/"), path)):
        text = repo.text(path)
        if not text:
            continue
        value = None
        try:
            if XML_METADATA.match(path.lower()):
                value, line = _xml_licence(text)
            elif path == "pyproject.toml":
                data = tomllib.loads(text)
                for table in (data.get("project"), data.get("tool", {}).get("poetry")):
                    if isinstance(table, dict) and table.get("license"):
                        value = table["license"]
                        break
                if isinstance(value, dict):
                    value = value.get("text")  # {file = "LICENSE"} points at the file read below
                line = _line_matching(text, r"^\s*license\s*=")
            elif path.endswith(".json"):
                data = json.loads(text)
                value = data.get("license") if isinstance(data, dict) else None
                if value is None and isinstance(data, dict) and isinstance(data.get("licenses"), list):
                    value = [item.get("type") for item in data["licenses"] if isinstance(item, dict)]  # old npm
                if isinstance(value, dict):
                    value = value.get("type")
                if isinstance(value, list):  # composer: a choice between the licences listed
                    choices = [v.strip() for v in value if isinstance(v, str) and v.strip()]
                    value = " OR ".join(f"({v})" if " " in v and len(choices) > 1 else v for v in choices)
                line = _line_matching(text, r'"licen[cs]es?"\s*:')
            else:
                data = _yaml(text)
                legal = data.get("legal") if isinstance(data, dict) else None
                value = legal.get("license") if isinstance(legal, dict) else None
                line = _line_matching(text, r"^\s*license\s*:")
        except (ValueError, TypeError, AttributeError, yaml.YAMLError, RecursionError, SafeET.ParseError):
            continue  # defusedxml's refusals (entities, a DTD) are ValueErrors
        if isinstance(value, str) and value.strip():
            declared.append((path, line, value.strip()[:200]))
    return declared


def _osi_phrase(expression: spdx.Expression) -> Message:
    single = len(expression.ids) == 1 and " " not in expression.text
    if expression.osi_approved:
        return message(gettext_noop("an OSI-approved licence") if single else gettext_noop("OSI-approved licensing"))
    return message(
        gettext_noop("not an OSI-approved licence")
        if single
        else gettext_noop("not OSI-approved licensing (some part is not)")
    )


# Where the licence was read and what it says: "LICENSE is MPL-2.0", "package.json declares MIT", "LICENSES/ holds
# EUPL-1.2" (one template per verb, so a translation can put the words in its own order).
LICENCE_SUBJECTS = {
    "is": gettext_noop("%(where)s is %(spdx)s"),
    "declares": gettext_noop("%(where)s declares %(spdx)s"),
    "holds": gettext_noop("%(where)s holds %(spdx)s"),
}


def _deprecation_note(ids: list[str]) -> Message:
    """What to write instead of deprecated ids: "GPL-3.0 is a deprecated SPDX id; write GPL-3.0-only (or
    GPL-3.0-or-later)." (a plain GNU id means "-only", but the project may have meant "or later")."""
    if any(key not in spdx.SUCCESSORS for key in ids):
        return message(gettext_noop("Deprecated SPDX ids: %(ids)s."), ids=", ".join(ids))
    if len(ids) > 1:
        return message(
            gettext_noop("%(ids)s are deprecated SPDX ids; write %(successors)s."),
            ids=", ".join(ids),
            successors=", ".join(spdx.SUCCESSORS[key] for key in ids),
        )
    successor = spdx.SUCCESSORS[ids[0]]
    if successor.endswith("-only") and not ids[0].endswith("+"):
        return message(
            gettext_noop("%(id)s is a deprecated SPDX id; write %(successor)s (or %(alternative)s)."),
            id=ids[0],
            successor=successor,
            alternative=successor.removesuffix("-only") + "-or-later",
        )
    return message(gettext_noop("%(id)s is a deprecated SPDX id; write %(successor)s."), id=ids[0], successor=successor)


def _licence_outcome(where: str, verb: str, expression: spdx.Expression, evidence, source, found, other_files=()):
    """The licence finding. `other_files`: licences of REUSE's LICENSES/ folder that cover other files than the
    code (said after the licence). Deprecated ids are judged, reported and named by their successors, with a
    note: a warning, not a failure of their own."""
    deprecated = [*expression.deprecated, *(key for key in other_files if spdx.deprecated(key))]
    if not deprecated:
        return _licence_judged(where, verb, expression, evidence, source, found, other_files)
    modern = spdx.parse(expression.current) if expression.deprecated else expression
    if modern is None or modern.deprecated:  # no successor (Net-SNMP): judged as it is
        modern = replace(expression, deprecated=[])
    others = [spdx.SUCCESSORS.get(key, key) for key in other_files]
    finding = _licence_judged(where, verb, modern, evidence, source, found, others)
    text = message(gettext_noop("%(sentence)s %(note)s"), sentence=finding.template, note=_deprecation_note(deprecated))
    finding.message, finding.template = str(text), text.as_data()
    finding.details["deprecated"] = deprecated
    return finding


def _licence_judged(where: str, verb: str, expression: spdx.Expression, evidence, source, found, other_files=()):
    """The finding for a licence named by current ids: pass for OSI-approved licensing, fail otherwise."""
    details = {"spdx": expression.text, "osi_approved": expression.osi_approved, "source": source, "found": found}
    subject = message(LICENCE_SUBJECTS[verb], where=where, spdx=expression.text)
    if expression.osi_approved:
        if other_files:
            text = message(
                gettext_noop("%(subject)s, %(osi)s (and %(others)s for other files)."),
                subject=subject,
                osi=_osi_phrase(expression),
                others=", ".join(other_files),
            )
        else:
            text = message(gettext_noop("%(subject)s, %(osi)s."), subject=subject, osi=_osi_phrase(expression))
        return _finding("license", PASS, text, evidence, **details)
    approved = [text for text, ok in expression.conjuncts if ok]
    if approved and not expression.unknown:
        # "GPL-3.0-or-later AND CC-BY-SA-4.0": the code is under an approved licence, other parts (documentation,
        # data) under others; the same reading as for several texts in REUSE's LICENSES/ folder.
        others = [text for text, ok in expression.conjuncts if not ok]
        details |= {"osi_approved": True, "other_licences": others}
        text = message(
            gettext_noop("%(subject)s: %(approved)s is an OSI-approved licence (and %(others)s for other parts).")
            if len(approved) == 1
            else gettext_noop("%(subject)s: %(approved)s are OSI-approved licences (and %(others)s for other parts)."),
            subject=subject,
            approved=", ".join(approved),
            others=", ".join(others),
        )
        return _finding("license", PASS, _and_other_files(text, other_files), evidence, **details)
    if expression.unknown:
        text = message(
            gettext_noop(
                "%(subject)s, but %(unknown)s is not an SPDX licence id, so it is no known OSI-approved licence; "
                "name the licence by its SPDX id (OS2's standard is MPL-2.0)."
            ),
            subject=subject,
            unknown=", ".join(expression.unknown),
        )
    else:
        text = message(
            gettext_noop(
                "%(subject)s, which is %(osi)s; OS2 requires an OSI-approved licence (OS2's standard is MPL-2.0)."
            ),
            subject=subject,
            osi=_osi_phrase(expression),
        )
    return _finding("license", FAIL, _and_other_files(text, other_files), evidence, **details)


def _and_other_files(text: Message, other_files) -> Message:
    """The sentence followed by one naming the licences of other files. The sentence is kept whole: a template
    cut short (its full stop moved) would be a text the catalogues do not have, so it would show untranslated."""
    if not other_files:
        return text
    return message(
        gettext_noop("%(sentence)s Other files are under %(others)s."), sentence=text, others=", ".join(other_files)
    )


def _declared_expression(raw: str):
    """An SPDX expression, else a licence named by its full name ("Mozilla Public License Version 2.0" in a
    package.json), recognised the way a licence file's title is."""
    expression = spdx.parse(raw)
    if expression is None or not expression.valid:
        recognised = spdx.recognise(raw, compare=False)  # a name, not a licence text to compare
        if recognised is not None and recognised.expression.valid:
            return recognised.expression
    return expression


@check("license", "F2")
def license_(repo):
    """The project's licence, from the strongest evidence present: the licence file (its SPDX-License-Identifier
    line or its text), then the package metadata, then REUSE's LICENSES/ folder."""
    found, unrecognised = [], []
    first = None
    for path in _files(repo, LICENCE_FILE.pattern):
        recognised = spdx.recognise(repo.text(path) or "")
        if recognised is None:
            unrecognised.append(path)
            continue
        found.append({"path": path, "spdx": recognised.expression.current, "how": recognised.how})
        if first is None:
            first = (path, recognised)
    declared = _metadata_licences(repo)
    parsed = [(path, line, raw, _declared_expression(raw)) for path, line, raw in declared]
    found += [{"path": path, "spdx": e.current if e else None, "declared": raw} for path, _l, raw, e in parsed]
    reuse_texts = []
    for path in repo.paths:
        match = LICENCE_TEXT_IN_LICENSES.match(path)
        if match and not path.endswith(".license"):
            key = spdx.canonical(match.group(1))
            if key:
                reuse_texts.append((path, key))
    found += [{"path": path, "spdx": spdx.SUCCESSORS.get(key, key)} for path, key in reuse_texts]
    found = found[:MAX_EVIDENCE]

    if first is not None:
        path, recognised = first
        finding = _licence_outcome(
            path, "is", recognised.expression, [Evidence(path, recognised.line)], recognised.how, found
        )
        if recognised.similarity is not None:
            finding.details["similarity"] = recognised.similarity
        return finding
    valid = [(path, line, raw, e) for path, line, raw, e in parsed if e is not None and e.valid]
    if valid:
        path, line, _raw, expression = valid[0]
        return _licence_outcome(path, "declares", expression, [Evidence(path, line)], "metadata", found)
    if reuse_texts:
        approved = sorted({key for _p, key in reuse_texts if spdx.osi_approved(key)})
        others = sorted({key for _p, key in reuse_texts} - set(approved))
        expression = spdx.parse(" AND ".join(approved or others))
        evidence = [Evidence(p) for p, key in reuse_texts if key in (approved or others)]
        other_files = others if approved else ()
        finding = _licence_outcome("LICENSES/", "holds", expression, evidence, "reuse", found, other_files)
        if other_files:
            finding.details["other_licences"] = [spdx.SUCCESSORS.get(key, key) for key in others]
        return finding
    none = {"spdx": None, "osi_approved": None, "found": found}
    if parsed:
        path, line, raw, _e = parsed[0]
        return _finding(
            "license",
            FAIL,
            message(
                gettext_noop(
                    "%(path)s declares the licence “%(declared)s”, which is not an SPDX licence id or expression, "
                    "and no licence file says more; use an OSI-approved licence and name it by its SPDX id (OS2's "
                    "standard is MPL-2.0)."
                ),
                path=path,
                declared=raw,
            ),
            [Evidence(path, line), *(Evidence(p) for p in unrecognised)],
            declared=raw,
            **none,
        )
    if unrecognised:
        return _finding(
            "license",
            FAIL,
            message(
                gettext_noop(
                    "%(path)s is not a licence text the scanner recognises; add an SPDX-License-Identifier line to "
                    "it or declare the licence by its SPDX id in the package metadata."
                ),
                path=unrecognised[0],
            ),
            [Evidence(p) for p in unrecognised],
            **none,
        )
    return _finding(
        "license",
        FAIL,
        message(
            gettext_noop(
                "There is no licence: no LICENSE or COPYING file, no LICENSES/ folder and no licence in the package "
                "metadata."
            )
        ),
        **none,
    )


@check("reuse", "F2")
def reuse(repo):
    """REUSE compliance: every file with copyright and licence information (reuse lint). A repository without
    any REUSE set-up fails at once, without a lint."""
    if not reuse_lint.setup_files(repo):
        return _finding(
            "reuse",
            FAIL,
            message(gettext_noop("The repository is not set up for REUSE: no LICENSES/ folder or REUSE.toml.")),
            set_up=False,
        )
    try:
        lint = reuse_lint.lint(repo)
    except reuse_lint.LintError as exc:
        outcome = FAIL if exc.repository_fault else ERROR
        return _finding("reuse", outcome, exc.text, [Evidence(p) for p in exc.paths], set_up=True)
    details = {
        "set_up": True,
        "compliant": lint.compliant,
        "files": lint.files_total,
        "missing_licensing_info": len(lint.missing_licensing),
        "missing_copyright_info": len(lint.missing_copyright),
        "missing_licenses": lint.missing_licenses,
        "bad_licenses": lint.bad_licenses,
        "deprecated_licenses": lint.deprecated_licenses,
        "unused_licenses": lint.unused_licenses,
        "licenses_without_extension": lint.licenses_without_extension,
        "invalid_expressions": len(lint.invalid_expressions),
        "read_errors": len(lint.read_errors),
        "skipped_large_files": len(lint.skipped_large),
    }
    if lint.compliant:
        if lint.skipped_large:
            text = message(
                gettext_noop(
                    "The repository follows REUSE: all %(files)s files have copyright and licence information "
                    "(%(skipped)s large file(s) not checked)."
                ),
                files=lint.files_total,
                skipped=len(lint.skipped_large),
            )
        else:
            text = message(
                gettext_noop(
                    "The repository follows REUSE: all %(files)s files have copyright and licence information."
                ),
                files=lint.files_total,
            )
        return _finding("reuse", PASS, text, **details)
    problems = []
    if lint.missing_licensing or lint.missing_copyright:
        problems.append(
            message(
                gettext_noop(
                    "%(no_licence)s of %(files)s files have no licence information and %(no_copyright)s no copyright "
                    "information"
                ),
                no_licence=len(lint.missing_licensing),
                files=lint.files_total,
                no_copyright=len(lint.missing_copyright),
            )
        )
    listed = (
        (lint.missing_licenses, gettext_noop("licence texts missing from LICENSES/: %(ids)s")),
        (lint.bad_licenses, gettext_noop("not SPDX licences: %(ids)s")),
        (lint.deprecated_licenses, gettext_noop("deprecated SPDX ids: %(ids)s")),
        (lint.licenses_without_extension, gettext_noop("licence texts without a file extension: %(ids)s")),
        (lint.unused_licenses, gettext_noop("licence texts no file uses: %(ids)s")),
    )
    for ids, template in listed:
        if ids:
            problems.append(message(template, ids=", ".join(ids[:5])))
    if lint.invalid_expressions:
        problems.append(
            message(
                gettext_noop("%(count)s file(s) with an invalid SPDX expression"), count=len(lint.invalid_expressions)
            )
        )
    if lint.read_errors:
        problems.append(
            message(
                gettext_noop("%(count)s file(s) could not be read (a name that is not UTF-8, ...)"),
                count=len(lint.read_errors),
            )
        )
    unclear = sorted({*lint.missing_licensing, *lint.missing_copyright, *lint.invalid_expressions,
                      *lint.read_errors})  # fmt: skip
    return _finding(
        "reuse",
        FAIL,
        message(
            gettext_noop("The repository does not follow REUSE: %(problems)s."), problems=Joined(tuple(problems), "; ")
        ),
        [Evidence(p) for p in unclear],
        **details,
    )


# --- Files that should be there -----------------------------------------------------------------------------

README = r"^(readme|læsmig|laesmig)(\.[a-z]+)?$"


@check("readme", "F5")
def readme(repo):
    found = _files(repo, README)
    if found:
        text = message(gettext_noop("The repository has a README (%(path)s)."), path=found[0])
        return _finding("readme", PASS, text, [Evidence(found[0])])
    return _finding("readme", FAIL, message(gettext_noop("There is no README at the top of the repository.")))


@check("purpose-described", "F5")
def purpose_described(repo):
    """Whether a README says what the solution does and for whom, judged by its content (see
    documents.readme_purpose): a purpose section with prose, or prose about the solution and the people it
    serves. A README of commands, code, endpoints or a project template's text is technical, not a purpose;
    `details["basis"]` says what decided."""
    judged = []
    for path in _files(repo, README):
        purpose = documents.readme(repo, path)
        if purpose.basis == "heading":
            return _finding(
                "purpose-described",
                PASS,
                message(
                    gettext_noop("The README describes the purpose under “%(heading)s”."), heading=purpose.heading[:80]
                ),
                [Evidence(path, purpose.line)],
                **purpose.details(),
            )
        if purpose.basis == "prose":
            return _finding(
                "purpose-described",
                PASS,
                message(
                    gettext_noop(
                        "The README describes what the solution does and for whom (%(words)s words of prose)."
                    ),
                    words=purpose.prose_words,
                ),
                [Evidence(path, purpose.line)],
                **purpose.details(),
            )
        judged.append((path, purpose))
    if judged:
        path, purpose = judged[0]
        if purpose.template:
            text = message(
                gettext_noop(
                    "The README is a project template's text (“%(phrase)s”), not a description of what the "
                    "solution does and for whom (formål)."
                ),
                phrase=purpose.template[:80],
            )
        elif purpose.code_blocks or purpose.technical:
            text = message(
                gettext_noop(
                    "The README is technical (commands, code or endpoints); it does not say what the solution does "
                    "and for whom (formål)."
                )
            )
        else:
            text = message(gettext_noop("No README section describes the purpose and value of the solution (formål)."))
        return _finding("purpose-described", FAIL, text, [Evidence(path)], **purpose.details())
    return _finding(
        "purpose-described",
        FAIL,
        message(gettext_noop("No README section describes the purpose and value of the solution (formål).")),
        basis=None,
    )


def _present(repo, check_id, pattern, found_template, missing_template):
    found = _files(repo, pattern)
    if found:
        return _finding(check_id, PASS, message(found_template, path=found[0]), [Evidence(p) for p in found])
    return _finding(check_id, FAIL, message(missing_template))


@check("security-policy", "F4")
def security_policy(repo):
    return _present(
        repo,
        "security-policy",
        r"^(\.github/|\.gitlab/|docs?/)?(security|sikkerhed)(\.(md|txt|rst|adoc))?$|(^|/)\.well-known/security\.txt$",
        gettext_noop("There is a security policy (%(path)s)."),
        gettext_noop("There is no SECURITY file telling how to report vulnerabilities."),
    )


@check("changelog", "F11")
def changelog(repo):
    return _present(
        repo,
        "changelog",
        r"^(changelog|changes|history|news|ændringslog|aendringslog|releasenotes?)(\.[a-z]+)?$",
        gettext_noop("Changes are recorded in %(path)s."),
        gettext_noop("There is no CHANGELOG."),
    )


@check("contributing", "F1")
def contributing(repo):
    return _present(
        repo,
        "contributing",
        r"^(\.github/|\.gitlab/|docs?/)?(contributing|bidrag)(\.(md|txt|rst|adoc))?$",
        gettext_noop("The repository tells how to contribute (%(path)s)."),
        gettext_noop("There is no CONTRIBUTING file telling how to contribute."),
    )


@check("code-of-conduct", "G14")
def code_of_conduct(repo):
    return _present(
        repo,
        "code-of-conduct",
        r"^(\.github/|\.gitlab/|docs?/)?(code_of_conduct|code-of-conduct|adfærdskodeks|adfaerdskodeks)"
        r"(\.(md|txt|rst|adoc))?$",
        gettext_noop("The community has a code of conduct (%(path)s)."),
        gettext_noop("There is no code of conduct."),
    )


@check("container", "F19")
def container(repo):
    return _present(
        repo,
        "container",
        r"(^|/)(dockerfile|containerfile)(\.[a-z0-9_-]+)?$|(^|/)(docker-)?compose\.ya?ml$|(^|/)chart\.yaml$",
        gettext_noop("The solution is delivered as a container (%(path)s)."),
        gettext_noop("No Dockerfile, Containerfile, compose file or Helm chart was found."),
    )


INFRASTRUCTURE_IMAGE = re.compile(
    r"^(docker\.io/)?(library/)?(mariadb|mysql|postgres|postgis/postgis|mcr\.microsoft\.com/mssql/server|redis|"
    r"rabbitmq|mongo|memcached|minio/minio|mailhog/mailhog|axllent/mailpit)([:@]|$)"
)
COMPOSE_FILE = re.compile(r"(^|/)(docker-)?compose\.ya?ml$")


def _compose_only_infrastructure(repo, path) -> bool:
    """A compose file whose every service is a stock database or broker image (nothing built, no image of the
    solution): a developer's database, not a set-up of the solution."""
    try:
        data = _yaml(repo.text(path) or "")
    except yaml.YAMLError:
        return False
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or not services:
        return False
    for service in services.values():
        if not isinstance(service, dict) or "build" in service:
            return False
        if not INFRASTRUCTURE_IMAGE.match(str(service.get("image", "")).strip().lower()):
            return False
    return True


@check("install-script", "F15", "F17")
def install_script(repo):
    found = [
        path
        for path in _files(
            repo,
            r"^(makefile|install\.sh|setup\.sh|bootstrap\.sh|justfile)$|(^|/)(ansible|playbooks?|terraform)/|"
            r"(^|/)(docker-)?compose\.ya?ml$|(^|/)chart\.yaml$|"
            r"(^|/)deploy(ment)?[ _-]?scripts?/[^/]+\.(ps1|sh)$|(^|/)(install|setup|deploy)[^/]*\.(ps1|sh)$|"
            r"\.(iss|wxs|nsi)$",
        )
        if not (COMPOSE_FILE.search(path.lower()) and _compose_only_infrastructure(repo, path))
    ]
    if found:
        text = message(gettext_noop("There is a scripted set-up (%(path)s)."), path=found[0])
        return _finding("install-script", PASS, text, [Evidence(p) for p in found])
    return _finding(
        "install-script",
        FAIL,
        message(
            gettext_noop("No install script, Makefile, compose file, Ansible, Terraform or Helm set-up was found.")
        ),
    )


@check("ci", "F16")
def ci(repo):
    return _present(
        repo,
        "ci",
        r"^\.github/workflows/[^/]+\.ya?ml$|^\.gitlab-ci\.yml$|^\.woodpecker(\.ya?ml|/)|^\.circleci/|"
        r"^azure-pipelines\.ya?ml$|^jenkinsfile$|^bitbucket-pipelines\.yml$|^\.ci/|^\.?appveyor\.ya?ml$|"
        r"^\.travis\.ya?ml$|^\.drone\.ya?ml$|^\.buildkite/|^\.teamcity/",
        gettext_noop("Changes are built and tested automatically (%(path)s)."),
        gettext_noop("No continuous integration set-up was found."),
    )


@check("tests", "F16")
def tests(repo):
    """Test files by the conventions of each stack, or a configured test runner (see stacks); a test folder
    with only fixtures, data or a placeholder is named in the message of a failure, so a reviewer sees why."""
    found = stacks.find_tests(repo)
    names = ", ".join(stacks.STACK_NAMES[stack] for stack in found.stacks)
    details = {
        "stacks": found.stacks,
        "files": len(found.files),
        "set_up": [p for p, _s in found.set_up][:MAX_EVIDENCE],
    }
    evidence = [Evidence(p) for p in found.examples(MAX_EVIDENCE)]
    if found.files:
        text = message(
            gettext_noop(
                "The repository has automated tests in %(stacks)s (%(files)s test file(s), such as %(path)s)."
            ),
            stacks=names,
            files=len(found.files),
            path=found.files[0][0],
        )
        return _finding("tests", PASS, text, evidence, **details)
    if found.set_up:
        text = message(
            gettext_noop("A test runner is set up for %(stacks)s (%(path)s)."), stacks=names, path=found.set_up[0][0]
        )
        return _finding("tests", PASS, text, evidence, **details)
    if found.placeholders:
        text = message(
            gettext_noop("No automated tests were found; %(path)s holds no test code (only data or a placeholder)."),
            path=found.placeholders[0],
        )
        return _finding("tests", FAIL, text, [Evidence(p) for p in found.placeholders], **details)
    return _finding("tests", FAIL, message(gettext_noop("No automated tests were found.")), **details)


CODE_STANDARD_FILES = (
    # One (^|/) before the alternatives: the engine tries them only at the start of a name, not at every
    # character of every path.
    r"(^|/)(\.editorconfig|\.pre-commit-config\.yaml|\.?ruff\.toml|\.flake8|\.eslintrc(\.[a-z]+)?|"
    r"eslint\.config\.[cm]?js|\.prettierrc(\.[a-z]+)?|\.stylelintrc(\.[a-z]+)?|checkstyle\.xml|\.rubocop\.yml|"
    r"\.php-cs-fixer(\.dist)?\.php|phpcs\.xml(\.dist)?|\.clang-format|\.golangci\.ya?ml|rustfmt\.toml)$"
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
                    message(gettext_noop("Coding standards are configured in %(path)s."), path=path),
                    [Evidence(path, n), *(Evidence(p) for p in found[:-1])],
                )
    if found:
        text = message(gettext_noop("Coding standards are configured (%(path)s)."), path=found[0])
        return _finding("code-standards", PASS, text, [Evidence(p) for p in found])
    return _finding(
        "code-standards",
        FAIL,
        message(gettext_noop("No configuration of a formatter or linter (coding standard) was found.")),
    )


# --- Documentation by topic, in Danish and English ----------------------------------------------------------

DOC_TOPICS = {
    "operations-docs": (
        ("F17",),
        r"drift|operation|deploy|production|produktion|udrulning|upgrad|opgrader|"
        r"hosting|backup|monitor|vedligehold|maintenance|runbook|run book|administrat|"
        # Batch jobs and scheduled runs ("SOFD Core - Batchkørsler", "Vejledning til batchjobs").
        r"batch|k(ø|oe)rsl(er|en)\b|\bjobs\b|\bcron|"
        # Setting up and installing the solution is operating it too ("HowToSetup", "Installationsvejledning",
        # "Opsætning"), unless the text says it is a developer's set-up; "is set up" is a verb, no guide.
        r"^(?!.*(develop|udvikl|\bdev\b|\blocal|\blokal|\btest)).*(installation|ops(æ|ae)tning|how to set ?-?up|"
        r"(?<!\bis )(?<!\bare )(?<!\bbe )(?<!\bwas )\bset-?up\b)",
        gettext_noop("There is operations documentation (%(where)s)."),
        gettext_noop(
            "No operations documentation was found in the README, doc/ or docs/ (names, headings or document titles)."
        ),
    ),
    "technical-docs": (
        ("F16",),
        r"teknisk|technical|arkitektur|architecture|developer|udvikler|\bapi\b|datamodel|data model|design|"
        r"\bbuild|endpoints?\b|openapi|swagger|graphql|\bdevelopment\b|kodestandard|cod(e|ing) standard",
        gettext_noop("There is technical documentation (%(where)s)."),
        gettext_noop(
            "No technical documentation was found in the README, doc/ or docs/ (names, headings or document titles)."
        ),
    ),
    "implementation-docs": (
        ("F15",),
        r"implementering|implementation|installation|install|opsætning|opsaetning|"
        r"(?<!\bis )(?<!\bare )(?<!\bbe )(?<!\bwas )\bset-?up\b|getting started|"
        r"kom i gang|konfiguration|configuration|ibrugtagning|onboarding",
        gettext_noop("There is implementation documentation (%(where)s)."),
        gettext_noop(
            "No implementation documentation was found in the README, doc/ or docs/ (names, headings or document "
            "titles)."
        ),
    ),
    "user-docs": (
        ("F20",),
        r"brugermanual|brugervejledning|vejledning|user guide|user manual|manual|brugerguide|how to use|"
        r"sådan bruger|saadan bruger|undervisning|træning|training|e-learning|tutorial",
        gettext_noop("There is user documentation (%(where)s)."),
        gettext_noop(
            "No user documentation was found in the README, doc/ or docs/ (names, headings or document titles)."
        ),
    ),
    "security-docs": (
        ("F4",),
        r"sikkerhed|security|trussel|threat|risikovurdering|risk assessment|dpia|databeskyttelse|gdpr|"
        r"persondata|konsekvensanalyse|informationssikkerhed",
        gettext_noop("There is security documentation (%(where)s)."),
        gettext_noop(
            "No security documentation was found in the README, doc/ or docs/ (names, headings or document titles)."
        ),
    ),
    "presentation-material": (
        ("F13", "F14"),
        r"præsentation|praesentation|presentation|slides|pitch|salgsmateriale|brochure|pjece|folder",
        gettext_noop("There is presentation documentation (%(where)s)."),
        gettext_noop(
            "No presentation documentation was found in the README, doc/ or docs/ (names, headings or document titles)."
        ),
    ),
}


def _topic_evidence(repo: Repository, pattern: re.Pattern, *, presentation=False) -> list[tuple[Evidence, str]]:
    """(evidence, how it was found) for the documents on a topic: by the words of the name ("HowToSetup.md" reads
    "how to setup") or of the folders inside the documentation folder, a heading of a text document, or the
    title of an office document or PDF (its metadata, else its first heading)."""
    evidence = []
    for entry in documents.doc_entries(repo):
        # A match must hold with the document's title beside it too: a topic may rule out some documents by
        # what they say they are ("How to set up a development environment" is no operations guide).
        title = entry.headings(repo)[0][1] if entry.headings(repo) else ""
        slides = presentation and entry.lower.endswith((".pptx", ".odp", ".ppt", ".key"))
        if (
            slides
            or (pattern.search(entry.words) and pattern.search(f"{entry.words} | {title}"))
            or pattern.search(entry.folder_words)
        ):
            evidence.append((Evidence(entry.path), "name"))
        elif entry.lower.endswith(TEXT_DOCS):
            for line, heading in entry.headings(repo):
                if pattern.search(heading) and pattern.search(f"{heading} | {title}"):
                    evidence.append((Evidence(entry.path, line), "heading"))
                    break
        elif entry.lower.endswith(documents.TITLED_DOCS) and pattern.search(repo.office_title(entry.path).lower()):
            evidence.append((Evidence(entry.path), "title"))
        if len(evidence) >= MAX_EVIDENCE:
            break
    return evidence


def _technical_readme(repo: Repository) -> list[tuple[Evidence, str]]:
    """A README of commands, code and endpoints is technical documentation (by its content), unless it is a
    project template's text."""
    for path in _files(repo, README):
        content = documents.readme(repo, path)
        if not content.template and content.code_blocks + content.technical >= 3:
            return [(Evidence(path, content.technical_line), "content")]
    return []


def _doc_check(check_id):
    criteria, words, found_template, missing_template = DOC_TOPICS[check_id]
    pattern = re.compile(words)

    def run(repo):
        found = _topic_evidence(repo, pattern, presentation=check_id == "presentation-material")
        if not found and check_id == "technical-docs":
            found = _technical_readme(repo)
        if found:
            first, basis = found[0]
            where = f"{first.path}:{first.line}" if first.line else first.path
            return _finding(check_id, PASS, message(found_template, where=where), [e for e, _b in found], basis=basis)
        return _finding(check_id, FAIL, message(missing_template), basis=None)

    CHECKS[check_id] = (criteria, run)


for _topic in DOC_TOPICS:
    _doc_check(_topic)


# --- Things that should not be there ------------------------------------------------------------------------

# What each kind of secret is called in the message (the keys below name them in English).
SECRET_NAMES = {
    "private key": gettext_noop("private key"),
    "AWS access key": gettext_noop("AWS access key"),
    "GitHub token": gettext_noop("GitHub token"),
    "GitLab token": gettext_noop("GitLab token"),
    "Slack token": gettext_noop("Slack token"),
    "Google API key": gettext_noop("Google API key"),
    "Stripe secret key": gettext_noop("Stripe secret key"),
    "key store or private key file": gettext_noop("key store or private key file"),
}
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b"),
    "GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Stripe secret key": re.compile(r"\bsk_live_[0-9A-Za-z]{24,}\b"),
}
# A literal each kind's match must contain: a fast substring test decides whether the (slower) pattern runs.
SECRET_HINTS = {
    "private key": ("PRIVATE KEY",),
    "AWS access key": ("AKIA", "ASIA"),
    "GitHub token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "GitLab token": ("glpat-",),
    "Slack token": ("xox",),
    "Google API key": ("AIza",),
    "Stripe secret key": ("sk_live_",),
}
SECRET_SCAN_MAX_BYTES = 512 * 1024


KEY_FILES = r"\.(pfx|p12|jks|keystore|bks)$|(^|/)id_(rsa|dsa|ecdsa|ed25519)$"
SECRET_NEEDLES = sorted({hint for hints in SECRET_HINTS.values() for hint in hints})


# One thread (--threads=1): the grep runs beside the scan's own work on the other core, not on both.
SECRET_GREP_ARGS = (
    "-c", "grep.patternType=fixed", "-c", "submodule.recurse=false",
    "grep", "--threads=1", "-z", "-l", "-I", "-F", "--no-color", "--no-textconv",
    *(arg for needle in SECRET_NEEDLES for arg in ("-e", needle)),
)  # fmt: skip
SECRET_GREP_OK = (0, 1)  # 1: nothing matched


def _secret_candidates(repo) -> set[str] | None:
    """The tracked files that contain one of the hints, from one `git grep` (a multi-string search in C, over
    the working tree's tracked files, binary files left out): the files the patterns then run on. None when
    that cannot be used (not a git checkout, files not tracked yet, git failed): every file is searched."""
    if not repo.listed_by_git:
        return None
    out = repo.git_bytes(*SECRET_GREP_ARGS, ok_status=SECRET_GREP_OK)
    if out is None:
        return None
    return {os.fsdecode(name) for name in out.split(b"\0") if name}


@check("secrets", "F4")
def secrets(repo):
    evidence, kinds = [], set()
    sizes = {e.path: e.size for e in repo.entries}
    candidates = _secret_candidates(repo)
    for path in repo.paths if candidates is None else [p for p in repo.paths if p in candidates]:
        if sizes.get(path, 0) > SECRET_SCAN_MAX_BYTES:
            continue
        text = repo.text(path)
        if not text:
            continue
        for kind, pattern in SECRET_PATTERNS.items():
            for hint in SECRET_HINTS[kind]:
                if hint in text:
                    break
            else:
                continue
            match = pattern.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                evidence.append(Evidence(path, line))
                kinds.add(kind)
                break
    # Key stores and SSH private keys are secrets by their kind of file, whatever their (binary) content.
    for path in _files(repo, KEY_FILES):
        if all(e.path != path for e in evidence):
            evidence.append(Evidence(path))
            kinds.add("key store or private key file")
    if evidence:
        # The secret itself is never printed: the kind, the file and the line are enough to find it.
        text = message(
            gettext_noop("%(files)s file(s) look like they contain secrets (%(kinds)s); remove them and revoke them."),
            files=len(evidence),
            kinds=Joined(tuple(message(SECRET_NAMES[kind]) for kind in sorted(kinds))),
        )
        return _finding(
            "secrets",
            FAIL,
            text,
            evidence,
            kinds=sorted(kinds),
            files=len(evidence),
        )
    return _finding("secrets", PASS, message(gettext_noop("No private keys or common token formats were found.")))


BINARY_EXTENSIONS = (
    ".exe", ".dll", ".so", ".dylib", ".jar", ".war", ".ear", ".class", ".pyc", ".pyo", ".o", ".a", ".lib",
    ".msi", ".apk", ".bin", ".dmg", ".deb", ".rpm",
)  # fmt: skip


@check("binaries", "F1", "F2")
def binaries(repo):
    found = [original for lower, original in repo.lower_paths if lower.endswith(BINARY_EXTENSIONS)]
    if found:
        return _finding(
            "binaries",
            FAIL,
            message(
                gettext_noop(
                    "%(files)s compiled or binary file(s) are committed; deliver source code and build the binaries."
                ),
                files=len(found),
            ),
            [Evidence(p) for p in found],
            files=len(found),
        )
    return _finding("binaries", PASS, message(gettext_noop("No compiled program files are committed.")))


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


# No signature checks and no diff drivers, whatever the repository's configuration says (see gitsafe).
LOG_ARGS = (
    "log", f"--max-count={LOG_LIMIT}", "--no-merges", "--no-show-signature", "--no-ext-diff", "--no-textconv",
    "--format=%at%x1f%ae%x1f%s",
)  # fmt: skip


def _log(repo) -> list[tuple[int, str, str]] | None:
    """(unix time, author e-mail, subject) of the latest commits, newest first; [] for a repository without
    commits; None when there is no history to read (see `_no_history`)."""
    if repo.is_git and not repo.has_commits and repo.git("rev-parse", "--git-dir") is not None:
        return []  # a sound repository without commits (a broken one fails git rev-parse)
    out = repo.git(*LOG_ARGS)
    if out is None:
        return None
    rows = []
    for line in out.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 3 and parts[0].isdigit():
            rows.append((int(parts[0]), parts[1].strip().lower(), parts[2]))
    return rows


def _no_history(repo, check_id, **details):
    """Not a git checkout: the check does not apply. A git checkout whose history git cannot read (missing
    objects, a corrupt pack, a timeout): the check could not work, an error with git's reason."""
    if not repo.is_git:
        text = message(gettext_noop("There is no git history to check (not a git checkout)."))
        return _finding(check_id, NOT_APPLICABLE, text, **details)
    reason = repo.git_failure(*LOG_ARGS) or repo.git_failure("rev-parse", "--verify", "-q", "HEAD")
    return _finding(
        check_id,
        ERROR,
        message(
            gettext_noop("The git history could not be read (%(reason)s); the repository may be damaged."),
            reason=reason or message(gettext_noop("git failed")),
        ),
        **details,
    )


def _history_note(repo, log) -> dict:
    return {"shallow": True, "commits_read": len(log)} if repo.is_shallow else {}


@check("active-development", "F1")
def active_development(repo):
    log = _log(repo)
    if log is None:
        return _no_history(repo, "active-development")
    if not log:
        text = message(gettext_noop("The repository has no commits yet."))
        return _finding("active-development", FAIL, text, commits_last_year=0)
    newest = log[0][0]
    since = time.time() - ACTIVE_DAYS * 86400
    recent = [row for row in log if row[0] >= since]
    days = int((time.time() - newest) // 86400)
    details = {"last_commit_days_ago": days, "commits_last_year": len(recent),
               "authors_last_year": len({row[1] for row in recent}), **_history_note(repo, log)}  # fmt: skip
    if recent:
        return _finding(
            "active-development",
            PASS,
            message(
                gettext_noop("%(commits)s commit(s) in the last year; the latest %(days)s day(s) ago."),
                commits=len(recent),
                days=days,
            ),
            **details,
        )
    return _finding(
        "active-development",
        FAIL,
        message(gettext_noop("No commits in the last year; the latest is %(days)s days old."), days=days),
        **details,
    )


def _domain(email: str) -> str | None:
    """The e-mail address's domain, or None for an address that names no organisation: personal mail (gmail
    and the like), noreply addresses and bots, and text without a domain."""
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    if not domain or domain in PERSONAL_MAIL or NOREPLY.search(email):
        return None
    return domain


def _organisation(domain: str, organisations=None) -> tuple[str, bool]:
    """(organisation, named): the organisation's name when the mapping knows the domain or a parent of it (a
    company's old and new domains and its subsidiaries' are one organisation); otherwise the domain's last two
    labels (kommune.aarhus.dk and aarhus.dk are the same organisation), named False."""
    name = organisations.name_for(domain) if organisations else None
    if name:
        return name, True
    return ".".join(domain.split(".")[-2:]), False


TOP_ORGANISATIONS = 5
MAX_TOP_DOMAINS = 10


@check("vendor-concentration", "F6", "G9")
def vendor_concentration(repo):
    log = _log(repo)
    if log is None:
        return _no_history(repo, "vendor-concentration", top_organisation=None, top_share=None)
    organisations = getattr(repo, "organisations", None)
    counts: dict[tuple[str, bool], int] = {}
    domains: dict[tuple[str, bool], set[str]] = {}
    keys: dict[str, tuple[str, bool]] = {}  # per domain: a history has thousands of commits and few domains
    for _time, email, _subject in log:
        domain = _domain(email)
        if domain:
            key = keys.get(domain)
            if key is None:
                key = keys[domain] = _organisation(domain, organisations)
            counts[key] = counts.get(key, 0) + 1
            domains.setdefault(key, set()).add(domain)
    known = sum(counts.values())
    if known < 10:
        return _finding(
            "vendor-concentration",
            NOT_APPLICABLE,
            message(
                gettext_noop(
                    "Only %(commits)s commit(s) can be tied to an organisation by e-mail domain; too few to judge."
                ),
                commits=known,
            ),
            top_organisation=None,
            top_share=None,
        )
    # The largest first; on a tie a named organisation before a bare domain, then by name, so the result does
    # not depend on the order of the history.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], not item[0][1], item[0][0]))
    (top, top_named), top_count = ranked[0]
    share = round(top_count / known, 3)
    # The largest organisations and their commits, for the share chart on the scan's page (the rest is
    # `commits` minus these).
    largest = ranked[:TOP_ORGANISATIONS]
    details = {"top_organisation": top, "top_share": share, "organisations": len(counts), "commits": known,
               "top_domains": sorted(domains[(top, top_named)])[:MAX_TOP_DOMAINS],
               "by_organisation": [[name, n] for (name, _named), n in largest]}  # fmt: skip
    if share >= 0.9:
        return _finding(
            "vendor-concentration",
            FAIL,
            message(
                gettext_noop(
                    "%(organisation)s wrote %(share)s of the commits that can be tied to an organisation: the product "
                    "depends on one supplier."
                ),
                organisation=top,
                share=f"{share:.0%}",
            ),
            **details,
        )
    return _finding(
        "vendor-concentration",
        PASS,
        message(
            gettext_noop(
                "%(organisations)s organisations wrote the code; the largest, "
                "%(organisation)s, wrote %(share)s of the commits."
            ),
            organisations=len(counts),
            organisation=top,
            share=f"{share:.0%}",
        ),
        **details,
    )


ISSUE_REFERENCE = re.compile(r"(#\d+|\b[A-Z][A-Z0-9]{1,9}-\d+\b|/issues/\d+|/-/issues/\d+)")


@check("issue-tracking", "F11")
def issue_tracking(repo):
    templates = _files(repo, r"^\.github/issue_template(/|\.md$)|^\.gitlab/issue_templates/")
    log = _log(repo)
    if log is None and (repo.is_git or not templates):
        # No templates to show it, and no history (not a git checkout, or one git cannot read) to judge by.
        return _no_history(repo, "issue-tracking")
    log = log or []
    referencing = [row for row in log if ISSUE_REFERENCE.search(row[2])]
    share = round(len(referencing) / len(log), 3) if log else 0.0
    details = {"commits_referencing_issues": len(referencing), "share": share}
    if templates or (len(referencing) >= 5 and share >= 0.1):
        text = (
            message(gettext_noop("Issues are tracked (%(path)s)."), path=templates[0])
            if templates
            else message(
                gettext_noop("%(commits)s commits (%(share)s) refer to issues."),
                commits=len(referencing),
                share=f"{share:.0%}",
            )
        )
        return _finding("issue-tracking", PASS, text, [Evidence(p) for p in templates], **details)
    return _finding(
        "issue-tracking",
        FAIL,
        message(
            gettext_noop(
                "No issue templates, and few commits refer to an issue (#123 or a Jira key such as OS2MO-123)."
            )
        ),
        **details,
    )


# --- publiccode.yml -----------------------------------------------------------------------------------------

# How many of a publiccode.yml's errors (or warnings) the finding's sentence names; all are in its details.
PUBLICCODE_ERRORS_IN_MESSAGE = 5
# A file of ten thousand unknown keys must not make a finding of ten thousand warnings.
PUBLICCODE_MAX_DETAILS = 100


@check("publiccode-yml", "F5", "G1")
def publiccode_yml(repo):
    """The file is checked against the standard's rules for the version it declares (see publiccode.py): it
    passes with warnings (deprecated or unknown keys), and fails on the first error, each error with its line."""
    found = _files(repo, r"^publiccode\.ya?ml$")
    if not found:
        return _finding(
            "publiccode-yml",
            FAIL,
            message(gettext_noop("There is no publiccode.yml describing the software for catalogues.")),
        )
    path = found[0]
    text = repo.text(path)
    if text is None:
        unread = message(
            gettext_noop("%(path)s cannot be read: it is binary, larger than 1 MiB or not a regular file."), path=path
        )
        details = {"version": None, "errors": [], "warnings": [], "error_count": 0, "warning_count": 0}
        return _finding("publiccode-yml", FAIL, unread, [Evidence(path)], **details)
    document = publiccode.validate(text)
    errors, warnings = document.errors, document.warnings
    details = {
        "version": document.version,
        "errors": [_publiccode_problem(problem) for problem in errors[:PUBLICCODE_MAX_DETAILS]],
        "warnings": [_publiccode_problem(problem) for problem in warnings[:PUBLICCODE_MAX_DETAILS]],
        "error_count": len(errors),
        "warning_count": len(warnings),
    }
    if errors:
        text = message(
            gettext_noop("%(path)s does not follow the standard: %(problems)s."),
            path=path,
            problems=publiccode.summary(errors, PUBLICCODE_ERRORS_IN_MESSAGE),
        )
        evidence = [Evidence(path, problem.line) for problem in errors[:MAX_EVIDENCE]]
        return _finding("publiccode-yml", FAIL, text, evidence, **details)
    if warnings:
        text = message(
            gettext_noop("%(path)s follows version %(version)s of the standard, with warnings: %(warnings)s."),
            path=path,
            version=document.version,
            warnings=publiccode.summary(warnings, PUBLICCODE_ERRORS_IN_MESSAGE),
        )
    else:
        text = message(
            gettext_noop("%(path)s follows version %(version)s of the standard."), path=path, version=document.version
        )
    return _finding("publiccode-yml", PASS, text, [Evidence(path)], **details)


def _publiccode_problem(problem: publiccode.Problem) -> dict:
    return {"key": problem.key, "line": problem.line, "message": str(problem.text)}


# The git commands each check needs, started together when a scan begins (see start_git): the file list first,
# which every check needs at once, then the rest, which git works on while the first checks run in Python.
HISTORY_GIT = ((HEAD_ARGS, (0,)), (LOG_ARGS, (0,)))
CHECK_GIT = {
    "secrets": ((SECRET_GREP_ARGS, SECRET_GREP_OK),),
    "active-development": HISTORY_GIT,
    "vendor-concentration": HISTORY_GIT,
    "issue-tracking": HISTORY_GIT,
}


def start_git(repo: Repository, check_ids) -> None:
    """Start the git commands of these checks in the background, and the file list's. (Starting the others only
    once the file list was read was measured too: the listing ran faster, the scan as a whole slower.)"""
    commands = [(LS_FILES_ARGS, (0,)), *(command for check_id in check_ids for command in CHECK_GIT.get(check_id, ()))]
    for args, ok_status in dict(commands).items():
        repo.start_git(*args, ok_status=ok_status)


def run_checks(repo: Repository, only=None, progress=None) -> list[Finding]:
    """One finding per check. A check that breaks on something unforeseen in the repository gives a finding
    with the outcome "error" and the reason; the other checks still run. `progress(done, total, check_id)`, when
    given, is called before each check (the Django side records it for the scan's page). The git commands the
    checks need run in the background meanwhile (start_git); none outlives the call."""
    findings = []
    selected = [(check_id, entry) for check_id, entry in CHECKS.items() if not only or check_id in only]
    try:
        start_git(repo, [check_id for check_id, _entry in selected])
        _run_selected(repo, selected, findings, progress)
    finally:
        repo.close()
    return findings


def _run_selected(repo: Repository, selected, findings: list, progress) -> None:
    for done, (check_id, (_criteria, function)) in enumerate(selected):
        if progress is not None:
            progress(done, len(selected), check_id)
        try:
            findings.append(function(repo))
        except RecursionError:
            text = message(gettext_noop("The check could not run: the repository nests too deeply."))
            findings.append(_finding(check_id, ERROR, text))
        except Exception as exc:  # noqa: BLE001 - one broken check must not lose the scan
            reason = " ".join(str(exc).split())[:200] or message(gettext_noop("no details"))
            text = message(
                gettext_noop("The check could not run (%(error)s: %(reason)s)."),
                error=type(exc).__name__,
                reason=reason,
            )
            findings.append(_finding(check_id, ERROR, text))


__all__ = ["CHECKS", "NOT_APPLICABLE", "run_checks"]
