"""Keep the garbage collector out of a worker's way.

1. Once Django is set up and the URLconf is loaded (every view, the API's schemas), the objects made so far (some
   135,000: modules, models, URL patterns, pydantic validators) live as long as the process. gc.freeze() moves
   them to a generation the collector never walks, so a full collection walks only what the requests made: with a
   page of 50 development requests in the API (some 700 pledges), a full collection took about 110 ms before and
   14 ms after.
2. A page like that makes some 20,000 container objects that live until the response is written. With Python's
   default thresholds (700, 10, 10) the collector runs dozens of times per request and promotes them all, and a
   full collection follows every few requests. With (20,000, 20, 20) it runs a few times per request and rarely
   fully; cyclic garbage is still collected, a few megabytes later. Measured on the development API's funding
   list (benchmarks/results.md): p95 64–77 ms with the defaults, 42–45 ms with these.
"""

import gc

from django.urls import get_resolver

THRESHOLDS = (20_000, 20, 20)


def freeze_startup() -> None:
    get_resolver().reverse_dict  # imports the URLconf and fills the resolver's lookups  # noqa: B018
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
