"""The visitor API's reads and writes: indexed lookups and idempotent inserts.

They run on the request's Core connection (taken once from its session): each statement is
prebuilt, so SQLAlchemy reuses its compiled form, and no unit-of-work bookkeeping is involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    RowMapping,
    String,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..store.models import (
    CheckoutSnapshot,
    Interaction,
    ProductPrice,
    ProductSnapshot,
    VisitorCheckout,
)
from ..store.models import Visitor as VisitorRow
from .visitor_state import ActionEvent, ProductFacts, Visitor

_VISITORS: Table = VisitorRow.__table__  # type: ignore[assignment]
_FIELDS = tuple(f.name for f in fields(Visitor) if f.name != "stored")
_UPDATABLE = tuple(name for name in _FIELDS if name not in ("id", "created_at", "row_version"))


class ConcurrentUpdate(Exception):
    """Another request changed this visitor since we read it; redo the work."""


@dataclass(frozen=True)
class StoredCheckout:
    """What the visitor API uses of a checkout snapshot (a subset of `CheckoutSnapshot`)."""

    channel_slug: str
    currency: str
    discount: Decimal
    items_quantity: int
    shipping_country: str | None
    lines: list[dict[str, Any]]
    fully_paid: bool
    received_at: datetime


_CHECKOUTS: Table = CheckoutSnapshot.__table__  # type: ignore[assignment]
_CHECKOUT_FIELDS = tuple(f.name for f in fields(StoredCheckout))
_CHECKOUT_LABELS = tuple(f"checkout_{name}" for name in _CHECKOUT_FIELDS)

# Built once: SQLAlchemy then reuses their compiled form without rebuilding them per request.
_VISITOR_KEY = and_(
    _VISITORS.c.installation_id == bindparam("installation_id"),
    _VISITORS.c.visitor_id == bindparam("visitor_id"),
)
# SQLite: the visitor row with the snapshot of the checkout the request is about (the one the
# batch names, else the one stored), in one statement. Writers are serialised and the write is
# version-checked, so a row changed meanwhile makes the request start over with a fresh read.
_VISITOR_WITH_CHECKOUT = (
    select(
        *(_VISITORS.c[name] for name in _FIELDS),
        *(_CHECKOUTS.c[name].label(f"checkout_{name}") for name in _CHECKOUT_FIELDS),
    )
    .outerjoin_from(
        _VISITORS,
        _CHECKOUTS,
        and_(
            _CHECKOUTS.c.installation_id == _VISITORS.c.installation_id,
            _CHECKOUTS.c.checkout_id
            == func.coalesce(bindparam("checkout_id", type_=String), _VISITORS.c.checkout_id),
        ),
    )
    .where(_VISITOR_KEY)
)
# PostgreSQL: FOR UPDATE makes one visitor's simultaneous requests (tabs, beacons) queue instead
# of failing their version check. A request that waited gets the row as the other one left it,
# but a row joined to it would be as it was before the wait, so the checkout is read after.
_LOCKED_VISITOR = (
    select(*(_VISITORS.c[name] for name in _FIELDS)).where(_VISITOR_KEY).with_for_update()
)
_INSERT_VISITOR = insert(_VISITORS)
_CHECKOUT = select(*(_CHECKOUTS.c[name] for name in _CHECKOUT_FIELDS)).where(
    _CHECKOUTS.c.installation_id == bindparam("installation_id"),
    _CHECKOUTS.c.checkout_id == bindparam("checkout_id"),
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


@dataclass(frozen=True)
class VisitorRead:
    visitor: Visitor | None  # None: first request of this visitor
    checkout: StoredCheckout | None  # the request's checkout, if Saleor told us about it


def load_visitor(
    connection: Connection, installation_id: int, visitor_id: str, checkout_id: str | None
) -> VisitorRead:
    """The visitor's row and the snapshot of `checkout_id` (default: the visitor's checkout)."""
    params = {"installation_id": installation_id, "visitor_id": visitor_id}
    if connection.dialect.name == "postgresql":
        locked = connection.execute(_LOCKED_VISITOR, params).first()
        visitor = None if locked is None else _visitor(locked._mapping)
        wanted = checkout_id or (visitor.checkout_id if visitor is not None else None)
        checkout = load_checkout(connection, installation_id, wanted) if wanted else None
        return VisitorRead(visitor, checkout)
    row = connection.execute(_VISITOR_WITH_CHECKOUT, {**params, "checkout_id": checkout_id}).first()
    if row is None:
        checkout = load_checkout(connection, installation_id, checkout_id) if checkout_id else None
        return VisitorRead(None, checkout)
    values = row._mapping
    checkout = None
    if values["checkout_received_at"] is not None:  # NOT NULL in a stored snapshot
        checkout = StoredCheckout(*(values[label] for label in _CHECKOUT_LABELS))
    return VisitorRead(_visitor(values), checkout)


def _visitor(values: RowMapping) -> Visitor:
    stored = {name: values[name] for name in _FIELDS}
    # Containers are copied so that `stored` keeps what the database holds, however they change.
    return Visitor(
        **{**stored, **{name: _copy(stored[name]) for name in _CONTAINERS}}, stored=stored
    )


def save_visitor(connection: Connection, visitor: Visitor) -> None:
    """Insert, or update the changed columns only if nobody wrote since we read (else
    `ConcurrentUpdate`). Writing only what changed keeps the one write per request small."""
    if visitor.stored is None:
        values = {name: getattr(visitor, name) for name in _FIELDS if name != "id"}
        # A concurrent first request for the same visitor makes this raise IntegrityError;
        # the caller rolls back and redoes the work against the row that won.
        connection.execute(_INSERT_VISITOR, values)
        return
    changed = _changed(visitor, visitor.stored)
    params = {f"v_{name}": getattr(visitor, name) for name in changed}
    params.update(
        _id=visitor.id, _version=visitor.row_version, v_row_version=visitor.row_version + 1
    )
    result = connection.execute(_update_statement(changed), params)
    if getattr(result, "rowcount", 1) != 1:
        raise ConcurrentUpdate()


_CONTAINERS = ("products_viewed", "categories_viewed", "recent_actions", "frequency")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):  # frequency: {trigger id: {counter: value}}
        return {
            key: dict(entry) if isinstance(entry, dict) else entry for key, entry in value.items()
        }
    return list(value) if isinstance(value, list) else value


def _changed(visitor: Visitor, stored: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in _UPDATABLE if getattr(visitor, name) != stored[name])


@lru_cache(maxsize=512)
def _update_statement(columns: tuple[str, ...]) -> Any:
    """The version-checked UPDATE of these columns, built once per column set and process."""
    return (
        update(_VISITORS)
        .where(_VISITORS.c.id == bindparam("_id"), _VISITORS.c.row_version == bindparam("_version"))
        .values({name: bindparam(f"v_{name}") for name in (*columns, "row_version")})
    )


def load_checkout(
    connection: Connection, installation_id: int, checkout_id: str
) -> StoredCheckout | None:
    params = {"installation_id": installation_id, "checkout_id": checkout_id}
    row = connection.execute(_CHECKOUT, params).first()
    return None if row is None else StoredCheckout(*row)


def stored_checkout(snapshot: CheckoutSnapshot) -> StoredCheckout:
    return StoredCheckout(*(getattr(snapshot, name) for name in _CHECKOUT_FIELDS))


def product_facts(
    connection: Connection, installation_id: int, channel: str, product_ids: Iterable[str]
) -> dict[str, ProductFacts]:
    """Category and price in `channel` of the known, live products among `product_ids`."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    params = {"installation_id": installation_id, "channel": channel, "product_ids": ids}
    rows = connection.execute(_PRODUCTS, params)
    return {pid: ProductFacts(category, price) for pid, category, price in rows}


def record_interactions(
    connection: Connection,
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
        _insert_ignoring_duplicates(connection, Interaction, rows)


def link_checkout(connection: Connection, visitor: Visitor, at: datetime) -> None:
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
    _insert_ignoring_duplicates(connection, VisitorCheckout, [row])


# Prebuilt per dialect and run as executemany, so the statement is compiled once per process.
_IGNORING_DUPLICATES = {
    (dialect, model): make(cast(Table, model.__table__)).on_conflict_do_nothing()
    for dialect, make in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
    for model in (Interaction, VisitorCheckout)
}


def _insert_ignoring_duplicates(
    connection: Connection, model: Any, rows: list[dict[str, Any]]
) -> None:
    connection.execute(_IGNORING_DUPLICATES[(connection.dialect.name, model)], rows)
