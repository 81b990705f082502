"""Checks on free text from users that every form and endpoint shares, and the cleaning of stored text on its way
out (feeds, calendars, e-mails, exports)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Characters no text of ours needs and that break what text is written into: C0 controls other than TAB, LF and
# CR (XML 1.0 cannot carry them, so one of them in a news post would break the Atom feed for everyone), DEL, the
# C1 controls U+0080-U+009F, lone surrogates (not characters at all; UTF-8 cannot encode them) and the
# noncharacters U+FFFE and U+FFFF (not allowed in XML either).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(value: str) -> str | None:
    """The first control character in value (see CONTROL_CHARACTERS), or None."""
    found = CONTROL_CHARACTERS.search(value)
    return found.group() if found else None


def strip_control_characters(value):
    """Value without the characters of CONTROL_CHARACTERS; anything that is not a string is returned as it is.
    For output: what is stored already (old rows, imports, the admin) must never break a feed, an e-mail or an
    export, whatever input checks say today."""
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", value)


def text_errors(data: dict, *, single_line=()) -> dict[str, list[str]]:
    """Per field: NUL and the other control characters of CONTROL_CHARACTERS are refused everywhere (PostgreSQL
    cannot store NUL; feeds, calendars, e-mails and exports cannot carry the others); line breaks are refused in
    one-line fields (names and titles end up in e-mail headers, calendar lines and page titles)."""
    errors = {}
    for key, value in data.items():
        if isinstance(value, list | tuple):  # a list of texts (user stories, acceptance criteria)
            value = "\n".join(v for v in value if isinstance(v, str))
        if not isinstance(value, str):
            continue
        found = control_character(value)
        if found == "\x00":
            errors[key] = [_("The text contains a NUL character, which is not allowed.")]
        elif found is not None:
            errors[key] = [
                _("The text contains an invisible control character (%(code)s), which is not allowed. Remove it.")
                % {"code": f"U+{ord(found):04X}"}
            ]
        elif key in single_line and ("\n" in value or "\r" in value):
            errors[key] = [_("This field must be a single line.")]
    return errors


def check_text(data: dict, *, single_line=()) -> None:
    """Raise ValidationError with the errors of text_errors, if any."""
    errors = text_errors(data, single_line=single_line)
    if errors:
        raise ValidationError(errors)
