"""The private parts of the reuse library that os2hub/scanner/reuse_lint.py builds its lint from (pyproject.toml pins
reuse to the tested range). A new reuse version may rename or change any of them without notice: this test fails
with one line per change, "reuse X changed <name>: update reuse_lint.py and the pin", before the lint quietly goes
wrong. The other REUSE tests hold the lint's results to reuse's own."""

import importlib
import importlib.metadata
import inspect
import re

import pytest

REUSE_VERSION = importlib.metadata.version("reuse")

# module -> names reuse_lint.py imports from it
IMPORTED = {
    "reuse._licenses": ["EXCEPTION_MAP", "LICENSE_MAP"],
    "reuse._util": ["_add_plus_to_identifier", "_strip_plus_from_identifier"],
    "reuse.covered_files": ["_IGNORE_DIR_PATTERNS", "_IGNORE_FILE_PATTERNS", "_IGNORE_MESON_PARENT_DIR_PATTERNS"],
    "reuse.exceptions": ["GlobalLicensingConflictError", "ReuseError"],
    "reuse.extract": [
        "_LICENSEREF_PATTERN",
        "HEURISTICS_CHUNK_SIZE",
        "REUSE_IGNORE_START",
        "filter_ignore_block",
        "detect_encoding",
        "extract_reuse_info",
        "reuse_info_of_file",
    ],
    "reuse.global_licensing": ["PrecedenceType", "ReuseDep5", "ReuseTOML", "AnnotationsItem"],
    "reuse.copyright": ["ReuseInfo"],
    "reuse.project": ["Project", "reuse_info_of_file"],
    "reuse.report": ["ProjectReport"],
    "reuse.vcs": ["VCSStrategy"],
}

# callable -> the parameters reuse_lint.py passes (by position first, then by name); more optional ones are fine
CALLED = {
    "reuse._util._add_plus_to_identifier": ["spdx_identifier"],
    "reuse._util._strip_plus_from_identifier": ["spdx_identifier"],
    "reuse.extract.filter_ignore_block": ["text"],
    "reuse.extract.detect_encoding": ["chunk"],
    "reuse.extract.extract_reuse_info": ["text"],
    "reuse.extract.reuse_info_of_file": ["fp", "chunk_size", "line_size"],
    "reuse.global_licensing.ReuseTOML.from_file": ["path"],
    "reuse.global_licensing.ReuseDep5.from_file": ["path"],
    "reuse.global_licensing.ReuseDep5.reuse_info_of": ["self", "path"],
    "reuse.global_licensing.AnnotationsItem.matches": ["self", "path"],
    "reuse.project.Project.from_directory": ["root"],
    "reuse.project.Project._detect_vcs_strategy": ["root"],
    "reuse.report.ProjectReport.generate": ["project", "do_checksum", "multiprocessing"],
    "reuse.vcs.VCSStrategy.__init__": ["self", "root"],
    "reuse.vcs.VCSStrategy.is_ignored": ["self", "path"],
    "reuse.vcs.VCSStrategy.is_submodule": ["self", "path"],
    "reuse.vcs.VCSStrategy.in_repo": ["directory"],
    "reuse.vcs.VCSStrategy.find_root": ["cwd"],
}

# The attributes of reuse's report that lint_reference reads.
REPORT_ATTRIBUTES = [
    "file_reports",
    "read_errors",
    "files_without_licenses",
    "files_without_copyright",
    "bad_licenses",
    "deprecated_licenses",
    "licenses_without_extension",
    "missing_licenses",
    "unused_licenses",
    "invalid_spdx_expressions",
    "is_compliant",
]


def changed(name: str, how: str) -> str:
    return (
        f"reuse {REUSE_VERSION} changed {name} ({how}): update os2hub/scanner/reuse_lint.py and the pin in "
        "pyproject.toml"
    )


def fail_loudly(problems: list[str]):
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            value = getattr(value, part)
        return value
    raise ImportError(dotted)


def test_every_name_reuse_lint_imports_is_there():
    problems = []
    for module_name, names in IMPORTED.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            problems.append(changed(module_name, f"the module cannot be imported: {exc}"))
            continue
        problems += [changed(f"{module_name}.{name}", "missing") for name in names if not hasattr(module, name)]
    fail_loudly(problems)


