"""The reads the needs pages and the API share: the needs board and the list of calls, with their filters written
once. Needs and calls are public, so `user` narrows nothing today; it is part of the signature so that a list
that someday shows a person more (their own drafts) changes here and nowhere else.

Each list is a queryset in a constant number of queries whatever its length: the page defers the long texts it
does not show, and the API prefetches the co-signers it does show."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import OPEN_NEED, Call, CoSign, Need, Offer

MAX_SEARCH_WORDS = 8


def _no_nul(value) -> bool:
    # PostgreSQL cannot even compare with a NUL character: a filter value with one matches nothing.
    return "\x00" not in str(value)


def needs_with_counts():
    """Every need with `cosigner_count`, newest first. The count is a correlated subquery rather than a GROUP BY
    over every need: a page then counts the co-signs of its 25 rows only (and the paginator's COUNT leaves it out),
    which took the board from 18 to a few ms of SQL with 5,000 needs (benchmarks/needs.py)."""
    cosigns = CoSign.objects.filter(need=OuterRef("pk")).order_by().values("need").annotate(n=Count("pk")).values("n")
    return (
        Need.objects.select_related("organisation", "category")
        .annotate(cosigner_count=Coalesce(Subquery(cosigns, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )


def search_needs(queryset, q: str):
    """Words in the title, the problem or the desired outcome (every word must match somewhere)."""
    if not _no_nul(q):
        return queryset.none()
    for word in q.split()[:MAX_SEARCH_WORDS]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(problem__icontains=word) | Q(desired_outcome__icontains=word)
        )
    return queryset


def need_list(
    *,
    user,
    q: str | None = None,
    status: str | None = None,
    category: str | None = None,
    min_cosigners: int | None = None,
    sort: str | None = None,
):
    """The needs board: words (`q`), a status, a category's slug, at least `min_cosigners` co-signers; newest
    first, or with `sort="cosigners"` the most co-signed first. Filters left out (None or empty) do not filter;
    the edges check that a status is one of Need.Status before they ask."""
    needs = needs_with_counts()
    if q:
        needs = search_needs(needs, q)
    if status:
        needs = needs.filter(status=status)
    if category is not None:
        needs = needs.filter(category__slug=category) if _no_nul(category) else needs.none()
    if min_cosigners:
        needs = needs.filter(cosigner_count__gte=int(min_cosigners))
    if sort == "cosigners":
        needs = needs.order_by("-cosigner_count", "-created_at", "-pk")
    return needs


def call_list(
    *,
    user,
    kind: str | None = None,
    status: str | None = None,
    product: str | None = None,
    need: int | None = None,
):
    """Calls for suppliers, newest first: of a kind, in a status, for a product (its slug) or a need (its id)."""
    calls = Call.objects.select_related(
        "product", "need", "group__product", "organisation", "awarded_offer__supplier"
    ).order_by("-created_at", "-pk")
    if kind:
        calls = calls.filter(kind=kind)
    if status:
        calls = calls.filter(status=status)
    if product is not None:
        calls = calls.filter(product__slug=product) if _no_nul(product) else calls.none()
    if need is not None:
        calls = calls.filter(need_id=need)
    return calls


# --- The front page and the personal overview --------------------------------------------------------------------


def open_needs():
    """The needs still open to co-signs, pitches and calls (open or being clarified), newest first."""
    return needs_with_counts().filter(status__in=OPEN_NEED)


def needs_of(organisation):
    """The needs an authority posted, newest first, with their co-signers counted."""
    return needs_with_counts().filter(organisation=organisation)


def cosigns_of(organisation):
    """The needs of others an authority co-signed, the latest co-sign first."""
    return CoSign.objects.filter(organisation=organisation).select_related("need").order_by("-created_at", "-pk")


def calls_of(organisation):
    """The calls for suppliers an organisation made, newest first, with their offers counted."""
    return (
        Call.objects.filter(organisation=organisation)
        .select_related("product", "need", "group__product")
        .annotate(offer_count=Count("offers"))
        .order_by("-created_at", "-pk")
    )


def offers_of(supplier):
    """A supplier's offers on calls, the latest changed first, with their calls."""
    return Offer.objects.filter(supplier=supplier).select_related("call").order_by("-updated_at", "-pk")
