"""The secretariat's governance work through its pages: evaluations (rate, save, publish, report, Markdown),
the decision log form and evaluation rounds with reminders."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from os2hub.governance import services
from os2hub.governance.models import CriteriaVersion, Decision, Evaluation, EvaluationRating, Round
from os2hub.products.models import Product

from .personas import UserFactory

CRITERIA_COUNT = 43
ROW = re.compile(r"^\| [RFSG]\d+ \|", re.MULTILINE)


@pytest.fixture
def product(people):
    return Product.objects.create(
        name="OS2mo",
        slug="os2mo",
        summary="Medarbejdere og organisation",
        status="product",
        coordinator=people.authority_admin,
    )


@pytest.fixture
def codes(db):
    return [c.code for c in services.criteria_of(CriteriaVersion.current())]


def submit_self_assessment(product, user, *, answer="ja", documentation="Se README.md"):
    """The coordinator answers every criterion and submits."""
    draft = services.self_assessment_draft(product=product, user=user)
    answers = {
        c.code: {"answer": answer, "documentation": f"{documentation} ({c.code})"}
        for c in services.criteria_of(draft.criteria_version)
    }
    services.self_assessment_save(assessment=draft, user=user, answers=answers)
    return services.self_assessment_submit(assessment=draft, user=user)


def form_data(codes, *, rating="green", grounds="Dokumenteret i README.", **overrides):
    """What the browser posts from the rating form: every criterion rated, a summary, the computed level."""
    data = {"summary": "Produktet er **velfungerende**.", "level": services.LEVEL_AS_COMPUTED, "level_reason": ""}
    for code in codes:
        data[f"rating_{code}"] = rating
        data[f"grounds_{code}"] = grounds
    data.update(overrides)
    return data


def start(client, product):
    response = client.post(reverse("governance:evaluation_start", args=[product.slug]))
    evaluation = Evaluation.objects.get(product=product, status="draft")
    assert response.status_code == 302
    assert response.url == reverse("governance:evaluation_edit", args=[product.slug, evaluation.pk])
    return evaluation


def urls(product, evaluation):
    args = [product.slug, evaluation.pk]
    return {
        "report": reverse("governance:evaluation", args=args),
        "edit": reverse("governance:evaluation_edit", args=args),
        "publish": reverse("governance:evaluation_publish", args=args),
        "markdown": reverse("governance:evaluation_markdown", args=args),
    }


@pytest.fixture
def published(people, login, product, codes, django_capture_on_commit_callbacks):
    """An evaluation of OS2mo, published through the pages, with a `|` and a line break in one of the grounds."""
    submit_self_assessment(product, people.authority_admin)
    client = login(people.secretariat)
    evaluation = start(client, product)
    data = form_data(codes, grounds_R1="Værdi | for kommunen\nog borgerne")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls(product, evaluation)["publish"], data)
    assert response.status_code == 302, response.context["form"].errors
    client.logout()
    evaluation.refresh_from_db()
    return evaluation


# --- Evaluating -----------------------------------------------------------------------------------------------


def test_the_secretariat_starts_rates_saves_and_publishes_an_evaluation(
    people, login, product, codes, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_self_assessment(product, people.authority_admin, documentation="Vi har en README")
    mailoutbox.clear()
    client = login(people.secretariat)
    evaluation = start(client, product)
    page = urls(product, evaluation)

    form = client.get(page["edit"])
    assert form.status_code == 200
    html = form.content.decode()
    # Every criterion with the self-assessment beside it, a radio group per criterion and the level choice.
    assert html.count('type="radio" name="rating_') == CRITERIA_COUNT * 4
    assert "Vi har en README (R1)" in html
    assert 'name="grounds_G9"' in html and 'name="level_reason"' in html
    assert f'formaction="{page["publish"]}"' in html

    data = form_data(codes, rating_G14="grey", grounds_G14="Ikke relevant endnu.")
    response = client.post(page["edit"], data)
    assert response.status_code == 302 and response.url == page["edit"]
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"
    assert evaluation.computed_level == "3" and evaluation.recommended_level == "3"
    assert EvaluationRating.objects.get(evaluation=evaluation, criterion__code="G14").rating == "grey"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page["publish"], data)
    assert response.status_code == 302 and response.url == page["report"]
    evaluation.refresh_from_db()
    assert evaluation.status == "published" and evaluation.published_by == people.secretariat
    assert [m.to for m in mailoutbox] == [[people.authority_admin.email]]
    # Published: no longer editable.
    assert client.get(page["edit"]).status_code == 404


def test_the_edit_page_saves_the_level_and_keeps_what_was_typed(people, login, product, codes):
    client = login(people.secretariat)
    evaluation = start(client, product)  # no self-assessment: the form still works
    page = urls(product, evaluation)
    assert client.get(page["edit"]).context["evaluation"].self_assessment is None

    # Another level than the computed one without a reason: refused, nothing saved, everything typed kept.
    data = form_data(codes, level="1", grounds_F2="Min begrundelse for F2")
    response = client.post(page["edit"], data)
    assert response.status_code == 200
    assert "level_reason" in response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()
    assert "Min begrundelse for F2" in response.content.decode()
    assert not EvaluationRating.objects.filter(evaluation=evaluation).exclude(rating="").exists()
    evaluation.refresh_from_db()
    assert evaluation.summary == "" and evaluation.recommended_level == ""

    # With the reason it is saved.
    data["level_reason"] = "Bestyrelsen har ikke godkendt produktet endnu."
    assert client.post(page["edit"], data).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.computed_level, evaluation.recommended_level) == ("3", "1")
    assert evaluation.level_reason.startswith("Bestyrelsen")
    assert services.evaluation_level_choice(evaluation) == "1"


def test_publishing_with_missing_ratings_or_grounds_is_refused_naming_the_criteria(people, login, product, codes):
    client = login(people.secretariat)
    evaluation = start(client, product)
    page = urls(product, evaluation)

    # Nothing rated yet, nothing posted: every criterion is named.
    response = client.post(page["publish"])
    assert response.status_code == 200
    form = response.context["form"]
    assert {f"rating_{code}" for code in codes} <= set(form.errors)
    assert "summary" in form.errors

    # R1 not rated and F2 yellow without grounds: refused, the two named, the rest saved and nothing lost.
    data = form_data(codes, rating_R1="", grounds_R1="", rating_F2="yellow", grounds_F2="")
    response = client.post(page["publish"], data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"rating_R1", "grounds_F2"}
    message = " ".join(str(m) for m in response.context["messages"])
    assert "R1" in message and "F2" in message
    html = response.content.decode()
    assert 'href="#id_rating_R1"' in html and 'href="#id_grounds_F2"' in html
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"
    assert EvaluationRating.objects.get(evaluation=evaluation, criterion__code="F2").rating == "yellow"
    assert EvaluationRating.objects.get(evaluation=evaluation, criterion__code="R1").rating == ""

    # A red rating with grounds publishes.
    data.update(rating_R1="red", grounds_R1="Ingen dokumentation.", grounds_F2="Delvist beskrevet.")
    assert client.post(page["publish"], data).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_published and evaluation.computed_level == ""


@pytest.mark.parametrize("persona", ["supplier_admin", "outsider", "authority_admin"])
def test_others_than_the_secretariat_get_404(people, login, product, codes, persona):
    secretariat = login(people.secretariat)
    evaluation = start(secretariat, product)
    services.round_open(
        user=people.secretariat, name="Efterår 2026", opens_on=timezone.localdate(), deadline=timezone.localdate()
    )
    round = Round.objects.get()
    page = urls(product, evaluation)
    client = login(getattr(people, persona))  # authority_admin is even the product's coordinator
    assert client.post(reverse("governance:evaluation_start", args=[product.slug])).status_code == 404
    for url in (page["report"], page["edit"], page["markdown"]):
        assert client.get(url).status_code == 404, url
    assert client.post(page["edit"], form_data(codes)).status_code == 404
    assert client.post(page["publish"], form_data(codes)).status_code == 404
    assert client.get(reverse("governance:decision_create", args=[product.slug])).status_code == 404
    assert client.get(reverse("governance:rounds")).status_code == 404
    assert client.post(reverse("governance:rounds"), {"name": "X"}).status_code == 404
    assert client.get(reverse("governance:round", args=[round.pk])).status_code == 404
    assert client.post(reverse("governance:round_remind", args=[round.pk])).status_code == 404
    assert client.post(reverse("governance:round_close", args=[round.pk])).status_code == 404
    assert Evaluation.objects.get().status == "draft" and Round.objects.get().status == "open"


def test_a_draft_is_hidden_from_visitors(client, people, login, product):
    evaluation = start(login(people.secretariat), product)
    client.logout()
    page = urls(product, evaluation)
    assert client.get(page["report"]).status_code == 404
    assert client.get(page["markdown"]).status_code == 404


# --- The report -------------------------------------------------------------------------------------------------


def test_the_published_report_is_public_and_shows_the_count_table(client, product, published):
    response = client.get(urls(product, published)["report"])
    assert response.status_code == 200
    html = response.content.decode()
    totals = response.context["counts"][-1]
    assert totals.counts == [CRITERIA_COUNT, 0, 0, 0, 0] and totals.total == CRITERIA_COUNT
    assert [row.level for row in response.context["counts"]] == ["sandkasse", "1", "2", "3", ""]
    assert "evaluation-counts" in html and '<th scope="row">Sandkasse</th>' in html
    # One table per theme with a row per criterion; the rating is a word, the chip only decoration.
    assert html.count('<tr id="criterion-') == CRITERIA_COUNT
    assert html.count('class="rating-chip" aria-hidden="true"') >= CRITERIA_COUNT
    assert "Værdi | for kommunen<br>og borgerne" in html
    assert "<strong>velfungerende</strong>" in html
    assert reverse("governance:evaluation_markdown", args=[product.slug, published.pk]) in html
    assert reverse("governance:level", args=[product.slug]) in html
    assert reverse("governance:evaluation_edit", args=[product.slug, published.pk]) not in html


def test_the_markdown_report_is_danish_and_escapes_table_cells(client, product, published):
    client.cookies["django_language"] = "en"
    response = client.get(urls(product, published)["markdown"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="governancerapport-os2mo-')
    text = response.content.decode()
    assert text.startswith("# Governancerapport: OS2mo\n")
    assert "## Resumé" in text and "Produktet er **velfungerende**." in text
    assert "## Anbefalet niveau" in text and "Niveau 3" in text
    assert "| Krav | Beskrivelse | Selvevaluering | Vurdering | Vurderingsgrundlag |" in text
    assert "## Relevans" in text and "## Strategisk sammenhæng" in text
    assert len(ROW.findall(text)) == CRITERIA_COUNT
    assert "🟢 Grøn" in text and "| **I alt** | 43 | 0 | 0 | 0 | 0 | 43 |" in text
    r1 = next(line for line in text.splitlines() if line.startswith("| R1 |"))
    assert "Værdi \\| for kommunen<br>og borgerne" in r1
    assert r1.count(" | ") == 4  # the escaped | does not make another column


def test_the_secretariat_downloads_a_draft_as_markdown(people, login, product):
    client = login(people.secretariat)
    evaluation = start(client, product)
    response = client.get(urls(product, evaluation)["markdown"])
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kladde" in text and "Ikke vurderet" in text and "**Beregnet niveau:** Intet niveau" in text
    assert len(ROW.findall(text)) == CRITERIA_COUNT


# --- The decision log -------------------------------------------------------------------------------------------


def decision_data(**overrides):
    data = {
        "decided_on": timezone.localdate().strftime("%d.%m.%Y"),  # the Danish way of writing a date
        "level": "2",
        "decision": "OS2mo godkendes på niveau 2",
        "grounds": "Evalueringen viser at kravene til niveau 2 er opfyldt.",
        "made_by": "OS2's bestyrelse",
        "reference": "https://os2.eu/bestyrelsesmoede",
        "evaluation": "",
    }
    data.update(overrides)
    return data


def confirmed(data, official_level_seen=""):
    """The form's values as the confirmation page posts them back: confirmed, with the official level it showed."""
    return data | {"confirm": "yes", "official_level_seen": official_level_seen}


