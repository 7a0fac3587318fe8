"""Claims: one single-use code per visitor and offer, from the pool, within the daily cap.

The same visitor and trigger get the same code again while it is valid, and that repeat does not
count; `dailyCap` counts distinct codes handed out per trigger per UTC day. A claim only reads
and writes this database: the pool was filled ahead of demand (`pool.refill`).

Two claims of one visitor at once (two tabs, a double click) both find no code held; the
database lets only one of them hold a code (`OfferCode.holder` is unique per trigger), so the
other one fails on the constraint, starts over once and finds the winner's code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..store.models import OfferCode, Trigger
from ..triggers.offer import OfferTerms
from .pool import offer_of, unclaimed

CLAIM_ATTEMPTS = 3  # another claim may take the same pooled code first


class UnknownOffer(Exception):
    """No enabled offer trigger by that id for this shop and channel."""


class OfferExhausted(Exception):
    """The trigger's `dailyCap` is reached for today (UTC)."""


class PoolEmpty(Exception):
    """No unclaimed code is ready: the pool must be refilled from Saleor first."""


class ClaimContended(Exception):
    """Another claim of the same visitor kept winning the race; the visitor may retry."""


@dataclass(frozen=True)
class Claim:
    code: str
    expires_at: datetime
    discount: dict[str, Any]
    repeated: bool  # the visitor's earlier code, handed out again

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "expiresAt": self.expires_at.isoformat(timespec="seconds"),
            "discount": self.discount,
        }


def offer_terms(
    session: Session, installation_id: int, trigger_id: str, channel: str
) -> OfferTerms:
    trigger = session.get(Trigger, trigger_id)
    if trigger is None or trigger.installation_id != installation_id or not trigger.enabled:
        raise UnknownOffer
    terms = offer_of(trigger)
    channels = trigger.document.get("channels") or []
    if terms is None or (channels and channel not in channels):
        raise UnknownOffer
    return terms


def claim_code(
    session: Session,
    installation_id: int,
    trigger_id: str,
    channel: str,
    visitor_id: str,
    now: datetime,
    before_new_code: Callable[[], None] = lambda: None,
) -> Claim:
    """The visitor's valid code, or a new one from the pool; `before_new_code` may refuse
    (raise) just before a new code is taken, e.g. a per-address limit. The session's transaction
    holds nothing but this claim, so starting over after a lost race is safe."""
    terms = offer_terms(session, installation_id, trigger_id, channel)
    args = (session, installation_id, trigger_id, visitor_id, terms, now)
    try:
        return _claim(*args, before_new_code)
    except IntegrityError:
        session.rollback()  # another claim of this visitor holds a code now: it is theirs
    try:
        return _claim(*args, lambda: None)
    except IntegrityError:
        session.rollback()
        raise ClaimContended from None


def _claim(
    session: Session,
    installation_id: int,
    trigger_id: str,
    visitor_id: str,
    terms: OfferTerms,
    now: datetime,
    before_new_code: Callable[[], None],
) -> Claim:
    held = session.scalar(
        select(OfferCode).where(
            OfferCode.installation_id == installation_id,
            OfferCode.trigger_id == trigger_id,
            OfferCode.holder == visitor_id,
            OfferCode.expires_at > now,
        )
    )
    if held is not None and held.expires_at is not None:
        return Claim(held.code, held.expires_at, terms.discount_document(), True)
    day = now.date().isoformat()
    if terms.daily_cap is not None and _claimed_on(session, trigger_id, day) >= terms.daily_cap:
        raise OfferExhausted
    before_new_code()
    # The visitor's code that ran out holds no place any more. Only an expired one: a code
    # another claim of theirs just took must keep its hold.
    session.execute(
        update(OfferCode)
        .where(
            OfferCode.installation_id == installation_id,
            OfferCode.trigger_id == trigger_id,
            OfferCode.holder == visitor_id,
            OfferCode.expires_at <= now,
        )
        .values(holder=None)
        .execution_options(synchronize_session=False)
    )
    expires_at = now + timedelta(minutes=terms.valid_minutes)
    for _ in range(CLAIM_ATTEMPTS):
        pooled = session.scalar(
            select(OfferCode).where(unclaimed(trigger_id)).order_by(OfferCode.id).limit(1)
        )
        if pooled is None:
            raise PoolEmpty
        taken = session.execute(
            update(OfferCode)
            .where(OfferCode.id == pooled.id, OfferCode.visitor_id.is_(None))
            .values(
                visitor_id=visitor_id,
                holder=visitor_id,
                claimed_at=now,
                claimed_day=day,
                expires_at=expires_at,
            )
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return Claim(pooled.code, expires_at, terms.discount_document(), False)
    raise PoolEmpty


def _claimed_on(session: Session, trigger_id: str, day: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(OfferCode)
            .where(OfferCode.trigger_id == trigger_id, OfferCode.claimed_day == day)
        )
        or 0
    )
