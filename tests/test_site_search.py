"""Site-wide search (/soeg/): products, partners, needs, development requests and news, grouped by kind with
counts; typos forgiven on PostgreSQL (pg_trgm) and on SQLite (difflib); only what the searcher may see; a
constant number of queries; the query checked."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from os2hub.community.models import NewsPost
from os2hub.development.models import DevelopmentRequest
from os2hub.needs.models import Need
from os2hub.products.models import Product
from os2hub.products.search import index_products
from os2hub.web import search

from .personas import OrganisationFactory, UserFactory, make_application, member

pytestmark = pytest.mark.django_db

URL = "/soeg/"


@pytest.fixture
def client(client):
    """In English: the search page's own words are new to the Danish catalogue (the lead adds them); the kinds'
    names are not, and test_danish_is_the_default checks them in Danish."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def product(name, **fields):
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    fields.setdefault("summary", f"Om {name}.")
    found = Product.objects.create(name=name, **fields)
    index_products(Product.objects.filter(pk=found.pk))
    return found


def cvr_numbers():
    """Valid CVR numbers (modulus 11) that no persona uses."""
    from stdnum.dk import cvr

    from .personas import VALID_CVRS

    for n in range(20000000, 99999999):
        number = str(n)
        if cvr.is_valid(number) and number not in VALID_CVRS:
            yield number


def partner(name, slug, numbers, status="approved"):
    org = OrganisationFactory(name=name, slug=slug, kind="supplier")
    return make_application(org, member(UserFactory(), org), status=status, cvr=next(numbers))


def need(people, title, **fields):
    return Need.objects.create(
        title=title,
        problem=fields.pop("problem", "Det er svært i dag."),
        desired_outcome="Det bliver lettere.",
        organisation=people.authority,
        created_by=people.authority_admin,
        **fields,
    )


def dev_request(people, title, *, status="submitted", requester=None, product_=None):
    return DevelopmentRequest.objects.create(
        product=product_ or Product.objects.first() or product("Grundprodukt"),
        requester=requester or people.authority,
        created_by=people.authority_admin,
        title=title,
        description="Vi ønsker os noget.",
        status=status,
    )


def news(title, product_):
    return NewsPost.objects.create(product=product_, title=title, body="Nyt fra fællesskabet.")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def hits(page: str, kind: str) -> str:
    """The HTML of one kind's group on the overview ("" when the kind has none)."""
    start = page.find(f'id="results-{kind}"')
    if start < 0:
        return ""
    end = page.find("</section>", start)
    return page[start:end]


# --- Finding ------------------------------------------------------------------------------------------------------


def test_a_typo_finds_rollekatalog(client, people):
    """The issue: "rollekatlog" found nothing."""
    product("OS2rollekatalog")
    product("Rollekatalog light")
    product("Kitos")
    product("Rollespil")
    page = html(client.get(URL, {"q": "rollekatlog"}))
    group = hits(page, "products")
    assert "Products (2)" in group
    assert 'href="/products/os2rollekatalog/"' in group and 'href="/products/rollekatalog-light/"' in group
    assert "Kitos" not in page and "Rollespil" not in page


@pytest.mark.parametrize(
    "typo, title",
    [
        ("kodekamret", "Kodekammeret ApS"),  # the persona's approved partner
        ("parkerignsbehov", "Parkeringsbehov i midtbyen"),
        ("borgerbreve", "Borgerbrev med digital post"),
        ("sommerfset", "Sommerfest for brugerne"),
    ],
)
def test_typos_are_forgiven_in_every_kind(client, people, typo, title):
    p = product("Grundprodukt")
    need(people, "Parkeringsbehov i midtbyen")
    dev_request(people, "Borgerbrev med digital post", product_=p)
    news("Sommerfest for brugerne", p)
    page = html(client.get(URL, {"q": typo}))
    assert title in page


def test_it_groups_the_hits_by_kind_with_counts_and_links(client, people):
    p = product("Affaldsportalen")
    product("Affaldsapp")
    need(people, "Affald fra skolerne")
    dev_request(people, "Affaldskalender i appen", product_=p)
    news("Affaldssortering: nyt modul", p)
    partner("Affaldsfolkene ApS", "affaldsfolkene", cvr_numbers())
    page = html(client.get(URL, {"q": "affald"}))
    assert "6 results for “affald”" in page
    for kind, label, count in [
        ("products", "Products", 2),
        ("partners", "Supplier partners", 1),
        ("needs", "Needs", 1),
        ("requests", "Development requests", 1),
        ("news", "News", 1),
    ]:
        assert f'href="#results-{kind}"' in page
        assert f"{label} ({count})" in hits(page, kind)
    assert 'href="/products/affaldsportalen/"' in hits(page, "products")
    assert 'href="/leverandoerer/affaldsfolkene/"' in hits(page, "partners")
    assert f'href="/needs/{Need.objects.get().pk}/"' in hits(page, "needs")
    assert f'href="/development-requests/{DevelopmentRequest.objects.get().pk}/"' in hits(page, "requests")
    assert f'href="/products/affaldsportalen/news/{NewsPost.objects.get().pk}/"' in hits(page, "news")


