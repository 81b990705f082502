"""Governance through the pages: the criteria, the self-assessment (answer, import, export, submit), the level
and what is missing for the next one, the badge and the follow-or-explain register."""

import json
import threading
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils.translation import override

from os2hub.core.workflow import TransitionConflict
from os2hub.governance import services
from os2hub.governance.models import CriteriaVersion, GovernanceEvent, Practice, SelfAssessment, SelfAssessmentAnswer
from os2hub.products.models import Group, GroupMember, Product

from .personas import Personas

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-selfassessment-os2-test.json"
CRITERIA_FILE = Path(__file__).parent.parent / "os2hub" / "governance" / "criteria" / "governance-criteria-v1.1.0.yaml"


def make_product(people, name="OS2-test-selvevaluering", slug="os2-test"):
    product = Product.objects.create(
        name=name, slug=slug, summary="Et testprodukt.", coordinator=people.authority_admin
    )
    steering = Group.objects.create(product=product, kind=Group.Kind.STEERING, name="Styregruppen")
    GroupMember.objects.create(group=steering, user=people.authority2_admin, organisation=people.authority2)
    return product


@pytest.fixture
def product(people):
    return make_product(people)


def expected_level_by_hand(answers: dict):
    """PRODUCT.md's rule, applied independently of os2hub.governance.levels: the highest level at which every
    non-recommendation criterion of that level and all lower ones is answered Ja or Ikke relevant."""
    model = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    order = [level["key"] for level in model["levels"]]
    reached = None
    for key in order:
        required = [c for c in model["criteria"] if c["level"] == key and not c["recommendation"]]
        if any(answers.get(c["id"]) not in ("Ja", "Ikke relevant") for c in required):
            blockers = [c["id"] for c in required if answers.get(c["id"]) not in ("Ja", "Ikke relevant")]
            return reached, key, blockers
        reached = key
    return reached, None, []


def import_example(client, product, raw=None):
    raw = raw if raw is not None else EXAMPLE.read_bytes()
    upload = SimpleUploadedFile("selvevaluering.json", raw, content_type="application/json")
    return client.post(reverse("governance:self_assessment_import", args=[product.slug]), {"file": upload})


def theme_url(product, theme="relevans"):
    return reverse("governance:self_assessment_theme", args=[product.slug, theme])


def form_data(client, product, theme="relevans"):
    """A theme's form of the self-assessment as the browser would post it back unchanged."""
    page = client.get(theme_url(product, theme))
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


# --- Criteria -----------------------------------------------------------------------------------------------


def test_the_criteria_page_shows_the_model_by_theme_and_level_in_danish_and_english(client, db):
    model = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    page = client.get(reverse("governance:criteria"))
    html = page.content.decode()
    assert page.status_code == 200
    for criterion in model["criteria"]:
        assert f'id="{criterion["id"]}"' in html
    assert "Strategisk sammenhæng" in html and model["criteria"][0]["text_da"] in html
    client.cookies["django_language"] = "en"
    english = client.get(reverse("governance:criteria")).content.decode()
    assert "Strategic alignment" in english and model["criteria"][0]["text_en"] in english


def test_load_criteria_loads_a_new_version_and_refuses_to_change_a_loaded_one(db, tmp_path):
    call_command("load_criteria")  # the bundled version, loaded by the migration: nothing changes
    assert CriteriaVersion.objects.count() == 1
    model = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    model["version"] = "1.2.0"
    model["criteria"][0]["text_da"] = "Løsningen skaber dokumenteret lokal værdi"
    newer = tmp_path / "v1.2.0.yaml"
    newer.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    call_command("load_criteria", str(newer))
    assert CriteriaVersion.current().version == "1.2.0"
    assert CriteriaVersion.current().criteria.count() == len(model["criteria"])
    model["criteria"][0]["text_da"] = "Noget helt tredje"
    newer.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    with override("en"), pytest.raises(CommandError, match="1.2.0 is already loaded with other content"):
        call_command("load_criteria", str(newer))
    assert CriteriaVersion.current().criteria.get(code=model["criteria"][0]["id"]).text_da.startswith("Løsningen")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda m: m["criteria"][0].update(level="4"), "unknown level 4"),
        (lambda m: m["criteria"][1].update(id="R1"), "used twice"),
        (lambda m: m["criteria"][2].update(theme="økonomi"), "unknown theme"),
        (lambda m: m.update(version="next"), "version must look like"),
    ],
)
def test_load_criteria_refuses_a_broken_file_naming_the_problem(db, tmp_path, change, message):
    model = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    model["version"] = "9.0.0"
    change(model)
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    with override("en"), pytest.raises(CommandError, match=message):
        call_command("load_criteria", str(broken))
    assert not CriteriaVersion.objects.filter(version="9.0.0").exists()


