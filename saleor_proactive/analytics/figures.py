"""In-memory daily figures: computed from the raw rows of one day, or read from the aggregates.

Keys are (UTC day, trigger, channel, group); revenue adds the currency. `compute_day` is the one
definition of every counter; the rollup stores its result and reports read it back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..store.models import (
    Conversion,
    DailyTriggerRevenue,
    DailyTriggerStats,
    Interaction,
    TriggerExposure,
)
from ..store.models.analytics import CONTROL, EXPOSED

COUNTERS = ("impressions", "clicks", "dismissals", "control_exposures", "visitors", "converters")
# Raw interaction kind -> (group, counter).
KIND_COUNTER = {
    "impression": (EXPOSED, "impressions"),
    "click": (EXPOSED, "clicks"),
    "dismissal": (EXPOSED, "dismissals"),
    "control": (CONTROL, "control_exposures"),
}

StatKey = tuple[date, str, str, str]  # day, trigger, channel, group
RevenueKey = tuple[date, str, str, str, str]  # day, trigger, channel, group, currency


@dataclass
class RevenueFigures:
    conversions: int = 0
    revenue: Decimal = Decimal(0)


@dataclass
class Figures:
    """Counters per (day, trigger, channel, group) and revenue per currency on top of that."""

    stats: dict[StatKey, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    )
    revenue: dict[RevenueKey, RevenueFigures] = field(
        default_factory=lambda: defaultdict(RevenueFigures)
    )

    def add_revenue(self, key: RevenueKey, conversions: int, revenue: Decimal) -> None:
        figures = self.revenue[key]
        figures.conversions += conversions
        figures.revenue += revenue


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def compute_day(session: Session, installation_id: int, day: date, into: Figures) -> None:
    """Add one UTC day's figures, computed from the raw rows, to `into`."""
    start, end = day_start(day), day_start(day + timedelta(days=1))
    raw = (
        select(Interaction.trigger_id, Interaction.channel, Interaction.kind, func.count())
        .where(Interaction.installation_id == installation_id)
        .where(Interaction.occurred_at >= start, Interaction.occurred_at < end)
        .group_by(Interaction.trigger_id, Interaction.channel, Interaction.kind)
    )
    for trigger_id, channel, kind, count in session.execute(raw):
        if kind in KIND_COUNTER:
            group, counter = KIND_COUNTER[kind]
            into.stats[(day, trigger_id, channel, group)][counter] += count
    cohort = (
        select(
            TriggerExposure.trigger_id,
            TriggerExposure.channel,
            TriggerExposure.group,
            func.count(),
            func.count(TriggerExposure.converted_at),
        )
        .where(TriggerExposure.installation_id == installation_id)
        .where(TriggerExposure.first_exposed_at >= start, TriggerExposure.first_exposed_at < end)
        .group_by(TriggerExposure.trigger_id, TriggerExposure.channel, TriggerExposure.group)
    )
    for trigger_id, channel, group, visitors, converters in session.execute(cohort):
        counters = into.stats[(day, trigger_id, channel, group)]
        counters["visitors"] += visitors
        counters["converters"] += converters
    orders = (
        select(
            Conversion.trigger_id,
            Conversion.channel,
            Conversion.group,
            Conversion.currency,
            func.count(),
            func.sum(Conversion.amount),
        )
        .where(Conversion.installation_id == installation_id)
        .where(Conversion.ordered_at >= start, Conversion.ordered_at < end)
        .group_by(Conversion.trigger_id, Conversion.channel, Conversion.group, Conversion.currency)
    )
    for trigger_id, channel, group, currency, count, total in session.execute(orders):
        into.add_revenue((day, trigger_id, channel, group, currency), count, Decimal(total or 0))


def read_stored(
    session: Session, installation_id: int, first: date, last: date, days: set[date], into: Figures
) -> None:
    """Add the stored aggregates of `days` (within [first, last]) to `into`."""
    # Plain column tuples, not ORM objects: a year of aggregates is read in milliseconds.
    stats = select(
        DailyTriggerStats.day,
        DailyTriggerStats.trigger_id,
        DailyTriggerStats.channel,
        DailyTriggerStats.group,
        *(getattr(DailyTriggerStats, name) for name in COUNTERS),
    ).where(
        DailyTriggerStats.installation_id == installation_id,
        DailyTriggerStats.day >= first,
        DailyTriggerStats.day <= last,
    )
    for day, trigger_id, channel, group, *values in session.execute(stats):
        if day in days:
            counters = into.stats[(day, trigger_id, channel, group)]
            for name, value in zip(COUNTERS, values, strict=True):
                counters[name] += value
    revenue = select(
        DailyTriggerRevenue.day,
        DailyTriggerRevenue.trigger_id,
        DailyTriggerRevenue.channel,
        DailyTriggerRevenue.group,
        DailyTriggerRevenue.currency,
        DailyTriggerRevenue.conversions,
        DailyTriggerRevenue.revenue,
    ).where(
        DailyTriggerRevenue.installation_id == installation_id,
        DailyTriggerRevenue.day >= first,
        DailyTriggerRevenue.day <= last,
    )
    for day, trigger_id, channel, group, currency, conversions, amount in session.execute(revenue):
        if day in days:
            into.add_revenue((day, trigger_id, channel, group, currency), conversions, amount)
