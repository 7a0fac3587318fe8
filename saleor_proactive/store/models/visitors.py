"""Storefront visitors (session state, checkout link, frequency) and their interactions.

Written by the visitor API (`POST /storefront/v1/events`); read by analytics for cohort entry
(issued actions and control exposures), impressions, clicks, dismissals and the visitor ↔
checkout link used for attribution.
All times are the server's clock (UTC), never the browser's.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Money, UTCDateTime, utcnow

# `issued` (action returned) and `control` (held out) are written at decision time, once per
# visitor, trigger and session: the two cohorts of a trigger (intention to treat).
INTERACTION_KINDS = ("issued", "impression", "click", "dismissal", "control")


def _installation_id(index: bool = False) -> Mapped[int]:
    return mapped_column(ForeignKey("installations.id", ondelete="CASCADE"), index=index)


class Visitor(Base):
    """One row per installation and visitor id; the hot path reads and writes it once."""

    __tablename__ = "visitors"
    __table_args__ = (
        UniqueConstraint("installation_id", "visitor_id"),
        Index("ix_visitors_checkout", "installation_id", "checkout_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    visitor_id: Mapped[str] = mapped_column(String(64))
    # Optimistic concurrency: a write only lands if nobody wrote since we read (StaleDataError).
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": row_version}
    channel: Mapped[str] = mapped_column(String(255))
    session_id: Mapped[str] = mapped_column(String(64))
    session_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    visit_count: Mapped[int] = mapped_column(Integer, default=1)  # sessions, this one included
    pages_in_session: Mapped[int] = mapped_column(Integer, default=0)
    page_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    page_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    page_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The current page's category (the category page's own, or its product's): `category`
    page_category_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # Distinct ids seen this session (capped lists); products in the order of their last view.
    products_viewed: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories_viewed: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_viewed_product_price: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    device: Mapped[str | None] = mapped_column(String(16), nullable=True)
    locale: Mapped[str | None] = mapped_column(String(35), nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    exit_intent: Mapped[bool] = mapped_column(Boolean, default=False)  # on the current page
    checkout_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # The time of a reported cart change the app still owes a fresh checkout query for.
    checkout_refresh_owed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # {trigger_id: {"session": n, "sessionNo": visit_count, "day": n, "dayKey": "YYYY-MM-DD",
    #               "ever": n, "lastShownAt": iso, "controlSessionNo": visit_count,
    #               "issuedSessionNo": visit_count}}
    frequency: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Recent "<kind>:<nonce>" of reported action events, so a replay changes nothing.
    recent_actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VisitorCheckout(Base):
    """Every checkout a visitor reported, so an order (`order.checkoutId`) finds its visitor
    even after the visitor moved on to a newer checkout."""

    __tablename__ = "visitor_checkouts"
    __table_args__ = (
        UniqueConstraint("installation_id", "checkout_id"),
        Index("ix_visitor_checkouts_visitor", "installation_id", "visitor_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    checkout_id: Mapped[str] = mapped_column(String(128))
    visitor_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Interaction(Base):
    """One issued action, impression, click, dismissal or control exposure of a trigger.

    `action_id` is the signed id the API issued (for `issued` and `control`: a synthetic
    `<kind>:<visitor>:<session no>:<trigger>`), unique per kind so replays count once.
    `trigger_id` is not a foreign key: statistics outlive a deleted trigger.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("installation_id", "action_id", "kind"),
        Index("ix_interactions_trigger_time", "installation_id", "trigger_id", "occurred_at"),
        # Covers the per-day counts (live days, rollup) without reading the table; its
        # (installation_id, occurred_at) prefix also serves retention and time-range reads.
        Index(
            "ix_interactions_time_kind",
            "installation_id",
            "occurred_at",
            "trigger_id",
            "channel",
            "kind",
        ),
        Index("ix_interactions_visitor", "installation_id", "visitor_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    trigger_id: Mapped[str] = mapped_column(String(40))
    visitor_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # one of INTERACTION_KINDS
    action_id: Mapped[str] = mapped_column(String(255))
    checkout_id: Mapped[str | None] = mapped_column(String(128), nullable=True)  # at that moment
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
