"""The load benchmark's URLconf (benchmarks/load.py): the site's own, after a bare view that answers without
touching the database or a template. The bare view still goes through the whole middleware stack, so it is the
floor a page's throughput is compared with. It comes first, so its URL resolves in one step: the comparison does
not flatter the pages."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    response = HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
    # Never from the anonymous page cache: the floor is the view itself, run on every request.
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("os2hub.urls")),
]
