"""Needs, co-signs, pitches, calls for suppliers, sealed offers and the award through the API, and what the API
refuses: the wrong people, the wrong moment, bad money and bad filters."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from os2hub.accounts.services import api_token_issue
from os2hub.needs.models import Call, CoSign, Need, Offer, Pitch
from os2hub.products.models import Category, Group, GroupMember, Product
from tests.personas import OrganisationFactory, UserFactory, make_application, member

pytestmark = pytest.mark.django_db

NEEDS = "/api/v1/needs"
PITCHES = "/api/v1/pitches"
CALLS = "/api/v1/calls"
SLUG = "os2sagsbehandling"
SCRIPT = "<script>alert('x')</script> & \"citat\""


class Api:
    """The test client as one user, with their token (or anonymous, with user None)."""

    def __init__(self, client, user, **headers):
        self.client = client
        self.headers = dict(headers)
        if user is not None:
            _token, raw = api_token_issue(user=user, name="test")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path, data=None):
        return self.client.post(path, data or {}, content_type="application/json", **self.headers)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(client):
    return lambda user=None, **headers: Api(client, user, **headers)


@pytest.fixture
def coordinator(people):
    return UserFactory(email="koordinator@example.dk", name="Koordinator Kim")


@pytest.fixture
def product(people, coordinator):
    p = Product.objects.create(name="OS2sagsbehandling", slug=SLUG, summary="Sager.", coordinator=coordinator)
    group = Group.objects.create(product=p, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen")
    GroupMember.objects.create(group=group, user=coordinator)
    return p


@pytest.fixture
def aarhus(api, people):
    return api(people.authority_admin)


@pytest.fixture
def odense(api, people):
    return api(people.authority2_admin)


@pytest.fixture
def supplier(api, people):
    return api(people.supplier_admin)


@pytest.fixture
def rival(api, people):
    """A second approved partner offering software development (at 1,000 kr. an hour)."""
    org = OrganisationFactory(name="Rivalen A/S", slug="rivalen", kind="supplier", cvr="29403473")
    user = member(UserFactory(email="rival@example.dk", name="Rikke Rival"), org)
    make_application(org, user, competences=("software-development",), rates=(1000,))
    return api(user)


def need_data(**changes):
    data = {
        "title": "Borgere kan ikke se deres sager",
        "problem": "Borgere ringer for at høre, hvor langt deres sag er.",
        "desired_outcome": "Borgeren kan selv se sagens status.",
    }
    data.update(changes)
    return data


def post_need(actor, **changes) -> dict:
    response = actor.post(NEEDS, need_data(**changes))
    assert response.status_code == 201, response.json()
    return response.json()


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def call_data(**changes):
    data = {
        "product": SLUG,
        "kind": "development",
        "title": "Eksport af sager til PDF",
        "description": "Byg en eksport af sager til PDF.",
        "deadline": in_days(14),
    }
    data.update(changes)
    return data


def post_call(actor, **changes) -> dict:
    response = actor.post(CALLS, call_data(**changes))
    assert response.status_code == 201, response.json()
    return response.json()


def offer(actor, call_id, expect=201, **data) -> dict:
    data = {"price_dkk": 50000, "approach": "Vi bygger den i to sprints.", **data}
    response = actor.post(f"{CALLS}/{call_id}/offers", data)
    assert response.status_code == expect, response.json()
    return response.json()


def offer_prices(actor, call_id) -> list[float]:
    response = actor.get(f"{CALLS}/{call_id}/offers")
    assert response.status_code == 200, response.json()
    return [o["price_dkk"] for o in response.json()["items"]]


# --- Needs --------------------------------------------------------------------------------------------------------


def test_an_authority_posts_a_need_and_another_cosigns_it(
    api, people, aarhus, odense, django_capture_on_commit_callbacks
):
    need = post_need(aarhus, who_has_it="Borgerservice", rough_value="Sparer 500 timer om året")
    assert need["status"] == "open"
    assert need["organisation"] == {"slug": "aarhus", "name": "Aarhus Kommune"}
    assert need["cosigners"] == [] and need["cosigner_count"] == 0
    assert need["who_has_it"] == "Borgerservice" and need["rough_value"] == "Sparer 500 timer om året"
    assert need["category"] is None and need["product"] is None and need["development_request"] is None
    assert need["tender_url"] == ""

    with django_capture_on_commit_callbacks(execute=True):
        response = odense.post(f"{NEEDS}/{need['id']}/cosign", {"note": "Også hos os"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["cosigner_count"] == 1
    assert [(c["organisation"]["slug"], c["note"]) for c in body["cosigners"]] == [("odense", "Også hos os")]
    # The posting authority hears of it; the co-signer does not get its own news.
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]
    assert "Odense Kommune" in mail.outbox[0].body

    detail = api().get(f"{NEEDS}/{need['id']}").json()
    assert detail["cosigner_count"] == 1 and detail["cosigners"][0]["organisation"]["name"] == "Odense Kommune"


def test_an_authority_cosigns_once_and_never_its_own_need(api, people, aarhus, odense):
    need = post_need(aarhus)
    path = f"{NEEDS}/{need['id']}/cosign"
    # The body is optional.
    assert odense.client.post(path, content_type="application/json", **odense.headers).status_code == 201
    twice = api(people.authority2_admin, HTTP_ACCEPT_LANGUAGE="en").post(path)
    assert twice.status_code == 409
    assert "already co-signed" in twice.json()["detail"]
    assert aarhus.post(path).status_code == 409
    assert CoSign.objects.filter(need_id=need["id"]).count() == 1


def test_only_authority_members_cosign(api, people, aarhus):
    need = post_need(aarhus)
    path = f"{NEEDS}/{need['id']}/cosign"
    for user in (people.supplier_admin, people.new_supplier_admin, people.outsider, people.secretariat):
        assert api(user).post(path).status_code == 403, user
    # Naming an authority one is not a member of does not help.
    assert api(people.supplier_admin).post(path, {"organisation": "odense"}).status_code == 403
    assert api().post(path).status_code == 401
    assert api(people.authority2_admin).post(f"{NEEDS}/999999/cosign").status_code == 404


def test_a_decided_need_is_not_cosigned(people, aarhus, odense):
    need = post_need(aarhus)
    Need.objects.filter(pk=need["id"]).update(status=Need.Status.CLOSED)
    assert odense.post(f"{NEEDS}/{need['id']}/cosign").status_code == 409


def test_needs_are_posted_by_authority_members_only(api, people):
    for user in (people.supplier_admin, people.new_supplier_admin, people.outsider, people.secretariat):
        assert api(user).post(NEEDS, need_data()).status_code == 403, user
    # A supplier cannot post in its own name, nor in an authority's it does not belong to.
    assert api(people.supplier_admin).post(NEEDS, need_data(organisation="kodekammeret")).status_code == 403
    assert api(people.supplier_admin).post(NEEDS, need_data(organisation="aarhus")).status_code == 403
    assert api().post(NEEDS, need_data()).status_code == 401
    assert Need.objects.count() == 0


def test_a_member_of_several_authorities_names_one(api, people):
    member(people.authority_admin, people.authority2)
    several = api(people.authority_admin)
    response = several.post(NEEDS, need_data())
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "organisation"
    assert post_need(several, organisation="odense")["organisation"]["slug"] == "odense"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"problem": "   "}, "problem"),
        ({"desired_outcome": "Nul\x00tegn"}, "desired_outcome"),
        ({"category": "findes-ikke"}, "category"),
        ({"organisation": "findes-ikke"}, "organisation"),
    ],
)
def test_posting_a_need_refuses_bad_input(aarhus, changes, field):
    response = aarhus.post(NEEDS, need_data(**changes))
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert Need.objects.count() == 0


def test_a_need_without_its_required_fields_does_not_match_the_schema(aarhus):
    response = aarhus.post(NEEDS, {"title": "Kun en titel"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"problem", "desired_outcome"}


def test_text_is_stored_and_returned_as_typed(api, people, aarhus, odense, supplier):
    need = post_need(aarhus, title=SCRIPT, problem=SCRIPT, desired_outcome=SCRIPT, current_solutions=SCRIPT)
    assert need["title"] == SCRIPT and need["problem"] == SCRIPT and need["current_solutions"] == SCRIPT
    cosigned = odense.post(f"{NEEDS}/{need['id']}/cosign", {"note": SCRIPT})
    assert cosigned.status_code == 201
    assert cosigned.json()["cosigners"][0]["note"] == SCRIPT
    pitch = supplier.post(PITCHES, {"title": SCRIPT, "text": SCRIPT, "need": need["id"]})
    assert pitch.status_code == 201 and pitch.json()["text"] == SCRIPT
    call = post_call(aarhus, product=None, need=need["id"], title=SCRIPT, description=SCRIPT)
    assert call["title"] == SCRIPT and call["description"] == SCRIPT
    made = offer(supplier, call["id"], approach=SCRIPT, team=SCRIPT)
    assert made["approach"] == SCRIPT and made["team"] == SCRIPT
    response = api().get(f"{NEEDS}/{need['id']}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == SCRIPT
    assert api().get(NEEDS, {"q": "<script>"}).json()["count"] == 1


def test_a_need_with_a_category(aarhus):
    Category.objects.create(name_da="Borgerservice", name_en="Citizen services", slug="borgerservice")
    assert post_need(aarhus, category="borgerservice")["category"] == "borgerservice"


def test_the_need_list_filters(api, people, aarhus, odense):
    Category.objects.create(name_da="Økonomi", name_en="Finance", slug="oekonomi")
    first = post_need(aarhus, title="Lønsedler som PDF", category="oekonomi")
    post_need(aarhus, title="Mødebooking", problem="Vi booker lokaler i regneark.")
    shared = post_need(odense, title="Fælles sagsoverblik")
    kolding = OrganisationFactory(name="Kolding Kommune", slug="kolding")
    CoSign.objects.create(need_id=shared["id"], organisation=people.authority)
    CoSign.objects.create(need_id=shared["id"], organisation=kolding)
    assert odense.post(f"{NEEDS}/{first['id']}/cosign").status_code == 201
    Need.objects.filter(pk=first["id"]).update(status=Need.Status.CLARIFYING)

    def titles(**params):
        response = api().get(NEEDS, params)
        assert response.status_code == 200, response.json()
        return [n["title"] for n in response.json()["items"]]

    # Newest first.
    assert titles() == ["Fælles sagsoverblik", "Mødebooking", "Lønsedler som PDF"]
    assert titles(status="clarifying") == ["Lønsedler som PDF"]
    assert titles(status="open") == ["Fælles sagsoverblik", "Mødebooking"]
    assert titles(q="regneark") == ["Mødebooking"]
    assert titles(q="lønsedler pdf") == ["Lønsedler som PDF"]
    assert titles(q="lønsedler regneark") == []
    assert titles(category="oekonomi") == ["Lønsedler som PDF"]
    assert titles(category="findes-ikke") == []
    assert titles(min_cosigners=1) == ["Fælles sagsoverblik", "Lønsedler som PDF"]
    assert titles(min_cosigners=2) == ["Fælles sagsoverblik"]
    assert titles(min_cosigners=0) == titles()
    for params in ({"q": "a\x00b"}, {"category": "a\x00b"}):
        assert api().get(NEEDS, params).status_code == 400

    response = api().get(NEEDS, {"status": "finished"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"
    assert api().get(NEEDS, {"min_cosigners": -1}).status_code == 422

    page = api().get(NEEDS, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and [n["title"] for n in page["items"]] == ["Mødebooking"]
    counted = {n["title"]: n["cosigner_count"] for n in api().get(NEEDS).json()["items"]}
    assert counted == {"Fælles sagsoverblik": 2, "Mødebooking": 0, "Lønsedler som PDF": 1}
    assert api().get(f"{NEEDS}/999999").status_code == 404


def add_needs(people, count):
    """Needs with two co-signs each, one on a product."""
    product = Product.objects.create(name=f"Produkt {count}", slug=f"produkt-{count}", summary="Et produkt.")
    third = OrganisationFactory(name=f"Kommune {count}", slug=f"kommune-{count}")
    for i in range(count):
        need = Need.objects.create(
            organisation=people.authority,
            title=f"Behov {i}",
            problem="Et problem.",
            desired_outcome="En løsning.",
            product=product if i % 2 else None,
        )
        CoSign.objects.create(need=need, organisation=people.authority2, note="Også os")
        CoSign.objects.create(need=need, organisation=third)


def test_the_need_list_uses_a_constant_number_of_queries(api, people, django_assert_max_num_queries):
    add_needs(people, 1)
    # The count, the page and the co-signers.
    with django_assert_max_num_queries(3) as one:
        assert api().get(NEEDS).json()["count"] == 1
    add_needs(people, 10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = api().get(NEEDS).json()
    assert body["count"] == 11
    assert all(n["cosigner_count"] == 2 and len(n["cosigners"]) == 2 for n in body["items"])
    assert {n["product"] for n in body["items"]} == {None, "produkt-10"}


# --- Pitches ------------------------------------------------------------------------------------------------------


def test_an_approved_partner_pitches_to_a_need(api, people, aarhus, supplier, django_capture_on_commit_callbacks):
    need = post_need(aarhus)
    with django_capture_on_commit_callbacks(execute=True):
        response = supplier.post(
            PITCHES,
            {
                "title": "Sagsoverblik på borger.dk",
                "text": "Vi har bygget det til en anden kommune.",
                "links": ["https://github.com/kodekammeret/sagsoverblik", "https://kodekammeret.dk/demo"],
                "need": need["id"],
                "wants_meeting": True,
            },
        )
    assert response.status_code == 201, response.json()
    pitch = response.json()
    assert pitch["need"] == need["id"]
    assert pitch["supplier"] == {"slug": "kodekammeret", "name": "Kodekammeret ApS"}
    assert pitch["links"] == ["https://github.com/kodekammeret/sagsoverblik", "https://kodekammeret.dk/demo"]
    assert pitch["wants_meeting"] is True and pitch["wants_event"] is False
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]

    alone = supplier.post(PITCHES, {"title": "Vores platform", "text": "Til alle."})
    assert alone.status_code == 201 and alone.json()["need"] is None
    assert [p["title"] for p in api().get(PITCHES).json()["items"]] == ["Vores platform", "Sagsoverblik på borger.dk"]
    assert [p["title"] for p in api().get(PITCHES, {"need": need["id"]}).json()["items"]] == [
        "Sagsoverblik på borger.dk"
    ]
    assert api().get(PITCHES, {"limit": 1}).json()["count"] == 2


def test_only_approved_partners_pitch(api, people, aarhus):
    pitch = {"title": "En løsning", "text": "Den er god."}
    for user in (people.new_supplier_admin, people.authority_admin, people.outsider, people.secretariat):
        assert api(user).post(PITCHES, pitch).status_code == 403, user
    assert api(people.new_supplier_admin).post(PITCHES, {**pitch, "supplier": "kodekammeret"}).status_code == 403
    assert api().post(PITCHES, pitch).status_code == 401
    assert Pitch.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"links": ["http://kodekammeret.dk"]}, "links"),
        ({"links": ["https://localhost/admin"]}, "links"),
        ({"links": [f"https://kodekammeret.dk/{i}" for i in range(11)]}, "links"),
        ({"need": 999999}, "need"),
        ({"title": ""}, "title"),
        ({"supplier": "findes-ikke"}, "supplier"),
    ],
)
def test_pitching_refuses_bad_input(supplier, changes, field):
    response = supplier.post(PITCHES, {"title": "En løsning", "text": "Den er god.", **changes})
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["field"] == field


def test_a_decided_need_takes_no_pitches(aarhus, supplier):
    need = post_need(aarhus)
    Need.objects.filter(pk=need["id"]).update(status=Need.Status.TENDER)
    response = supplier.post(PITCHES, {"title": "For sent", "text": "Desværre.", "need": need["id"]})
    assert response.status_code == 409


def test_the_pitch_list_uses_a_constant_number_of_queries(api, people, supplier, django_assert_max_num_queries):
    def add(count):
        for i in range(count):
            Pitch.objects.create(supplier=people.supplier_org, title=f"Pitch {i}", text="Tekst", links=["https://a.dk"])

    add(1)
    with django_assert_max_num_queries(2) as one:
        assert api().get(PITCHES).json()["count"] == 1
    add(10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api().get(PITCHES).json()["count"] == 11


# --- Calls --------------------------------------------------------------------------------------------------------


def test_an_authority_calls_for_suppliers_on_a_need_with_api_mds_minimal_body(api, people, aarhus):
    need = post_need(aarhus)
    response = aarhus.post(
        CALLS,
        {
            "need": need["id"],
            "kind": "consulting",
            "description": "## Afklaring af behovet\n\nHjælp os med at beskrive løsningen.",
            "deadline": in_days(7),
        },
    )
    assert response.status_code == 201, response.json()
    call = response.json()
    assert call["title"] == "Afklaring af behovet"
    assert call["need"] == need["id"] and call["product"] is None
    assert call["caller"] == {"kind": "authority", "slug": "aarhus", "name": "Aarhus Kommune"}
    assert call["status"] == "open" and call["open_for_offers"] is True
    assert call["awarded_offer"] is None and call["awarded_at"] is None
    assert call["budget_min_dkk"] is None and call["budget_max_dkk"] is None
    assert api().get(f"{CALLS}/{call['id']}").json() == call
    long = post_call(aarhus, product=None, need=need["id"], title=None, description="x" * 300 + "\nmere")
    assert long["title"] == "x" * 200


def test_a_coordination_group_calls_on_its_product(api, people, product, coordinator):
    call = post_call(api(coordinator), caller="group", budget_min_dkk=20000, budget_max_dkk="40000.50")
    assert call["caller"] == {"kind": "group", "slug": None, "name": "Koordinationsgruppen (OS2sagsbehandling)"}
    assert call["product"] == SLUG
    assert call["budget_min_dkk"] == 20000.0 and call["budget_max_dkk"] == 40000.5
    # The coordination group is the default for its members.
    assert post_call(api(coordinator))["caller"]["kind"] == "group"
    secretariat_call = post_call(api(people.secretariat), caller="os2")
    assert secretariat_call["caller"] == {"kind": "secretariat", "slug": "os2", "name": "OS2-sekretariatet"}


def test_suppliers_and_outsiders_do_not_call(api, people, product):
    for user in (people.supplier_admin, people.new_supplier_admin, people.outsider):
        assert api(user).post(CALLS, call_data()).status_code == 403, user
    assert api().post(CALLS, call_data()).status_code == 401
    assert Call.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "gardening"}, "kind"),
        ({"deadline": None}, "deadline"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"product": None}, "product"),
        ({"product": "findes-ikke"}, "product"),
        ({"need": 999999}, "need"),
        ({"caller": "os2"}, "caller"),
        ({"caller": "group"}, "caller"),
        ({"description": ""}, "description"),
        ({"title": None, "description": " \n "}, "title"),
        ({"budget_min_dkk": "100.001"}, "budget_min_dkk"),
        ({"budget_max_dkk": -5}, "budget_max_dkk"),
        ({"budget_min_dkk": 5000, "budget_max_dkk": 1000}, "budget_max_dkk"),
        ({"title": "To\nlinjer" + "x" * 200}, "title"),
    ],
)
def test_calling_refuses_bad_input(aarhus, product, changes, field):
    response = aarhus.post(CALLS, call_data(**changes))
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert Call.objects.count() == 0


def test_a_call_deadline_must_be_a_date(aarhus, product):
    response = aarhus.post(CALLS, call_data(deadline="på fredag"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "deadline"


def test_the_call_list_filters(api, people, aarhus, product, coordinator, supplier):
    development = post_call(aarhus, title="Udvikling")
    post_call(api(coordinator), kind="hosting", title="Drift")
    review = post_call(aarhus, kind="code-review", title="Review")
    made = offer(supplier, review["id"])
    assert aarhus.post(f"{CALLS}/{review['id']}/award", {"offer": made["id"]}).status_code == 200
    need = post_need(aarhus)
    post_call(aarhus, product=None, need=need["id"], kind="consulting", title="Afklaring")

    def titles(**params):
        response = api().get(CALLS, params)
        assert response.status_code == 200, response.json()
        return [c["title"] for c in response.json()["items"]]

    assert titles() == ["Afklaring", "Review", "Drift", "Udvikling"]
    assert titles(kind="hosting") == ["Drift"]
    assert titles(status="awarded") == ["Review"]
    assert titles(status="open", kind="development") == ["Udvikling"]
    assert titles(status="cancelled") == []
    assert titles(product=SLUG) == ["Review", "Drift", "Udvikling"]
    assert titles(need=need["id"]) == ["Afklaring"]
    assert api().get(CALLS, {"product": "a\x00b"}).status_code == 400
    for params, field in (({"kind": "gardening"}, "kind"), ({"status": "closed"}, "status")):
        response = api().get(CALLS, params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field
    page = api().get(CALLS, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 4 and [c["title"] for c in page["items"]] == ["Drift", "Udvikling"]
    listed = {c["id"]: c for c in api().get(CALLS).json()["items"]}
    assert listed[review["id"]]["awarded_offer"]["supplier"]["slug"] == "kodekammeret"
    assert listed[development["id"]]["awarded_offer"] is None
    assert api().get(f"{CALLS}/999999").status_code == 404


def add_calls(people, product, count):
    """Calls by the coordination group and by an authority, half of them awarded."""
    group = Group.objects.get(product=product, kind=Group.Kind.COORDINATION)
    need = Need.objects.create(organisation=people.authority, title="Behov", problem="P", desired_outcome="U")
    for i in range(count):
        call = Call.objects.create(
            kind="development",
            title=f"Opgave {i}",
            description="Beskrivelse",
            product=product if i % 2 else None,
            need=None if i % 2 else need,
            group=group if i % 2 else None,
            organisation=None if i % 2 else people.authority,
            deadline=timezone.localdate() + timedelta(days=10),
            budget_max_dkk=10000,
        )
        winner = Offer.objects.create(call=call, supplier=people.supplier_org, price_dkk=9000, approach="Sådan")
        if i % 2 == 0:
            Call.objects.filter(pk=call.pk).update(status="awarded", awarded_offer=winner, awarded_at=timezone.now())


def test_the_call_list_uses_a_constant_number_of_queries(api, people, product, django_assert_max_num_queries):
    add_calls(people, product, 1)
    with django_assert_max_num_queries(2) as one:
        assert api().get(CALLS).json()["count"] == 1
    add_calls(people, product, 10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = api().get(CALLS).json()
    assert body["count"] == 11
    assert {c["caller"]["kind"] for c in body["items"]} == {"group", "authority"}
    assert sum(1 for c in body["items"] if c["awarded_offer"]) == 6


# --- Offers -------------------------------------------------------------------------------------------------------


def test_an_approved_partner_offers_and_a_second_offer_replaces_the_first(
    people, aarhus, product, supplier, django_capture_on_commit_callbacks
):
    call = post_call(aarhus)
    with django_capture_on_commit_callbacks(execute=True):
        first = offer(supplier, call["id"], price_dkk="48000.50", team="Lene og Lars")
    assert first["price_dkk"] == 48000.5 and first["fixed_price_dkk"] == 48000.5
    assert first["supplier"] == {"slug": "kodekammeret", "name": "Kodekammeret ApS"}
    assert first["team"] == "Lene og Lars"
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]
    # Hours at the published rate for software development (950 kr.).
    second = offer(supplier, call["id"], expect=200, price_dkk=None, hours=40)
    assert second["id"] == first["id"]
    assert second["price_dkk"] == 38000.0 and second["hours"] == 40.0 and second["hourly_rate_dkk"] == 950.0
    assert second["fixed_price_dkk"] is None
    third = offer(supplier, call["id"], expect=200, price_dkk=None, hours="10.5", hourly_rate_dkk=1000)
    assert third["price_dkk"] == 10500.0
    assert Offer.objects.filter(call_id=call["id"]).count() == 1


def test_offers_need_an_approved_partner_with_the_matching_competence(api, people, aarhus, product, supplier):
    hosting = post_call(aarhus, kind="hosting")
    response = api(people.supplier_admin, HTTP_ACCEPT_LANGUAGE="en").post(
        f"{CALLS}/{hosting['id']}/offers", {"price_dkk": 1000, "approach": "Vi hoster."}
    )
    assert response.status_code == 403
    assert "does not offer hosting" in response.json()["detail"]
    development = post_call(aarhus)
    for user in (people.new_supplier_admin, people.authority_admin, people.outsider, people.secretariat):
        offer(api(user), development["id"], expect=403)
    offer(api(people.new_supplier_admin), development["id"], expect=403, supplier="kodekammeret")
    assert api().post(f"{CALLS}/{development['id']}/offers", {"price_dkk": 1, "approach": "x"}).status_code == 401
    assert (
        api(people.supplier_admin).post(f"{CALLS}/999999/offers", {"price_dkk": 1, "approach": "x"}).status_code == 404
    )
    # Code review is answered by the code-review competence the supplier has.
    offer(supplier, post_call(aarhus, kind="code-review")["id"])
    assert Offer.objects.count() == 1


def test_no_offers_after_the_deadline(api, people, aarhus, product, supplier):
    call = post_call(aarhus)
    # The deadline day itself is still open.
    Call.objects.filter(pk=call["id"]).update(deadline=timezone.localdate())
    offer(supplier, call["id"])
    Call.objects.filter(pk=call["id"]).update(deadline=timezone.localdate() - timedelta(days=1))
    response = api(people.supplier_admin, HTTP_ACCEPT_LANGUAGE="en").post(
        f"{CALLS}/{call['id']}/offers", {"price_dkk": 1000, "approach": "For sent."}
    )
    assert response.status_code == 409
    assert "deadline" in response.json()["detail"]
    assert api().get(f"{CALLS}/{call['id']}").json()["open_for_offers"] is False
    assert Offer.objects.get().price_dkk == 50000


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"price_dkk": "1000.001"}, 400, "price_dkk"),
        ({"price_dkk": 1000.005}, 400, "price_dkk"),
        ({"price_dkk": -1000}, 400, "price_dkk"),
        ({"price_dkk": 0}, 400, "price_dkk"),
        ({"price_dkk": "tusind"}, 400, "price_dkk"),
        ({"price_dkk": "NaN"}, 400, "price_dkk"),
        ({"price_dkk": None}, 400, "price_dkk"),
        ({"price_dkk": None, "hours": "1.001"}, 400, "hours"),
        ({"price_dkk": None, "hours": -3}, 400, "hours"),
        ({"hourly_rate_dkk": "-950"}, 400, "hourly_rate_dkk"),
        ({"approach": ""}, 400, "approach"),
        ({"approach": "Nul\x00tegn"}, 400, "approach"),
        ({"price_dkk": True}, 422, "price_dkk"),
        ({"price_dkk": [1000]}, 422, "price_dkk"),
    ],
)
def test_offers_refuse_bad_amounts(aarhus, product, supplier, changes, status, field):
    call = post_call(aarhus)
    response = offer(supplier, call["id"], expect=status, **changes)
    assert response["errors"][0]["field"] == field
    assert Offer.objects.count() == 0


def test_offers_are_sealed_until_the_award(api, people, aarhus, product, supplier, rival):
    call = post_call(aarhus)
    offer(supplier, call["id"], price_dkk=50000)
    offer(rival, call["id"], price_dkk=45000)
    # The caller and the secretariat see every offer, cheapest first.
    assert offer_prices(aarhus, call["id"]) == [45000.0, 50000.0]
    assert offer_prices(api(people.secretariat), call["id"]) == [45000.0, 50000.0]
    # A supplier sees its own only; everyone else nothing.
    assert offer_prices(supplier, call["id"]) == [50000.0]
    assert offer_prices(rival, call["id"]) == [45000.0]
    for user in (None, people.authority2_admin, people.new_supplier_admin, people.outsider):
        assert offer_prices(api(user), call["id"]) == [], user
    assert api().get(f"{CALLS}/{call['id']}").json()["awarded_offer"] is None
    assert api().get(f"{CALLS}/999999/offers").status_code == 404


def test_the_caller_awards_once_and_the_awarded_offer_becomes_public(
    api, people, aarhus, product, supplier, rival, django_capture_on_commit_callbacks
):
    call = post_call(aarhus)
    winner = offer(supplier, call["id"], price_dkk=50000, team="Lene")
    loser = offer(rival, call["id"], price_dkk=45000)
    path = f"{CALLS}/{call['id']}/award"
    for user in (people.authority2_admin, people.supplier_admin, people.outsider, people.secretariat):
        assert api(user).post(path, {"offer": winner["id"]}).status_code == 403, user
    assert api().post(path, {"offer": winner["id"]}).status_code == 401
    unknown = aarhus.post(path, {"offer": 999999})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "offer"

    with django_capture_on_commit_callbacks(execute=True):
        response = aarhus.post(path, {"offer": winner["id"]})
    assert response.status_code == 200, response.json()
    awarded = response.json()
    assert awarded["status"] == "awarded" and awarded["awarded_at"] is not None
    assert awarded["awarded_offer"] == {
        "id": winner["id"],
        "supplier": {"slug": "kodekammeret", "name": "Kodekammeret ApS"},
        "price_dkk": 50000.0,
        "approach": "Vi bygger den i to sprints.",
        "team": "Lene",
    }
    assert {tuple(m.to) for m in mail.outbox} == {
        ("leverandoer@example.dk", "udvikler@example.dk"),
        ("rival@example.dk",),
    }

    again = api(people.authority_admin, HTTP_ACCEPT_LANGUAGE="en").post(path, {"offer": loser["id"]})
    assert again.status_code == 409
    assert "awarded once" in again.json()["detail"]
    assert Call.objects.get(pk=call["id"]).awarded_offer_id == winner["id"]
    # After the award everyone sees the awarded offer; the other offers stay sealed but to their own supplier.
    assert api().get(f"{CALLS}/{call['id']}").json()["awarded_offer"]["id"] == winner["id"]
    assert offer_prices(api(), call["id"]) == [50000.0]
    assert offer_prices(api(people.authority2_admin), call["id"]) == [50000.0]
    assert offer_prices(rival, call["id"]) == [45000.0, 50000.0]
    assert offer_prices(aarhus, call["id"]) == [45000.0, 50000.0]
    # An awarded call takes no more offers.
    offer(rival, call["id"], expect=409, price_dkk=40000)


def test_a_group_call_is_awarded_by_the_group(api, people, product, coordinator, supplier):
    call = post_call(api(coordinator), caller="group")
    made = offer(supplier, call["id"])
    assert offer_prices(api(coordinator), call["id"]) == [50000.0]
    # The product's coordinator role alone does not make an authority's admin the caller.
    assert api(people.authority_admin).post(f"{CALLS}/{call['id']}/award", {"offer": made["id"]}).status_code == 403
    assert api(coordinator).post(f"{CALLS}/{call['id']}/award", {"offer": made["id"]}).status_code == 200


def test_an_offer_from_another_call_is_not_awarded(aarhus, product, supplier):
    first, second = post_call(aarhus), post_call(aarhus)
    elsewhere = offer(supplier, second["id"])
    response = aarhus.post(f"{CALLS}/{first['id']}/award", {"offer": elsewhere["id"]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "offer"


def test_the_offer_list_is_paginated(api, people, aarhus, product, supplier, rival):
    call = post_call(aarhus)
    offer(supplier, call["id"], price_dkk=50000)
    offer(rival, call["id"], price_dkk=45000)
    page = aarhus.get(f"{CALLS}/{call['id']}/offers", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [o["price_dkk"] for o in page["items"]] == [50000.0]


# --- The contract -------------------------------------------------------------------------------------------------


def test_everything_is_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert set(paths[NEEDS]) >= {"get", "post"}
    assert "get" in paths[f"{NEEDS}/{{id}}"]
    assert "post" in paths[f"{NEEDS}/{{id}}/cosign"]
    assert set(paths[PITCHES]) >= {"get", "post"}
    assert set(paths[CALLS]) >= {"get", "post"}
    assert "get" in paths[f"{CALLS}/{{id}}"]
    assert set(paths[f"{CALLS}/{{id}}/offers"]) >= {"get", "post"}
    assert "post" in paths[f"{CALLS}/{{id}}/award"]
    schemas = document["components"]["schemas"]
    for name in ("NeedOut", "NeedIn", "CoSignIn", "PitchOut", "PitchIn", "CallOut", "CallIn", "OfferOut", "OfferIn"):
        assert name in schemas
    assert {"id", "status", "cosigners", "cosigner_count"} <= set(schemas["NeedOut"]["properties"])
    assert {"price_dkk", "approach"} <= set(schemas["OfferIn"]["properties"])
    assert "awarded_offer" in schemas["CallOut"]["properties"]
