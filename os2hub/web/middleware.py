import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class LanguageMiddleware:
    """Danish unless the person chose otherwise with the language switcher (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; OS2hub is a Danish service
    first, so the browser's preference alone does not switch its pages to English. API clients, which set
    Accept-Language on purpose, get what they ask for.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.languages and request.path.startswith("/api/"):
            # API clients choose explicitly with Accept-Language.
            code = translation.get_language_from_request(request)
        if code not in self.languages:
            code = settings.LANGUAGE_CODE
        # The language is the request's only: the thread goes back to what it had, so work done after the request
        # in the same thread (a test, a task run in-process) is not in this visitor's language.
        with translation.override(code):
            request.LANGUAGE_CODE = code
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        response.headers.setdefault("Vary", "Cookie")
        return response


class RequestSizeLimitMiddleware:
    """Refuse request bodies larger than any upload we accept, before Django reads them to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.OS2HUB_MAX_REQUEST_BYTES:
            return refuse(request, 413, _("The request is too large. Files may be at most 20 MB."), "413.html")
        return self.get_response(request)


def refuse(request, status, message, template, errors=()):
    """An answer the edge gives before any view: the API's error shape under /api/, the styled page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"detail": message, "errors": list(errors)}
        return HttpResponse(json.dumps(body), status=status, content_type="application/json")
    return render(request, template, {"message": message}, status=status)


def _bad_request(request, message, field=None):
    return refuse(request, 400, message, "400.html", [{"field": field, "message": message}])


def _nul_at(value, path=()) -> tuple | None:
    """Where the first NUL character is in a parsed JSON document, as a path of keys and indices (None: nowhere).
    A NUL in a key is reported at the object holding it."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return path
        found = _nul_at(item, (*path, key))
        if found is not None:
            return found
    return None


# Marked for the catalogue here, translated when answered, in the visitor's language.
NUL_MESSAGE = gettext_noop("The request contains a NUL character, which is not allowed.")


class MalformedInputMiddleware:
    """Refuse, at the edge, input that no page or endpoint can mean and that the database cannot store.

    PostgreSQL refuses NUL characters in text (psycopg raises before the query runs), so a NUL in a path, a
    query string or a JSON body would otherwise surface as a 500 wherever it reached a query. Integers too large
    for a 64-bit column overflow on SQLite the same way. Both get a 400 that says what is wrong.
    Forms already refuse NUL in their fields (Django's CharField); multipart bodies are left to them and to the
    API's own validation, so uploads are never read here.
    """

    JSON_TYPES = ("application/json",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return _bad_request(request, _(NUL_MESSAGE), "path")
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return _bad_request(request, _(NUL_MESSAGE), key.replace("\x00", "") or None)
        if request.path.startswith("/api/") and request.content_type in self.JSON_TYPES:
            where = self._nul_in_json(request)
            if where is not None:
                # Named as the API names fields elsewhere: "answers.0.links.1"; null for the whole body.
                return _bad_request(request, _(NUL_MESSAGE), ".".join(str(p) for p in where) or None)
        return self.get_response(request)

    @staticmethod
    def _nul_in_json(request) -> tuple | None:
        try:
            body = request.body
        except RequestDataTooBig:
            return None  # the API answers 413 itself
        # JSON can only carry NUL as an escape (a raw NUL byte makes it invalid, which the API reports itself).
        if b"\\u0000" not in body and b"\x00" not in body:
            return None
        try:
            return _nul_at(json.loads(body))
        except (ValueError, RecursionError):
            return None

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return _bad_request(request, _("A number in the request is too large."))
        return None
