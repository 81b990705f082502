"""Accounts, organisations, invitations and personal API tokens."""

import pytest
from django.core import mail
from django.urls import reverse

from os2hub.accounts.models import ApiToken, Invitation, Membership
from os2hub.accounts.numbers import clean_cvr, clean_ean
from os2hub.accounts.services import api_token_authenticate


@pytest.mark.parametrize("value", ["13748136", "1374 8136", "55133018"])
def test_it_accepts_valid_cvr_numbers(value):
    assert clean_cvr(value) == value.replace(" ", "")


@pytest.mark.parametrize("value", ["12345678", "1374813", "137481360", "1374813a", ""])
def test_it_refuses_invalid_cvr_numbers(value):
    with pytest.raises(Exception, match="CVR"):
        clean_cvr(value)


def test_it_accepts_a_valid_ean():
    assert clean_ean("5798000000001") == "5798000000001"


@pytest.mark.parametrize("value", ["5798000000000", "579800000000", "57980000000011", "579800000000x"])
def test_it_refuses_an_ean_with_a_wrong_length_or_check_digit(value):
    with pytest.raises(Exception, match="EAN"):
        clean_ean(value)


def waiting_for_confirmation(organisation):
    """An authority the secretariat has not confirmed yet, whose admin may still correct its name and CVR number
    (once confirmed, they are kept: tests/test_onboarding.py)."""
    organisation.status = organisation.Status.PENDING
    organisation.save(update_fields=["status"])


def test_an_authority_admin_edits_cvr_and_ean_with_validation(people, login):
    waiting_for_confirmation(people.authority)
    client = login(people.authority_admin)
    url = reverse("accounts:organisation_edit", args=[people.authority.slug])
    response = client.post(url, {"name": "Aarhus Kommune", "cvr": "55133018", "ean": "5798000000000"})
    assert response.status_code == 200
    assert "ean" in response.context["form"].errors
    response = client.post(url, {"name": "Aarhus Kommune", "cvr": "12345678", "ean": "5798000000001"})
    assert "cvr" in response.context["form"].errors
    response = client.post(url, {"name": "Aarhus Kommune", "cvr": people.supplier_org.cvr, "ean": "5798000000001"})
    assert "cvr" in response.context["form"].errors  # already registered
    response = client.post(url, {"name": "Aarhus Kommune ", "cvr": "55133018", "ean": "5798000000001"})
    assert response.status_code == 302


def test_a_member_cannot_edit_the_organisation_and_an_outsider_cannot_see_it(people, login):
    url = reverse("accounts:organisation_edit", args=[people.supplier_org.slug])
    assert login(people.supplier_member).get(url).status_code == 403
    assert login(people.outsider).get(reverse("accounts:organisation", args=["kodekammeret"])).status_code == 404


