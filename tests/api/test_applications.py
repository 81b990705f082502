"""The partnership application through the API: create, edit, upload, submit and the secretariat's decision."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from os2hub.accounts.services import api_token_issue
from os2hub.suppliers.models import SupplierApplication
from tests.files import decompression_bomb_png, image_upload, pdf_upload, svg_upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/supplier-applications"
APPLICATION = {
    "organisation_name": "Nyt Firma ApS",
    "cvr": "29403473",
    "website": "https://nyt-firma.example",
    "competences": ["software-development", "hosting"],
    "core_competences": "Vi drifter **OS2**-løsninger.",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Api:
    """The test client as one user, with their token."""

    def __init__(self, client, user):
        self.client = client
        _token, raw = api_token_issue(user=user, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path, **kw):
        return self.client.get(path, **self.headers, **kw)

    def post(self, path, data=None):
        return self.client.post(path, data or {}, content_type="application/json", **self.headers)

    def patch(self, path, data):
        return self.client.patch(path, data, content_type="application/json", **self.headers)

    def put(self, path, data):
        return self.client.put(path, data, content_type="application/json", **self.headers)

    def delete(self, path):
        return self.client.delete(path, **self.headers)

    def upload(self, path, file):
        return self.client.post(path, {"file": file}, **self.headers)


@pytest.fixture
def api(client):
    return lambda user: Api(client, user)


@pytest.fixture
def applicant(api, people):
    return api(people.new_supplier_admin)


@pytest.fixture
def draft(applicant):
    response = applicant.post(URL, APPLICATION)
    assert response.status_code == 201, response.content
    return response.json()


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


def messages(response):
    return " ".join(e["message"] for e in response.json()["errors"])


def complete(applicant, app_id):
    """Everything but the logo: address, contact, prices, agreement and the Code of Conduct."""
    assert applicant.patch(f"{URL}/{app_id}", {"street": "Nygade 2", "postcode": "5000", "city": "Odense C"}
                           ).status_code == 200  # fmt: skip
    assert applicant.post(f"{URL}/{app_id}/contacts", {
        "name": "Nina Ny", "role": "Direktør", "email": "nina@nyt-firma.example", "show_publicly": True,
    }).status_code == 201  # fmt: skip
    assert applicant.put(f"{URL}/{app_id}/prices", {"price_list": [
        {"competence": "software-development", "hourly_rate_dkk": 975.5},
        {"competence": "hosting", "hourly_rate_dkk": "650"},
    ]}).status_code == 200  # fmt: skip
    assert applicant.upload(f"{URL}/{app_id}/agreement", pdf_upload()).status_code == 200
    assert applicant.post(f"{URL}/{app_id}/code-of-conduct").status_code == 200


# --- The whole flow ---------------------------------------------------------------------------------------


def test_a_supplier_applies_through_the_api_and_is_listed_once_approved(api, applicant, people):
    created = applicant.post(URL, APPLICATION)
    assert created.status_code == 201
    app = created.json()
    assert app["status"] == "draft"
    assert app["competences"] == ["hosting", "software-development"]
    assert app["history"][0]["to_status"] == "draft"
    assert app["logo_url"] is None and app["code_of_conduct"] is None and app["has_agreement"] is False
    app_id = app["id"]

    assert applicant.upload(f"{URL}/{app_id}/logo", image_upload(801, 800)).status_code == 400
    logo = applicant.upload(f"{URL}/{app_id}/logo", image_upload(800, 800))
    assert logo.status_code == 200
    assert logo.json()["logo_url"] == "http://testserver/leverandoerer/nyt-firma/logo"
    vector = applicant.upload(f"{URL}/{app_id}/vector-logo", svg_upload())
    assert vector.json()["vector_logo_url"] == "http://testserver/leverandoerer/nyt-firma/logo.svg"

    incomplete = applicant.post(f"{URL}/{app_id}/submit")
    assert incomplete.status_code == 400
    assert len(incomplete.json()["errors"]) == 5  # address, contact, prices, agreement, Code of Conduct

    complete(applicant, app_id)
    ready = applicant.get(f"{URL}/{app_id}").json()
    assert ready["missing"] == []
    assert ready["has_agreement"] is True and ready["code_of_conduct"]["version"]
    assert ready["contacts"][0]["show_publicly"] is True and ready["contacts"][0]["newsletter"] is False
    submitted = applicant.post(f"{URL}/{app_id}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert client_sees_hosting(applicant) == ["kodekammeret"] or client_sees_hosting(applicant) == []

    decided = api(people.secretariat).post(f"{URL}/{app_id}/decision", {"decision": "approve", "comment": "Velkommen"})
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "approved"
    assert [(e["from_status"], e["to_status"]) for e in body["history"]] == [
        ("", "draft"), ("draft", "submitted"), ("submitted", "approved")]  # fmt: skip
    assert body["history"][-1]["comment"] == "Velkommen"

    listed = applicant.client.get("/api/v1/suppliers?competence=hosting").json()
    assert [s["slug"] for s in listed["items"]] == ["nyt-firma"]
    assert listed["items"][0]["price_list"][0] == {
        "competence": "hosting", "hourly_rate_dkk": 650.0, "valid_from": listed["items"][0]["price_list"][0][
            "valid_from"]}  # fmt: skip


def client_sees_hosting(api_as_someone):
    return [s["slug"] for s in api_as_someone.client.get("/api/v1/suppliers?competence=hosting").json()["items"]]