def test_words_in_the_texts_are_found_and_every_word_must_match(client, people):
    need(people, "Bedre overblik", problem="Vagtplanen for hjemmeplejen ligger i tre regneark.")
    need(people, "Andet overblik", problem="Hjemmeplejen mangler biler.")
    page = html(client.get(URL, {"q": "vagtplanen hjemmeplejen"}))
    assert "Bedre overblik" in page and "Andet overblik" not in page


def test_the_best_match_comes_first(client, people):
    product("Kalenderbooking", summary="Booking af lokaler.")
    product("Booking")
    page = hits(html(client.get(URL, {"q": "booking"})), "products")
    assert page.index(">Booking<") < page.index(">Kalenderbooking<")


def test_short_words_are_not_stretched_into_other_words(client, people):
    product("Data")
    product("Dato")
    page = html(client.get(URL, {"q": "dat"}))
    assert "Products (2)" in page  # both contain it
    assert "Nothing found" in html(client.get(URL, {"q": "date"}))  # too short to be forgiven a letter


# --- Who sees what ------------------------------------------------------------------------------------------------


def test_drafts_are_found_only_by_their_requester_and_the_secretariat(client, login, people):
    dev_request(people, "Hemmeligt udkast om skoleskema", status="draft")
    dev_request(people, "Indsendt ønske om skoleskema")
    for user, sees_draft in [
        (None, False),
        (people.outsider, False),
        (people.authority2_admin, False),
        (people.supplier_admin, False),
        (people.authority_admin, True),
        (people.secretariat, True),
    ]:
        client.logout()
        if user is not None:
            login(user)
        page = html(client.get(URL, {"q": "skoleskema"}))
        assert "Indsendt ønske om skoleskema" in page
        assert ("Hemmeligt udkast" in page) is sees_draft, user
        page = html(client.get(URL, {"q": "skoleskma", "type": "requests"}))  # with a typo, one kind
        assert ("Hemmeligt udkast" in page) is sees_draft, user


def test_only_approved_partners_are_found(client, people):
    numbers = cvr_numbers()
    for n, status in enumerate(["draft", "submitted", "changes_requested", "rejected"]):
        partner(f"Kodeværkstedet {status}", f"kv-{n}", numbers, status=status)
    page = html(client.get(URL, {"q": "kodeværkstedet"}))
    assert "Kodeværkstedet" not in page
    assert "Kodekammeret ApS" in html(client.get(URL, {"q": "kodekammeret"}))


def test_only_published_news_is_found(client, people):
    p = product("Grundprodukt")
    news("Sommerfest i fællesskabet", p)
    for status in ("pending", "rejected"):
        NewsPost.objects.create(product=p, title=f"Sommerfest {status}", body="Forslag.", status=status)
    found = hits(html(client.get(URL, {"q": "sommerfest"})), "news")
    assert "Sommerfest i fællesskabet" in found
    assert "pending" not in found and "rejected" not in found
    assert "Sommerfest pending" not in html(client.get(URL, {"q": "sommerfest", "type": "news"}))


# --- One kind, counts and pages --------------------------------------------------------------------------------------


def test_the_overview_shows_five_of_a_kind_and_links_to_all_of_them_page_by_page(client, people):
    for n in range(23):
        need(people, f"Vejbelysning nummer {n:02d}")
    page = html(client.get(URL, {"q": "vejbelysning"}))
    group = hits(page, "needs")
    assert "Needs (23)" in group and group.count("Vejbelysning nummer") == 5
    assert 'href="/soeg/?q=vejbelysning&amp;type=needs"' in group
    assert "Show all 23 needs" in group
    first = html(client.get(URL, {"q": "vejbelysning", "type": "needs"}))
    assert "23 results for “vejbelysning”" in first and first.count("Vejbelysning nummer") == 20
    assert 'href="/soeg/?q=vejbelysning"' in first  # back to every kind
    second = html(client.get(URL, {"q": "vejbelysning", "type": "needs", "side": "2"}))
    assert second.count("Vejbelysning nummer") == 3


def test_an_unknown_kind_shows_the_overview(client, people):
    need(people, "Vejbelysning")
    page = html(client.get(URL, {"q": "vejbelysning", "type": "unknown"}))
    assert "Needs (1)" in page


