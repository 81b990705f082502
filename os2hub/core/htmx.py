"""One URL, page or fragment (ARCHITECTURE rule 6)."""


def wants_fragment(request) -> bool:
    """An htmx request wants only the fragment; a history restore (back button after the cache expired)
    needs the whole page again."""
    return bool(request.htmx) and not request.htmx.history_restore_request
