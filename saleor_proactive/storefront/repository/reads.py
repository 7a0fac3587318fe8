"""The visitor API's reads: the visitor with its checkout (one statement, on the driver), a
checkout alone, and product facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, String, Table, and_, bindparam, func, select

from ...store.driver import DriverStatement
from ...store.models import CheckoutSnapshot, ProductPrice, ProductSnapshot
from ..visitor_state import ProductFacts, Visitor
from .visitor_rows import FIELDS, VISITORS


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
    shipping_required: bool


_CHECKOUTS: Table = CheckoutSnapshot.__table__  # type: ignore[assignment]
_CHECKOUT_FIELDS = tuple(f.name for f in fields(StoredCheckout))

# Built once: SQLAlchemy then reuses their compiled form without rebuilding them per request.
_VISITOR_KEY = and_(
    VISITORS.c.installation_id == bindparam("installation_id"),
    VISITORS.c.visitor_id == bindparam("visitor_id"),
)
# The visitor row with the snapshot of the checkout the request is about (the one the batch
# names, else the one stored), in one statement; run on the driver (`store/driver.py`).
_VISITOR_WITH_CHECKOUT = DriverStatement(
    select(
        *(VISITORS.c[name] for name in FIELDS),
        *(_CHECKOUTS.c[name].label(f"checkout_{name}") for name in _CHECKOUT_FIELDS),
    )
    .outerjoin_from(
        VISITORS,
        _CHECKOUTS,
        and_(
            _CHECKOUTS.c.installation_id == VISITORS.c.installation_id,
            _CHECKOUTS.c.checkout_id
            == func.coalesce(bindparam("checkout_id", type_=String), VISITORS.c.checkout_id),
        ),
    )
    .where(_VISITOR_KEY)
)
_CHECKOUT_RECEIVED_AT = len(FIELDS) + _CHECKOUT_FIELDS.index("received_at")
_LOCKED_VISITOR = (
    select(*(VISITORS.c[name] for name in FIELDS)).where(_VISITOR_KEY).with_for_update()
)
_CHECKOUT = select(*(_CHECKOUTS.c[name] for name in _CHECKOUT_FIELDS)).where(
    _CHECKOUTS.c.installation_id == bindparam("installation_id"),
    _CHECKOUTS.c.checkout_id == bindparam("checkout_id"),
)
_PRODUCTS = (
    select(
        ProductSnapshot.product_id,
        ProductSnapshot.category_id,
        ProductPrice.gross,
        ProductSnapshot.name,
        ProductSnapshot.slug,
        ProductSnapshot.thumbnail_url,
        ProductSnapshot.attributes,
    )
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
    connection: Connection,
    installation_id: int,
    visitor_id: str,
    checkout_id: str | None,
    lock: bool = False,
) -> VisitorRead:
    """The visitor's row and the snapshot of `checkout_id` (default: the visitor's checkout);
    with `lock`, inside `exclusively`, the row locked on PostgreSQL."""
    params = {"installation_id": installation_id, "visitor_id": visitor_id}
    if lock and connection.dialect.name == "postgresql":
        # A row joined to a locked one is as it was before the wait for the lock: the checkout
        # (perhaps another one by now) is read after it.
        locked = connection.execute(_LOCKED_VISITOR, params).first()
        visitor = None if locked is None else _visitor(locked)
        wanted = checkout_id or (visitor.checkout_id if visitor is not None else None)
        checkout = load_checkout(connection, installation_id, wanted) if wanted else None
        return VisitorRead(visitor, checkout)
    row = _VISITOR_WITH_CHECKOUT.first(connection, {**params, "checkout_id": checkout_id})
    if row is None:
        checkout = load_checkout(connection, installation_id, checkout_id) if checkout_id else None
        return VisitorRead(None, checkout)
    checkout = None
    if row[_CHECKOUT_RECEIVED_AT] is not None:  # NOT NULL in a stored snapshot
        checkout = StoredCheckout(*row[len(FIELDS) :])
    return VisitorRead(_visitor(row), checkout)


def _visitor(row: Sequence[Any]) -> Visitor:
    """The visitor of a row whose first columns are `FIELDS`."""
    stored = dict(zip(FIELDS, row, strict=False))
    # Containers are copied so that `stored` keeps what the database holds, however they change.
    return Visitor(
        **{**stored, **{name: _copy(stored[name]) for name in _CONTAINERS}}, stored=stored
    )


_CONTAINERS = ("products_viewed", "categories_viewed", "recent_actions", "frequency")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):  # frequency: {trigger id: {counter: value}}
        return {
            key: dict(entry) if isinstance(entry, dict) else entry for key, entry in value.items()
        }
    return list(value) if isinstance(value, list) else value


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
    """What the catalogue says of the known, live products among `product_ids` in `channel`."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    params = {"installation_id": installation_id, "channel": channel, "product_ids": ids}
    rows = connection.execute(_PRODUCTS, params)
    return {
        pid: ProductFacts(
            category,
            price,
            name,
            slug,
            thumbnail,
            tuple((a["name"], a["value"]) for a in attributes or () if isinstance(a, dict)),
        )
        for pid, category, price, name, slug, thumbnail, attributes in rows
    }
