"""Dialect-aware INSERT ... ON CONFLICT helpers shared by the snapshot writers.

Every snapshot write is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE stored version < new
version`, so duplicates and late deliveries are ignored atomically, even with concurrent workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models.base import Base


def insert_for(session: Session, model: type[Base]) -> Any:
    return dialect_module(session).insert(model)


def dialect_module(session: Session) -> Any:
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


@cache
def _upsert_statement(
    dialect: Any, table: Table, keys: tuple[str, ...], columns: tuple[str, ...], version: str
) -> Any:
    """Built once per table: the webhook hot path only binds new values to it."""
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: stmt.excluded[name] for name in columns if name not in keys},
        where=table.c[version] < stmt.excluded[version],
    ).returning(table.c.id)


def upsert_if_newer(
    session: Session, model: Any, keys: Sequence[str], values: dict[str, Any], version: str
) -> int | None:
    """Insert or update the row; the id when written, None when the stored one is as new."""
    stmt = _upsert_statement(
        dialect_module(session), model.__table__, tuple(keys), tuple(values), version
    )
    result: int | None = session.execute(stmt, values).scalar_one_or_none()
    return result
