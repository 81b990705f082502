"""Vendor concentration counts organisations, not e-mail domains: a company that commits from its old and new
domains and from a subsidiary is one organisation when the mapping (`--organisations FILE`, or OS2hub's
verified partner domains) says so."""

import json

import pytest

from os2hub.scanner.checks import run_checks
from os2hub.scanner.cli import main
from os2hub.scanner.organisations import Organisations, OrganisationsError, load, normalise_domain, parse
from os2hub.scanner.repository import Repository

from .test_checks import commit_as

ONE_COMPANY = {"old.dk": "Firma A/S", "new.dk": "Firma A/S"}


def vendor(root, organisations=None):
    [finding] = run_checks(Repository(root, organisations=organisations), only={"vendor-concentration"})
    return finding


@pytest.fixture
def company_repo(tmp_path):
    """Twenty commits by one company from three domains (old, new and a subsidiary), one by a municipality,
    and personal and noreply commits that count for nobody."""
    root = tmp_path / "repo"
    for i in range(20):
        commit_as(root, f"dev{i % 4}@" + ["old.dk", "new.dk", "sub.new.dk", "NEW.DK"][i % 4])
    commit_as(root, "a@aarhus.dk")
    commit_as(root, "someone@gmail.com")
    commit_as(root, "123+x@users.noreply.github.com")
    return root


def test_it_counts_domains_as_separate_organisations_without_a_mapping(company_repo):
    finding = vendor(company_repo)
    assert finding.outcome == "pass"
    assert finding.details["organisations"] == 3  # old.dk, new.dk (with sub.new.dk), aarhus.dk
    assert finding.details["top_organisation"] == "new.dk"
    assert finding.details["top_domains"] == ["new.dk", "sub.new.dk"]


def test_it_fails_when_the_domains_are_one_company(company_repo):
    finding = vendor(company_repo, Organisations(ONE_COMPANY))
    assert finding.outcome == "fail"
    details = finding.details
    assert (details["top_organisation"], details["top_share"], details["organisations"]) == ("Firma A/S", 0.952, 2)
    assert details["top_domains"] == ["new.dk", "old.dk", "sub.new.dk"]
    assert details["by_organisation"] == [["Firma A/S", 20], ["aarhus.dk", 1]]
    assert finding.message.startswith("Firma A/S wrote 95%")
    assert finding.template["params"]["organisation"] == "Firma A/S"


def test_it_passes_when_the_mapping_shows_several_companies(tmp_path):
    root = tmp_path / "repo"
    for i in range(12):
        commit_as(root, ["a@old.dk", "b@new.dk", "c@sub.new.dk"][i % 3])
    mapping = Organisations({"old.dk": "Gammel ApS", "new.dk": "Ny A/S"})
    finding = vendor(root, mapping)
    assert finding.outcome == "pass"
    assert finding.details["by_organisation"] == [["Ny A/S", 8], ["Gammel ApS", 4]]
    assert "Ny A/S" in finding.message


def test_personal_and_noreply_mail_stay_out_even_when_mapped(tmp_path):
    root = tmp_path / "repo"
    for i in range(12):
        commit_as(root, ["x@gmail.com", "y@users.noreply.github.com"][i % 2])
    mapping = Organisations({"gmail.com": "Google", "github.com": "GitHub"})
    assert vendor(root, mapping).outcome == "not_applicable"


def test_a_domain_matches_its_subdomains_case_insensitively_and_in_both_idna_forms():
    mapping = Organisations({"Magenta.DK": "Magenta ApS", "blåbær.dk": "Bær", "dev.magenta.dk": "Magenta Dev"})
    assert mapping.name_for("mail.magenta.dk") == "Magenta ApS"
    assert mapping.name_for("MAGENTA.dk.") == "Magenta ApS"
    assert mapping.name_for("x.dev.magenta.dk") == "Magenta Dev"  # the nearest mapped parent wins
    assert mapping.name_for("notmagenta.dk") is None
    assert mapping.name_for("xn--blbr-roah.dk") == "Bær"
    assert mapping.name_for("post.BLÅBÆR.dk") == "Bær"
    assert mapping.name_for("not a domain") is None


