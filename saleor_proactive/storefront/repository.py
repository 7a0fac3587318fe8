"""The visitor API's reads and writes: one read and one write of the visitor per request.

They run on the request's Core connection: each statement is prebuilt (or built once per shape
and cached), so SQLAlchemy reuses its compiled form, and no unit-of-work bookkeeping is involved.
The read and the visitor's update, run on every request, go to the driver's cursor directly
(`store/driver.py`), with SQLAlchemy's SQL and type conversions but not its per-execution work.

Concurrency is optimistic first: the visitor is read without a lock and written only if its
`row_version` is still the one read, else `ConcurrentUpdate` (or, for two first requests at
once, `IntegrityError`) makes the caller start over, then `exclusively`, so that it cannot lose
again. On PostgreSQL the write is a single statement (the row, its new interactions and its
checkout link in data-modifying CTEs) on an autocommit connection, so a request costs two round
trips instead of six (BEGIN, locked read, checkout read, update, inserts, COMMIT). On SQLite, in
process, the write is a short transaction of up to three statements, in its turn among the
writers (`store.db.writers_turn`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    String,
    Table,
    and_,
    bindparam,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..store.db import writers_turn
from ..store.driver import DriverStatement
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

# Built once: SQLAlchemy then reuses their compiled form without rebuilding them per request.
_VISITOR_KEY = and_(
    _VISITORS.c.installation_id == bindparam("installation_id"),
    _VISITORS.c.visitor_id == bindparam("visitor_id"),
)
# The visitor row with the snapshot of the checkout the request is about (the one the batch
# names, else the one stored), in one statement; run on the driver (`store/driver.py`).
_VISITOR_WITH_CHECKOUT = DriverStatement(
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
_CHECKOUT_RECEIVED_AT = len(_FIELDS) + _CHECKOUT_FIELDS.index("received_at")
_LOCKED_VISITOR = (
    select(*(_VISITORS.c[name] for name in _FIELDS)).where(_VISITOR_KEY).with_for_update()
)
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


@contextmanager
def exclusively(connection: Connection) -> Iterator[None]:
    """For an attempt that lost a race: no other visitor API request writes the visitor between
    this one's read (`load_visitor(..., lock=True)`) and its write (`save`), which commits.

    PostgreSQL: a transaction, out of autocommit until the pool takes the connection back, whose
    read locks the row (FOR UPDATE): other writers of it wait. SQLite: the writers' turn.
    """
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="READ COMMITTED")
        yield
        return
    with writers_turn(connection):
        yield


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
        checkout = StoredCheckout(*row[len(_FIELDS) :])
    return VisitorRead(_visitor(row), checkout)


def _visitor(row: Sequence[Any]) -> Visitor:
    """The visitor of a row whose first columns are `_FIELDS`."""
    stored = dict(zip(_FIELDS, row, strict=False))
    # Containers are copied so that `stored` keeps what the database holds, however they change.
    return Visitor(
        **{**stored, **{name: _copy(stored[name]) for name in _CONTAINERS}}, stored=stored
    )


def save(
    connection: Connection,
    visitor: Visitor,
    interactions: Sequence[ActionEvent] = (),
    linked_at: datetime | None = None,
) -> None:
    """Store and commit the visitor with its new interactions and, at `linked_at`, its checkout
    link: all or nothing. The row is inserted, or only its changed columns are updated, and only
    if nobody wrote it since it was read (else `ConcurrentUpdate`; `IntegrityError` when two
    first requests race). An interaction or link stored before is skipped, never doubled."""
    write = _Write.of(visitor, interactions, linked_at)
    if connection.dialect.name == "postgresql":
        written = _write_in_one_statement(connection, write)
    else:
        with writers_turn(connection):
            written = _write_in_steps(connection, write)
    if not written:
        raise ConcurrentUpdate()


@dataclass(frozen=True)
class _Write:
    changed: tuple[str, ...] | None  # None: insert the row
    visitor: dict[str, Any]  # v_<column>, and _id and _version for an update's check
    shared: dict[str, Any]  # w_<column>: what interactions and the link copy from the visitor
    rows: list[dict[str, Any]]  # i_<column>: each interaction's own values
    linked_at: datetime | None  # None: no link to store

    @classmethod
    def of(
        cls, visitor: Visitor, interactions: Sequence[ActionEvent], linked_at: datetime | None
    ) -> _Write:
        changed = None if visitor.stored is None else _changed(visitor, visitor.stored)
        if changed is None:
            values = {f"v_{name}": getattr(visitor, name) for name in _INSERTED}
        else:
            values = {f"v_{name}": getattr(visitor, name) for name in changed}
            values.update(
                _id=visitor.id, _version=visitor.row_version, v_row_version=visitor.row_version + 1
            )
        rows = [
            {
                "i_trigger_id": action.trigger_id[:40],
                "i_kind": action.kind,
                "i_action_id": action.action_id[:255],
                "i_occurred_at": action.at,
            }
            for action in interactions
        ]
        return cls(
            changed,
            values,
            {f"w_{name}": getattr(visitor, name) for name in _SHARED},
            rows,
            linked_at if visitor.checkout_id is not None else None,
        )


def _write_in_one_statement(connection: Connection, write: _Write) -> bool:
    """PostgreSQL: one round trip on the visitor engine's autocommit connections."""
    params = write.visitor
    extras = bool(write.rows) or write.linked_at is not None
    if extras:  # most requests have neither: their statement binds a third of the values
        arrays = {f"i_{name}": [row[f"i_{name}"] for row in write.rows] for name in _ROW_COLUMNS}
        link = {"w_link": write.linked_at is not None, "w_linked_at": write.linked_at}
        params = params | write.shared | arrays | link
    [(written,)] = _one_statement(write.changed, extras).rows(connection, params)  # one count
    connection.commit()  # ends `exclusively`'s transaction; a no-op in autocommit
    return bool(written == 1)


