"""Template filters that hand numbers to core.charts for the chart components (templates/components/chart_*.html).
They read only what the page already loaded: no queries."""

from datetime import datetime

from django import template
from django.utils import timezone

from os2hub.core import charts

register = template.Library()


@register.filter
def progress_of(value, total):
    """`value|progress_of:total` -> core.charts.Progress for components/chart_progress.html."""
    return charts.progress(value, total)


@register.filter
def over_years(items, attribute="created_at"):
    """`rows|over_years:"created_at"` -> {"chart": Columns of the running total per year, "rows": [(year, new,
    total)]} for components/chart_columns.html; None when there is nothing to draw. Reads the attribute of
    objects already loaded (a prefetched relation), so it adds no query."""
    rows = charts.counts_per_period(
        (_local_day(getattr(item, attribute, None)) for item in items), period="year", until=timezone.localdate()
    )
    if not rows:
        return None
    return {"chart": charts.columns([(label, total) for label, _new, total in rows], max_columns=10), "rows": rows}


def _local_day(value):
    """The date in Copenhagen of a stored (UTC) time, so a year starts at local midnight."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localdate(value)
    return value