@pytest.mark.parametrize(
    "text, problem",
    [
        ("udvikler@magenta.dk", "e-mail address"),
        ("https://magenta.dk", "address"),
        ("magenta.dk/kontakt", "address"),
        ("magenta", "not a valid domain"),
        ("magenta..dk", "not a valid domain"),
        ("-magenta.dk", "not a valid domain"),
        ("10.0.0.1", "IP address"),
        ("", "empty"),
    ],
)
def test_it_refuses_what_is_not_a_domain(text, problem):
    with pytest.raises(OrganisationsError, match=problem):
        normalise_domain(text)


def test_the_text_form_reads_both_separators_and_comments():
    mapping = parse("# Firma's domains\n\nold.dk = Firma A/S\nnew.dk,Firma A/S\nfirma.com = Firma A/S, Aarhus\n")
    assert len(mapping) == 3
    assert mapping.name_for("firma.com") == "Firma A/S, Aarhus"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("# ok\nold.dk Firma\n", "line 2: expected 'domain = organisation'"),
        ("old.dk = Firma\nnew.dk =\n", "line 2: the organisation of 'new.dk' has no name"),
        ("old.dk = Firma\n\nx@new.dk = Firma\n", "line 3: 'x@new.dk' is an e-mail address"),
        ("old.dk = A\nOLD.dk = B\n", "line 2: old.dk is already mapped on line 1"),
        ('{"old.dk": "A",\n "new.dk": }', "line 2: not valid JSON"),
        ('{"old.dk": "A",\n "https://new.dk": "B"}', "line 2: 'https://new.dk' is an address"),
        ('{"old.dk": 3}', "must be a name"),
        ('["old.dk"]', "must be one object"),
    ],
)
def test_a_bad_mapping_names_the_line(text, problem):
    with pytest.raises(OrganisationsError) as caught:
        parse(text)
    assert problem in str(caught.value)


def test_a_missing_or_binary_file_is_a_clear_error(tmp_path):
    with pytest.raises(OrganisationsError, match="no such file"):
        load(tmp_path / "missing.json")
    with pytest.raises(OrganisationsError, match="is a folder"):
        load(tmp_path)
    (tmp_path / "bad.txt").write_bytes(b"old.dk = Firma\n\xff\xfe = x\n")
    with pytest.raises(OrganisationsError, match="line 2: not UTF-8"):
        load(tmp_path / "bad.txt")


def test_the_command_line_reads_a_json_mapping(company_repo, tmp_path, capsys):
    mapping = tmp_path / "organisations.json"
    mapping.write_text(json.dumps(ONE_COMPANY), encoding="utf-8")
    assert main([str(company_repo), "--format", "json", "--organisations", str(mapping)]) == 0
    result = json.loads(capsys.readouterr().out)
    [finding] = [f for f in result["findings"] if f["check"] == "vendor-concentration"]
    assert finding["outcome"] == "fail"
    assert finding["details"]["top_organisation"] == "Firma A/S"
    assert finding["details"]["top_domains"] == ["new.dk", "old.dk", "sub.new.dk"]


def test_the_command_line_reads_a_text_mapping(company_repo, tmp_path, capsys):
    mapping = tmp_path / "organisations.txt"
    mapping.write_text("# Firma A/S\nold.dk = Firma A/S\nnew.dk = Firma A/S\n", encoding="utf-8")
    assert main([str(company_repo), "--organisations", str(mapping)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "vendor-concentration" in line)
    assert line.split()[0] == "FAIL" and "Firma A/S wrote 95%" in line
    # Without the mapping the same repository passes.
    assert main([str(company_repo)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "vendor-concentration" in line)
    assert line.split()[0] == "PASS"


@pytest.mark.parametrize(
    "content, problem",
    [(None, "no such file"), ("old.dk Firma\n", "line 1: expected"), ('{"a.dk": ', "line 1: not valid JSON")],
)
def test_the_command_line_exits_2_for_a_bad_mapping_file(company_repo, tmp_path, capsys, content, problem):
    mapping = tmp_path / "organisations.txt"
    if content is not None:
        mapping.write_text(content, encoding="utf-8")
    assert main([str(company_repo), "--organisations", str(mapping)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("os2hub-scan: --organisations ") and problem in captured.err
    assert "Traceback" not in captured.err
