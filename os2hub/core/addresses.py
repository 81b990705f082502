"""Web addresses that users give us must point to the public internet, not inside a network."""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")


def is_public_host(host: str) -> bool:
    host = (host or "").strip().strip("[]").rstrip(".").lower()
    if not host or host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # A name: it must at least look like a public domain (a dot and a top-level label of letters).
        return "." in host and host.rsplit(".", 1)[-1].isalpha()
    return address.is_global and not address.is_multicast


def validate_public_url(value: str) -> None:
    try:
        parts = urlsplit(value or "")
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValidationError(_("Enter a valid web address."), code="invalid") from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("Enter a web address that starts with https:// or http://."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(_("The web address must not contain a user name or password."), code="userinfo")
    if not is_public_host(parts.hostname or ""):
        raise ValidationError(
            _("The web address must point to a public website, not to a local or internal network address."),
            code="private",
        )


def clean_links(links, *, field: str, most: int, refusal: str, accept=None) -> list[str]:
    """A list of links people typed (a list, or text with one per line): trimmed, empty lines and repeats left
    out, each a public https address of at most 500 characters, or something `accept(link)` lets through (a Jira
    key). Anything else is named in a ValidationError on `field` with `refusal` (which has %(link)s), as is a list
    longer than `most`."""
    if isinstance(links, str):
        links = links.splitlines()
    cleaned, errors = [], []
    for raw in links or []:
        link = str(raw).strip()
        if not link:
            continue
        if accept is None or not accept(link):
            try:
                validate_public_url(link)
                if not link.startswith("https://") or any(ch.isspace() for ch in link) or len(link) > 500:
                    raise ValidationError("https")
            except ValidationError:
                errors.append(refusal % {"link": link[:100]})
                continue
        if link not in cleaned:
            cleaned.append(link)
    if len(cleaned) > most:
        errors.append(gettext("Give at most %(max)s links.") % {"max": most})
    if errors:
        raise ValidationError({field: errors})
    return cleaned
