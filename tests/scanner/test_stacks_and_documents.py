"""The scanner finds tests in every stack OS2's solutions use and judges documentation by what it says: test
files by each language's conventions (and not a `test` folder of fixtures), setup guides as operations
documentation, Danish titles inside .docx/.odt/.pdf files, and a README's purpose by its prose."""

import io
import zipfile

import pytest

from os2hub.scanner.repository import Repository

from .test_checks import build, docx, findings

# --- Tests in every stack -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "files, stack",
    [
        ({"polls/tests.py": "from django.test import TestCase\n"}, "python"),
        ({"polls/tests/__init__.py": "", "polls/tests/views.py": "class ViewTests: ..."}, "python"),
        ({"tests/test_api.py": "def test_it(): ..."}, "python"),
        ({"src/os2x/api_test.py": "def test_it(): ..."}, "python"),
        ({"conftest.py": "import pytest\n"}, "python"),
        ({"pytest.ini": "[pytest]\naddopts = -q\n"}, "python"),
        ({"pyproject.toml": "[project]\nname = 'x'\n\n[tool.pytest.ini_options]\naddopts = '-q'\n"}, "python"),
        ({"tox.ini": "[testenv]\ncommands = pytest {posargs}\n"}, "python"),
        ({"ui/src/test/java/dk/digitalidentity/RoleTest.java": "class RoleTest {}"}, "java"),
        ({"app/src/test/kotlin/dk/os2/Checks.kt": "class Checks"}, "kotlin"),
        ({"Kitos.Tests/Kitos.Tests.csproj": "<Project Sdk='Microsoft.NET.Sdk' />"}, "dotnet"),
        ({"Checks/Checks.csproj": "<Project><PackageReference Include='xunit' /></Project>"}, "dotnet"),
        ({"src/Core.UnitTests/UserServiceTests.cs": "public class UserServiceTests {}"}, "dotnet"),
        ({"phpunit.xml.dist": "<phpunit/>", "tests/Api/ScreenTest.php": "<?php class ScreenTest {}"}, "php"),
        ({"src/app/app.component.spec.ts": "describe('app', () => {})"}, "javascript"),
        ({"src/utils/date.test.js": "test('x', () => {})"}, "javascript"),
        ({"src/__tests__/login.jsx": "it('logs in', () => {})"}, "javascript"),
        ({"test/app.e2e-spec.ts": "describe('app', () => {})", "test/jest-e2e.json": "{}"}, "javascript"),
        ({"cypress.config.ts": "export default {}", "cypress/e2e/login.cy.ts": "cy.visit('/')"}, "javascript"),
        ({"playwright.config.ts": "export default {}", "e2e/login.ts": "test('x', async () => {})"}, "javascript"),
        ({"vitest.config.ts": "export default {}"}, "javascript"),
        ({"jest.config.js": "module.exports = {}"}, "javascript"),
        ({"pkg/address/address_test.go": "package address"}, "go"),
        ({"spec/models/user_spec.rb": "describe User do\nend\n"}, "ruby"),
    ],
)
def test_it_finds_the_tests_of_each_stack(tmp_path, files, stack):
    build(tmp_path, {"README.md": "# x\n", **files})
    finding = findings(tmp_path, "tests")
    assert finding.outcome == "pass", finding.message
    assert finding.details["stacks"] == [stack]
    assert {e.path for e in finding.evidence} <= set(files)


@pytest.mark.parametrize(
    "files",
    [
        {"test/fixtures/borger.json": "{}", "test/data/adresser.csv": "vej,nr\n"},
        {"test/.gitkeep": ""},
        {"tests/__init__.py": ""},
        {"tests/README.md": "Tests kommer senere."},
        {"pkg/parser/testdata/input.go": "package main"},
        {"latest/app.py": "print('x')", "contest/app.py": "print('x')", "test.txt": "hej"},
        {"src/test/resources/application.properties": "a=b"},
        {"src/main/java/dk/os2/Latest.java": "class Latest {}", "src/Contests/Contest.cs": "class Contest {}"},
        {"tox.ini": "[flake8]\nmax-line-length = 120\n"},
        {"e2e/login.ts": "export const page = 1;"},
        {"cypress/support/commands.js": "Cypress.Commands.add('x', () => {})"},
        {"spec/openapi.yaml": "openapi: 3.0.0"},
        {"node_modules/lodash/test/test.js": "x", "vendor/guzzle/tests/ClientTest.php": "x"},
        {"tests/bootstrap.php": "<?php"},
    ],
)
def test_it_does_not_count_what_is_not_a_test(tmp_path, files):
    build(tmp_path, {"README.md": "# x\n", "src/app.py": "print('x')", **files})
    finding = findings(tmp_path, "tests")
    assert finding.outcome == "fail", finding.evidence
    assert finding.details["files"] == 0 and finding.details["stacks"] == []


