"""Full-text search of the catalogue: a weighted Danish tsvector per product on PostgreSQL, kept in the
`search_document` column (GIN-indexed) so a search does not re-parse every product's texts; on SQLite,
word-by-word matching."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q

from .models import Product

CONFIG = "danish"


def _vector():
    return (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("purpose", "value", "target_group", "getting_started", weight="C", config=CONFIG)
    )


def index_products(queryset=None) -> None:
    """Recompute the search document of the given products (all by default). Call after changing texts."""
    if connection.vendor != "postgresql":
        return
    (queryset if queryset is not None else Product.objects.all()).update(search_document=_vector())


def search(qs, q: str):
    """Filter a product queryset by a user's search words; returns (queryset, ranked)."""
    q = q.strip()[:200]
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        # A name typed partly ("os2m") still finds the product, though it is not a whole word.
        return (
            qs.filter(Q(search_document=query) | Q(name__icontains=q)).annotate(
                rank=SearchRank(F("search_document"), query)
            )
        ), True
    for word in q.split()[:10]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(purpose__icontains=word)
            | Q(value__icontains=word)
            | Q(target_group__icontains=word)
            | Q(getting_started__icontains=word)
        )
    return qs, False