def test_a_decision_through_the_form_sets_the_official_level(
    client, people, login, product, published, mailoutbox, django_capture_on_commit_callbacks
):
    secretariat = login(people.secretariat)
    url = reverse("governance:decision_create", args=[product.slug])
    form = secretariat.get(url)
    assert form.status_code == 200
    assert form.context["latest"] == published
    assert form.context["form"]["evaluation"].initial == published.pk
    mailoutbox.clear()
    # The form leads to the confirmation first: nothing is recorded yet.
    check = secretariat.post(url, decision_data(evaluation=published.pk))
    assert check.status_code == 200 and check.templates[0].name == "governance/decision_confirm.html"
    assert not Decision.objects.exists() and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat.post(url, confirmed(decision_data(evaluation=published.pk)))
    assert response.status_code == 302
    assert response.url == reverse("governance:level", args=[product.slug])
    product.refresh_from_db()
    assert product.official_level == "2"
    decision = Decision.objects.get()
    assert (decision.previous_level, decision.level, decision.evaluation) == ("", "2", published)
    assert decision.decided_on == timezone.localdate() and decision.recorded_by == people.secretariat
    assert mailoutbox and people.authority_admin.email in mailoutbox[0].to

    client.logout()
    detail = client.get(reverse("products:detail", args=[product.slug]))
    assert detail.context["product"].official_level == "2"
    assert 'badge-info">Niveau 2</span>' in detail.content.decode()
    catalogue = client.get(reverse("products:catalogue"), {"level": "2"})
    assert [p.name for p in catalogue.context["page"]] == ["OS2mo"]
    assert list(client.get(reverse("products:catalogue"), {"level": "none"}).context["page"]) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("grounds", ""), ("grounds", "   "), ("made_by", ""), ("decided_on", "31.02.2026"), ("level", "4")],
)
def test_a_decision_without_grounds_or_a_valid_value_is_refused(people, login, product, field, value):
    client = login(people.secretariat)
    response = client.post(reverse("governance:decision_create", args=[product.slug]), decision_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "OS2mo godkendes på niveau 2" in response.content.decode()  # what was typed is kept
    product.refresh_from_db()
    assert product.official_level == "" and not Decision.objects.exists()


def test_a_decision_in_the_future_is_refused_by_the_service(people, login, product):
    client = login(people.secretariat)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("governance:decision_create", args=[product.slug]), decision_data(decided_on=tomorrow)
    )
    assert response.status_code == 200 and "decided_on" in response.context["form"].errors
    assert not Decision.objects.exists()


