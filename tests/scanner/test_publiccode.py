"""The publiccode.yml validator (os2hub.scanner.publiccode) and the scanner's publiccode-yml check built on it:
the standard's own examples and OS2's pass for the version they declare, each kind of mistake is reported on
its key and line, deprecated and unknown keys warn, hostile files are refused without raising, and a dumped
mapping reads back as it was."""

import json
from pathlib import Path

import pytest

from os2hub.scanner.checks import PUBLICCODE_ERRORS_IN_MESSAGE
from os2hub.scanner.cli import main
from os2hub.scanner.publiccode import CURRENT_VERSION, MAX_BYTES, dump, validate

from .test_checks import build, findings

DATA = Path(__file__).resolve().parent.parent / "data" / "publiccode"
EXAMPLES = sorted(DATA.glob("*.yml"))

# A valid file of the current version, the base the mistakes below are made in.
VALID = """\
publiccodeYmlVersion: "0.5.0"
name: OS2test
url: "https://github.com/OS2/os2test"
landingURL: "https://os2.eu/produkt/os2test"
releaseDate: "2026-05-04"
platforms:
  - web
developmentStatus: stable
softwareType: "standalone/web"
intendedAudience:
  countries:
    - DK
description:
  da:
    shortDescription: Sagsbehandling af testsager for kommuner.
    longDescription: >
      OS2test hjælper kommunernes sagsbehandlere med at oprette, fordele og afslutte testsager. Løsningen er
      udviklet i fællesskab af kommunerne i OS2 og drives i dag af flere af dem.
    features:
      - Opret og fordel sager
legal:
  license: MPL-2.0
maintenance:
  type: contract
  contractors:
    - name: Magenta ApS
      email: info@magenta.dk
      until: "2027-12-31"
localisation:
  localisationReady: true
  availableLanguages:
    - da
"""


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def errors(text) -> list[tuple[str, int | None]]:
    return [(problem.key, problem.line) for problem in validate(text).errors]


def warnings(text) -> list[str]:
    return [problem.key for problem in validate(text).warnings]


# --- The examples ----------------------------------------------------------------------------------------------


def test_the_base_of_these_tests_is_valid_and_has_no_warnings():
    document = validate(VALID)
    assert document.valid and document.problems == [] and document.version == "0.5.0"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_it_accepts_the_standards_examples_and_os2s_for_their_version(path):
    document = validate(path.read_bytes())
    assert document.valid, [str(problem.text) for problem in document.errors]
    assert document.version and path.stem.split("-")[-1].startswith(document.version[:3])


def test_the_examples_cover_every_version_of_the_standard_since_0_2():
    assert {path.stem.split("-")[-1] for path in EXAMPLES} >= {"0.2", "0.3", "0.4", "0.5"}


def test_it_maps_every_key_and_list_item_to_its_line():
    document = validate(VALID)
    assert document.lines["name"] == 2
    assert document.lines["description.da.shortDescription"] == line_of(VALID, "shortDescription")
    assert document.lines["maintenance.contractors[0]"] == line_of(VALID, "- name: Magenta")
    assert document.lines["maintenance.contractors[0].until"] == line_of(VALID, "until:")
    assert document.lines["localisation.availableLanguages[0]"] == line_of(VALID, "- da")


def test_it_reads_numbers_and_dates_as_the_text_written():
    document = validate(
        VALID.replace('"0.5.0"', "0.5").replace('"2026-05-04"', "2026-05-04") + "softwareVersion: 1.10\n"
    )
    assert document.valid and document.version == "0.5"
    assert document.data["releaseDate"] == "2026-05-04" and document.data["softwareVersion"] == "1.10"


# --- Each kind of mistake, on its key and line ------------------------------------------------------------------


