"""Keep what lives as long as a worker out of the garbage collector's walks.

Once Django is set up and the URLconf is loaded (every view, the API's schemas), the objects made so far (some
150,000: modules, models, URL patterns, pydantic validators) live as long as the process. gc.freeze() moves them
to a generation the collector never walks, so a full collection walks only what the requests made. With a page of
50 development requests in the API (some 700 pledges), a full collection took about 110 ms before and 14 ms after;
the page's p95 fell from about 170 ms to 60 ms (benchmarks/development.py, which freezes the same way)."""

import gc

from django.urls import get_resolver


def freeze_startup() -> None:
    get_resolver().reverse_dict  # imports the URLconf and fills the resolver's lookups  # noqa: B018
    gc.collect()
    gc.freeze()
