"""Governance through the API: criteria, a product's self-assessment (answers, OS2's JSON in and out, submit),
its levels, and the published evaluations and decisions."""

import datetime
import json
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from os2hub.accounts.services import api_token_issue
from os2hub.governance import services
from os2hub.governance.models import Evaluation, SelfAssessment
from os2hub.products.models import Group, GroupMember, Product
from tests.personas import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
CRITERIA_FILE = ROOT / "os2hub" / "governance" / "criteria" / "governance-criteria-v1.1.0.yaml"
# A byte copy of OS2's example (../shared/domain/example-selfassessment-os2-test.json): the file OS2's form wrote.
EXAMPLE_FILE = Path(__file__).resolve().parent.parent / "data" / "example-selfassessment-os2-test.json"
SLUG = "os2-test-selvevaluering"
BASE = f"/api/v1/products/{SLUG}"


class Api:
    """The test client as one user, with their token."""

    def __init__(self, client, user):
        self.client = client
        _token, raw = api_token_issue(user=user, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path):
        return self.client.get(path, **self.headers)

    def post(self, path, data=None):
        return self.client.post(path, data or {}, content_type="application/json", **self.headers)

    def post_raw(self, path, body: bytes):
        return self.client.generic("POST", path, body, content_type="application/json", **self.headers)

    def put(self, path, data):
        return self.client.put(path, data, content_type="application/json", **self.headers)


@pytest.fixture
def api(client):
    return lambda user: Api(client, user)


@pytest.fixture
def steering_member(people):
    return UserFactory(email="styregruppe@example.dk", name="Styre Svendsen")


@pytest.fixture
def product(people, steering_member):
    p = Product.objects.create(
        name="OS2-test-selvevaluering",
        slug=SLUG,
        summary="OS2's eksempel på en selvevaluering.",
        status="sandbox",
        coordinator=people.authority_admin,
    )
    group = Group.objects.create(product=p, kind="steering_group", name="Styregruppen")
    GroupMember.objects.create(group=group, user=steering_member)
    return p


@pytest.fixture
def coordinator(api, people, product):
    return api(people.authority_admin)


def example_bytes() -> bytes:
    return EXAMPLE_FILE.read_bytes()


def example() -> dict:
    return json.loads(example_bytes())


def yaml_criteria() -> dict:
    return yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))


def by_hand(words: dict) -> tuple[str | None, str | None, list[str]]:
    """PRODUCT.md's rule applied by hand: a level is reached when every criterion of it and of the lower levels
    that is not a recommendation is answered Ja or Ikke relevant. Returns (level, next level, blockers)."""
    data = yaml_criteria()
    order = [level["key"] for level in data["levels"]]
    reached = None
    for key in order:
        required = [c for c in data["criteria"] if str(c["level"]) == key and not c["recommendation"]]
        missing = [c["id"] for c in required if words.get(c["id"]) not in ("Ja", "Ikke relevant")]
        if missing:
            return reached, key, missing
        reached = key
    return reached, None, []


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


def messages(response):
    return " ".join(e["message"] for e in response.json()["errors"])


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and isinstance(body["detail"], str) and body["detail"]
    for item in body["errors"]:
        assert set(item) == {"field", "message"}


# --- Criteria -----------------------------------------------------------------------------------------------


def test_the_criteria_are_the_current_version_as_its_file_defines_it(client):
    data = yaml_criteria()
    body = client.get("/api/v1/criteria").json()
    assert body["version"] == data["version"] == "1.1.0"
    assert body["levels"] == data["levels"] and [level["key"] for level in body["levels"]] == [
        "sandkasse",
        "1",
        "2",
        "3",
    ]
    assert body["themes"] == data["themes"]
    assert len(body["criteria"]) == len(data["criteria"]) == 43
    assert [c["id"] for c in body["criteria"]] == [c["id"] for c in data["criteria"]]
    assert set(body["criteria"][0]) == {"id", "theme", "level", "recommendation", "text_da", "text_en"}
    assert body["criteria"][0] == {
        "id": "R1",
        "theme": "relevans",
        "level": "sandkasse",
        "recommendation": False,
        "text_da": "Løsningen skaber lokal værdi",
        "text_en": "The solution creates local value",
    }
    expected_recommendations = sorted(c["id"] for c in data["criteria"] if c["recommendation"])
    assert sorted(c["id"] for c in body["criteria"] if c["recommendation"]) == expected_recommendations