def test_a_decision_to_no_level_clears_the_official_level(people, login, product):
    Product.objects.filter(pk=product.pk).update(official_level="1")
    client = login(people.secretariat)
    response = client.post(
        reverse("governance:decision_create", args=[product.slug]),
        confirmed(decision_data(level="none", decision="Niveau fjernet"), official_level_seen="1"),
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.official_level == "" and Decision.objects.get().previous_level == "1"


# --- Rounds -------------------------------------------------------------------------------------------------------


def round_data(**overrides):
    data = {"name": "Efterår 2026", "opens_on": "01.09.2026", "deadline": "2026-10-15"}
    data.update(overrides)
    return data


def test_the_secretariat_opens_a_round_and_a_second_open_round_is_refused(people, login):
    client = login(people.secretariat)
    assert client.get(reverse("governance:rounds")).status_code == 200
    response = client.post(reverse("governance:rounds"), round_data())
    first = Round.objects.get()
    assert response.status_code == 302 and response.url == reverse("governance:round", args=[first.pk])
    assert (first.opens_on, first.deadline) == (datetime.date(2026, 9, 1), datetime.date(2026, 10, 15))
    assert first.criteria_version.version == "1.1.0"

    response = client.post(reverse("governance:rounds"), round_data(name="Forår 2027"))
    assert response.status_code == 200
    assert "Efterår 2026" in " ".join(response.context["form"].errors["name"])
    assert Round.objects.count() == 1

    listing = client.get(reverse("governance:rounds")).content.decode()
    assert reverse("governance:round", args=[first.pk]) in listing and "1.1.0" in listing


def test_a_round_cannot_end_before_it_opens(people, login):
    client = login(people.secretariat)
    response = client.post(reverse("governance:rounds"), round_data(deadline="2026-08-01"))
    assert response.status_code == 200 and "deadline" in response.context["form"].errors
    assert not Round.objects.exists()


@pytest.fixture
def open_round(people):
    return services.round_open(
        user=people.secretariat,
        name="Efterår 2026",
        opens_on=timezone.localdate(),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


def coordinated_products(n, prefix="Produkt", status="product"):
    products = []
    for i in range(n):
        coordinator = UserFactory(email=f"{prefix.lower()}-{i}@example.dk", name=f"{prefix} Tovholder {i}")
        products.append(
            Product.objects.create(
                name=f"{prefix} {i}", slug=f"{prefix.lower()}-{i}", summary="Et produkt.", status=status,
                coordinator=coordinator,
            )
        )  # fmt: skip
    return products


def test_reminders_go_only_to_coordinators_without_a_submitted_self_assessment(
    people, login, open_round, mailoutbox, django_capture_on_commit_callbacks
):
    done, drafting, silent = coordinated_products(3)
    Product.objects.create(name="Uden tovholder", slug="uden", summary="x", status="product")
    coordinated_products(1, prefix="Udgaaet", status="retired")
    with django_capture_on_commit_callbacks(execute=True):
        submit_self_assessment(done, done.coordinator)
        services.self_assessment_draft(product=drafting, user=drafting.coordinator)
    mailoutbox.clear()

    client = login(people.secretariat)
    url = reverse("governance:round", args=[open_round.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:round_remind", args=[open_round.pk]))
    assert response.status_code == 302 and response.url == url
    assert sorted(m.to[0] for m in mailoutbox) == sorted([drafting.coordinator.email, silent.coordinator.email])
    assert all(open_round.name in m.body for m in mailoutbox)
    open_round.refresh_from_db()
    assert open_round.reminded_at is not None

    page = client.get(url)
    assert "2" in " ".join(str(m) for m in page.context["messages"])
    overview = page.context["overview"]
    states = {row.product.name: row.state for row in overview.rows}
    assert states == {"Produkt 0": "submitted", "Produkt 1": "draft", "Produkt 2": "none", "Uden tovholder": "none"}
    assert (overview.submitted, overview.total) == (1, 4)
    assert next(r for r in overview.rows if r.product == done).self_declared == "3"


def test_the_round_closes_once(people, login, open_round):
    client = login(people.secretariat)
    close = reverse("governance:round_close", args=[open_round.pk])
    assert client.post(close).status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == "closed" and open_round.closed_at is not None
    response = client.post(close, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    # A closed round sends no reminders.
    response = client.post(reverse("governance:round_remind", args=[open_round.pk]), follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    # ...and another round can be opened now.
    assert client.post(reverse("governance:rounds"), round_data(name="Forår 2027")).status_code == 302


def test_the_round_dashboard_uses_a_constant_number_of_queries(
    people, login, open_round, django_assert_max_num_queries
):
    def populate(products):
        for i, product in enumerate(products):
            if i % 3 != 2:
                submit_self_assessment(product, product.coordinator, answer="ja" if i % 2 else "nej")
            if i % 2:
                services.evaluation_start(product=product, user=people.secretariat)

    populate(coordinated_products(2, prefix="Faa"))
    client = login(people.secretariat)
    url = reverse("governance:round", args=[open_round.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    populate(coordinated_products(10, prefix="Mange"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["overview"].total == 12
    assert response.context["overview"].submitted == 9
    html = response.content.decode()
    assert html.count(f'action="{reverse("governance:evaluation_start", args=["mange-0"])}"') == 1
