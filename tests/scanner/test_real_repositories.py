"""Cases from real OS2 repositories (tests/scanner/data/real_os2_repositories.md) that the scanner judged
differently from a careful reviewer."""

import json

import pytest

from os2hub.scanner import spdx

from .test_checks import build, findings


@pytest.mark.parametrize("text", ["Apache License, Version 2.0", "Copyright (c) 2020, Aarhus Kommune"])
def test_free_text_with_a_comma_is_no_expression_and_no_crash(text):
    assert spdx.parse(text) is None


def test_a_licence_file_that_is_only_a_copyright_line_fails_instead_of_erroring(tmp_path):
    build(tmp_path, {"LICENSE": "Copyright (c) 2020, Aarhus Kommune\nAll rights reserved.\n"})
    assert findings(tmp_path, "license").outcome == "fail"


def test_a_licence_named_by_its_full_name_in_package_json_is_recognised(tmp_path):
    # OS2iot-backend: "license": "Mozilla Public License Version 2.0"
    metadata = {"name": "os2iot-backend", "license": "Mozilla Public License Version 2.0"}
    build(tmp_path, {"package.json": json.dumps(metadata)})
    finding = findings(tmp_path, "license")
    assert (finding.outcome, finding.details["spdx"]) == ("pass", "MPL-2.0")


def test_proprietary_in_package_metadata_still_fails(tmp_path):
    build(tmp_path, {"composer.json": json.dumps({"license": "proprietary"})})
    assert findings(tmp_path, "license").outcome == "fail"


@pytest.mark.parametrize("path", ["appveyor.yml", ".appveyor.yml", ".travis.yml", ".drone.yml"])
def test_hosted_ci_services_count_as_ci(tmp_path, path):
    # os2kitos/kitos builds and tests on AppVeyor (appveyor.yml)
    build(tmp_path, {path: "build: off\n"})
    assert findings(tmp_path, "ci").outcome == "pass"


@pytest.mark.parametrize(
    "path", ["DeploymentScripts/DeployWebsite.ps1", "ADSync/Installer/setup.iss", "deploy.sh", "installer/Product.wxs"]
)
def test_powershell_deploy_scripts_and_windows_installers_are_scripted_set_ups(tmp_path, path):
    build(tmp_path, {path: "echo"})
    assert findings(tmp_path, "install-script").outcome == "pass"


def test_a_compose_file_that_only_starts_a_database_is_no_set_up_of_the_solution(tmp_path):
    # OS2rollekatalog: docker/mariadb/docker-compose.yml starts MariaDB for development
    build(tmp_path, {"docker/mariadb/docker-compose.yml": "services:\n  db:\n    image: mariadb:10.6.14\n"})
    assert findings(tmp_path, "install-script").outcome == "fail"


def test_a_compose_file_that_builds_the_solution_is_a_set_up(tmp_path):
    build(tmp_path, {"docker-compose.yml": "services:\n  api:\n    build: ./\n  db:\n    image: postgres:16\n"})
    assert findings(tmp_path, "install-script").outcome == "pass"


def test_setup_as_a_verb_in_a_heading_is_no_implementation_documentation(tmp_path):
    # OS2iot-backend: os2iot-to-thingsboard.md, "## Step three: Test if the integration is setup correctly"
    build(tmp_path, {"example.md": "# Example\n\n## Step three: Test if the integration is setup correctly\n"})
    assert findings(tmp_path, "implementation-docs").outcome == "fail"
    build(tmp_path, {"example.md": "# Example\n\n## Development setup\n"})
    assert findings(tmp_path, "implementation-docs").outcome == "pass"


def test_licence_boilerplate_and_badges_are_no_description_of_the_purpose(tmp_path):
    # os2kitos/kitos: README.md is a copyright line, the MPL notice, badges and a link
    readme = (
        "# OS2KITOS\n\nThe OS2KITOS was programmed by IT Minds ApS (http://it-minds.dk)\n"
        "for OS2 - Offentligt digitaliseringsfællesskab (http://os2web.dk).\n\n"
        "Copyright (c) 2014, OS2 - Offentligt digitaliseringsfællesskab.\n\n"
        "The OS2KITOS is free software; you may use, study, modify and\ndistribute it under the terms of version "
        "2.0 of the Mozilla Public\nLicense. See the LICENSE file for details. If a copy of the MPL was not\n"
        "distributed with this file, You can obtain one at\nhttp://mozilla.org/MPL/2.0/.\n\n"
        "All source code in this and the underlying directories is subject to\nthe terms of the Mozilla Public "
        "License, v. 2.0.\n\n[![Build status](https://ci.appveyor.com/x.svg)](https://ci.appveyor.com/project/x) "
        "[![codecov.io](https://codecov.io/x.svg)](https://codecov.io/x)\n\n"
        "## Documentation\n\n[Technical documentation](https://github.com/os2kitos/kitos/blob/master/DOCUMENTATION.md)\n"
    )
    build(tmp_path, {"README.md": readme})
    assert findings(tmp_path, "purpose-described").outcome == "fail"


