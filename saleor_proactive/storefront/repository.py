"""The visitor API's reads and writes: indexed lookups and idempotent inserts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..store.models import (
    CheckoutSnapshot,
    Interaction,
    ProductPrice,
    ProductSnapshot,
    Visitor,
    VisitorCheckout,
)
from .visitor_state import ActionEvent, ProductFacts

# Built once: SQLAlchemy then reuses their compiled form without rebuilding them per request.
# FOR UPDATE (PostgreSQL; SQLite ignores it and serialises writers anyway): one visitor's
# simultaneous requests (tabs, beacons) queue instead of failing their optimistic version check.
_VISITOR = (
    select(Visitor)
    .where(
        Visitor.installation_id == bindparam("installation_id"),
        Visitor.visitor_id == bindparam("visitor_id"),
    )
    .with_for_update()
)
_CHECKOUT = select(CheckoutSnapshot).where(
    CheckoutSnapshot.installation_id == bindparam("installation_id"),
    CheckoutSnapshot.checkout_id == bindparam("checkout_id"),
)
_PRODUCTS = (
    select(ProductSnapshot.product_id, ProductSnapshot.category_id, ProductPrice.gross)
    .outerjoin(
        ProductPrice,
        and_(
            ProductPrice.product_snapshot_id == ProductSnapshot.id,
            ProductPrice.channel_slug == bindparam("channel"),
        ),
    )
    .where(
        ProductSnapshot.installation_id == bindparam("installation_id"),
        ProductSnapshot.product_id.in_(bindparam("product_ids", expanding=True)),
        ProductSnapshot.deleted.is_(False),
    )
)


def load_visitor(session: Session, installation_id: int, visitor_id: str) -> Visitor | None:
    params = {"installation_id": installation_id, "visitor_id": visitor_id}
    return session.scalar(_VISITOR, params)


def load_checkout(
    session: Session, installation_id: int, checkout_id: str
) -> CheckoutSnapshot | None:
    params = {"installation_id": installation_id, "checkout_id": checkout_id}
    return session.scalar(_CHECKOUT, params)


def product_facts(
    session: Session, installation_id: int, channel: str, product_ids: Iterable[str]
) -> dict[str, ProductFacts]:
    """Category and price in `channel` of the known, live products among `product_ids`."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    params = {"installation_id": installation_id, "channel": channel, "product_ids": ids}
    rows = session.execute(_PRODUCTS, params)
    return {pid: ProductFacts(category, price) for pid, category, price in rows}


def record_interactions(
    session: Session,
    visitor: Visitor,
    actions: Sequence[ActionEvent],
    checkout_id: str | None,
) -> None:
    """Insert interactions; a (action id, kind) already stored is skipped, never doubled."""
    rows = [
        {
            "installation_id": visitor.installation_id,
            "trigger_id": action.trigger_id[:40],
            "visitor_id": visitor.visitor_id,
            "session_id": visitor.session_id,
            "channel": visitor.channel,
            "kind": action.kind,
            "action_id": action.action_id[:255],
            "checkout_id": checkout_id,
            "occurred_at": action.at,
        }
        for action in actions
    ]
    if rows:
        _insert_ignoring_duplicates(session, Interaction, rows)


def link_checkout(session: Session, visitor: Visitor, at: datetime) -> None:
    if visitor.checkout_id is None:
        return
    row = {
        "installation_id": visitor.installation_id,
        "checkout_id": visitor.checkout_id,
        "visitor_id": visitor.visitor_id,
        "session_id": visitor.session_id,
        "channel": visitor.channel,
        "linked_at": at,
    }
    _insert_ignoring_duplicates(session, VisitorCheckout, [row])


# Prebuilt per dialect and run as executemany, so the statement is compiled once per process.
_IGNORING_DUPLICATES = {
    (dialect, model): insert(model).on_conflict_do_nothing()
    for dialect, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
    for model in (Interaction, VisitorCheckout)
}


def _insert_ignoring_duplicates(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    dialect = session.get_bind().dialect.name
    session.execute(_IGNORING_DUPLICATES[(dialect, model)], rows)
