"""Site-wide search: products, partners (approved supplier profiles), needs, development requests and news in one
page, /soeg/?q=..., grouped by kind with a count and the best hits of each.

A row matches when every word of the query is in its title or its texts (products on PostgreSQL also by their
full-text search document, as in the catalogue), or when its title is close to the query, so that a typo
("rollekatlog") still finds "OS2rollekatalog":
- on PostgreSQL, pg_trgm's word similarity (`title %> query`: at least the extension's threshold, 0.6), the
  extension created by the products app's migration 0003; the most similar titles come first. Both `%>` and the
  ILIKE used for words are answered by trigram indexes on the columns (gin_trgm_ops): the products' names
  (products 0003) and the other kinds' titles and texts (the search_trigram_indexes migrations);
- on SQLite, difflib in Python: each word of the query at least CLOSE_RATIO like a word of the title. The titles
  compared are the newest FUZZY_CANDIDATES rows of a kind the searcher may see, fetched in one query (a bound:
  benchmarks/search.py measures what comparing them costs).
Typos are forgiven only in queries of at least MIN_FUZZY_LENGTH letters: a short word is like too many others.

Development requests are searched among those the searcher may see (development.getters.visible_requests: no
one else's drafts). Each kind costs one query on PostgreSQL (its hits and its count, with a window function) and
two on SQLite (plus the titles), whatever the number of rows.
"""

import bisect
import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import Greatest
from django.db.models.lookups import PostgresOperatorLookup
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from os2hub.community.models import NewsPost
from os2hub.core.text import text_errors
from os2hub.development.getters import visible_requests
from os2hub.needs.models import Need
from os2hub.products import search as product_search
from os2hub.products.models import Product
from os2hub.suppliers.models import SupplierApplication

MAX_LENGTH = 200
MAX_WORDS = 8
PREVIEW = 5  # hits of each kind on the overview
PER_PAGE = 20  # hits a page when one kind is shown
CLOSE_RATIO = 0.8  # difflib's ratio of a query word to a title word
MIN_FUZZY_LENGTH = 5
FUZZY_CANDIDATES = 3000
WORD = re.compile(r"\w+")
# OS2's products are called OS2<name> ("OS2rollekatalog"), and people search for the name: "OS2" counts as a word of
# its own when titles are compared with a query that has a typo.
OS2_PREFIX = re.compile(r"\b(os2)(?=\w)", re.IGNORECASE)


@dataclass
class Hit:
    title: str
    url: str
    meta: list  # under the title: what it is, in which state, whose
    when: datetime.datetime | None = None  # created or published
    text: str = ""  # a short description, when the kind has one


@dataclass
class Kind:
    key: str
    label: str  # the heading of its group
    title_field: str
    text_fields: tuple[str, ...]  # searched word by word besides the title
    rows: Callable  # rows(user) -> the queryset of what the user may find, loading what hit() shows
    hit: Callable  # hit(row) -> Hit
    full_text: bool = False  # PostgreSQL: the texts by the products' full-text search document


def _products(user):
    return Product.objects.only("name", "slug", "summary", "status")


def _product_hit(p):
    return Hit(p.name, reverse("products:detail", args=[p.slug]), [p.get_status_display()], text=p.summary)


def _partners(user):
    return (
        SupplierApplication.objects.approved()
        .select_related("organisation")
        .only("organisation_name", "city", "organisation__slug")
    )


def _partner_hit(a):
    return Hit(
        a.organisation_name,
        reverse("suppliers:profile", args=[a.organisation.slug]),
        [_("Supplier partner"), *filter(None, [a.city])],
    )


def _needs(user):
    return Need.objects.select_related("organisation").only("title", "status", "created_at", "organisation__name")


def _need_hit(n):
    return Hit(
        n.title,
        reverse("needs:detail", args=[n.pk]),
        [n.get_status_display(), n.organisation.name],
        n.created_at,
    )


