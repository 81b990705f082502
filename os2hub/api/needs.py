"""Needs and calls (API.md "Needs and calls"): authorities post needs that other authorities co-sign, supplier
partners pitch solutions, and a coordination group, the secretariat or an authority calls for suppliers on a
sub-task; approved partners with the matching competence send sealed offers and the caller awards one.

Endpoints parse input, find what is named, ask os2hub.needs.workflow whether the step is the caller's to take now
(the table the pages ask too: 403 when the person may not, 409 when the need or call is not in a state for it),
call os2hub.needs.services (the only writers; they decide again as they write) and shape the answer. The lists
are os2hub.needs.selectors', the pages' too. Who sees which offers is os2hub.needs.getters.visible_offers:
the caller and the secretariat see all, a supplier its own, and after the award everyone sees the awarded one.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from os2hub.accounts.models import Organisation
from os2hub.core.workflow import TransitionConflict
from os2hub.needs import getters, selectors, services
from os2hub.needs import workflow as steps
from os2hub.needs.models import Call, CoSign, Need, Offer, Pitch
from os2hub.products.models import Category, Product

from .common import (
    ERRORS,
    OPTIONAL_TOKEN,
    PUBLIC_ERRORS,
    Amount,
    OrganisationOut,
    check_choice,
    organisation_for,
    slug_or_none,
    viewer,
)
from .schemas import LimitOffset

router = Router(tags=["needs and calls"])

NeedStatus = Need.Status
CallKind = Call.Kind
CallStatus = Call.Status
TITLE_LENGTH = Call._meta.get_field("title").max_length


# --- Schemas ----------------------------------------------------------------------------------------------------


class CoSignerOut(Schema):
    organisation: OrganisationOut
    note: str
    created_at: datetime


class NeedOut(Schema):
    id: int
    title: str
    problem: str = Field(description="Markdown.")
    who_has_it: str
    current_solutions: str
    desired_outcome: str
    rough_value: str
    category: str | None = Field(description="The category's slug.")
    organisation: OrganisationOut = Field(description="The authority that posted the need.")
    status: str = Field(description="One of: " + ", ".join(NeedStatus.values) + ".")
    cosigners: list[CoSignerOut] = Field(description="The other authorities that have the need too, oldest first.")
    cosigner_count: int
    product: str | None = Field(description="The product's slug, once the need became one or got a request on one.")
    development_request: int | None = Field(description="The development request's id, once the need became one.")
    tender_url: str = Field(description="The tender notice, once the need went to tender; empty otherwise.")
    created_at: datetime

    @staticmethod
    def resolve_category(obj):
        return obj.category.slug if obj.category_id else None

    @staticmethod
    def resolve_cosigners(obj):
        return list(obj.cosigns.all())

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug if obj.product_id else None

    @staticmethod
    def resolve_development_request(obj):
        return obj.development_request_id


class NeedIn(Schema):
    title: str = Field(description="One line, at most 200 characters.")
    problem: str = Field(description="Markdown. What is hard or impossible today?")
    desired_outcome: str = Field(description="What is better when the need is met?")
    who_has_it: str = Field("", description="Which staff, citizens or units.")
    current_solutions: str = Field("", description="Products, workarounds or market offers you know of.")
    rough_value: str = Field("", description="For example: saves about 500 hours a year.")
    category: str | None = Field(None, max_length=100, description="A category's slug.")
    organisation: str | None = Field(
        None, max_length=100, description="The posting authority's slug. Left out: the caller's only authority."
    )


class CoSignIn(Schema):
    note: str = Field("", description="One line, at most 500 characters.")
    organisation: str | None = Field(
        None, max_length=100, description="The co-signing authority's slug. Left out: the caller's only authority."
    )


class PitchOut(Schema):
    id: int
    title: str
    text: str = Field(description="Markdown.")
    links: list[str]
    need: int | None = Field(description="The id of the need the pitch answers; null for a pitch on its own.")
    supplier: OrganisationOut
    wants_meeting: bool
    wants_event: bool
    created_at: datetime

    @staticmethod
    def resolve_need(obj):
        return obj.need_id

    @staticmethod
    def resolve_links(obj):
        return [str(link) for link in obj.links or []]


class PitchIn(Schema):
    title: str
    text: str = Field(description="Markdown. What you offer and how it meets the need.")
    links: list[str] = Field([], description="Public https addresses, at most 10.")
    need: int | None = Field(None, description="The id of an open need; null for a pitch on its own.")
    wants_meeting: bool = False
    wants_event: bool = False
    supplier: str | None = Field(
        None, max_length=100, description="The pitching supplier's slug. Left out: the caller's only supplier."
    )


class CallerOut(Schema):
    kind: str = Field(description="group (the product's coordination group), authority or secretariat.")
    slug: str | None = Field(description="The organisation's slug; null for a group.")
    name: str


class AwardedOfferOut(Schema):
    id: int
    supplier: OrganisationOut
    price_dkk: float
    approach: str
    team: str


class CallOut(Schema):
    id: int
    kind: str = Field(description="One of: " + ", ".join(CallKind.values) + ".")
    title: str
    description: str = Field(description="Markdown.")
    product: str | None = Field(description="The product's slug.")
    need: int | None = Field(description="The need's id.")
    caller: CallerOut
    deadline: date = Field(description="Offers are accepted until the end of this day (Danish time).")
    budget_min_dkk: float | None
    budget_max_dkk: float | None
    status: str = Field(description="One of: " + ", ".join(CallStatus.values) + ".")
    open_for_offers: bool = Field(description="Open, and the deadline has not passed.")
    awarded_offer: AwardedOfferOut | None = Field(description="The winning offer, public once the call is awarded.")
    awarded_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug if obj.product_id else None

    @staticmethod
    def resolve_need(obj):
        return obj.need_id

    @staticmethod
    def resolve_caller(obj):
        if obj.group_id:
            return {"kind": "group", "slug": None, "name": obj.caller_name}
        return {"kind": obj.organisation.kind, "slug": obj.organisation.slug, "name": obj.organisation.name}

    @staticmethod
    def resolve_open_for_offers(obj):
        return steps.offers_open(obj)


class CallIn(Schema):
    product: str | None = Field(None, max_length=100, description="The product's slug (a product, a need or both).")
    need: int | None = Field(None, description="The need's id.")
    kind: str = Field(description="One of: " + ", ".join(CallKind.values) + ".")
    title: str | None = Field(None, description="One line. Left out: the first line of the description.")
    description: str = Field(description="Markdown. The task, what is delivered, when.")
    deadline: date | None = Field(None, description="The last day offers are accepted (required).")
    budget_min_dkk: Amount | None = None
    budget_max_dkk: Amount | None = None
    caller: str | None = Field(
        None,
        max_length=100,
        description="On whose behalf: `group` (the product's coordination group) or an organisation's slug (the "
        "secretariat or an authority). Left out: the coordination group when the caller is in it, else the "
        "caller's first organisation.",
    )


class OfferOut(Schema):
    id: int
    supplier: OrganisationOut
    price_dkk: float = Field(description="The fixed price when there is one, else hours × hourly rate.")
    fixed_price_dkk: float | None
    hours: float | None
    hourly_rate_dkk: float | None = Field(description="The rate given, or the supplier's published rate.")
    approach: str = Field(description="Markdown.")
    team: str
    created_at: datetime
    updated_at: datetime


class OfferIn(Schema):
    price_dkk: Amount | None = Field(None, description="A fixed price; or give `hours` at the hourly rate.")
    approach: str = Field(description="Markdown. How you would do the task.")
    team: str = Field("", description="Who would do it, and their experience.")
    hours: Amount | None = Field(None, description="Hours at `hourly_rate_dkk`, when there is no fixed price.")
    hourly_rate_dkk: Amount | None = Field(
        None, description="Left out: the published rate of the competence that answers the call."
    )
    supplier: str | None = Field(
        None, max_length=100, description="The offering supplier's slug. Left out: the caller's only supplier."
    )


class AwardIn(Schema):
    offer: int = Field(description="The id of one of the call's offers.")


# --- Finding things ---------------------------------------------------------------------------------------------


COSIGNERS = Prefetch("cosigns", queryset=CoSign.objects.select_related("organisation"))


def _need(id) -> Need:
    need = getters.get_need(id)
    prefetch_related_objects([need], COSIGNERS)
    return need


def _named_need(id: int | None, field: str) -> Need | None:
    """A need named in a request body: an unknown one is a bad value (400), not a missing page."""
    if id is None:
        return None
    need = Need.objects.filter(pk=id).select_related("organisation").first()
    if need is None:
        raise ValidationError({field: [_("There is no need %(id)s.") % {"id": id}]})
    return need


def _fresh_call(call) -> Call:
    return selectors.call_list(user=None).get(pk=call.pk)


# --- Needs ------------------------------------------------------------------------------------------------------


@router.get("needs", auth=None, response={200: list[NeedOut], **PUBLIC_ERRORS}, summary="Needs")
@paginate(LimitOffset)
def need_list(
    request,
    status: str | None = Query(None, description="One of: " + ", ".join(NeedStatus.values) + "."),
    q: str | None = Query(None, max_length=200, description="Words in the title, the problem or the outcome."),
    category: str | None = Query(None, description="A category's slug."),
    min_cosigners: int | None = Query(None, ge=0, description="Only needs co-signed by at least this many."),
):
    """Every need, newest first. Filters combine; an unknown `status` is 400."""
    check_choice("status", status, NeedStatus.values)
    needs = selectors.need_list(
        user=viewer(request), q=q, status=status, category=category, min_cosigners=min_cosigners
    )
    # With everything the representation shows, in a constant number of queries however many.
    return needs.select_related("product").prefetch_related(COSIGNERS)


@router.post("needs", response={201: NeedOut, **ERRORS}, summary="Post a need (authority members)")
def need_create(request, payload: NeedIn):
    """For members of an authority; `organisation` names which one when the caller has several. Suppliers
    pitch instead (403). The need starts open."""
    user = request.auth
    category = None
    if payload.category is not None:
        category = Category.objects.filter(slug=slug_or_none(payload.category)).first()
        if category is None:
            raise ValidationError(
                {"category": [_("There is no category “%(slug)s”.") % {"slug": payload.category[:100]}]}
            )
    organisation = organisation_for(
        user,
        payload.organisation,
        field="organisation",
        kinds=(Organisation.Kind.AUTHORITY,),
        nobody=_("Needs are posted by members of an authority."),
    )
    need = services.need_create(
        user=user,
        organisation=organisation,
        data=payload.dict(exclude={"category", "organisation"}),
        category=category,
    )
    return Status(201, _need(need.pk))


@router.get(
    "needs/{id}",
    auth=None,
    response={200: NeedOut, **PUBLIC_ERRORS},
    summary="One need",
)
def need_detail(request, id: int):
    return _need(id)


@router.post(
    "needs/{id}/cosign",
    response={201: NeedOut, **ERRORS},
    summary="Co-sign a need: “we have this need too” (another authority)",
)
def need_cosign(request, id: int, payload: CoSignIn | None = None):
    """For members of an authority other than the one that posted the need, once per authority, while the need
    is open or being clarified: a second co-sign, the posting authority itself and a decided need are 409.
    Answers the need with its co-signers."""
    user = request.auth
    need = getters.get_need(id)
    payload = payload or CoSignIn()
    organisation = organisation_for(
        user,
        payload.organisation,
        field="organisation",
        kinds=(Organisation.Kind.AUTHORITY,),
        nobody=_("Needs are co-signed by members of an authority."),
    )
    steps.check(steps.COSIGN, need, user, organisation=organisation)
    services.need_cosign(need=need, user=user, organisation=organisation, note=payload.note)
    return Status(201, _need(need.pk))


# --- Pitches ----------------------------------------------------------------------------------------------------


@router.get("pitches", auth=None, response={200: list[PitchOut], **PUBLIC_ERRORS}, summary="Pitches")
@paginate(LimitOffset)
def pitch_list(request, need: int | None = Query(None, description="A need's id: the pitches to it.")):
    """Supplier partners' solutions, newest first."""
    qs = Pitch.objects.select_related("supplier").order_by("-created_at", "-pk")
    if need is not None:
        qs = qs.filter(need_id=need)
    return qs


