"""The partnership application's pages and API agree: a person is offered a step exactly when the API accepts it.

The pages are read as a person sees them (the applicant's submit button on the partnership page, the decisions
the secretariat's review page offers) and the API is asked with real requests, for every persona and every status.
"""

import re
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from os2hub.accounts.services import api_token_issue
from os2hub.suppliers.models import SupplierApplication
from os2hub.suppliers.workflow import APPLICATION_WORKFLOW

pytestmark = pytest.mark.django_db

Status = SupplierApplication.Status
URL = "/api/v1/supplier-applications"
PERSONAS = ("secretariat", "supplier_admin", "supplier_member", "new_supplier_admin", "authority_admin", "outsider")
STEPS = ("submit", "approve", "request_changes", "reject")
DECISION_CHOICE = re.compile(r'<input\b[^>]*\bname="decision"[^>]*\bvalue="([^"]+)"')


def set_status(application, status):
    SupplierApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


def page_steps(client, user, application) -> set[str]:
    """The steps the pages offer the person on the application."""
    client.force_login(user)
    offered = set()
    page = client.get(reverse("suppliers:application"))
    submit_form = f'action="{reverse("suppliers:submit")}"'
    own = page.status_code == 200 and page.context.get("application") == application
    if own and submit_form in page.content.decode():
        offered.add("submit")
    review = client.get(reverse("suppliers:review", args=[application.pk]))
    if review.status_code == 200:
        offered |= set(DECISION_CHOICE.findall(review.content.decode()))
    client.logout()
    return offered


def api_steps(client, user, application) -> set[str]:
    """The steps the API accepts from the person on the application, each tried from the same status."""
    _token, raw = api_token_issue(user=user, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    status = application.status
    accepted = set()
    for step in STEPS:
        if step == "submit":
            response = client.post(f"{URL}/{application.pk}/submit", **headers)
        else:
            body = {"decision": step, "comment": "Begrundelsen for beslutningen."}
            response = client.post(f"{URL}/{application.pk}/decision", body, content_type="application/json", **headers)
        assert response.status_code in (200, 403, 404, 409), (step, response.status_code, response.content)
        if response.status_code == 200:
            accepted.add(step)
            assert response.json()["status"] == APPLICATION_WORKFLOW[step].target
        set_status(application, status)
    return accepted


def offered_and_accepted(client, people, status):
    application = people.supplier  # complete, so submitting is refused only by the workflow
    set_status(application, status)
    return {
        name: (
            page_steps(client, getattr(people, name), application),
            api_steps(client, getattr(people, name), application),
        )
        for name in PERSONAS
    }


@pytest.mark.parametrize("status", Status.values)
def test_the_pages_offer_exactly_the_steps_the_api_accepts(client, people, status):
    found = offered_and_accepted(client, people, status)
    for name, (offered, accepted) in found.items():
        assert offered == accepted, f"{name} on a {status} application: pages offer {offered}, API accepts {accepted}"
    # The comparison is not empty: the applicant submits, the secretariat decides.
    expected = {
        Status.DRAFT: {"supplier_admin": {"submit"}},
        Status.CHANGES_REQUESTED: {"supplier_admin": {"submit"}},
        Status.SUBMITTED: {"secretariat": {"approve", "request_changes", "reject"}},
    }.get(status, {})
    assert {name: offered for name, (offered, _accepted) in found.items() if offered} == expected


def test_the_pages_and_the_api_follow_the_one_table(client, people, monkeypatch):
    """Change the declared table and both the pages and the API change with it."""
    steps = APPLICATION_WORKFLOW.steps
    monkeypatch.setitem(steps, "reject", replace(steps["reject"], sources=()))
    monkeypatch.setitem(steps, "submit", replace(steps["submit"], sources=(*steps["submit"].sources, Status.APPROVED)))
    submitted = offered_and_accepted(client, people, Status.SUBMITTED)
    assert submitted["secretariat"] == ({"approve", "request_changes"}, {"approve", "request_changes"})
    approved = offered_and_accepted(client, people, Status.APPROVED)
    assert approved["supplier_admin"] == ({"submit"}, {"submit"})
    assert approved["supplier_member"] == (set(), set())


def test_a_decision_posted_from_a_stale_review_page_is_refused_with_the_reason(client, people):
    from os2hub.suppliers import services

    application = people.supplier
    set_status(application, Status.SUBMITTED)
    client.force_login(people.secretariat)
    url = reverse("suppliers:review", args=[application.pk])
    assert DECISION_CHOICE.findall(client.get(url).content.decode()) == ["approve", "request_changes", "reject"]
    services.application_decide(application=application, user=people.secretariat, decision="approve")
    response = client.post(url, {"decision": "reject", "comment": "For sent."}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        refusal = _("This step is not possible in the application's current state (%(status)s).") % {
            "status": Status.APPROVED.label
        }
    assert [str(m) for m in response.context["messages"]] == [refusal]
    assert DECISION_CHOICE.findall(response.content.decode()) == []
    application.refresh_from_db()
    assert application.status == Status.APPROVED
