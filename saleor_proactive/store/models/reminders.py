"""Abandoned-cart reminders: one delivery row per checkout and step, and the addresses that
asked for no more.

`reminder_deliveries` is the source of truth for "sent at most once": its unique key is
(installation, checkout, step, channel), and a row moves through its states only by conditional
updates (reminders/delivery.py):

    pending ─claim─▶ claimed ─▶ sent
       ▲               │ ├────▶ retry ─(next attempt due)─▶ claimed …
       │               │ └────▶ failed (gave up, bounced, refused)
       │               └─(lease over, worker gone)─▶ uncertain (never sent again)
       └─ cancelled (ordered, emptied, unsubscribed before it went), control (hold-out)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

DELIVERY_STATES = (
    "pending",
    "claimed",
    "retry",
    "sent",
    "failed",
    "uncertain",
    "cancelled",
    "control",
)


def _installation_id() -> Mapped[int]:
    return mapped_column(ForeignKey("installations.id", ondelete="CASCADE"), index=True)


class ReminderDelivery(Base):
    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("installation_id", "checkout_id", "step", "channel"),
        Index("ix_reminder_deliveries_due", "state", "next_attempt_at"),
        Index("ix_reminder_deliveries_email", "installation_id", "email"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    checkout_id: Mapped[str] = mapped_column(String(128))
    step: Mapped[int] = mapped_column(Integer)  # 1 or 2
    channel: Mapped[str] = mapped_column(String(16))  # email | webhook
    email: Mapped[str] = mapped_column(String(254))
    channel_slug: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))  # one of DELIVERY_STATES
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When a scan last handed it to the queue: a task lost with its queue is handed again.
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The claim: who holds it and until when; past `lease_until` the holder is taken as dead.
    claim_token: Mapped[str | None] = mapped_column(String(36), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Why it failed, was cancelled or is uncertain, in the merchant's words.
    outcome: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderSuppression(Base):
    """An address that unsubscribed or bounced: never written to again by this shop."""

    __tablename__ = "reminder_suppressions"
    __table_args__ = (UniqueConstraint("installation_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    email: Mapped[str] = mapped_column(String(254))  # lower-cased
    reason: Mapped[str] = mapped_column(String(16))  # unsubscribed | bounced
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AppSigningKey(Base):
    """The app's own RSA key, which signs the reminders it POSTs to merchants' webhooks; its
    public half is served at `/.well-known/jwks.json`. One row, made by the first worker that
    needs it; the private key is stored encrypted with the app's secret key."""

    __tablename__ = "app_signing_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), unique=True)
    kid: Mapped[str] = mapped_column(String(64))
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
