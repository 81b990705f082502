"""Anonymous visitors get whole public pages from the shared cache; signed-in people never do."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from os2hub.accounts.services import api_token_issue
from os2hub.products.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on(settings):
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product(db):
    return Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisation.", status="product")


def rename(product, name):
    Product.objects.filter(pk=product.pk).update(name=name)


def test_an_anonymous_visitor_gets_the_catalogue_from_the_cache_without_queries(client, product):
    first = client.get("/products/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/products/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    # The cache read itself is the only query (the database cache); no view ran.
    assert len(queries) <= 1


def test_a_change_reaches_anonymous_visitors_when_the_page_expires(client, product):
    client.get("/products/")
    rename(product, "OS2organisation")
    assert "OS2organisation" not in client.get("/products/").content.decode()
    cache.clear()  # what PAGE_CACHE_SECONDS does by itself
    assert "OS2organisation" in client.get("/products/").content.decode()


def test_signed_in_people_always_get_a_fresh_page(client, people, product):
    client.get("/products/")
    rename(product, "OS2organisation")
    client.force_login(people.authority_admin)
    response = client.get("/products/")
    assert "X-Page-Cache" not in response
    assert "OS2organisation" in response.content.decode()


def test_each_language_and_each_query_has_its_own_page(client, product):
    danish = client.get("/products/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/products/")
    assert english["X-Page-Cache"] == "miss" and english.content.decode() != danish
    assert client.get("/products/?q=mo")["X-Page-Cache"] == "miss"
    assert client.get("/products/", HTTP_HX_REQUEST="true")["X-Page-Cache"] == "miss"


def test_a_page_that_sets_a_cookie_is_never_cached(client, db, rf):
    # A page with a form sets the CSRF cookie: its token must never reach another visitor.
    from django.middleware.csrf import get_token

    from os2hub.web.page_cache import AnonymousPageCacheMiddleware

    def form_page(request):
        response = HttpResponse(f"<form>{get_token(request)}</form>")
        response.set_cookie("csrftoken", "x")
        return response

    middleware = AnonymousPageCacheMiddleware(form_page)
    for _ in range(2):
        request = rf.get("/behov/")
        request.LANGUAGE_CODE = "da"
        assert "X-Page-Cache" not in middleware(request)
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/konto/login/")


def test_the_api_with_a_token_is_fresh_and_without_one_cached(client, people, product):
    assert client.get("/api/v1/products")["X-Page-Cache"] == "miss"
    rename(product, "OS2organisation")
    assert "OS2organisation" not in client.get("/api/v1/products").content.decode()
    token = api_token_issue(user=people.authority_admin, name="t")[1]
    fresh = client.get("/api/v1/products", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "X-Page-Cache" not in fresh and "OS2organisation" in fresh.content.decode()


def test_errors_and_writes_are_not_cached(client, db):
    assert client.get("/products/findes-ikke/").status_code == 404
    assert "X-Page-Cache" not in client.get("/products/findes-ikke/")
    for _ in range(2):
        write = client.post("/api/v1/needs", {}, content_type="application/json")
        assert write.status_code == 401 and "X-Page-Cache" not in write


def test_zero_seconds_turns_the_cache_off(client, product, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert "X-Page-Cache" not in client.get("/products/")
