"""Writing news posts and events. Pages (and later the API) call these; each checks who may write."""

from django.core.exceptions import PermissionDenied, ValidationError

from os2hub.core.text import text_errors
from os2hub.products.getters import can_edit_product
from os2hub.products.models import Product

from .models import Event, NewsPost

NEWS_FIELDS = ("title", "body")
EVENT_FIELDS = ("title", "description", "starts_at", "ends_at", "location", "online_url", "registration_url")
SINGLE_LINE = ("title", "location", "online_url", "registration_url")


def _require_editor(product: Product, user) -> None:
    if not can_edit_product(user, product):
        raise PermissionDenied


def _apply(instance, data: dict, fields: tuple[str, ...]) -> None:
    """Copy the given fields, refusing NUL characters (PostgreSQL cannot store them) and line breaks in
    one-line fields (titles become calendar SUMMARY lines and page titles)."""
    values = {f: data[f].strip() if isinstance(data[f], str) else data[f] for f in fields if f in data}
    errors = text_errors(values, single_line=SINGLE_LINE)
    for field, value in values.items():
        if value is None and field not in ("starts_at", "ends_at"):
            value = ""
        setattr(instance, field, value)
    if errors:
        raise ValidationError(errors)


def news_create(*, product: Product, user, data: dict) -> NewsPost:
    _require_editor(product, user)
    post = NewsPost(product=product, author=user)
    _apply(post, data, NEWS_FIELDS)
    post.full_clean(exclude=["product", "author"])
    post.save()
    return post


def news_update(*, post: NewsPost, user, data: dict) -> NewsPost:
    _require_editor(post.product, user)
    _apply(post, data, NEWS_FIELDS)
    post.full_clean(exclude=["product", "author"])
    post.save()
    return post


def news_delete(*, post: NewsPost, user) -> None:
    _require_editor(post.product, user)
    post.delete()


def event_create(*, product: Product, user, data: dict) -> Event:
    _require_editor(product, user)
    event = Event(product=product)
    _apply(event, data, EVENT_FIELDS)
    event.full_clean(exclude=["product"])
    event.save()
    return event


def event_update(*, event: Event, user, data: dict) -> Event:
    _require_editor(event.product, user)
    _apply(event, data, EVENT_FIELDS)
    event.full_clean(exclude=["product"])
    event.save()
    return event


def event_delete(*, event: Event, user) -> None:
    _require_editor(event.product, user)
    event.delete()
