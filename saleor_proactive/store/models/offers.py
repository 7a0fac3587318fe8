"""Offers: the Saleor voucher behind each offer trigger, and its pool of single-use codes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Money, UTCDateTime, utcnow


class OfferVoucher(Base):
    """One Saleor voucher per offer trigger. `trigger_id` is no foreign key: the row outlives a
    deleted trigger until the clean-up has deactivated the voucher in Saleor."""

    __tablename__ = "offer_vouchers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(
        ForeignKey("installations.id", ondelete="CASCADE"), index=True
    )
    trigger_id: Mapped[str] = mapped_column(String(40), unique=True)
    voucher_id: Mapped[str] = mapped_column(String(128))  # Saleor's global id
    # The trigger version whose terms (discount, channels) Saleor holds; behind it: update.
    synced_version: Mapped[int] = mapped_column(Integer, default=0)
    channel_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # listed in Saleor
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OfferCode(Base):
    """A single-use code already in Saleor; unclaimed while `visitor_id` is null.

    `holder` is the visitor while the code is theirs to use (claimed, not yet expired, spent or
    removed); the unique constraint lets a visitor hold one code per trigger, so two claims at
    once cannot both take one. `visitor_id` stays after the hold ends: claims count towards the
    day's cap and orders are credited by it."""

    __tablename__ = "offer_codes"
    __table_args__ = (
        UniqueConstraint("installation_id", "code", name="uq_offer_codes_code"),
        UniqueConstraint("installation_id", "trigger_id", "holder", name="uq_offer_codes_holder"),
        Index("ix_offer_codes_pool", "trigger_id", "visitor_id"),
        Index("ix_offer_codes_claims", "trigger_id", "claimed_day"),
        Index("ix_offer_codes_expiry", "installation_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(
        ForeignKey("installations.id", ondelete="CASCADE"), index=True
    )
    trigger_id: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    visitor_id: Mapped[str | None] = mapped_column(String(64), default=None)
    holder: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    claimed_day: Mapped[str | None] = mapped_column(String(10), default=None)  # UTC YYYY-MM-DD
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)  # expired
    # Saleor reports the code inactive: an order used it (Saleor deactivates a single-use code
    # when the order is placed), whether or not its ORDER_CREATED reached us yet.
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Set by an order that used the code: what it took off, in the order's currency.
    order_id: Mapped[str | None] = mapped_column(String(128), default=None)
    discount_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    discount_currency: Mapped[str | None] = mapped_column(String(3), default=None)
