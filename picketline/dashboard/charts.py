"""Charts drawn on the server as SVG: readable without JavaScript, and named for a screen
reader by their title and description. Every chart is shown beside a table of its figures,
which is what a screen reader reads; the picture is marked as one image."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString

WIDTH = 640
COLOURS = ("#2b6cb0", "#c05621")  # blue, then orange: apart for colour-blind readers too
INK = "#1a202c"
GRID = "#cbd5e0"
NUMBER = ' class="number"'


def _frame(
    chart_id: str, title: str, description: str, height: int, body: SafeString
) -> SafeString:
    return format_html(
        '<svg class="dashboard-chart" role="img" aria-labelledby="{0}-t {0}-d" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-t">{3}</title><desc id="{0}-d">{4}</desc>{5}</svg>',
        chart_id,
        WIDTH,
        height,
        title,
        description,
        body,
    )


def by_day(
    chart_id: str, title: str, description: str, days: Sequence[tuple[date, int]]
) -> SafeString:
    """One bar a day; the highest value and the first and last day are written on it."""
    # The title is written on top too: several of these stand one under the other.
    height, top, bottom, left = 170, 34, 20, 40
    plot_width, plot_height = WIDTH - left - 4, height - top - bottom
    highest = max((n for _day, n in days), default=0)
    step = plot_width / max(len(days), 1)
    # Numbers only, written here (a format_html call per bar would be most of the page's time).
    parts = []
    for index, (_day, n) in enumerate(days):
        bar = plot_height * n / highest if highest else 0
        parts.append(
            f'<rect x="{left + index * step + step * 0.1:.1f}" y="{top + plot_height - bar:.1f}" '
            f'width="{max(step * 0.8, 0.5):.1f}" height="{bar:.1f}" fill="{COLOURS[0]}"/>'
        )
    bars = SafeString("".join(parts))
    body = format_html(
        '<text x="{0}" y="16" font-size="13" font-weight="bold" fill="{7}">{14}</text>'
        '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}"/>'
        '<line x1="{0}" y1="{4}" x2="{2}" y2="{4}" stroke="{3}"/>'
        '<text x="{5}" y="{6}" font-size="11" fill="{7}" text-anchor="end">{8}</text>'
        '<text x="{5}" y="{9}" font-size="11" fill="{7}" text-anchor="end">0</text>'
        "{10}"
        '<text x="{0}" y="{11}" font-size="11" fill="{7}">{12}</text>'
        '<text x="{2}" y="{11}" font-size="11" fill="{7}" text-anchor="end">{13}</text>',
        left,
        top,
        WIDTH - 4,
        GRID,
        top + plot_height,
        left - 4,
        top + 4,
        INK,
        highest,
        top + plot_height,
        bars,
        height - 4,
        days[0][0].isoformat() if days else "",
        days[-1][0].isoformat() if days else "",
        title,
    )
    return _frame(chart_id, title, description, height, body)


def bars(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str] = (),
) -> SafeString:
    """Horizontal bars, one group per row (one or two values each), the value written at the
    end of each bar; with ``series`` named, a legend on top."""
    per_row = max((len(values) for _label, values in rows), default=1)
    bar_height, gap, label_width = 14, 8, 200
    legend = 20 if series else 0
    height = legend + len(rows) * (per_row * bar_height + gap) + gap
    highest = max((max(values, default=0) for _label, values in rows), default=0)
    room = WIDTH - label_width - 60
    parts = []
    for index, name in enumerate(series):
        x = label_width + index * 160
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="14" font-size="12" fill="{}">{}</text>',
                x,
                COLOURS[index % 2],
                x + 16,
                INK,
                name,
            )
        )
    y = legend + gap
    for label, values in rows:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end">{}</text>',
                label_width - 6,
                y + bar_height * per_row / 2 + 4,
                INK,
                label if len(label) <= 30 else label[:29] + "…",
            )
        )
        for index, value in enumerate(values):
            width = room * value / highest if highest else 0
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                    label_width,
                    y,
                    f"{width:.1f}",
                    bar_height - 2,
                    COLOURS[index % 2],
                    f"{label_width + width + 4:.1f}",
                    y + bar_height - 4,
                    INK,
                    value,
                )
            )
            y += bar_height
        y += gap
    return _frame(chart_id, title, description, height, SafeString("".join(parts)))


def table(caption: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> SafeString:
    """The figures of a chart as a table: the first cell of each row heads it, the others are
    numbers (built here rather than in a template: a year of days is thousands of cells)."""
    head = "".join(
        f'<th scope="col"{NUMBER if index else ""}>{escape(column)}</th>'
        for index, column in enumerate(columns)
    )
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="number">{escape(cell)}</td>' for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return SafeString(
        f"<table><caption>{conditional_escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
