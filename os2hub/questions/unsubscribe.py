"""Signed unsubscribe links for question mail (RFC 8058 one-click, and a confirm page for people).

A token names one person and what they follow: a question's thread ("q") or a need ("n", needs.Follow, whose
followers get the answers to public questions on the need). It is signed with the site's secret and a salt of
its own, so it cannot be made up or changed, and it works without signing in (PRODUCT.md: anyone can
unsubscribe without logging in). It does not expire: an old e-mail's link must still work."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "os2hub.questions.unsubscribe"


@dataclass
class Subscription:
    user_id: int
    kind: str  # "q" (a question's thread) or "n" (a need)
    pk: int


def make_token(user, *, question=None, need=None) -> str:
    kind, pk = ("q", question.pk) if question is not None else ("n", need.pk)
    return signing.dumps([user.pk, kind, pk], salt=SALT, compress=True)


def read_token(token: str) -> Subscription | None:
    """The subscription a token names, or None for a forged, changed or malformed one."""
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or value[1] not in ("q", "n")
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in (value[0], value[2]))
    ):
        return None
    return Subscription(value[0], value[1], value[2])


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("questions:unsubscribe", args=[token])


def headers(token: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and POST to the link without asking the person."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
