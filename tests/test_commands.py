"""Management commands for operations: issue_token and create_organisation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from os2hub.accounts.models import ApiToken, Membership, Organisation
from os2hub.accounts.services import api_token_authenticate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


# --- issue_token ------------------------------------------------------------------------------------------


def test_issue_token_prints_a_token_that_authenticates_the_user(people):
    raw, note = run("issue_token", "leverandoer@example.dk", "--name", "CI pipeline")
    assert raw.startswith(ApiToken.PREFIX) and "\n" not in raw
    assert api_token_authenticate(raw) == people.supplier_admin
    token = ApiToken.objects.get(user=people.supplier_admin)
    assert token.name == "CI pipeline"
    assert token.token_hash != raw and raw not in token.token_hash
    assert "leverandoer@example.dk" in note


def test_issue_token_finds_the_user_whatever_the_case_of_the_address(people):
    raw, _note = run("issue_token", "Leverandoer@Example.DK")
    assert api_token_authenticate(raw) == people.supplier_admin


def test_issue_token_gives_a_new_token_each_time(people):
    first, _ = run("issue_token", "leverandoer@example.dk")
    second, _ = run("issue_token", "leverandoer@example.dk")
    assert first != second
    assert ApiToken.objects.filter(user=people.supplier_admin).count() == 2


def test_the_issued_token_works_against_the_api(client, people):
    raw, _note = run("issue_token", "sekretariat@example.dk")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["email"] == "sekretariat@example.dk"


def test_issue_token_refuses_an_unknown_email_address(people):
    with pytest.raises(CommandError, match="nobody@example.dk"):
        run("issue_token", "nobody@example.dk")
    assert not ApiToken.objects.exists()


def test_issue_token_exits_non_zero_for_an_unknown_email_address(people):
    # Run as from a shell: CommandError becomes a message on stderr and exit status 1.
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "issue_token", "nobody@example.dk"])
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info, pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stderr", err)
        utility.execute()
    assert exit_info.value.code == 1
    assert "nobody@example.dk" in err.getvalue()


def test_issue_token_refuses_a_deactivated_user(people):
    people.outsider.is_active = False
    people.outsider.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("issue_token", "outsider@example.dk")


# --- create_organisation ----------------------------------------------------------------------------------


def test_create_organisation_prints_the_slug_of_the_new_organisation(people):
    slug, _ = run("create_organisation", "--kind", "authority", "--name", "Vejle Kommune", "--cvr", "29189854",
                  "--ean", "5798000000001")  # fmt: skip
    assert slug == "vejle-kommune"
    org = Organisation.objects.get(slug=slug)
    assert (org.kind, org.name, org.cvr, org.ean) == ("authority", "Vejle Kommune", "29189854", "5798000000001")


def test_create_organisation_makes_the_named_user_admin(people):
    slug, _ = run("create_organisation", "--kind", "supplier", "--name", "Ny Leverandør ApS",
                  "--admin", "outsider@example.dk")  # fmt: skip
    membership = Membership.objects.get(organisation__slug=slug)
    assert membership.user == people.outsider and membership.role == "admin"


def test_create_organisation_gives_a_free_slug_when_the_name_is_taken(people):
    slug, _ = run("create_organisation", "--kind", "authority", "--name", "Aarhus")
    assert slug == "aarhus-2"


def test_create_organisation_refuses_an_invalid_cvr_number(people):
    with pytest.raises(CommandError, match="--cvr"):
        run("create_organisation", "--kind", "supplier", "--name", "Fejl ApS", "--cvr", "12345678")
    assert not Organisation.objects.filter(name="Fejl ApS").exists()


def test_create_organisation_refuses_a_cvr_number_in_use(people):
    with pytest.raises(CommandError, match="cvr"):
        run("create_organisation", "--kind", "supplier", "--name", "Kopi ApS", "--cvr", "13748136")


def test_create_organisation_refuses_an_invalid_ean_number(people):
    with pytest.raises(CommandError, match="--ean"):
        run("create_organisation", "--kind", "authority", "--name", "Ny Kommune", "--ean", "123")


def test_create_organisation_refuses_an_unknown_kind(people):
    with pytest.raises(CommandError):
        run("create_organisation", "--kind", "club", "--name", "Klubben")


def test_create_organisation_refuses_an_unknown_admin_and_creates_nothing(people):
    with pytest.raises(CommandError, match="nobody@example.dk"):
        run("create_organisation", "--kind", "supplier", "--name", "Ingen ApS", "--admin", "nobody@example.dk")
    assert not Organisation.objects.filter(name="Ingen ApS").exists()


def test_create_organisation_refuses_an_empty_name(people):
    with pytest.raises(CommandError, match="--name"):
        run("create_organisation", "--kind", "authority", "--name", "  ")
