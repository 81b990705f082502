"""The partnership application through the API: create, edit, upload, submit and the secretariat's decision."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.dk import cvr as stdnum_cvr

from os2hub.accounts.services import api_token_issue
from os2hub.suppliers.models import SupplierApplication
from tests.files import decompression_bomb_png, image_upload, pdf_upload, svg_upload
from tests.personas import OrganisationFactory, UserFactory, make_application, member

pytestmark = pytest.mark.django_db

URL = "/api/v1/supplier-applications"
APPLICATION = {
    "organisation_name": "Nyt Firma ApS",
    "cvr": "29403473",
    "website": "https://nyt-firma.example",
    "competences": ["software-development", "hosting"],
    "core_competences": "Vi drifter **OS2**-løsninger.",
}


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


def listed_for(client, competence):
    return [s["slug"] for s in client.get(f"/api/v1/suppliers?competence={competence}").json()["items"]]


def test_a_supplier_applies_through_the_api_and_is_listed_once_approved(client, api, applicant, people, settings):
    # File links are on the configured site address, not the host the API was called on.
    settings.SITE_URL = "https://os2hub.example.dk"
    created = applicant.post(URL, APPLICATION)
    assert created.status_code == 201
    app = created.json()
    assert app["status"] == "draft"
    assert app["competences"] == ["hosting", "software-development"]
    assert [(e["from_status"], e["to_status"]) for e in app["history"]] == [("", "draft")]
    # The history's shape is the contract: the time is "at", an ISO 8601 time with its offset.
    assert set(app["history"][0]) == {"from_status", "to_status", "comment", "at"}
    assert datetime.fromisoformat(app["history"][0]["at"]).tzinfo is not None
    assert app["logo_url"] is None and app["code_of_conduct"] is None and app["has_agreement"] is False
    app_id = app["id"]

    assert applicant.upload(f"{URL}/{app_id}/logo", image_upload(801, 800)).status_code == 400
    logo = applicant.upload(f"{URL}/{app_id}/logo", image_upload(800, 800))
    assert logo.status_code == 200
    assert logo.json()["logo_url"] == "https://os2hub.example.dk/leverandoerer/nyt-firma/logo"
    vector = applicant.upload(f"{URL}/{app_id}/vector-logo", svg_upload())
    assert vector.status_code == 200
    assert vector.json()["vector_logo_url"] == "https://os2hub.example.dk/leverandoerer/nyt-firma/logo.svg"

    incomplete = applicant.post(f"{URL}/{app_id}/submit")
    assert incomplete.status_code == 400
    # One error per missing part: address, contact, prices, agreement, Code of Conduct.
    assert len(incomplete.json()["errors"]) == 5

    complete(applicant, app_id)
    ready = applicant.get(f"{URL}/{app_id}").json()
    assert ready["missing"] == []
    assert ready["has_agreement"] is True and ready["code_of_conduct"]["version"]
    assert ready["contacts"][0]["show_publicly"] is True and ready["contacts"][0]["newsletter"] is False
    submitted = applicant.post(f"{URL}/{app_id}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert listed_for(client, "hosting") == []

    decided = api(people.secretariat).post(f"{URL}/{app_id}/decision", {"decision": "approve", "comment": "Velkommen"})
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "approved"
    assert [(e["from_status"], e["to_status"]) for e in body["history"]] == [
        ("", "draft"), ("draft", "submitted"), ("submitted", "approved")]  # fmt: skip
    assert body["history"][-1]["comment"] == "Velkommen"

    assert listed_for(client, "hosting") == ["nyt-firma"]
    partner = client.get("/api/v1/suppliers/nyt-firma").json()
    assert [(p["competence"], p["hourly_rate_dkk"]) for p in partner["price_list"]] == [
        ("hosting", 650.0), ("software-development", 975.5)]  # fmt: skip


# --- Creating ---------------------------------------------------------------------------------------------


def test_a_new_application_starts_as_a_draft_listing_what_is_missing(draft):
    assert draft["status"] == "draft"
    assert draft["organisation_name"] == "Nyt Firma ApS" and draft["cvr"] == "29403473"
    assert draft["street"] == draft["postcode"] == draft["city"] == ""
    assert draft["contacts"] == [] and draft["price_list"] == []
    assert len(draft["missing"]) == 6
    assert set(draft) == {
        "id", "status", "organisation_name", "cvr", "street", "postcode", "city", "website", "competences",
        "core_competences", "contacts", "price_list", "logo_url", "vector_logo_url", "has_agreement",
        "code_of_conduct", "missing", "history",
    }  # fmt: skip


def test_it_accepts_the_address_when_creating(applicant):
    body = applicant.post(URL, {**APPLICATION, "street": "Nygade 2", "postcode": "5000", "city": "Odense C"}).json()
    assert (body["street"], body["postcode"], body["city"]) == ("Nygade 2", "5000", "Odense C")


def test_it_refuses_an_invalid_cvr_number_on_the_cvr_field(applicant):
    response = applicant.post(URL, {**APPLICATION, "cvr": "12345678"})
    assert response.status_code == 400
    assert fields(response) == ["cvr"]
    assert "12345678" in messages(response)
    assert not SupplierApplication.objects.filter(cvr="12345678").exists()


def test_it_refuses_a_cvr_number_already_registered(applicant, people):
    response = applicant.post(URL, {**APPLICATION, "cvr": people.supplier.cvr})
    assert response.status_code == 400
    assert fields(response) == ["cvr"]
    assert people.supplier.cvr in messages(response)


def test_it_refuses_an_unknown_competence_on_the_competences_field(applicant):
    response = applicant.post(URL, {**APPLICATION, "competences": ["hosting", "astrology"]})
    assert response.status_code == 400
    assert fields(response) == ["competences"]
    assert "astrology" in messages(response)


def test_it_reports_each_invalid_field(applicant):
    response = applicant.post(URL, {**APPLICATION, "organisation_name": "", "website": "not a url", "cvr": "1"})
    assert response.status_code == 400
    assert set(fields(response)) == {"cvr", "organisation_name", "website"}


def test_a_body_that_does_not_match_the_schema_is_a_422_naming_the_fields(applicant):
    body = {**APPLICATION, "competences": "hosting"}
    del body["cvr"]
    response = applicant.post(URL, body)
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"}
    assert sorted(fields(response)) == ["competences", "cvr"]


def test_a_request_without_a_body_is_a_422_on_the_whole_request(applicant, draft):
    response = applicant.client.patch(f"{URL}/{draft['id']}", "", content_type="application/json",
                                      **applicant.headers)  # fmt: skip
    assert response.status_code == 422
    assert fields(response) == [None]


def test_only_a_supplier_organisations_admin_can_apply(api, people):
    for user in (people.authority_admin, people.outsider, people.supplier_member, people.secretariat):
        response = api(user).post(URL, {**APPLICATION, "cvr": "25052943"})
        assert response.status_code == 403, user
        assert response.json()["errors"] == []


def test_an_organisation_has_one_live_application(applicant, draft):
    response = applicant.post(URL, {**APPLICATION, "cvr": "25052943"})
    assert response.status_code == 400
    assert fields(response) == [None]


def test_creating_needs_a_token(client):
    assert client.post(URL, APPLICATION, content_type="application/json").status_code == 401


# --- Reading and changing ---------------------------------------------------------------------------------


def test_the_applicant_and_the_secretariat_can_read_it(api, people, draft):
    for user in (people.new_supplier_admin, people.secretariat):
        response = api(user).get(f"{URL}/{draft['id']}")
        assert response.status_code == 200
        assert response.json() == draft


def test_another_supplier_cannot_see_or_change_someone_elses_application(api, people, draft):
    for user in (people.supplier_admin, people.supplier_member, people.authority_admin, people.outsider):
        other = api(user)
        assert other.get(f"{URL}/{draft['id']}").status_code == 404
        response = other.patch(f"{URL}/{draft['id']}", {"website": "https://evil.example"})
        assert response.status_code == 404
        assert response.json()["errors"] == [] and response.json()["detail"] in ("Not found", "Ikke fundet")
        assert other.upload(f"{URL}/{draft['id']}/logo", image_upload()).status_code == 404
        assert other.post(f"{URL}/{draft['id']}/submit").status_code == 404
    assert SupplierApplication.objects.get(pk=draft["id"]).website == "https://nyt-firma.example"


def test_an_unknown_application_is_not_found(applicant):
    assert applicant.get(f"{URL}/999999").status_code == 404


def test_patch_changes_only_the_fields_sent(applicant, draft):
    response = applicant.patch(f"{URL}/{draft['id']}", {"city": "Odense C", "competences": ["code-review"]})
    assert response.status_code == 200
    body = response.json()
    assert body["city"] == "Odense C"
    assert body["competences"] == ["code-review"]
    assert body["organisation_name"] == draft["organisation_name"] and body["website"] == draft["website"]


def test_a_patch_with_an_invalid_value_changes_nothing(applicant, draft):
    response = applicant.patch(f"{URL}/{draft['id']}", {"city": "Odense C", "cvr": "1234567"})
    assert response.status_code == 400
    assert fields(response) == ["cvr"]
    assert applicant.get(f"{URL}/{draft['id']}").json() == draft


def test_a_member_who_is_not_admin_can_read_but_not_change(api, people):
    body = api(people.supplier_member).get(f"{URL}/{people.supplier.pk}")
    assert body.status_code == 200
    response = api(people.supplier_member).patch(f"{URL}/{people.supplier.pk}", {"city": "Vejle"})
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}


def test_a_submitted_application_cannot_be_changed(api, applicant, draft):
    complete(applicant, draft["id"])
    applicant.upload(f"{URL}/{draft['id']}/logo", image_upload())
    assert applicant.post(f"{URL}/{draft['id']}/submit").status_code == 200
    response = applicant.patch(f"{URL}/{draft['id']}", {"city": "Vejle"})
    assert response.status_code == 400
    assert applicant.get(f"{URL}/{draft['id']}").json()["city"] == "Odense C"


def test_the_list_shows_the_callers_own_applications(api, people, draft):
    own = api(people.new_supplier_admin).get(URL).json()
    assert own["count"] == 1 and own["items"][0]["id"] == draft["id"]
    theirs = api(people.supplier_admin).get(URL).json()
    assert [a["id"] for a in theirs["items"]] == [people.supplier.pk]
    assert api(people.outsider).get(URL).json() == {"count": 0, "items": []}


def test_the_secretariat_lists_every_application_and_can_filter_on_status(api, people, draft):
    secretariat = api(people.secretariat)
    assert secretariat.get(URL).json()["count"] == 2
    drafts = secretariat.get(f"{URL}?status=draft").json()
    assert [a["id"] for a in drafts["items"]] == [draft["id"]]
    response = secretariat.get(f"{URL}?status=pending")
    assert response.status_code == 400
    assert fields(response) == ["status"]


# --- Files ------------------------------------------------------------------------------------------------


def test_it_refuses_a_logo_that_is_not_800x800(applicant, draft):
    response = applicant.upload(f"{URL}/{draft['id']}/logo", image_upload(801, 800))
    assert response.status_code == 400
    assert fields(response) == ["file"]
    assert "800" in messages(response) and "801" in messages(response)
    assert applicant.get(f"{URL}/{draft['id']}").json()["logo_url"] is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_it_accepts_an_800x800_logo_in_png_jpeg_or_webp(applicant, draft, fmt):
    response = applicant.upload(f"{URL}/{draft['id']}/logo", image_upload(800, 800, fmt=fmt))
    assert response.status_code == 200
    assert response.json()["logo_url"]


def test_it_refuses_a_program_renamed_to_png(applicant, draft):
    exe = SimpleUploadedFile("logo.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4096, content_type="image/png")
    response = applicant.upload(f"{URL}/{draft['id']}/logo", exe)
    assert response.status_code == 400
    assert fields(response) == ["file"]


def test_it_refuses_a_gif_logo(applicant, draft):
    response = applicant.upload(f"{URL}/{draft['id']}/logo", image_upload(800, 800, fmt="GIF"))
    assert response.status_code == 400
    assert fields(response) == ["file"]


def test_it_refuses_a_decompression_bomb_without_decoding_it(applicant, draft):
    bomb = SimpleUploadedFile("bomb.png", decompression_bomb_png(), content_type="image/png")
    response = applicant.upload(f"{URL}/{draft['id']}/logo", bomb)
    assert response.status_code == 400
    assert fields(response) == ["file"]


def test_it_refuses_an_svg_with_a_script(applicant, draft):
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>'
    response = applicant.upload(f"{URL}/{draft['id']}/vector-logo", svg_upload(hostile))
    assert response.status_code == 400
    assert fields(response) == ["file"]
    assert "script" in messages(response)
    assert applicant.get(f"{URL}/{draft['id']}").json()["vector_logo_url"] is None


def test_it_refuses_an_svg_with_an_event_handler(applicant, draft):
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
    assert applicant.upload(f"{URL}/{draft['id']}/vector-logo", svg_upload(hostile)).status_code == 400


def test_an_upload_without_a_file_is_a_422_on_the_file_field(applicant, draft):
    response = applicant.client.post(f"{URL}/{draft['id']}/logo", {}, **applicant.headers)
    assert response.status_code == 422
    assert fields(response) == ["file"]


def test_it_refuses_an_agreement_that_is_not_a_pdf(applicant, draft):
    response = applicant.upload(f"{URL}/{draft['id']}/agreement", pdf_upload(data=b"<html>not a pdf</html>"))
    assert response.status_code == 400
    assert fields(response) == ["file"]


# --- Contacts and prices ----------------------------------------------------------------------------------


def test_contacts_can_be_added_changed_and_removed(applicant, draft):
    created = applicant.post(f"{URL}/{draft['id']}/contacts", {
        "name": "Nina Ny", "role": "Direktør", "email": "nina@nyt-firma.example", "newsletter": True})  # fmt: skip
    assert created.status_code == 201
    contact = created.json()
    assert contact["newsletter"] is True and contact["show_publicly"] is False
    changed = applicant.patch(f"{URL}/{draft['id']}/contacts/{contact['id']}", {"phone": "12345678",
                                                                                "newsletter": False})  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["phone"] == "12345678" and changed.json()["newsletter"] is False
    assert applicant.delete(f"{URL}/{draft['id']}/contacts/{contact['id']}").status_code == 204
    assert applicant.get(f"{URL}/{draft['id']}").json()["contacts"] == []


def test_it_refuses_a_contact_with_an_invalid_email(applicant, draft):
    response = applicant.post(f"{URL}/{draft['id']}/contacts", {"name": "X", "role": "Y", "email": "nope"})
    assert response.status_code == 400
    assert fields(response) == ["email"]


def test_a_contact_of_another_application_is_not_found(api, people, draft):
    other_contact = people.supplier.contacts.first()
    response = api(people.new_supplier_admin).patch(f"{URL}/{draft['id']}/contacts/{other_contact.pk}",
                                                    {"name": "Kapret"})  # fmt: skip
    assert response.status_code == 404


def test_it_refuses_a_price_for_a_competence_not_offered(applicant, draft):
    response = applicant.put(f"{URL}/{draft['id']}/prices", {
        "price_list": [{"competence": "code-review", "hourly_rate_dkk": 900}]})  # fmt: skip
    assert response.status_code == 400
    assert fields(response) == ["competence"]


def test_it_refuses_a_negative_price(applicant, draft):
    response = applicant.put(f"{URL}/{draft['id']}/prices", {
        "price_list": [{"competence": "hosting", "hourly_rate_dkk": -1}]})  # fmt: skip
    assert response.status_code == 400
    assert fields(response) == ["hourly_rate_dkk"]


# --- Submitting -------------------------------------------------------------------------------------------


def test_submitting_an_incomplete_application_lists_what_is_missing(applicant, draft):
    response = applicant.post(f"{URL}/{draft['id']}/submit")
    assert response.status_code == 400
    body = response.json()
    assert [e["message"] for e in body["errors"]] == draft["missing"]
    assert all(e["field"] is None for e in body["errors"])
    assert body["detail"]
    assert applicant.get(f"{URL}/{draft['id']}").json()["status"] == "draft"


def test_submitting_twice_is_a_conflict(applicant, draft):
    complete(applicant, draft["id"])
    applicant.upload(f"{URL}/{draft['id']}/logo", image_upload())
    assert applicant.post(f"{URL}/{draft['id']}/submit").status_code == 200
    response = applicant.post(f"{URL}/{draft['id']}/submit")
    assert response.status_code == 409
    assert response.json()["errors"] == []


# --- Deciding ---------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(api, people):
    """The approved persona's application, moved back to submitted, as the decision's starting point."""
    app = people.supplier
    app.status = SupplierApplication.Status.SUBMITTED
    app.save()
    return app


def test_a_supplier_cannot_decide_on_an_application(api, people, submitted):
    decision = {"decision": "approve", "comment": ""}
    assert api(people.supplier_admin).post(f"{URL}/{submitted.pk}/decision", decision).status_code == 403
    for stranger in (people.new_supplier_admin, people.authority_admin, people.outsider):
        assert api(stranger).post(f"{URL}/{submitted.pk}/decision", decision).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_second_decision_is_a_conflict(api, people, submitted):
    secretariat = api(people.secretariat)
    first = secretariat.post(f"{URL}/{submitted.pk}/decision", {"decision": "request_changes",
                                                                 "comment": "Ret prislisten."})  # fmt: skip
    assert first.status_code == 200
    assert first.json()["status"] == "changes_requested"
    second = secretariat.post(f"{URL}/{submitted.pk}/decision", {"decision": "approve"})
    assert second.status_code == 409
    assert set(second.json()) == {"detail", "errors"}
    submitted.refresh_from_db()
    assert submitted.status == "changes_requested"


def test_rejecting_needs_a_comment(api, people, submitted):
    response = api(people.secretariat).post(f"{URL}/{submitted.pk}/decision", {"decision": "reject"})
    assert response.status_code == 400
    assert fields(response) == ["comment"]


def test_an_unknown_decision_is_refused_on_the_decision_field(api, people, submitted):
    response = api(people.secretariat).post(f"{URL}/{submitted.pk}/decision", {"decision": "maybe"})
    assert response.status_code == 400
    assert fields(response) == ["decision"]


def test_a_draft_cannot_be_decided(api, people, draft):
    response = api(people.secretariat).post(f"{URL}/{draft['id']}/decision", {"decision": "approve"})
    assert response.status_code == 409


def test_a_rejected_partner_disappears_from_the_public_list(api, client, people, submitted):
    response = api(people.secretariat).post(f"{URL}/{submitted.pk}/decision",
                                            {"decision": "reject", "comment": "Ikke et softwarefirma."})  # fmt: skip
    assert response.status_code == 200
    assert client.get("/api/v1/suppliers").json()["count"] == 0


@pytest.mark.parametrize("extra", [2, 20])
def test_the_list_of_applications_costs_the_same_number_of_queries_whatever_its_length(
    api, people, extra, django_assert_max_num_queries
):
    user = UserFactory()
    cvrs = (str(n) for n in range(41000000, 41100000) if stdnum_cvr.is_valid(str(n)))
    for i in range(extra):
        org = OrganisationFactory(name=f"Ansøger {i}", slug=f"ansoeger-{i}", kind="supplier")
        make_application(org, member(user, org), status="submitted", cvr=next(cvrs))
    secretariat = api(people.secretariat)
    # The address's failed-token count (the cache), a token lookup and its timestamp, the secretariat check,
    # the count, the page and four prefetches.
    with django_assert_max_num_queries(10):
        body = secretariat.get(f"{URL}?limit=100").json()
    assert body["count"] == extra + 1


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"website": "https://[zz]/"}, "website"),
        ({"website": "https://a.dk:99999/"}, "website"),
        ({"website": "http://169.254.169.254/"}, "website"),
        ({"city": "Aar\u0000hus"}, "city"),
        ({"organisation_name": "Evil\nBcc: x@y.dk"}, "organisation_name"),
        ({"postcode": "abcd"}, "postcode"),
    ],
    ids=["bad-host", "bad-port", "link-local", "nul", "newline-in-name", "postcode"],
)
def test_it_refuses_hostile_company_data_with_a_field_error(applicant, draft, patch, field):
    response = applicant.patch(f"{URL}/{draft['id']}", patch)
    assert response.status_code == 400, response.content
    assert field in fields(response)
    assert SupplierApplication.objects.get(pk=draft["id"]).city == (draft["city"] or "")


def test_it_answers_a_multipart_upload_without_a_boundary_with_400(applicant, draft):
    response = applicant.client.post(
        f"{URL}/{draft['id']}/logo", data=b"garbage", content_type="multipart/form-data", **applicant.headers
    )
    assert response.status_code == 400 and response.json()["detail"]


def test_it_refuses_a_phone_number_that_is_not_one(applicant, draft):
    response = applicant.post(f"{URL}/{draft['id']}/contacts", {
        "name": "Anna", "role": "Salg", "email": "anna@example.dk", "phone": "abc"})  # fmt: skip
    assert response.status_code == 400 and fields(response) == ["phone"]
