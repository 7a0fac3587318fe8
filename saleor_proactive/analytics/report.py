"""Reports for the app page: a server-rendered SVG chart and a CSV export (no libraries).

The chart shows impressions and clicks per UTC day as lines on the left axis and attributed
conversions as bars on the right axis (they are two orders of magnitude smaller). It carries
`<title>` and `<desc>` with the totals, so a screen reader gets the same facts as the picture.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from xml.sax.saxutils import escape

from .stats import DayPoint, GroupStats, TriggerStats

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 40, 40
COLOURS = {"impressions": "#1f6feb", "clicks": "#d97706", "conversions": "#16a34a"}
# Spreadsheets execute cells that start with these; a leading apostrophe keeps them text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _nice_max(value: int) -> int:
    """The smallest 1/2/5 x 10^k at least `value` (and at least 1), for round axis labels."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= max(value, 1):
                return step * factor
        step *= 10


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * (index + 0.5) / count)


def _y(value: int, top_value: int) -> float:
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top_value


def _text(x: float, y: float, content: str, anchor: str = "middle", colour: str = "#444") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}" '
        f'font-size="11">{escape(content)}</text>'
    )


def chart_svg(points: Sequence[DayPoint], title: str = "Prompts per day") -> str:
    """Impressions, clicks and conversions per day as an accessible SVG document."""
    views = _nice_max(max((max(p.impressions, p.clicks) for p in points), default=0))
    orders = _nice_max(max((p.conversions for p in points), default=0))
    totals = {name: sum(getattr(p, name) for p in points) for name in COLOURS}
    first = points[0].day.isoformat() if points else ""
    last = points[-1].day.isoformat() if points else ""
    description = (
        f"From {first} to {last} (UTC days): {totals['impressions']} impressions, "
        f"{totals['clicks']} clicks, {totals['conversions']} attributed conversions."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="system-ui, sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        *_axes(views, orders, points),
        *_bars(points, orders),
        *(_line(points, name, views) for name in ("impressions", "clicks")),
        *_legend(),
        "</svg>",
    ]
    return "\n".join(parts)


def _axes(views: int, orders: int, points: Sequence[DayPoint]) -> list[str]:
    base, top = HEIGHT - BOTTOM, TOP
    parts = [
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#999"/>',
        f'<line x1="{LEFT}" y1="{top}" x2="{WIDTH - RIGHT}" y2="{top}" stroke="#eee"/>',
        _text(LEFT - 6, base + 4, "0", "end"),
        _text(LEFT - 6, top + 4, str(views), "end"),
        _text(WIDTH - RIGHT + 6, base + 4, "0", "start", COLOURS["conversions"]),
        _text(WIDTH - RIGHT + 6, top + 4, str(orders), "start", COLOURS["conversions"]),
    ]
    if points:
        ticks = sorted({0, len(points) // 2, len(points) - 1})
        parts += [_text(_x(i, len(points)), base + 18, points[i].day.isoformat()) for i in ticks]
    return parts


def _bars(points: Sequence[DayPoint], orders: int) -> list[str]:
    if not points:
        return []
    width = max(1.0, (WIDTH - LEFT - RIGHT) / len(points) * 0.6)
    base = HEIGHT - BOTTOM
    return [
        f'<rect x="{_x(i, len(points)) - width / 2:.1f}" y="{_y(p.conversions, orders):.1f}" '
        f'width="{width:.1f}" height="{base - _y(p.conversions, orders):.1f}" '
        f'fill="{COLOURS["conversions"]}" fill-opacity="0.6">'
        f"<title>{p.day.isoformat()}: {p.conversions} conversions</title></rect>"
        for i, p in enumerate(points)
        if p.conversions
    ]


def _line(points: Sequence[DayPoint], name: str, top_value: int) -> str:
    coordinates = " ".join(
        f"{_x(i, len(points)):.1f},{_y(getattr(p, name), top_value):.1f}"
        for i, p in enumerate(points)
    )
    return (
        f'<polyline fill="none" stroke="{COLOURS[name]}" stroke-width="2" '
        f'points="{coordinates}"><title>{name}</title></polyline>'
    )


def _legend() -> list[str]:
    parts = []
    for index, name in enumerate(COLOURS):
        x = LEFT + index * 130
        parts.append(f'<rect x="{x}" y="12" width="12" height="12" fill="{COLOURS[name]}"/>')
        parts.append(_text(x + 18, 22, name, "start", "#222"))
    return parts


def stats_csv(
    stats: Sequence[TriggerStats],
    names: Mapping[str, str],
    date_from: date,
    date_to: date,
) -> str:
    """One row per trigger and group; one revenue column per currency (never summed); the
    built-in chat's figures last."""
    currencies = sorted(
        {m.currency for s in stats for g in (s.exposed, s.control) for m in g.revenue}
    )
    header = [
        "from", "to", "trigger_id", "trigger_name", "group", "visitors", "converters",
        "conversion_rate", "impressions", "held_out", "clicks", "dismissals", "conversions",
        *(f"revenue_{c}" for c in currencies),
        "uplift", "uplift_low", "uplift_high", "relative_uplift", "enough_data",
        "chats", "chat_orders",  # last: the columns before keep their places
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for item in stats:
        for group_name, group in (("exposed", item.exposed), ("control", item.control)):
            writer.writerow(
                [
                    date_from.isoformat(),
                    date_to.isoformat(),
                    _cell(item.trigger_id),
                    _cell(names.get(item.trigger_id, "")),
                    group_name,
                    *_group_cells(group, currencies, held_out=group_name == "control"),
                    *_uplift_cells(item),
                    group.chats,
                    group.chat_orders,
                ]
            )
    return buffer.getvalue()


def _group_cells(group: GroupStats, currencies: Sequence[str], held_out: bool) -> list[object]:
    """The control group saw nothing: its "would have been shown" count is `held_out`, and its
    impressions are 0, so a column's sum is what visitors really saw."""
    revenue = {money.currency: money.amount for money in group.revenue}
    rate = group.conversion_rate
    return [
        group.visitors,
        group.converters,
        "" if rate is None else f"{rate:.6f}",
        0 if held_out else group.impressions,
        group.impressions if held_out else 0,
        group.clicks,
        group.dismissals,
        group.conversions,
        *(str(revenue.get(c, "0")) for c in currencies),
    ]


def _uplift_cells(item: TriggerStats) -> list[object]:
    value = item.uplift
    if value is None:
        return ["", "", "", "", str(item.enough_data).lower()]
    relative = "" if value.relative is None else f"{value.relative:.6f}"
    return [
        f"{value.absolute:.6f}",
        f"{value.interval.low:.6f}",
        f"{value.interval.high:.6f}",
        relative,
        str(item.enough_data).lower(),
    ]


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
