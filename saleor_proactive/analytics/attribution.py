"""Attribution of orders to the trigger that last touched the visitor.

order -> checkout (`order.checkoutId`) -> visitor (the visitor API's checkout links) -> the most
recent prompt the visitor saw (reported shown), or was held out of as control, within the
attribution window before the order (last touch wins). A prompt only issued, never displayed
(its delay had not run out, another prompt held the slot), earns nothing: the visitor never saw
it. One `conversions` row per order, inserted with ON CONFLICT
DO NOTHING, so duplicate, retried or late order webhooks are counted once.

Besides the credited trigger, every trigger that exposed the visitor within the window counts
the visitor as a converter (`trigger_exposures.converted_at`): the uplift compares the randomised
groups of each trigger whichever trigger got the credit (intention to treat).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ..offers.redemptions import claimed_code, use_code
from ..store.merchant_settings import load_settings
from ..store.models import (
    Conversion,
    DailyTriggerRevenue,
    DailyTriggerStats,
    Installation,
    Interaction,
    OrderSnapshot,
    TriggerExposure,
    Visitor,
    VisitorCheckout,
    utcnow,
)
from ..store.models.analytics import CONTROL, EXPOSED
from .figures import day_of
from .recording import dialect_insert, sync_exposures
from .rollup import final_days

EPSILON = timedelta(microseconds=1)  # makes [since, ordered_at] a half-open range

# Interaction kinds that can earn an order's credit, and the group each credits. The cohorts
# (uplift) still count `issued` too: they compare the randomised groups, not what was seen.
CREDITED_KINDS = {"impression": EXPOSED, "control": CONTROL}


def visitor_of_checkout(session: Session, installation_id: int, checkout_id: str) -> str | None:
    """The visitor who reported this checkout (history first, then the current link)."""
    linked = session.scalar(
        select(VisitorCheckout.visitor_id).where(
            VisitorCheckout.installation_id == installation_id,
            VisitorCheckout.checkout_id == checkout_id,
        )
    )
    if linked is not None:
        return linked
    return session.scalar(
        select(Visitor.visitor_id)
        .where(Visitor.installation_id == installation_id, Visitor.checkout_id == checkout_id)
        .limit(1)
    )


def last_touch(
    session: Session, installation_id: int, visitor_id: str, ordered_at: datetime, window: timedelta
) -> Interaction | None:
    """The visitor's most recent prompt seen or held out in [ordered_at - window, ordered_at]."""
    return session.scalar(
        select(Interaction)
        .where(
            Interaction.installation_id == installation_id,
            Interaction.visitor_id == visitor_id,
            Interaction.kind.in_(tuple(CREDITED_KINDS)),
            Interaction.occurred_at >= ordered_at - window,
            Interaction.occurred_at <= ordered_at,
        )
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
    )


def attribute_order(
    session: Session, installation: Installation, order: OrderSnapshot
) -> Conversion | None:
    """Credit the order to its visitor's last touch; None when nothing touched them.

    Idempotent: an order already credited returns its existing conversion unchanged.
    """
    existing = session.scalar(
        select(Conversion).where(
            Conversion.installation_id == installation.id, Conversion.order_id == order.order_id
        )
    )
    if existing is not None:
        return existing
    window = timedelta(days=load_settings(installation).attribution_window_days)
    code = claimed_code(session, installation.id, order.voucher_code)
    if code is not None and code.visitor_id is not None:
        # The offer's own code was used: its trigger earns the order, before any other rule.
        use_code(session, code, order)
        _count_in_cohorts(session, installation.id, code.visitor_id, order.created_at, window)
        return _insert_conversion(
            session, installation.id, order, code.trigger_id, code.visitor_id, EXPOSED
        )
    if not order.checkout_id:
        return None
    visitor_id = visitor_of_checkout(session, installation.id, order.checkout_id)
    if visitor_id is None:
        return None
    _count_in_cohorts(session, installation.id, visitor_id, order.created_at, window)
    touch = last_touch(session, installation.id, visitor_id, order.created_at, window)
    if touch is None:
        return None
    group = CREDITED_KINDS[touch.kind]
    return _insert_conversion(session, installation.id, order, touch.trigger_id, visitor_id, group)


