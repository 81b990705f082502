"""Money in the reader's language: `1.234,50 kr.` in Danish, `DKK 1,234.50` in English."""

import re
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


# A number as people and programs write one: ASCII digits, an optional sign, and an optional point with decimals.
# Python's Decimal reads much more (other scripts' digits such as ١٢٣ and １２３, underscores as in 1_000,
# exponents as in 1e30, NaN and Infinity); none of it is an amount or a number of hours anyone means to give.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# Far longer than any amount we keep (1e300 written out still fits, to be refused as too large); refused unread.
MAX_NUMBER_LENGTH = 1000


def plain_decimal(value) -> Decimal | None:
    """Value as a finite Decimal when it is a plain number (PLAIN_NUMBER as text, an int, or a finite Decimal);
    None for anything else. Whether it fits (its size, its decimals) is for the caller, before any arithmetic:
    quantize raises InvalidOperation on numbers with more digits than the decimal context's precision."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > MAX_NUMBER_LENGTH or not PLAIN_NUMBER.fullmatch(text):
        return None
    return Decimal(text)
