"""Request and response schemas of the v1 API. Field names are the public contract (API.md)."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, ConfigDict

from os2hub.suppliers.models import SupplierApplication


def _absolute(context, url: str) -> str:
    # The configured site address, like every absolute link OS2hub gives out (not the request's host).
    return f"{settings.SITE_URL}{url}"


class LimitOffset(LimitOffsetPagination):
    """ninja's `?limit=&offset=` pagination (`{"count", "items"}`), with a ceiling on offset: the database
    refuses an OFFSET beyond its integer range, which would otherwise be a 500."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=1_000_000_000)


# --- Suppliers --------------------------------------------------------------------------------------------


class PriceOut(Schema):
    competence: str
    # A JSON number (DKK excl. VAT), never a locale-formatted string.
    hourly_rate_dkk: float
    valid_from: date


class SupplierOut(Schema):
    slug: str
    name: str
    cvr: str
    website: str
    competences: list[str]
    price_list: list[PriceOut] = Field(description="The hourly rates in force today, one per competence.")
    logo_url: str | None
    commit_domains: list[str] = Field(
        description="The e-mail domains the partner commits from, verified by the secretariat (lower case, IDNA "
        "form; each includes its subdomains). Scans count commits from them as the partner's."
    )

    @staticmethod
    def resolve_slug(obj):
        return obj.organisation.slug

    @staticmethod
    def resolve_commit_domains(obj):
        return [d.domain for d in obj.commit_domains.all() if d.is_verified]

    @staticmethod
    def resolve_name(obj):
        return obj.organisation_name

    @staticmethod
    def resolve_competences(obj):
        return obj.competence_keys()

    @staticmethod
    def resolve_price_list(obj):
        return obj.current_prices()

    @staticmethod
    def resolve_logo_url(obj, context):
        if not obj.logo:
            return None
        return _absolute(context, reverse("suppliers:logo", args=[obj.organisation.slug]))


# --- Applications -----------------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    role: str
    email: str
    phone: str
    show_publicly: bool
    newsletter: bool

    @staticmethod
    def resolve_show_publicly(obj):
        return obj.is_public

    @staticmethod
    def resolve_newsletter(obj):
        return obj.wants_newsletter


class ContactIn(Schema):
    name: str
    role: str
    email: str
    phone: str = ""
    show_publicly: bool = Field(False, description="Consent to show the contact on the public profile.")
    newsletter: bool = Field(False, description="Consent to receive OS2's newsletter for suppliers.")


class ContactPatch(Schema):
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    show_publicly: bool | None = None
    newsletter: bool | None = None


class CodeOfConductOut(Schema):
    version: str
    accepted_at: datetime


class Attributes(BaseModel):
    """Read from a model instance's attributes by pydantic itself, without Ninja's per-field resolver lookups: for
    the nested rows of lists (pledges, estimates, history), where those lookups were a third of a page's time
    (benchmarks/results.md). Only for schemas without resolvers."""

    model_config = ConfigDict(from_attributes=True)


class EventOut(Attributes):
    from_status: str
    to_status: str
    comment: str
    at: datetime = Field(validation_alias="created_at")


class ApplicationOut(Schema):
    id: int
    status: str
    organisation_name: str
    cvr: str
    street: str
    postcode: str
    city: str
    website: str
    competences: list[str]
    core_competences: str
    contacts: list[ContactOut]
    price_list: list[PriceOut] = Field(description="Every price entry, including future and past ones.")
    logo_url: str | None
    vector_logo_url: str | None
    has_agreement: bool
    code_of_conduct: CodeOfConductOut | None
    missing: list[str] = Field(description="What must be added before the application can be submitted.")
    history: list[EventOut]

    @staticmethod
    def resolve_competences(obj):
        return obj.competence_keys()

    @staticmethod
    def resolve_contacts(obj):
        return list(obj.contacts.all())

    @staticmethod
    def resolve_price_list(obj):
        return sorted(obj.prices.all(), key=lambda p: (p.competence, p.valid_from, p.created_at))

    @staticmethod
    def resolve_logo_url(obj, context):
        if not obj.logo:
            return None
        return _absolute(context, reverse("suppliers:logo", args=[obj.organisation.slug]))

    @staticmethod
    def resolve_vector_logo_url(obj, context):
        if not obj.vector_logo:
            return None
        return _absolute(context, reverse("suppliers:vector_logo", args=[obj.organisation.slug]))

    @staticmethod
    def resolve_has_agreement(obj):
        return bool(obj.agreement)

    @staticmethod
    def resolve_code_of_conduct(obj):
        if not obj.coc_accepted_at:
            return None
        return {"version": obj.coc_version, "accepted_at": obj.coc_accepted_at}

    @staticmethod
    def resolve_missing(obj):
        if obj.status not in (SupplierApplication.Status.DRAFT, SupplierApplication.Status.CHANGES_REQUESTED):
            return []
        return [str(item) for item in obj.missing_for_submission()]

    @staticmethod
    def resolve_history(obj):
        return list(obj.events.all())


class ApplicationIn(Schema):
    organisation_name: str
    cvr: str
    website: str
    competences: list[str] = Field(description="Competence keys, e.g. software-development.")
    core_competences: str = Field(description="Markdown.")
    street: str = ""
    postcode: str = ""
    city: str = ""


class ApplicationPatch(Schema):
    organisation_name: str | None = None
    cvr: str | None = None
    website: str | None = None
    competences: list[str] | None = None
    core_competences: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


class PriceIn(Schema):
    competence: str
    hourly_rate_dkk: Decimal


class PricesIn(Schema):
    price_list: list[PriceIn]
    valid_from: date | None = Field(None, description="When the rates take effect; default today.")


class DecisionIn(Schema):
    decision: str = Field(description="approve, request_changes or reject")
    comment: str = ""
