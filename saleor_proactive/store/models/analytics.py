"""What the analytics area keeps: exposures per visitor, attributed orders, daily aggregates.

Days are UTC calendar days. Raw interactions (visitor API) are purged after the retention
period; the daily aggregates and attributed conversions stay, so reports outlive the raw data.
Trigger ids are plain strings without a foreign key: a deleted trigger keeps its history.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Money, UTCDateTime, utcnow

_INSTALLATION_FK = "installations.id"
EXPOSED = "exposed"
CONTROL = "control"
GROUPS = (EXPOSED, CONTROL)


def _installation_id(index: bool = False) -> Mapped[int]:
    return mapped_column(ForeignKey(_INSTALLATION_FK, ondelete="CASCADE"), index=index)


class TriggerExposure(Base):
    """One visitor's exposure to one trigger: shown (exposed) or held out (control).

    The group and channel are those of the first exposure; a visitor enters a trigger's
    cohort on the day of that first exposure, which makes distinct-visitor counts additive
    over days. `converted_at` is the first order that followed an exposure within the
    attribution window (intention to treat: any such order, whichever trigger got the credit).
    """

    __tablename__ = "trigger_exposures"
    __table_args__ = (
        UniqueConstraint(
            "installation_id", "trigger_id", "visitor_id", name="uq_trigger_exposures_key"
        ),
        Index("ix_trigger_exposures_visitor", "installation_id", "visitor_id"),
        Index("ix_trigger_exposures_first", "installation_id", "first_exposed_at"),
        Index("ix_trigger_exposures_last", "installation_id", "last_exposed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    trigger_id: Mapped[str] = mapped_column(String(64))
    visitor_id: Mapped[str] = mapped_column(String(64))
    group: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(255))
    first_exposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_exposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Conversion(Base):
    """An order credited to the trigger that last touched its visitor (one row per order)."""

    __tablename__ = "conversions"
    __table_args__ = (
        UniqueConstraint("installation_id", "order_id"),
        Index("ix_conversions_ordered", "installation_id", "ordered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    order_id: Mapped[str] = mapped_column(String(128))
    trigger_id: Mapped[str] = mapped_column(String(64))
    visitor_id: Mapped[str] = mapped_column(String(64))
    group: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(255))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DailyTriggerStats(Base):
    """Counts per installation, UTC day, trigger, channel and group.

    `impressions`, `clicks`, `dismissals` belong to the exposed group, `control_exposures`
    ("would have been shown") to the control group. `visitors` are the visitors whose first
    exposure fell on this day, `converters` those of them who converted (see TriggerExposure).
    """

    __tablename__ = "daily_trigger_stats"
    __table_args__ = (
        UniqueConstraint(
            "installation_id",
            "day",
            "trigger_id",
            "channel",
            "group",
            name="uq_daily_trigger_stats_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    day: Mapped[date] = mapped_column(Date)
    trigger_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(255))
    group: Mapped[str] = mapped_column(String(8))
    impressions: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    dismissals: Mapped[int] = mapped_column(Integer, default=0)
    control_exposures: Mapped[int] = mapped_column(Integer, default=0)
    visitors: Mapped[int] = mapped_column(Integer, default=0)
    converters: Mapped[int] = mapped_column(Integer, default=0)


class DailyTriggerRevenue(Base):
    """Attributed orders and revenue per UTC order day, trigger, channel, group and currency.

    One row per currency: amounts in different currencies are never added together.
    """

    __tablename__ = "daily_trigger_revenue"
    __table_args__ = (
        UniqueConstraint(
            "installation_id",
            "day",
            "trigger_id",
            "channel",
            "group",
            "currency",
            name="uq_daily_trigger_revenue_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    day: Mapped[date] = mapped_column(Date)
    trigger_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(255))
    group: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))
    conversions: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))


class AnalyticsRollup(Base):
    """When a day's aggregates were last computed; a day is final once computed after it ended."""

    __tablename__ = "analytics_rollups"
    __table_args__ = (UniqueConstraint("installation_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    day: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExposureSyncMark(Base):
    """The span [synced_from, synced_until] over which `trigger_exposures` were brought up to
    date from raw interactions for live reports, so each report only catches up on the minutes
    since the previous one."""

    __tablename__ = "analytics_sync_marks"
    __table_args__ = (UniqueConstraint("installation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    synced_from: Mapped[datetime] = mapped_column(UTCDateTime())
    synced_until: Mapped[datetime] = mapped_column(UTCDateTime())