def test_a_criteria_version_can_be_named_and_an_unknown_one_is_404(client):
    assert client.get("/api/v1/criteria?version=1.1.0").json()["version"] == "1.1.0"
    assert_error_shape(client.get("/api/v1/criteria?version=9.9.9"), 404)


# --- Import and export of OS2's JSON ------------------------------------------------------------------------


def test_osses_example_imports_exports_unchanged_and_gives_the_self_declared_level(client, api, coordinator):
    words = {item["id"]: item["efterlevet"] for item in example()["krav"]}
    level, next_level, blockers = by_hand(words)
    assert (level, next_level, blockers) == ("sandkasse", "1", ["F6", "F7", "F10", "F11"])

    imported = coordinator.post_raw(f"{BASE}/self-assessment/import", example_bytes())
    assert imported.status_code == 200, imported.content
    body = imported.json()
    assert body["product"] == SLUG and body["status"] == "draft" and body["criteria_version"] == "1.1.0"
    assert body["filled_by"] == "Rasmus Frey, OS2-sekretariatet" and body["filled_date"] == "2026-05-01"
    assert (body["self_declared_level"], body["next_level"], body["blockers"]) == (level, next_level, blockers)
    answers = {a["criterion"]: a for a in body["answers"]}
    assert len(answers) == 43
    assert {code: a["answer"] for code, a in answers.items()} == words
    assert answers["G5"]["answer"] == "Nej" and answers["R4"]["answer"] == "Ved ikke"
    assert answers["F6"]["answer"] is None and answers["F6"]["links"] == []

    exported = coordinator.get(f"{BASE}/self-assessment/export")
    assert exported.status_code == 200
    assert exported.json() == example()
    assert list(exported.json()) == list(example())  # the keys in the form's order

    mine = coordinator.get(f"{BASE}/level").json()
    assert mine == {
        "official_level": None,
        "self_declared_level": "sandkasse",
        "recommended_level": None,
        "next_level": "1",
        "blockers": ["F6", "F7", "F10", "F11"],
    }
    # Until it is submitted, the public sees no self-declared level, and what no answers would need.
    public = client.get(f"{BASE}/level").json()
    no_answers = by_hand({})
    assert public["self_declared_level"] is None
    assert (public["next_level"], public["blockers"]) == ("sandkasse", no_answers[2])
    assert client.get(f"{BASE}/level", HTTP_AUTHORIZATION="Bearer os2h_wrong").json() == public

    assert coordinator.post(f"{BASE}/self-assessment/submit").status_code == 200
    assert client.get(f"{BASE}/level").json() == mine


def test_the_export_keeps_the_key_order_of_every_item(coordinator):
    coordinator.post_raw(f"{BASE}/self-assessment/import", example_bytes())
    exported = coordinator.get(f"{BASE}/self-assessment/export").json()
    assert [list(item) for item in exported["krav"]] == [list(item) for item in example()["krav"]]


def test_the_file_may_name_the_product_by_slug(coordinator):
    data = example()
    data["productName"] = SLUG
    response = coordinator.post(f"{BASE}/self-assessment/import", data)
    assert response.status_code == 200, response.content


def _with(change):
    data = example()
    change(data)
    return json.dumps(data).encode()


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        (_with(_set(["productName"], "OS2mo")), "productName", "OS2mo"),
        (_with(_set(["krav", 3, "id"], "R99")), "krav.3", "R99"),
        (_with(_set(["krav", 5, "efterlevet"], "Måske")), "krav.5", "Måske"),
        (_with(_set(["krav", 5, "efterlevet"], "ja")), "krav.5", "ja"),
        (_with(_set(["krav"], "alle")), "krav", ""),
        (_with(_set(["filledDate"], "1. maj")), "filledDate", ""),
        (example_bytes()[:-20], None, "JSON"),
        (b"", None, "JSON"),
        (b"[1, 2]", None, "productName"),
    ],
    ids=["other-product", "unknown-id", "unknown-word", "lower-case-word", "krav-not-a-list", "bad-date",
         "truncated-json", "empty-body", "not-an-object"],
)  # fmt: skip
def test_an_import_is_refused_with_the_item_named_and_nothing_stored(coordinator, body, field, text):
    response = coordinator.post_raw(f"{BASE}/self-assessment/import", body)
    assert_error_shape(response, 400)
    assert field in fields(response)
    assert text in messages(response)
    # All or nothing: not even the draft the import started is left.
    assert not SelfAssessment.objects.exists()
    assert coordinator.get(f"{BASE}/self-assessment").status_code == 404