def test_the_number_of_queries_does_not_grow_with_the_rows(client, login, people):
    p = product("Cykelsti")
    numbers = cvr_numbers()

    def add(n):
        for i in range(n):
            product(f"Cykelsti {i} {n}", slug=f"cykelsti-{n}-{i}")
            need(people, f"Cykelsti behov {i}")
            dev_request(people, f"Cykelsti ønske {i}", product_=p)
            dev_request(people, f"Cykelsti udkast {i}", status="draft", product_=p)
            news(f"Cykelsti nyhed {i}", p)
            partner(f"Cykelsti {n} {i} ApS", f"cykelsti-{n}-{i}", numbers, status="approved" if i < 2 else "rejected")

    add(1)
    login(people.authority_admin)
    urls = [f"{URL}?q=cykelsti", f"{URL}?q=cykelstti", f"{URL}?q=cykelsti&type=requests"]
    counts = []
    for url in urls:
        html(client.get(url))  # warm: the session, the roles
        with CaptureQueriesContext(connection) as few:
            html(client.get(url))
        counts.append(len(few.captured_queries))
    add(3)
    for url, count in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as more:
            page = html(client.get(url))
        assert "Cykelsti" in page
        assert len(more.captured_queries) == count, (url, [q["sql"][:120] for q in more.captured_queries])
    # One query a kind (two on SQLite: the titles compared in Python) plus the person's session and roles.
    assert counts[0] <= len(search.KINDS) * (1 if connection.vendor == "postgresql" else 2) + 6, counts


# --- The query ----------------------------------------------------------------------------------------------------


def test_without_a_query_it_explains_what_can_be_found(client, people):
    for params in ({}, {"q": ""}, {"q": "   "}):
        page = html(client.get(URL, params))
        assert "What can I find here?" in page
        assert 'href="/products/"' in page and 'href="/leverandoerer/"' in page and 'href="/needs/"' in page
        assert "results for" not in page and "error-summary" not in page


def test_nothing_found_says_so_and_offers_the_lists(client, people):
    page = html(client.get(URL, {"q": "zxqwv"}))
    assert "0 results for “zxqwv”" in page and "Nothing found" in page
    assert 'href="/development-requests/"' in page


def test_a_query_longer_than_200_characters_is_refused_with_a_field_error(client, people):
    product("Rollekatalog")
    page = html(client.get(URL, {"q": "rollekatalog " + "x" * 200}))
    assert 'id="error-summary"' in page and 'href="#search_q"' in page
    assert 'class="form-error-message" id="search_q_error"' in page
    assert "results for" not in page
    ok = html(client.get(URL, {"q": "rollekatalog " + "x" * 187}))  # exactly 200
    assert "error-summary" not in ok


def test_control_characters_are_refused_and_nul_never_reaches_the_view(client, people):
    page = html(client.get(URL, {"q": "rolle\x01katalog"}))
    assert 'id="error-summary"' in page and "U+0001" in page
    assert client.get(URL, {"q": "rolle\x00katalog"}).status_code == 400


def test_wildcards_in_the_query_are_plain_characters(client, people):
    product("Kitos")
    product("Rabat 100% i dag", slug="rabat")
    for q in ("_", "%_%", "K%s"):
        assert "Nothing found" in html(client.get(URL, {"q": q})), q
    for q in ("%", "100%"):
        page = html(client.get(URL, {"q": q}))
        assert "Products (1)" in page and "Kitos" not in page, q


def test_markup_in_the_query_is_shown_as_text(client, people):
    page = html(client.get(URL, {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_danish_is_the_default_and_english_uses_the_same_address(client, people):
    product("Rollekatalog")
    page = html(client.get(URL, {"q": "rollekatlog"}))
    assert "1 result for “rollekatlog”" in page and "Products (1)" in page
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    page = html(client.get(URL, {"q": "rollekatlog"}))
    assert '<html lang="da">' in page and "Produkter (1)" in page


def test_every_page_has_the_search_field_in_its_header(client, people):
    for url in ("/", "/products/", "/needs/", URL):
        page = html(client.get(url))
        header = page[page.index("<header") : page.index("</header>")]
        assert 'action="/soeg/"' in header and 'role="search"' in header
        assert 'name="q" type="search" maxlength="200"' in header
        assert '<label for="header-search" class="sr-only">Search OS2hub</label>' in header


def test_only_get_is_answered(client, people):
    assert client.post(URL, {"q": "x"}).status_code == 405


# --- The fallback's typo tolerance (used on SQLite) -------------------------------------------------------------


def test_close_titles_compares_words_and_wants_every_word():
    candidates = [(1, "Rollekatalog"), (2, "OS2rollekatalog"), (3, "Kitos"), (4, "Rolle i kataloget"), (5, None)]
    assert search.close_titles(["rollekatlog"], candidates) == {1, 2}
    assert search.close_titles(["rolle", "katalog"], candidates) == {1, 2, 4}
    assert search.close_titles(["rollekatlog", "kitos"], candidates) == set()
    assert search.close_titles(["kit"], candidates) == {3}  # short: only as it is
    assert search.close_titles(["kot"], candidates) == set()


def test_the_published_time_is_the_news_date(client, people):
    p = product("Grundprodukt")
    post = news("Sommerfest", p)
    post.published_at = timezone.make_aware(timezone.datetime(2026, 3, 5, 23, 30), timezone.get_current_timezone())
    post.save()
    assert "5 March 2026" in hits(html(client.get(URL, {"q": "sommerfest"})), "news")