@router.post("pitches", response={201: PitchOut, **ERRORS}, summary="Pitch a solution (approved supplier partners)")
def pitch_create(request, payload: PitchIn):
    """For members of an approved supplier partner, to an open need (409 when it is decided) or on its own
    (`need` null). The need's authority and followers are told."""
    user = request.auth
    supplier = organisation_for(
        user,
        payload.supplier,
        field="supplier",
        kinds=(Organisation.Kind.SUPPLIER,),
        nobody=_("Pitches are made by members of a supplier partner."),
    )
    need = _named_need(payload.need, "need")
    pitch = services.pitch_create(
        user=user, supplier=supplier, data=payload.dict(exclude={"need", "supplier"}), need=need
    )
    return Status(201, Pitch.objects.select_related("supplier").get(pk=pitch.pk))


# --- Calls ------------------------------------------------------------------------------------------------------


@router.get("calls", auth=None, response={200: list[CallOut], **PUBLIC_ERRORS}, summary="Calls for suppliers")
@paginate(LimitOffset)
def call_list(
    request,
    kind: str | None = Query(None, description="One of: " + ", ".join(CallKind.values) + "."),
    status: str | None = Query(None, description="One of: " + ", ".join(CallStatus.values) + "."),
    product: str | None = Query(None, description="A product's slug."),
    need: int | None = Query(None, description="A need's id."),
):
    """Every call, newest first. Filters combine; an unknown `kind` or `status` is 400."""
    check_choice("kind", kind, CallKind.values)
    check_choice("status", status, CallStatus.values)
    return selectors.call_list(user=viewer(request), kind=kind, status=status, product=product, need=need)