def test_every_function_reuse_lint_calls_takes_the_same_parameters():
    problems = []
    for dotted, expected in CALLED.items():
        try:
            function = resolve(dotted)
        except (ImportError, AttributeError):
            problems.append(changed(dotted, "missing"))
            continue
        try:
            parameters = list(inspect.signature(function).parameters.values())
        except (TypeError, ValueError):
            problems.append(changed(dotted, "no longer a function with a signature"))
            continue
        names = [p.name for p in parameters]
        if names[: len(expected)] != expected:
            problems.append(changed(dotted, f"parameters {names}, expected {expected} first"))
            continue
        required = [
            p.name
            for p in parameters[len(expected) :]
            if p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        if required:
            problems.append(changed(dotted, f"new required parameters {required}"))
    fail_loudly(problems)


def test_the_values_reuse_lint_reads_have_the_shape_it_expects():
    from reuse import covered_files, extract
    from reuse._licenses import EXCEPTION_MAP, LICENSE_MAP
    from reuse.global_licensing import PrecedenceType
    from reuse.project import Project

    problems = []
    for name in ("_IGNORE_DIR_PATTERNS", "_IGNORE_FILE_PATTERNS", "_IGNORE_MESON_PARENT_DIR_PATTERNS"):
        patterns = getattr(covered_files, name, None)
        if not isinstance(patterns, list | tuple) or not all(isinstance(p, re.Pattern) for p in patterns):
            problems.append(changed(f"reuse.covered_files.{name}", "no longer a list of regular expressions"))
    if not isinstance(getattr(extract, "_LICENSEREF_PATTERN", None), re.Pattern):
        problems.append(changed("reuse.extract._LICENSEREF_PATTERN", "no longer a regular expression"))
    if not isinstance(getattr(extract, "HEURISTICS_CHUNK_SIZE", None), int):
        problems.append(changed("reuse.extract.HEURISTICS_CHUNK_SIZE", "no longer a number"))
    if not isinstance(getattr(extract, "REUSE_IGNORE_START", None), str):
        problems.append(changed("reuse.extract.REUSE_IGNORE_START", "no longer a string"))
    if "isDeprecatedLicenseId" not in LICENSE_MAP.get("MIT", {}) or "GPL-3.0" not in LICENSE_MAP:
        problems.append(changed("reuse._licenses.LICENSE_MAP", "no longer {id: {..., 'isDeprecatedLicenseId'}}"))
    if "Classpath-exception-2.0" not in EXCEPTION_MAP:
        problems.append(changed("reuse._licenses.EXCEPTION_MAP", "no longer {exception id: ...}"))
    for member in ("OVERRIDE", "AGGREGATE", "CLOSEST"):
        if not hasattr(PrecedenceType, member):
            problems.append(changed(f"reuse.global_licensing.PrecedenceType.{member}", "missing"))
    if not isinstance(inspect.getattr_static(Project, "_detect_vcs_strategy", None), classmethod):
        problems.append(changed("reuse.project.Project._detect_vcs_strategy", "no longer a classmethod"))
    fail_loudly(problems)


def test_reuses_parts_behave_as_reuse_lint_uses_them(tmp_path):
    """One small project through the parts: the objects reuse returns have the attributes reuse_lint reads."""
    from reuse.extract import extract_reuse_info, filter_ignore_block
    from reuse.global_licensing import ReuseDep5, ReuseTOML
    from reuse.project import Project
    from reuse.report import ProjectReport

    tag = "SPDX-" + "License-Identifier"  # not literal: reuse would read it as this file's own licence
    problems = []
    info = extract_reuse_info(f"{tag}: MIT\n{'SPDX-'}FileCopyrightText: 2026 OS2")
    expression = info.spdx_expressions and next(iter(info.spdx_expressions))
    if not (expression and expression.is_valid and set(expression.licenses) == {"MIT"} and info.copyright_notices):
        problems.append(changed("reuse.extract.extract_reuse_info", "its ReuseInfo no longer has these attributes"))
    ignored = "a\nREUSE-" + "IgnoreStart\nb\nREUSE-" + "IgnoreEnd\nc"  # not literal: reuse would skip this file
    if filter_ignore_block(ignored).text.split() != ["a", "c"]:
        problems.append(changed("reuse.extract.filter_ignore_block", "no .text without the ignored block"))

    (tmp_path / "REUSE.toml").write_text(
        f'version = 1\n[[annotations]]\npath = "src/**"\nprecedence = "override"\n{tag} = "MIT"\n'
        f'{"SPDX-"}FileCopyrightText = "2026 OS2"\n'
    )
    toml = ReuseTOML.from_file(tmp_path / "REUSE.toml")
    item = toml.annotations[0]
    regex = getattr(item, "_paths_regex", None)
    if not isinstance(regex, re.Pattern) or not regex.match("src/a.py"):
        problems.append(
            changed("reuse.global_licensing.AnnotationsItem._paths_regex", "no longer a regular expression")
        )
    if getattr(toml, "directory", None) != tmp_path or item.precedence.name != "OVERRIDE":
        problems.append(changed("reuse.global_licensing.ReuseTOML", "no .directory or annotations' .precedence"))
    if not (item.spdx_expressions and item.copyright_notices):
        problems.append(changed("reuse.global_licensing.AnnotationsItem", "no .spdx_expressions, .copyright_notices"))

    (tmp_path / ".reuse").mkdir()
    (tmp_path / ".reuse" / "dep5").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        "Files: src/*\nCopyright: 2026 OS2\nLicense: MIT\n"
    )
    dep5 = ReuseDep5.from_file(tmp_path / ".reuse" / "dep5")
    paragraph = getattr(getattr(dep5, "dep5_copyright", None), "find_files_paragraph", lambda path: None)("src/a.py")
    if paragraph is None or not dep5.reuse_info_of("src/a.py"):
        problems.append(changed("reuse.global_licensing.ReuseDep5", "no .dep5_copyright.find_files_paragraph"))
    (tmp_path / ".reuse" / "dep5").unlink()

    (tmp_path / "LICENSES").mkdir()
    (tmp_path / "LICENSES" / "MIT.txt").write_text("MIT License\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("x = 1\n")
    report = ProjectReport.generate(Project.from_directory(tmp_path), do_checksum=False, multiprocessing=False)
    problems += [
        changed(f"reuse.report.ProjectReport.{a}", "missing") for a in REPORT_ATTRIBUTES if not hasattr(report, a)
    ]
    fail_loudly(problems)


def test_the_pin_is_the_range_these_tests_ran_on():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))
    (pin,) = [d for d in project["project"]["dependencies"] if d.startswith("reuse")]
    lower, upper = re.search(r">=([\d.]+),<([\d.]+)", pin).groups()
    version = tuple(int(n) for n in REUSE_VERSION.split(".")[:3])
    assert tuple(int(n) for n in lower.split(".")) <= version < tuple(int(n) for n in upper.split(".")), (
        f"reuse {REUSE_VERSION} is installed, outside the pin {pin}"
    )
