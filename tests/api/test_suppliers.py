"""The public list of approved supplier partners: GET /api/v1/suppliers and /api/v1/suppliers/{slug}."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from stdnum.dk import cvr as stdnum_cvr

from os2hub.suppliers.models import PriceEntry
from tests.personas import OrganisationFactory, UserFactory, make_application, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def valid_cvrs(start=40000000):
    """CVR numbers with a correct check digit, none of them used by the personas."""
    for n in range(start, start + 10_000):
        if stdnum_cvr.is_valid(str(n)):
            yield str(n)


def add_suppliers(count, *, status="approved", competences=("hosting",), rates=(Decimal("800.00"),), start=40000000):
    cvrs = valid_cvrs(start)
    user = UserFactory()
    apps = []
    for i in range(count):
        org = OrganisationFactory(name=f"Leverandør {i:03d} A/S", slug=f"leverandoer-{start}-{i}", kind="supplier")
        member(user, org)
        apps.append(make_application(org, user, status=status, cvr=next(cvrs), competences=competences, rates=rates))
    return apps


def test_it_lists_approved_partners_without_a_token(client, people, settings):
    settings.SITE_URL = "https://os2hub.example.dk"
    response = client.get("/api/v1/suppliers")
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "items": [
            {
                "slug": "kodekammeret",
                "name": "Kodekammeret ApS",
                "cvr": "13748136",
                "website": "https://leverandoer.example",
                "competences": ["code-review", "software-development"],
                "price_list": [
                    {"competence": "code-review", "hourly_rate_dkk": 1100.0, "valid_from": "2026-01-01"},
                    {"competence": "software-development", "hourly_rate_dkk": 950.0, "valid_from": "2026-01-01"},
                ],
                "logo_url": "https://os2hub.example.dk/leverandoerer/kodekammeret/logo",
                "commit_domains": [],
            }
        ],
    }


def test_it_leaves_out_applications_that_are_not_approved(client, people):
    for i, status in enumerate(["draft", "submitted", "changes_requested", "rejected"]):
        add_suppliers(1, status=status, start=40000000 + 1000 * i)
    body = client.get("/api/v1/suppliers").json()
    assert body["count"] == 1
    assert [s["slug"] for s in body["items"]] == ["kodekammeret"]


def test_prices_are_json_numbers_never_danish_decimal_strings(client, people):
    PriceEntry.objects.filter(application=people.supplier, competence="software-development").update(
        hourly_rate_dkk=Decimal("1234.50")
    )
    response = client.get("/api/v1/suppliers")
    assert b'"hourly_rate_dkk": 1234.5' in response.content
    assert b"1.234,50" not in response.content and b"1234,5" not in response.content
    rates = [p["hourly_rate_dkk"] for p in response.json()["items"][0]["price_list"]]
    assert all(isinstance(rate, float) for rate in rates)


def test_it_shows_only_the_prices_in_force_today(client, people):
    today = timezone.localdate()
    app = people.supplier
    PriceEntry.objects.filter(application=app).update(valid_from=today - timedelta(days=30))
    PriceEntry.objects.create(application=app, competence="code-review", hourly_rate_dkk=Decimal("1200"),
                              valid_from=today)  # fmt: skip
    PriceEntry.objects.create(application=app, competence="software-development", hourly_rate_dkk=Decimal("2000"),
                              valid_from=today + timedelta(days=10))  # fmt: skip
    prices = client.get("/api/v1/suppliers").json()["items"][0]["price_list"]
    assert prices == [
        {"competence": "code-review", "hourly_rate_dkk": 1200.0, "valid_from": today.isoformat()},
        {"competence": "software-development", "hourly_rate_dkk": 950.0,
         "valid_from": (today - timedelta(days=30)).isoformat()},
    ]  # fmt: skip


def test_logo_url_is_null_when_the_partner_has_no_logo(client, people):
    people.supplier.logo = ""
    people.supplier.save()
    assert client.get("/api/v1/suppliers").json()["items"][0]["logo_url"] is None


def test_the_logo_url_serves_the_logo(client, people, settings):
    url = client.get("/api/v1/suppliers").json()["items"][0]["logo_url"]
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_it_filters_on_a_competence(client, people):
    add_suppliers(2, competences=("hosting",))
    hosting = client.get("/api/v1/suppliers?competence=hosting").json()
    assert hosting["count"] == 2
    assert all(s["competences"] == ["hosting"] for s in hosting["items"])
    review = client.get("/api/v1/suppliers?competence=code-review").json()
    assert [s["slug"] for s in review["items"]] == ["kodekammeret"]
    assert client.get("/api/v1/suppliers?competence=consulting-design").json() == {"count": 0, "items": []}


def test_it_refuses_an_unknown_competence_with_400_on_the_competence_field(client, people):
    response = client.get("/api/v1/suppliers?competence=astrology")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "competence"
    assert "astrology" in body["errors"][0]["message"]
    assert body["detail"]


def test_it_paginates_with_limit_and_offset(client, people):
    add_suppliers(4)
    everyone = client.get("/api/v1/suppliers").json()
    assert everyone["count"] == 5
    slugs = [s["slug"] for s in everyone["items"]]
    assert slugs == [s["slug"] for s in sorted(everyone["items"], key=lambda s: s["name"])]
    page = client.get("/api/v1/suppliers?limit=2&offset=2").json()
    assert page["count"] == 5
    assert [s["slug"] for s in page["items"]] == slugs[2:4]
    assert client.get("/api/v1/suppliers?limit=2&offset=10").json() == {"count": 5, "items": []}


def test_a_limit_above_the_maximum_is_refused_in_the_error_format(client, people):
    response = client.get("/api/v1/suppliers?limit=100000")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_number_of_queries_for_3_and_30_partners(
    client, people, rows, django_assert_max_num_queries
):
    add_suppliers(rows - 1, competences=("hosting", "code-review"), rates=(Decimal("700"), Decimal("900")))
    # The count, the page, and one query each for competences, prices and commit domains.
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/suppliers?limit=100").json()
    assert body["count"] == rows
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/suppliers?competence=hosting&limit=100").json()["count"] == rows - 1


def test_one_partner_has_the_same_shape_as_in_the_list(client, people):
    listed = client.get("/api/v1/suppliers").json()["items"][0]
    response = client.get("/api/v1/suppliers/kodekammeret")
    assert response.status_code == 200
    assert response.json() == listed


def test_a_partner_that_is_not_approved_is_not_found(client, people):
    (draft,) = add_suppliers(1, status="submitted")
    response = client.get(f"/api/v1/suppliers/{draft.organisation.slug}")
    assert response.status_code == 404
    assert response.json()["errors"] == [] and response.json()["detail"] in ("Not found", "Ikke fundet")
    assert client.get("/api/v1/suppliers/no-such-partner").status_code == 404


def test_valid_from_is_an_iso_date(client, people):
    valid_from = client.get("/api/v1/suppliers").json()["items"][0]["price_list"][0]["valid_from"]
    assert date.fromisoformat(valid_from) == date(2026, 1, 1)


def test_an_offset_beyond_any_list_is_refused_not_a_server_error(client, people):
    response = client.get("/api/v1/suppliers?offset=99999999999999999999999")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["offset"]