def test_an_assessment_keeps_the_version_it_was_made_with(people, product, tmp_path):
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    model = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    model["version"] = "2.0.0"
    model["criteria"] = model["criteria"][:10]
    newer = tmp_path / "v2.yaml"
    newer.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    call_command("load_criteria", str(newer))
    draft.refresh_from_db()
    assert draft.criteria_version.version == "1.1.0"
    assert draft.answers.count() == 43


# --- Self-assessment ----------------------------------------------------------------------------------------


def test_importing_the_real_example_gives_the_level_a_person_computes_by_hand(login, people, product):
    client = login(people.authority_admin)
    response = import_example(client, product)
    assert response.status_code == 302
    data = json.loads(EXAMPLE.read_bytes())
    level, next_level, blockers = expected_level_by_hand({k["id"]: k["efterlevet"] for k in data["krav"]})
    assert (level, next_level, blockers) == ("sandkasse", "1", ["F6", "F7", "F10", "F11"])
    report = services.self_declared_report(SelfAssessment.objects.get(product=product))
    assert (report.level, report.next_level, [c.code for c in report.blockers]) == (level, next_level, blockers)
    page = client.get(reverse("governance:level", args=[product.slug])).content.decode()
    for code in blockers:
        assert f"{code}:" in page
    # The guideline of each blocker is shown on the "what is missing" view.
    assert "Bekræft og link til det officielle repository" in page


def test_an_export_of_an_import_equals_the_input(login, people, product):
    client = login(people.authority_admin)
    import_example(client, product)
    response = client.get(reverse("governance:self_assessment_export", args=[product.slug]))
    assert response["Content-Disposition"].startswith("attachment")
    exported = json.loads(response.content)
    original = json.loads(EXAMPLE.read_bytes())
    assert exported == original
    assert list(exported) == list(original)  # the keys in the same order
    assert [k["efterlevet"] for k in exported["krav"]].count(None) == 24  # null answers stay null


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(productName="OS2mo"), "selvevaluering af “OS2mo”"),
        (lambda d: d["krav"][3].update(id="F8"), "F8 er ikke et krav i kravversion 1.1.0"),
        (lambda d: d["krav"][0].update(efterlevet="Yes"), "R1: efterlevet skal være Ja, Nej"),
        (lambda d: d["krav"][1].update(produktniveau="1"), "en anden version af kravene"),
        (lambda d: d["krav"].append(dict(d["krav"][0])), "R1 optræder to gange"),
    ],
)
def test_a_bad_file_is_refused_naming_the_item_and_nothing_changes(login, people, product, change, message):
    client = login(people.authority_admin)
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    services.self_assessment_save(
        assessment=draft, user=people.authority_admin, answers={"G14": {"answer": "nej", "documentation": "Før"}}
    )
    data = json.loads(EXAMPLE.read_bytes())
    change(data)
    response = import_example(client, product, json.dumps(data).encode())
    assert response.status_code == 200
    assert message in response.content.decode()
    answers = SelfAssessmentAnswer.objects.filter(self_assessment__product=product).exclude(answer="")
    assert list(answers.values_list("criterion__code", "answer", "documentation")) == [("G14", "nej", "Før")]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "ikke gyldig JSON"),
        (b"[1, 2]", "ét JSON-objekt"),
        (b"\xff\xfe\x00", "ikke gyldig JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "for dybt"),
        (b'{"productName": "OS2-test-selvevaluering", "krav": [{"id": "R1", "efterlevet": []}]}', "efterlevet skal"),
        (b'{"productName": "OS2-test-selvevaluering", "krav": [{"id": "R1", "krav": "a\\u0000b"}]}', "NUL"),
        (b'{"productName": "OS2-test-selvevaluering", "krav": []}' + b" " * 1_000_001, "større end 1 MB"),
    ],
)
def test_malformed_or_huge_files_get_a_clear_error(login, people, product, raw, message):
    client = login(people.authority_admin)
    response = import_example(client, product, raw)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_coordinator_answers_saves_and_resumes(login, people, product):
    client = login(people.authority_admin)
    data = form_data(client, product)
    data |= {"answer_R1": "ja", "documentation_R1": "Sparer 2 årsværk.", "links_R1": "https://example.org/gevinst"}
    response = client.post(theme_url(product), data)
    assert response.status_code == 302 and response.url == theme_url(product)
    answer = SelfAssessmentAnswer.objects.get(self_assessment__product=product, criterion__code="R1")
    assert (answer.answer, answer.documentation, answer.link_list) == (
        "ja",
        "Sparer 2 årsværk.",
        ["https://example.org/gevinst"],
    )
    assert answer.updated_by == people.authority_admin
    # Coming back: the form shows what was saved.
    again = form_data(client, product)
    assert again["answer_R1"] == "ja" and again["documentation_R1"] == "Sparer 2 årsværk."


