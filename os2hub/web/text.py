"""Checks on free text from users that every form and endpoint shares."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def text_errors(data: dict, *, single_line=()) -> dict[str, list[str]]:
    """Per field: NUL characters are refused everywhere (PostgreSQL cannot store them); line breaks are refused
    in one-line fields (names and titles end up in e-mail headers, calendar lines and page titles)."""
    errors = {}
    for key, value in data.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[key] = [_("The text contains a NUL character, which is not allowed.")]
        elif key in single_line and ("\n" in value or "\r" in value):
            errors[key] = [_("This field must be a single line.")]
    return errors


def check_text(data: dict, *, single_line=()) -> None:
    """Raise ValidationError with the errors of text_errors, if any."""
    errors = text_errors(data, single_line=single_line)
    if errors:
        raise ValidationError(errors)
