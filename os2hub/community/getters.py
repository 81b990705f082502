"""One door per permission for news posts and events: everyone reads; the product's coordinator and the
secretariat write (`can_edit_product`). Anyone else gets 404 on a write, as for the product itself."""

from django.http import Http404

from os2hub.products.getters import can_edit_product

from .models import Event, NewsPost


def get_news_for_user(user, product, pk, *, write=False) -> NewsPost:
    post = NewsPost.objects.filter(product=product, pk=pk).select_related("author").first()
    if post is None or (write and not can_edit_product(user, product)):
        raise Http404
    post.product = product  # already loaded; saves a query in get_absolute_url
    return post


def get_event_for_user(user, product, pk, *, write=False) -> Event:
    event = Event.objects.filter(product=product, pk=pk).first()
    if event is None or (write and not can_edit_product(user, product)):
        raise Http404
    event.product = product
    return event
