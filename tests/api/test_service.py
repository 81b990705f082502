"""The service endpoints, authentication, the error format and the API's documentation."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

from os2hub.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bearer(user):
    _token, raw = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_error_shape(body):
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    for item in body["errors"]:
        assert set(item) == {"field", "message"}


def test_health_reports_ok_when_the_database_answers(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_me_describes_the_token_owner_and_their_organisations(client, people):
    response = client.get("/api/v1/me", **bearer(people.supplier_admin))
    assert response.status_code == 200
    assert response.json() == {
        "email": "leverandoer@example.dk",
        "name": "Lene Leverandør",
        "organisations": [{"slug": "kodekammeret", "name": "Kodekammeret ApS", "kind": "supplier", "role": "admin"}],
        "products": [],
    }


def test_me_lists_a_members_role(client, people):
    body = client.get("/api/v1/me", **bearer(people.supplier_member)).json()
    assert body["organisations"] == [
        {"slug": "kodekammeret", "name": "Kodekammeret ApS", "kind": "supplier", "role": "member"}
    ]


def test_me_of_the_secretariat_has_the_secretariat_kind(client, people):
    body = client.get("/api/v1/me", **bearer(people.secretariat)).json()
    assert [o["kind"] for o in body["organisations"]] == ["secretariat"]


def test_it_refuses_a_request_without_a_token_with_401(client, people):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert_error_shape(body)
    assert body["errors"] == []


@pytest.mark.parametrize(
    "header",
    ["Bearer os2h_not-a-real-token", "Bearer nonsense", "Bearer ", "Token os2h_abc", "Basic dXNlcjpwYXNz"],
)
def test_it_refuses_a_bad_token_with_401(client, people, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert_error_shape(response.json())


def test_it_refuses_the_token_of_a_deactivated_user(client, people):
    headers = bearer(people.outsider)
    people.outsider.is_active = False
    people.outsider.save()
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_a_session_login_is_not_an_api_token(client, people):
    client.force_login(people.supplier_admin)
    assert client.get("/api/v1/me").status_code == 401


def test_using_a_token_records_when_it_was_last_used(client, people):
    token, raw = api_token_issue(user=people.outsider, name="ci")
    assert token.last_used_at is None
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_request_validation_errors_use_the_error_format_with_the_field_name(client, people):
    response = client.get("/api/v1/suppliers?limit=0&offset=-1")
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body)
    assert {e["field"] for e in body["errors"]} == {"limit", "offset"}


def test_a_body_that_is_not_json_is_a_400_in_the_error_format(client, people):
    response = client.post(
        "/api/v1/supplier-applications", "{not json", content_type="application/json",
        **bearer(people.new_supplier_admin),
    )  # fmt: skip
    assert response.status_code == 400
    assert_error_shape(response.json())


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/suppliers/kodekammeret/extra"])
def test_an_unknown_path_is_a_404_in_the_error_format(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["errors"] == [] and response.json()["detail"] in ("Not found", "Ikke fundet")


def test_the_openapi_document_describes_the_contract(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/suppliers", "/api/v1/health", "/api/v1/me", "/api/v1/supplier-applications"):
        assert path in document["paths"], path
    for path in ("/logo", "/vector-logo", "/submit", "/decision"):
        assert f"/api/v1/supplier-applications/{{id}}{path}" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    # Public endpoints say so; the rest requires the token.
    assert "security" not in document["paths"]["/api/v1/suppliers"]["get"]
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [{"TokenAuth": []}]


def test_the_docs_page_works_under_the_sites_content_security_policy(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    # Swagger UI comes from our own static files, never a CDN, and no script is inline.
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui-init.js" in html
    assert "cdn." not in html and "https://" not in html
    scripts = html.split("<script")[1:]
    assert scripts
    for script in scripts:
        opening, _sep, rest = script.partition(">")
        assert 'src="' in opening or 'type="application/json"' in opening
        if 'src="' in opening:
            assert rest.startswith("</script>")


def test_a_body_above_the_upload_limit_is_refused_in_the_error_format(client, people, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.patch(
        "/api/v1/supplier-applications/1", '{"city": "' + "x" * 2000 + '"}', content_type="application/json",
        **bearer(people.supplier_admin),
    )  # fmt: skip
    assert response.status_code == 413
    assert_error_shape(response.json())