def test_it_names_a_test_folder_without_test_code_in_the_failure(tmp_path):
    build(tmp_path, {"test/fixtures/borger.json": "{}"})
    finding = findings(tmp_path, "tests")
    assert finding.outcome == "fail"
    assert "test/ holds no test code" in finding.message
    assert [e.path for e in finding.evidence] == ["test/"]


def test_it_says_which_stacks_have_tests_and_shows_one_file_per_test_folder(tmp_path):
    build(
        tmp_path,
        {
            **{f"backend/tests/test_{n}.py": "def test_it(): ..." for n in range(30)},
            "frontend/src/app.spec.ts": "describe('x', () => {})",
            "frontend/src/list.spec.ts": "describe('x', () => {})",
            "pytest.ini": "[pytest]\n",
        },
    )
    finding = findings(tmp_path, "tests")
    assert finding.outcome == "pass"
    assert finding.details["stacks"] == ["javascript", "python"]
    assert finding.details["files"] == 32
    assert finding.details["set_up"] == ["pytest.ini"]
    assert [e.path for e in finding.evidence] == ["backend/tests/test_0.py", "frontend/src/app.spec.ts", "pytest.ini"]
    assert "JavaScript/TypeScript, Python" in finding.message and "32 test file(s)" in finding.message


# --- Documentation by content: names, titles inside documents ------------------------------------------------


