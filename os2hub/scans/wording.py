"""The scanner's messages in the reader's language.

The scanner (os2hub.scanner, no Django) says what it found in English and gives each message as a template with
parameters as well (scanner.messages); its templates are marked for the catalogues and translated here, through
gettext, when a page shows them or a proposal is written into an answer. Scans' own reasons for a failed scan
are templates of the same form (`reason`). A message stored without its template (a scan result from before
the templates, or written by another scanner) is shown as it is, in English.
"""

from django.utils.translation import get_language, gettext, gettext_noop

from os2hub.scanner.messages import Message, render, templates


def translated(template: dict | None, english: str) -> str:
    """The message in the current language, as far as the catalogues have it."""
    if not template:
        return english
    return render(template, gettext)


def language(template: dict | None) -> str:
    """ "en" when the message stays English on a page in another language (for the lang attribute), else ""."""
    if (get_language() or "en").startswith("en"):
        return ""
    if not template:
        return "en"
    # Translated when any of its templates is ("%(subject)s, %(osi)s." reads the same in Danish; its parts do not).
    return "" if any(gettext(t) != t for t in templates(template)) else "en"


def reason(text: str, **params) -> tuple[str, dict]:
    """A reason for a failed scan of scans' own: the English sentence and its template."""
    message = Message(text, params)
    return str(message), message.as_data()


# Scans' own reasons for a failed scan.
STALE = gettext_noop("The scan did not finish in time; its worker may have stopped. Start it again.")
SCANNER_FAILED = gettext_noop("The scanner stopped with an unexpected error; it has been logged for the operators.")
NOT_STORED = gettext_noop("The findings could not be stored; it has been logged for the operators.")
