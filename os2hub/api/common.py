"""What the API's routers share: error responses for the OpenAPI document, the optional token of public reads,
amounts as the services read them, the viewer of a public read, organisations named by slug, and choices.

Routers import these public names from here, never another router's private ones."""

from decimal import Decimal
from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from os2hub.accounts.models import Membership, Organisation

from .auth import token_auth
from .errors import ErrorOut
from .schemas import Attributes

ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
PUBLIC_ERRORS = dict.fromkeys((400, 404, 422), ErrorOut)
# Public reads take a token when there is one (a requester sees its own drafts): anonymous, or the bearer token.
OPTIONAL_TOKEN = {"security": [{}, {"TokenAuth": []}]}


def amount_text(value):
    """A number or a string, as text for services.dkk; true/false, lists and objects are not amounts."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("amount", "An amount is a number or a string of digits, e.g. 12500 or 12500.50.")
    if isinstance(value, int):
        return str(value)
    # A JSON number such as 1e30 is written out in digits, so that the service answers what is wrong with it (too
    # large, too many decimals) rather than that it is not written as an amount; NaN and Infinity stay as they are.
    number = Decimal(repr(value)) if isinstance(value, float) else value
    return format(number, "f") if number.is_finite() else str(number)


Amount = Annotated[
    str,
    BeforeValidator(amount_text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "DKK excl. VAT with at most two decimals (øre), as a number or a string of the digits 0-9 "
            "with an optional decimal point.",
        }
    ),
]


class OrganisationOut(Attributes):
    slug: str
    name: str


def viewer(request):
    # Public reads: an absent or unknown token is an anonymous visitor, not a 401.
    return token_auth(request) or AnonymousUser()


def slug_or_none(value: str | None) -> str | None:
    # PostgreSQL cannot even compare with a NUL character.
    return None if value is None or "\x00" in value else value


def organisation_for(user, slug, *, field, kinds, nobody, admin_first=False) -> Organisation:
    """The organisation named by slug; left out, the caller's only organisation of those kinds (with
    admin_first: the only one the caller administers, when there is one)."""
    if slug is not None:
        found = Organisation.objects.filter(slug=slug_or_none(slug)).first()
        if found is None:
            raise ValidationError({field: [_("There is no organisation “%(slug)s”.") % {"slug": slug[:100]}]})
        return found
    memberships = list(
        Membership.objects.filter(user=user, organisation__kind__in=kinds)
        .select_related("organisation")
        .order_by("organisation__slug")
    )
    if admin_first:
        memberships = [m for m in memberships if m.is_admin] or memberships
    if not memberships:
        raise PermissionDenied(nobody)
    if len(memberships) > 1:
        slugs = ", ".join(m.organisation.slug for m in memberships)
        raise ValidationError(
            {field: [_("You are a member of several organisations (%(slugs)s); name one.") % {"slugs": slugs}]}
        )
    return memberships[0].organisation


def check_choice(field, value, choices) -> None:
    if value is not None and value not in choices:
        raise ValidationError(
            {
                field: [
                    _("Unknown %(field)s “%(value)s”; use one of: %(values)s.")
                    % {"field": field, "value": value[:50], "values": ", ".join(choices)}
                ]
            }
        )
