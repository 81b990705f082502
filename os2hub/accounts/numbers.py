"""Danish public-sector identifiers: CVR (company number) and EAN (GLN for public e-invoicing).

Checksums come from python-stdnum; this module only adds the messages users see.
"""

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
