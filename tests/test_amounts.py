"""Amounts and hours that are not plain numbers, or far too large, are refused with a clear error on their field
wherever money comes in (pledges, estimates, offers, call budgets; the pages and the API), and nothing is written.

Python's Decimal reads much more than an amount: other scripts' digits (١٢٣, １٢٣), underscores (1_000), exponents
(1e30), NaN and Infinity; and rounding a number of 10^26 or more to øre raised decimal.InvalidOperation (a 500)."""

import pytest
from django import forms
from django.utils.translation import gettext

from os2hub.accounts.services import api_token_issue
from os2hub.development.models import DevelopmentRequest, Estimate, Pledge
from os2hub.needs.models import Call, Offer

from .test_development_pages import World as DevelopmentWorld
from .test_needs import CALL, in_days
from .test_needs import World as NeedsWorld

pytestmark = pytest.mark.django_db

HUGE = 10**26
# As typed into a page or sent as a string: none of them is an amount.
BAD_TEXTS = [str(HUGE), "1e30", "NaN", "Infinity", "١٢٣", "１２３", "1_000"]
# As the API also takes them: JSON numbers.
BAD_API_VALUES = [*BAD_TEXTS, HUGE, 1e30]


class Api:
    def __init__(self, client, user):
        _token, raw = api_token_issue(user=user, name="test")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def post(self, path, data):
        return self.client.post(path, data, content_type="application/json", **self.headers)


def refused_in_api(response, field):
    assert response.status_code in (400, 422), (response.status_code, response.content)
    body = response.json()
    assert body["detail"] and [e["field"] for e in body["errors"]] == [field], body
    assert body["errors"][0]["message"]


def form_errors(response) -> dict:
    """The field errors of every bound form the page rendered."""
    errors = {}
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound:
                errors.update(value.errors)
    return errors


def refused_on_page(response, field):
    assert response.status_code == 200, response.status_code
    errors = form_errors(response)
    assert field in errors and errors[field], errors
    assert 'id="error-summary"' in response.content.decode()


@pytest.fixture
def development(people):
    return DevelopmentWorld(people)


@pytest.fixture
def needs(people):
    return NeedsWorld(people)


# --- Pledges ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", BAD_TEXTS)
def test_a_pledge_on_the_page_that_is_not_a_plain_amount_is_refused(development, login, people, amount):
    request, _estimate = development.funding()
    response = login(people.authority_admin).post(f"/development-requests/{request.pk}/pledge/", {"amount_dkk": amount})
    refused_on_page(response, "amount_dkk")
    assert not Pledge.objects.exists()
    assert DevelopmentRequest.objects.get(pk=request.pk).pledged_dkk == 0


@pytest.mark.parametrize("amount", BAD_API_VALUES)
def test_a_pledge_in_the_api_that_is_not_a_plain_amount_is_refused(development, client, people, amount):
    request, _estimate = development.funding()
    response = Api(client, people.authority_admin).post(
        f"/api/v1/development-requests/{request.pk}/pledges", {"amount_dkk": amount}
    )
    refused_in_api(response, "amount_dkk")
    assert not Pledge.objects.exists()
    assert DevelopmentRequest.objects.get(pk=request.pk).pledged_dkk == 0


# --- Estimates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["hours", "hourly_rate_dkk", "fixed_price_dkk", "review_cost_dkk"])
@pytest.mark.parametrize("value", BAD_TEXTS)
def test_an_estimate_on_the_page_with_a_number_that_is_not_plain_is_refused(development, login, people, field, value):
    request = development.submitted()
    response = login(people.supplier_admin).post(
        f"/development-requests/{request.pk}/estimate/", {"hours": "10", field: value}
    )
    refused_on_page(response, field)
    assert not Estimate.objects.exists()
    assert DevelopmentRequest.objects.get(pk=request.pk).status == "submitted"


@pytest.mark.parametrize("field", ["hours", "hourly_rate_dkk", "fixed_price_dkk", "review_cost_dkk"])
@pytest.mark.parametrize("value", BAD_API_VALUES)
def test_an_estimate_in_the_api_with_a_number_that_is_not_plain_is_refused(development, client, people, field, value):
    request = development.submitted()
    response = Api(client, people.supplier_admin).post(
        f"/api/v1/development-requests/{request.pk}/estimates", {"hours": 10, field: value}
    )
    refused_in_api(response, field)
    assert not Estimate.objects.exists()
    assert DevelopmentRequest.objects.get(pk=request.pk).status == "submitted"


