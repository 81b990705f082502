"""Self-service onboarding: a person creates its organisation (CVR number validated, looked up when the site is
configured to), a colleague finds it and asks to join (or joins at once by the verified e-mail domain), and the
secretariat confirms the authorities that registered themselves before they pledge or sign joining agreements."""

import datetime
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from os2hub.accounts import cvr as cvr_register
from os2hub.accounts import selectors, services
from os2hub.accounts.models import JoinRequest, Membership, Organisation
from os2hub.core.mail import render_mail
from os2hub.core.roles import roles_for
from os2hub.development import getters as development_getters
from os2hub.development.workflow import PLEDGE, REQUEST_WORKFLOW
from os2hub.products.models import JoiningAgreement, Product

from .personas import OrganisationFactory, UserFactory, make_application, member

pytestmark = pytest.mark.django_db

FREE_CVR = "25052943"  # valid, and nobody's in the personas' world
OTHER_FREE_CVR = "10103940"
SUPPLIER = {"cvr": FREE_CVR, "name": "Ny Kode ApS", "website": "https://nykode.example", "email_domain": "nykode.dk"}
AUTHORITY = {"cvr": OTHER_FREE_CVR, "name": "Nordby Kommune", "ean": "5798000000001", "email_domain": "nordby.dk"}


def create_url(kind="leverandoer", next_path=""):
    url = reverse("accounts:organisation_create", args=[kind])
    return url + (f"?{urlencode({'next': next_path})}" if next_path else "")


def newcomer(email="ny@nykode.dk", **kwargs):
    """A person who has just signed up and confirmed the e-mail address (the factory confirms it)."""
    return UserFactory(email=email, **kwargs)


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


# --- Creating your organisation -----------------------------------------------------------------------------------


def test_a_new_person_creates_a_supplier_becomes_its_admin_and_goes_on_to_apply(
    people, login, django_capture_on_commit_callbacks
):
    person = newcomer()
    client = login(person)
    # "Become an OS2 partner" without a supplier: no 403, but the way to create one, and back.
    response = client.get(reverse("suppliers:application"))
    assert response.status_code == 302
    assert response["Location"] == create_url(next_path="/partnerskab/")
    form = client.get(response["Location"])
    assert form.status_code == 200 and form.context["form"].initial["email_domain"] == "nykode.dk"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {**SUPPLIER, "next": "/partnerskab/", "street": "Vej 1"})
    assert response.status_code == 302 and response["Location"] == "/partnerskab/"
    org = Organisation.objects.get(cvr=FREE_CVR)
    assert (org.kind, org.status, org.created_by, org.email_domain) == ("supplier", "confirmed", person, "nykode.dk")
    assert Membership.objects.get(organisation=org).user == person
    assert Membership.objects.get(organisation=org).role == "admin"
    assert mail.outbox == []  # a supplier needs no confirmation: the secretariat reviews its application
    start = client.get("/partnerskab/")
    assert start.status_code == 200 and "suppliers/application_start.html" in [t.name for t in start.templates]
    company = client.get(reverse("suppliers:application_start"))
    assert company.context["form"].initial["cvr"] == FREE_CVR
    assert company.context["form"].initial["street"] == "Vej 1"


