"""publiccode.yml both ways (issue 17): a product's file is exported valid by the standard's validator, and a
coordinator imports a file from a repository or pasted text, sees its errors by key and line, compares it field
by field with the product and takes exactly the fields they tick."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from os2hub.products.models import Adoption, Product, PublicCodeImport, SupplierRole
from os2hub.scanner import publiccode as standard

from .personas import OrganisationFactory, UserFactory, make_application, member

DATA = Path(__file__).parent / "data" / "publiccode"
# "Billion laughs": nine levels of nine aliases each.
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def fetched(scan_sources, monkeypatch):
    """Repositories served as if from github.com, for the import's fetch as for scans."""
    monkeypatch.setattr("os2hub.products.publiccode._resolve", scan_sources.resolve)
    monkeypatch.setattr("os2hub.products.publiccode.clone", scan_sources.clone)
    return scan_sources


def exported(client, slug="os2mo") -> dict:
    response = client.get(reverse("products:publiccode", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    document = standard.validate(response.content)
    assert document.valid, [(p.key, str(p.text)) for p in document.errors]
    return document.data


def start(client, slug="os2mo", **data):
    return client.post(reverse("products:publiccode_import", args=[slug]), data)


def diff_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def fingerprint(page) -> str:
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', page.content.decode()).group(1)


# --- Export -----------------------------------------------------------------------------------------------------


def test_it_exports_a_minimal_product_valid_by_the_standard(client, db):
    Product.objects.create(name="OS2lille", slug="os2lille", summary="Lille.", status="idea", licence="Egen-1.0")
    data = exported(client, "os2lille")
    assert data["legal"]["license"] == "LicenseRef-Egen-1.0"  # not on the SPDX list: the standard's custom id
    assert data["name"] == "OS2lille"
    assert data["url"].endswith("/products/os2lille/")  # no repository nor website: the product page
    assert data["developmentStatus"] == "concept"
    assert data["maintenance"] == {"type": "none"}
    assert len(data["description"]["da"]["longDescription"]) >= 150


def test_it_exports_what_the_product_page_says(client, people, product):
    supplier = people.supplier_org
    SupplierRole.objects.create(product=product, supplier=supplier, role="development", starts_on=date(2025, 1, 1))
    Adoption.objects.create(product=product, organisation=people.authority)
    Product.objects.filter(pk=product.pk).update(
        summary_en="Staff and organisation",
        purpose_en="An overview of the organisation. " * 10,
        features=["Organisationsdiagram"],
        platforms=["web", "linux"],
        official_level="2",
    )
    data = exported(client)
    assert data["url"] == "https://github.com/OS2mo/os2mo"
    assert data["description"]["en"]["shortDescription"] == "Staff and organisation"
    assert data["description"]["da"]["features"] == ["Organisationsdiagram"]
    assert data["platforms"] == ["web", "linux"]
    assert data["usedBy"] == ["Aarhus Kommune"]
    assert data["legal"]["license"] == "MPL-2.0"
    assert data["maintenance"]["type"] == "contract"
    assert [c["name"] for c in data["maintenance"]["contractors"]] == ["Kodekammeret ApS"]
    # The coordinator's name and address are public on the product page; nothing else about them is given.
    assert data["maintenance"]["contacts"] == [{"name": "Kommune Karlsen", "email": "kommune@example.dk"}]
    assert data["DK"] == {"os2Level": "2"}


def test_it_trims_and_pads_the_descriptions_to_the_standards_limits(client, people, product):
    Product.objects.filter(pk=product.pk).update(summary="Ord " * 70, purpose="Lang tekst. " * 1200)
    data = exported(client)
    assert len(data["description"]["da"]["shortDescription"]) <= 150
    assert len(data["description"]["da"]["longDescription"]) <= 10000


def test_the_api_gives_the_same_publiccode_yml(client, people, product):
    page = client.get(reverse("products:publiccode", args=["os2mo"]))
    api = client.get("/api/v1/products/os2mo/publiccode")
    assert api.status_code == 200 and api["Content-Type"].startswith("application/yaml")
    assert yaml.safe_load(api.content) == yaml.safe_load(page.content)
    assert client.get("/api/v1/products/nope/publiccode").status_code == 404
    assert "/api/v1/products/{slug}/publiccode" in client.get("/api/openapi.json").json()["paths"]


def test_the_api_shows_the_new_fields_of_a_product(client, people, product):
    Product.objects.filter(pk=product.pk).update(features=["Organisationsdiagram"], summary_en="Staff")
    body = client.get("/api/v1/products/os2mo").json()
    assert body["features"] == ["Organisationsdiagram"] and body["summary_en"] == "Staff"


def test_every_demo_product_exports_valid(client, db, settings, tmp_path):
    settings.MEDIA_ROOT, settings.DEBUG = tmp_path / "media", True
    call_command("load_demo", stdout=io.StringIO())
    slugs = list(Product.objects.values_list("slug", flat=True))
    assert slugs
    for slug in slugs:
        exported(client, slug)


# --- Import: who may --------------------------------------------------------------------------------------------


def test_the_coordinator_and_the_secretariat_may_import_others_may_not(client, login, people, product):
    other = Product.objects.create(name="OS2andet", slug="os2andet", summary="Andet.", coordinator=people.outsider)
    url = reverse("products:publiccode_import", args=["os2mo"])
    assert client.get(url).status_code == 302  # to the login
    for persona in (people.outsider, people.supplier_admin, people.authority2_admin):
        assert login(persona).get(url).status_code == 404
    assert other.coordinator == people.outsider  # another product's coordinator is an outsider here
    assert login(people.authority_admin).get(url).status_code == 200
    assert login(people.secretariat).get(url).status_code == 200


def test_nobody_else_sees_or_accepts_an_import_someone_started(login, people, product):
    coordinator = login(people.authority_admin)
    url = diff_url(start(coordinator, text=(DATA / "example-0.4.yml").read_text()))
    coordinator.logout()
    secretariat = login(people.secretariat)
    assert secretariat.get(url).status_code == 404
    assert secretariat.post(url, {"field": ["name"]}).status_code == 404
    assert Product.objects.get(pk=product.pk).name == "OS2mo"


def test_the_product_page_links_to_the_export_and_to_the_import_for_the_coordinator(client, login, people, product):
    page = client.get(product.get_absolute_url()).content.decode()
    assert reverse("products:publiccode", args=["os2mo"]) in page
    assert reverse("products:publiccode_import", args=["os2mo"]) not in page
    page = login(people.authority_admin).get(product.get_absolute_url()).content.decode()
    assert reverse("products:publiccode_import", args=["os2mo"]) in page


# --- Import: the round trip -------------------------------------------------------------------------------------


def test_the_standards_example_imports_and_exports_without_loss(login, people, product):
    """Done when: the standard's own example, every field accepted, exports again with what OS2hub holds."""
    partner = OrganisationFactory(name="Fornitore Privato SPA", slug="fornitore", kind="supplier", cvr="29403473")
    make_application(partner, member(UserFactory(email="dario@fornitore.example"), partner))
    firenze = OrganisationFactory(name="Comune di Firenze", slug="firenze")
    source = standard.validate((DATA / "example-0.4.yml").read_text()).data

    coordinator = login(people.authority_admin)
    url = diff_url(start(coordinator, text=(DATA / "example-0.4.yml").read_text()))
    page = coordinator.get(url)
    fields = re.findall(r'name="field" value="([a-z_]+)"', page.content.decode())
    assert {"name", "summary_en", "purpose_en", "features_en", "screenshots", "logo_url", "licence"} <= set(fields)
    assert "Fornitore Privato SPA" in page.content.decode()
    response = coordinator.post(url, {"field": fields, "contractor": ["0"], "fingerprint": fingerprint(page)})
    assert response.status_code == 302
    assert not PublicCodeImport.objects.exists()
    # That an authority uses the product is its own statement: shown in the comparison, recorded by the authority.
    Adoption.objects.create(product=product, organisation=firenze)

    data = exported(coordinator)
    assert data["name"] == source["name"]
    for key in ("shortDescription", "longDescription", "features"):
        assert data["description"]["en"][key] == (
            source["description"]["en"][key].strip()
            if isinstance(source["description"]["en"][key], str)
            else source["description"]["en"][key]
        )
    # Pictures given as paths in the repository come back as their addresses on the repository's host.
    base = "https://example.com/italia/medusa/raw/HEAD/"
    assert data["description"]["en"]["screenshots"] == [base + s for s in source["description"]["en"]["screenshots"]]
    assert data["logo"] == base + source["logo"]
    assert data["legal"]["license"] == source["legal"]["license"]
    assert data["platforms"] == source["platforms"]
    assert data["dependsOn"] == source["dependsOn"]
    assert data["developmentStatus"] == source["developmentStatus"]
    assert data["softwareType"] == source["softwareType"]
    assert data["maintenance"]["type"] == source["maintenance"]["type"]
    assert [c["name"] for c in data["maintenance"]["contractors"]] == ["Fornitore Privato SPA"]
    assert "Comune di Firenze" in data["usedBy"]


def test_it_imports_from_one_of_the_products_repositories(login, people, product, fetched):
    fetched.add("https://github.com/OS2mo/os2mo", {"publiccode.yml": (DATA / "os2-0.5.yml").read_text()})
    coordinator = login(people.authority_admin)
    url = diff_url(start(coordinator, repository="https://github.com/OS2mo/os2mo"))
    page = coordinator.get(url)
    assert "Opret og fordel sager" in page.content.decode()
    coordinator.post(url, {"field": ["features", "platforms"], "fingerprint": fingerprint(page)})
    product.refresh_from_db()
    assert product.features == ["Opret og fordel sager", "Frister og påmindelser"]
    assert product.platforms == ["web"]
    assert product.summary == "Medarbejdere og organisation"  # not ticked, not written


def test_it_says_so_when_a_repository_has_no_publiccode_yml_or_cannot_be_fetched(login, people, product, fetched):
    fetched.add("https://github.com/OS2mo/os2mo", {"README.md": "# OS2mo\n"})
    coordinator = login(people.authority_admin)
    english(coordinator)
    response = start(coordinator, repository="https://github.com/OS2mo/os2mo")
    assert response.status_code == 200 and "has no publiccode.yml" in response.content.decode()
    response = start(coordinator, url="https://github.com/OS2mo/unknown")
    assert response.status_code == 200 and "could not be fetched" in response.content.decode()
    for address in ("http://github.com/a/b", "https://127.0.0.1/a/b", "file:///etc/passwd", "javascript:alert(1)"):
        response = start(coordinator, url=address)
        assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not PublicCodeImport.objects.exists()


def test_it_refuses_a_link_in_place_of_the_file(login, people, product, fetched, tmp_path):
    root = fetched.add("https://github.com/OS2mo/os2mo", {"README.md": "# OS2mo\n"})
    (root / "publiccode.yml").symlink_to("/etc/passwd")
    from .scan_sources import run_git

    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "Link")
    coordinator = english(login(people.authority_admin))
    response = start(coordinator, repository="https://github.com/OS2mo/os2mo")
    assert response.status_code == 200 and "is a link" in response.content.decode()


# --- Import: errors, stale comparisons and hostile input ----------------------------------------------------------


def test_errors_are_shown_with_their_key_and_line_and_keep_their_fields_out(login, people, product):
    text = (DATA / "os2-0.5.yml").read_text().replace("developmentStatus: stable", "developmentStatus: finished")
    coordinator = english(login(people.authority_admin))
    page = coordinator.get(diff_url(start(coordinator, text=text)))
    body = page.content.decode()
    line = text.splitlines().index("developmentStatus: finished") + 1
    assert f"<code>developmentStatus</code> (line {line})" in body
    assert 'value="development_status"' not in body  # not offered
    assert 'value="features"' in body  # the rest can still be taken


def test_the_errors_are_in_danish_on_a_danish_page(login, people, product):
    text = (DATA / "os2-0.5.yml").read_text().replace("developmentStatus: stable", "developmentStatus: finished")
    coordinator = login(people.authority_admin)
    page = coordinator.get(diff_url(start(coordinator, text=text)))
    assert page.status_code == 200 and "<code>developmentStatus</code>" in page.content.decode()


def test_it_refuses_to_overwrite_a_product_changed_after_the_comparison(login, people, product):
    coordinator = login(people.authority_admin)
    url = diff_url(start(coordinator, text=(DATA / "os2-0.5.yml").read_text()))
    stale = fingerprint(coordinator.get(url))
    Product.objects.filter(pk=product.pk).update(summary="Ændret af en anden imens")
    response = coordinator.post(url, {"field": ["summary", "features"], "fingerprint": stale})
    assert response.status_code == 409
    product.refresh_from_db()
    assert product.summary == "Ændret af en anden imens" and product.features == []
    # The fresh comparison can be accepted.
    response = coordinator.post(url, {"field": ["features"], "fingerprint": fingerprint(response)})
    assert response.status_code == 302


def test_it_writes_nothing_when_nothing_is_ticked(login, people, product):
    coordinator = login(people.authority_admin)
    url = diff_url(start(coordinator, text=(DATA / "os2-0.5.yml").read_text()))
    page = coordinator.get(url)
    assert coordinator.post(url, {"fingerprint": fingerprint(page)}).status_code == 400


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no: [yaml",
        "- a list\n- not a mapping\n",
        BOMB,
        "name: \x00\n",
        "x" * (2 * 1024 * 1024),
    ],
    ids=["empty", "not-yaml", "a-list", "yaml-bomb", "nul", "2-mb"],
)
def test_hostile_text_never_crashes(login, people, product, text):
    coordinator = login(people.authority_admin)
    response = start(coordinator, text=text)
    if response.status_code == 302:
        assert coordinator.get(response["Location"]).status_code == 200
    else:
        assert response.status_code in (200, 400)
    assert Product.objects.get(pk=product.pk).name == "OS2mo"


