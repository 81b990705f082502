"""The product catalogue and product communities, through the pages and the API."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from os2hub.accounts.services import api_token_issue
from os2hub.products import services as product_services
from os2hub.products.models import Adoption, Category, Group, GroupMember, JoiningAgreement, Product, SupplierRole

from .personas import VALID_CVRS, OrganisationFactory, make_application


def make_products(n, prefix="Produkt"):
    return [
        Product.objects.create(name=f"{prefix} {i}", slug=f"{prefix.lower()}-{i}", summary="Et produkt.")
        for i in range(n)
    ]


# --- Catalogue ---------------------------------------------------------------------------------------------


def test_the_catalogue_lists_and_filters_products(client, people, product):
    other = Product.objects.create(
        name="OS2iot", slug="os2iot", summary="Sensorer", status="sandbox", official_level="1"
    )
    category = Category.objects.create(slug="iot", name_da="IoT og data", name_en="IoT and data")
    other.categories.add(category)
    Adoption.objects.create(product=product, organisation=people.authority)
    SupplierRole.objects.create(product=other, supplier=people.supplier_org, role="development")

    def names(**params):
        return [p.name for p in client.get(reverse("products:catalogue"), params).context["page"]]

    assert names() == ["OS2iot", "OS2mo"]
    assert names(status="sandbox") == ["OS2iot"]
    assert names(level="1") == ["OS2iot"]
    assert names(level="none") == ["OS2mo"]
    assert names(category="iot") == ["OS2iot"]
    assert names(supplier="kodekammeret") == ["OS2iot"]
    assert names(authority="aarhus") == ["OS2mo"]
    assert names(sort="-adopters") == ["OS2mo", "OS2iot"]


def test_the_catalogue_reads_no_supplier_roles_it_does_not_show(client, people, product):
    # A card shows the level, the status, the adopters and the categories; the suppliers are on the product page.
    SupplierRole.objects.create(product=product, supplier=people.supplier_org, role="development")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("products:catalogue")).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "products_supplierrole" in q["sql"]]


def test_the_catalogue_filters_offer_every_partner_in_the_visitors_language(client, people, product):
    def supplier_select(language, **params):
        client.cookies["django_language"] = language
        html = client.get(reverse("products:catalogue"), params).content.decode()
        at = html.index('name="supplier"')
        return html[html.rindex("<select", 0, at) : html.index("</select>", at)]

    # The same list twice in each language, with and without a selection: the options are kept between
    # requests, never across languages or selections.
    for _ in range(2):
        danish = supplier_select("da")
        assert '<option value="">Alle leverandører</option>' in danish
        assert '<option value="kodekammeret">' in danish and " selected" not in danish
        english = supplier_select("en")
        assert '<option value="">All suppliers</option>' in english
        chosen = supplier_select("en", supplier="kodekammeret")
        assert '<option value="kodekammeret" selected>' in chosen
    partner = OrganisationFactory(name="Ny Partner ApS", slug="ny-partner", kind="supplier", cvr=VALID_CVRS[7])
    make_application(partner, people.supplier_admin, status="approved")
    assert '<option value="ny-partner">Ny Partner ApS</option>' in supplier_select("da")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("organisationen", ["OS2mo"]), ("os2m", ["OS2mo"]), ("sensorer", ["OS2iot"]), ("findes ikke", [])],
)
def test_search_finds_what_a_user_types(client, people, query, expected):
    # Made the way the site makes products (the services keep the search document; the model does not).
    for name, summary, purpose in (
        ("OS2mo", "Medarbejdere og organisation", "Overblik over organisationen."),
        ("OS2iot", "Data fra sensorer i byen", ""),
    ):
        product_services.product_create(
            user=people.secretariat, data={"name": name, "summary": summary, "purpose": purpose}
        )
    response = client.get(reverse("products:catalogue"), {"q": query})
    assert [p.name for p in response.context["page"]] == expected


def test_the_catalogue_uses_a_constant_number_of_queries(client, people, django_assert_max_num_queries):
    make_products(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("products:catalogue"))
    for p in make_products(15, prefix="Flere"):
        Adoption.objects.create(product=p, organisation=people.authority)
        SupplierRole.objects.create(product=p, supplier=people.supplier_org, role="development")
        p.categories.add(Category.objects.get_or_create(slug="c", name_da="C", name_en="C")[0])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("products:catalogue"))


def test_the_product_page_uses_a_constant_number_of_queries(client, people, product, django_assert_max_num_queries):
    # One of each related row first, so that every prefetch runs in the baseline too.
    group = Group.objects.create(product=product, kind="steering_group", name="Styregruppen")
    Adoption.objects.create(product=product, organisation=people.authority)
    with CaptureQueriesContext(connection) as few:
        client.get(product.get_absolute_url())
    for i, cvr in enumerate(VALID_CVRS[1:6]):
        org = OrganisationFactory(kind="authority")
        Adoption.objects.create(product=product, organisation=org)
        supplier = OrganisationFactory(kind="supplier")
        make_application(supplier, people.supplier_admin, cvr=cvr)
        SupplierRole.objects.create(product=product, supplier=supplier, role="support")
        product.repositories.create(url=f"https://github.com/OS2mo/repo{i}")
        GroupMember.objects.create(
            group=group,
            user=people.outsider
            if i == 0
            else people.secretariat
            if i == 1
            else people.supplier_member
            if i == 2
            else people.new_supplier_admin
            if i == 3
            else people.authority2_admin,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(product.get_absolute_url()).status_code == 200


# --- Editing and permissions ---------------------------------------------------------------------------------


def test_the_coordinator_edits_the_product_page_and_markdown_is_sanitised(login, people, product, client):
    coordinator = login(people.authority_admin)
    data = {
        "name": "OS2mo",
        "summary": "Ny",
        "status": "product",
        "licence": "MPL-2.0",
        "purpose": "**Fed** <script>alert(1)</script>",
        "value": "",
        "target_group": "",
        "getting_started": "",
        "help_support": "",
        "cost": "",
    }
    assert coordinator.post(reverse("products:edit", args=["os2mo"]), data).status_code == 302
    body = client.get(product.get_absolute_url()).content.decode()
    assert "<strong>Fed</strong>" in body and "<script>alert" not in body


@pytest.mark.parametrize("persona", ["outsider", "supplier_admin", "authority2_admin"])
def test_others_cannot_edit_a_product(login, people, product, persona):
    client = login(getattr(people, persona))
    for name in ("edit", "repositories", "supplier_roles", "groups"):
        assert client.get(reverse(f"products:{name}", args=["os2mo"])).status_code == 404


def test_a_group_member_cannot_edit_the_product_itself(login, people, product):
    group = Group.objects.create(product=product, kind="coordination_group", name="Koordinationsgruppen")
    GroupMember.objects.create(group=group, user=people.outsider)
    assert login(people.outsider).get(reverse("products:edit", args=["os2mo"])).status_code == 404


def test_only_the_secretariat_adds_products(login, people):
    assert login(people.authority_admin).get(reverse("products:create")).status_code == 403
    client = login(people.secretariat)
    response = client.post(
        reverse("products:create"),
        {
            "name": "OS2Æble",
            "summary": "Frugt",
            "status": "idea",
            "licence": "MPL-2.0",
            "coordinator_email": "kommune@example.dk",
        },
    )
    assert response.status_code == 302
    created = Product.objects.get(name="OS2Æble")
    assert created.slug == "os2aeble" and created.coordinator == people.authority_admin


def test_an_invalid_spdx_id_is_refused(login, people, product):
    response = login(people.authority_admin).post(
        reverse("products:edit", args=["os2mo"]),
        {"name": "OS2mo", "summary": "x", "status": "product", "licence": "MPL 2.0 or so"},
    )
    assert response.status_code == 200 and "licence" in response.context["form"].errors


@pytest.mark.parametrize(
    "url",
    [
        "http://github.com/OS2mo/x",
        "https://localhost/x",
        "https://10.1.2.3/x",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "ftp://github.com/x",
        "https://gitlab.intranet.corp/x",
    ],
)
def test_it_refuses_repository_addresses_that_are_not_public_https(login, people, product, url):
    response = login(people.authority_admin).post(reverse("products:repositories", args=["os2mo"]), {"url": url})
    assert response.status_code == 200 and response.context["form"].errors
    assert product.repositories.count() == 1


def test_a_product_may_have_several_repositories_but_not_the_same_twice(login, people, product):
    client = login(people.authority_admin)
    url = reverse("products:repositories", args=["os2mo"])
    assert client.post(url, {"url": "https://github.com/OS2mo/os2mo-ui"}).status_code == 302
    assert client.post(url, {"url": "https://github.com/OS2mo/os2mo"}).status_code == 200
    assert product.repositories.count() == 2


# --- Supplier roles and concentration -------------------------------------------------------------------------


def test_only_approved_partners_get_a_role(login, people, product):
    client = login(people.authority_admin)
    url = reverse("products:supplier_roles", args=["os2mo"])
    response = client.post(
        url, {"supplier": people.new_supplier_org.pk, "role": "development", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 200 and not SupplierRole.objects.exists()
    response = client.post(url, {"supplier": people.supplier_org.pk, "role": "development", "starts_on": "2026-01-01"})
    assert response.status_code == 302 and SupplierRole.objects.count() == 1


def test_a_role_period_must_end_after_it_starts(login, people, product):
    response = login(people.authority_admin).post(
        reverse("products:supplier_roles", args=["os2mo"]),
        {"supplier": people.supplier_org.pk, "role": "support", "starts_on": "2026-05-01", "ends_on": "2026-01-01"},
    )
    assert response.status_code == 200 and not SupplierRole.objects.exists()


def test_the_product_page_warns_about_supplier_concentration(client, people, product):
    for role in ("development", "operations"):
        SupplierRole.objects.create(product=product, supplier=people.supplier_org, role=role)
    body = client.get(product.get_absolute_url()).content.decode()
    assert "vendor lock-in" in client.get(product.get_absolute_url(), HTTP_COOKIE="django_language=en").content.decode()
    assert body.count('class="alert alert-warning"') >= 2


# --- Adoption and joining agreements ---------------------------------------------------------------------------


def test_an_authority_admin_adopts_a_product_once(login, people, product):
    client = login(people.authority_admin)
    url = reverse("products:adoption", args=["os2mo"])
    client.post(url)
    client.post(url)
    assert Adoption.objects.filter(product=product, organisation=people.authority).count() == 1
    client.post(url, {"action": "remove"})
    assert not Adoption.objects.exists()


def test_a_supplier_cannot_adopt(login, people, product):
    assert login(people.supplier_admin).post(reverse("products:adoption", args=["os2mo"])).status_code == 403


def test_agreement_amounts_are_shown_only_to_the_authority_steering_group_and_secretariat(login, people, product):
    JoiningAgreement.objects.create(
        product=product,
        organisation=people.authority,
        yearly_fee_dkk=Decimal("12345.5"),
        starts_on=datetime.date(2026, 1, 1),
    )
    url = reverse("products:agreements", args=["os2mo"])
    for user in (people.authority_admin, people.secretariat):
        assert "12.345,50" in login(user).get(url).content.decode()
    assert login(people.outsider).get(url).status_code == 404
    assert "12.345,50" not in login(people.authority2_admin).get(url).content.decode()
    steering = Group.objects.create(product=product, kind="steering_group", name="Styregruppen")
    GroupMember.objects.create(group=steering, user=people.outsider)
    assert "12.345,50" in login(people.outsider).get(url).content.decode()
    # The public sees who joined, never the amounts.
    page = login(people.supplier_admin).get(product.get_absolute_url()).content.decode()
    assert "Aarhus Kommune" in page and "12.345" not in page


def test_an_authority_admin_records_its_own_agreement_only(login, people, product):
    client = login(people.authority_admin)
    url = reverse("products:agreements", args=["os2mo"])
    data = {
        "organisation": people.authority2.pk,
        "yearly_fee_dkk": "10.000",
        "one_off_fee_dkk": "0",
        "governance_percentage": "10",
        "starts_on": "2026-01-01",
    }
    assert client.post(url, data).status_code == 200  # not their authority: not a choice
    response = client.post(url, {**data, "organisation": people.authority.pk})
    assert response.status_code == 302
    agreement = JoiningAgreement.objects.get()
    assert agreement.yearly_fee_dkk == Decimal("10000")
    assert Adoption.objects.filter(product=product, organisation=people.authority).exists()


# --- Groups and the checklist --------------------------------------------------------------------------------


def test_the_coordinator_publishes_a_steering_group_and_the_checklist_follows(login, people, product, client):
    coordinator = login(people.authority_admin)
    coordinator.post(
        reverse("products:groups", args=["os2mo"]),
        {"kind": "steering_group", "name": "Styregruppen", "kommissorium": "Prioriterer."},
    )
    group = Group.objects.get()
    coordinator.post(
        reverse("products:group_edit", args=["os2mo", group.pk]), {"email": "kommune2@example.dk", "role": "chair"}
    )
    assert group.members.get().user == people.authority2_admin
    second = coordinator.post(reverse("products:groups", args=["os2mo"]), {"kind": "steering_group", "name": "To"})
    assert second.status_code == 200 and Group.objects.count() == 1
    items = client.get(product.get_absolute_url()).context["checklist"]
    assert items[4].done  # "The steering group is published"


def test_the_checklist_reflects_the_products_data(client, people, product):
    items = client.get(product.get_absolute_url()).context["checklist"]
    done = [i.done for i in items]
    # repository yes, purpose+value no (value empty), start+cost no, contact yes, steering no, suppliers no, users no
    assert done == [True, False, False, True, False, False, False]


# --- API -----------------------------------------------------------------------------------------------------


def test_the_products_api_follows_the_contract(client, people, product):
    Adoption.objects.create(product=product, organisation=people.authority)
    SupplierRole.objects.create(product=product, supplier=people.supplier_org, role="code-review")
    SupplierRole.objects.create(
        product=product,
        supplier=people.supplier_org,
        role="support",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    body = client.get("/api/v1/products").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "slug": "os2mo",
        "name": "OS2mo",
        "summary": "Medarbejdere og organisation",
        "status": "product",
        "official_level": None,
        "repositories": [{"url": "https://github.com/OS2mo/os2mo"}],
        "suppliers": [{"slug": "kodekammeret", "role": "code-review"}],
        "adopters": ["aarhus"],
    }
    assert client.get("/api/v1/products/os2mo").json()["slug"] == "os2mo"
    assert client.get("/api/v1/products/nope").status_code == 404


def test_the_products_api_filters_and_refuses_unknown_values(client, people, product):
    iot = product_services.product_create(
        user=people.secretariat, data={"name": "OS2iot", "summary": "Sensorer", "status": "sandbox"}
    )
    Product.objects.filter(pk=iot.pk).update(official_level="2")  # as a decision sets it
    assert [p["slug"] for p in client.get("/api/v1/products?level=2").json()["items"]] == ["os2iot"]
    assert [p["slug"] for p in client.get("/api/v1/products?status=product").json()["items"]] == ["os2mo"]
    assert [p["slug"] for p in client.get("/api/v1/products?q=sensorer").json()["items"]] == ["os2iot"]
    response = client.get("/api/v1/products?level=7")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "level"


def test_the_products_api_uses_a_constant_number_of_queries(client, people, django_assert_max_num_queries):
    make_products(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/products")
    for p in make_products(20, prefix="Flere"):
        Adoption.objects.create(product=p, organisation=people.authority)
        p.repositories.create(url=f"https://github.com/x/{p.slug}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/products")


def test_me_lists_product_roles(client, people, product):
    group = Group.objects.create(product=product, kind="steering_group", name="Styregruppen")
    GroupMember.objects.create(group=group, user=people.authority_admin)
    _token, raw = api_token_issue(user=people.authority_admin, name="t")
    body = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["products"] == [{"slug": "os2mo", "role": "coordinator"}, {"slug": "os2mo", "role": "steering_group"}]


def test_the_product_page_lists_the_steering_group_first(client, product):
    Group.objects.create(product=product, kind="faggruppe", name="A-faggruppen")
    Group.objects.create(product=product, kind="coordination_group", name="Koordinationsgruppen")
    Group.objects.create(product=product, kind="steering_group", name="Styregruppen")
    groups = client.get(product.get_absolute_url()).context["groups"]
    assert [g.kind for g in groups] == ["steering_group", "coordination_group", "faggruppe"]
