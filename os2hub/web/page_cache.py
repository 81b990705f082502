"""Whole pages for anonymous visitors, from the shared cache, for PAGE_CACHE_SECONDS (0 turns it off).

Most of OS2hub's traffic is people and crawlers reading public pages without signing in: the catalogue, product
and level pages, the news, the public API lists. For them a page is the same for everyone who asks in the same
language, so it is rendered once and served from the cache until it is PAGE_CACHE_SECONDS old. Anyone signed in
(a session cookie) or calling the API with a token always gets a fresh page, so the people who change something
see it at once; anonymous visitors see it within PAGE_CACHE_SECONDS.

What is never cached: anything but GET and HEAD; requests with cookies other than the language choice and the
CSRF cookie, or with an Authorization header; answers other than 200; answers that set a cookie (a page with a
form sets the CSRF cookie, so its token is never handed to someone else) or say private/no-store; the sign-in,
account and admin pages; answers larger than MAX_BYTES. htmx fragments are cached apart from whole pages.

The middleware sits after the language middleware (the language is part of the key) and before the CSRF and
authentication middleware, so a cached page costs one cache read and no view, template or query.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

MAX_BYTES = 512 * 1024
# Headers that belong to the page and are stored with it; the outer middleware adds the rest to every answer.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
)
NEVER = ("/konto/", "/django-admin/", "/api/docs", "/feeds/")


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(NEVER) or "HTTP_AUTHORIZATION" in request.META:
        return False
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return all(name in allowed for name in request.COOKIES)


def _key(request) -> str:
    parts = [
        request.LANGUAGE_CODE,
        request.META.get("HTTP_HX_REQUEST", ""),
        request.META.get("HTTP_HX_TARGET", ""),
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    return len(response.content) <= MAX_BYTES


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(b"" if request.method == "HEAD" else content)
            for name, value in headers.items():
                response[name] = value
            response["Content-Length"] = str(len(content))
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and _cacheable_response(response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(key, (response.content, headers), seconds)
            response["X-Page-Cache"] = "miss"
        return response