def test_every_refused_item_of_a_file_is_named_at_once(coordinator):
    def change(data):
        data["krav"][0]["id"] = "X1"
        data["krav"][7]["efterlevet"] = "Yes"

    response = coordinator.post_raw(f"{BASE}/self-assessment/import", _with(change))
    assert_error_shape(response, 400)
    assert fields(response) == ["krav.0", "krav.7"]


def test_an_import_larger_than_a_megabyte_is_refused(coordinator):
    data = example()
    data["krav"][0]["dokumentation"] = "x" * 1_100_000
    response = coordinator.post_raw(f"{BASE}/self-assessment/import", json.dumps(data).encode())
    assert_error_shape(response, 413)
    assert not SelfAssessment.objects.exists()


def test_an_import_replaces_the_drafts_answers(coordinator):
    assert (
        coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "F6", "answer": "Ja"}]}).status_code
        == 200
    )
    assert coordinator.post_raw(f"{BASE}/self-assessment/import", example_bytes()).status_code == 200
    answers = {a["criterion"]: a["answer"] for a in coordinator.get(f"{BASE}/self-assessment").json()["answers"]}
    assert answers["F6"] is None


# --- Answering through the API ------------------------------------------------------------------------------


def test_the_steering_group_answers_and_fields_left_out_stay_as_they_were(api, steering_member, product):
    member = api(steering_member)
    assert member.get(f"{BASE}/self-assessment").status_code == 404
    response = member.put(
        f"{BASE}/self-assessment",
        {
            "answers": [
                {"criterion": "R1", "answer": "Ja", "documentation": "Sparer tid.", "links": ["https://os2.eu/"]},
                {"criterion": "F1", "answer": "Ikke relevant"},
            ]
        },
    )
    assert response.status_code == 200, response.content
    answers = {a["criterion"]: a for a in response.json()["answers"]}
    assert answers["R1"] == {
        "criterion": "R1",
        "answer": "Ja",
        "documentation": "Sparer tid.",
        "links": ["https://os2.eu/"],
    }
    assert answers["F1"]["answer"] == "Ikke relevant" and answers["F2"]["answer"] is None
    assert [a["criterion"] for a in response.json()["answers"]] == [c["id"] for c in yaml_criteria()["criteria"]]

    changed = member.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "R1", "answer": "Nej"}]}).json()
    r1 = next(a for a in changed["answers"] if a["criterion"] == "R1")
    assert r1 == {"criterion": "R1", "answer": "Nej", "documentation": "Sparer tid.", "links": ["https://os2.eu/"]}
    assert changed["blockers"][0] == "R1" and changed["self_declared_level"] is None

    emptied = member.put(
        f"{BASE}/self-assessment",
        {"answers": [{"criterion": "R1", "answer": "Nej", "documentation": None, "links": []}]},
    ).json()
    r1 = next(a for a in emptied["answers"] if a["criterion"] == "R1")
    assert (r1["documentation"], r1["links"]) == ("", [])


def test_an_answer_can_be_taken_back_with_null(coordinator):
    coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "F6", "answer": "Ja"}]})
    response = coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "F6", "answer": None}]})
    assert response.status_code == 200, response.content
    assert next(a for a in response.json()["answers"] if a["criterion"] == "F6")["answer"] is None