def test_a_missing_key_is_reported_on_its_parent_or_at_the_top():
    assert errors(VALID.replace("name: OS2test\n", "")) == [("name", None)]
    text = VALID.replace("  license: MPL-2.0\n", "  mainCopyrightOwner: OS2\n")
    assert errors(text) == [("legal.license", line_of(text, "legal:"))]


def test_a_wrong_type_is_reported_on_the_key():
    text = VALID.replace("name: OS2test", "name: [OS2, test]")
    assert errors(text) == [("name", 2)]
    assert "name must be text" in str(validate(text).errors[0].text)
    text = VALID.replace("localisationReady: true", "localisationReady: maybe")
    assert errors(text) == [("localisation.localisationReady", line_of(text, "localisationReady"))]


def test_a_value_outside_the_allowed_ones_names_them():
    text = VALID.replace("developmentStatus: stable", "developmentStatus: finished")
    document = validate(text)
    assert errors(text) == [("developmentStatus", line_of(text, "developmentStatus"))]
    assert "concept, development, beta, stable, obsolete" in str(document.errors[0].text)
    text = VALID.replace('softwareType: "standalone/web"', "softwareType: standalone")
    assert errors(text) == [("softwareType", line_of(text, "softwareType"))]
    text = VALID.replace("  type: contract", "  type: outsourced")
    assert ("maintenance.type", line_of(text, "type: outsourced")) in errors(text)


def test_a_short_description_longer_than_150_characters_is_an_error():
    text = VALID.replace("Sagsbehandling af testsager for kommuner.", "Sagsbehandling " * 11)
    assert errors(text) == [("description.da.shortDescription", line_of(text, "shortDescription"))]
    assert "at most 150" in str(validate(text).errors[0].text)


def test_a_long_description_shorter_than_150_characters_is_an_error():
    data = validate(VALID).data
    data["description"]["da"]["longDescription"] = "For kort."
    text = dump(data)
    assert errors(text) == [("description.da.longDescription", line_of(text, "longDescription"))]
    assert "at least 150" in str(validate(text).errors[0].text)


@pytest.mark.parametrize(
    "language, key",
    [("dansk", "description.dansk"), ("dk", "description.dk"), ("da_DK", "description.da_DK")],
)
def test_a_description_must_be_under_a_language_code(language, key):
    text = VALID.replace("  da:\n    shortDescription", f"  {language}:\n    shortDescription")
    assert errors(text) == [(key, line_of(text, f"  {language}:"))]


def test_bcp_47_tags_with_a_region_or_script_are_accepted_and_iso_639_2_codes_are_not():
    assert validate(VALID.replace("  da:\n    shortDescription", "  en-GB:\n    shortDescription")).valid
    assert validate(VALID.replace("    - da\n", "    - da\n    - sr-Latn-RS\n    - sl-IT-nedis\n")).valid
    text = VALID.replace("    - da\n", "    - dan\n")
    document = validate(text)
    assert errors(text) == [("localisation.availableLanguages[0]", line_of(text, "- dan"))]
    assert "“da”" in str(document.errors[0].text)


def test_a_date_must_be_written_yyyy_mm_dd():
    for bad in ('"04-05-2026"', '"2026-02-30"', '"maj 2026"'):
        text = VALID.replace('"2026-05-04"', bad)
        assert errors(text) == [("releaseDate", 5)], bad


def test_an_address_must_be_http_or_https():
    text = VALID.replace('landingURL: "https://os2.eu/produkt/os2test"', "landingURL: os2.eu/produkt")
    assert errors(text) == [("landingURL", 4)]
    text = VALID.replace('url: "https://github.com/OS2/os2test"', "url: OS2/os2test")
    assert errors(text) == [("url", 3)]
    # The repository may be given with any scheme its tools use.
    assert validate(VALID.replace('"https://github.com/OS2/os2test"', "git://example.dk/os2test.git")).valid


