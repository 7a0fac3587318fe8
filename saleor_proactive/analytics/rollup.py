"""Daily aggregates: computed from raw rows, stored once a UTC day is over, read for reports.

A day's figures come from three sources: raw `interactions` (impressions, clicks, dismissals,
control exposures), `trigger_exposures` (visitors whose first exposure fell on the day, and how
many of them converted) and `conversions` (attributed orders and revenue by order day).

`rollup(day)` recomputes a day from those rows and replaces its aggregate rows, so running it
twice changes nothing. A day is *final* once it was rolled up at least `SETTLE` after it ended;
reports read final days from the aggregates and compute the other days (normally today and
yesterday) live from the raw rows, so they are always current and never double-count. A late
order for a final day updates that day's aggregate in place (see attribution).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..store.models import (
    AnalyticsRollup,
    Conversion,
    DailyTriggerRevenue,
    DailyTriggerStats,
    Interaction,
    utcnow,
)
from .figures import Figures, compute_day, day_of, day_start, read_stored
from .recording import catch_up_exposures, dialect_insert, sync_exposures

SETTLE = timedelta(hours=1)


def rollup(
    session: Session, installation_id: int, day: date, now: datetime | None = None
) -> Figures:
    """Recompute and store one UTC day's aggregates (idempotent).

    Only for days whose raw interactions are still kept (within the retention period).
    """
    now = now or utcnow()
    start = day_start(day)
    sync_exposures(session, installation_id, start, start + timedelta(days=1))
    figures = Figures()
    compute_day(session, installation_id, day, figures)
    for model in (DailyTriggerStats, DailyTriggerRevenue):
        session.execute(
            delete(model).where(model.installation_id == installation_id, model.day == day)
        )
    session.add_all(
        DailyTriggerStats(
            installation_id=installation_id,
            day=day,
            trigger_id=trigger_id,
            channel=channel,
            group=group,
            **counters,
        )
        for (day, trigger_id, channel, group), counters in figures.stats.items()
    )
    session.add_all(
        DailyTriggerRevenue(
            installation_id=installation_id,
            day=day,
            trigger_id=trigger_id,
            channel=channel,
            group=group,
            currency=currency,
            conversions=value.conversions,
            revenue=value.revenue,
        )
        for (day, trigger_id, channel, group, currency), value in figures.revenue.items()
    )
    statement = dialect_insert(session, AnalyticsRollup).values(
        installation_id=installation_id, day=day, computed_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["installation_id", "day"],
            set_={"computed_at": statement.excluded.computed_at},
        )
    )
    session.flush()
    return figures


def final_days(session: Session, installation_id: int, first: date, last: date) -> set[date]:
    rows = session.execute(
        select(AnalyticsRollup.day, AnalyticsRollup.computed_at)
        .where(AnalyticsRollup.installation_id == installation_id)
        .where(AnalyticsRollup.day >= first, AnalyticsRollup.day <= last)
    )
    return {day for day, computed_at in rows if is_final(day, computed_at)}


def is_final(day: date, computed_at: datetime) -> bool:
    return computed_at >= day_start(day + timedelta(days=1)) + SETTLE


def settled_until(now: datetime) -> date:
    """The last UTC day that has ended at least SETTLE ago."""
    return day_of(now - SETTLE) - timedelta(days=1)


def pending_days(session: Session, installation_id: int, now: datetime) -> list[date]:
    """Settled days that have data and are not final yet, oldest first."""
    oldest = session.scalar(
        select(func.min(Interaction.occurred_at)).where(
            Interaction.installation_id == installation_id
        )
    )
    recent_order = session.scalar(
        select(func.min(Conversion.ordered_at)).where(
            Conversion.installation_id == installation_id,
            Conversion.ordered_at >= now - timedelta(days=31),
        )
    )
    starts = [day_of(moment) for moment in (oldest, recent_order) if moment is not None]
    if not starts:
        return []
    first, last = min(starts), settled_until(now)
    done = final_days(session, installation_id, first, last)
    return [day for day in _days(first, last) if day not in done]


def rollup_pending(session: Session, installation_id: int, now: datetime | None = None) -> int:
    """Finalise every pending day (see `pending_days`); returns how many."""
    now = now or utcnow()
    pending = pending_days(session, installation_id, now)
    for day in pending:
        rollup(session, installation_id, day, now)
    return len(pending)


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def figures_for_range(
    session: Session, installation_id: int, first: date, last: date, now: datetime | None = None
) -> Figures:
    """All figures for [first, last]: final days from the aggregates, the rest computed live."""
    now = now or utcnow()
    figures = Figures()
    final = final_days(session, installation_id, first, last)
    read_stored(session, installation_id, first, last, final, figures)
    live = [day for day in _days(first, min(last, day_of(now))) if day not in final]
    if live:
        # Cohorts must include the latest first exposures; the upsert writes only what is
        # missing, and commits only if the caller commits.
        catch_up_exposures(session, installation_id, day_start(live[0]), now)
    for day in live:
        compute_day(session, installation_id, day, figures)
    return figures
