"""Per-trigger results over a date range: what the merchant API's `stats(from, to)` returns.

Dates are UTC calendar days, both ends inclusive. For each trigger and group (exposed /
control): impressions (control: "would have been shown" exposures), clicks, dismissals,
attributed conversions and revenue per currency, and the cohort behind the uplift — visitors
whose first exposure to the trigger fell in the range, and how many of them converted within
the attribution window. Uplift and interval: see `uplift.py`. Revenue is never summed across
currencies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..store.models.analytics import CONTROL, EXPOSED
from ..store.triggers import list_triggers
from ..triggers.context import Money
from .chat_figures import ChatFigures, chat_figures
from .figures import Figures
from .rollup import figures_for_range
from .uplift import Assessment, Uplift, assess, enough_data, uplift

MAX_RANGE_DAYS = 366
CENT = Decimal("0.01")


class DateRangeError(ValueError):
    """A report range that cannot be served; `field` names the offending parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class GroupStats:
    visitors: int = 0
    converters: int = 0
    impressions: int = 0  # control group: exposures that would have been impressions
    clicks: int = 0
    dismissals: int = 0
    conversions: int = 0  # orders credited to the trigger (last touch)
    revenue: tuple[Money, ...] = ()  # one entry per currency, sorted by currency
    chats: int = 0  # built-in chat conversations started from the prompt (`chat_figures.py`)
    chat_orders: int = 0  # of `conversions`, those whose visitor chatted from the prompt first

    @property
    def conversion_rate(self) -> float | None:
        return self.converters / self.visitors if self.visitors else None


@dataclass(frozen=True)
class TriggerStats:
    trigger_id: str
    exposed: GroupStats
    control: GroupStats
    uplift: Uplift | None  # None while a group has no visitors
    enough_data: bool  # False: show "not enough data yet" instead of the uplift
    assessment: Assessment  # the verdict in words, and how many more visitors it may take
    incremental_revenue: tuple[Money, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "triggerId": self.trigger_id,
            "exposed": _group_json(self.exposed),
            "control": _group_json(self.control),
            "uplift": _uplift_json(self.uplift),
            "enoughData": self.enough_data,
            "verdict": self.assessment.verdict.value,
            "moreVisitorsNeeded": self.assessment.more_visitors_needed,
            "incrementalRevenue": [money.as_json() for money in self.incremental_revenue],
        }


@dataclass(frozen=True)
class DayPoint:
    day: date
    impressions: int = 0
    clicks: int = 0
    dismissals: int = 0
    control_exposures: int = 0
    conversions: int = 0


def parse_date_range(date_from: str | None, date_to: str | None) -> tuple[date, date]:
    """Two ISO dates (inclusive) into a validated range, or a DateRangeError naming the field."""
    first = _parse_date(date_from, "from")
    last = _parse_date(date_to, "to")
    check_date_range(first, last)
    return first, last


def check_date_range(first: date, last: date) -> None:
    if last < first:
        raise DateRangeError("to", "`to` must not be before `from`.")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DateRangeError("to", f"A report covers at most {MAX_RANGE_DAYS} days.")


def _parse_date(value: str | None, name: str) -> date:
    if not value:
        raise DateRangeError(name, f"`{name}` is required (an ISO date, YYYY-MM-DD).")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DateRangeError(name, f"`{name}` must be an ISO date (YYYY-MM-DD).") from None


def trigger_stats(
    session: Session,
    installation_id: int,
    date_from: date,
    date_to: date,
    now: datetime | None = None,
) -> list[TriggerStats]:
    """Results per trigger over [date_from, date_to] (UTC days), sorted by trigger id.

    Every current trigger has a row (zeros when nothing happened yet), and so does a deleted
    one that still has figures in the range.
    """
    check_date_range(date_from, date_to)
    figures = figures_for_range(session, installation_id, date_from, date_to, now)
    counters, revenue = _by_trigger(figures)
    chats = chat_figures(session, installation_id, date_from, date_to)
    current = {trigger.id for trigger in list_triggers(session, installation_id)}
    # counters and revenue are defaultdicts: a trigger without figures reads as zeros.
    return [
        _with_chats(_trigger(tid, counters[tid], revenue[tid]), chats.get(tid))
        for tid in sorted(current | set(counters) | set(chats))
    ]