@pytest.mark.parametrize(
    "licence, wording",
    [("Mozilla Public License 2.0", "is not an SPDX licence expression"), ("MPL-2.0 OR Frit-1.0", "Frit-1.0")],
)
def test_the_licence_must_be_an_spdx_expression(licence, wording):
    text = VALID.replace("license: MPL-2.0", f"license: {licence}")
    document = validate(text)
    assert errors(text) == [("legal.license", line_of(text, "license:"))]
    assert wording in str(document.errors[0].text)


def test_a_contractor_needs_a_date_until_which_it_maintains():
    text = VALID.replace('      until: "2027-12-31"\n', "")
    assert errors(text) == [("maintenance.contractors[0].until", line_of(text, "- name: Magenta"))]


def test_maintenance_needs_contractors_or_contacts_as_its_type_says():
    text = VALID.replace("  type: contract", "  type: community")
    assert ("maintenance.contacts", line_of(text, "maintenance:")) in errors(text)
    assert ("maintenance.contractors", line_of(text, "contractors:")) in errors(text)  # only with contract


def test_an_email_address_must_look_like_one():
    text = VALID.replace("info@magenta.dk", "magenta.dk")
    assert errors(text) == [("maintenance.contractors[0].email", line_of(text, "email:"))]


def test_a_key_written_twice_is_an_error():
    text = VALID + "name: OS2andet\n"
    assert errors(text) == [("name", text.count("\n"))]


@pytest.mark.parametrize("version", ['"1.0"', '"2.4.0"', "latest", '"0.2.9"'])
def test_an_unknown_version_is_an_error(version):
    text = VALID.replace('"0.5.0"', version)
    assert errors(text) == [("publiccodeYmlVersion", 1)]


def test_a_later_0_x_is_checked_as_the_latest_known_with_a_warning():
    document = validate(VALID.replace('"0.5.0"', '"0.7"'))
    assert document.valid and document.version == "0.7"
    assert [problem.key for problem in document.warnings] == ["publiccodeYmlVersion"]


def test_version_0_1_is_refused_with_a_clear_message():
    text = VALID.replace('publiccodeYmlVersion: "0.5.0"', 'publiccode-yaml-version: "0.1"')
    document = validate(text)
    assert document.errors[0].key == "publiccode-yaml-version" and document.errors[0].line == 1
    assert CURRENT_VERSION in str(document.errors[0].text)


def test_categories_are_required_before_0_5_and_other_is_allowed_from_0_5():
    assert errors(VALID.replace('"0.5.0"', '"0.4"').replace("DK", "dk")) == [("categories", None)]
    text = VALID + "categories:\n  - other\n  - it-development\n"
    assert validate(text).valid
    text = text.replace('"0.5.0"', '"0.4"').replace("DK", "dk")
    assert errors(text) == [("categories[0]", line_of(text, "- other"))]


# --- Deprecated and unknown keys warn -----------------------------------------------------------------------------


def test_keys_deprecated_by_the_declared_version_warn_and_stay_valid():
    generic = VALID.replace("    shortDescription:", "    genericName: Sagssystem\n    shortDescription:")
    assert warnings(generic) == ["description.da.genericName"]
    assert validate(generic).valid
    as_02 = generic.replace('"0.5.0"', '"0.2"').replace("DK", "dk") + "categories: [it-development]\n"
    assert "description.da.genericName" not in warnings(as_02)  # deprecated only since 0.3
    owner = VALID.replace("  license: MPL-2.0\n", "  license: MPL-2.0\n  repoOwner: OS2\n")
    assert warnings(owner) == ["legal.repoOwner"]
    assert "legal.repoOwner" not in warnings(
        owner.replace('"0.5.0"', '"0.4"').replace("DK", "dk") + "categories: [hr]\n"
    )


