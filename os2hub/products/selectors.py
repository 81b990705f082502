"""Reads that need care: the catalogue query (filters, full-text search, sorting) and computed views of a
product (supplier concentration, the "ready to spread" checklist)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.core.roles import roles_for

from . import search
from .models import (
    Adoption,
    Group,
    GroupJoinRequest,
    GroupMember,
    JoiningAgreement,
    Product,
    SupplierRole,
    TextSuggestion,
)

SORTS = {
    "name": ("name",),
    "-updated": ("-updated_at", "name"),
    "-adopters": ("-adopter_count", "name"),
}


def current_roles_filter(prefix=""):
    today = timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def catalogue(*, q="", level="", status="", category="", supplier="", authority="", sort="name", prefetch=True):
    """Products matching the filters, sorted; with prefetch, what a catalogue card shows comes in a constant
    number of queries (the API prefetches its own fields instead)."""
    # Filters on related rows use EXISTS, not joins: no duplicate rows, so no DISTINCT and no GROUP BY over
    # thousands of adoptions (which made the full-text ranking run once per joined row).
    # A catalogue row needs none of the long texts (nor the search document).
    qs = Product.objects.only("name", "slug", "summary", "status", "official_level", "updated_at")
    if level == "none":
        qs = qs.filter(official_level="")
    elif level:
        qs = qs.filter(official_level=level)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(
            Exists(Product.categories.through.objects.filter(product_id=OuterRef("pk"), category__slug=category))
        )
    if supplier:
        qs = qs.filter(
            Exists(
                SupplierRole.objects.filter(current_roles_filter(), product_id=OuterRef("pk"), supplier__slug=supplier)
            )
        )
    if authority:
        qs = qs.filter(Exists(Adoption.objects.filter(product_id=OuterRef("pk"), organisation__slug=authority)))
    ranked = False
    if q:
        qs, ranked = search.search(qs, q)
    # A correlated count: evaluated only for the rows on the page unless the list is sorted by it.
    adopters = (
        Adoption.objects.filter(product_id=OuterRef("pk"))
        .order_by()
        .values("product_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    qs = qs.annotate(adopter_count=Coalesce(Subquery(adopters), 0))
    order = SORTS.get(sort, SORTS["name"])
    if ranked and sort in ("", "relevance"):
        order = ("-rank", "name")
    qs = qs.order_by(*order)
    if not prefetch:
        return qs
    # A catalogue card shows the categories; its suppliers are on the product's page.
    return qs.prefetch_related("categories")


@dataclass
class Concentration:
    by_role: list  # [(role label, [supplier names])]
    warnings: list


def concentration(product) -> Concentration:
    roles = [r for r in product.supplier_roles.all() if r.is_current]
    by_role = {}
    for r in roles:
        by_role.setdefault(r.role, set()).add(r.supplier.name)
    labels = dict(SupplierRole.Role.choices)
    rows = [(labels[key], sorted(by_role.get(key, []))) for key in SupplierRole.Role.values]
    warnings = []
    suppliers = {r.supplier_id for r in roles}
    if len(suppliers) == 1 and len(by_role) > 1:
        warnings.append(_("One supplier holds every role on this product: a risk of vendor lock-in."))
    for key, names in by_role.items():
        if len(names) == 1:
            warnings.append(_("Only one supplier in the role “%(role)s”.") % {"role": labels[key]})
    if not roles:
        warnings.append(_("No supplier partner is attached to the product yet."))
    return Concentration(by_role=rows, warnings=warnings)


@dataclass
class CheckItem:
    label: str
    done: bool
    fix_url: str


def readiness(product) -> list[CheckItem]:
    """OS2's "ready to spread" checklist, computed from the product's data."""
    roles = [r for r in product.supplier_roles.all() if r.is_current]
    steering = [g for g in product.groups.all() if g.kind == Group.Kind.STEERING]
    edit = reverse("products:edit", args=[product.slug])
    return [
        CheckItem(
            _("Code in a public repository"),
            bool(product.repositories.all()),
            reverse("products:repositories", args=[product.slug]),
        ),
        CheckItem(_("Purpose and value described"), bool(product.purpose.strip() and product.value.strip()), edit),
        CheckItem(
            _("How to get started and what it costs described"),
            bool(product.getting_started.strip() and product.cost.strip()),
            edit,
        ),
        CheckItem(_("A contact (coordinator)"), product.coordinator_id is not None, edit),
        CheckItem(
            _("The steering group is published"),
            any(g.members.all() for g in steering),
            reverse("products:groups", args=[product.slug]),
        ),
        CheckItem(
            _("More than one supplier"),
            len({r.supplier_id for r in roles}) > 1,
            reverse("products:supplier_roles", args=[product.slug]),
        ),
        CheckItem(
            _("At least two authorities use it"),
            len(product.adoptions.all()) >= 2,
            reverse("products:detail", args=[product.slug]) + "#adoption",
        ),
    ]


# --- The front page and the personal overview --------------------------------------------------------------------


def products_by_level() -> dict[str, int]:
    """How many products there are at each official level ("" for no level yet), in one grouped query."""
    return dict(Product.objects.order_by().values_list("official_level").annotate(n=Count("pk")))


def newest_products():
    """The products newest first, with only what a short list shows."""
    return Product.objects.only("name", "slug", "summary", "status", "official_level").order_by("-created_at", "-pk")


def agreements_of(organisation):
    """An authority's joining agreements, the latest first, with their products."""
    return (
        JoiningAgreement.objects.filter(organisation=organisation)
        .select_related("product")
        .only("starts_on", "ends_on", "product__name", "product__slug", "organisation_id")
        .order_by("-starts_on", "-pk")
    )


# --- Contributions: requests to join groups and text suggestions ------------------------------------------------


def group_join_requests_waiting(user):
    """The requests to join groups that wait for this person's answer, oldest first: in the groups they chair
    and the groups of the products they coordinate (every group, for the secretariat). For the personal
    overview: `.count()` is one query, a slice of it one more."""
    if not user.is_authenticated:
        return GroupJoinRequest.objects.none()
    pending = GroupJoinRequest.objects.filter(status=GroupJoinRequest.Status.PENDING)
    if not roles_for(user).secretariat:
        chaired = GroupMember.objects.filter(user=user, role=GroupMember.Role.CHAIR).values("group_id")
        pending = pending.filter(Q(group__in=chaired) | Q(group__product__coordinator=user))
    return pending.select_related("group__product", "user", "organisation").order_by("created_at", "pk")


def text_suggestions_waiting(user, product=None):
    """The text suggestions waiting for this person's decision, oldest first: on the products they coordinate
    (every product, for the secretariat); only `product`'s when given. For the personal overview and the
    product's suggestion list: a constant number of queries."""
    if not user.is_authenticated:
        return TextSuggestion.objects.none()
    pending = TextSuggestion.objects.filter(status=TextSuggestion.Status.PENDING)
    if product is not None:
        pending = pending.filter(product=product)
    if not roles_for(user).secretariat:
        pending = pending.filter(product__coordinator=user)
    return pending.select_related("product", "author", "organisation", "page").order_by("created_at", "pk")