@pytest.mark.parametrize("path", ["Tests.Integration.Presentation.Web/Advice/AdviceTest.cs", "Kitos.Tests/FooTest.cs"])
def test_dotnet_test_projects_count_as_tests(tmp_path, path):
    build(tmp_path, {path: "public class AdviceTest {}"})
    assert findings(tmp_path, "tests").outcome == "pass"


@pytest.mark.parametrize("heading", ["Production setup", "Upgrade Guide", "Drift og overvågning", "Opgradering"])
def test_production_and_upgrade_sections_are_operations_documentation(tmp_path, heading):
    # os2display/display-api-service README.md: "## Production setup", "## Upgrade Guide"
    build(tmp_path, {"README.md": f"# OS2Display\n\n## {heading}\n"})
    assert findings(tmp_path, "operations-docs").outcome == "pass"


def test_issue_tracking_does_not_apply_to_a_folder_without_history_or_templates(tmp_path):
    build(tmp_path, {"README.md": "# x\n"})
    assert findings(tmp_path, "issue-tracking").outcome == "not_applicable"
    build(tmp_path, {".github/ISSUE_TEMPLATE/fejl.md": "---\nname: Fejl\n---\n"})
    assert findings(tmp_path, "issue-tracking").outcome == "pass"


@pytest.mark.parametrize("path", ["ui/config/security/samlKeystore.pfx", "doc/OPUS/test-cert.p12", "deploy/id_rsa"])
def test_key_stores_and_private_key_files_are_secrets_by_their_kind(tmp_path, path):
    # os2sofd: ui/config/security/samlKeystore.pfx
    build(tmp_path, {path: b"\x30\x82\x0a\x00binary", "deploy/id_rsa.pub": "ssh-ed25519 AAAA test"})
    finding = findings(tmp_path, "secrets")
    assert finding.outcome == "fail" and [e.path for e in finding.evidence] == [path]
    assert "key store or private key file" in finding.details["kinds"]


def test_a_document_on_batch_runs_is_operations_documentation(tmp_path):
    # os2sofd: doc/SOFD Core - Batchkørsler.docx (batch runs, a drift topic)
    build(tmp_path, {"doc/SOFD Core - Batchkørsler.docx": b"PK", "doc/SOFD Core - Datamodel.pptx": b"PK"})
    finding = findings(tmp_path, "operations-docs")
    assert finding.outcome == "pass" and [e.path for e in finding.evidence] == ["doc/SOFD Core - Batchkørsler.docx"]


def test_os2s_governance_table_is_read_for_the_purpose_and_a_user_named_in_passing_is_not(tmp_path):
    # OS2rollekatalog: the purpose is in the governance table's rows R1/R2 (it passed on a word count before)
    build(
        tmp_path,
        {
            "README.md": "# OS2rollekatalog\n\n| # | Krav | Henvisning |\n| --- | --- | --- |\n"
            "| R1 | Løsningen skaber lokal værdi | Løsningen hjælper autorisationsansvarlige og ledere med at holde "
            "styr på at medarbejdere har de korrekte roller og rettigheder på tværs af systemer |\n"
        },
    )
    assert findings(tmp_path, "purpose-described").details["basis"] == "prose"
    # OS2agora-API: "The frontend for employees is located in Github" says where code is, not what it does for whom
    build(
        tmp_path,
        {
            "README.md": "# OS2AGORA - Hearing portal\n\nThis repository is the API and backend used in the OS2AGORA "
            "project. The repository is part of the solution, which also consists of two frontends.\n\n"
            "The frontend for employees is located in [Github](https://github.com/OS2agora/Agora-Internal-UI)\n"
        },
    )
    assert findings(tmp_path, "purpose-described").outcome == "fail"
