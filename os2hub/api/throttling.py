"""Rate limits of the API, counted in the shared cache so every worker on every machine counts together.

Two things are limited, each with a rate from settings (see docs/operations.md):
- writes (POST, PUT, PATCH, DELETE) per token owner: `API_THROTTLE_WRITES`, default 120 a minute;
- failed token authentications per client address: `API_THROTTLE_BAD_TOKENS`, default 20 a minute; past it,
  every token from that address is refused with 429 until the window has passed, so tokens cannot be guessed.
Reads are not limited here: they are public or cheap, and a proxy in front limits raw request rates.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import SimpleRateThrottle

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def client_address(request) -> str:
    """The client's address, as the login limits see it: the address that the trusted reverse proxies in front of
    the site (ALLAUTH_TRUSTED_PROXY_COUNT, from TRUSTED_PROXY_COUNT) appended to X-Forwarded-For, else the
    connection's own. Addresses a client writes into the header itself are never taken."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


class _SettingsRate(SimpleRateThrottle):
    """A SimpleRateThrottle whose rate is read from settings when it counts, so it can be changed per site."""

    setting = ""

    def __init__(self):
        # The rate is resolved per request in allow_request; ninja's constructor wants one now.
        super().__init__(rate="1/s")

    def allow_request(self, request) -> bool:
        rate = getattr(settings, self.setting, None)
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class WriteThrottle(_SettingsRate):
    """Writes per token owner (the user, whichever of their tokens is used)."""

    scope = "write"
    setting = "API_THROTTLE_WRITES"

    def get_cache_key(self, request):
        if request.method in SAFE_METHODS:
            return None
        user = getattr(request, "auth", None)
        ident = f"user-{user.pk}" if getattr(user, "pk", None) else f"address-{client_address(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _bad_token_key(request) -> str:
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"api-bad-token:{digest}:{int(time.time() // 60)}"


def bad_tokens_exceeded(request) -> bool:
    """True when this address has failed token authentication too often in the current minute."""
    limit = _per_minute(getattr(settings, "API_THROTTLE_BAD_TOKENS", None))
    return limit is not None and (cache.get(_bad_token_key(request)) or 0) >= limit


def bad_token_record(request) -> None:
    """Count one failed token authentication from this address (a fixed one-minute window)."""
    if _per_minute(getattr(settings, "API_THROTTLE_BAD_TOKENS", None)) is None:
        return
    key = _bad_token_key(request)
    if not cache.add(key, 1, 61):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 61)


def _per_minute(rate: str | None) -> int | None:
    """'20/min' -> 20; the bad-token window is always one minute."""
    if not rate:
        return None
    count, _sep, period = rate.partition("/")
    if period not in ("m", "min", "minute"):
        raise ValueError(f"API_THROTTLE_BAD_TOKENS must be a rate per minute, like 20/min, not {rate!r}")
    return int(count)