def _requests(user):
    return visible_requests(user).select_related("product").only("title", "status", "created_at", "product__name")


def _request_hit(r):
    return Hit(
        r.title,
        reverse("development:detail", args=[r.pk]),
        [r.get_status_display(), r.product.name],
        r.created_at,
    )


def _news(user):
    # Only published posts: a partner's proposal waiting for the coordinator, or a rejected one, is nobody's news.
    return (
        NewsPost.objects.published()
        .select_related("product")
        .only("title", "published_at", "product__name", "product__slug")
    )


def _news_hit(post):
    return Hit(
        post.title,
        reverse("community:news_detail", args=[post.product.slug, post.pk]),
        [post.product.name],
        post.published_at,
    )


KINDS = [
    Kind(
        "products",
        _("Products"),
        "name",
        ("summary", "purpose", "value", "target_group", "getting_started"),
        _products,
        _product_hit,
        full_text=True,
    ),
    Kind("partners", _("Supplier partners"), "organisation_name", ("core_competences",), _partners, _partner_hit),
    Kind("needs", _("Needs"), "title", ("problem", "desired_outcome"), _needs, _need_hit),
    Kind("requests", _("Development requests"), "title", ("description",), _requests, _request_hit),
    Kind("news", _("News"), "title", ("body",), _news, _news_hit),
]
BY_KEY = {kind.key: kind for kind in KINDS}


# --- Matching -----------------------------------------------------------------------------------------------------


def _words(q: str) -> list[str]:
    return q.split()[:MAX_WORDS]


def _fuzzy(q: str) -> bool:
    return len(re.sub(r"\W", "", q)) >= MIN_FUZZY_LENGTH


class _ILike(PostgresOperatorLookup):
    """`field ILIKE '%word%'` on PostgreSQL: unlike Django's icontains (UPPER(field) LIKE ...), a trigram index on
    the field (gin_trgm_ops) can answer it."""

    postgres_operator = "ILIKE"


