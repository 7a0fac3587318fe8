"""Core statements run on the driver's cursor: for the visitor API's per-request statements.

SQLAlchemy still writes the SQL (compiled once per dialect) and converts values with the
columns' own bind and result processors, so the tables stay the one source of truth. What is
skipped is SQLAlchemy's per-execution work: the execution context, parameter processing in
general form and the result's metadata, for which psycopg builds a `Column` object per column
on every execution. For the visitor's one-row read of 40 columns that bookkeeping cost more
than the driver's own work; skipping it for the read and the write took a fifth of the
instructions off a visitor API request on PostgreSQL (`benchmarks/instructions.py`).

The price: no engine events or statement logging for these statements, and only what they need:
named parameters without expanding IN lists, no Python-side column defaults (refused when
built). Errors come out as SQLAlchemy's exceptions (`IntegrityError`, ...), and a connection
the database dropped is invalidated, as `Connection.execute` would do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

_Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Bind:
    name: str  # as in the SQL
    key: str  # as the caller passes it
    required: bool  # False: the statement has its own value (`literal(...)`)
    value: Any  # that value, used when the caller passes none
    processor: _Processor | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in placeholder order; None: by name
    binds: tuple[_Bind, ...]


class DriverStatement:
    """One Core statement on a Core connection's DBAPI cursor: a SELECT (or a statement with
    RETURNING) run with `rows` or `first`, an UPDATE or INSERT with `affected`."""

    def __init__(self, statement: Select[Any] | UpdateBase) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        # Result conversions need the driver's type codes, known after a first execution.
        self._results: dict[tuple[str, str], tuple[tuple[int, _Processor], ...]] = {}

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = self.rows(connection, params)
        return rows[0] if rows else None

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        fetched, _ = self._execute(connection, params, fetch=True)
        results = self._results[(connection.dialect.name, connection.dialect.driver)]
        if not results:
            return [tuple(row) for row in fetched]
        return [_converted(row, results) for row in fetched]

    def affected(self, connection: Connection, params: Mapping[str, Any]) -> int:
        """How many rows the statement inserted, updated or deleted."""
        return self._execute(connection, params, fetch=False)[1]

    def _execute(
        self, connection: Connection, params: Mapping[str, Any], fetch: bool
    ) -> tuple[Sequence[Any], int]:
        dialect = connection.dialect
        key = (dialect.name, dialect.driver)
        compiled = self._compiled.get(key) or self._compile(dialect, key)
        by_name = {}
        for bind in compiled.binds:
            value = params[bind.key] if bind.required or bind.key in params else bind.value
            by_name[bind.name] = value if bind.processor is None else bind.processor(value)
        arguments: Any = (
            by_name if compiled.order is None else [by_name[name] for name in compiled.order]
        )
        if not connection.in_transaction():
            connection.begin()  # as `execute` would: commit() and rollback() then reach the driver
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None  # an open Core connection always has one
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            fetched = cursor.fetchall() if fetch else []
            if fetch and key not in self._results:
                self._results[key] = self._result_processors(dialect, cursor)
            return fetched, cursor.rowcount
        except dialect.loaded_dbapi.Error as error:
            raise self._wrapped(connection, dbapi_connection, cursor, error, arguments) from error
        finally:
            cursor.close()

    def _compile(self, dialect: Dialect, key: tuple[str, str]) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError("this statement needs Python-side column defaults: execute it")
        if any(bind.expanding for bind in compiled.binds.values()) or compiled.escaped_bind_names:
            raise ValueError("expanding or escaped parameters: execute this statement")
        names = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else ()
        binds = tuple(
            _Bind(
                name,
                bind.key,
                bind.required,
                None if bind.required else bind.effective_value,
                _bind_processor(bind.type, dialect),
            )
            for bind, name in compiled.bind_names.items()
        )
        result = _Compiled(compiled.string, names or None, binds)
        self._compiled[key] = result
        return result

    def _result_processors(
        self, dialect: Dialect, cursor: Any
    ) -> tuple[tuple[int, _Processor], ...]:
        columns = self.statement.exported_columns
        processors = (
            column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            for column, described in zip(columns, cursor.description, strict=True)
        )
        return tuple(
            (position, processor)
            for position, processor in enumerate(processors)
            if processor is not None
        )

    def _wrapped(
        self,
        connection: Connection,
        dbapi_connection: Any,
        cursor: Any,
        error: Any,  # the driver's exception
        arguments: Sequence[Any] | Mapping[str, Any],
    ) -> StatementError:
        dialect = connection.dialect
        dropped = dialect.is_disconnect(error, dbapi_connection, cursor)
        if dropped:
            connection.invalidate(error)
        return DBAPIError.instance(
            self._compiled[(dialect.name, dialect.driver)].sql,
            arguments,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=dropped,
            dialect=dialect,
        )


def _bind_processor(type_: Any, dialect: Dialect) -> _Processor | None:
    processor: _Processor | None = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _converted(row: Sequence[Any], results: tuple[tuple[int, _Processor], ...]) -> tuple[Any, ...]:
    values = list(row)
    for position, processor in results:
        values[position] = processor(values[position])
    return tuple(values)
