"""Core statements run on the driver's cursor: for the visitor API's per-request statements.

SQLAlchemy still writes the SQL (compiled once per dialect) and converts values with the
columns' own bind and result processors, so the tables stay the one source of truth. What is
skipped is SQLAlchemy's per-execution work: the execution context, parameter processing in
general form and the result's metadata, for which psycopg builds a `Column` object per column
on every execution. For the visitor's one-row read of 40 columns that bookkeeping cost more
than the driver's own work: `exec_driver_sql`, the public way to run SQL already compiled,
still builds it, and costs a fifth more instructions per visitor API request on SQLite and a
third more on PostgreSQL (`benchmarks/instructions.py`).

Only public API is used: the pooled connection's DBAPI connection, the compiler's and types'
documented attributes, `Dialect.is_disconnect`, `DBAPIError.instance` and
`Connection.invalidate`. The price: no statement logging and no execution events
(`handle_error` included) for these statements, and only what they need: parameters bound as
given (no expanding IN lists, literal-execute or callable values) and no Python-side column
defaults, refused when first run. Failures come out as from `Connection.execute`: as
SQLAlchemy's exceptions (`IntegrityError`, `StatementError`, ...), and a dropped connection
invalidated, which has the pool check its older connections before their next use (`db.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, InvalidRequestError
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
        # Per dialect: each engine has its own, with its own settings (a process has a few).
        self._compiled: dict[Dialect, _Compiled] = {}
        # Result conversions need the driver's type codes, known after a first execution.
        self._results: dict[Dialect, tuple[tuple[int, _Processor], ...]] = {}

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = self.rows(connection, params)
        return rows[0] if rows else None

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        fetched, _ = self._execute(connection, params, fetch=True)
        results = self._results[connection.dialect]
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
        compiled = self._compiled.get(dialect) or self._compile(dialect)
        if not connection.in_transaction():
            connection.begin()  # as `execute` would: commit() and rollback() then reach the driver
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None  # an open Core connection always has one
        arguments: Any = None
        cursor = None
        try:
            arguments = _arguments(compiled, params)
            cursor = dbapi_connection.cursor()
            cursor.execute(compiled.sql, arguments)
            fetched = cursor.fetchall() if fetch else []
            if fetch and dialect not in self._results:
                self._results[dialect] = self._result_processors(dialect, cursor)
            rowcount: int = cursor.rowcount
        except Exception as error:
            shown = params if arguments is None else arguments  # None: binding them failed
            _raise_as_execute_would(connection, error, compiled.sql, shown, cursor)
        except BaseException:
            connection.invalidate()  # interrupted mid-statement: the driver's state is unknown
            raise
        cursor.close()
        return fetched, rowcount

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError("this statement needs Python-side column defaults: execute it")
        if compiled.escaped_bind_names or any(
            bind.expanding or bind.literal_execute or bind.callable
            for bind in compiled.binds.values()
        ):
            raise ValueError("parameters not bound as given (expanding, ...): execute it")
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
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
        result = _Compiled(compiled.string, order, binds)
        self._compiled[dialect] = result
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


def _raise_as_execute_would(
    connection: Connection, error: Exception, sql: str, arguments: Any, cursor: Any
) -> NoReturn:
    """Raise `error` as SQLAlchemy's exception, invalidating the connection if it was dropped."""
    dialect = connection.dialect
    dbapi_error = dialect.loaded_dbapi.Error
    dropped = isinstance(error, dbapi_error) and dialect.is_disconnect(
        error, connection.connection.dbapi_connection, cursor
    )
    wrapped = DBAPIError.instance(
        sql,
        arguments,
        error,
        dbapi_error,
        hide_parameters=connection.engine.hide_parameters,
        connection_invalidated=dropped,
        dialect=dialect,
    )
    if dropped:
        connection.invalidate(error)
    elif cursor is not None:
        cursor.close()
    raise wrapped from error


def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> Any:
    """The DBAPI's parameters: by name, or in placeholder order for a positional paramstyle."""
    by_name = {}
    for bind in compiled.binds:
        if bind.key in params:
            value = params[bind.key]
        elif bind.required:
            raise InvalidRequestError(f"A value is required for bind parameter {bind.key!r}")
        else:
            value = bind.value
        by_name[bind.name] = value if bind.processor is None else bind.processor(value)
    return by_name if compiled.order is None else [by_name[name] for name in compiled.order]


def _bind_processor(type_: Any, dialect: Dialect) -> _Processor | None:
    processor: _Processor | None = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _converted(row: Sequence[Any], results: tuple[tuple[int, _Processor], ...]) -> tuple[Any, ...]:
    values = list(row)
    for position, processor in results:
        values[position] = processor(values[position])
    return tuple(values)