def test_lower_case_country_codes_and_the_it_section_warn_from_0_5():
    text = VALID.replace("    - DK", "    - dk") + "it:\n  riuso:\n    codiceIPA: c_h501\n"
    assert warnings(text) == ["intendedAudience.countries[0]", "it", "it.riuso.codiceIPA"]
    assert validate(text).valid
    text = VALID + "IT:\n  conforme:\n    gdpr: true\n"
    assert warnings(text) == ["IT.conforme"]
    assert errors(text + "it:\n  riuso: {}\n") == [("it", line_of(text + "it:", "it:"))]
    text = VALID.replace("    - DK", "    - XX")
    assert errors(text) == [("intendedAudience.countries[0]", line_of(text, "- XX"))]


def test_unknown_keys_warn_and_country_sections_are_left_to_their_countries():
    text = VALID + "homepage: https://os2.eu\nDK:\n  anything: goes\n"
    assert warnings(text) == ["homepage"]
    assert validate(text).valid
    text = VALID.replace("    features:", "    featureList:\n      - x\n    features:")
    assert warnings(text) == ["description.da.featureList"]


def test_a_deprecated_spdx_id_warns_with_its_successor():
    document = validate(VALID.replace("license: MPL-2.0", "license: GPL-3.0"))
    assert document.valid and [problem.key for problem in document.warnings] == ["legal.license"]
    assert "GPL-3.0-only" in str(document.warnings[0].text)


# --- Hostile input never raises -----------------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("name: [unclosed\n", id="not-yaml"),
        pytest.param("- a list\n", id="a-list"),
        pytest.param("just text\n", id="a-text"),
        pytest.param("", id="empty"),
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param("a: &a [*a]\n", id="self-alias"),
        pytest.param("name: x\n" + "k: " + "x" * MAX_BYTES + "\n", id="2-mib"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", id="binary"),
        pytest.param("name: x\x00y\n", id="nul"),
        pytest.param("name:\n\t- x\n", id="tabs"),
        pytest.param("[" * 100_000, id="deep-flow"),
        pytest.param("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)), id="deep-block"),
        pytest.param("--- a\n--- b\n", id="two-documents"),
        pytest.param("? [a, b]\n: c\n", id="list-as-key"),
        pytest.param("a: !!python/object:os.system ls\n", id="python-tag"),
    ],
)
def test_hostile_input_is_refused_without_raising(text):
    document = validate(text)
    assert not document.valid
    assert all(isinstance(str(problem.text), str) for problem in document.problems)


def test_the_billion_laughs_is_refused_quickly_as_what_it_is():
    document = validate(BILLION_LAUGHS)
    assert document.data is None and "aliases" in str(document.errors[0].text)


def test_a_few_aliases_are_read_as_the_values_they_repeat():
    text = VALID.replace("    features:\n", "    features: &features\n").replace(
        "legal:", "  en:\n    shortDescription: Case handling.\n    features: *features\nlegal:"
    )
    document = validate(text)
    assert document.valid and document.data["description"]["en"]["features"] == ["Opret og fordel sager"]


def test_a_file_of_more_than_ten_thousand_lines_is_not_read():
    document = validate(VALID + "# kommentar\n" * 10_000)
    assert document.data is None and "10000 lines" in str(document.errors[0].text)


def test_a_file_over_one_mib_is_not_read():
    document = validate("name: x\n" + "# " + "x" * MAX_BYTES + "\n")
    assert document.data is None and "1024 KiB" in str(document.errors[0].text)


# --- Writing ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_a_dumped_example_reads_back_as_it_was(path):
    document = validate(path.read_text(encoding="utf-8"))
    text = dump(document.data)
    again = validate(text)
    assert again.data == document.data and again.valid
    assert text.startswith("publiccodeYmlVersion:")


def test_dump_writes_the_standards_key_order_and_the_current_version():
    data = {
        "localisation": {"availableLanguages": ["da"], "localisationReady": True},
        "name": "OS2test",
        "description": {"da": {"features": ["Et"], "shortDescription": "Kort."}},
        "maintenance": {"contacts": [{"email": "a@b.dk", "name": "A"}], "type": "community"},
    }
    text = dump(data)
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith(" ")]
    assert keys == ["publiccodeYmlVersion", "name", "description", "maintenance", "localisation"]
    assert text.index("shortDescription") < text.index("features")
    assert text.index("type: community") < text.index("contacts") and text.index("name: A") < text.index("email")
    assert validate(text).version == CURRENT_VERSION