def _write_in_steps(connection: Connection, write: _Write) -> bool:
    """SQLite, in process: up to three statements in one transaction."""
    try:
        if write.changed is None:
            connection.execute(_INSERT_VISITOR, write.visitor)
        elif _steps_update(write.changed).affected(connection, write.visitor) != 1:
            connection.rollback()
            return False
        if write.rows:
            connection.execute(_RECORD_INTERACTIONS, [write.shared | row for row in write.rows])
        if write.linked_at is not None:
            connection.execute(_LINK_CHECKOUT, write.shared | {"w_linked_at": write.linked_at})
        connection.commit()
        return True
    except BaseException:
        connection.rollback()  # within the turn: SQLite's write lock goes with the transaction
        raise


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


@lru_cache(maxsize=512)
def _steps_update(columns: tuple[str, ...]) -> DriverStatement:
    """SQLite's update of these columns, on the driver: it runs on every request."""
    return DriverStatement(_update_statement(columns))


# The write's statements. Parameters: v_<column> for the visitor's values, _id and _version for
# the version check, w_<column> for what interactions and the link copy from the visitor,
# i_<column> for the interactions' own values.
_INTERACTIONS: Table = Interaction.__table__  # type: ignore[assignment]
_LINKS: Table = VisitorCheckout.__table__  # type: ignore[assignment]
_INSERTED = tuple(name for name in _FIELDS if name != "id")
_SHARED = ("installation_id", "visitor_id", "session_id", "channel", "checkout_id")
_ROW_COLUMNS = ("trigger_id", "kind", "action_id", "occurred_at")
_LINK_COLUMNS = (*_SHARED, "linked_at")

_INSERT_VISITOR = insert(_VISITORS).values({name: bindparam(f"v_{name}") for name in _INSERTED})
_RECORD_INTERACTIONS = (
    sqlite_insert(_INTERACTIONS)
    .values(
        {name: bindparam(f"w_{name}") for name in _SHARED}
        | {name: bindparam(f"i_{name}") for name in _ROW_COLUMNS}
    )
    .on_conflict_do_nothing()
)
_LINK_CHECKOUT = (
    sqlite_insert(_LINKS)
    .values({name: bindparam(f"w_{name}") for name in _LINK_COLUMNS})
    .on_conflict_do_nothing()
)


@lru_cache(maxsize=512)
def _one_statement(changed: tuple[str, ...] | None, extras: bool) -> DriverStatement:
    """PostgreSQL: the visitor's insert or version-checked update and, with `extras`, the
    inserts of its interactions and link only if that row was written, in one statement
    answering how many visitor rows it wrote (0: someone else wrote first)."""
    visitor = _INSERT_VISITOR if changed is None else _update_statement(changed)
    written = visitor.returning(_VISITORS.c.id).cte("written")
    if not extras:
        return DriverStatement(select(func.count()).select_from(written))
    happened = exists(select(written.c.id))

    def shared(table: Table, name: str) -> Any:
        return bindparam(f"w_{name}", type_=table.c[name].type)

    rows = (
        func.unnest(
            *(bindparam(f"i_{n}", type_=ARRAY(_INTERACTIONS.c[n].type)) for n in _ROW_COLUMNS)
        )
        .table_valued(*_ROW_COLUMNS)
        .render_derived(name="interaction")
    )
    recorded = select(*(shared(_INTERACTIONS, name) for name in _SHARED), *rows.c).where(happened)
    link = select(*(shared(_LINKS, name) for name in _LINK_COLUMNS)).where(
        happened, bindparam("w_link", type_=Boolean)
    )
    inserts = (
        pg_insert(table).from_select(columns, rows_to_insert).on_conflict_do_nothing().cte(name)
        for table, columns, rows_to_insert, name in (
            (_INTERACTIONS, (*_SHARED, *_ROW_COLUMNS), recorded, "recorded"),
            (_LINKS, _LINK_COLUMNS, link, "linked"),
        )
    )
    return DriverStatement(select(func.count()).select_from(written).add_cte(*inserts))


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
