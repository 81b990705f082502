"""Filters that ask the apps' getters whether the viewer may open an object, so a page offers a link only to
those it works for (a link to a page that answers 404 or 403 is a dead end)."""

from django import template

from os2hub.development.getters import visible_requests
from os2hub.needs import call_start

register = template.Library()


@register.filter
def request_visible_to(development_request, user) -> bool:
    """Whether `user` may open the development request: submitted ones are public; a draft is its requester's
    and the secretariat's (development.getters.visible_requests, the one door). One query."""
    if development_request is None:
        return False
    if development_request.status != development_request.Status.DRAFT:
        return True
    return visible_requests(user).filter(pk=development_request.pk).exists()


@register.filter
def may_call(user) -> bool:
    """Whether the person may make a call for suppliers (needs.call_start: an authority's or the secretariat's
    members, a product's coordination group)."""
    return call_start.may_call(user)