def test_scripts_and_javascript_addresses_never_reach_the_page(login, people, product, client):
    text = (DATA / "os2-0.5.yml").read_text()
    text = text.replace("Sagsbehandling af testsager", "<script>alert(1)</script> Sagsbehandling")
    text = text.replace(
        "    longDescription: |\n",
        "    longDescription: |\n      [klik](javascript:alert(1)) <img src=x onerror=alert(1)>\n",
    )
    text = text.replace("platforms: web", "platforms: web\nlogo: javascript:alert(1).png")
    coordinator = login(people.authority_admin)
    url = diff_url(start(coordinator, text=text))
    page = coordinator.get(url)
    body = page.content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert 'value="logo_url"' not in body
    coordinator.post(url, {"field": ["summary", "purpose"], "fingerprint": fingerprint(page)})
    shown = client.get(product.get_absolute_url()).content.decode()
    assert "<script>alert(1)" in Product.objects.get(pk=product.pk).summary  # kept as text, shown escaped
    assert "<script>alert(1)" not in shown and 'href="javascript:' not in shown and "<img src=x" not in shown


# --- The product form ---------------------------------------------------------------------------------------------


def test_the_coordinator_edits_the_new_fields_one_item_per_line(login, people, product, client):
    coordinator = login(people.authority_admin)
    data = {
        "name": "OS2mo",
        "summary": "Medarbejdere og organisation",
        "summary_en": "Staff and organisation",
        "status": "product",
        "licence": "MPL-2.0",
        "features": "Organisationsdiagram\n\nLøn og ansættelse\n",
        "screenshots": "https://os2mo.eu/billede.png",
        "platforms": "web\nlinux",
        "dependencies": "open: PostgreSQL; versionMin=13; optional\nhardware: Kortlæser",
        "maintenance_type": "community",
    }
    response = coordinator.post(reverse("products:edit", args=["os2mo"]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.features == ["Organisationsdiagram", "Løn og ansættelse"]
    assert product.dependencies == {
        "open": [{"name": "PostgreSQL", "versionMin": "13", "optional": True}],
        "hardware": [{"name": "Kortlæser"}],
    }
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Løn og ansættelse" in page and "Staff and organisation" not in page  # the Danish page
    assert '<a href="https://os2mo.eu/billede.png"' in page and "PostgreSQL; versionMin=13; optional" in page
    english_page = english(client).get(product.get_absolute_url()).content.decode()
    assert "Staff and organisation" in english_page and "Screenshot 1 of OS2mo" in english_page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("features", "x" * 101),
        ("screenshots", "http://os2mo.eu/billede.png"),
        ("screenshots", "https://10.0.0.1/billede.png"),
        ("screenshots", "https://os2mo.eu/billede.gif"),
        ("logo_url", "javascript:alert(1)"),
        ("dependencies", "database: PostgreSQL"),
    ],
)
def test_the_form_refuses_what_the_export_could_not_carry(login, people, product, field, value):
    coordinator = login(people.authority_admin)
    data = {"name": "OS2mo", "summary": "Medarbejdere", "status": "product", "licence": "MPL-2.0", field: value}
    response = coordinator.post(reverse("products:edit", args=["os2mo"]), data)
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert getattr(Product.objects.get(pk=product.pk), field) in ([], {}, "")
