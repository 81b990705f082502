"""Adoptions spread over the last years, so the product pages' adoption charts have a history to show.

The demo's adoptions are all made the moment the demo loads; real ones came one by one over years. Each product's
adopters (in name order) are given dates from four years ago until this year, the same way every time."""

from datetime import date, datetime, time

from django.utils import timezone

from os2hub.products.models import Adoption, Product

# How many years back the first adopter of a product came.
YEARS = 4


def load() -> int:
    """Backdate the adoptions; returns how many."""
    today = timezone.localdate()
    changed = 0
    for product in Product.objects.order_by("pk"):
        adoptions = list(Adoption.objects.filter(product=product).order_by("organisation__name", "pk"))
        for n, adoption in enumerate(adoptions):
            # Spread over YEARS years, older first, months varying with the position (never in the future).
            year = today.year - YEARS + (n * (YEARS + 1)) // max(1, len(adoptions))
            month = min(12, 1 + (n * 5 + product.pk) % 12) if year < today.year else 1
            when = timezone.make_aware(datetime.combine(date(year, month, 1), time(10, 0)))
            Adoption.objects.filter(pk=adoption.pk).update(created_at=when)
            changed += 1
    return changed
