"""Dead ends (issue 15, item 8): a call for suppliers can be started from the list of calls by those who may make
one; a need links to its draft development request only for those who may open it; a level page offers the
self-assessment only when there is one to see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from os2hub.governance import services as governance
from os2hub.needs import services
from os2hub.needs.models import Call

from .test_needs import World

pytestmark = pytest.mark.django_db

BUTTON = 'href="/calls/new/"'


@pytest.fixture
def world(people):
    return World(people)


# --- Starting a call from /calls/ ---------------------------------------------------------------------------------


def test_the_list_of_calls_offers_a_new_call_to_those_who_may_make_one(world, client, login, people):
    assert BUTTON not in client.get("/calls/").content.decode()
    for person in (people.authority_admin, people.secretariat, world.coordinator):
        assert BUTTON in login(person).get("/calls/").content.decode(), person
    for person in (people.supplier_admin, people.outsider, people.new_supplier_admin):
        page = login(person).get("/calls/").content.decode()
        assert BUTTON not in page, person
        assert login(person).get("/calls/new/").status_code == 403, person
    response = client.logout() or client.get("/calls/new/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_an_authority_chooses_a_product_or_its_open_need_and_makes_the_call(world, login, people):
    need = world.need()
    other = services.need_create(
        user=people.authority2_admin,
        organisation=people.authority2,
        data={**{k: getattr(need, k) for k in ("problem", "desired_outcome")}, "title": "Odenses behov"},
    )
    c = login(people.authority_admin)
    page = c.get("/calls/new/").content.decode()
    assert 'value="os2mo"' in page and f'value="{need.pk}"' in page
    assert f'value="{other.pk}"' not in page  # another authority's need is called on by that authority
    # Nothing chosen: said where the eye is, and nothing else happens.
    c.cookies["django_language"] = "en"
    refused = c.get("/calls/new/", {"product": "", "need": ""}).content.decode()
    assert 'id="error-summary"' in refused and "Choose the product or the need" in refused
    # A product chosen: the call's own form, then the call.
    form = c.get("/calls/new/", {"product": "os2mo", "need": ""})
    assert form.status_code == 200 and 'name="title"' in form.content.decode()
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    c.post(
        "/calls/new/?product=os2mo",
        {"product": "os2mo", "kind": "hosting", "title": "Hosting", "description": "Drift af OS2mo.",
         "deadline": deadline},
    )  # fmt: skip
    call = Call.objects.get()
    assert call.product == world.product and call.organisation == people.authority


def test_a_coordination_group_calls_for_its_own_product_only(world, login, people):
    from os2hub.products.models import Product

    Product.objects.create(name="OS2andet", slug="os2andet", summary="x", status="product")
    world.need()
    page = login(world.coordinator).get("/calls/new/").content.decode()
    assert 'value="os2mo"' in page and 'value="os2andet"' not in page
    assert 'name="need"' not in page  # needs are called on by their authority and the secretariat


# --- A need's draft development request ---------------------------------------------------------------------------


def test_a_need_links_to_its_draft_request_only_for_those_who_may_open_it(world, client, login, people):
    need = world.need()
    services.need_to_request(need=need, user=people.authority_admin, product=world.product)
    need.refresh_from_db()
    draft = need.development_request
    assert draft.status == "draft"
    link = f'href="/development-requests/{draft.pk}/"'
    for person in (people.authority_admin, people.secretariat):
        page = login(person).get(f"/needs/{need.pk}/").content.decode()
        assert link in page, person
        assert login(person).get(f"/development-requests/{draft.pk}/").status_code == 200
    for person in (people.authority2_admin, people.supplier_admin):
        page = login(person).get(f"/needs/{need.pk}/").content.decode()
        assert link not in page and draft.title in page, person
    client.logout()
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert link not in page and draft.title in page


# --- The self-assessment on a level page --------------------------------------------------------------------------


def test_a_level_page_offers_the_self_assessment_only_when_there_is_one_to_see(world, client, login, people):
    product = world.product
    product.coordinator = people.authority_admin
    product.save(update_fields=["coordinator"])
    link = f'href="/products/{product.slug}/self-assessment/"'
    level = f"/products/{product.slug}/level/"
    assert link not in client.get(level).content.decode()
    assert client.get(f"/products/{product.slug}/self-assessment/").status_code == 404
    assert link in login(people.authority_admin).get(level).content.decode()  # the coordinator answers it
    draft = governance.self_assessment_draft(product=product, user=people.authority_admin)
    governance.self_assessment_submit(assessment=draft, user=people.authority_admin)
    client.logout()
    assert link in client.get(level).content.decode()
    assert client.get(f"/products/{product.slug}/self-assessment/").status_code == 200