def test_dump_writes_long_texts_as_literal_blocks_in_utf_8_and_quotes_what_would_read_otherwise():
    data = {
        "publiccodeYmlVersion": "0.5.0",
        "name": "Løsning æøå",
        "softwareVersion": "1.10",
        "usedBy": ["yes", "null", "2024-01-01"],
        "description": {
            "da": {
                "shortDescription": "En kort beskrivelse på én linje, som alligevel er længere end firs tegn, "
                "uden linjeskift.",
                "longDescription": "Første linje.\nAnden linje med **fed** skrift.\n",
            }
        },
    }
    text = dump(data)
    assert "Løsning æøå" in text and "longDescription: |" in text and "shortDescription: |-" in text
    assert validate(text).data == data


# --- The scanner's check --------------------------------------------------------------------------------------


def test_the_check_passes_a_valid_file_with_its_warnings_in_the_details(tmp_path):
    build(tmp_path, {"publiccode.yml": VALID.replace("    - DK", "    - dk")})
    finding = findings(tmp_path, "publiccode-yml")
    assert finding.outcome == "pass" and finding.criteria == ["F5", "G1"]
    assert finding.details["version"] == "0.5.0" and finding.details["errors"] == []
    assert [warning["key"] for warning in finding.details["warnings"]] == ["intendedAudience.countries[0]"]
    assert "write the country code in capitals (DK)" in finding.message


def test_the_check_fails_with_the_first_errors_as_evidence_with_their_lines(tmp_path):
    text = (
        VALID.replace("name: OS2test", "name: [a]")
        .replace("developmentStatus: stable", "developmentStatus: done")
        .replace('"2027-12-31"', "snart")
    )
    build(tmp_path, {"publiccode.yml": text})
    finding = findings(tmp_path, "publiccode-yml")
    assert finding.outcome == "fail"
    lines = [2, line_of(text, "developmentStatus"), line_of(text, "until:")]
    assert [(evidence.path, evidence.line) for evidence in finding.evidence] == [("publiccode.yml", n) for n in lines]
    assert [error["key"] for error in finding.details["errors"]] == [
        "name",
        "developmentStatus",
        "maintenance.contractors[0].until",
    ]
    assert "name must be text" in finding.message and "maintenance.contractors[0].until" in finding.message


def test_the_check_names_at_most_five_errors_but_details_all(tmp_path):
    build(tmp_path, {"publiccode.yml": "name: OS2test\n"})
    finding = findings(tmp_path, "publiccode-yml")
    assert finding.message.count(";") == PUBLICCODE_ERRORS_IN_MESSAGE - 1
    assert len(finding.details["errors"]) > PUBLICCODE_ERRORS_IN_MESSAGE


def test_the_command_line_reports_the_errors_with_their_lines(tmp_path, capsys):
    text = VALID.replace("license: MPL-2.0", "license: Frit")
    build(tmp_path, {"publiccode.yml": text})
    assert main([str(tmp_path), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    finding = next(f for f in printed["findings"] if f["check"] == "publiccode-yml")
    assert finding["outcome"] == "fail"
    assert finding["evidence"] == [{"path": "publiccode.yml", "line": line_of(text, "license:")}]
    assert finding["details"]["errors"][0]["key"] == "legal.license"


def test_the_check_refuses_a_file_it_cannot_read(tmp_path):
    build(tmp_path, {"publiccode.yml": b"\x00\x01binary"})
    finding = findings(tmp_path, "publiccode-yml")
    assert finding.outcome == "fail" and "cannot be read" in finding.message
