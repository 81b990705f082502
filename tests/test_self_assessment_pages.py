"""The self-assessment theme by theme (issue 15, item 5): an overview with the progress of each theme, a page per
theme with its own save that touches no other theme, a refused criterion that keeps the rest of the theme saved
and what was typed on the page, the save's message at the top of the form, and the import's errors at the top of
its form in the page's language."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from os2hub.governance import services
from os2hub.governance.models import SelfAssessment, SelfAssessmentAnswer

from .test_governance import EXAMPLE, make_product


@pytest.fixture
def product(people):
    return make_product(people)


def overview_url(product):
    return reverse("governance:self_assessment", args=[product.slug])


def theme_url(product, theme):
    return reverse("governance:self_assessment_theme", args=[product.slug, theme])


def import_url(product):
    return reverse("governance:self_assessment_import", args=[product.slug])


def posted(page) -> dict:
    """The theme form on a page (a response with the form in its context) as the browser would post it back."""
    form = page.context["form"]
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def stored(product) -> dict:
    rows = SelfAssessmentAnswer.objects.filter(self_assessment__product=product).select_related("criterion")
    return {row.criterion.code: (row.answer, row.documentation, row.links) for row in rows if row.answer}


def answer(product, user, **answers):
    draft = services.self_assessment_draft(product=product, user=user)
    services.self_assessment_save(
        assessment=draft, user=user, answers={code: {"answer": value} for code, value in answers.items()}
    )
    return draft


# --- The overview ----------------------------------------------------------------------------------------------


def test_the_overview_lists_each_theme_with_what_is_answered_and_what_is_missing(login, people, product):
    answer(product, people.authority_admin, R1="ja", R2="nej", F1="ja")
    page = login(people.authority_admin).get(overview_url(product))
    assert page.status_code == 200 and page.templates[0].name == "governance/self_assessment_overview.html"
    progress = {theme.key: theme for theme in page.context["progress"]}
    assert list(progress) == ["relevans", "formkrav", "strategisk", "governance"]
    assert (progress["relevans"].answered, progress["relevans"].total) == (2, 4)
    assert [c.code for c in progress["relevans"].missing] == ["R3", "R4"]
    assert (progress["formkrav"].answered, progress["formkrav"].total) == (1, 20)
    assert (progress["governance"].answered, progress["governance"].total) == (0, 14)
    assert (page.context["answered"], page.context["total"]) == (3, 43)
    html = page.content.decode()
    # No answer form on the overview: each theme has its page, and each missing criterion links into it.
    assert 'id="answers"' not in html and 'name="answer_R3"' not in html
    assert f'href="{theme_url(product, "relevans")}"' in html
    assert f'id="criterion-R3" href="{theme_url(product, "relevans")}#criterion-R3"' in html
    assert 'id="criterion-R1"' not in html  # answered: not listed as missing


def test_before_the_first_save_the_overview_shows_every_theme_unanswered_and_nothing_to_submit(login, people, product):
    page = login(people.authority_admin).get(overview_url(product))
    assert page.context["draft"] is None and page.context["answered"] == 0
    assert reverse("governance:self_assessment_submit", args=[product.slug]) not in page.content.decode()
    assert not SelfAssessment.objects.exists()


# --- A theme's page and its save -------------------------------------------------------------------------------


def test_a_theme_is_saved_on_its_own_and_the_other_themes_are_left_as_they_are(login, people, product):
    answer(product, people.authority_admin, F1="nej", G1="ja")
    client = login(people.authority_admin)
    page = client.get(theme_url(product, "relevans"))
    assert page.status_code == 200
    assert {c.code for c in page.context["form"].criteria} == {"R1", "R2", "R3", "R4"}
    data = posted(page) | {"answer_R1": "ja", "documentation_R1": "Sparer 2 årsværk.", "answer_R3": "ikke_relevant"}
    data |= {"answer_F1": "ja", "base_F1": ""}  # not this theme's: ignored
    response = client.post(theme_url(product, "relevans"), data)
    assert response.status_code == 302 and response.url == theme_url(product, "relevans")
    assert stored(product) == {
        "R1": ("ja", "Sparer 2 årsværk.", ""),
        "R3": ("ikke_relevant", "", ""),
        "F1": ("nej", "", ""),
        "G1": ("ja", "", ""),
    }


def test_the_saves_message_is_at_the_top_of_the_form_and_takes_focus_with_the_themes_progress(login, people, product):
    client = login(people.authority_admin)
    data = posted(client.get(theme_url(product, "relevans"))) | {"answer_R1": "ja", "answer_R2": "ja"}
    page = client.post(theme_url(product, "relevans"), data, follow=True)
    html = page.content.decode()
    # The message is the save's, at the form (not among the page's messages above the heading), and focused.
    assert [m.extra_tags for m in page.context["saved_messages"]] == ["self-assessment-saved"]
    assert list(page.context["messages"]) == []
    alert = re.search(r'<div class="alert alert-success"[^>]*id="saved"[^>]*>', html)
    assert alert and "autofocus" in alert.group(0) and 'tabindex="-1"' in alert.group(0)
    assert html.index('id="saved"') < html.index('id="answers"')
    assert html.index("<h1>") < html.index('id="saved"')
    # The theme's progress says what is answered and links what is not.
    assert (page.context["theme"].answered, page.context["theme"].total) == (2, 4)
    assert '<a href="#criterion-R3">R3</a>' in html and '<a href="#criterion-R1">' not in html
    # The next theme is offered.
    assert f'href="{theme_url(product, "formkrav")}"' in html
    # Shown once: coming back shows no message.
    assert client.get(theme_url(product, "relevans")).context["saved_messages"] == []


def test_a_bad_link_keeps_the_other_answers_of_the_theme_saved_and_what_was_typed_beside_its_error(
    login, people, product
):
    client = login(people.authority_admin)
    url = theme_url(product, "formkrav")
    data = posted(client.get(url)) | {
        "answer_F1": "ja",
        "documentation_F1": "Koden ligger på GitHub.",
        "links_F1": "https://github.com/OS2/os2-test",
        "answer_F2": "ja",
        "documentation_F2": "MPL-2.0, se LICENSE.",
        "links_F2": "http://192.168.1.10/licens",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    # F1 is saved; F2 is not, and nothing else changed.
    assert stored(product) == {"F1": ("ja", "Koden ligger på GitHub.", "https://github.com/OS2/os2-test")}
    form = page.context["form"]
    assert list(form.errors) == ["links_F2"]
    html = page.content.decode()
    # What was typed for F2 is still on the page, with the error beside the field and in the summary.
    assert "MPL-2.0, se LICENSE." in html and "http://192.168.1.10/licens" in html
    assert 'id="error-summary"' in html and 'href="#id_links_F2"' in html
    assert page.context["saved"] == 1
    # Correcting F2 and saving the page as it stands saves F2 without taking F1 for someone else's change.
    again = posted(page) | {"links_F2": "https://github.com/OS2/os2-test/blob/main/LICENSE"}
    response = client.post(url, again)
    assert response.status_code == 302, response.context["form"].errors
    assert stored(product)["F2"] == ("ja", "MPL-2.0, se LICENSE.", "https://github.com/OS2/os2-test/blob/main/LICENSE")
    assert stored(product)["F1"][0] == "ja"


def test_an_unknown_theme_is_not_found_and_a_submitted_self_assessment_has_no_theme_form(login, people, product):
    client = login(people.authority_admin)
    assert client.get(theme_url(product, "findes-ikke")).status_code == 404
    draft = answer(product, people.authority_admin, R1="ja")
    services.self_assessment_submit(assessment=draft, user=people.authority_admin)
    assert client.get(theme_url(product, "relevans")).url == overview_url(product)
    response = client.post(theme_url(product, "relevans"), {"answer_R1": "nej", "base_R1": ""})
    assert response.status_code == 302 and stored(product) == {"R1": ("ja", "", "")}


def test_the_one_page_form_posted_from_a_tab_left_open_still_saves_its_criteria(login, people, product):
    """The self-assessment's address took every criterion's answers before it became the overview."""
    client = login(people.authority_admin)
    old_form = posted(client.get(theme_url(product, "relevans"))) | posted(client.get(theme_url(product, "formkrav")))
    response = client.post(overview_url(product), old_form | {"answer_R1": "ja", "answer_F1": "nej"})
    assert response.status_code == 302 and response.url == overview_url(product)
    assert stored(product) == {"R1": ("ja", "", ""), "F1": ("nej", "", "")}
    # With a refused criterion, the posted criteria come back with the error, and the others are saved.
    response = client.post(
        overview_url(product),
        posted(client.get(theme_url(product, "relevans")))
        | posted(client.get(theme_url(product, "formkrav")))
        | {"answer_R2": "ja", "links_F2": "http://localhost/"},
    )
    assert response.status_code == 200 and list(response.context["form"].errors) == ["links_F2"]
    assert stored(product)["R2"] == ("ja", "", "")


def test_the_level_page_links_a_blocking_criterion_to_its_themes_page(login, people, product):
    answer(product, people.authority_admin, R1="nej")
    html = login(people.authority_admin).get(reverse("governance:level", args=[product.slug])).content.decode()
    assert f'href="{theme_url(product, "relevans")}#criterion-R1"' in html


# --- Import ----------------------------------------------------------------------------------------------------


def upload(client, product, raw):
    return client.post(import_url(product), {"file": SimpleUploadedFile("fil.json", raw, "application/json")})


def test_the_import_has_a_page_of_its_own_linked_from_the_overview(login, people, product):
    client = login(people.authority_admin)
    assert f'href="{import_url(product)}"' in client.get(overview_url(product)).content.decode()
    page = client.get(import_url(product))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    response = upload(client, product, EXAMPLE.read_bytes())
    assert response.status_code == 302 and response.url == overview_url(product)
    assert stored(product)["R1"][0] == "ja"


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_file_that_is_not_json_is_refused_at_the_top_of_the_import_form_naming_where_in_the_pages_language(
    login, people, product, language
):
    client = login(people.authority_admin)
    client.cookies["django_language"] = language
    raw = b'{\n  "productName": "OS2-test-selvevaluering",\n  "krav": [1 2]\n}'
    response = upload(client, product, raw)
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        where = translation.gettext("The file is not valid JSON (line %(line)s, character %(column)s)") % {
            "line": 3,
            "column": 14,
        }
        what = translation.gettext("a comma is expected")
    assert f"{where}: {what}." in html
    if language == "en":
        assert "The file is not valid JSON (line 3, character 14): a comma is expected." in html
    # Not Python's words, and at the top of the form: the summary comes before the form and links to the field.
    assert "Expecting" not in html and "delimiter" not in html
    assert html.index('id="error-summary"') < html.index('enctype="multipart/form-data"')
    assert 'href="#id_file"' in html
    assert not SelfAssessment.objects.exists()


def test_a_file_for_another_product_names_the_item_at_the_top_of_the_import_form(login, people, product):
    data = json.loads(EXAMPLE.read_bytes()) | {"productName": "OS2mo"}
    response = upload(login(people.authority_admin), product, json.dumps(data).encode())
    html = response.content.decode()
    assert html.index('id="error-summary"') < html.index('enctype="multipart/form-data"')
    assert "productName: " in html and "OS2mo" in html