@pytest.mark.parametrize(
    ("answer", "field", "text"),
    [
        ({"criterion": "F6", "answer": "Måske"}, "F6", "Måske"),
        ({"criterion": "F6", "answer": "ja"}, "F6", "ja"),
        ({"criterion": "Z99", "answer": "Ja"}, "Z99", "Z99"),
        ({"criterion": "F6", "answer": "Ja", "links": ["http://intern.local/"]}, "F6.links", "intern.local"),
    ],
)
def test_a_put_is_refused_with_the_criterion_named_and_nothing_stored(coordinator, answer, field, text):
    response = coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "R1", "answer": "Ja"}, answer]})
    assert_error_shape(response, 400)
    assert fields(response) == [field]
    assert text in messages(response)
    assert coordinator.get(f"{BASE}/self-assessment").status_code == 404


def test_a_put_that_does_not_match_the_schema_is_422(coordinator):
    response = coordinator.put(f"{BASE}/self-assessment", {"answers": [{"answer": "Ja"}]})
    assert_error_shape(response, 422)
    assert fields(response) == ["answers.0.criterion"]


def test_a_criterion_sent_twice_is_refused(coordinator):
    twice = [{"criterion": "R1", "answer": "Ja"}, {"criterion": "R1", "answer": "Nej"}]
    response = coordinator.put(f"{BASE}/self-assessment", {"answers": twice})
    assert_error_shape(response, 400)
    assert fields(response) == ["R1"]


def test_a_submitted_self_assessment_is_locked_until_the_next_is_started(coordinator, people, product, client):
    coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "R1", "answer": "Ja"}]})
    submitted = coordinator.post(f"{BASE}/self-assessment/submit")
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted" and body["submitted_by"] == "Kommune Karlsen" and body["submitted_at"]
    assert body["filled_by"].startswith("Kommune Karlsen") and body["filled_date"]

    assert_error_shape(coordinator.post(f"{BASE}/self-assessment/submit"), 409)
    assert_error_shape(
        coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "R1", "answer": "Nej"}]}), 409
    )
    assert_error_shape(coordinator.post_raw(f"{BASE}/self-assessment/import", example_bytes()), 409)
    assert SelfAssessment.objects.count() == 1

    started = coordinator.post(f"{BASE}/self-assessment/draft")
    assert started.status_code == 201
    assert started.json()["status"] == "draft"
    assert next(a for a in started.json()["answers"] if a["criterion"] == "R1")["answer"] == "Ja"  # carried over
    assert coordinator.post(f"{BASE}/self-assessment/draft").status_code == 200  # the same draft
    assert (
        coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "R1", "answer": "Nej"}]}).status_code
        == 200
    )
    assert SelfAssessment.objects.count() == 2


def test_others_see_the_submitted_self_assessment_and_never_the_draft(api, coordinator, people):
    outsider = api(people.outsider)
    coordinator.post_raw(f"{BASE}/self-assessment/import", example_bytes())
    assert_error_shape(outsider.get(f"{BASE}/self-assessment"), 404)
    assert_error_shape(outsider.get(f"{BASE}/self-assessment/export"), 404)
    coordinator.post(f"{BASE}/self-assessment/submit")
    coordinator.post(f"{BASE}/self-assessment/draft")
    coordinator.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "F6", "answer": "Ja"}]})

    seen = outsider.get(f"{BASE}/self-assessment").json()
    assert seen["status"] == "submitted"
    assert next(a for a in seen["answers"] if a["criterion"] == "F6")["answer"] is None
    assert outsider.get(f"{BASE}/self-assessment/export").json() == example()
    assert coordinator.get(f"{BASE}/self-assessment").json()["status"] == "draft"


@pytest.mark.parametrize("persona", ["supplier_admin", "outsider", "authority2_admin"])
def test_only_those_who_answer_for_the_product_may_change_its_self_assessment(api, people, product, persona):
    other = api(getattr(people, persona))
    for response in (
        other.put(f"{BASE}/self-assessment", {"answers": [{"criterion": "R1", "answer": "Ja"}]}),
        other.post_raw(f"{BASE}/self-assessment/import", example_bytes()),
        other.post(f"{BASE}/self-assessment/submit"),
        other.post(f"{BASE}/self-assessment/draft"),
    ):
        assert_error_shape(response, 404)
    assert not SelfAssessment.objects.exists()


