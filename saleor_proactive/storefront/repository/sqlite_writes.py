"""SQLite's write of the visitor: up to three statements in one short transaction, in process,
inside the writers' turn its caller holds."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...store.driver import DriverStatement
from .visitor_rows import (
    INSERT_VISITOR,
    INTERACTIONS,
    LINK_COLUMNS,
    LINKS,
    ROW_COLUMNS,
    SHARED,
    Write,
    update_statement,
)

_RECORD_INTERACTIONS = (
    sqlite_insert(INTERACTIONS)
    .values(
        {name: bindparam(f"w_{name}") for name in SHARED}
        | {name: bindparam(f"i_{name}") for name in ROW_COLUMNS}
    )
    .on_conflict_do_nothing()
)
_LINK_CHECKOUT = (
    sqlite_insert(LINKS)
    .values({name: bindparam(f"w_{name}") for name in LINK_COLUMNS})
    .on_conflict_do_nothing()
)


def write_in_steps(connection: Connection, write: Write) -> bool:
    """SQLite, in process: up to three statements in one transaction."""
    try:
        if write.changed is None:
            connection.execute(INSERT_VISITOR, write.visitor)
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


@lru_cache(maxsize=512)
def _steps_update(columns: tuple[str, ...]) -> DriverStatement:
    """SQLite's update of these columns, on the driver: it runs on every request."""
    return DriverStatement(update_statement(columns))
