"""The Django admin is entered through the site's own login (allauth: MFA and rate limits), by staff only."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

ADMIN_INDEX = "/django-admin/"
ADMIN_LOGIN = "/django-admin/login/"


@pytest.fixture
def staff(people):
    """The secretariat runs the Django admin (as in the demo data)."""
    user = people.secretariat
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def signed_in(client):
    return "_auth_user_id" in client.session


def test_admin_login_with_a_password_alone_gives_no_session_to_a_staff_user_with_totp(client, staff, password):
    TOTP.activate(staff, generate_totp_secret())
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    response = client.post(ADMIN_LOGIN, {"username": staff.email, "password": password, "next": ADMIN_INDEX})

    assert not signed_in(client)
    assert response.get("Location", "") != ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 302  # still outside
    # Through the site's login the password is only the first step: the TOTP code is asked for next.
    response = client.post(reverse("account_login"), {"login": staff.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)


def test_the_admin_login_url_never_checks_a_password(client, staff, password):
    response = client.post(ADMIN_LOGIN, {"username": staff.email, "password": password})

    assert not signed_in(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_an_anonymous_visit_to_the_admin_goes_through_the_site_login_and_staff_reach_the_admin(client, staff, password):
    response = client.get(ADMIN_INDEX, follow=True)
    login_url, _status = response.redirect_chain[-1]
    assert login_url.startswith(reverse("account_login") + "?")
    assert response.status_code == 200
    assert response.context["redirect_field_value"] == ADMIN_INDEX

    response = client.post(reverse("account_login"), {"login": staff.email, "password": password, "next": ADMIN_INDEX})
    assert response.status_code == 302
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_signed_in_user_who_is_not_staff_is_refused_the_admin(people, login):
    client = login(people.outsider)

    response = client.get(ADMIN_INDEX, follow=True)

    assert response.status_code == 403
    assert client.get(ADMIN_LOGIN).status_code == 403
    assert client.post(ADMIN_LOGIN, {"username": people.outsider.email, "password": "x"}).status_code == 403
