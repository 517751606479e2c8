"""The council report's charts, written as plain inline SVG.

No chart library and no script: a bar chart is a few rectangles and
labels, and hand-written SVG prints exactly as it shows. Every label and
attribute goes through `e()` (user text can reach a measure's name or
unit), and axis numbers are short ("34.9 M").
"""

from __future__ import annotations

from twindesk.bundle.html_page import e
from twindesk.bundle.report import AreaCount, Period, SeriesLine, titled
from twindesk.services.money import figure, is_currency
from twindesk.text import axis_ticks, short_number

ACCENT = "#1f5f8b"
PARTIAL = "#8fb3cf"  # the year that is not over
BEFORE = "#b9c9d6"
GRID = "#dde4ea"
TEXT = "#1d232a"
MUTED = "#5b6770"
FONT = 'font-family="system-ui, sans-serif"'


def _text(x: float, y: float, label: str, *, size: float = 10, anchor: str = "start", fill: str = TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}">{e(label)}</text>')


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{e(label)}" {FONT}>'
            f"<title>{e(label)}</title>{''.join(body)}</svg>")


def series_chart(series: SeriesLine, period: Period) -> str:
    """Bars for one measure over the chart's years; the current year, not
    over yet, is lighter and marked "to date"."""
    width, height, left, right, top, bottom = 300, 190, 50, 8, 30, 36
    values = [v for _, v in series.by_year]
    ticks = axis_ticks(max(values, default=0), whole=not is_currency(series.unit))
    ymax = ticks[-1] or 1
    plot_h, plot_w = height - top - bottom, width - left - right
    y = lambda v: top + plot_h * (1 - v / ymax)  # noqa: E731
    title = titled(series.measure, series.unit)
    body = [_text(4, 16, title, size=11.5, weight="bold")]
    for t in ticks:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 5, y(t) + 3.5, short_number(t), size=9, anchor="end", fill=MUTED))
    slot = plot_w / max(len(values), 1)
    bar = slot * 0.62
    for i, (year, value) in enumerate(series.by_year):
        x = left + slot * i + (slot - bar) / 2
        partial = period.to_date and year == period.year
        fill = PARTIAL if partial else ACCENT
        body.append(f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar:.1f}" height="{y(0) - y(value):.1f}" '
                    f'fill="{fill}"/>')
        if value:
            body.append(_text(x + bar / 2, y(value) - 3, short_number(value), size=8.5, anchor="middle"))
        body.append(_text(x + bar / 2, height - bottom + 13, str(year), size=9.5, anchor="middle"))
        if partial:
            body.append(_text(x + bar / 2, height - bottom + 25, "to date", size=8.5, anchor="middle", fill=MUTED))
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{MUTED}"/>')
    label = f"{title}: " + "; ".join(f"{year} {figure(v, series.unit)}" for year, v in series.by_year)
    return _svg(width, height, label, body)


def area_chart(counts: tuple[AreaCount, ...], period: Period) -> str:
    """Outcomes per cooperation area: this period's bar over the same period's a year before."""
    row, left, right, top = 46, 200, 50, 34
    width = 680
    height = top + row * len(counts) + 8
    top_value = max([c.outcomes for c in counts] + [c.before for c in counts] + [0])
    ticks = axis_ticks(top_value, whole=True)
    xmax = ticks[-1] or 1
    plot_w = width - left - right
    x = lambda v: left + plot_w * v / xmax  # noqa: E731
    body = [
        f'<rect x="{left}" y="6" width="12" height="10" fill="{ACCENT}"/>',
        _text(left + 17, 15, period.label, size=10),
        f'<rect x="{left + 150}" y="6" width="12" height="10" fill="{BEFORE}"/>',
        _text(left + 167, 15, period.before_label, size=10),
    ]
    for t in ticks:
        body.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top - 6}" y2="{height - 8}" stroke="{GRID}"/>')
        body.append(_text(x(t), top - 9, short_number(t), size=8.5, anchor="middle", fill=MUTED))
    for i, count in enumerate(counts):
        y0 = top + row * i
        body.append(_text(left - 8, y0 + 20, f"{count.number}. {count.name}", size=10.5, anchor="end"))
        for j, (value, fill) in enumerate(((count.outcomes, ACCENT), (count.before, BEFORE))):
            yb = y0 + 6 + j * 17
            body.append(f'<rect x="{left}" y="{yb}" width="{x(value) - left:.1f}" height="14" fill="{fill}"/>')
            body.append(_text(x(value) + 4, yb + 11, f"{value:,}", size=9))
    label = "Outcomes per cooperation area: " + "; ".join(
        f"{c.name} {c.outcomes:,} ({c.before:,} a year before)" for c in counts)
    return _svg(width, height, label, body)
