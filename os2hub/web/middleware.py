from django.conf import settings
from django.utils import translation


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
        translation.activate(code)
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
            from django.http import HttpResponse
            from django.utils.translation import gettext as _

            message = _("The request is too large. Files may be at most 20 MB.")
            if request.path.startswith("/api/"):
                import json

                return HttpResponse(
                    json.dumps({"detail": message, "errors": []}), status=413, content_type="application/json"
                )
            from django.shortcuts import render

            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
