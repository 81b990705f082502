"""Products (public): the catalogue as API.md promises it."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from os2hub.products import publiccode, selectors
from os2hub.products.getters import get_product
from os2hub.products.models import Adoption, Level, Product, Repository, SupplierRole

from .errors import ErrorOut
from .schemas import LimitOffset

router = Router(tags=["products"])
PUBLIC_ERRORS = dict.fromkeys((400, 404, 422), ErrorOut)


class RepositoryOut(Schema):
    url: str


class ProductSupplierOut(Schema):
    slug: str
    role: str


class ProductOut(Schema):
    slug: str
    name: str
    summary: str
    status: str
    official_level: str | None
    repositories: list[RepositoryOut]
    suppliers: list[ProductSupplierOut]
    adopters: list[str]

    @staticmethod
    def resolve_official_level(obj):
        return obj.official_level or None

    # A page of the list arrives with plain lists attached (see ProductPage); one product uses its relations.
    @staticmethod
    def resolve_repositories(obj):
        if hasattr(obj, "api_repositories"):
            return obj.api_repositories
        return [{"url": r.url} for r in obj.repositories.all()]

    @staticmethod
    def resolve_suppliers(obj):
        if hasattr(obj, "api_suppliers"):
            return obj.api_suppliers
        # Only roles in force today; the prefetch below already filters them.
        return [{"slug": r.supplier.slug, "role": r.role} for r in obj.supplier_roles.all()]

    @staticmethod
    def resolve_adopters(obj):
        if hasattr(obj, "api_adopters"):
            return obj.api_adopters
        return [a.organisation.slug for a in obj.adoptions.all()]


class DependencyOut(Schema):
    name: str
    versionMin: str | None = None  # noqa: N815 - publiccode.yml's own key names
    versionMax: str | None = None  # noqa: N815
    version: str | None = None
    optional: bool = False


class DependenciesOut(Schema):
    open: list[DependencyOut] = []
    proprietary: list[DependencyOut] = []
    hardware: list[DependencyOut] = []


class ProductDetailOut(ProductOut):
    """One product, with what its publiccode.yml carries as well (the list keeps to the fields above)."""

    summary_en: str
    purpose_en: str
    features: list[str]
    features_en: list[str]
    screenshots: list[str]
    logo_url: str
    platforms: list[str]
    dependencies: DependenciesOut
    maintenance_type: str
    development_status: str
    software_type: str
    publiccode_url: str

    @staticmethod
    def resolve_dependencies(obj):
        return obj.dependencies or {}

    @staticmethod
    def resolve_publiccode_url(obj):
        return reverse("products:publiccode", args=[obj.slug])


class ProductPage(LimitOffset):
    """Pagination that attaches each product's repositories, current suppliers and adopters as plain values:
    three queries for the page and no model instances for the related rows, which kept the p95 of a page
    of 50 products low (object churn made garbage-collection pauses show in the tail)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        products = list(page["items"])
        ids = [p.pk for p in products]
        repos, suppliers, adopters = {}, {}, {}
        for product_id, url in (
            Repository.objects.filter(product_id__in=ids).order_by("position", "pk").values_list("product_id", "url")
        ):
            repos.setdefault(product_id, []).append({"url": url})
        for product_id, slug, role in (
            SupplierRole.objects.filter(selectors.current_roles_filter(), product_id__in=ids)
            .order_by("role", "supplier__name")
            .values_list("product_id", "supplier__slug", "role")
        ):
            suppliers.setdefault(product_id, []).append({"slug": slug, "role": role})
        for product_id, slug in (
            Adoption.objects.filter(product_id__in=ids)
            .order_by("organisation__name")
            .values_list("product_id", "organisation__slug")
        ):
            adopters.setdefault(product_id, []).append(slug)
        for p in products:
            p.api_repositories = repos.get(p.pk, [])
            p.api_suppliers = suppliers.get(p.pk, [])
            p.api_adopters = adopters.get(p.pk, [])
        page["items"] = products
        return page


def _with_related(qs):
    return qs.prefetch_related(
        Prefetch("repositories", queryset=Repository.objects.only("product_id", "url").order_by("position", "pk")),
        Prefetch(
            "supplier_roles",
            queryset=SupplierRole.objects.filter(selectors.current_roles_filter()).select_related("supplier"),
        ),
        Prefetch(
            "adoptions",
            queryset=Adoption.objects.select_related("organisation").only("product_id", "organisation__slug"),
        ),
    )


@router.get("products", auth=None, response={200: list[ProductOut], **PUBLIC_ERRORS}, summary="The product catalogue")
@paginate(ProductPage)
def product_list(
    request, level: str | None = None, status: str | None = None, supplier: str | None = None, q: str | None = None
):
    """Filter by `level` (sandkasse, 1, 2, 3, or none), `status` (idea, sandbox, product, retired), `supplier`
    (a supplier partner's slug, current roles) and `q` (full-text search)."""
    if level and level not in [*Level.values, "none"]:
        raise ValidationError(
            {
                "level": _("Unknown level %(value)s; use one of: %(values)s.")
                % {"value": level, "values": ", ".join([*Level.values, "none"])}
            }
        )
    if status and status not in Product.Status.values:
        raise ValidationError(
            {
                "status": _("Unknown status %(value)s; use one of: %(values)s.")
                % {"value": status, "values": ", ".join(Product.Status.values)}
            }
        )
    qs = selectors.catalogue(
        level=level or "",
        status=status or "",
        supplier=supplier or "",
        q=q or "",
        sort="relevance" if q else "name",
        prefetch=False,
    )
    return qs.only("slug", "name", "summary", "status", "official_level")


@router.get("products/{slug}", auth=None, response={200: ProductDetailOut, **PUBLIC_ERRORS}, summary="One product")
def product_detail(request, slug: str):
    product = get_product(slug)
    return _with_related(Product.objects.filter(pk=product.pk).defer("search_document")).get()


@router.get(
    "products/{slug}/publiccode",
    auth=None,
    response=PUBLIC_ERRORS,
    summary="The product's publiccode.yml",
    openapi_extra={
        "responses": {
            200: {
                "description": "The product's publiccode.yml (YAML, the standard's current version), the same file "
                "as /products/{slug}/publiccode.yml on the site.",
                "content": {"application/yaml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def product_publiccode(request, slug: str):
    """The product described by the publiccode.yml standard (https://yml.publiccode.tools), as YAML."""
    product = get_product(slug)
    return HttpResponse(publiccode.export_text(product), content_type="application/yaml; charset=utf-8")
