"""Forget visitors after each installation's retention period; keep what reports need.

Purged: visitor sessions (`visitors`, by last activity), their checkout links, raw
`interactions`, built-in chat conversations (by their last line), per-visitor
`trigger_exposures` and offer codes that ended without an order (expired and removed, or spent
in Saleor with no order recorded here) older than `retention_days` (merchant
settings, default 90). Kept: daily aggregates and attributed `conversions`, so reports over old
ranges still work; an offer code an order used stays with its conversion, as the discount given.
Before deleting raw rows the affected days are finalised (rolled up), and
rows of a day that is not final yet are never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, or_, select
from sqlalchemy.orm import Session

from ..chat import service as chat_service
from ..store.merchant_settings import load_settings
from ..store.models import (
    Installation,
    Interaction,
    OfferCode,
    ReminderDelivery,
    TriggerExposure,
    Visitor,
    VisitorCheckout,
)
from .figures import day_start
from .rollup import rollup_pending, settled_until


@dataclass(frozen=True)
class PurgeCounts:
    visitors: int = 0
    checkout_links: int = 0
    interactions: int = 0
    exposures: int = 0
    days_rolled_up: int = 0
    conversations: int = 0  # the built-in chat's, quiet for longer than the retention period
    reminders: int = 0  # reminder deliveries (the email they went to) past the period
    offer_codes: int = 0  # ended without an order: nothing to report any more

    def __add__(self, other: PurgeCounts) -> PurgeCounts:
        return PurgeCounts(
            self.visitors + other.visitors,
            self.checkout_links + other.checkout_links,
            self.interactions + other.interactions,
            self.exposures + other.exposures,
            self.days_rolled_up + other.days_rolled_up,
            self.conversations + other.conversations,
            self.reminders + other.reminders,
            self.offer_codes + other.offer_codes,
        )


def purge_expired(session: Session, now: datetime) -> PurgeCounts:
    """Finalise settled days and purge expired visitor data of every installation."""
    total = PurgeCounts()
    for installation in session.scalars(select(Installation).order_by(Installation.id)):
        total += purge_installation(session, installation, now)
    return total


def purge_installation(session: Session, installation: Installation, now: datetime) -> PurgeCounts:
    rolled = rollup_pending(session, installation.id, now)
    cutoff = now - timedelta(days=load_settings(installation).retention_days)
    # Raw interactions of a day that is not final yet feed live reports: keep them.
    raw_cutoff = min(cutoff, day_start(settled_until(now) + timedelta(days=1)))
    iid = installation.id
    return PurgeCounts(
        visitors=_delete(
            session,
            delete(Visitor).where(Visitor.installation_id == iid, Visitor.last_seen_at < cutoff),
        ),
        checkout_links=_delete(
            session,
            delete(VisitorCheckout).where(
                VisitorCheckout.installation_id == iid, VisitorCheckout.linked_at < cutoff
            ),
        ),
        interactions=_delete(
            session,
            delete(Interaction).where(
                Interaction.installation_id == iid, Interaction.occurred_at < raw_cutoff
            ),
        ),
        exposures=_delete(
            session,
            delete(TriggerExposure).where(
                TriggerExposure.installation_id == iid, TriggerExposure.last_exposed_at < raw_cutoff
            ),
        ),
        days_rolled_up=rolled,
        conversations=chat_service.purge_before(session, iid, cutoff),
        reminders=_delete(
            session,
            delete(ReminderDelivery).where(
                ReminderDelivery.installation_id == iid, ReminderDelivery.created_at < cutoff
            ),
        ),
        offer_codes=_delete(
            session,
            delete(OfferCode).where(
                OfferCode.installation_id == iid,
                OfferCode.order_id.is_(None),
                or_(OfferCode.removed_at < cutoff, OfferCode.spent_at < cutoff),
            ),
        ),
    )


def _delete(session: Session, statement: object) -> int:
    result: CursorResult[object] = session.execute(statement)  # type: ignore[call-overload]
    return int(result.rowcount or 0)