def test_a_visitor_who_wants_to_become_a_partner_logs_in_or_signs_up_and_comes_back(client, db):
    response = client.get(reverse("suppliers:application"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/partnerskab/"
    login_page = client.get(response["Location"]).content.decode()
    assert reverse("account_signup") + "?next=%2Fpartnerskab%2F" in login_page


def test_a_member_of_a_supplier_who_is_not_its_admin_is_still_told_that_admins_apply(people, login):
    assert login(people.supplier_member).get(reverse("suppliers:application")).status_code == 403


def test_an_authority_waits_for_the_secretariat_which_is_told(people, login, django_capture_on_commit_callbacks):
    person = newcomer("it@nordby.dk")
    client = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url("myndighed"), AUTHORITY)
    org = Organisation.objects.get(cvr=OTHER_FREE_CVR)
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert (org.kind, org.status, org.ean) == ("authority", "pending", "5798000000001")
    assert list(org.events.values_list("to_status", flat=True)) == ["pending"]
    assert [m.to for m in mail.outbox] == [[people.secretariat.email]]
    assert reverse("accounts:confirmation", args=[org.slug]) in mail.outbox[0].body
    page = client.get(org.get_absolute_url())
    assert org.name in page.context["refusal"]
    assert list(selectors.organisations_to_confirm()) == [org]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cvr": "12345678"}, "cvr"),  # the check digit does not match
        ({"cvr": "1234567"}, "cvr"),
        ({"cvr": "13748136"}, "cvr"),  # Kodekammeret's
        ({"name": ""}, "name"),
        ({"email_domain": "gmail.com"}, "email_domain"),
        ({"email_domain": "ikke et domæne"}, "email_domain"),
        ({"website": "http://127.0.0.1/"}, "website"),
    ],
)
def test_the_form_refuses_what_is_wrong_and_creates_nothing(people, login, change, field):
    client = login(newcomer())
    response = client.post(create_url(), {**SUPPLIER, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()
    assert not Organisation.objects.filter(name="Ny Kode ApS").exists()


def test_a_cvr_number_a_live_partnership_application_claims_is_taken(people, login):
    make_application(people.new_supplier_org, people.new_supplier_admin, status="draft", cvr=FREE_CVR)
    response = login(newcomer()).post(create_url(), SUPPLIER)
    assert FREE_CVR in " ".join(response.context["form"].errors["cvr"])
    assert not Organisation.objects.filter(cvr=FREE_CVR).exists()


def test_an_authority_needs_its_ean_number(people, login):
    response = login(newcomer()).post(create_url("myndighed"), {**AUTHORITY, "ean": ""})
    assert "ean" in response.context["form"].errors


def test_only_a_person_with_a_confirmed_address_creates_an_organisation(people, login):
    person = newcomer()
    EmailAddress.objects.filter(user=person).update(verified=False)
    client = login(person)
    page = client.get(create_url())
    assert page.context["verified"] is False and reference_to_email_page(page)
    client.post(create_url(), SUPPLIER)
    assert not Organisation.objects.filter(cvr=FREE_CVR).exists()
    with pytest.raises(ValidationError):
        services.organisation_register(user=person, kind="supplier", **SUPPLIER)


def reference_to_email_page(response) -> bool:
    return reverse("account_email") in response.content.decode()


def test_the_secretariats_kind_and_unknown_kinds_cannot_be_created(people, login):
    client = login(newcomer())
    assert client.get(reverse("accounts:organisation_create", args=["sekretariat"])).status_code == 404
    with pytest.raises(ValidationError):
        services.organisation_register(user=people.outsider, kind="secretariat", **SUPPLIER)


def test_the_choice_page_offers_both_kinds_and_finding_your_organisation(people, login):
    body = login(newcomer()).get(reverse("accounts:organisation_new") + "?next=/partnerskab/").content.decode()
    for kind in ("leverandoer", "myndighed"):
        assert reverse("accounts:organisation_create", args=[kind]) + "?next=/partnerskab/" in body
    assert reverse("accounts:organisations") in body


def test_an_organisation_called_ny_does_not_hide_the_create_page(people):
    org = services.organisation_create(name="Ny", kind="supplier")
    assert org.slug != "ny"


def test_next_must_stay_on_the_site(people, login):
    client = login(newcomer())
    response = client.post(create_url(next_path="https://evil.example/"), {**SUPPLIER, "next": "//evil.example/"})
    assert response["Location"] == Organisation.objects.get(cvr=FREE_CVR).get_absolute_url()


# --- Looking the CVR number up --------------------------------------------------------------------------------


SLOW = 5  # seconds the fake register takes for OTHER_FREE_CVR; the lookup gives up long before


class FakeRegister(BaseHTTPRequestHandler):
    """A CVR register answering like cvrapi.dk: one company, NOT_FOUND for the rest, slowly for 10103940."""

    def do_GET(self):  # noqa: N802 - the handler's name is http.server's
        number = self.path.rsplit("=", 1)[-1]
        if number == OTHER_FREE_CVR:
            time.sleep(SLOW)
        if number == FREE_CVR:
            body = {"vat": int(FREE_CVR), "name": "NY KODE ApS", "address": "Kodevej 7", "zipcode": "8000"}
            body["city"] = "Aarhus C"
            status = 200
        else:
            body, status = {"error": "NOT_FOUND"}, 404
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def register(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRegister)
    server.daemon_threads, server.block_on_close = True, False  # a slow answer does not hold the test up
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CVR_LOOKUP_URL = f"http://127.0.0.1:{server.server_address[1]}/api?country=dk&vat={{cvr}}"
    settings.CVR_LOOKUP_TIMEOUT = 0.3
    yield server
    server.shutdown()
    server.server_close()


def test_no_lookup_is_made_or_offered_by_default(people, login, monkeypatch):
    monkeypatch.setattr(cvr_register, "fetch_json", lambda *a: pytest.fail("no lookup without CVR_LOOKUP_URL"))
    assert cvr_register.lookup(FREE_CVR) is None
    page = login(newcomer()).get(create_url())
    assert 'name="lookup"' not in page.content.decode()


def test_the_lookup_fills_in_the_name_and_address_to_check(people, login, register):
    client = login(newcomer())
    assert 'name="lookup"' in client.get(create_url()).content.decode()
    response = client.post(create_url(), {"cvr": "2505 2943", "lookup": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {}
    assert (form["name"].value(), form["street"].value(), form["postcode"].value(), form["city"].value()) == (
        "NY KODE ApS",
        "Kodevej 7",
        "8000",
        "Aarhus C",
    )
    assert response.context["found"].name == "NY KODE ApS"
    assert not Organisation.objects.filter(cvr=FREE_CVR).exists()  # the person checks and saves


def test_a_number_the_register_does_not_know_is_said_on_the_field(people, login, register):
    response = login(newcomer()).post(create_url(), {"cvr": "13748136", "lookup": "1"})
    assert "13748136" in " ".join(response.context["form"].errors["cvr"])
    assert list(response.context["form"].errors) == ["cvr"]


def test_an_invalid_number_is_not_looked_up(people, login, register, monkeypatch):
    monkeypatch.setattr(cvr_register, "fetch_json", lambda *a: pytest.fail("an invalid number is not sent"))
    response = login(newcomer()).post(create_url(), {"cvr": "12345678", "lookup": "1"})
    assert list(response.context["form"].errors) == ["cvr"]


def test_a_slow_register_costs_a_message_not_the_page(people, login, register):
    started = time.monotonic()
    response = login(newcomer()).post(create_url(), {"cvr": OTHER_FREE_CVR, "lookup": "1", "name": "Mit navn"})
    assert time.monotonic() - started < SLOW / 2
    assert response.status_code == 200
    warnings = [str(m) for m in response.context["messages"]]
    assert len(warnings) == 1 and "CVR" in warnings[0]
    assert response.context["form"]["name"].value() == "Mit navn"


def test_an_unreachable_register_fails_with_a_clear_danish_message(settings):
    settings.CVR_LOOKUP_URL = "http://127.0.0.1:9/api?vat={cvr}"  # the discard port: nothing listens
    with pytest.raises(cvr_register.CvrLookupFailed) as failure:
        cvr_register.lookup(FREE_CVR)
    assert "CVR" in str(failure.value)


def test_a_register_that_refuses_to_answer_is_a_failure_not_a_missing_company(settings, monkeypatch):
    settings.CVR_LOOKUP_URL = "https://cvr.example/api?vat="
    seen = []
    answer = {"error": "QUOTA_EXCEEDED"}
    monkeypatch.setattr(cvr_register, "fetch_json", lambda url, timeout: seen.append(url) or answer)
    with pytest.raises(cvr_register.CvrLookupFailed):
        cvr_register.lookup(FREE_CVR)
    assert seen == [f"https://cvr.example/api?vat={FREE_CVR}"]  # without {cvr}, the number goes at the end


# --- Asking to join -------------------------------------------------------------------------------------------


@pytest.fixture
def nykode(people):
    admin = newcomer("stifter@nykode.dk", name="Stine Stifter")
    return services.organisation_register(user=admin, kind="supplier", **SUPPLIER), admin


def test_a_colleague_finds_the_organisation_by_name_or_cvr_asks_and_the_admin_approves(
    people, login, client, nykode, django_capture_on_commit_callbacks
):
    org, admin = nykode
    colleague = newcomer("kollega@andet.dk", name="Karl Kollega")
    colleague.preferred_language = "en"
    colleague.save()
    client = login(colleague)
    for q in ("ny kode", FREE_CVR, "2505 2943"):
        found = client.get(reverse("accounts:organisations"), {"q": q})
        assert [o.pk for o in found.context["page"]] == [org.pk], q
    secretariat = client.get(reverse("accounts:organisations"), {"q": "OS2-sekretariatet"})
    assert secretariat.context["page"].paginator.count == 0
    join_url = reverse("accounts:join", args=[org.slug])
    assert join_url in found.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url, {"message": "Jeg er ny udvikler."})
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert (request.user, request.status, request.message) == (colleague, "pending", "Jeg er ny udvikler.")
    [asked] = sent_to(admin.email)
    assert colleague.email in asked.subject and "Jeg er ny udvikler." in asked.body
    assert org.get_absolute_url() in asked.body
    # Not a member yet: the organisation page is still closed to them.
    assert client.get(org.get_absolute_url()).status_code == 404
    assert client.post(join_url, {"message": "Igen"}).status_code == 200  # asking twice is refused
    assert JoinRequest.objects.count() == 1

    mail.outbox.clear()
    admin_client = login(admin)
    page = admin_client.get(org.get_absolute_url())
    assert [f.join_request for f in page.context["join_decisions"]] == [request]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("accounts:join_decide", args=[org.slug, request.pk]), {f"request-{request.pk}-decision": "approve"}
        )
    assert response.status_code == 302
    assert Membership.objects.get(organisation=org, user=colleague).role == "member"
    request.refresh_from_db()
    assert request.status == "approved"
    assert list(request.events.values_list("to_status", flat=True)) == ["pending", "approved"]
    [answer] = sent_to(colleague.email)
    assert answer.subject == "You are now a member of Ny Kode ApS on OS2hub"  # in the person's language
    client.force_login(colleague)
    assert client.get(org.get_absolute_url()).status_code == 200


def test_a_declined_request_is_told_with_the_reason_and_makes_no_member(
    people, login, nykode, django_capture_on_commit_callbacks
):
    org, admin = nykode
    colleague = newcomer("kollega@andet.dk")
    request = services.join_request_create(organisation=org, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        login(admin).post(
            reverse("accounts:join_decide", args=[org.slug, request.pk]),
            {f"request-{request.pk}-decision": "decline", f"request-{request.pk}-reason": "Vi kender dig ikke."},
        )
    request.refresh_from_db()
    assert request.status == "declined"
    assert not Membership.objects.filter(user=colleague).exists()
    [answer] = sent_to(colleague.email)
    assert "Vi kender dig ikke." in answer.body


def test_only_the_organisations_admins_and_the_secretariat_decide(people, login, nykode):
    org, admin = nykode
    colleague = newcomer("kollega@andet.dk")
    request = services.join_request_create(organisation=org, user=colleague)
    url = reverse("accounts:join_decide", args=[org.slug, request.pk])
    data = {f"request-{request.pk}-decision": "approve"}
    assert login(colleague).post(url, data).status_code == 404
    assert login(people.supplier_admin).post(url, data).status_code == 404
    plain = member(newcomer("menig@nykode.dk"), org, role="member")
    assert login(plain).post(url, data).status_code == 404
    assert JoinRequest.objects.get().status == "pending"
    assert login(people.secretariat).post(url, data).status_code == 302
    assert JoinRequest.objects.get().status == "approved"
    # A second answer is a conflict, not a second membership.
    response = login(admin).post(url, {f"request-{request.pk}-decision": "decline"}, follow=True)
    assert JoinRequest.objects.get().status == "approved"
    assert any("answered already" in str(m) or "besvaret" in str(m) for m in response.context["messages"])


def test_the_person_withdraws_a_request(people, login, nykode):
    org, _admin = nykode
    colleague = newcomer("kollega@andet.dk")
    services.join_request_create(organisation=org, user=colleague)
    client = login(colleague)
    overview = client.get(reverse("accounts:organisations"))
    assert [r.organisation for r in overview.context["own_requests"]] == [org]
    client.post(reverse("accounts:join_withdraw", args=[org.slug]))
    assert JoinRequest.objects.get().status == "withdrawn"
    # ... and may ask again later.
    services.join_request_create(organisation=org, user=colleague)
    assert JoinRequest.objects.filter(status="pending").count() == 1


def test_a_person_has_at_most_a_few_requests_waiting(people):
    person = newcomer("mange@andet.dk")
    for _ in range(JoinRequest.MAX_PENDING):
        services.join_request_create(organisation=OrganisationFactory(kind="supplier"), user=person)
    with pytest.raises(ValidationError):
        services.join_request_create(organisation=OrganisationFactory(kind="supplier"), user=person)


def test_nobody_asks_to_join_the_secretariat_or_an_organisation_that_was_not_confirmed(people, login):
    client = login(newcomer())
    assert client.get(reverse("accounts:join", args=[people.secretariat_org.slug])).status_code == 404
    people.authority2.status = "rejected"
    people.authority2.save()
    assert client.get(reverse("accounts:join", args=[people.authority2.slug])).status_code == 404
    assert client.get(reverse("accounts:organisations"), {"q": "Odense"}).context["page"].paginator.count == 0


def test_a_person_at_the_verified_domain_joins_at_once_and_the_admins_are_told(
    people, login, nykode, django_capture_on_commit_callbacks
):
    org, admin = nykode
    colleague = newcomer("kollega@nykode.dk")
    client = login(colleague)
    # Not verified yet: the domain gives nothing, the person asks like everyone else.
    assert client.get(reverse("accounts:join", args=[org.slug])).context["by_domain"] is False
    services.organisation_domain_verify(organisation=org, user=people.secretariat)
    page = client.get(reverse("accounts:join", args=[org.slug]))
    assert page.context["by_domain"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:join", args=[org.slug]))
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert Membership.objects.get(organisation=org, user=colleague).role == "member"
    assert not JoinRequest.objects.exists()
    [told] = sent_to(admin.email)
    assert colleague.email in told.subject


def test_an_address_that_is_not_confirmed_does_not_join_by_domain(people, nykode):
    org, _admin = nykode
    services.organisation_domain_verify(organisation=org, user=people.secretariat)
    person = newcomer("kollega@andet.dk")
    EmailAddress.objects.create(user=person, email="kollega@nykode.dk", verified=False)
    assert services.join_request_create(organisation=org, user=person).status == "pending"


def test_a_changed_domain_must_be_verified_again(people, login, nykode):
    org, admin = nykode
    services.organisation_domain_verify(organisation=org, user=people.secretariat)
    url = reverse("accounts:organisation_edit", args=[org.slug])
    data = {"website": "https://nykode.example", "email_domain": "nykode.dk"}
    login(admin).post(url, data)
    org.refresh_from_db()
    assert org.email_domain_verified
    login(admin).post(url, {**data, "email_domain": "andet.dk"})
    org.refresh_from_db()
    assert org.email_domain == "andet.dk" and not org.email_domain_verified


def test_a_public_mail_service_is_never_verified(people):
    org = OrganisationFactory(kind="supplier")
    Organisation.objects.filter(pk=org.pk).update(email_domain="gmail.com")
    org.refresh_from_db()
    with pytest.raises(ValidationError):
        services.organisation_domain_verify(organisation=org, user=people.secretariat)


# --- The secretariat confirms authorities -------------------------------------------------------------------------


@pytest.fixture
def nordby(people):
    admin = newcomer("it@nordby.dk", name="Ida It")
    return services.organisation_register(user=admin, kind="authority", **AUTHORITY), admin


def test_only_the_secretariat_sees_the_queue(people, login, nordby):
    org, admin = nordby
    for user in (admin, people.authority_admin, people.supplier_admin):
        assert login(user).get(reverse("accounts:confirmation_queue")).status_code == 403
        assert login(user).get(reverse("accounts:confirmation", args=[org.slug])).status_code == 404
    page = login(people.secretariat).get(reverse("accounts:confirmation_queue"))
    assert page.status_code == 200
    assert page.context["counts"] == {"organisations": 1, "domains": 1}
    assert list(page.context["page"]) == [org] and list(page.context["domains"]) == [org]


def test_the_secretariat_confirms_and_the_authority_may_pledge(
    people, login, nordby, django_capture_on_commit_callbacks
):
    org, admin = nordby
    assert development_getters.pledging_authority_ids(admin) == set()
    assert org.name in development_getters.pledge_refusal(admin)
    client = login(people.secretariat)
    url = reverse("accounts:confirmation", args=[org.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "confirm", "reason": ""})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.status, org.confirmed_by) == ("confirmed", people.secretariat) and org.confirmed_at
    assert [m.to for m in mail.outbox] == [[admin.email]]
    admin = type(admin).objects.get(pk=admin.pk)  # a new request
    assert development_getters.pledging_authority_ids(admin) == {org.pk}
    assert development_getters.pledge_refusal(admin) == ""
    assert selectors.organisations_to_confirm().count() == 0
    # Deciding again (a page opened before the decision) is refused with a message, and changes nothing.
    response = client.post(url, {"decision": "reject", "reason": "Nej"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    org.refresh_from_db()
    assert org.status == "confirmed"


def test_a_confirmed_authority_keeps_the_name_and_cvr_the_secretariat_confirmed(people, login, nordby):
    org, admin = nordby
    url = reverse("accounts:organisation_edit", args=[org.slug])
    data = {"name": "Nordby Kommune", "cvr": org.cvr, "ean": org.ean, "email_domain": "nordby.dk"}
    # While it waits, the admin may still correct what the secretariat is about to check.
    assert login(admin).post(url, {**data, "name": "Nordby Kommune (rettet)"}).status_code == 302
    org.refresh_from_db()
    assert org.name == "Nordby Kommune (rettet)"
    services.organisation_confirm(organisation=org, user=people.secretariat)

    client = login(admin)
    page = client.get(url)
    assert page.context["form"].fields["name"].disabled and page.context["form"].fields["cvr"].disabled
    with translation.override("en"):
        assert "Ask the secretariat" in str(page.context["form"].fields["cvr"].help_text)
    response = client.post(url, {**data, "name": "Et andet navn", "cvr": FREE_CVR, "city": "Nordby"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.cvr, org.city) == ("Nordby Kommune (rettet)", AUTHORITY["cvr"], "Nordby")


def test_not_confirming_needs_a_reason_which_the_admins_get(people, login, nordby, django_capture_on_commit_callbacks):
    org, admin = nordby
    client = login(people.secretariat)
    url = reverse("accounts:confirmation", args=[org.slug])
    response = client.post(url, {"decision": "reject", "reason": " "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    org.refresh_from_db()
    assert org.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "Kommunen findes ikke."})
    org.refresh_from_db()
    assert org.status == "rejected"
    [told] = sent_to(admin.email)
    assert "Kommunen findes ikke." in told.body
    page = login(admin).get(org.get_absolute_url())
    assert page.context["rejected_because"] == "Kommunen findes ikke."
    assert development_getters.pledging_authority_ids(admin) == set()


def test_the_secretariat_verifies_the_domain_on_the_organisations_page(people, login, nordby):
    org, _admin = nordby
    client = login(people.secretariat)
    url = reverse("accounts:confirmation", args=[org.slug])
    client.post(url, {"domain": "verify"})
    org.refresh_from_db()
    assert org.email_domain_verified and org.email_domain_verified_by == people.secretariat
    assert selectors.onboarding_queue_counts() == {"organisations": 1, "domains": 0}
    client.post(url, {"domain": "unverify"})
    org.refresh_from_db()
    assert not org.email_domain_verified


def test_an_unconfirmed_authority_cannot_pledge(people, nordby):
    from .test_development import World, funded_request

    org, admin = nordby
    request = funded_request(World(people))
    roles = roles_for(admin)
    assert PLEDGE not in REQUEST_WORKFLOW.available(request, roles)
    assert PLEDGE in REQUEST_WORKFLOW.available(request, roles_for(people.authority_admin))
    services.organisation_confirm(organisation=org, user=people.secretariat)
    admin = type(admin).objects.get(pk=admin.pk)
    assert PLEDGE in REQUEST_WORKFLOW.available(request, roles_for(admin))


def test_an_unconfirmed_authority_cannot_sign_a_joining_agreement_and_is_told_why(people, login, nordby):
    org, admin = nordby
    Product.objects.create(name="OS2mo", slug="os2mo", summary="x", status="product")
    url = reverse("products:agreements", args=["os2mo"])
    data = {
        "organisation": org.pk,
        "yearly_fee_dkk": "10.000",
        "one_off_fee_dkk": "0",
        "governance_percentage": "10",
        "starts_on": "2026-01-01",
    }
    for user in (admin, people.secretariat):
        response = login(user).post(url, data)
        assert response.status_code == 200
        assert org.name in " ".join(response.context["form"].errors["organisation"])
    assert not JoiningAgreement.objects.exists()
    services.organisation_confirm(organisation=org, user=people.secretariat)
    assert login(admin).post(url, data).status_code == 302
    assert JoiningAgreement.objects.get().yearly_fee_dkk == Decimal("10000")


def test_organisations_made_by_the_secretariat_are_confirmed(people):
    org = services.organisation_create(name="Vejle Kommune", kind="authority", cvr="29403473")
    assert org.is_confirmed and org.confirmed_at
    assert not people.authority.awaits_confirmation


def test_the_data_migration_confirms_every_existing_organisation(people):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("os2hub.accounts.migrations.0003_onboarding")
    Organisation.objects.update(status="pending", confirmed_at=None)
    migration.confirm_existing(apps, None)
    for org in Organisation.objects.all():
        assert org.status == "confirmed" and org.confirmed_at == org.created_at


def test_the_demo_has_something_in_each_queue(settings, db):
    import os

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert [o.name for o in selectors.organisations_to_confirm()] == ["Demoby Kommune"]
    assert JoinRequest.objects.filter(status="pending", organisation__name="Aarhus Kommune").count() == 1
    assert selectors.onboarding_queue_counts()["domains"] >= 1
    assert Organisation.objects.exclude(status="confirmed").count() == 1


# --- Lists cost the same whatever their length ------------------------------------------------------------------


def test_the_search_and_the_queue_cost_a_constant_number_of_queries(
    people, login, django_assert_max_num_queries, nordby
):
    for i in range(30):
        OrganisationFactory(name=f"Testkommune {i}", status="pending", email_domain=f"k{i}.dk")
    client = login(newcomer())
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:organisations"), {"q": "Testkommune"}).status_code == 200
    client = login(people.secretariat)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("accounts:confirmation_queue"))
    assert page.context["counts"]["organisations"] == 31


# --- The e-mails, each in Danish and in English ----------------------------------------------------------------

LINK = "https://os2hub.example/organisationer/a-b/"


def context(**extra):
    org = Organisation(name="A & B Kommune", slug="a-b", cvr="55133018", email_domain="ab.dk")
    person = UserFactory.build(email="anna@ab.dk", name="Anna")
    return {"organisation": org, "person": person, "link": LINK, **extra}


TEMPLATES = {
    "organisation_registered": (
        context,
        ("Ny myndighed til godkendelse: A & B Kommune", "anna@ab.dk har oprettet myndigheden A & B Kommune"),
        ("New authority to confirm: A & B Kommune", "anna@ab.dk has registered the public authority A & B Kommune"),
    ),
    "organisation_confirmed": (
        lambda: context(comment="Velkommen."),
        ("A & B Kommune er godkendt på OS2hub", "OS2-sekretariatet har godkendt A & B Kommune."),
        ("A & B Kommune is confirmed on OS2hub", "The OS2 secretariat has confirmed A & B Kommune."),
    ),
    "organisation_rejected": (
        lambda: context(reason="Findes ikke.", contact="kontakt@os2.example"),
        ("A & B Kommune er ikke godkendt på OS2hub", "OS2-sekretariatet har ikke godkendt A & B Kommune"),
        ("A & B Kommune is not confirmed on OS2hub", "The OS2 secretariat has not confirmed A & B Kommune"),
    ),
    "join_request_received": (
        lambda: context(message="Jeg er ny."),
        ("anna@ab.dk beder om at blive medlem af A & B Kommune", "anna@ab.dk beder om at blive medlem af"),
        ("anna@ab.dk asks to join A & B Kommune", "anna@ab.dk asks to join A & B Kommune on OS2hub."),
    ),
    "join_request_approved": (
        lambda: context(reason=""),
        ("Du er nu medlem af A & B Kommune på OS2hub", "Din anmodning om at blive medlem af A & B Kommune"),
        ("You are now a member of A & B Kommune on OS2hub", "Your request to join A & B Kommune is approved"),
    ),
    "join_request_declined": (
        lambda: context(reason="Vi kender dig ikke."),
        ("Din anmodning om at blive medlem af A & B Kommune er afvist", "har afvist din anmodning"),
        ("Your request to join A & B Kommune is declined", "An administrator of A & B Kommune has declined"),
    ),
    "join_by_domain": (
        context,
        ("anna@ab.dk er blevet medlem af A & B Kommune", "anna@ab.dk er blevet medlem af A & B Kommune"),
        ("anna@ab.dk has joined A & B Kommune", "anna@ab.dk has joined A & B Kommune on OS2hub as a member"),
    ),
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_onboarding_mail_in_danish_and_english(name, language):
    make, danish, english = TEMPLATES[name]
    subject, text, html = render_mail(name, make(), language)
    expected_subject, expected_text = danish if language == "da" else english
    assert subject == expected_subject
    assert expected_text in text and "&amp;" not in text
    assert f'<html lang="{language}">' in html and "A &amp; B Kommune" in html


def test_the_mails_carry_what_the_person_wrote(people):
    for name, key, value in [
        ("organisation_rejected", "reason", "Findes ikke."),
        ("organisation_confirmed", "comment", "Velkommen."),
        ("join_request_received", "message", "Jeg er ny."),
        ("join_request_declined", "reason", "Vi kender dig ikke."),
    ]:
        _subject, text, _html = render_mail(name, context(**{key: value}), "en")
        assert value in text, name


def test_join_requests_waiting_is_what_an_admin_answers(people, nykode):
    org, admin = nykode
    request = services.join_request_create(organisation=org, user=newcomer("a@andet.dk"))
    assert list(selectors.join_requests_waiting(admin)) == [request]
    assert list(selectors.join_requests_waiting(people.supplier_admin)) == []
    assert datetime.date.today() >= request.created_at.date()