def _contains(field: str, word: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(_ILike(F(field), Value("%" + connection.ops.prep_for_like_query(word) + "%")))
    return Q(**{f"{field}__icontains": word})


def _word_match(fields, words) -> Q:
    """Every word in one of the fields."""
    match = Q()
    for word in words:
        either = Q()
        for field in fields:
            either |= _contains(field, word)
        match &= either
    return match


def close_titles(words, candidates) -> set:
    """The keys of the (key, title) candidates whose title has, for every query word, the word itself or a word at
    least CLOSE_RATIO like it (difflib's ratio; words shorter than MIN_FUZZY_LENGTH must be there as they are).

    The titles are worked on as one text, by the str and re methods (in C): split into distinct words, each compared
    once, and only when its length could reach CLOSE_RATIO (2·shorter / sum of lengths >= 0.8 wants lengths within
    2:3); then the close words are looked for in the text, and where they are says whose title it is."""
    keys = [key for key, _title in candidates]
    text = OS2_PREFIX.sub(r"\1 ", "\n".join((title or "").replace("\n", " ") for _key, title in candidates).lower())
    line_ends = [found.start() for found in re.finditer("\n", text)]
    vocabulary = sorted(set(WORD.findall(text)), key=len)
    lengths = list(map(len, vocabulary))
    found = None
    for word in (w.lower() for w in words):
        close = [word]
        if len(word) >= MIN_FUZZY_LENGTH and not word.isdigit():
            n = len(word)
            pool = vocabulary[bisect.bisect_left(lengths, -(-2 * n // 3)) : bisect.bisect_right(lengths, 3 * n // 2)]
            close += difflib.get_close_matches(word, pool, n=len(pool) or 1, cutoff=CLOSE_RATIO)
        pattern = re.compile("|".join(map(re.escape, close)))
        matched = {keys[bisect.bisect_left(line_ends, at.start())] for at in pattern.finditer(text)}
        found = matched if found is None else found & matched
        if not found:
            return set()
    return found or set()


def matching(kind: Kind, *, user, q: str):
    """The rows of a kind that match the query, best first."""
    rows = kind.rows(user)
    words = _words(q)
    title = F(kind.title_field)
    if connection.vendor == "postgresql":
        # The products' texts are in their full-text search document (GIN-indexed), as in the catalogue.
        match = _word_match([kind.title_field] if kind.full_text else [kind.title_field, *kind.text_fields], words)
        # `title %> q`: pg_trgm's word similarity of the query to the title at least its threshold (0.6 unless the
        # database says otherwise); for titles with an OS2<name> in them (see OS2_PREFIX) also of "os2" + the query.
        # Comparing trigrams costs more than looking for "os2" first, which most titles do not have.
        score = TrigramWordSimilarity(Value(q), title)
        os2 = None if q.lower().startswith("os2") else _contains(kind.title_field, "os2")
        if os2 is not None:
            score = Greatest(
                score,
                Case(When(os2, then=TrigramWordSimilarity(Value(f"os2{q}"), title)), default=Value(0.0)),
            )
        rows = rows.annotate(score=score)
        if kind.full_text:
            match |= Q(search_document=SearchQuery(q, search_type="websearch", config=product_search.CONFIG))
        if _fuzzy(q):
            match |= Q(TrigramWordSimilar(title, Value(q)))
            if os2 is not None:
                match |= os2 & Q(TrigramWordSimilar(title, Value(f"os2{q}")))
        return rows.filter(match).order_by("-score", kind.title_field, "-pk")
    match = _word_match([kind.title_field, *kind.text_fields], words)
    score = [
        When(**{f"{kind.title_field}__iexact": q}, then=Value(3)),
        When(**{f"{kind.title_field}__icontains": q}, then=Value(2)),
    ]
    if _fuzzy(q):
        candidates = rows.order_by("-pk").values_list("pk", kind.title_field)[:FUZZY_CANDIDATES]
        close = close_titles(words, candidates)
        if close:
            match |= Q(pk__in=close)
            score.append(When(pk__in=close, then=Value(1)))
    rows = rows.filter(match).annotate(score=Case(*score, default=Value(0), output_field=IntegerField()))
    return rows.order_by("-score", kind.title_field, "-pk")


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list


def overview(*, user, q: str, limit: int = PREVIEW) -> list[Group]:
    """Every kind with its count and its best `limit` hits: one query a kind (two on SQLite)."""
    groups = []
    for kind in KINDS:
        rows = list(matching(kind, user=user, q=q).annotate(total=Window(Count("*")))[:limit])
        groups.append(Group(kind, rows[0].total if rows else 0, [kind.hit(row) for row in rows]))
    return groups


def one_kind(kind: Kind, *, user, q: str, page_number):
    """A page of one kind's hits (a Django Page of Hit)."""
    page = Paginator(matching(kind, user=user, q=q), PER_PAGE).get_page(page_number)
    page.object_list = [kind.hit(row) for row in page.object_list]
    return page


# --- The page -----------------------------------------------------------------------------------------------------


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_LENGTH,
        required=False,
        widget=SearchInput,
        help_text=_("Products, supplier partners, needs, development requests and news."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)

    def clean_q(self):
        errors = text_errors({"q": self.cleaned_data["q"]})
        if errors:
            raise forms.ValidationError(errors["q"])
        return " ".join(self.cleaned_data["q"].split())


@require_GET
def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "q": ""}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        context["q"] = q
        kind = BY_KEY.get(request.GET.get("type", ""))
        if kind is not None:
            context["kind"] = kind
            context["page"] = one_kind(kind, user=request.user, q=q, page_number=request.GET.get("side"))
        else:
            groups = overview(user=request.user, q=q)
            context["groups"] = groups
            context["total"] = sum(group.count for group in groups)
    return render(request, "web/search.html", context)