def _with_chats(item: TriggerStats, chats: ChatFigures | None) -> TriggerStats:
    if chats is None:
        return item
    exposed = replace(item.exposed, chats=chats.conversations, chat_orders=chats.orders)
    return replace(item, exposed=exposed)


def daily_series(
    session: Session,
    installation_id: int,
    date_from: date,
    date_to: date,
    trigger_id: str | None = None,
    now: datetime | None = None,
) -> list[DayPoint]:
    """One point per UTC day in the range (zeros included), all triggers or one."""
    check_date_range(date_from, date_to)
    figures = figures_for_range(session, installation_id, date_from, date_to, now)
    days: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (day, tid, _channel, _group), values in figures.stats.items():
        if trigger_id is None or tid == trigger_id:
            for name in ("impressions", "clicks", "dismissals", "control_exposures"):
                days[day][name] += values[name]
    for (day, tid, _channel, _group, _currency), money in figures.revenue.items():
        if trigger_id is None or tid == trigger_id:
            days[day]["conversions"] += money.conversions
    count = (date_to - date_from).days + 1
    span = [date_from + timedelta(days=offset) for offset in range(count)]
    return [DayPoint(day, **days.get(day, {})) for day in span]


_Counters = dict[str, dict[str, int]]  # group -> counter -> value
_Revenue = dict[str, dict[str, Decimal]]  # group -> currency -> amount


def _by_trigger(figures: Figures) -> tuple[dict[str, _Counters], dict[str, _Revenue]]:
    counters: dict[str, _Counters] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    revenue: dict[str, _Revenue] = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for (_day, tid, _channel, group), values in figures.stats.items():
        for name, value in values.items():
            counters[tid][group][name] += value
    for (_day, tid, _channel, group, currency), money in figures.revenue.items():
        counters[tid][group]["conversions"] += money.conversions
        revenue[tid][group][currency] += money.revenue
    return counters, revenue


def _group(counters: dict[str, int], revenue: dict[str, Decimal], group: str) -> GroupStats:
    shown = "impressions" if group == EXPOSED else "control_exposures"
    return GroupStats(
        visitors=counters.get("visitors", 0),
        converters=counters.get("converters", 0),
        impressions=counters.get(shown, 0),
        clicks=counters.get("clicks", 0),
        dismissals=counters.get("dismissals", 0),
        conversions=counters.get("conversions", 0),
        revenue=tuple(Money(revenue[c], c) for c in sorted(revenue)),
    )


def _trigger(trigger_id: str, counters: _Counters, revenue: _Revenue) -> TriggerStats:
    exposed = _group(counters[EXPOSED], revenue[EXPOSED], EXPOSED)
    control = _group(counters[CONTROL], revenue[CONTROL], CONTROL)
    n1, x1, n0, x0 = exposed.visitors, exposed.converters, control.visitors, control.converters
    return TriggerStats(
        trigger_id=trigger_id,
        exposed=exposed,
        control=control,
        uplift=uplift(x1, n1, x0, n0),
        enough_data=enough_data(x1, n1, x0, n0),
        assessment=assess(x1, n1, x0, n0),
        incremental_revenue=_incremental_revenue(revenue, n1, n0),
    )


def _incremental_revenue(revenue: _Revenue, n1: int, n0: int) -> tuple[Money, ...]:
    """Per currency: (exposed revenue per visitor - control revenue per visitor) * n1."""
    if not n1 or not n0:
        return ()
    currencies = sorted(set(revenue[EXPOSED]) | set(revenue[CONTROL]))
    return tuple(
        Money(
            ((revenue[EXPOSED][c] / n1 - revenue[CONTROL][c] / n0) * n1).quantize(CENT),
            c,
        )
        for c in currencies
    )


def _group_json(group: GroupStats) -> dict[str, Any]:
    return {
        "visitors": group.visitors,
        "converters": group.converters,
        "conversionRate": group.conversion_rate,
        "impressions": group.impressions,
        "clicks": group.clicks,
        "dismissals": group.dismissals,
        "conversions": group.conversions,
        "revenue": [money.as_json() for money in group.revenue],
        "chats": group.chats,
        "chatOrders": group.chat_orders,
    }


def _uplift_json(value: Uplift | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "absolute": value.absolute,
        "low": value.interval.low,
        "high": value.interval.high,
        "relative": value.relative,
        "incrementalConversions": value.incremental_conversions,
    }
