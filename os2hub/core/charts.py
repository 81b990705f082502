"""Numbers turned into the geometry of small charts, drawn as inline SVG by the templates in
`templates/components/chart_*.html`: a progress bar (a value of a total), a segmented bar (shares of a whole) and
columns over time (counts per year or quarter, optionally cumulative).

Pure functions on plain numbers and dates: no queries, no Django models, so pages keep their query counts and the
geometry is tested on its own. Every coordinate is handed to the templates as a string with a point for the
decimal separator (`svg_number`): Django localises numbers in templates, and "37,5" is no SVG length. The charts
carry no meaning the text beside them does not: each template shows the numbers as text too (WCAG 1.1.1, 1.4.1).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# How many distinct fills the stylesheet (static/os2hub/charts.css) has for segments and legend swatches; a bar
# with more segments reuses them, its legend still names each one in order.
FILLS = 6


def _number(value) -> float:
    """A finite, non-negative float from an int, float, Decimal or numeric string; anything else (None, NaN,
    infinity, text, a negative number) counts as 0, so a chart never fails on odd data."""
    if value is None or isinstance(value, bool):
        return 0.0
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        return 0.0
    if not math.isfinite(number) or number < 0:
        return 0.0
    return number


def svg_number(value: float) -> str:
    """A coordinate for an SVG attribute: at most two decimals, a point, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True)
class Progress:
    """`value` of `total`: `percent` (0-100, clamped) for the bar; `ratio` is the true share, above 1 when the
    value exceeds the total; `width` is the filled part as an SVG percentage."""

    value: float
    total: float
    ratio: float
    percent: float
    width: str
    complete: bool
    over: bool

    @property
    def percent_text(self) -> str:
        """The share rounded to a whole percent, for text (0 for a total of 0)."""
        return str(round(self.ratio * 100)) if self.total else "0"


def progress(value, total) -> Progress:
    """A progress bar of `value` of `total`. A negative or missing value counts as 0; a total of 0 (or less)
    draws an empty bar rather than dividing by zero; a value above the total fills the bar and sets `over`."""
    v, t = _number(value), _number(total)
    ratio = v / t if t else 0.0
    percent = max(0.0, min(100.0, ratio * 100))
    return Progress(
        value=v,
        total=t,
        ratio=ratio,
        percent=percent,
        width=svg_number(percent),
        complete=bool(t) and v >= t,
        over=bool(t) and v > t,
    )


@dataclass(frozen=True)
class Segment:
    """One part of a segmented bar: `x` and `width` are SVG percentages of the bar's width."""

    label: str
    value: float
    share: float
    x: str
    width: str
    fill: int  # 1..FILLS, the class chart-fill-N

    @property
    def percent_text(self) -> str:
        return str(round(self.share * 100))


@dataclass(frozen=True)
class Segments:
    total: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def visible(self) -> list[Segment]:
        """The segments wide enough to draw (every segment still appears in the legend)."""
        return [s for s in self.segments if s.value > 0]


def segments(items: Iterable[tuple[str, object]]) -> Segments:
    """A segmented bar from (label, value) pairs, in the order given. Negative or missing values count as 0;
    when everything is 0 the bar is empty. The segments' x and width are computed from cumulative sums, so they
    always end exactly at 100 % and never overlap, whatever the rounding."""
    pairs = [(str(label), _number(value)) for label, value in items]
    total = sum(v for _label, v in pairs)
    result = []
    running = 0.0
    for n, (label, v) in enumerate(pairs):
        start = running / total * 100 if total else 0.0
        running += v
        end = running / total * 100 if total else 0.0
        start, end = round(start, 2), round(end, 2)
        result.append(
            Segment(
                label=label,
                value=v,
                share=v / total if total else 0.0,
                x=svg_number(start),
                width=svg_number(max(0.0, end - start)),
                fill=n % FILLS + 1,
            )
        )
    return Segments(total=total, segments=result)


