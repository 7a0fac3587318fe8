"""Orders that used an offer's code: which claim it was, and the discount it gave."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..store.models import OfferCode, OrderSnapshot


def claimed_code(session: Session, installation_id: int, code: str | None) -> OfferCode | None:
    if not code:
        return None
    return session.scalar(
        select(OfferCode).where(
            OfferCode.installation_id == installation_id,
            OfferCode.code == code,
            OfferCode.visitor_id.is_not(None),
        )
    )


def use_code(session: Session, code: OfferCode, order: OrderSnapshot) -> None:
    session.execute(
        update(OfferCode)
        .where(OfferCode.id == code.id, OfferCode.order_id.is_(None))
        .values(
            holder=None,  # used: the visitor may claim a new code
            order_id=order.order_id,
            discount_amount=order.voucher_discount,
            discount_currency=order.currency,
        )
    )


def discounts_given(
    session: Session, installation_id: int, first: date, last: date
) -> dict[tuple[str, str], Decimal]:
    """(trigger id, currency) -> the discount its codes gave on orders claimed in [first, last]."""
    since = datetime.combine(first, time.min, tzinfo=UTC)
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    rows = session.execute(
        select(
            OfferCode.trigger_id, OfferCode.discount_currency, func.sum(OfferCode.discount_amount)
        )
        .where(
            OfferCode.installation_id == installation_id,
            OfferCode.order_id.is_not(None),
            OfferCode.claimed_at >= since,
            OfferCode.claimed_at < until,
        )
        .group_by(OfferCode.trigger_id, OfferCode.discount_currency)
    ).all()
    return {(t, c): Decimal(a or 0) for t, c, a in rows if c is not None}