def test_the_secretariat_may_answer_too(api, people, product):
    response = api(people.secretariat).post_raw(f"{BASE}/self-assessment/import", example_bytes())
    assert response.status_code == 200


def test_an_unknown_product_is_404(coordinator, client):
    for response in (
        coordinator.get("/api/v1/products/nope/self-assessment"),
        coordinator.put("/api/v1/products/nope/self-assessment", {"answers": []}),
        client.get("/api/v1/products/nope/level"),
        client.get("/api/v1/products/nope/evaluations"),
        client.get("/api/v1/products/nope/decisions"),
    ):
        assert_error_shape(response, 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "self-assessment"),
        ("post", "self-assessment/import"),
        ("post", "self-assessment/submit"),
        ("post", "self-assessment/draft"),
    ],
)
def test_writing_the_self_assessment_needs_a_token(client, product, method, path):
    response = getattr(client, method)(f"{BASE}/{path}", content_type="application/json")
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_anyone_reads_the_submitted_self_assessment_but_not_a_draft(client, people, product):
    draft = services.self_assessment_draft(product=product, user=people.authority_admin)
    services.self_assessment_save(assessment=draft, user=people.authority_admin, answers={"R1": {"answer": "ja"}})
    assert client.get(f"{BASE}/self-assessment").status_code == 404
    assert client.get(f"{BASE}/self-assessment/export").status_code == 404
    services.self_assessment_submit(assessment=draft, user=people.authority_admin)
    body = client.get(f"{BASE}/self-assessment").json()
    assert body["status"] == "submitted"
    assert next(a for a in body["answers"] if a["criterion"] == "R1")["answer"] == "Ja"
    exported = client.get(f"{BASE}/self-assessment/export").json()
    assert next(k for k in exported["krav"] if k["id"] == "R1")["efterlevet"] == "Ja"


@pytest.mark.parametrize(
    "path", ["/api/v1/criteria?version=%00", "/api/v1/products/a%00b/level", "/api/v1/products/a%00b/self-assessment"]
)
def test_a_nul_in_a_path_or_query_is_refused_at_the_edge(client, db, path):
    assert_error_shape(client.get(path), 400)


@pytest.mark.parametrize(
    "links",
    [["https://os2.eu/\u2028javascript:alert(1)"], ["https://os2.eu/\njavascript:alert(1)"], ["https://os2.eu/\x00"]],
)
def test_a_link_hiding_a_second_line_or_a_nul_is_refused(coordinator, links):
    response = coordinator.put(
        f"{BASE}/self-assessment", {"answers": [{"criterion": "F6", "answer": "Ja", "links": links}]}
    )
    assert_error_shape(response, 400)
    # A NUL is refused at the edge, named by its place in the body; the others by the criterion.
    assert fields(response) == (["answers.0.links.0"] if "\x00" in links[0] else ["F6.links"])


# --- Evaluations, decisions and the level -------------------------------------------------------------------


def publish_evaluation(product, user, *, summary="Godt på vej.", red=()):
    evaluation = services.evaluation_start(product=product, user=user)
    ratings = {
        c.code: {"rating": "red" if c.code in red else "green", "grounds": "Mangler." if c.code in red else ""}
        for c in services.criteria_of(evaluation.criteria_version)
    }
    services.evaluation_save(evaluation=evaluation, user=user, ratings=ratings, summary=summary)
    return services.evaluation_publish(evaluation=evaluation, user=user)


