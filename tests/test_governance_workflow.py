"""The governance workflows are declared once (governance/workflow.py), and the pages and the API (or, where there
is no API, the service) ask the same table: for every persona and status, a page offers a step's form exactly
when the step would be accepted. Both sides are asked through real requests and service calls."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from os2hub.accounts.services import api_token_issue
from os2hub.core.workflow import TransitionConflict
from os2hub.governance import services
from os2hub.governance.models import CriteriaVersion, Evaluation, Round
from os2hub.products.models import Group, GroupMember, Product

from .personas import UserFactory

PERSONAS = ("coordinator", "steering", "secretariat", "other_authority", "supplier", "outsider", "anonymous")
SLUG = "os2mo"


@pytest.fixture
def world(people):
    steering = UserFactory(email="styregruppe@example.dk", name="Styre Svendsen")
    product = Product.objects.create(
        name="OS2mo", slug=SLUG, summary="Medarbejdere og organisation", coordinator=people.authority_admin
    )
    group = Group.objects.create(product=product, kind=Group.Kind.STEERING, name="Styregruppen")
    GroupMember.objects.create(group=group, user=steering)
    outsider = UserFactory(email="udenfor@example.dk")
    return {
        "product": product,
        "users": {
            "coordinator": people.authority_admin,
            "steering": steering,
            "secretariat": people.secretariat,
            "other_authority": people.authority2_admin,
            "supplier": people.supplier_admin,
            "outsider": outsider,
            "anonymous": None,
        },
    }


def page_client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def api_headers(user) -> dict:
    if user is None:
        return {}
    _token, raw = api_token_issue(user=user, name="workflow")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def accepted_by_service(call) -> bool:
    """Did the service take the step? Refusals (who or status) roll back; nothing else may go wrong."""
    try:
        with transaction.atomic():
            call()
    except (PermissionDenied, TransitionConflict):
        return False
    return True


# --- Self-assessment: the page and the API ------------------------------------------------------------------


def set_self_assessment(product, secretariat, status):
    if status == "none":
        return None
    draft = services.self_assessment_draft(product=product, user=secretariat)
    if status == "submitted":
        services.self_assessment_submit(assessment=draft, user=secretariat)
    return draft


def self_assessment_page_steps(client, product) -> set[str]:
    """The steps the self-assessment's pages offer: answering, when the overview links to a theme whose page has
    the answer form; submitting, when it links to the confirmation page and that page has the form that submits."""
    response = client.get(reverse("governance:self_assessment", args=[product.slug]))
    if response.status_code != 200:
        return set()
    html = response.content.decode()
    offered = set()
    theme = reverse("governance:self_assessment_theme", args=[product.slug, "relevans"])
    if f'href="{theme}"' in html:
        page = client.get(theme)
        if page.status_code == 200 and 'id="answers"' in page.content.decode():
            offered.add("answer")
    submit = reverse("governance:self_assessment_submit", args=[product.slug])
    if f'href="{submit}"' in html:
        page = client.get(submit)
        if page.status_code == 200 and f'action="{submit}"' in page.content.decode():
            offered.add("submit")
    return offered


@pytest.mark.parametrize("status", ["none", "draft", "submitted"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("step", ["answer", "submit"])
def test_the_self_assessment_page_offers_a_step_exactly_when_the_api_accepts_it(
    client, people, world, persona, status, step
):
    product, user = world["product"], world["users"][persona]
    set_self_assessment(product, people.secretariat, status)
    offered = step in self_assessment_page_steps(page_client(client, user), product)

    client.logout()
    base = f"/api/v1/products/{product.slug}/self-assessment"
    if step == "answer":
        code = CriteriaVersion.current().criteria.order_by("position").first().code
        response = client.put(
            base,
            {"answers": [{"criterion": code, "answer": "Ja"}]},
            content_type="application/json",
            **api_headers(user),
        )
    else:
        response = client.post(f"{base}/submit", content_type="application/json", **api_headers(user))
    accepted = response.status_code == 200
    assert offered == accepted, (persona, status, step, response.status_code)


def test_the_table_is_not_trivially_agreeing(client, people, world):
    # The comparison above is only worth something if both answers occur.
    product = world["product"]
    set_self_assessment(product, people.secretariat, "draft")
    assert self_assessment_page_steps(page_client(client, people.authority_admin), product) == {"answer", "submit"}
    client.logout()
    assert self_assessment_page_steps(page_client(client, world["users"]["outsider"]), product) == set()


# --- Evaluation: the pages and the service ------------------------------------------------------------------


def rated_evaluation(product, secretariat, status) -> Evaluation:
    evaluation = services.evaluation_start(product=product, user=secretariat)
    codes = [c.code for c in services.criteria_of(evaluation.criteria_version)]
    services.evaluation_save(
        evaluation=evaluation,
        user=secretariat,
        ratings={code: {"rating": "green", "grounds": ""} for code in codes},
        summary="Velfungerende.",
    )
    if status == "published":
        services.evaluation_publish(evaluation=evaluation, user=secretariat)
    evaluation.refresh_from_db()
    return evaluation


def evaluation_page_steps(client, product, evaluation) -> set[str]:
    args = [product.slug, evaluation.pk]
    offered = set()
    report = client.get(reverse("governance:evaluation", args=args))
    if report.status_code == 200 and reverse("governance:evaluation_edit", args=args) in report.content.decode():
        offered.add("rate")
    edit = client.get(reverse("governance:evaluation_edit", args=args))
    if edit.status_code == 200 and reverse("governance:evaluation_publish", args=args) in edit.content.decode():
        offered.add("publish")
    return offered


@pytest.mark.parametrize("status", ["draft", "published"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_evaluation_pages_offer_a_step_exactly_when_the_service_accepts_it(
    client, people, world, persona, status, django_capture_on_commit_callbacks
):
    product, user = world["product"], world["users"][persona]
    evaluation = rated_evaluation(product, people.secretariat, status)
    offered = evaluation_page_steps(page_client(client, user), product, evaluation)
    actor = user if user is not None else UserFactory(email="anonym@example.dk")  # the services need someone
    accepted = {
        "rate": accepted_by_service(
            lambda: services.evaluation_save(evaluation=evaluation, user=actor, ratings={}, summary="Ændret.")
        ),
        "publish": accepted_by_service(lambda: services.evaluation_publish(evaluation=evaluation, user=actor)),
    }
    assert offered == {step for step, yes in accepted.items() if yes}, (persona, status)


# --- Rounds: the dashboard and the service ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["open", "closed"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_round_page_offers_a_step_exactly_when_the_service_accepts_it(
    client, people, world, persona, status, django_capture_on_commit_callbacks
):
    user = world["users"][persona]
    today = datetime.date.today()
    the_round = services.round_open(
        user=people.secretariat, name="Forår 2026", opens_on=today, deadline=today + datetime.timedelta(days=30)
    )
    if status == "closed":
        services.round_close(round=the_round, user=people.secretariat)
    the_round = Round.objects.get(pk=the_round.pk)
    response = page_client(client, user).get(reverse("governance:round", args=[the_round.pk]))
    html = response.content.decode() if response.status_code == 200 else ""
    actions = {step: reverse(f"governance:round_{step}", args=[the_round.pk]) for step in ("remind", "close")}
    offered = {step for step, url in actions.items() if f'action="{url}"' in html}
    actor = user if user is not None else UserFactory(email="anonym@example.dk")
    accepted = {
        "remind": accepted_by_service(lambda: services.round_remind(round=the_round, user=actor)),
        "close": accepted_by_service(lambda: services.round_close(round=the_round, user=actor)),
    }
    assert offered == {step for step, yes in accepted.items() if yes}, (persona, status)
