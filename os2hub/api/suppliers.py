"""Supplier partners (public) and the partnership application workflow (authenticated).

Endpoints parse input, look the application up through os2hub.suppliers.getters, call
os2hub.suppliers.services and shape the answer; validation and permissions live in those modules.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate

from os2hub.suppliers import selectors, services
from os2hub.suppliers.getters import (
    get_application_for_user,
    get_public_profile,
    supplier_organisation_for_admin,
)
from os2hub.suppliers.models import Competence, ContactPerson, SupplierApplication

from .errors import ApiError, ErrorOut
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    DecisionIn,
    LimitOffset,
    PricesIn,
    SupplierOut,
)

AppStatus = SupplierApplication.Status

router = Router(tags=["suppliers"])

ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
PUBLIC_ERRORS = dict.fromkeys((400, 404, 422), ErrorOut)


# --- Approved partners (public) ---------------------------------------------------------------------------


def _approved_suppliers(competence: str | None):
    # Competences, prices and commit domains come in one query each, whatever the number of rows (see the
    # query-count test).
    return (
        selectors.partner_list(competence=competence)
        .prefetch_related("prices", "commit_domains")
        .order_by("organisation_name", "pk")
    )


@router.get(
    "suppliers",
    auth=None,
    response={200: list[SupplierOut], **PUBLIC_ERRORS},
    summary="Approved supplier partners",
)
@paginate(LimitOffset)
def supplier_list(request, competence: str | None = None):
    """Approved partners only, by name; `competence` filters on one competence key."""
    if competence and competence not in Competence.values:
        raise ValidationError(
            {
                "competence": _("Unknown competence %(key)s; use one of: %(keys)s.")
                % {"key": competence, "keys": ", ".join(Competence.values)}
            }
        )
    return _approved_suppliers(competence)


@router.get("suppliers/{slug}", auth=None, response={200: SupplierOut, **PUBLIC_ERRORS}, summary="One partner")
def supplier_detail(request, slug: str):
    return get_public_profile(slug)


# --- Applications (the applying supplier's admins and the secretariat) ------------------------------------


REPRESENTATION = ("competences", "prices", "contacts", "events")


def _applications():
    return SupplierApplication.objects.select_related("organisation").prefetch_related(*REPRESENTATION)


def _fresh(application: SupplierApplication) -> SupplierApplication:
    """The application as it is now, with everything the representation shows prefetched."""
    return _applications().get(pk=application.pk)


@router.get(
    "supplier-applications",
    response={200: list[ApplicationOut], **ERRORS},
    summary="Applications the caller may see",
)
@paginate(LimitOffset)
def application_list(request, status: str | None = None):
    """The applications of the caller's organisations; the secretariat sees all. Newest first."""
    user = request.auth
    if status and status not in AppStatus.values:
        raise ValidationError(
            {"status": _("Unknown status %(status)s; use one of: %(statuses)s.")
             % {"status": status, "statuses": ", ".join(AppStatus.values)}}
        )  # fmt: skip
    # The same rule as get_application_for_user: members of the applying organisation may read.
    found = selectors.application_list(user=user, status=status)
    return found.prefetch_related(*REPRESENTATION).order_by("-created_at", "-pk")


@router.post("supplier-applications", response={201: ApplicationOut, **ERRORS}, summary="Start an application")
def application_create(request, payload: ApplicationIn):
    """For the supplier organisation the caller administers. Starts as a draft."""
    user = request.auth
    organisation = supplier_organisation_for_admin(user)
    if organisation is None:
        raise PermissionDenied(_("Only an administrator of a supplier organisation can apply for a partnership."))
    application = services.application_create(organisation=organisation, user=user, data=payload.dict())
    return Status(201, _fresh(application))


@router.get("supplier-applications/{id}", response={200: ApplicationOut, **ERRORS}, summary="One application")
def application_detail(request, id: int):
    return _fresh(get_application_for_user(request.auth, id))


@router.patch("supplier-applications/{id}", response={200: ApplicationOut, **ERRORS}, summary="Change company data")
def application_update(request, id: int, payload: ApplicationPatch):
    """Only the fields sent are changed; all or nothing."""
    application = get_application_for_user(request.auth, id, write=True)
    services.application_update(application=application, user=request.auth, data=payload.dict(exclude_unset=True))
    return _fresh(application)


