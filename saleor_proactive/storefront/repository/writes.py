"""The visitor API's write, for either database: `save`, optimistic, and `exclusively` for an
attempt that lost a race."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection

from ...store.db import writers_turn
from ..visitor_state import ActionEvent, Visitor
from .postgresql_writes import write_in_one_statement
from .sqlite_writes import write_in_steps
from .visitor_rows import Write


class ConcurrentUpdate(Exception):
    """Another request changed this visitor since we read it; redo the work."""


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
    write = Write.of(visitor, interactions, linked_at)
    if connection.dialect.name == "postgresql":
        written = write_in_one_statement(connection, write)
    else:
        with writers_turn(connection):
            written = write_in_steps(connection, write)
    if not written:
        raise ConcurrentUpdate()
