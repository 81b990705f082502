"""Server time of the product catalogue, a product page and the products API with a large community.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/os2hub .venv/bin/python benchmarks/catalogue.py
Creates a throw-away test database with 1,000 products, 10,000 adoptions and 5,000 news posts (plus
repositories, supplier roles and groups), then measures 200 requests per URL through Django's test client
(in-process: server time, no network) and prints p50/p95 in milliseconds.
"""

import os
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "os2hub.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import measure  # noqa: E402

PRODUCTS, ADOPTIONS, NEWS = 1000, 10_000, 5000


def fill():
    from os2hub.accounts.models import Organisation
    from os2hub.community.models import NewsPost
    from os2hub.products.models import Adoption, Category, Group, Product, Repository, SupplierRole

    categories = Category.objects.bulk_create(
        [Category(slug=f"k{i}", name_da=f"Kategori {i}", name_en=f"Category {i}") for i in range(8)]
    )
    authorities = Organisation.objects.bulk_create(
        [Organisation(name=f"Kommune {i:03d}", slug=f"kommune-{i:03d}", kind="authority") for i in range(100)]
    )
    suppliers = Organisation.objects.bulk_create(
        [Organisation(name=f"Leverandør {i:02d}", slug=f"leverandoer-{i:02d}", kind="supplier") for i in range(20)]
    )
    products = Product.objects.bulk_create(
        [
            Product(
                name=f"OS2produkt {i:04d}",
                slug=f"os2produkt-{i:04d}",
                summary="Fælles løsning til kommunernes opgaver med borgere og medarbejdere.",
                purpose="Et produkt, der samler data om organisation, medarbejdere og borgere " * 3,
                value="Kommunerne deler udviklingen.",
                status=["idea", "sandbox", "product", "retired"][i % 4],
                official_level=["", "sandkasse", "1", "2", "3"][i % 5],
            )
            for i in range(PRODUCTS)
        ]
    )
    Product.categories.through.objects.bulk_create(
        [Product.categories.through(product_id=p.pk, category_id=categories[i % 8].pk) for i, p in enumerate(products)]
    )
    Repository.objects.bulk_create(
        [Repository(product=p, url=f"https://github.com/OS2/{p.slug}-{k}") for p in products for k in range(2)]
    )
    SupplierRole.objects.bulk_create(
        [
            SupplierRole(
                product=p,
                supplier=suppliers[(i + k) % 20],
                role=["development", "operations"][k],
                starts_on=date(2025, 1, 1),
            )
            for i, p in enumerate(products)
            for k in range(2)
        ]
    )
    Adoption.objects.bulk_create(
        [
            Adoption(product=products[n % PRODUCTS], organisation=authorities[(n // PRODUCTS + n) % 100])
            for n in range(ADOPTIONS)
        ],
        ignore_conflicts=True,
    )
    Group.objects.bulk_create([Group(product=p, kind="steering_group", name="Styregruppen") for p in products])
    now = timezone.now()
    NewsPost.objects.bulk_create(
        [
            NewsPost(
                product=products[n % PRODUCTS],
                title=f"Nyhed {n}",
                body="Tekst " * 50,
                published_at=now - timedelta(hours=n),
            )
            for n in range(NEWS)
        ]
    )
    from os2hub.products.search import index_products

    index_products()
    return Adoption.objects.count()


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        adoptions = fill()
        client = Client()
        print(f"{connection.vendor}: {PRODUCTS} products, {adoptions} adoptions, {NEWS} news posts; 200 requests (ms)")
        for url in [
            "/products/",
            "/products/?q=borgere",
            "/products/?status=product&level=2&sort=-adopters",
            "/products/os2produkt-0500/",
            "/api/v1/products",
            "/api/v1/products?q=medarbejdere",
            "/api/v1/products/os2produkt-0500",
            "/feeds/news.atom",
        ]:
            p50, p95 = measure(client, url)
            print(f"  {url:55s} p50 {p50:6.1f}   p95 {p95:6.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
