"""The tokens in newsletter links.

Unsubscribe: a signed (topic id, address) pair, django.core.signing with a salt of its own. It is the same for
every issue of the topic, so a link in an old issue still works, and it needs no row in the database: whoever
holds the mail can unsubscribe that address from that topic, and nobody can make a token for another address.

Confirm (double opt-in): a random token sent once by mail; only its SHA-256 is stored, with an expiry.
"""

import hashlib
import secrets

from django.core import signing

UNSUBSCRIBE_SALT = "os2hub.newsletters.unsubscribe"


def unsubscribe_token(topic_id: int, email: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([topic_id, email.lower()], compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(topic id, address) of a genuine token; None for anything forged, cut or malformed."""
    if not isinstance(token, str) or len(token) > 500:
        return None
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
        or "@" not in value[1]
    ):
        return None
    return value[0], value[1]


def new_confirm_token() -> tuple[str, str]:
    """(token for the mail, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, confirm_token_hash(token)


def confirm_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
