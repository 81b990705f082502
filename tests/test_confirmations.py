"""Steps that cannot be undone ask first (issue 15, item 6): submitting a self-assessment, awarding a call and
recording a decision each show a page that says what will happen and what is missing, and only its form (which
works without JavaScript) takes the step. Nothing changes before it is confirmed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from os2hub.governance import services as governance
from os2hub.governance.models import Decision, SelfAssessment
from os2hub.needs.models import Call, Offer
from os2hub.products.models import Product

from .test_governance import make_product
from .test_needs import World


def submit_url(product):
    return reverse("governance:self_assessment_submit", args=[product.slug])


def overview_url(product):
    return reverse("governance:self_assessment", args=[product.slug])


# --- Submitting a self-assessment ------------------------------------------------------------------------------


@pytest.fixture
def product(people):
    return make_product(people)


@pytest.fixture
def draft(people, product):
    """A draft with 5 of the 43 criteria answered."""
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_save(
        assessment=draft,
        user=people.authority_admin,
        answers={code: {"answer": "ja"} for code in ("R1", "F1", "F2", "F3", "G1")},
    )
    return draft


def test_the_overview_offers_submitting_through_the_confirmation_page_only(login, people, product, draft):
    html = login(people.authority_admin).get(overview_url(product)).content.decode()
    assert f'href="{submit_url(product)}"' in html
    assert f'action="{submit_url(product)}"' not in html  # no one-click submit


def test_the_confirmation_lists_every_criterion_not_answered_with_a_link_and_says_what_happens(
    login, people, product, draft
):
    page = login(people.authority_admin).get(submit_url(product))
    assert page.status_code == 200 and page.templates[0].name == "governance/self_assessment_submit.html"
    missing = [c.code for c in page.context["missing"]]
    assert len(missing) == 38 and page.context["total"] == 43
    assert not {"R1", "F1", "F2", "F3", "G1"} & set(missing)
    html = page.content.decode()
    for code in missing:
        criterion = next(c for c in page.context["missing"] if c.code == code)
        theme_page = reverse("governance:self_assessment_theme", args=[product.slug, criterion.theme])
        assert f'href="{theme_page}#criterion-{code}"' in html, code
    # The form that submits says it is confirmed and that criteria are not answered.
    form = re.search(rf'<form method="post" action="{submit_url(product)}">.*?</form>', html, re.S).group(0)
    assert 'name="confirm" value="yes"' in form and "38" in form
    # Looking changes nothing.
    assert SelfAssessment.objects.get(pk=draft.pk).status == "draft"


def test_submitting_without_the_confirmation_only_leads_to_it(login, people, product, draft, mailoutbox):
    response = login(people.authority_admin).post(submit_url(product))
    assert response.status_code == 302 and response.url == submit_url(product)
    assert SelfAssessment.objects.get(pk=draft.pk).status == "draft" and not mailoutbox


def test_the_confirmed_submission_locks_the_self_assessment(
    login, people, product, draft, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people.authority_admin).post(submit_url(product), {"confirm": "yes"})
    assert response.url == reverse("governance:level", args=[product.slug])
    assert SelfAssessment.objects.get(pk=draft.pk).status == "submitted" and mailoutbox


def test_a_complete_self_assessment_is_confirmed_without_a_list_of_missing_criteria(login, people, product):
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_save(
        assessment=draft,
        user=people.authority_admin,
        answers={c.code: {"answer": "ja"} for c in governance.criteria_of(draft.criteria_version)},
    )
    page = login(people.authority_admin).get(submit_url(product))
    assert page.context["missing"] == [] and 'id="missing"' not in page.content.decode()


def test_with_nothing_to_submit_the_confirmation_page_sends_you_back(login, people, product):
    response = login(people.authority_admin).get(submit_url(product))
    assert response.status_code == 302 and response.url == overview_url(product)


# --- Awarding a call --------------------------------------------------------------------------------------------


@pytest.fixture
def world(people):
    return World(people)


@pytest.fixture
def call_with_offers(world):
    call = world.call()
    cheap = world.review_offer(call, price_dkk="18500")
    world.offer(call, hours="20")
    return call, cheap


def award_url(call):
    return reverse("needs:award", args=[call.pk])


def test_the_call_page_chooses_the_offer_without_awarding_it(login, world, call_with_offers):
    call, _cheap = call_with_offers
    html = login(world.coordinator).get(f"/calls/{call.pk}/").content.decode()
    section = html[html.index('id="step-award"') :]
    assert f'<form method="get" action="{award_url(call)}"' in section
    assert "csrfmiddlewaretoken" not in section[: section.index("</form>")]


def test_before_the_deadline_the_confirmation_says_offers_may_still_come_and_until_when(login, world, call_with_offers):
    call, cheap = call_with_offers
    page = login(world.coordinator).get(award_url(call), {"offer": cheap.pk})
    assert page.status_code == 200 and page.templates[0].name == "needs/call_award_confirm.html"
    assert page.context["offers_open"] is True and page.context["offer"] == cheap
    html = page.content.decode()
    assert 'id="offers-may-come"' in html
    with translation.override("da"):
        assert date_format(call.deadline, "j. F Y") in html
    assert world.reviewer_org.name in html
    form = re.search(rf'<form method="post" action="{award_url(call)}">.*?</form>', html, re.S).group(0)
    assert f'name="offer" value="{cheap.pk}"' in form and 'name="confirm" value="yes"' in form
    assert Call.objects.get(pk=call.pk).status == "open"


def test_on_the_deadline_day_offers_may_still_come(login, world, call_with_offers):
    call, cheap = call_with_offers
    Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate())
    page = login(world.coordinator).get(award_url(call), {"offer": cheap.pk})
    assert page.context["offers_open"] is True and 'id="offers-may-come"' in page.content.decode()


def test_after_the_deadline_the_confirmation_does_not_warn_of_more_offers(login, world, call_with_offers):
    call, cheap = call_with_offers
    Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = login(world.coordinator).get(award_url(call), {"offer": cheap.pk})
    assert page.status_code == 200 and page.context["offers_open"] is False
    assert 'id="offers-may-come"' not in page.content.decode()


def test_an_award_without_the_confirmation_awards_nothing(login, world, call_with_offers, mailoutbox):
    call, cheap = call_with_offers
    response = login(world.coordinator).post(award_url(call), {"offer": cheap.pk})
    assert response.status_code == 200 and response.templates[0].name == "needs/call_award_confirm.html"
    fresh = Call.objects.get(pk=call.pk)
    assert (fresh.status, fresh.awarded_offer) == ("open", None) and not mailoutbox


def test_the_confirmed_award_is_made(login, world, call_with_offers, django_capture_on_commit_callbacks):
    call, cheap = call_with_offers
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.coordinator).post(award_url(call), {"offer": cheap.pk, "confirm": "yes"})
    assert response.status_code == 302
    fresh = Call.objects.get(pk=call.pk)
    assert (fresh.status, fresh.awarded_offer) == ("awarded", cheap)


def test_an_offer_changed_while_confirming_sends_the_caller_back_to_the_offers(login, world, call_with_offers):
    call, cheap = call_with_offers
    client = login(world.coordinator)
    seen = client.get(award_url(call), {"offer": cheap.pk}).context["offers_seen"]
    assert f'name="offers_seen" value="{seen}"' in client.get(award_url(call), {"offer": cheap.pk}).content.decode()
    world.offer(call, hours="10")  # the other partner lowers its offer meanwhile
    response = client.post(award_url(call), {"offer": cheap.pk, "confirm": "yes", "offers_seen": seen})
    assert response.status_code == 302 and response.url == f"/calls/{call.pk}/#step-award"
    assert Call.objects.get(pk=call.pk).status == "open"
    # Confirmed with the offers as they are now, the award is made.
    fresh = client.get(award_url(call), {"offer": cheap.pk}).context["offers_seen"]
    assert fresh != seen
    client.post(award_url(call), {"offer": cheap.pk, "confirm": "yes", "offers_seen": fresh})
    assert Call.objects.get(pk=call.pk).awarded_offer == cheap


def test_choosing_no_offer_shows_the_error_on_the_call_page(login, world, call_with_offers):
    call, _cheap = call_with_offers
    client = login(world.coordinator)
    response = client.get(award_url(call), {"offer": "abc"})
    assert response.status_code == 200 and response.templates[0].name == "needs/call.html"
    assert "offer" in response.context["award_form"].errors
    assert client.get(award_url(call)).url == f"/calls/{call.pk}/#step-award"
    assert Offer.objects.filter(call=call).count() == 2 and Call.objects.get(pk=call.pk).status == "open"


def test_only_the_caller_sees_the_award_confirmation(login, people, call_with_offers):
    call, cheap = call_with_offers
    assert login(people.authority_admin).get(award_url(call), {"offer": cheap.pk}).status_code == 403


# --- Recording a decision ---------------------------------------------------------------------------------------


def decision_url(product):
    return reverse("governance:decision_create", args=[product.slug])


DECISION = {
    "level": "2",
    "decision": "OS2-test godkendes på niveau 2",
    "grounds": "Evalueringen viser at kravene er opfyldt.\nStyregruppen er på plads.",
    "made_by": "OS2's bestyrelse",
    "reference": "https://os2.eu/bestyrelsesmoede",
    "evaluation": "",
}


def decision(**changes):
    return {"decided_on": timezone.localdate().isoformat(), **DECISION, **changes}


def test_the_decision_form_shows_the_decision_as_it_will_be_published_before_recording_it(login, people, product):
    Product.objects.filter(pk=product.pk).update(official_level="1")
    page = login(people.secretariat).post(decision_url(product), decision())
    assert page.status_code == 200 and page.templates[0].name == "governance/decision_confirm.html"
    html = page.content.decode()
    preview = html[html.index('id="decision-preview"') :]
    # The level before and after, and the text that will be public.
    assert "Niveau 1 → Niveau 2" in preview
    assert "OS2-test godkendes på niveau 2" in preview
    assert "Evalueringen viser at kravene er opfyldt.<br>Styregruppen er på plads." in preview
    assert 'id="permanent"' in html
    # The form carries what was typed and the level it showed.
    form = re.search(rf'<form method="post" action="{decision_url(product)}">.*?</form>', html, re.S).group(0)
    assert 'name="confirm" value="yes"' in form and 'name="official_level_seen" value="1"' in form
    assert 'name="decision" value="OS2-test godkendes på niveau 2"' in form
    assert not Decision.objects.exists() and Product.objects.get(pk=product.pk).official_level == "1"


def test_the_confirmed_decision_is_recorded(login, people, product):
    data = decision() | {"confirm": "yes", "official_level_seen": ""}
    response = login(people.secretariat).post(decision_url(product), data)
    assert response.status_code == 302
    assert Decision.objects.get().level == "2" and Product.objects.get(pk=product.pk).official_level == "2"


def test_change_goes_back_to_the_form_with_what_was_typed(login, people, product):
    data = decision() | {"confirm": "yes", "official_level_seen": "", "edit": "1"}
    page = login(people.secretariat).post(decision_url(product), data)
    assert page.templates[0].name == "governance/decision_form.html"
    assert 'value="OS2-test godkendes på niveau 2"' in page.content.decode()
    assert not page.context["form"].errors and not Decision.objects.exists()


def test_a_decision_confirmed_after_the_level_changed_is_shown_again_not_recorded(login, people, product):
    client = login(people.secretariat)
    page = client.post(decision_url(product), decision())
    assert 'name="official_level_seen" value=""' in page.content.decode()
    # Meanwhile someone else records a decision: the official level is now 1.
    governance.decision_record(product=product, user=people.secretariat, **_typed(level="1"))
    response = client.post(decision_url(product), decision() | {"confirm": "yes", "official_level_seen": ""})
    assert response.status_code == 200 and response.templates[0].name == "governance/decision_confirm.html"
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert Decision.objects.count() == 1 and Product.objects.get(pk=product.pk).official_level == "1"


def test_a_confirmed_decision_with_an_error_is_refused(login, people, product):
    data = decision(grounds="") | {"confirm": "yes", "official_level_seen": ""}
    page = login(people.secretariat).post(decision_url(product), data)
    assert page.templates[0].name == "governance/decision_form.html" and "grounds" in page.context["form"].errors
    assert not Decision.objects.exists()


def _typed(**changes):
    values = {**DECISION, **changes}
    return {
        "decided_on": timezone.localdate(),
        "level": values["level"],
        "decision": values["decision"],
        "grounds": values["grounds"],
        "made_by": values["made_by"],
    }
