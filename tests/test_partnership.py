"""A supplier applies for a partnership through the pages, and the secretariat decides."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from os2hub.suppliers import services
from os2hub.suppliers.models import ApplicationEvent, ContactPerson, PriceEntry, SupplierApplication

from .files import PDF_BYTES, decompression_bomb_png, image_upload, pdf_upload, svg_upload

NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=31)).isoformat()

COMPANY = {
    "organisation_name": "Nyt Firma ApS",
    "cvr": "29403473",
    "street": "Havnegade 1",
    "postcode": "5000",
    "city": "Odense C",
    "website": "https://nytfirma.example",
    "core_competences": "Vi laver **Django**.",
    "competences": ["software-development", "code-review"],
}


@pytest.fixture
def applicant(people, login):
    return login(people.new_supplier_admin)


def start(client, **changes):
    return client.post(reverse("suppliers:application_start"), {**COMPANY, **changes})


def complete(client):
    start(client)
    client.post(
        reverse("suppliers:contacts"),
        {
            "name": "Anna",
            "role": "Salg",
            "email": "anna@nytfirma.example",
            "phone": "+45 11 22 33 44",
            "show_publicly": "on",
            "newsletter": "on",
        },
    )
    client.post(
        reverse("suppliers:prices"),
        {"rate_software-development": "1.050,00", "rate_code-review": "900", "valid_from": "2026-01-01"},
    )
    client.post(reverse("suppliers:files"), {"logo": image_upload(), "agreement": pdf_upload()})
    client.post(reverse("suppliers:code_of_conduct"), {"accept": "on"})
    return SupplierApplication.objects.get(cvr="29403473")


def test_a_new_supplier_admin_sees_how_to_start(applicant):
    response = applicant.get(reverse("suppliers:application"))
    assert response.status_code == 200
    assert reverse("suppliers:application_start").encode() in response.content


def test_it_saves_a_draft_that_can_be_resumed(applicant, people):
    response = start(applicant)
    assert response.status_code == 302
    app = SupplierApplication.objects.get(organisation=people.new_supplier_org)
    assert app.status == "draft"
    assert app.competence_keys() == ["code-review", "software-development"]
    page = applicant.get(reverse("suppliers:company"))
    assert b"Havnegade 1" in page.content


def test_uploaded_files_are_stored_under_random_names_with_their_real_type(applicant):
    app = complete(applicant)
    assert app.logo.name.endswith(".png") and "logo" not in app.logo.name.removeprefix("logos/")
    assert app.agreement.name.startswith("agreements/") and app.agreement.name.endswith(".pdf")


def test_it_parses_danish_decimal_prices(applicant):
    app = complete(applicant)
    rates = {p.competence: p.hourly_rate_dkk for p in app.prices.all()}
    assert rates == {"software-development": Decimal("1050.00"), "code-review": Decimal("900")}


def test_the_full_application_is_submitted_and_approved(applicant, people, client, django_capture_on_commit_callbacks):
    app = complete(applicant)
    assert app.missing_for_submission() == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        applicant.post(reverse("suppliers:submit"))
    app.refresh_from_db()
    assert app.status == "submitted"
    assert {m.to[0] for m in mail.outbox} >= {people.secretariat.email, people.new_supplier_admin.email}

    client.force_login(people.secretariat)
    queue = client.get(reverse("suppliers:review_queue"))
    assert b"Nyt Firma ApS" in queue.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("suppliers:review", args=[app.pk]), {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "approved"
    assert [m.to for m in mail.outbox] == [[people.new_supplier_admin.email]]
    assert list(app.events.values_list("to_status", flat=True)) == ["draft", "submitted", "approved"]
    people.new_supplier_org.refresh_from_db()
    assert people.new_supplier_org.cvr == "29403473"

    client.logout()
    directory = client.get(reverse("suppliers:directory"), {"competence": "code-review"})
    assert b"Nyt Firma ApS" in directory.content


def test_an_incomplete_application_cannot_be_submitted(applicant):
    start(applicant)
    response = applicant.post(reverse("suppliers:submit"), follow=True)
    assert SupplierApplication.objects.get(cvr="29403473").status == "draft"
    assert b"800" in response.content  # the logo is named among the missing parts


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_the_secretariat_must_explain_changes_and_rejections(people, login, decision):
    app = SupplierApplication.objects.create(
        organisation=people.new_supplier_org,
        organisation_name="X",
        cvr="25052943",
        website="https://x.example",
        status="submitted",
    )
    client = login(people.secretariat)
    response = client.post(reverse("suppliers:review", args=[app.pk]), {"decision": decision, "comment": " "})
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.status == "submitted"
    response = client.post(reverse("suppliers:review", args=[app.pk]), {"decision": decision, "comment": "Fordi."})
    app.refresh_from_db()
    assert app.status == {"request_changes": "changes_requested", "reject": "rejected"}[decision]
    assert app.events.last().comment == "Fordi."


def test_changes_requested_can_be_fixed_and_resubmitted(applicant, people):
    app = complete(applicant)
    applicant.post(reverse("suppliers:submit"))
    SupplierApplication.objects.filter(pk=app.pk).update(status="changes_requested")
    response = applicant.post(reverse("suppliers:company"), {**COMPANY, "city": "Odense"})
    assert response.status_code == 302
    applicant.post(reverse("suppliers:submit"))
    app.refresh_from_db()
    assert app.status == "submitted" and app.city == "Odense"


def test_a_submitted_application_is_locked(applicant):
    app = complete(applicant)
    applicant.post(reverse("suppliers:submit"))
    response = applicant.post(reverse("suppliers:company"), {**COMPANY, "city": "Svendborg"})
    app.refresh_from_db()
    assert response.status_code == 302 and app.city == "Odense C"


# --- Bad input: a clear message next to the field, and nothing half-saved -----------------------------


def test_it_refuses_an_invalid_cvr_and_keeps_what_was_typed(applicant):
    response = start(applicant, cvr="12345678")
    assert response.status_code == 200
    assert "12345678" in response.context["form"].errors["cvr"][0]
    assert b"Havnegade 1" in response.content
    assert not SupplierApplication.objects.filter(organisation__slug="nyt-firma").exists()


def test_it_refuses_a_cvr_already_registered(applicant, people):
    response = start(applicant, cvr=people.supplier.cvr)
    assert response.status_code == 200
    assert "cvr" in response.context["form"].errors
    assert SupplierApplication.objects.count() == 1


def test_it_refuses_html_in_markdown_when_shown(applicant, people, client):
    start(
        applicant,
        core_competences="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    app = SupplierApplication.objects.get(cvr="29403473")
    SupplierApplication.objects.filter(pk=app.pk).update(status="approved")
    page = client.get(reverse("suppliers:profile", args=[people.new_supplier_org.slug]))
    body = page.content.decode()
    assert "<script>alert" not in body
    assert 'href="javascript:' not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text, harmless


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: image_upload(801, 800), "801×800"),
        (lambda: image_upload(800, 800, fmt="GIF"), "PNG, JPEG"),
        (lambda: image_upload(800, 800, name="logo.png", fmt="BMP"), "PNG, JPEG"),
        (lambda: pdf_upload(name="logo.png", data=b"MZ\x90\x00" + b"\x00" * 2000), "PNG"),
        (lambda: pdf_upload(name="bomb.png", data=decompression_bomb_png()), ""),
    ],
    ids=["801x800", "gif", "bmp-named-png", "renamed-executable", "decompression-bomb"],
)
def test_it_refuses_a_bad_logo_and_keeps_the_old_one(applicant, upload, message):
    app = complete(applicant)
    old_logo = app.logo.name
    response = applicant.post(reverse("suppliers:files"), {"logo": upload(), "agreement": pdf_upload()})
    assert response.status_code == 200
    errors = response.context["form"].errors["logo"]
    assert message in errors[0]
    app.refresh_from_db()
    assert app.logo.name == old_logo


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="javascript:alert(1)"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="https://evil.example/x.svg#a"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"not xml at all",
        b'<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72 l(https://evil.example/p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@\\69mport "https://evil.example/a.css";</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style=\'fill:image-set("https://evil.example/p" 1x)\'/></svg>',
    ],
    ids=[
        "script",
        "onload",
        "javascript-url",
        "external-use",
        "css-import",
        "css-url",
        "foreign-object",
        "external-entity",
        "not-xml",
        "stylesheet-instruction",
        "css-escape-url",
        "css-escape-import",
        "image-set",
    ],
)
def test_it_refuses_an_svg_with_scripts_or_external_references(applicant, svg):
    app = complete(applicant)
    response = applicant.post(reverse("suppliers:files"), {"vector_logo": svg_upload(svg)})
    assert response.status_code == 200
    assert response.context["form"].errors["vector_logo"]
    app.refresh_from_db()
    assert not app.vector_logo


def test_it_accepts_a_clean_svg_and_serves_it_with_a_strict_policy(applicant, people):
    app = complete(applicant)
    response = applicant.post(reverse("suppliers:files"), {"vector_logo": svg_upload()})
    assert response.status_code == 302
    served = applicant.get(reverse("suppliers:vector_logo", args=[people.new_supplier_org.slug]))
    assert served["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in served["Content-Security-Policy"]
    app.refresh_from_db()
    assert app.vector_logo.name.startswith("logos/") and app.vector_logo.name.endswith(".svg")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf_upload(name="aftale.pdf", data=b"PK\x03\x04 a docx in disguise"), "PDF"),
        (lambda: pdf_upload(data=PDF_BYTES + b"0" * (10 * 1024 * 1024)), "10"),
    ],
    ids=["not-a-pdf", "over-10-mb"],
)
def test_it_refuses_an_agreement_that_is_not_a_small_pdf(applicant, upload, message, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    app = complete(applicant)
    old = app.agreement.name
    response = applicant.post(reverse("suppliers:files"), {"agreement": upload()})
    assert response.status_code == 200
    assert message in response.context["form"].errors["agreement"][0]
    app.refresh_from_db()
    assert app.agreement.name == old


def test_one_bad_file_saves_none_of_the_files(applicant):
    app = complete(applicant)
    old_logo = app.logo.name
    response = applicant.post(
        reverse("suppliers:files"), {"logo": image_upload(fmt="JPEG"), "agreement": pdf_upload(data=b"nope")}
    )
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.logo.name == old_logo


# --- Permissions -------------------------------------------------------------------------------------


def test_a_supplier_cannot_open_another_suppliers_application(people, login):
    draft = SupplierApplication.objects.create(
        organisation=people.new_supplier_org,
        organisation_name="Nyt",
        cvr="25052943",
        website="https://n.example",
    )
    client = login(people.supplier_admin)
    assert client.get(reverse("suppliers:review", args=[draft.pk])).status_code == 404
    assert client.post(reverse("suppliers:review", args=[draft.pk]), {"decision": "approve"}).status_code == 404
    assert client.get(reverse("suppliers:agreement", args=[people.supplier.pk])).status_code == 200
    other = login(people.new_supplier_admin)
    assert other.get(reverse("suppliers:agreement", args=[people.supplier.pk])).status_code == 404


def test_a_supplier_member_who_is_not_admin_cannot_apply(people, login):
    client = login(people.supplier_member)
    assert client.get(reverse("suppliers:application")).status_code == 403


def test_only_the_secretariat_sees_the_review_queue(people, login):
    for user in (people.supplier_admin, people.authority_admin, people.outsider):
        assert login(user).get(reverse("suppliers:review_queue")).status_code == 403
    assert login(people.secretariat).get(reverse("suppliers:review_queue")).status_code == 200


def test_contacts_of_another_supplier_cannot_be_edited(people, login):
    foreign = people.supplier.contacts.first()
    client = login(people.new_supplier_admin)
    start(client)
    assert client.get(reverse("suppliers:contact_edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("suppliers:contact_delete", args=[foreign.pk])).status_code == 404
    assert ContactPerson.objects.filter(pk=foreign.pk).exists()


# --- Consent and the newsletter list --------------------------------------------------------------------


def test_consent_is_recorded_with_time_and_wording(applicant):
    app = complete(applicant)
    contact = app.contacts.get()
    assert contact.public_consent_at and contact.newsletter_consent_at
    assert "nyhedsbrev" in contact.newsletter_consent_text
    applicant.post(
        reverse("suppliers:contact_edit", args=[contact.pk]),
        {"name": "Anna", "role": "Salg", "email": "anna@nytfirma.example", "show_publicly": "on"},
    )
    contact.refresh_from_db()
    assert contact.public_consent_at and contact.newsletter_consent_at is None


def test_the_newsletter_csv_lists_opted_in_contacts_of_approved_partners_only(people, login, applicant):
    complete(applicant)  # a draft with an opted-in contact: must not be listed
    response = login(people.secretariat).get(reverse("suppliers:newsletter_csv"))
    assert response["Content-Disposition"].startswith("attachment")
    rows = response.content.decode().strip().splitlines()
    assert rows[0].startswith("supplier,cvr,name,role,email,consent_at,consent_text")
    assert len(rows) == 2
    assert "synlig@example.dk" in rows[1]
    assert "anna@nytfirma.example" not in response.content.decode()


def test_the_newsletter_csv_is_for_the_secretariat_only(people, login):
    assert login(people.supplier_admin).get(reverse("suppliers:newsletter_csv")).status_code == 403


# --- An approved partner keeps prices current, with history ------------------------------------------


def test_an_approved_partners_price_change_keeps_the_history(people, login):
    client = login(people.supplier_admin)
    before = PriceEntry.objects.filter(application=people.supplier).count()
    response = client.post(
        reverse("suppliers:prices"),
        {"rate_software-development": "999,50", "rate_code-review": "1100", "valid_from": NEXT_MONTH},
    )
    assert response.status_code == 302
    entries = PriceEntry.objects.filter(application=people.supplier)
    assert entries.count() == before + 1  # unchanged code-review rate adds no row
    assert entries.filter(hourly_rate_dkk=Decimal("950.00")).exists()
    profile = client.get(reverse("suppliers:profile", args=["kodekammeret"]))
    assert "950,00\xa0kr." in profile.content.decode()  # still in force today


def test_an_approved_partner_cannot_backdate_a_price(people, login):
    client = login(people.supplier_admin)
    response = client.post(
        reverse("suppliers:prices"),
        {"rate_software-development": "1", "rate_code-review": "1", "valid_from": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "valid_from" in response.context["form"].errors


def test_history_records_who_did_each_transition(applicant, people):
    app = complete(applicant)
    applicant.post(reverse("suppliers:submit"))
    event = ApplicationEvent.objects.filter(application=app, to_status="submitted").get()
    assert event.actor == people.new_supplier_admin and event.from_status == "draft"


def test_it_refuses_a_website_on_an_internal_network(applicant):
    response = start(applicant, website="http://192.168.1.10/")
    assert response.status_code == 200
    assert "website" in response.context["form"].errors


def test_an_approved_partner_keeps_its_profile_current_but_not_its_cvr(people, login):
    client = login(people.supplier_admin)
    data = {**COMPANY, "organisation_name": "Kodekammeret ApS", "cvr": people.supplier.cvr, "city": "Vejle"}
    assert client.post(reverse("suppliers:company"), data).status_code == 302
    people.supplier.refresh_from_db()
    assert people.supplier.city == "Vejle" and people.supplier.status == "approved"
    response = client.post(reverse("suppliers:company"), {**data, "cvr": "25052943"})
    assert response.status_code == 200 and "cvr" in response.context["form"].errors
    people.supplier.refresh_from_db()
    assert people.supplier.cvr == "13748136"


def test_the_review_queue_uses_a_constant_number_of_queries(people, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .personas import VALID_CVRS, OrganisationFactory, make_application

    client = login(people.secretariat)
    url = reverse("suppliers:review_queue") + "?status=all"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for cvr in VALID_CVRS[1:7]:
        make_application(OrganisationFactory(kind="supplier"), people.supplier_admin, status="submitted", cvr=cvr)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_first_price_list_must_already_be_in_force(applicant):
    start(applicant)
    response = applicant.post(
        reverse("suppliers:prices"),
        {"rate_software-development": "1000", "rate_code-review": "900", "valid_from": NEXT_MONTH},
    )
    assert response.status_code == 200 and "valid_from" in response.context["form"].errors


def test_a_price_needs_at_most_two_decimals(applicant):
    start(applicant)
    response = applicant.post(
        reverse("suppliers:prices"),
        {"rate_software-development": "1000,555", "rate_code-review": "900", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not SupplierApplication.objects.get(cvr="29403473").prices.exists()


def test_a_changes_requested_application_shows_the_secretariats_comment(applicant, people):
    app = complete(applicant)
    applicant.post(reverse("suppliers:submit"))
    services.application_decide(
        application=app, user=people.secretariat, decision="request_changes", comment="Tilføj en timepris for hosting."
    )
    page = applicant.get(reverse("suppliers:application"))
    assert page.status_code == 200 and "Tilføj en timepris for hosting." in page.content.decode()


def test_a_rejected_supplier_can_start_again(applicant, people):
    app = complete(applicant)
    applicant.post(reverse("suppliers:submit"))
    services.application_decide(application=app, user=people.secretariat, decision="reject", comment="Nej tak.")
    page = applicant.get(reverse("suppliers:application"))
    assert page.status_code == 200 and "Nej tak." in page.content.decode()
    assert reverse("suppliers:application_start").encode() in page.content
    response = start(applicant, cvr="29403473")
    assert response.status_code == 302
    assert SupplierApplication.objects.filter(organisation=people.new_supplier_org).count() == 2


def test_a_new_person_in_a_contact_does_not_inherit_the_previous_persons_consent(applicant):
    app = complete(applicant)
    contact = app.contacts.get()
    services.contact_save(
        application=app,
        user=app.organisation.memberships.get().user,
        contact=contact,
        data={"name": "Bent", "email": "bent@nytfirma.example"},
    )
    contact.refresh_from_db()
    assert contact.public_consent_at is None and contact.newsletter_consent_at is None


def test_an_approved_partner_adding_a_competence_is_sent_to_set_its_price(people, login):
    client = login(people.supplier_admin)
    data = {
        **COMPANY,
        "organisation_name": "Kodekammeret ApS",
        "cvr": people.supplier.cvr,
        "competences": ["software-development", "hosting"],
    }
    response = client.post(reverse("suppliers:company"), data)
    assert response.status_code == 302 and response["Location"] == reverse("suppliers:prices")
    prices = {p.competence for p in people.supplier.current_prices()}
    assert prices == {"software-development"}  # the dropped code-review rate is no longer published


def test_a_supplier_cannot_change_its_cvr_on_the_organisation_page(people, login):
    client = login(people.supplier_admin)
    url = reverse("accounts:organisation_edit", args=[people.supplier_org.slug])
    client.post(url, {"name": "Andet navn", "cvr": "25052943", "website": "https://k.example"})
    people.supplier_org.refresh_from_db()
    assert people.supplier_org.cvr == "13748136" and people.supplier_org.name == "Kodekammeret ApS"


def test_the_newsletter_csv_neutralises_formulas_in_every_column(people, login):
    people.supplier.contacts.filter(name="Synlig Kontakt").update(email="=1+1@example.com", name="@SUM(A1)")
    body = login(people.secretariat).get(reverse("suppliers:newsletter_csv")).content.decode()
    assert ",'=1+1@example.com," in body and ",'@SUM(A1)," in body


def test_an_empty_file_is_refused(applicant):
    complete(applicant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = applicant.post(reverse("suppliers:files"), {"agreement": SimpleUploadedFile("a.pdf", b"")})
    assert response.status_code == 200 and response.context["form"].errors