def _title(payload: CallIn) -> str:
    """The title given, or the description's first line (without Markdown's heading marks)."""
    if payload.title is not None:
        return payload.title
    for line in payload.description.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:TITLE_LENGTH].strip()
    return ""


@router.post("calls", response={201: CallOut, **ERRORS}, summary="Call for suppliers")
def call_create(request, payload: CallIn):
    """For a product's coordination group, the secretariat or an authority (403 for everyone else), on a
    product, a need or both; `caller` says on whose behalf. Only approved supplier partners with a competence
    matching `kind` may offer, until the end of `deadline`."""
    user = request.auth
    product = None
    if payload.product is not None:
        product = Product.objects.filter(slug=slug_or_none(payload.product)).first()
        if product is None:
            raise ValidationError({"product": [_("There is no product “%(slug)s”.") % {"slug": payload.product[:100]}]})
    need = _named_need(payload.need, "need")
    data = payload.dict(include={"kind", "description", "deadline", "budget_min_dkk", "budget_max_dkk"})
    data["title"] = _title(payload)
    call = services.call_create(user=user, data=data, caller=payload.caller or "", product=product, need=need)
    return Status(201, _fresh_call(call))


@router.get(
    "calls/{id}",
    auth=None,
    response={200: CallOut, **PUBLIC_ERRORS},
    summary="One call for suppliers",
)
def call_detail(request, id: int):
    return _fresh_call(getters.get_call(id))


