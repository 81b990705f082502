"""Danish public-sector identifiers: CVR (company number) and EAN (GLN for public e-invoicing), and the e-mail
domain an organisation's people have their addresses at.

Checksums come from python-stdnum; this module only adds the messages users see.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.dk import cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def clean_cvr(value: str) -> str:
    """Return the CVR number as 8 digits, or raise ValidationError with a message a person understands."""
    compact = cvr.compact(value or "")
    try:
        return cvr.validate(compact)
    except InvalidLength:
        raise ValidationError(_("A CVR number has exactly 8 digits."), code="cvr_length") from None
    except InvalidFormat:
        raise ValidationError(_("A CVR number may only contain digits."), code="cvr_format") from None
    except (InvalidChecksum, StdnumError):
        raise ValidationError(
            _("%(value)s is not a valid CVR number (the check digit does not match).") % {"value": compact},
            code="cvr_checksum",
        ) from None


def clean_ean(value: str) -> str:
    """Return the EAN location number as 13 digits, or raise ValidationError."""
    compact = ean.compact(value or "")
    if len(compact) != 13:
        raise ValidationError(_("An EAN number for public invoicing has exactly 13 digits."), code="ean_length")
    try:
        return ean.validate(compact)
    except InvalidFormat:
        raise ValidationError(_("An EAN number may only contain digits."), code="ean_format") from None
    except (InvalidChecksum, StdnumError):
        raise ValidationError(
            _("%(value)s is not a valid EAN number (the check digit does not match).") % {"value": compact},
            code="ean_checksum",
        ) from None


def validate_cvr(value):
    clean_cvr(value)


def validate_ean(value):
    clean_ean(value)


# Public e-mail services: anyone can have an address there, so an address there says nothing about the employer.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "gmail.com",
        "googlemail.com",
        "gmx.com",
        "gmx.net",
        "hotmail.com",
        "hotmail.dk",
        "icloud.com",
        "jubii.dk",
        "live.com",
        "live.dk",
        "mail.dk",
        "me.com",
        "msn.com",
        "outlook.com",
        "outlook.dk",
        "proton.me",
        "protonmail.com",
        "yahoo.com",
        "yahoo.dk",
    }
)
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def clean_email_domain(value: str) -> str:
    """The domain of an organisation's e-mail addresses in lower case ("" when none is given), or
    ValidationError. "@Aarhus.dk" and "navn@aarhus.dk" are read as "aarhus.dk"."""
    domain = (value or "").strip().lower().rsplit("@", 1)[-1].rstrip(".")
    if not domain:
        return ""
    if not DOMAIN.match(domain):
        raise ValidationError(
            _("Write the domain of your e-mail addresses, for example aarhus.dk."), code="email_domain_format"
        )
    if domain in PUBLIC_MAIL_DOMAINS:
        raise ValidationError(
            _("%(domain)s is a public e-mail service. Give the domain of your organisation's own addresses.")
            % {"domain": domain},
            code="email_domain_public",
        )
    return domain


def validate_email_domain(value):
    clean_email_domain(value)