def _count_in_cohorts(
    session: Session, installation_id: int, visitor_id: str, ordered_at: datetime, window: timedelta
) -> None:
    """Every cohort the visitor was in counts the order, whether or not a prompt earns it. The
    cohorts must first know every exposure before the order (an idempotent upsert): they are
    otherwise brought up to date only when a report or the rollup runs."""
    since = ordered_at - window
    sync_exposures(session, installation_id, since, ordered_at + EPSILON, visitor_id)
    _mark_converters(session, installation_id, visitor_id, ordered_at, window)


def _insert_conversion(
    session: Session,
    installation_id: int,
    order: OrderSnapshot,
    trigger_id: str,
    visitor_id: str,
    group: str,
) -> Conversion | None:
    values = {
        "installation_id": installation_id,
        "order_id": order.order_id,
        "trigger_id": trigger_id,
        "visitor_id": visitor_id,
        "group": group,
        "channel": order.channel_slug,
        "amount": order.total_amount,
        "currency": order.currency,
        "ordered_at": order.created_at,
        "recorded_at": utcnow(),
    }
    inserted: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        dialect_insert(session, Conversion)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["installation_id", "order_id"])
    )
    if not inserted.rowcount:  # a concurrent delivery of the same order won the race
        return None
    conversion = session.scalars(
        select(Conversion).where(
            Conversion.installation_id == installation_id, Conversion.order_id == order.order_id
        )
    ).one()
    _count_in_final_day_revenue(session, conversion)
    return conversion


def _mark_converters(
    session: Session, installation_id: int, visitor_id: str, ordered_at: datetime, window: timedelta
) -> None:
    """Flag the visitor as converted in every trigger cohort whose exposure preceded the order."""
    cohorts = session.scalars(
        select(TriggerExposure).where(
            TriggerExposure.installation_id == installation_id,
            TriggerExposure.visitor_id == visitor_id,
            TriggerExposure.converted_at.is_(None),
            TriggerExposure.first_exposed_at <= ordered_at,
            TriggerExposure.last_exposed_at >= ordered_at - window,
        )
    ).all()
    for exposure in cohorts:
        marked: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(TriggerExposure)
            .where(TriggerExposure.id == exposure.id, TriggerExposure.converted_at.is_(None))
            .values(converted_at=ordered_at)
        )
        if not marked.rowcount:  # a concurrent delivery of this or another order marked it
            continue
        day = day_of(exposure.first_exposed_at)
        if final_days(session, installation_id, day, day):
            key = (day, exposure.trigger_id, exposure.channel, exposure.group)
            _bump(session, DailyTriggerStats, installation_id, key, {"converters": 1})


def _count_in_final_day_revenue(session: Session, conversion: Conversion) -> None:
    # A day still open is computed live from `conversions`; only a final day needs the bump.
    day = day_of(conversion.ordered_at)
    if not final_days(session, conversion.installation_id, day, day):
        return
    key = (day, conversion.trigger_id, conversion.channel, conversion.group, conversion.currency)
    increments = {"conversions": 1, "revenue": conversion.amount}
    _bump(session, DailyTriggerRevenue, conversion.installation_id, key, increments)


def _bump(
    session: Session,
    model: type[DailyTriggerStats] | type[DailyTriggerRevenue],
    installation_id: int,
    key: tuple[object, ...],
    increments: dict[str, object],
) -> None:
    names = ["day", "trigger_id", "channel", "group", "currency"][: len(key)]
    statement = dialect_insert(session, model).values(
        installation_id=installation_id, **dict(zip(names, key, strict=True)), **increments
    )
    table = model.__table__
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["installation_id", *names],
            set_={name: table.c[name] + getattr(statement.excluded, name) for name in increments},
        )
    )
