"""Accessible SVG line charts over dates, and the data table that goes with each.

Pure functions over plain values: no I/O, no JavaScript, no fonts beyond the page's. The
diary pages and the doctor's report use them alike (WeasyPrint draws inline SVG). Every
chart carries ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words what the
lines show, so a screen reader, a printed page and a text-only export tell the same story;
``data_table`` gives the numbers themselves (put it in a ``<details>`` under the chart).

Series are told apart by dash pattern and marker shape as well as colour (never colour
alone), and a missing value breaks the line: a gap is "not recorded", never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

__all__ = ["HIGHER_IS_BETTER", "HIGHER_IS_WORSE", "Series", "Threshold", "data_table",
           "describe_chart", "line_chart"]

HIGHER_IS_WORSE = "higher_is_worse"
HIGHER_IS_BETTER = "higher_is_better"
_DIRECTION_NOTE = {
    HIGHER_IS_WORSE: "Higher is worse.",
    HIGHER_IS_BETTER: "Higher is better.",
}

# Colour, dash pattern and marker per series, in order: distinct in greyscale too.
_STYLES = (
    ("#1d4f91", "", "circle"),
    ("#a4432b", "6 4", "square"),
    ("#2f6f3e", "2 3", "diamond"),
    ("#5c3d8a", "10 3 2 3", "triangle"),
)
_THRESHOLD_COLOUR = "#505a5f"


@dataclass(frozen=True, slots=True)
class Series:
    """One line: a label and its (day, value) points; ``None`` is "not recorded"."""

    label: str
    points: Sequence[tuple[date, float | None]]


@dataclass(frozen=True, slots=True)
class Threshold:
    """A horizontal reference line with its label (e.g. "30 % better than the start: 4.9")."""

    value: float
    label: str


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _day(value: date, with_year: bool = True) -> str:
    return f"{value.day} {value:%b %Y}" if with_year else f"{value.day} {value:%b}"


def _span(series: Sequence[Series], start: date | None,
          end: date | None) -> tuple[date, date] | None:
    days = [d for s in series for d, _ in s.points]
    if start is not None:
        days.append(start)
    if end is not None:
        days.append(end)
    if not days:
        return None
    return (start or min(days), end or max(days))


def describe_chart(
    series: Sequence[Series],
    *,
    title: str,
    y_label: str,
    thresholds: Sequence[Threshold] = (),
    direction: str = HIGHER_IS_WORSE,
) -> str:
    """The chart in words (its ``<desc>``): per line the days recorded, lowest, highest and
    latest value; then each threshold; then which way is better."""
    parts = [f"{title}."]
    for s in series:
        known = [(d, v) for d, v in s.points if v is not None]
        if not known:
            parts.append(f"{s.label}: nothing recorded.")
            continue
        values = [v for _, v in known]
        last_day, last = known[-1]
        first_day = known[0][0]
        plural = "" if len(known) == 1 else "s"
        parts.append(
            f"{s.label} ({y_label}): {len(known)} day{plural} recorded from "
            f"{_day(first_day)} to {_day(last_day)}, lowest {_fmt(min(values))}, highest "
            f"{_fmt(max(values))}, latest {_fmt(last)} on {_day(last_day)}."
        )
    for t in thresholds:
        parts.append(f"Line at {_fmt(t.value)}: {t.label}.")
    parts.append(_DIRECTION_NOTE.get(direction, ""))
    return " ".join(p for p in parts if p)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return (f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" '
                f'fill="{colour}"/>')
    if shape == "diamond":
        return (f'<path d="M{x:.1f} {y - 4:.1f} L{x + 4:.1f} {y:.1f} L{x:.1f} {y + 4:.1f} '
                f'L{x - 4:.1f} {y:.1f} Z" fill="{colour}"/>')
    if shape == "triangle":
        return (f'<path d="M{x:.1f} {y - 4:.1f} L{x + 4:.1f} {y + 3:.1f} '
                f'L{x - 4:.1f} {y + 3:.1f} Z" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def line_chart(
    series: Sequence[Series],
    *,
    y_min: float,
    y_max: float,
    title: str,
    y_label: str,
    x_label: str = "Date",
    thresholds: Sequence[Threshold] = (),
    direction: str = HIGHER_IS_WORSE,
    start: date | None = None,
    end: date | None = None,
    chart_id: str = "chart",
    width: int = 480,
    height: int = 280,
) -> str:
    """An SVG line chart of ``series`` over dates (``start``..``end``; by default the span
    of the points), y from ``y_min`` to ``y_max`` (values outside are drawn at the edge),
    with labelled horizontal ``thresholds``. Returns SVG markup: ``role="img"``, a
    ``<title>`` (``title``) and a ``<desc>`` (``describe_chart``), ids prefixed by
    ``chart_id`` (unique per page). All text is escaped."""
    if y_max <= y_min:
        raise ValueError("y_max must be greater than y_min")
    if direction not in _DIRECTION_NOTE:
        raise ValueError(f"direction must be {HIGHER_IS_WORSE!r} or {HIGHER_IS_BETTER!r}")
    left, right, top, bottom = 48, 16, 16, 58 + 16 * max(0, len(series) - 2)
    plot_w, plot_h = width - left - right, height - top - bottom
    span = _span(series, start, end)
    desc = describe_chart(series, title=title, y_label=y_label, thresholds=thresholds,
                          direction=direction)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-family="inherit" font-size="13">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>',
    ]

    def y_of(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return top + plot_h - (clamped - y_min) / (y_max - y_min) * plot_h

    # Axes and horizontal grid: five steps.
    out.append(f'<g aria-hidden="true" stroke="#b1b4b6" stroke-width="1">'
               f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
               f'y2="{top + plot_h}"/><line x1="{left}" y1="{top}" x2="{left}" '
               f'y2="{top + plot_h}"/></g>')
    out.append('<g aria-hidden="true" fill="#0b0c0c">')
    for step in range(6):
        value = y_min + (y_max - y_min) * step / 5
        y = y_of(value)
        out.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                   f'stroke="#e5e6e7" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{escape(_fmt(value))}</text>')
    out.append(f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
               f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(y_label)}</text>')
    out.append("</g>")
    if span is None:
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" '
                   f'text-anchor="middle" aria-hidden="true">Nothing recorded yet</text>')
        out.append("</svg>")
        return "".join(out)
    first, last = span
    days = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return left + (day - first).days / days * plot_w

    # Date ticks: at most six, first and last always.
    out.append('<g aria-hidden="true" fill="#0b0c0c">')
    count = min(4, (last - first).days) or 1
    same_year = first.year == last.year
    for n in range(count + 1):
        day = date.fromordinal(first.toordinal() + round((last - first).days * n / count))
        x = x_of(day)
        anchor = "start" if n == 0 else ("end" if n == count else "middle")
        out.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" '
                   f'y2="{top + plot_h + 4}" stroke="#b1b4b6"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}">'
                   f'{escape(_day(day, with_year=not same_year))}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32}" '
               f'text-anchor="middle">{escape(x_label)}</text>')
    out.append("</g>")
    # Threshold lines, labelled at their right end (below the line when two are close).
    label_ys: list[float] = []
    for t in thresholds:
        y = y_of(t.value)
        label_y = y - 4
        if any(abs(label_y - used) < 13 for used in label_ys):
            label_y = y + 16
        label_ys.append(label_y)
        out.append(f'<g aria-hidden="true"><line x1="{left}" y1="{y:.1f}" '
                   f'x2="{left + plot_w}" y2="{y:.1f}" stroke="{_THRESHOLD_COLOUR}" '
                   f'stroke-width="1.5" stroke-dasharray="1 4" stroke-linecap="round"/>'
                   f'<text x="{left + plot_w - 4}" y="{label_y:.1f}" text-anchor="end" '
                   f'fill="{_THRESHOLD_COLOUR}" stroke="#ffffff" stroke-width="3" '
                   f'paint-order="stroke">{escape(t.label)}</text></g>')
    # The lines: a gap wherever a value is missing.
    for index, s in enumerate(series):
        colour, dash, shape = _STYLES[index % len(_STYLES)]
        segments: list[list[tuple[float, float]]] = [[]]
        for day, point in sorted(s.points, key=lambda p: p[0]):
            if point is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x_of(day), y_of(point)))
        out.append('<g aria-hidden="true">')
        for points in segments:
            if len(points) > 1:
                path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}"
                                for i, (x, y) in enumerate(points))
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<path d="{path}" fill="none" stroke="{colour}" '
                           f'stroke-width="2"{dash_attr}/>')
            out.extend(_marker(shape, x, y, colour) for x, y in points)
        out.append("</g>")
    # Legend under the axis label: sample line, marker and name.
    out.append('<g aria-hidden="true" fill="#0b0c0c">')
    for index, s in enumerate(series):
        colour, dash, shape = _STYLES[index % len(_STYLES)]
        row, col = divmod(index, 2)
        lx = left + col * (plot_w / 2)
        ly = top + plot_h + 48 + row * 16
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 24:.1f}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(_marker(shape, lx + 12, ly - 4, colour))
        out.append(f'<text x="{lx + 30:.1f}" y="{ly}">{escape(s.label)}</text>')
    out.append("</g></svg>")
    return "".join(out)


def data_table(
    series: Sequence[Series],
    *,
    caption: str,
    date_header: str = "Date",
    missing: str = "not recorded",
) -> str:
    """The numbers behind a chart as an HTML table: one row per day (oldest first), one
    column per series; an empty cell says ``missing``. All text is escaped."""
    days = sorted({d for s in series for d, _ in s.points})
    lookup = [{d: v for d, v in s.points} for s in series]
    head = "".join(f'<th scope="col">{escape(s.label)}</th>' for s in series)
    rows = []
    for day in days:
        cells = []
        for values in lookup:
            value = values.get(day)
            cells.append(f"<td>{escape(_fmt(value)) if value is not None else escape(missing)}"
                         "</td>")
        rows.append(f'<tr><th scope="row">{escape(_day(day))}</th>{"".join(cells)}</tr>')
    return (f'<table class="chart-data"><caption>{escape(caption)}</caption>'
            f'<thead><tr><th scope="col">{escape(date_header)}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
