"""Money in the reader's language: `1.234,50 kr.` in Danish, `DKK 1,234.50` in English."""

from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language


def format_dkk(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    if (get_language() or "da").startswith("da"):
        return f"{number}\u00a0kr."
    return f"DKK\u00a0{number}"
