"""What the apps above products add to the product page.

products is below the apps that build on a product: scans reads the product's repositories and imports products,
so products never imports scans. The product page asks here instead. An app above registers, when Django starts
(in its AppConfig.ready), a function `(user, product) -> dict` with the context its part of the page needs, and
the page's template includes that part. The arrow points up only at run time, through this list.
"""

from collections.abc import Callable

_DETAIL: list[Callable[..., dict]] = []


def add_to_detail(function: Callable[..., dict]) -> Callable[..., dict]:
    """Register `function(user, product) -> dict` for the product page's context. Registering twice is harmless."""
    if function not in _DETAIL:
        _DETAIL.append(function)
    return function


def detail_context(user, product) -> dict:
    """The context every registered app adds to the product page, merged in the order they registered."""
    context: dict = {}
    for function in _DETAIL:
        context |= function(user, product)
    return context
