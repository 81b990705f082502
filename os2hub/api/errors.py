"""Every error answer of the API has one shape: {"detail": str, "errors": [{"field": str | None, "message": str}]}.

The handlers translate the exceptions our services and ninja raise; endpoints never build error responses.
An exception nobody expected is still a 500, in the same shape, logged and reported like any server error.
"""

import logging

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.core.signals import got_request_exception
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from os2hub.core.workflow import TransitionConflict

logger = logging.getLogger("django.request")

# Where ninja found a bad value; the client knows its own field names without it.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}
BODY_PARAM = "payload"


class ApiError(Exception):
    """An answer an endpoint shapes itself, for when a service's exception does not carry enough."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, str(detail), errors or []


class FieldError(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError]


def error_items(exc: ValidationError, *, field: str | None = None) -> list[dict]:
    """One item per message. A ValidationError without fields is reported on `field` (None: the request)."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if name == NON_FIELD_ERRORS else name, "message": str(message)}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": field, "message": str(message)} for message in exc.messages]


def _ninja_field(loc) -> str | None:
    """("body", "payload", "competences", 0) -> "competences.0"; ("query", "limit") -> "limit"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        # A schema body parameter puts its own name in front of the client's field names; every endpoint
        # names that parameter `payload` (BODY_PARAM) so it can be taken off here.
        # A missing or empty body is reported on the whole request (field null).
        if source in ("body", "form") and parts[:1] == [BODY_PARAM]:
            parts = parts[1:]
    return ".".join(parts) or None


def register(api: NinjaAPI) -> None:
    def respond(request, status, detail, errors=(), headers=None):
        response = api.create_response(request, {"detail": str(detail), "errors": list(errors)}, status=status)
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    @api.exception_handler(ValidationError)
    def django_validation_error(request, exc: ValidationError):
        items = error_items(exc)
        detail = items[0]["message"] if len(items) == 1 else _("The request contains invalid values.")
        return respond(request, 400, detail, items)

    @api.exception_handler(NinjaValidationError)
    def request_validation_error(request, exc: NinjaValidationError):
        items = [
            {"field": _ninja_field(error.get("loc", ())), "message": str(error.get("msg", ""))} for error in exc.errors
        ]
        return respond(request, 422, _("The request does not match the schema."), items)

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        return respond(request, 403, str(exc) or _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return respond(request, 404, _("Not found"))

    @api.exception_handler(TransitionConflict)
    def transition_conflict(request, exc: TransitionConflict):
        return respond(request, 409, str(exc))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc: AuthenticationError):
        return respond(
            request,
            401,
            _("Authentication required: send the header Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(RequestDataTooBig)
    def request_too_big(request, exc: RequestDataTooBig):
        return respond(request, 413, _("The request body is too large."))

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc: Exception):
        # Too many fields, malformed multipart and the like; Django would answer with an HTML 400.
        return respond(request, 400, _("The request could not be read."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja's own: unparseable body (400), throttling (429), ...
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        headers = {"Retry-After": str(int(exc.wait))} if exc.wait else {}
        return respond(request, 429, _("Too many requests. Wait a moment and try again."), headers=headers)

    @api.exception_handler(OverflowError)
    def overflow(request, exc: OverflowError):
        # An integer too large for the database (SQLite raises; PostgreSQL simply finds nothing).
        return respond(request, 400, _("A number in the request is too large."))

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        # Logged as Django logs a 500 (with the traceback, to the same logger and its e-mail handler), and the
        # signal that error reporters and Django's test client listen to is sent; only the answer's shape differs.
        logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
        got_request_exception.send(sender=None, request=request)
        return respond(request, 500, _("Something went wrong on our side. The error has been logged."))