@router.post(
    "calls/{id}/offers",
    response={200: OfferOut, 201: OfferOut, **ERRORS},
    summary="Make a sealed offer (approved supplier partners)",
)
def offer_save(request, id: int, payload: OfferIn):
    """For members of an approved supplier partner with a competence matching the call's kind (403 otherwise),
    until the end of the deadline day while the call is open (409 after). A fixed `price_dkk`, or `hours` at
    `hourly_rate_dkk` (default: the published rate). One offer per supplier: sending another replaces it (200).
    Until the award only the caller, the secretariat and the supplier itself see it."""
    user = request.auth
    call = getters.get_call(id)
    supplier = organisation_for(
        user,
        payload.supplier,
        field="supplier",
        kinds=(Organisation.Kind.SUPPLIER,),
        nobody=_("Offers are made by members of a supplier partner."),
    )
    steps.check(steps.OFFER, call, user, supplier=supplier)
    offer = services.offer_save(call=call, user=user, supplier=supplier, data=payload.dict(exclude={"supplier"}))
    return Status(201 if offer.created else 200, Offer.objects.select_related("supplier").get(pk=offer.pk))


@router.get(
    "calls/{id}/offers",
    auth=None,
    response={200: list[OfferOut], **PUBLIC_ERRORS},
    summary="The offers you may see on a call",
    openapi_extra=OPTIONAL_TOKEN,
)
@paginate(LimitOffset)
def offer_list(request, id: int):
    """Offers are sealed: the caller and the secretariat see every offer; a supplier sees its own; after the
    award everyone (also without a token) sees the awarded one. Cheapest first."""
    return getters.visible_offers(viewer(request), getters.get_call(id)).order_by("price_dkk", "pk")


@router.post(
    "calls/{id}/award",
    response={200: CallOut, **ERRORS},
    summary="Award a call to one offer (the caller)",
)
def call_award(request, id: int, payload: AwardIn):
    """Only the group or organisation that made the call (403 for everyone else), once (409 the second time).
    The winner and the other offering suppliers are told; the awarded offer becomes public."""
    user = request.auth
    call = getters.get_call(id)
    refused = steps.refusal(steps.AWARD, call, user)
    if isinstance(refused, PermissionDenied | TransitionConflict):
        raise refused
    # A call without offers has none to choose: the offer named is then not one of its own (400), as below.
    offer = Offer.objects.filter(pk=payload.offer, call=call).select_related("supplier").first()
    services.call_award(call=call, user=user, offer=offer)
    return _fresh_call(call)
