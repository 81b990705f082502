"""The API at its edges: NUL characters and oversized integers are refused with a 400 in the API's error shape,
an unexpected failure is a 500 in the same shape, writes and bad tokens are rate limited, and a replaced
estimate or offer answers 200 even when twenty arrive at once."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client

from os2hub.accounts.services import api_token_issue
from os2hub.development.models import Estimate
from os2hub.needs.models import Offer

from ..personas import Personas
from ..test_development import World as DevelopmentWorld
from ..test_needs import World as NeedsWorld

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='test')[1]}"}


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    for item in body["errors"]:
        assert set(item) == {"field", "message"}
    return body


def submitted_request(people):
    return DevelopmentWorld(people).submitted()


def open_call(people):
    return NeedsWorld(people).call()


# --- NUL characters and huge integers are refused at the edge ----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/suppliers/%00",
        "/api/v1/products?q=%00",
        "/api/v1/products?supplier=%00",
        "/api/v1/needs?q=a%00b",
        "/api/v1/products/os2%00sag",
        "/api/v1/development-requests?product=%00",
    ],
)
def test_a_nul_in_a_path_or_query_is_a_400_in_the_api_shape(client, people, path):
    body = assert_error_shape(client.get(path, **bearer(people.authority_admin)), 400)
    assert "NUL" in body["detail"]


def test_a_nul_anywhere_in_a_json_body_is_a_400_and_nothing_is_written(client, people):
    request = submitted_request(people)
    deep = {"hours": 10, "start_conditions": "ok", "reviewer": "R", "code_location": {"a": [{"b": "x\u0000y"}]}}
    for payload in (
        {"hours": 10, "start_conditions": "Start\u0000 efter aftale"},
        deep,
        {"hours": 10, "key\u0000": "value"},
    ):
        response = client.post(
            f"/api/v1/development-requests/{request.pk}/estimates",
            payload,
            content_type="application/json",
            **bearer(people.supplier_admin),
        )
        assert_error_shape(response, 400)
    assert not Estimate.objects.exists()


def test_a_comment_with_a_nul_on_a_transition_is_a_400(client, people):
    request = submitted_request(people)
    response = client.post(
        f"/api/v1/development-requests/{request.pk}/transition",
        {"to": "withdrawn", "comment": "Trukket\u0000 tilbage"},
        content_type="application/json",
        **bearer(people.authority_admin),
    )
    assert_error_shape(response, 400)
    request.refresh_from_db()
    assert request.status == "submitted"


def test_an_escaped_backslash_u0000_is_text_not_a_nul(client, people):
    request = submitted_request(people)
    response = client.post(
        f"/api/v1/development-requests/{request.pk}/estimates",
        '{"hours": 10, "start_conditions": "Skriv \\\\u0000 i feltet"}',
        content_type="application/json",
        **bearer(people.supplier_admin),
    )
    assert response.status_code == 201, response.content
    assert Estimate.objects.get().start_conditions == "Skriv \\u0000 i feltet"


def test_a_nul_in_a_page_query_gets_the_styled_400_page(client, db):
    response = client.get("/needs/?q=%00")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/pitches?need=99999999999999999999999",
        "/api/v1/needs/99999999999999999999999",
        "/api/v1/calls/99999999999999999999999/offers",
        "/api/v1/development-requests/99999999999999999999999",
    ],
)
def test_an_integer_too_large_for_the_database_is_never_a_500(client, people, path):
    # PostgreSQL compares it and finds nothing; where SQLite cannot bind it, the edge answers 400.
    response = client.get(path, **bearer(people.authority_admin))
    assert response.status_code in (200, 400, 404)
    if response.status_code != 200:
        assert_error_shape(response, response.status_code)


def test_an_oversized_integer_on_a_page_is_never_a_500(client, db):
    for path in ("/needs/?cosigners=99999999999999999999999", "/calls/?need=99999999999999999999999"):
        assert client.get(path).status_code in (200, 400)


# --- An unexpected failure is a 500 in the API's shape, and still reported -------------------------------------


def test_an_unexpected_error_is_a_500_in_the_api_shape_and_is_logged(people, caplog):
    client = Client(raise_request_exception=False)
    with mock.patch("os2hub.api.service.product_roles_of", side_effect=RuntimeError("boom")):
        response = client.get("/api/v1/me", **bearer(people.authority_admin))
    body = assert_error_shape(response, 500)
    assert "boom" not in body["detail"]
    assert any(r.levelname == "ERROR" and "/api/v1/me" in r.getMessage() for r in caplog.records)


# --- Rate limits ----------------------------------------------------------------------------------------------


def test_writes_are_limited_per_token_owner(client, people, settings):
    settings.API_THROTTLE_WRITES = "3/min"
    headers = bearer(people.authority_admin)
    statuses = [
        client.post("/api/v1/needs", {"title": "", "problem": ""}, content_type="application/json", **headers)
        for _ in range(5)
    ]
    assert all(r.status_code == 422 for r in statuses[:3])
    body = assert_error_shape(statuses[3], 429)
    assert body["detail"]
    assert statuses[4].status_code == 429
    # Another person's writes are counted apart, and reads are not limited.
    assert client.get("/api/v1/needs", **headers).status_code == 200
    other = client.post(
        "/api/v1/needs", {"title": ""}, content_type="application/json", **bearer(people.authority2_admin)
    )
    assert other.status_code != 429


def test_bad_tokens_are_limited_per_address_and_then_even_a_good_token_waits(client, people, settings):
    settings.API_THROTTLE_BAD_TOKENS = "5/min"
    good = bearer(people.authority_admin)
    for _ in range(5):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer os2h_guess").status_code == 401
    response = client.get("/api/v1/me", **good)
    assert_error_shape(response, 429)
    assert response["Retry-After"]
    # Another address is not affected.
    assert client.get("/api/v1/me", REMOTE_ADDR="192.0.2.9", **good).status_code == 200


def test_without_limits_configured_nothing_is_throttled(client, people, settings):
    settings.API_THROTTLE_BAD_TOKENS = ""
    for _ in range(30):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer os2h_guess").status_code == 401
    assert client.get("/api/v1/me", **bearer(people.authority_admin)).status_code == 200


# --- A replace answers 200, under concurrency too ----------------------------------------------------------------


def test_a_second_estimate_from_the_same_supplier_answers_200(client, people):
    request = submitted_request(people)
    headers = bearer(people.supplier_admin)
    url = f"/api/v1/development-requests/{request.pk}/estimates"
    assert client.post(url, {"hours": 10}, content_type="application/json", **headers).status_code == 201
    assert client.post(url, {"hours": 12}, content_type="application/json", **headers).status_code == 200
    assert Estimate.objects.get().hours == 12


def _at_once(count, send):
    barrier = threading.Barrier(count)
    statuses = []

    def run():
        try:
            barrier.wait()
            statuses.append(send())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses)


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_estimates_write_one_row_and_answer_201_once():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    people = Personas()
    request = submitted_request(people)
    headers = bearer(people.supplier_admin)
    url = f"/api/v1/development-requests/{request.pk}/estimates"

    def send():
        return Client().post(url, {"hours": 10}, content_type="application/json", **headers).status_code

    assert _at_once(20, send) == [200] * 19 + [201]
    assert Estimate.objects.filter(request=request).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_offers_write_one_row_and_answer_201_once():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    people = Personas()
    call = open_call(people)
    headers = bearer(people.supplier_admin)

    def send():
        return (
            Client()
            .post(
                f"/api/v1/calls/{call.pk}/offers",
                {"price_dkk": "5000", "approach": "Vi læser koden."},
                content_type="application/json",
                **headers,
            )
            .status_code
        )

    assert _at_once(20, send) == [200] * 19 + [201]
    assert Offer.objects.filter(call=call).count() == 1


def test_behind_a_trusted_proxy_bad_tokens_are_counted_per_forwarded_address(client, people, settings):
    settings.API_THROTTLE_BAD_TOKENS = "2/min"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forges a first address; the proxy appends the real one, which is what counts.
    guesser = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
    for _ in range(2):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer os2h_guess", **guesser).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer os2h_guess", **guesser).status_code == 429
    neighbour = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert client.get("/api/v1/me", **neighbour, **bearer(people.authority_admin)).status_code == 200


def test_the_openapi_document_names_the_500_and_429_answers_in_the_error_shape(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    error = {"$ref": "#/components/schemas/ErrorOut"}
    post = paths["/api/v1/needs"]["post"]["responses"]
    assert post["429"]["content"]["application/json"]["schema"] == error
    assert post["500"]["content"]["application/json"]["schema"] == error
    # A public read is not throttled, but may still fail on the server.
    public = paths["/api/v1/needs"]["get"]["responses"]
    assert "429" not in public and public["500"]["content"]["application/json"]["schema"] == error
