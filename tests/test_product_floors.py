"""Products and governance sit below scans, and the product model below search.

scans scans a product's repositories and turns its findings into proposals on the self-assessment, so it imports
products and governance; they never import scans. Their pages show what scans adds through their own registries
(products/contributions.py, governance/evidence.py), which scans fills when Django starts.

The product model knows nothing of search: whoever changes a product's texts (the product services, the admin,
the demo loader) recomputes its search document, and the catalogue finds the product by its new words.
"""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from os2hub.products import contributions
from os2hub.products import services as product_services
from os2hub.products.models import Product

from .test_architecture import PACKAGE, imports, python_files

BELOW_SCANS = [*python_files(PACKAGE / "products"), *python_files(PACKAGE / "governance")]


@pytest.mark.parametrize("path", BELOW_SCANS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_products_and_governance_never_import_scans(path):
    upward = [m for m in imports(path) if m == "os2hub.scans" or m.startswith("os2hub.scans.")]
    assert upward == [], f"{path.relative_to(PACKAGE)} imports {upward}"


def test_scans_registers_what_it_adds_to_the_pages_below_it():
    from os2hub.governance import evidence
    from os2hub.scans import contributions as scans_contributions
    from os2hub.scans import selectors

    assert scans_contributions.product_page in contributions._DETAIL
    assert any(source.proposals is selectors.open_proposals_by_code for source in evidence._SOURCES)


def test_the_product_model_knows_nothing_of_search():
    # The old model imported products.search inside save(); ast.walk sees imports inside functions too.
    assert not [m for m in imports(PACKAGE / "products" / "models.py") if m.startswith("os2hub.products.search")]
    assert Product.save is models.Model.save


def catalogue(client, q) -> list[str]:
    return [p.name for p in client.get(reverse("products:catalogue"), {"q": q}).context["page"]]


def test_a_product_edited_on_its_page_is_found_by_its_new_words(client, login, people):
    product_services.product_create(
        user=people.secretariat,
        data={
            "name": "OS2mo",
            "summary": "Medarbejdere",
            "purpose": "Overblik.",
            "coordinator": people.authority_admin,
        },
    )
    assert catalogue(client, "lønsystemer") == []
    data = {
        "name": "OS2mo",
        "summary": "Medarbejdere",
        "status": "product",
        "licence": "MPL-2.0",
        "purpose": "Sender data videre til lønsystemer.",
        "value": "",
        "target_group": "",
        "getting_started": "",
        "help_support": "",
        "cost": "",
    }
    assert login(people.authority_admin).post(reverse("products:edit", args=["os2mo"]), data).status_code == 302
    client.logout()
    assert catalogue(client, "lønsystemer") == ["OS2mo"]
    assert catalogue(client, "overblik") == []


def test_a_product_changed_in_the_admin_is_found_by_its_new_words(client, rf, people):
    product = product_services.product_create(user=people.secretariat, data={"name": "OS2iot", "summary": "Sensorer"})
    product.purpose = "Måler luftkvaliteten i byen."
    request = rf.post("/django-admin/products/product/")
    request.user = people.secretariat
    admin.site._registry[Product].save_model(request, product, form=None, change=True)
    assert catalogue(client, "luftkvaliteten") == ["OS2iot"]