def test_links_must_be_public_web_addresses(login, people, product):
    client = login(people.authority_admin)
    data = form_data(client, product, "formkrav") | {"answer_F1": "ja", "links_F1": "http://192.168.1.10/intern"}
    response = client.post(theme_url(product, "formkrav"), data)
    assert response.status_code == 200
    assert "offentligt tilgængelig hjemmeside" in response.content.decode()
    assert not SelfAssessmentAnswer.objects.filter(self_assessment__product=product, answer="ja").exists()


def test_two_people_editing_different_criteria_both_keep_their_answers(login, people, product, client):
    coordinator = login(people.authority_admin)
    services.self_assessment_draft(product=product, user=people.authority_admin)
    first = form_data(coordinator, product)
    from django.test import Client

    colleague = Client()
    colleague.force_login(people.authority2_admin)  # a steering-group member
    second = form_data(colleague, product)
    coordinator.post(theme_url(product), first | {"answer_R1": "ja"})
    colleague.post(theme_url(product), second | {"answer_R2": "nej"})
    answers = dict(
        SelfAssessmentAnswer.objects.filter(self_assessment__product=product).values_list("criterion__code", "answer")
    )
    assert answers["R1"] == "ja" and answers["R2"] == "nej"


def test_a_stale_edit_of_the_same_criterion_is_refused_and_the_other_answer_kept(login, people, product):
    coordinator = login(people.authority_admin)
    services.self_assessment_draft(product=product, user=people.authority_admin)
    stale = form_data(coordinator, product)
    coordinator.post(theme_url(product), stale | {"answer_R1": "ja"})
    response = coordinator.post(theme_url(product), stale | {"answer_R1": "nej"})
    assert response.status_code == 200
    assert "En anden har ændret dette svar" in response.content.decode()
    assert SelfAssessmentAnswer.objects.get(self_assessment__product=product, criterion__code="R1").answer == "ja"