def _upload(request, id, setter, file):
    application = get_application_for_user(request.auth, id, write=True)
    try:
        setter(application=application, user=request.auth, upload=file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    return _fresh(application)


@router.post(
    "supplier-applications/{id}/logo",
    response={200: ApplicationOut, **ERRORS},
    summary="Upload the logo (PNG, JPEG or WebP, exactly 800×800)",
)
def application_logo(request, id: int, file: UploadedFile = File(...)):
    return _upload(request, id, services.application_set_logo, file)


@router.post(
    "supplier-applications/{id}/vector-logo",
    response={200: ApplicationOut, **ERRORS},
    summary="Upload the vector logo (SVG)",
)
def application_vector_logo(request, id: int, file: UploadedFile = File(...)):
    return _upload(request, id, services.application_set_vector_logo, file)


@router.post(
    "supplier-applications/{id}/agreement",
    response={200: ApplicationOut, **ERRORS},
    summary="Upload the signed partner agreement (PDF)",
)
def application_agreement(request, id: int, file: UploadedFile = File(...)):
    return _upload(request, id, services.application_set_agreement, file)


@router.post(
    "supplier-applications/{id}/code-of-conduct",
    response={200: ApplicationOut, **ERRORS},
    summary="Accept OS2's Code of Conduct (the current version)",
)
def application_code_of_conduct(request, id: int):
    application = get_application_for_user(request.auth, id, write=True)
    services.application_accept_code_of_conduct(application=application, user=request.auth)
    return _fresh(application)


@router.put(
    "supplier-applications/{id}/prices",
    response={200: ApplicationOut, **ERRORS},
    summary="Set hourly rates",
)
def application_prices(request, id: int, payload: PricesIn):
    """In a draft the rates replace the draft rates; once approved they are added from `valid_from` (default
    today), so the published price history never changes."""
    application = get_application_for_user(request.auth, id, write=True)
    services.prices_set(
        application=application,
        user=request.auth,
        rates={entry.competence: entry.hourly_rate_dkk for entry in payload.price_list},
        valid_from=payload.valid_from or timezone.localdate(),
    )
    return _fresh(application)


@router.post(
    "supplier-applications/{id}/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Add a contact person",
)
def contact_create(request, id: int, payload: ContactIn):
    application = get_application_for_user(request.auth, id, write=True)
    contact = services.contact_save(application=application, user=request.auth, data=payload.dict())
    return Status(201, contact)


def _contact(request, id, contact_id):
    application = get_application_for_user(request.auth, id, write=True)
    return application, get_object_or_404(ContactPerson, pk=contact_id, application=application)


@router.patch(
    "supplier-applications/{id}/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS},
    summary="Change a contact person",
)
def contact_update(request, id: int, contact_id: int, payload: ContactPatch):
    application, contact = _contact(request, id, contact_id)
    return services.contact_save(
        application=application, user=request.auth, data=payload.dict(exclude_unset=True), contact=contact
    )


@router.delete(
    "supplier-applications/{id}/contacts/{contact_id}",
    response={204: None, **ERRORS},
    summary="Remove a contact person",
)
def contact_delete(request, id: int, contact_id: int):
    application, contact = _contact(request, id, contact_id)
    services.contact_delete(application=application, user=request.auth, contact=contact)
    return Status(204, None)


@router.post(
    "supplier-applications/{id}/submit",
    response={200: ApplicationOut, **ERRORS},
    summary="Submit for review",
)
def application_submit(request, id: int):
    """400 lists what is missing (one error per item); 409 when the application is not a draft or waiting
    for changes."""
    application = get_application_for_user(request.auth, id, write=True)
    try:
        services.application_submit(application=application, user=request.auth)
    except ValidationError as exc:
        missing = application.missing_for_submission()
        if not missing:
            raise
        raise ApiError(400, exc.messages[0], [{"field": None, "message": str(item)} for item in missing]) from None
    return _fresh(application)


@router.post(
    "supplier-applications/{id}/decision",
    response={200: ApplicationOut, **ERRORS},
    summary="Decide on a submitted application (the secretariat)",
)
def application_decision(request, id: int, payload: DecisionIn):
    """`decision`: approve, request_changes or reject; a comment is required unless approving."""
    application = get_application_for_user(request.auth, id)
    services.application_decide(
        application=application, user=request.auth, decision=payload.decision, comment=payload.comment
    )
    return _fresh(application)
