"""Which reminders are due: new delivery rows for abandoned checkouts, and rows to hand to the
queue. Idempotent: the unique key (installation, checkout, step) keeps every reminder single,
however many scans run at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Exists, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from ..merchant_settings.reminders import ReminderSettings
from ..store.merchant_settings import load_settings
from ..store.models import (
    CheckoutSnapshot,
    Installation,
    OrderSnapshot,
    ReminderDelivery,
    ReminderSuppression,
    Visitor,
)
from ..store.upserts import insert_for
from ..triggers.engine import holdout_bucket

# A visitor seen this recently is on the shop now: the reminder waits for the next scan.
ACTIVE_WITHIN = timedelta(minutes=5)
# A checkout abandoned longer than its delay plus this is not reminded of any more (say,
# reminders were just turned on): a reminder days late reads as spam.
LATE_BY_AT_MOST = timedelta(days=1)
HOLDOUT_KEY = "reminders"
CONSENT_VALUES = frozenset({"true", "1", "yes"})


@dataclass(frozen=True)
class Candidate:
    checkout_id: str
    email: str
    channel_slug: str


def in_holdout(checkout_id: str, holdout_percent: int) -> bool:
    """The trigger engine's stable bucket: the same checkout is always in the same group."""
    return holdout_bucket(HOLDOUT_KEY, checkout_id) < holdout_percent * 100


def create_due_rows(
    session: Session, installation: Installation, now: datetime, *, email_ready: bool = True
) -> int:
    """Insert a row for each reminder that came due, per channel; the number inserted."""
    reminders = load_settings(installation).reminders
    if not reminders.enabled:
        return 0
    channels = [
        channel
        for channel, ready in (("email", email_ready), ("webhook", bool(reminders.webhook_url)))
        if ready
    ]
    inserted = 0
    for channel in channels:
        for step, delay in enumerate(reminders.delays_minutes, start=1):
            for candidate in _candidates(
                session, installation.id, reminders, (step, channel), delay, now
            ):
                control = in_holdout(candidate.checkout_id, reminders.holdout_percent)
                inserted += _insert(
                    session, installation.id, candidate, (step, channel), control, now
                )
    return inserted


def _candidates(
    session: Session,
    installation_id: int,
    reminders: ReminderSettings,
    step_on: tuple[int, str],
    delay_minutes: int,
    now: datetime,
) -> list[Candidate]:
    step, channel = step_on
    checkout = CheckoutSnapshot
    abandoned_before = now - timedelta(minutes=delay_minutes)
    conditions = [
        checkout.installation_id == installation_id,
        checkout.email.is_not(None),
        checkout.token.is_not(None),
        checkout.items_quantity > 0,
        checkout.fully_paid.is_(False),
        checkout.saleor_updated_at <= abandoned_before,
        checkout.saleor_updated_at > abandoned_before - LATE_BY_AT_MOST,
        ~_has_row(installation_id, step, channel),
        ~_has_order(installation_id),
        ~_suppressed(installation_id),
        ~_active_visitor(installation_id, now),
    ]
    if step > 1:  # the second only after the first went (or was held out)
        conditions.append(_first_went(installation_id, channel))
    rows = session.execute(
        select(
            checkout.checkout_id, checkout.email, checkout.channel_slug, checkout.metadata_
        ).where(*conditions)
    )
    return [
        Candidate(checkout_id, email or "", channel)
        for checkout_id, email, channel, metadata in rows
        if reminders.audience == "all" or consented(metadata, reminders.consent_key)
    ]


def consented(metadata: dict[str, str] | None, key: str) -> bool:
    """The storefront recorded consent: the key's value is `true` (or 1, yes)."""
    value = (metadata or {}).get(key, "")
    return value.strip().lower() in CONSENT_VALUES


def _has_row(installation_id: int, step: int, channel: str) -> Exists:
    return exists().where(
        ReminderDelivery.installation_id == installation_id,
        ReminderDelivery.checkout_id == CheckoutSnapshot.checkout_id,
        ReminderDelivery.step == step,
        ReminderDelivery.channel == channel,
    )


def _first_went(installation_id: int, channel: str) -> Exists:
    return exists().where(
        ReminderDelivery.installation_id == installation_id,
        ReminderDelivery.checkout_id == CheckoutSnapshot.checkout_id,
        ReminderDelivery.step == 1,
        ReminderDelivery.channel == channel,
        ReminderDelivery.state.in_(("sent", "control")),
    )


def _has_order(installation_id: int) -> Exists:
    return exists().where(
        OrderSnapshot.installation_id == installation_id,
        OrderSnapshot.checkout_id == CheckoutSnapshot.checkout_id,
    )


def _suppressed(installation_id: int) -> Exists:
    return exists().where(
        ReminderSuppression.installation_id == installation_id,
        ReminderSuppression.email == func.lower(CheckoutSnapshot.email),
    )


def _active_visitor(installation_id: int, now: datetime) -> Exists:
    return exists().where(
        Visitor.installation_id == installation_id,
        Visitor.checkout_id == CheckoutSnapshot.checkout_id,
        Visitor.last_seen_at > now - ACTIVE_WITHIN,
    )


def _insert(
    session: Session,
    installation_id: int,
    candidate: Candidate,
    step_on: tuple[int, str],
    control: bool,
    now: datetime,
) -> int:
    step, channel = step_on
    statement = (
        insert_for(session, ReminderDelivery)
        .values(
            installation_id=installation_id,
            checkout_id=candidate.checkout_id,
            step=step,
            channel=channel,
            email=candidate.email,
            channel_slug=candidate.channel_slug,
            state="control" if control else "pending",
            due_at=now,
            next_attempt_at=now,
            attempts=0,
            created_at=now,
        )
        .on_conflict_do_nothing(
            index_elements=["installation_id", "checkout_id", "step", "channel"]
        )
    )
    result: Any = session.execute(statement)
    return int(result.rowcount or 0)


def rows_to_enqueue(
    session: Session, now: datetime, requeue_after: timedelta, limit: int = 20_000
) -> list[int]:
    """Ids of rows due to be tried and not handed to the queue lately; marked as handed.

    A row handed over and still unclaimed after `requeue_after` (the claim lease) is handed
    again: its task was lost with a worker killed before it got to the row. Should the old task
    still be waiting, the row's claim lets only one of the two send."""
    ids = list(
        session.scalars(
            select(ReminderDelivery.id)
            .where(
                ReminderDelivery.state.in_(("pending", "retry")),
                ReminderDelivery.next_attempt_at <= now,
                or_(
                    ReminderDelivery.enqueued_at.is_(None),
                    ReminderDelivery.enqueued_at < now - requeue_after,
                    ReminderDelivery.enqueued_at < ReminderDelivery.next_attempt_at,
                ),
            )
            .order_by(ReminderDelivery.next_attempt_at, ReminderDelivery.id)
            .limit(limit)
        )
    )
    for start in range(0, len(ids), 500):
        session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(ids[start : start + 500]))
            .values(enqueued_at=now)
        )
    return ids


def expire_leases(session: Session, now: datetime) -> int:
    """Claims whose worker died mid-send: recorded as uncertain, never tried again (the
    message may have left), so the shop never gets a reminder twice."""
    result: Any = session.execute(
        update(ReminderDelivery)
        .where(
            and_(
                ReminderDelivery.state == "claimed",
                ReminderDelivery.lease_until < now,
            )
        )
        .values(
            state="uncertain",
            outcome="the worker stopped while sending; not sent again in case it went",
        )
    )
    return int(result.rowcount or 0)