def test_evaluations_and_decisions_list_what_is_published_and_recorded(client, people, product):
    secretariat = people.secretariat
    first = publish_evaluation(product, secretariat, summary="Første.", red=["F6"])
    second = publish_evaluation(product, secretariat, summary="Anden.")
    draft = services.evaluation_start(product=product, user=secretariat)
    services.decision_record(
        product=product, user=secretariat, decided_on=datetime.date(2026, 1, 10), level="sandkasse",
        decision="Optaget i sandkassen", grounds="Opfylder sandkassekravene.", made_by="OS2's bestyrelse",
        evaluation=first,
    )  # fmt: skip
    services.decision_record(
        product=product, user=secretariat, decided_on=datetime.date(2026, 3, 1), level="3",
        decision="Niveau 3", grounds="Alle krav er opfyldt.", made_by="OS2's bestyrelse", reference="Referat 3/2026",
        evaluation=second,
    )  # fmt: skip

    listed = client.get(f"{BASE}/evaluations").json()
    assert listed["count"] == 2
    assert [e["id"] for e in listed["items"]] == [second.pk, first.pk]
    assert draft.pk not in [e["id"] for e in listed["items"]]
    older = listed["items"][1]
    assert set(older) == {"id", "round", "criteria_version", "published_at", "summary", "computed_level",
                          "recommended_level", "level_reason", "ratings"}  # fmt: skip
    assert (older["summary"], older["criteria_version"], older["round"]) == ("Første.", "1.1.0", None)
    assert (older["computed_level"], older["recommended_level"]) == ("sandkasse", "sandkasse")
    assert len(older["ratings"]) == 43 and older["ratings"][0] == {"criterion": "R1", "rating": "green", "grounds": ""}
    assert {"criterion": "F6", "rating": "red", "grounds": "Mangler."} in older["ratings"]

    decisions = client.get(f"{BASE}/decisions").json()
    assert decisions["count"] == 2
    assert decisions["items"] == [
        {"decided_on": "2026-03-01", "level": "3", "previous_level": "sandkasse", "decision": "Niveau 3",
         "grounds": "Alle krav er opfyldt.", "made_by": "OS2's bestyrelse", "reference": "Referat 3/2026",
         "evaluation": second.pk},
        {"decided_on": "2026-01-10", "level": "sandkasse", "previous_level": None, "decision": "Optaget i sandkassen",
         "grounds": "Opfylder sandkassekravene.", "made_by": "OS2's bestyrelse", "reference": "",
         "evaluation": first.pk},
    ]  # fmt: skip

    level = client.get(f"{BASE}/level").json()
    assert (level["official_level"], level["recommended_level"]) == ("3", "3")


def test_a_product_without_evaluations_or_decisions_has_empty_lists(client, product):
    assert client.get(f"{BASE}/evaluations").json() == {"count": 0, "items": []}
    assert client.get(f"{BASE}/decisions").json() == {"count": 0, "items": []}


def test_the_evaluations_list_uses_a_constant_number_of_queries(client, people, product, django_assert_max_num_queries):
    publish_evaluation(product, people.secretariat)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(f"{BASE}/evaluations").json()["items"]) == 1
    for _ in range(4):
        publish_evaluation(product, people.secretariat, red=["R1"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/evaluations").json()["items"]) == 5
    assert Evaluation.objects.count() == 5


# --- The contract in the OpenAPI document -------------------------------------------------------------------


def test_the_openapi_document_describes_the_governance_endpoints(client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    for path in ("/criteria", "/products/{slug}/self-assessment", "/products/{slug}/self-assessment/import",
                 "/products/{slug}/self-assessment/export", "/products/{slug}/self-assessment/submit",
                 "/products/{slug}/level", "/products/{slug}/evaluations", "/products/{slug}/decisions"):  # fmt: skip
        assert f"/api/v1{path}" in paths, path
    assert "security" not in paths["/api/v1/criteria"]["get"]
    assert paths["/api/v1/products/{slug}/self-assessment"]["put"]["security"] == [{"TokenAuth": []}]
    assert {} in paths["/api/v1/products/{slug}/level"]["get"]["security"]
    assert "404" in paths["/api/v1/products/{slug}/level"]["get"]["responses"]
    assert "409" in paths["/api/v1/products/{slug}/self-assessment"]["put"]["responses"]
    importing = paths["/api/v1/products/{slug}/self-assessment/import"]["post"]
    assert "krav" in importing["requestBody"]["content"]["application/json"]["schema"]["properties"]


SHARED_EXAMPLE = ROOT.parent / "shared" / "domain" / "example-selfassessment-os2-test.json"


@pytest.mark.skipif(not SHARED_EXAMPLE.exists(), reason="../shared is not checked out beside the project")
def test_the_example_file_is_a_byte_copy_of_osses():
    assert EXAMPLE_FILE.read_bytes() == SHARED_EXAMPLE.read_bytes()