# --- Offers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["price_dkk", "hours"])  # the page offers the published rate only
@pytest.mark.parametrize("value", BAD_TEXTS)
def test_an_offer_on_the_page_with_a_number_that_is_not_plain_is_refused(needs, login, people, field, value):
    call = needs.call()
    data = {"approach": "Vi læser koden.", "hours": "10", field: value}
    response = login(people.supplier_admin).post(f"/calls/{call.pk}/offer/", data)
    refused_on_page(response, field)
    assert not Offer.objects.exists()


@pytest.mark.parametrize("field", ["price_dkk", "hours", "hourly_rate_dkk"])
@pytest.mark.parametrize("value", BAD_API_VALUES)
def test_an_offer_in_the_api_with_a_number_that_is_not_plain_is_refused(needs, client, people, field, value):
    call = needs.call()
    data = {"approach": "Vi læser koden.", "hours": 10, field: value}
    response = Api(client, people.supplier_admin).post(f"/api/v1/calls/{call.pk}/offers", data)
    refused_in_api(response, field)
    assert not Offer.objects.exists()


# --- Call budgets -------------------------------------------------------------------------------------------------


def call_form(**changes):
    return {**CALL, "product": "os2mo", "kind": "code-review", "deadline": in_days(14).isoformat(), **changes}


@pytest.mark.parametrize("field", ["budget_min_dkk", "budget_max_dkk"])
@pytest.mark.parametrize("value", BAD_TEXTS)
def test_a_call_budget_on_the_page_that_is_not_a_plain_amount_is_refused(needs, login, field, value):
    response = login(needs.coordinator).post("/calls/new/?product=os2mo", call_form(**{field: value}))
    refused_on_page(response, field)
    assert not Call.objects.exists()


@pytest.mark.parametrize("field", ["budget_min_dkk", "budget_max_dkk"])
@pytest.mark.parametrize("value", BAD_API_VALUES)
def test_a_call_budget_in_the_api_that_is_not_a_plain_amount_is_refused(needs, client, field, value):
    response = Api(client, needs.coordinator).post("/api/v1/calls", call_form(**{field: value}))
    refused_in_api(response, field)
    assert not Call.objects.exists()


# --- What still works ---------------------------------------------------------------------------------------------


def test_danish_and_plain_amounts_are_still_read(development, login, client, people):
    request, _estimate = development.funding()  # 9,500 kr.
    page = login(people.authority_admin)
    page.post(f"/development-requests/{request.pk}/pledge/", {"amount_dkk": "1.000,50"})
    page.post(f"/development-requests/{request.pk}/pledge/", {"amount_dkk": "999,50"})
    Api(client, people.authority_admin).post(
        f"/api/v1/development-requests/{request.pk}/pledges", {"amount_dkk": "500.25"}
    )
    Api(client, people.authority_admin).post(f"/api/v1/development-requests/{request.pk}/pledges", {"amount_dkk": 250})
    assert sorted(str(p.amount_dkk) for p in Pledge.objects.all()) == ["1000.50", "250.00", "500.25", "999.50"]


def test_a_json_number_written_with_an_exponent_is_still_an_amount(needs, client, people):
    call = needs.call()
    response = Api(client, people.supplier_admin).post(
        f"/api/v1/calls/{call.pk}/offers", {"approach": "Vi læser koden.", "price_dkk": 1.5e4}
    )
    assert response.status_code == 201, response.json()
    assert str(Offer.objects.get().price_dkk) == "15000.00"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (HUGE, "Beløbet er for stort."),
        (1e30, "Beløbet er for stort."),
        ("1e30", "Angiv et beløb i kroner, fx 12500 eller 12500.50."),
        ("１２３", "Angiv et beløb i kroner, fx 12500 eller 12500.50."),
    ],
)
def test_the_api_says_what_is_wrong_with_an_amount(development, client, people, value, message):
    request, _estimate = development.funding()
    response = Api(client, people.authority_admin).post(
        f"/api/v1/development-requests/{request.pk}/pledges", {"amount_dkk": value}
    )
    assert response.json()["errors"] == [{"field": "amount_dkk", "message": message}]


def test_the_pages_say_to_use_the_digits_0_to_9(development, login, people):
    request, _estimate = development.funding()
    response = login(people.authority_admin).post(f"/development-requests/{request.pk}/pledge/", {"amount_dkk": "١٢٣"})
    # In the site's language (Danish) once the message is translated; its English source until then.
    expected = gettext("Enter a number with the digits 0-9, for example 1.050,50 or 37,5.")
    assert form_errors(response)["amount_dkk"] == [expected]