def docx_with_heading(heading: str, style: str = "Overskrift1") -> bytes:
    """A .docx without a title in its metadata, whose body begins with a cover line and then a heading."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="x"/>')
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Version 1.2</w:t></w:r></w:p>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{heading}</w:t></w:r></w:p></w:body>'
            "</w:document>",
        )
    return buffer.getvalue()


def odt(title: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "meta.xml",
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
            f"<dc:title>{title}</dc:title></office:meta></office:document-meta>",
        )
    return buffer.getvalue()


def pdf(title: str, *, hex_utf16=False, padding=0) -> bytes:
    """A small PDF whose document information dictionary has the title (as a literal or a UTF-16 hex string)."""
    string = (
        b"<FEFF" + title.encode("utf-16-be").hex().upper().encode() + b">"
        if hex_utf16
        else b"(" + title.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    )
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Outlines 3 0 R >>\nendobj\n"
        b"3 0 obj\n<< /Title (Indhold) >>\nendobj\n" + b"% " + b"x" * padding + b"\n"
        b"7 0 obj\n<< /Producer (Word) /Title " + string + b" >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R /Info 7 0 R >>\n%%EOF\n"
    )


def pdf_with_xmp(title: str) -> bytes:
    return (
        b"%PDF-1.7\n" + b"%" + b"x" * 200_000 + b"\n5 0 obj\n<< /Type /Metadata /Subtype /XML >>\nstream\n"
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description><dc:title><rdf:Alt>'
        b'<rdf:li xml:lang="x-default">' + title.encode() + b"</rdf:li></rdf:Alt></dc:title>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


@pytest.mark.parametrize("path", ["HowToSetup.md", "docs/InstallationGuide.docx", "doc/Opsætning.md"])
def test_a_setup_or_installation_guide_is_operations_and_implementation_documentation(tmp_path, path):
    build(tmp_path, {path: "# Sådan sættes løsningen op på serveren\n" if path.endswith(".md") else b"PK"})
    for check_id in ("operations-docs", "implementation-docs"):
        finding = findings(tmp_path, check_id)
        assert finding.outcome == "pass", (check_id, finding.message)
        assert finding.evidence[0].path == path and finding.details["basis"] == "name"


def test_a_guide_to_a_developers_set_up_is_no_operations_documentation(tmp_path):
    # OS2faktor-Login: HowToSetup.md is "How to setup a development environment for OS2faktor"
    build(tmp_path, {"HowToSetup.md": "# How to setup a development environment\n\n## setup OS2faktor MFA\n"})
    assert findings(tmp_path, "operations-docs").outcome == "fail"
    assert findings(tmp_path, "implementation-docs").outcome == "pass"


@pytest.mark.parametrize(
    "path, content",
    [
        ("doc/Dokument1.docx", docx("Driftsvejledning")),
        ("doc/Dokument2.docx", docx("Vejledning til batchjobs")),
        ("doc/Bilag 3.odt", odt("Driftshåndbog for OS2test")),
        ("doc/bilag.pdf", pdf("Vejledning til batchjobs")),
        ("doc/bilag.pdf", pdf("Driftsvejledning (version 2)", hex_utf16=True, padding=100_000)),
        ("doc/bilag.pdf", pdf_with_xmp("Runbook for OS2test")),
        ("doc/SOFD Core - Bilag.docx", docx_with_heading("SOFD Core - Batchkørsler")),
        ("doc/skabelon.docx", docx_with_heading("Kørsler og jobs", style="Heading1")),
    ],
)
def test_a_danish_title_inside_a_document_counts_as_operations_documentation(tmp_path, path, content):
    build(tmp_path, {path: content})
    finding = findings(tmp_path, "operations-docs")
    assert finding.outcome == "pass", Repository(tmp_path).office_title(path)
    assert finding.evidence[0].path == path and finding.details["basis"] == "title"


def test_a_pdf_outline_title_is_not_the_documents_title(tmp_path):
    build(tmp_path, {"doc/a.pdf": pdf("Brugermanual")})
    assert Repository(tmp_path).office_title("doc/a.pdf") == "Brugermanual"  # not the outline's "Indhold"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4",
        b"not a pdf at all, just a name",
        b"%PDF-1.4\ntrailer << /Info 9 0 R >>\n9 0 obj << /Title (unterminated \\",
        b"%PDF-1.4\ntrailer << /Info 9 0 R >>\n9 0 obj << /Title <ZZ-not-hex> >> endobj",
        b"%PDF-1.4\ntrailer << /Info 9 0 R /Encrypt 4 0 R >>\n9 0 obj << /Title (\x01\x02\x8f\xff) >> endobj",
        b"%PDF-1.4\n" + b"\x00\xff" * 200_000,
    ],
)
def test_a_fake_or_broken_pdf_has_no_title_and_breaks_nothing(tmp_path, content):
    build(tmp_path, {"doc/Manual.pdf": content, "doc/drift.pdf": content})
    assert Repository(tmp_path).office_title("doc/Manual.pdf") == ""
    assert findings(tmp_path, "operations-docs").outcome == "pass"  # by its name
    assert findings(tmp_path, "security-docs").outcome == "fail"


def test_a_docx_body_is_read_only_for_its_first_heading_and_never_with_entities(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="x"/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "Drift">]><w:document>&a;</w:document>',
        )
    build(tmp_path, {"doc/a.docx": buffer.getvalue(), "doc/b.docx": docx_with_heading("x" * 5, style="Normal")})
    repo = Repository(tmp_path)
    assert repo.office_title("doc/a.docx") == ""
    assert repo.office_title("doc/b.docx") == ""  # a paragraph that is no heading


# --- Documentation by content: the README's purpose ---------------------------------------------------------

BUILD_AND_ENDPOINTS = """# OS2iot backend