def test_an_admin_invites_a_colleague_who_accepts(people, login, client, django_capture_on_commit_callbacks):
    admin = login(people.authority_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("accounts:organisation", args=["aarhus"]), {"email": "Outsider@Example.dk", "role": "member"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert mail.outbox[0].to == ["outsider@example.dk"]
    assert invitation.token in mail.outbox[0].body

    client.force_login(people.outsider)
    response = client.post(reverse("accounts:invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=people.outsider, organisation=people.authority, role="member").exists()
    again = client.post(reverse("accounts:invitation", args=[invitation.token]), follow=True)
    assert Membership.objects.filter(user=people.outsider).count() == 1
    assert again.status_code == 200


def test_an_invitation_is_only_for_the_invited_address(people, login):
    invitation = Invitation.objects.create(
        organisation=people.authority, email="someone@else.dk", invited_by=people.authority_admin
    )
    client = login(people.outsider)
    client.post(reverse("accounts:invitation", args=[invitation.token]))
    assert not Membership.objects.filter(user=people.outsider).exists()


def test_inviting_an_existing_member_is_refused(people, login):
    response = login(people.supplier_admin).post(
        reverse("accounts:organisation", args=["kodekammeret"]), {"email": "udvikler@example.dk", "role": "member"}
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_only_admins_can_invite(people, login):
    response = login(people.supplier_member).post(
        reverse("accounts:organisation", args=["kodekammeret"]), {"email": "x@example.dk", "role": "admin"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_last_admin_cannot_be_removed(people, login):
    client = login(people.authority_admin)
    membership = Membership.objects.get(user=people.authority_admin)
    client.post(reverse("accounts:member_remove", args=["aarhus", membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_token_is_shown_once_and_stored_only_as_a_hash(people, login):
    client = login(people.supplier_admin)
    response = client.post(reverse("accounts:profile"), {"token-name": "CI"})
    raw = response.context["new_token"]
    assert raw.startswith("os2h_")
    token = ApiToken.objects.get(user=people.supplier_admin)
    assert raw not in (token.token_hash, token.hint)
    assert api_token_authenticate(raw) == people.supplier_admin
    assert raw.encode() not in client.get(reverse("accounts:profile")).content


def test_a_revoked_token_stops_working(people, login):
    client = login(people.supplier_admin)
    raw = client.post(reverse("accounts:profile"), {"token-name": "CI"}).context["new_token"]
    token = ApiToken.objects.get()
    assert login(people.authority_admin).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    client = login(people.supplier_admin)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api_token_authenticate(raw) is None


def test_login_requires_a_verified_email(client, people, password):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=people.outsider).update(verified=False)
    response = client.post(reverse("account_login"), {"login": people.outsider.email, "password": password})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_login_with_a_verified_email_works(client, people, password):
    response = client.post(reverse("account_login"), {"login": "kommune@example.dk", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people.authority_admin.pk)


def test_signup_sends_a_verification_email(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "ny@kommune.dk", "password1": "Lang-og-sikker-2026", "password2": "Lang-og-sikker-2026"},
        )
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[0].to == ["ny@kommune.dk"]


def test_mfa_totp_setup_page_is_available(people, login):
    response = login(people.supplier_admin).get(reverse("mfa_activate_totp"))
    # A fresh login session may set up TOTP directly; otherwise allauth first asks to re-authenticate.
    if response.status_code == 302:
        assert "reauthenticate" in response["Location"]
    else:
        assert response.status_code == 200 and b"otpauth" in response.content


def test_an_openid_connect_broker_is_offered_on_the_login_page_when_configured(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "broker",
                    "name": "Kommunalt login",
                    "client_id": "os2hub",
                    "secret": "s",
                    "settings": {"server_url": "https://login.example.dk/realms/os2"},
                }
            ]
        }
    }
    body = client.get(reverse("account_login")).content.decode()
    assert "Kommunalt login" in body
    assert reverse("openid_connect_login", args=["broker"]) in body


def test_no_broker_is_offered_by_default(client, db):
    assert b"/konto/oidc/" not in client.get(reverse("account_login")).content


def test_a_cvr_number_claimed_by_a_live_application_cannot_be_taken_but_a_rejected_ones_can(people, login):
    from .personas import make_application

    # The new supplier has no CVR number of its own yet: only its draft application claims it.
    draft = make_application(people.new_supplier_org, people.new_supplier_admin, status="draft", cvr="25052943")
    waiting_for_confirmation(people.authority)
    client = login(people.authority_admin)
    url = reverse("accounts:organisation_edit", args=[people.authority.slug])
    data = {"name": "Aarhus Kommune", "cvr": "25052943", "ean": "5798000000001"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "25052943" in " ".join(response.context["form"].errors["cvr"])
    draft.status = "rejected"
    draft.save()
    assert client.post(url, data).status_code == 302
    people.authority.refresh_from_db()
    assert people.authority.cvr == "25052943"


def test_memberships_changed_during_a_request_count_at_once(people):
    from os2hub.accounts.services import invitation_accept, membership_remove
    from os2hub.core.roles import is_member, is_secretariat

    person = people.outsider
    assert not is_secretariat(person)  # computed and kept for the rest of the request
    invitation = Invitation.objects.create(
        organisation=people.secretariat_org, email=person.email, role="member", invited_by=people.secretariat
    )
    invitation_accept(invitation=invitation, user=person)
    assert is_secretariat(person)
    assert is_member(person, people.secretariat_org)
    membership_remove(membership=Membership.objects.get(user=person), actor=person)
    assert not is_member(person, people.secretariat_org)


def test_accounts_imports_no_app_above_it():
    from .test_architecture import PACKAGE, imports, python_files

    below = ("os2hub.core", "os2hub.accounts")
    upward = [
        (path.name, module)
        for path in python_files(PACKAGE / "accounts")
        for module in imports(path)
        if module.startswith("os2hub.") and not module.startswith(below)
    ]
    assert upward == []
