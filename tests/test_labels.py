"""Labels and words (issue 15, item 7): what the form renderer says after a label, one error shown once, a refused
pledge that says it was refused."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from os2hub.core.workflow import TransitionConflict
from os2hub.development import services as development
from os2hub.web.forms import DkfdsRenderer

from .personas import PASSWORD
from .test_development import World as DevelopmentWorld
from .test_needs import World as NeedsWorld

pytestmark = pytest.mark.django_db

MARKER = re.compile(r'<(label|legend) class="form-label"[^>]*>(.*?)</\1>', re.DOTALL)


def labels(html: str) -> dict[str, str]:
    """Each label's text (tags removed, spaces collapsed), by the text before its first bracket."""
    found = {}
    for match in MARKER.finditer(html):
        text = " ".join(re.sub(r"<[^>]+>", "", match.group(2)).split())
        found[text.split(" (")[0]] = text
    return found


class Draft(forms.Form):
    title = forms.CharField(label="Title")
    description = forms.CharField(label="Description", required=False)
    funding = forms.ChoiceField(
        label="Who pays", required=False, choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note (optional)", required=False)
    budget = forms.CharField(label="Budget from (DKK, optional)", required=False)
    phone = forms.CharField(label="Phone", required=False)
    required_for_step = ("description", "funding")


class Named(Draft):
    required_for_step = {"description": "needed to publish"}


def render(form) -> str:
    form.renderer = DkfdsRenderer()
    return str(form)


def test_fields_a_later_step_needs_say_so_instead_of_optional():
    with translation.override("en"):
        shown = labels(render(Draft()))
    assert shown["Title"] == "Title"
    assert shown["Description"] == "Description (needed to submit)"
    assert shown["Who pays"] == "Who pays (needed to submit)"  # a fieldset's legend too
    assert shown["Phone"] == "Phone (optional)"
    with translation.override("en"):
        assert labels(render(Named()))["Description"] == "Description (needed to publish)"


def test_a_label_that_says_optional_is_not_marked_twice():
    with translation.override("en"):
        shown = labels(render(Draft()))
    assert shown["Note"] == "Note (optional)"
    assert shown["Budget from"] == "Budget from (DKK, optional)"
    with translation.override("da"):
        html = render(Draft())
    assert "(frivilligt) (frivilligt)" not in html and "(optional) (frivilligt)" not in html


def test_the_call_form_marks_each_optional_budget_once(login, people):
    NeedsWorld(people)
    for language in ("da", "en"):
        client = login(people.authority_admin)
        client.cookies["django_language"] = language
        html = client.get("/calls/new/?product=os2mo").content.decode()
        budgets = [text for key, text in labels(html).items() if key.startswith("Budget")]
        assert len(budgets) == 2, labels(html)
        for text in budgets:
            assert text.count("(") == 1, text


def test_a_wrong_password_is_told_once(client, people):
    response = client.post("/konto/login/", {"login": people.authority_admin.email, "password": PASSWORD + "x"})
    html = response.content.decode()
    error = response.context["form"].non_field_errors()[0]
    assert html.count(str(error)) == 1
    assert 'id="error-summary"' in html  # told in the error summary, where the eye is taken


def test_an_error_of_no_field_still_shows_without_an_error_summary():
    class Form(forms.Form):
        name = forms.CharField(required=False)

        def clean(self):
            raise forms.ValidationError("Something is wrong with the whole form.")

    form = Form({"name": "x"})
    assert form.errors
    body = render(form)
    assert body.count("Something is wrong with the whole form.") == 1
    page = Template('{% include "components/error_summary.html" %}{% include "forms/form.html" %}').render(
        Context({"form": form})
    )
    assert page.count("Something is wrong with the whole form.") == 1


def test_a_pledge_above_what_is_needed_says_it_was_refused(people):
    world = DevelopmentWorld(people)
    request, estimate = world.estimated("community", hours="10")  # 9.500 kr.
    request = development.funding_open(request=request, user=world.coordinator, estimate=estimate, comment="Ja.")
    development.pledge_create(
        request=request, user=people.authority_admin, organisation=people.authority, amount="4000"
    )
    with translation.override("en"), pytest.raises(TransitionConflict) as error:
        development.pledge_create(
            request=request, user=people.authority2_admin, organisation=people.authority2, amount="6000"
        )
    message = str(error.value)
    assert "refused" in message and ("5,500.00" in message or "5.500,00" in message)
    request.refresh_from_db()
    assert request.pledged_dkk == Decimal("4000.00")  # nothing of the refused pledge was kept