[![Build](https://github.com/OS2iot/x/badge.svg)](https://github.com/OS2iot/x/actions)

## Build

```sh
npm install
npm run build
```

## Run

    docker compose up -d

## Endpoints

| Method | Path | Description |
| --- | --- | --- |
| GET | /api/v1/devices | List devices |
| POST | /api/v1/devices | Create a device |

Run `npm run test` for the tests.
"""


def test_a_readme_of_build_commands_and_endpoints_is_technical_documentation_not_a_purpose(tmp_path):
    build(tmp_path, {"README.md": BUILD_AND_ENDPOINTS})
    purpose = findings(tmp_path, "purpose-described")
    assert purpose.outcome == "fail"
    assert purpose.details["basis"] is None and purpose.details["code_blocks"] == 2
    assert "technical" in purpose.message
    assert findings(tmp_path, "technical-docs").outcome == "pass"


def test_a_readme_of_commands_without_technical_headings_is_technical_documentation_by_its_content(tmp_path):
    build(tmp_path, {"README.md": "# OS2x\n\n```\nmake run\n```\n\n```\nmake test\n```\n\nRun `make lint` first.\n"})
    technical = findings(tmp_path, "technical-docs")
    assert technical.outcome == "pass" and technical.details["basis"] == "content"
    assert technical.evidence[0].path == "README.md" and technical.evidence[0].line == 3


def test_a_project_templates_readme_is_no_purpose(tmp_path):
    readme = (
        "# Getting Started with Create React App\n\n"
        "This project was bootstrapped with [Create React App](https://github.com/facebook/create-react-app).\n\n"
        "## Available Scripts\n\nIn the project directory, you can run:\n\n### `npm start`\n\n"
        "Runs the app in the development mode.\nOpen [http://localhost:3000](http://localhost:3000) to view it.\n\n"
        "## Learn More\n\nYou can learn more in the Create React App documentation.\n"
    )
    build(tmp_path, {"README.md": readme})
    finding = findings(tmp_path, "purpose-described")
    assert finding.outcome == "fail" and finding.details["template"] == "Create React App"
    assert "template" in finding.message and "Create React App" in finding.message


def test_a_danish_readme_that_says_what_the_solution_does_and_for_whom_describes_the_purpose(tmp_path):
    readme = (
        "# OS2borgerPC\n\n"
        "OS2borgerPC er en sikker og gratis løsning til borger-PC'er på biblioteker og i borgerservice. "
        "Løsningen gør det muligt for kommunerne at tilbyde borgerne adgang til computere, som nulstilles "
        "efter hver bruger.\n\n## Installation\n\n```\nsudo ./install.sh\n```\n"
    )
    build(tmp_path, {"README.md": readme})
    finding = findings(tmp_path, "purpose-described")
    assert finding.outcome == "pass", finding.details
    assert finding.details["basis"] == "prose" and "kommunerne" in finding.details["audience"]
    assert finding.evidence[0].line == 3


def test_a_purpose_heading_counts_only_with_prose_under_it(tmp_path):
    build(tmp_path, {"README.md": "# OS2x\n\n## Formål\n\nLøsningen hjælper sagsbehandlere med at behandle sager.\n"})
    finding = findings(tmp_path, "purpose-described")
    assert (finding.outcome, finding.details["basis"], finding.evidence[0].line) == ("pass", "heading", 3)
    build(tmp_path, {"README.md": "# OS2x\n\n## About\n\n```\ndocker compose up\n```\n\n- `GET /api/cases`\n"})
    assert findings(tmp_path, "purpose-described").outcome == "fail"


def test_prose_about_the_code_is_no_purpose(tmp_path):
    readme = (
        "# Backend\n\nThis is the backend. It provides a REST API used by the frontend. Users authenticate with "
        "a JWT token from Keycloak.\n\n## Development\n\nThe municipality users are synchronised by a nightly job "
        "that the developers run locally with a Docker database.\n"
    )
    build(tmp_path, {"README.md": readme})
    assert findings(tmp_path, "purpose-described").outcome == "fail"


def test_an_os2_governance_table_describing_the_value_is_a_purpose(tmp_path):
    # OS2rollekatalog: README.md is OS2's governance checklist; rows R1/R2 describe the value for municipalities
    readme = (
        "# OS2rollekatalog\n\n"
        "// Dette er OS2's governance checkliste der skal benyttes til at belyse niveauet af et OS2 produkt.\n\n"
        "|     |  #  | Krav | Henvisning | Niveau |\n| --- | --- | --- | --- | --- |\n"
        "| [x] | R1 | Løsningen skaber lokal værdi | Løsningen hjælper autorisationsansvarlige og ledere med at "
        "holde styr på at medarbejdere har de korrekte roller og rettigheder på tværs af systemer | 0 |\n"
        "| [x] | F1 | Kildekoden deles | <a href='https://github.com/OS2rollekatalog'>her</a> | 0 |\n"
    )
    build(tmp_path, {"README.md": readme})
    finding = findings(tmp_path, "purpose-described")
    assert finding.outcome == "pass" and finding.details["basis"] == "prose"
    assert finding.evidence[0].line == 7
