"""PostgreSQL's write of the visitor: one statement, one round trip, on the visitor engine's
autocommit connections."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Connection, Table, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ...store.driver import DriverStatement
from .visitor_rows import (
    INSERT_VISITOR,
    INTERACTIONS,
    LINK_COLUMNS,
    LINKS,
    ROW_COLUMNS,
    SHARED,
    VISITORS,
    Write,
    update_statement,
)


def write_in_one_statement(connection: Connection, write: Write) -> bool:
    """PostgreSQL: one round trip on the visitor engine's autocommit connections."""
    params = write.visitor
    extras = bool(write.rows) or write.linked_at is not None
    if extras:  # most requests have neither: their statement binds a third of the values
        arrays = {f"i_{name}": [row[f"i_{name}"] for row in write.rows] for name in ROW_COLUMNS}
        link = {"w_link": write.linked_at is not None, "w_linked_at": write.linked_at}
        params = params | write.shared | arrays | link
    [(written,)] = _one_statement(write.changed, extras).rows(connection, params)  # one count
    connection.commit()  # ends `exclusively`'s transaction; a no-op in autocommit
    return bool(written == 1)


@lru_cache(maxsize=512)
def _one_statement(changed: tuple[str, ...] | None, extras: bool) -> DriverStatement:
    """The visitor's insert or version-checked update and, with `extras`, the inserts of its
    interactions and link only if that row was written, in one statement answering how many
    visitor rows it wrote (0: someone else wrote first)."""
    visitor = INSERT_VISITOR if changed is None else update_statement(changed)
    written = visitor.returning(VISITORS.c.id).cte("written")
    if not extras:
        return DriverStatement(select(func.count()).select_from(written))
    happened = exists(select(written.c.id))

    def shared(table: Table, name: str) -> Any:
        return bindparam(f"w_{name}", type_=table.c[name].type)

    rows = (
        func.unnest(
            *(bindparam(f"i_{n}", type_=ARRAY(INTERACTIONS.c[n].type)) for n in ROW_COLUMNS)
        )
        .table_valued(*ROW_COLUMNS)
        .render_derived(name="interaction")
    )
    recorded = select(*(shared(INTERACTIONS, name) for name in SHARED), *rows.c).where(happened)
    link = select(*(shared(LINKS, name) for name in LINK_COLUMNS)).where(
        happened, bindparam("w_link", type_=Boolean)
    )
    inserts = (
        pg_insert(table).from_select(columns, rows_to_insert).on_conflict_do_nothing().cte(name)
        for table, columns, rows_to_insert, name in (
            (INTERACTIONS, (*SHARED, *ROW_COLUMNS), recorded, "recorded"),
            (LINKS, LINK_COLUMNS, link, "linked"),
        )
    )
    return DriverStatement(select(func.count()).select_from(written).add_cte(*inserts))