def test_submitting_locks_the_self_assessment_and_records_who_and_when(
    login, people, product, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(people.authority2_admin)
    form = form_data(client, product)
    client.post(theme_url(product), form | {"answer_R1": "ja"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:self_assessment_submit", args=[product.slug]), {"confirm": "yes"})
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(product=product)
    assert assessment.status == "submitted" and assessment.submitted_by == people.authority2_admin
    assert assessment.submitted_at is not None and assessment.filled_by.startswith(people.authority2_admin.name)
    assert [m.to for m in mailoutbox] == [[people.secretariat.email]]
    # The transition is in the product's history.
    event = GovernanceEvent.objects.get(product=product, kind="self_assessment_submitted")
    assert event.actor == people.authority2_admin and event.object_id == assessment.pk
    history = client.get(reverse("governance:level", args=[product.slug])).content.decode()
    assert "Selvevaluering indsendt" in history
    # Locked: the page is read-only and a stale form post does not change it.
    page = client.get(reverse("governance:self_assessment", args=[product.slug]))
    assert page.templates[0].name == "governance/self_assessment.html"
    with pytest.raises(TransitionConflict):
        services.self_assessment_save(
            assessment=assessment, user=people.authority2_admin, answers={"R1": {"answer": "nej"}}
        )
    # A form from before the submission, posted now, starts nothing and changes nothing.
    for url in (theme_url(product), reverse("governance:self_assessment", args=[product.slug])):
        response = client.post(url, form | {"answer_R1": "nej"})
        assert response.status_code == 302
    assert not SelfAssessment.objects.filter(product=product, status="draft").exists()
    assert SelfAssessmentAnswer.objects.get(self_assessment=assessment, criterion__code="R1").answer == "ja"
    # A second submit finds nothing to submit.
    client.post(reverse("governance:self_assessment_submit", args=[product.slug]), {"confirm": "yes"})
    assert SelfAssessment.objects.filter(product=product, status="submitted").count() == 1


def test_a_new_self_assessment_starts_from_the_last_submitted_one(login, people, product):
    client = login(people.authority_admin)
    import_example(client, product)
    client.post(reverse("governance:self_assessment_submit", args=[product.slug]), {"confirm": "yes"})
    client.post(reverse("governance:self_assessment", args=[product.slug]), {"action": "start"})
    draft = SelfAssessment.objects.get(product=product, status="draft")
    answers = dict(draft.answers.values_list("criterion__code", "answer"))
    assert answers["R1"] == "ja" and answers["G5"] == "nej" and answers["F6"] == ""


def test_a_stale_submit_is_refused(people, product):
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    other_view = SelfAssessment.objects.get(pk=draft.pk)
    services.self_assessment_submit(assessment=draft, user=people.authority_admin)
    with pytest.raises(TransitionConflict):
        services.self_assessment_submit(assessment=other_view, user=people.authority2_admin)
    assert SelfAssessment.objects.get(pk=draft.pk).submitted_by == people.authority_admin


@pytest.mark.django_db(transaction=True)
def test_two_people_submitting_at_once_on_postgresql_give_one_submission():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the stale-submit test covers the logic on SQLite")
    people = Personas()
    product = make_product(people)
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(user):
        try:
            barrier.wait()
            services.self_assessment_submit(assessment=SelfAssessment.objects.get(pk=draft.pk), user=user)
            outcomes.append("submitted")
        except TransitionConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (people.authority_admin, people.authority2_admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "submitted"]


@pytest.mark.parametrize("persona", ["supplier_admin", "outsider", "authority_admin_of_other"])
def test_others_cannot_edit_import_or_submit_a_self_assessment(login, people, product, persona):
    user = people.supplier_admin if persona == "supplier_admin" else people.outsider
    if persona == "authority_admin_of_other":
        user = people.authority_admin
        product.coordinator = people.secretariat
        product.save()
        GroupMember.objects.filter(group__product=product).delete()
    client = login(user)
    url = reverse("governance:self_assessment", args=[product.slug])
    assert client.post(url, {"answer_R1": "ja"}).status_code == 404
    assert client.get(theme_url(product)).status_code == 404
    assert client.post(theme_url(product), {"answer_R1": "ja", "base_R1": ""}).status_code == 404
    assert client.get(reverse("governance:self_assessment_import", args=[product.slug])).status_code == 404
    assert import_example(client, product).status_code == 404
    submit = reverse("governance:self_assessment_submit", args=[product.slug])
    assert client.get(submit).status_code == 404
    assert client.post(submit, {"confirm": "yes"}).status_code == 404
    assert not SelfAssessment.objects.filter(product=product).exists()


def test_visitors_see_the_submitted_self_assessment_but_not_a_draft(client, people, product):
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    services.self_assessment_save(
        assessment=draft, user=people.authority_admin, answers={"R1": {"answer": "ja", "documentation": "Kladde"}}
    )
    url = reverse("governance:self_assessment", args=[product.slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("governance:self_assessment_export", args=[product.slug])).status_code == 404
    services.self_assessment_submit(assessment=draft, user=people.authority_admin)
    page = client.get(url)
    assert page.status_code == 200 and "Kladde" in page.content.decode()


def test_the_self_assessment_form_uses_a_constant_number_of_queries(
    login, people, product, django_assert_max_num_queries
):
    client = login(people.authority_admin)
    import_example(client, product)
    pages = [
        reverse("governance:self_assessment", args=[product.slug]),
        theme_url(product, "formkrav"),
        reverse("governance:self_assessment_submit", args=[product.slug]),
    ]
    for url in pages:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


# --- Level page and badge -----------------------------------------------------------------------------------


def test_the_level_page_is_public_and_shows_the_decision_log(client, people, product):
    import datetime

    services.decision_record(
        product=product,
        user=people.secretariat,
        decided_on=datetime.date(2026, 6, 1),
        level="1",
        decision="Produktet optages på niveau 1",
        grounds="Evalueringen viser, at kravene til niveau 1 er opfyldt.",
        made_by="OS2's bestyrelse",
        reference="https://os2.eu/referat",
    )
    page = client.get(reverse("governance:level", args=[product.slug])).content.decode()
    assert "Produktet optages på niveau 1" in page and "OS2&#x27;s bestyrelse" in page
    assert 'href="https://os2.eu/referat"' in page


def test_the_badge_shows_the_official_level_as_plain_svg(client, people, product):
    import datetime

    url = reverse("governance:badge", args=[product.slug])
    response = client.get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "ingen endnu" in response.content.decode().lower()
    services.decision_record(
        product=product,
        user=people.secretariat,
        decided_on=datetime.date(2026, 6, 1),
        level="2",
        decision="Niveau 2",
        grounds="Alle krav til niveau 2 er opfyldt.",
        made_by="Bestyrelsen",
    )
    svg = client.get(url).content.decode()
    assert "Niveau 2" in svg and "<script" not in svg and "href" not in svg
    assert client.get(reverse("governance:badge", args=["findes-ikke"])).status_code == 404


# --- Follow or explain --------------------------------------------------------------------------------------


def test_a_deviation_needs_an_explanation_and_the_register_feeds_f18(login, people, product):
    client = login(people.authority_admin)
    url = reverse("governance:practices", args=[product.slug])
    response = client.post(url, {"kind": "standard", "name": "OIO REST", "status": "deviates", "explanation": ""})
    assert response.status_code == 200 and "Forklar afvigelsen" in response.content.decode()
    assert not Practice.objects.exists()
    client.post(
        url, {"kind": "standard", "name": "OIO REST", "status": "deviates", "explanation": "Vi bruger OpenAPI 3."}
    )
    client.post(url, {"kind": "architecture", "name": "FKA: genbrug data", "status": "follows"})
    assert Practice.objects.filter(product=product).count() == 2
    assert client.get(url).status_code == 200
    form = client.get(theme_url(product, "formkrav")).content.decode()
    assert "2 standarder" in form


def test_outsiders_cannot_change_the_register(login, people, product):
    practice = Practice.objects.create(product=product, name="WCAG 2.1 AA", status="follows")
    client = login(people.supplier_admin)
    assert (
        client.post(
            reverse("governance:practices", args=[product.slug]), {"name": "X", "status": "follows", "kind": "standard"}
        ).status_code
        == 404
    )
    assert client.post(reverse("governance:practice_delete", args=[product.slug, practice.pk])).status_code == 404
    assert client.get(reverse("governance:practices", args=[product.slug])).status_code == 200
    assert Practice.objects.filter(product=product).count() == 1


def test_a_refused_first_save_leaves_no_draft(login, people, product):
    client = login(people.authority_admin)
    data = form_data(client, product, "formkrav") | {
        "answer_F1": "ja",
        "links_F1": "https://os2.eu/\u2028javascript:alert(1)",
    }
    response = client.post(theme_url(product, "formkrav"), data)
    assert response.status_code == 200
    assert "links_F1" in response.context["form"].errors  # "javascript:alert(1)" is not a web address
    assert not SelfAssessment.objects.filter(product=product).exists()
    assert not GovernanceEvent.objects.filter(product=product).exists()


def test_visitors_see_the_public_history_only(client, login, people, product):
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    services.evaluation_start(product=product, user=people.secretariat)
    page = client.get(reverse("governance:level", args=[product.slug])).content.decode()
    assert people.secretariat.name not in page and "påbegyndt" not in page
    services.self_assessment_submit(assessment=draft, user=people.authority_admin)
    page = client.get(reverse("governance:level", args=[product.slug])).content.decode()
    assert "Selvevaluering indsendt" in page and "påbegyndt" not in page
    staff = login(people.secretariat).get(reverse("governance:level", args=[product.slug])).content.decode()
    assert "Evaluering påbegyndt" in staff
