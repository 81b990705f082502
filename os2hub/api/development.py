"""Development requests (API.md "Development requests"): file and qualify a request against a product, estimates
by supplier partners, pledges by authorities when the community pays, and the transitions of the workflow.

Endpoints parse input, find the request the caller may see, call os2hub.development.services (the only writers)
and shape the answer; the rules live there and in os2hub/development/workflow.py (which step a `to` means, who
may take it, where a status can be reached from).
Amounts are read as numbers or strings and handed to the services as text, so that a fractional øre is refused
rather than rounded away; they are answered as JSON numbers.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from os2hub.accounts.models import Organisation
from os2hub.core.workflow import TransitionConflict
from os2hub.development import attachments, services, workflow
from os2hub.development.getters import visible_requests
from os2hub.development.models import DevelopmentRequest, Estimate, Pledge, RequestEvent, Sprint
from os2hub.development.selectors import request_list as requests_for
from os2hub.development.workflow import REQUEST_WORKFLOW
from os2hub.products.models import Product

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
from .schemas import Attributes, EventOut, LimitOffset

router = Router(tags=["development requests"])

RequestStatus = DevelopmentRequest.Status
Funding = DevelopmentRequest.Funding


# --- Schemas ----------------------------------------------------------------------------------------------------


class SprintOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date


class PledgeOut(Attributes):
    id: int
    organisation: OrganisationOut
    amount_dkk: float
    created_at: datetime


class EstimateOut(Attributes):
    id: int
    supplier: OrganisationOut
    hours: float
    hourly_rate_dkk: float = Field(description="Shown also when the price is a fixed price.")
    fixed_price_dkk: float | None
    price_dkk: float = Field(description="The fixed price when there is one, else hours × hourly rate.")
    start_conditions: str
    critical_integrations: str
    code_location: str = Field(description="Where the code will live and how it fits the architecture.")
    reviewer: str = Field(description="Who reviews the code.")
    review_cost_dkk: float | None
    valid_until: date | None = Field(description="How long the offer stands.")
    created_at: datetime


class AttachmentOut(Schema):
    id: int
    title: str
    kind: str = Field(description="pdf, docx, pptx, odt, png or jpg: judged from the content.")
    size: int = Field(description="Bytes.")
    url: str = Field(description="The download (always served as an attachment).")
    uploaded_at: datetime

    @staticmethod
    def resolve_url(obj):
        return reverse("development:attachment", args=[obj.request_id, obj.pk])


class RequestOut(Schema):
    id: int
    product: str = Field(description="The product's slug.")
    requester: OrganisationOut
    title: str
    description: str
    user_stories: list[str]
    acceptance_criteria: list[str]
    documentation_requirements: str
    funding: str | None = Field(description="requester or community; null while a draft has not chosen.")
    status: str = Field(
        description="draft, submitted, estimated, funding, ordered, in_progress, delivered, accepted, rejected or "
        "withdrawn."
    )
    missing: list[str] = Field(description="The fields that keep a draft from being submitted; empty otherwise.")
    price_dkk: float | None = Field(description="The chosen estimate's price; null until one is chosen.")
    pledged_dkk: float = Field(description="The sum of the active pledges.")
    remaining_dkk: float | None = Field(description="What the community still has to pledge; null without a price.")
    pledges: list[PledgeOut] = Field(description="Active pledges only.")
    estimates: list[EstimateOut] = Field(description="Cheapest first.")
    chosen_estimate: int | None = Field(description="The id of the estimate that was ordered or is being funded.")
    sprint: SprintOut | None
    attachments: list[AttachmentOut] = Field(description="Oldest first.")
    work_links: list[str] = Field(description="Issues and pull requests where the work happens.")
    acceptance_results: list[bool] = Field(description="One per acceptance criterion once accepted.")
    history: list[EventOut] = Field(description="Every transition, oldest first.")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug

    @staticmethod
    def resolve_funding(obj):
        return obj.funding or None

    @staticmethod
    def resolve_missing(obj):
        if obj.status != RequestStatus.DRAFT:
            return []
        return list(services.missing_for_submission(obj))

    @staticmethod
    def resolve_pledges(obj):
        return obj.active_pledges

    @staticmethod
    def resolve_estimates(obj):
        return list(obj.estimates.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_chosen_estimate(obj):
        return obj.chosen_estimate_id

    @staticmethod
    def resolve_work_links(obj):
        return [str(link) for link in obj.work_links or []]

    @staticmethod
    def resolve_history(obj):
        return list(obj.events.all())


class RequestIn(Schema):
    product: str = Field(max_length=100, description="The product's slug.")
    title: str
    description: str = Field("", description="What is wanted, why, and who needs it (hvad, hvorfor, hvem).")
    user_stories: list[str] = Field(
        [], description="Each in the form “Som ‹rolle› ønsker jeg ‹behov›, således at jeg kan ‹værdi›”."
    )
    acceptance_criteria: list[str] = Field([], description="Testable criteria: the acceptance checklist.")
    documentation_requirements: str = ""
    funding: str = Field("", description="Who pays: requester or community (required to submit).")
    organisation: str | None = Field(
        None,
        max_length=100,
        description="The slug of the authority or supplier filing the request. Left out: the caller's only one.",
    )


class RequestPatch(Schema):
    title: str | None = None
    description: str | None = None
    user_stories: list[str] | None = None
    acceptance_criteria: list[str] | None = None
    documentation_requirements: str | None = None
    funding: str | None = Field(None, description="requester or community.")


class EstimateIn(Schema):
    hours: Amount
    hourly_rate_dkk: Amount | None = Field(None, description="Left out: the supplier's published rate.")
    fixed_price_dkk: Amount | None = Field(None, description="When given, the price; the rate is shown too.")
    start_conditions: str = ""
    critical_integrations: str = ""
    code_location: str = Field("", description="Where the code will live and how it fits the architecture.")
    reviewer: str = Field("", description="Who reviews the code.")
    review_cost_dkk: Amount | None = None
    valid_until: date | None = Field(None, description="How long the offer stands.")
    supplier: str | None = Field(
        None, max_length=100, description="The estimating supplier's slug. Left out: the caller's only supplier."
    )


class PledgeIn(Schema):
    amount_dkk: Amount
    organisation: str | None = Field(
        None,
        max_length=100,
        description="The pledging authority's slug. Left out: the authority the caller administers.",
    )


class FundingOut(Schema):
    id: int
    status: str
    price_dkk: float | None
    pledged_dkk: float
    remaining_dkk: float | None


class PledgeCreatedOut(PledgeOut):
    request: FundingOut = Field(description="The request after the pledge: ordered when it completed the funding.")


class TransitionIn(Schema):
    to: str = Field(
        description="submitted, ordered (requester pays), funding (community pays; the coordination group), "
        "in_progress (start, or send a delivery back), delivered, accepted, rejected or withdrawn."
    )
    estimate: int | None = Field(None, description="The chosen estimate's id (to ordered or funding).")
    comment: str = Field("", max_length=5000, description="Required to reject or to send a delivery back.")
    sprint: int | None = Field(None, description="The sprint's id, when starting the work (to in_progress).")
    checklist: list[bool] | None = Field(
        None, description="One per acceptance criterion, all true, to accept (to accepted)."
    )


# --- Finding requests -------------------------------------------------------------------------------------------


# What the representation shows of an organisation; the rest of its row (profile texts, addresses) stays behind.
ORGANISATION_FIELDS = ("id", "slug", "name")


def _organisation_rest(relation) -> list[str]:
    return [f"{relation}__{f.name}" for f in Organisation._meta.concrete_fields if f.name not in ORGANISATION_FIELDS]


def _with_details(queryset):
    """Everything the representation shows, in a constant number of queries however many requests. Related rows
    load only the columns shown: a page of 50 requests open for funding carries some 700 pledges."""
    organisation = [f"organisation__{f}" for f in ORGANISATION_FIELDS]
    return (
        queryset.select_related("product", "requester", "sprint")
        .defer(*_organisation_rest("requester"))
        .prefetch_related(
            Prefetch(
                "pledges",
                queryset=Pledge.objects.filter(withdrawn_at__isnull=True)
                .select_related("organisation")
                .only("request_id", "amount_dkk", "created_at", *organisation),
                to_attr="active_pledges",
            ),
            Prefetch(
                "estimates",
                queryset=Estimate.objects.select_related("supplier").defer(*_organisation_rest("supplier")),
            ),
            Prefetch("events", queryset=RequestEvent.objects.order_by("created_at", "pk")),
            "attachments",
        )
    )


def _get(user, id) -> DevelopmentRequest:
    """The request, when the user may see it (drafts are their requester's); 404 otherwise."""
    found = visible_requests(user).filter(pk=id).select_related("product", "requester").first()
    if found is None:
        raise Http404
    return found


def _fresh(development_request) -> DevelopmentRequest:
    return _with_details(DevelopmentRequest.objects.filter(pk=development_request.pk)).get()


# --- Requests ---------------------------------------------------------------------------------------------------


@router.get(
    "development-requests",
    auth=None,
    response={200: list[RequestOut], **PUBLIC_ERRORS},
    summary="Development requests",
    openapi_extra=OPTIONAL_TOKEN,
)
@paginate(LimitOffset)
def request_list(
    request,
    product: str | None = Query(None, description="A product's slug."),
    status: str | None = Query(None, description="One of: " + ", ".join(RequestStatus.values) + "."),
    funding: str | None = Query(None, description="requester or community."),
    requester: str | None = Query(None, description="The requesting organisation's slug."),
    pledged_by: str | None = Query(None, description="An authority's slug: requests it has an active pledge on."),
    estimated_by: str | None = Query(None, description="A supplier's slug: requests it has estimated."),
):
    """Every request that has been submitted, newest first; with a token, also the drafts of the caller's
    organisations (the secretariat: all drafts). Filters combine; an unknown `status` or `funding` is 400."""
    check_choice("status", status, RequestStatus.values)
    check_choice("funding", funding, Funding.values)
    return _with_details(
        requests_for(
            user=viewer(request),
            product=product,
            status=status,
            funding=funding,
            requester=requester,
            pledged_by=pledged_by,
            estimated_by=estimated_by,
        )
    )


@router.post(
    "development-requests",
    response={201: RequestOut, **ERRORS},
    summary="File a development request (a draft)",
)
def request_create(request, payload: RequestIn):
    """For members of an authority or a supplier; `organisation` names which one when the caller has several.
    The draft can be changed (PATCH) until it is submitted (POST .../transition {"to": "submitted"})."""
    user = request.auth
    product = Product.objects.filter(slug=slug_or_none(payload.product)).first()
    if product is None:
        raise ValidationError({"product": [_("There is no product “%(slug)s”.") % {"slug": payload.product}]})
    organisation = organisation_for(
        user,
        payload.organisation,
        field="organisation",
        kinds=(Organisation.Kind.AUTHORITY, Organisation.Kind.SUPPLIER),
        nobody=_("Development requests are filed by members of an authority or a supplier."),
    )
    data = payload.dict(exclude={"product", "organisation"})
    created = services.request_create(user=user, organisation=organisation, product=product, data=data)
    return Status(201, _fresh(created))


@router.get(
    "development-requests/{id}",
    auth=None,
    response={200: RequestOut, **PUBLIC_ERRORS},
    summary="One development request",
    openapi_extra=OPTIONAL_TOKEN,
)
def request_detail(request, id: int):
    """Public once submitted; a draft only for its requester's members and the secretariat (404 for everyone
    else)."""
    return _fresh(_get(viewer(request), id))


@router.patch(
    "development-requests/{id}",
    response={200: RequestOut, **ERRORS},
    summary="Change a draft",
)
def request_update(request, id: int, payload: RequestPatch):
    """Only the fields sent are changed; all or nothing. 409 once the request has been submitted."""
    user = request.auth
    found = _get(user, id)
    services.request_update(request=found, user=user, data=payload.dict(exclude_unset=True))
    return _fresh(found)


# --- Estimates --------------------------------------------------------------------------------------------------


@router.post(
    "development-requests/{id}/estimates",
    response={200: EstimateOut, 201: EstimateOut, **ERRORS},
    summary="Estimate a request (approved supplier partners)",
)
def estimate_create(request, id: int, payload: EstimateIn):
    """For members of an approved supplier partner offering software development, while the request is
    submitted or estimated (409 otherwise). The first estimate makes the request estimated. A supplier has one
    estimate per request: sending another replaces it (200)."""
    user = request.auth
    found = _get(user, id)
    supplier = organisation_for(
        user,
        payload.supplier,
        field="supplier",
        kinds=(Organisation.Kind.SUPPLIER,),
        nobody=_("Only approved supplier partners estimate development requests."),
    )
    estimate = services.estimate_save(
        request=found, user=user, supplier=supplier, data=payload.dict(exclude={"supplier"})
    )
    created = estimate.created
    estimate = Estimate.objects.select_related("supplier").get(pk=estimate.pk)
    return Status(201 if created else 200, estimate)


# --- Pledges ----------------------------------------------------------------------------------------------------


@router.post(
    "development-requests/{id}/pledges",
    response={201: PledgeCreatedOut, **ERRORS},
    summary="Pledge an amount (authority admins)",
)
def pledge_create(request, id: int, payload: PledgeIn):
    """While the request is open for funding (409 otherwise). The total never passes the price: a pledge above
    what remains is refused with 409 naming the remaining amount. The pledge that completes the funding orders
    the request (see `request.status`)."""
    user = request.auth
    found = _get(user, id)
    organisation = organisation_for(
        user,
        payload.organisation,
        field="organisation",
        kinds=(Organisation.Kind.AUTHORITY,),
        nobody=_("Only an authority's administrators pledge to development requests."),
        admin_first=True,
    )
    pledge = services.pledge_create(request=found, user=user, organisation=organisation, amount=payload.amount_dkk)
    now = DevelopmentRequest.objects.get(pk=found.pk)
    return Status(
        201,
        {
            "id": pledge.pk,
            "organisation": organisation,
            "amount_dkk": pledge.amount_dkk,
            "created_at": pledge.created_at,
            "request": {
                "id": now.pk,
                "status": now.status,
                "price_dkk": now.price_dkk,
                "pledged_dkk": now.pledged_dkk,
                "remaining_dkk": now.remaining_dkk,
            },
        },
    )


@router.delete(
    "development-requests/{id}/pledges/{pledge_id}",
    response={204: None, **ERRORS},
    summary="Withdraw a pledge",
)
def pledge_withdraw(request, id: int, pledge_id: int):
    """For the pledging authority's admins, until the request is funded (409 after, and for a pledge withdrawn
    already)."""
    user = request.auth
    found = _get(user, id)
    pledge = Pledge.objects.filter(pk=pledge_id, request=found).select_related("organisation").first()
    if pledge is None:
        raise Http404
    services.pledge_withdraw(pledge=pledge, user=user)
    return Status(204, None)


# --- Attachments and links ----------------------------------------------------------------------------------------


@router.post(
    "development-requests/{id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Attach a file to a draft (multipart: title, file)",
)
def attachment_create(request, id: int, title: Form[str], file: UploadedFile = File(...)):
    """The requester's members, while the request is a draft (409 after). PDF, DOCX, PPTX, ODT, PNG or JPEG,
    judged from the content, at most 20 MB and 20 files a request; anything else is 400 with the reason."""
    user = request.auth
    found = _get(user, id)
    attachment = attachments.attachment_add(request=found, user=user, title=title, upload=file)
    return Status(201, attachment)


@router.delete(
    "development-requests/{id}/attachments/{attachment_id}",
    response={204: None, **ERRORS},
    summary="Remove an attachment",
)
def attachment_remove(request, id: int, attachment_id: int):
    """The requester's members while the request is a draft (409 after); the secretariat at any time."""
    user = request.auth
    found = _get(user, id)
    attachments.attachment_delete(attachment=attachments.get_attachment(found, attachment_id), user=user)
    return Status(204, None)


class WorkLinksIn(Schema):
    work_links: list[str] = Field(
        max_length=20, description="Public https addresses of issues and pull requests, or Jira keys (OS2MO-123)."
    )


@router.put(
    "development-requests/{id}/work-links",
    response={200: RequestOut, **ERRORS},
    summary="Set where the work happens",
)
def work_links_set(request, id: int, payload: WorkLinksIn):
    """The requester, the chosen supplier or the coordination group, from submission until accepted; the list
    replaces the old one. An address that is not public https (or not a Jira key) is 400 naming it."""
    user = request.auth
    found = _get(user, id)
    services.request_links_set(request=found, user=user, links=payload.work_links)
    return _fresh(found)


# --- Transitions ------------------------------------------------------------------------------------------------


def _estimate(found, estimate_id):
    """The estimate named; the service refuses anything that is not one of the request's."""
    if estimate_id is None:
        return None
    return Estimate.objects.filter(pk=estimate_id, request=found).select_related("supplier").first()


def _sprint(sprint_id):
    if sprint_id is None:
        return None
    sprint = Sprint.objects.filter(pk=sprint_id).first()
    if sprint is None:
        raise ValidationError({"sprint": [_("There is no sprint %(id)s.") % {"id": sprint_id}]})
    return sprint


# --- Transitions: the step a `to` means is the workflow table's (os2hub/development/workflow.py) ----------------


def _submit(found, user, payload):
    return services.request_submit(request=found, user=user)


def _order(found, user, payload):
    return services.request_order(request=found, user=user, estimate=_estimate(found, payload.estimate))


def _open_funding(found, user, payload):
    return services.funding_open(
        request=found, user=user, estimate=_estimate(found, payload.estimate), comment=payload.comment
    )


def _start(found, user, payload):
    return services.request_start(request=found, user=user, sprint=_sprint(payload.sprint), comment=payload.comment)


def _send_back(found, user, payload):
    return services.request_send_back(request=found, user=user, comment=payload.comment)


def _deliver(found, user, payload):
    return services.request_deliver(request=found, user=user, comment=payload.comment)


def _accept(found, user, payload):
    try:
        return services.request_accept(
            request=found, user=user, checklist=payload.checklist or [], comment=payload.comment
        )
    except ValidationError as exc:
        # The client sends the checklist as `checklist`.
        if hasattr(exc, "error_dict") and "acceptance_results" in exc.error_dict:
            raise ValidationError({"checklist": exc.error_dict["acceptance_results"]}) from None
        raise


def _reject(found, user, payload):
    return services.request_reject(request=found, user=user, comment=payload.comment)


def _withdraw(found, user, payload):
    return services.request_withdraw(request=found, user=user, comment=payload.comment)


S = RequestStatus
# The workflow's steps with a target, by name, to the service that takes them. Which step a `to` means depends on
# where the request is (in_progress: start the work, or send a delivery back); the workflow table answers that,
# and the services decide again, atomically.
TAKE = {
    workflow.SUBMIT: _submit,
    workflow.ORDER: _order,
    workflow.OPEN_FUNDING: _open_funding,
    workflow.START: _start,
    workflow.SEND_BACK: _send_back,
    workflow.DELIVER: _deliver,
    workflow.ACCEPT: _accept,
    workflow.REJECT: _reject,
    workflow.WITHDRAW: _withdraw,
}


def _refusal(current: str, to: str) -> str:
    # In the API's words (the status values a client sends), where the services speak of labels.
    message = _("The request is %(status)s; it cannot go to %(to)s.") % {"status": current, "to": to}
    if to == S.ESTIMATED:
        message += " " + _("It becomes estimated with its first estimate (POST .../estimates).")
    elif to == S.ORDERED and current == S.FUNDING:
        message += " " + _("A request the community pays for is ordered by itself when pledges reach its price.")
    elif to == S.DRAFT:
        message += " " + _("A submitted request does not go back to being a draft.")
    elif allowed := REQUEST_WORKFLOW.sources_of(to):
        allowed = ", ".join(str(status) for status in allowed)
        message += " " + _("It can go there from: %(statuses)s.") % {"statuses": allowed}
    return message


@router.post(
    "development-requests/{id}/transition",
    response={200: RequestOut, **ERRORS},
    summary="Move a request to its next status",
)
def request_transition(request, id: int, payload: TransitionIn):
    """One step of the workflow: draft → submitted → estimated (by the first estimate) → ordered (requester pays:
    the requester, with `estimate`) or funding (community pays: the coordination group, with `estimate`; ordered
    by itself when fully pledged) → in_progress (the supplier or the coordination group, optionally with
    `sprint`) → delivered (the supplier) → accepted (the requester or, when the community pays, the coordination
    group, with `checklist`) or back to in_progress (with `comment`). rejected (the coordination group, with
    `comment`) and withdrawn (the requester) before the request is ordered. A step that does not follow from the
    current status is 409; 400 names what is missing (e.g. the fields of an incomplete draft)."""
    user = request.auth
    found = _get(user, id)
    check_choice("to", payload.to, S.values)
    step = REQUEST_WORKFLOW.leading_to(found.status, payload.to)
    if step is None:
        raise TransitionConflict(_refusal(found.status, payload.to))
    return _fresh(TAKE[step.name](found, user, payload))