def top_with_rest(items: Iterable[tuple[str, object]], *, keep: int, rest_label: str, total=None) -> list:
    """The `keep` largest (label, value) pairs, largest first, and one pair for all the others (`rest_label`),
    left out when it is 0. With `total` the rest is what the kept ones do not account for (items may list only
    the largest)."""
    pairs = sorted(((str(label), _number(value)) for label, value in items), key=lambda p: (-p[1], p[0]))
    kept = pairs[:keep]
    if total is None:
        rest = sum(v for _label, v in pairs[keep:])
    else:
        rest = max(0.0, _number(total) - sum(v for _label, v in kept))
    return kept + ([(rest_label, rest)] if rest > 0 else [])


# --- Columns over time ------------------------------------------------------------------------------------------


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def period_of(day: date, period: str) -> tuple[int, int]:
    """(year, quarter) for "quarter", (year, 0) for "year"."""
    if period == "quarter":
        return day.year, (day.month - 1) // 3 + 1
    if period == "year":
        return day.year, 0
    raise ValueError(f"Unknown period: {period}")


def _next(key: tuple[int, int], period: str) -> tuple[int, int]:
    year, quarter = key
    if period == "quarter":
        return (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return year + 1, 0


def label_of(key: tuple[int, int], period: str) -> str:
    year, quarter = key
    return f"{year} Q{quarter}" if period == "quarter" else str(year)


def counts_per_period(dates: Iterable, *, period: str = "year", cumulative: bool = False,
                      until: date | None = None) -> list[tuple[str, int, int]]:  # fmt: skip
    """[(label, new in the period, total so far)] for every period from the first date's to the last's (or to
    `until`), gaps included, so the time axis is even. Datetimes count on their date; None is skipped. With
    `cumulative` the second number is still the period's own count; the third is always the running total."""
    days = sorted(d for d in (_day(v) for v in dates) if d is not None)
    if not days:
        return []
    counts: dict[tuple[int, int], int] = {}
    for day in days:
        key = period_of(day, period)
        counts[key] = counts.get(key, 0) + 1
    key, last = period_of(days[0], period), period_of(max(days[-1], until or days[-1]), period)
    rows, running = [], 0
    while key <= last:
        running += counts.get(key, 0)
        rows.append((label_of(key, period), counts.get(key, 0), running))
        key = _next(key, period)
    return rows


@dataclass(frozen=True)
class Column:
    label: str
    value: float
    x: str
    y: str
    width: str
    height: str
    label_x: str  # the middle of the column, for its labels
    value_y: str  # where the value is written, above the column

    @property
    def text(self) -> str:
        return value_text(self.value)


@dataclass(frozen=True)
class Columns:
    columns: list[Column]
    maximum: float
    width: int
    height: int
    baseline: str  # the y of the axis line
    label_y: str  # the y of the period labels under the axis

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def columns(points: Iterable[tuple[str, object]], *, width: int = 320, height: int = 160,
            max_columns: int = 12) -> Columns:  # fmt: skip
    """Column geometry in a `width` x `height` view box for (label, value) pairs, oldest first: room for a value
    above each column and a label below the axis. Only the last `max_columns` points are drawn (the templates'
    tables list them all). Values below 0 count as 0; all zeros draw no columns above the axis."""
    pairs = [(str(label), _number(value)) for label, value in points][-max_columns:]
    top, bottom = 20.0, 24.0  # room for the values above the tallest column, the labels below the axis
    plot = height - top - bottom
    baseline = height - bottom
    maximum = max((v for _label, v in pairs), default=0.0)
    slot = width / len(pairs) if pairs else float(width)
    bar = slot * 0.6
    result = []
    for n, (label, v) in enumerate(pairs):
        h = v / maximum * plot if maximum else 0.0
        x = n * slot + (slot - bar) / 2
        result.append(
            Column(
                label=label,
                value=v,
                x=svg_number(x),
                y=svg_number(baseline - h),
                width=svg_number(bar),
                height=svg_number(h),
                label_x=svg_number(n * slot + slot / 2),
                value_y=svg_number(baseline - h - 6),
            )
        )
    return Columns(result, maximum, width, height, svg_number(baseline), svg_number(height - 6))


def value_text(value: float) -> str:
    """A whole number as text without a decimal part (counts), else as given."""
    return str(int(value)) if float(value).is_integer() else str(value)


__all__ = [
    "Column",
    "Columns",
    "Progress",
    "Segment",
    "Segments",
    "columns",
    "counts_per_period",
    "progress",
    "segments",
    "svg_number",
    "top_with_rest",
]
