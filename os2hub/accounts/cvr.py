"""Looking a company up in the CVR register, when the site is configured to.

`settings.CVR_LOOKUP_URL` is the address of a service that answers JSON about one CVR number, with `{cvr}` where
the number goes (without it the number is added at the end), for example
`https://cvrapi.dk/api?country=dk&vat={cvr}`. Empty (the default) means no lookup: people type the name and
address themselves, and nothing else changes. The answer is read the way cvrapi.dk writes it: `name`,
`address`, `zipcode`, `city`, and `error` when the number is not found.

The lookup only fills in a form; the person checks what it found and saves. It never decides anything, so a
slow or failing register costs a message, not a page: it waits at most `CVR_LOOKUP_TIMEOUT` seconds (default 3).
Tests replace `fetch_json` or point the setting at a local server; they never reach the network.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from os2hub.core.text import strip_control_characters

MAX_BYTES = 64 * 1024  # one company's facts; anything bigger is not an answer we want


class CvrLookupFailed(Exception):
    """The register could not answer (unreachable, too slow, an answer that is not JSON). The message says so in
    words a person understands, in the active language."""


class CvrNotFound(Exception):
    """The register answered that it does not know the number."""


@dataclass(frozen=True)
class CompanyFacts:
    cvr: str
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""

    def as_form_data(self) -> dict[str, str]:
        return {"name": self.name, "street": self.street, "postcode": self.postcode, "city": self.city}


def enabled() -> bool:
    return bool(getattr(settings, "CVR_LOOKUP_URL", ""))


def fetch_json(url: str, timeout: float):
    """GET `url` and return its JSON, or None when the service says it does not know the number (HTTP 404)."""
    request = urllib.request.Request(  # noqa: S310 - the address is the operator's setting, not user input
        url, headers={"Accept": "application/json", "User-Agent": f"OS2hub ({settings.SITE_URL})"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise
    if len(body) > MAX_BYTES:
        raise ValueError("answer too large")
    return json.loads(body)


def _text(value, limit: int) -> str:
    return " ".join(strip_control_characters(str(value or "")).split())[:limit]


def lookup(cvr: str) -> CompanyFacts | None:
    """The company's name and address from the register; None when no lookup is configured.

    `cvr` must be a valid CVR number already (accounts.numbers.clean_cvr). Raises CvrNotFound or CvrLookupFailed.
    """
    template = getattr(settings, "CVR_LOOKUP_URL", "")
    if not template:
        return None
    url = template.replace("{cvr}", cvr) if "{cvr}" in template else template + cvr
    timeout = float(getattr(settings, "CVR_LOOKUP_TIMEOUT", 3))
    try:
        data = fetch_json(url, timeout)
    except (OSError, ValueError) as exc:  # URLError, timeouts and refused connections are OSErrors
        raise CvrLookupFailed(
            _(
                "The CVR register could not be reached just now. Type the name and address yourself, or try "
                "again in a moment."
            )
        ) from exc
    not_found = CvrNotFound(_("CVR number %(cvr)s was not found in the CVR register. Check the number.") % {"cvr": cvr})
    if data is None:
        raise not_found
    error = data.get("error") if isinstance(data, dict) else "not an object"
    if error and str(error).upper().replace(" ", "_") != "NOT_FOUND":
        # cvrapi.dk says QUOTA_EXCEEDED, INVALID_UA and the like in the same field.
        raise CvrLookupFailed(
            _("The CVR register could not answer just now. Type the name and address yourself, or try again later.")
        )
    if error or not data.get("name"):
        raise not_found
    postcode = _text(data.get("zipcode"), 4)
    return CompanyFacts(
        cvr=cvr,
        name=_text(data.get("name"), 200),
        street=_text(data.get("address"), 200),
        postcode=postcode if postcode.isdigit() else "",
        city=_text(data.get("city"), 100),
    )
