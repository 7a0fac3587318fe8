"""Engine and session handling for SQLite (one process) and PostgreSQL (many)."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Flask, current_app, g, has_request_context
from flask.sansio.app import App
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from .hung_statements import HungStatementWatchdog
from .sqlite import writers
from .sqlite.wal import SAFETY_NET_PAGES, WalCheckpointer

EXTENSION_KEY = "proactive_db"
# A pooled PostgreSQL connection used this recently is trusted without a ping.
TRUST_RECENTLY_USED_SECONDS = 1.0
# A ping that takes longer finds a server that hangs: its connection is given up for a new one.
PING_SECONDS = 1.0
# /healthz answers within 2 s whatever the database does.
HEALTH_CHECK_SECONDS = 1.5
# A SQLite connection's `info` key: how long its writers wait for their turn.
_TURN_WAIT_KEY = "proactive_turn_wait_seconds"


@dataclass(frozen=True)
class Timeouts:
    """How long a request waits on the database before it fails, to be answered with 503
    (docs/operations.md, Configuration: `PROACTIVE_DATABASE_CONNECT_TIMEOUT`,
    `..._STATEMENT_TIMEOUT`)."""

    # PostgreSQL: to open a connection (libpq counts whole seconds, at least 2).
    connect_seconds: float = 2.0
    # A statement (PostgreSQL's statement_timeout, and on the client for a server that stops
    # answering), a free pooled connection, SQLite's busy wait and its writers' turn.
    statement_seconds: float = 3.0


def normalise_url(url: str) -> str:
    """Let operators write `postgresql://`; we always drive PostgreSQL with psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@contextmanager
def scratch_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A URL of the PostgreSQL database `base_url` whose connections work in a new schema,
    dropped on exit: for test and benchmark runs sharing one database server."""
    base_url = normalise_url(base_url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_engine(url: str, timeouts: Timeouts | None = None, **kwargs: Any) -> Engine:
    """An engine of `url`; without `timeouts` (migrations) PostgreSQL waits as long as it takes
    and SQLite's busy wait is the writers' default (`sqlite/writers.py`)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        wait = writers.MAX_WAIT_SECONDS if timeouts is None else timeouts.statement_seconds
        event.listen(engine, "connect", partial(_tune_sqlite, wait_seconds=wait))
        return engine
    if timeouts is None:
        engine = create_engine(url, **kwargs)
        ping_when_idle(engine, TRUST_RECENTLY_USED_SECONDS)
        return engine
    engine = create_engine(
        url,
        connect_args={"connect_timeout": max(2, math.ceil(timeouts.connect_seconds))},
        **{"pool_timeout": timeouts.statement_seconds, **kwargs},
    )
    milliseconds = round(timeouts.statement_seconds * 1000)
    event.listen(engine, "connect", partial(_limit_statements, milliseconds=milliseconds))
    watchdog = HungStatementWatchdog(timeouts.statement_seconds + WATCHDOG_MARGIN_SECONDS)
    _watch_for_hangs(engine, watchdog)  # before the ping, which it watches too
    ping_when_idle(engine, TRUST_RECENTLY_USED_SECONDS, watchdog)
    return engine


# The server's statement_timeout ends a slow statement first, keeping its connection.
WATCHDOG_MARGIN_SECONDS = 0.5
_pinging = threading.local()  # `Database.ping`'s thread: watched as a request is


def _watch_for_hangs(engine: Engine, watchdog: HungStatementWatchdog) -> None:
    """Requests' connections (and health checks') are let go when the server stops answering;
    a background job's long run of statements is left to the server's statement_timeout."""

    @event.listens_for(engine, "checkout")
    def watch(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if has_request_context() or getattr(_pinging, "active", False):
            watchdog.watch(dbapi_connection)

    @event.listens_for(engine, "checkin")
    def unwatch(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:  # None: invalidated, and unwatched then
            watchdog.unwatch(dbapi_connection)

    @event.listens_for(engine, "invalidate")
    def forget(dbapi_connection: Any, _record: Any, _error: BaseException | None) -> None:
        watchdog.unwatch(dbapi_connection)


def ping_when_idle(
    engine: Engine,
    trusted_seconds: float,
    watchdog: HungStatementWatchdog | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> None:
    """Check a pooled connection before use only if it sat idle longer than `trusted_seconds`,
    or was returned before one of its pool's connections was found dropped.

    `pool_pre_ping` would cost a round trip on every checkout, that is on every request. A
    connection returned a moment ago is alive unless the server died in that moment, which
    fails that request once, as it would with any ping. One that sat idle longer (a restarted
    server, a proxy's idle timeout) is pinged, and a dead one is replaced before use. So is one
    returned before a dropped connection was invalidated (by `Connection.execute` or
    `driver.py`): a restarted server dropped it too, and it must not fail a request of its own.
    With a `watchdog`, a ping that hangs is given up after `PING_SECONDS`.
    """
    last_drop = [float("-inf")]  # when a connection of this pool was last found dropped

    @event.listens_for(engine, "invalidate")
    def remember_drop(_dbapi_connection: Any, _record: Any, error: BaseException | None) -> None:
        if error is not None:  # None: invalidated on purpose, not found dead
            last_drop[0] = monotonic()

    @event.listens_for(engine, "checkin")
    def remember_use(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")  # absent on a new connection
        if checked_in_at is not None:
            recently = monotonic() - checked_in_at < trusted_seconds
            if recently and checked_in_at > last_drop[0]:
                return
        try:
            if watchdog is None:
                engine.dialect.do_ping(dbapi_connection)
            else:
                with watchdog.limited(dbapi_connection, PING_SECONDS):
                    engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("pooled connection is dead") from error  # the pool retries


def _tune_sqlite(dbapi_connection: Any, record: Any, wait_seconds: float) -> None:
    # WAL lets readers proceed during a write; the busy timeout queues writers instead of
    # failing them, for as long as their turn may take; foreign keys make ON DELETE CASCADE
    # (uninstall) real.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={round(wait_seconds * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    record.info[_TURN_WAIT_KEY] = wait_seconds


def _limit_statements(dbapi_connection: Any, _record: Any, milliseconds: int) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {milliseconds}")
    dbapi_connection.commit()


def _leave_checkpoints_to_the_thread(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")


def _commit_asynchronously(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    dbapi_connection.commit()


class Database:
    """The engine and session factory of one app instance (no module-level globals)."""

    def __init__(self, url: str, timeouts: Timeouts | None = None, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.timeouts = timeouts or Timeouts()
        self.engine = make_engine(self.url, self.timeouts, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The visitor API's engine. On PostgreSQL its connections autocommit each statement (the
        # visitor API reads and writes in one statement each, `storefront/repository/`, so
        # BEGIN and COMMIT would be two more round trips) and commit without waiting for the
        # flush to disk, which under load made requests wait up to 500 ms: a crash of the
        # database server may take back the last 3 x wal_writer_delay (0.6 s) of visitor
        # activity, never half of a write. On SQLite it is `engine`: its commits (WAL, NORMAL)
        # never wait for the disk, and a transaction costs no round trip.
        self.visitor_engine = self.engine
        if self.engine.dialect.name == "postgresql":
            self.visitor_engine = make_engine(  # nothing to roll back when one is returned
                self.url,
                self.timeouts,
                isolation_level="AUTOCOMMIT",
                pool_reset_on_return=None,
                **engine_kwargs,
            )
            event.listen(self.visitor_engine, "connect", _commit_asynchronously)

    def dispose(self) -> None:
        """Close the pooled connections (both engines' on PostgreSQL)."""
        self.engine.dispose()
        self.visitor_engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work outside a request: committed on success, rolled back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def start_wal_checkpoints(self) -> WalCheckpointer | None:
        """On a SQLite file, checkpoint its log in a background thread of this process
        (`sqlite/wal.py`);
        request connections then leave checkpoints to it. None on other databases."""
        path = writers.database_file(self.engine.url)
        if path is None:
            return None
        event.listen(self.engine, "connect", _leave_checkpoints_to_the_thread)
        self.engine.dispose()  # connections opened so far would still checkpoint at 1000 pages
        checkpointer = WalCheckpointer(path)
        checkpointer.start()
        return checkpointer

    def ping(self, within_seconds: float = HEALTH_CHECK_SECONDS) -> bool:
        """Whether the database answers within `within_seconds`. Asked in a thread of its own, so
        that a database that hangs holds the caller no longer; that thread ends with the
        timeouts."""
        answered = threading.Event()
        alive: list[bool] = []

        def ask() -> None:
            _pinging.active = True
            try:
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                alive.append(True)
            except Exception:
                pass  # not alive
            finally:
                answered.set()

        threading.Thread(target=ask, name="database-ping", daemon=True).start()
        return answered.wait(within_seconds) and bool(alive)

    def init_app(self, app: Flask) -> None:
        app.extensions[EXTENSION_KEY] = self
        app.teardown_appcontext(_close_request_session)


def get_database(app: App | None = None) -> Database:
    database: Database = (app or current_app).extensions[EXTENSION_KEY]
    return database


@contextmanager
def writers_turn(connection: Connection) -> Iterator[None]:
    """Hold this thread's turn among the database's writers, taken before the transaction's
    first write: on a SQLite file they take turns (`sqlite/writers.py`); elsewhere a no-op.
    `StoreBusy` when the turn is not had in time."""
    with writers.turn(connection, connection.info.get(_TURN_WAIT_KEY, writers.MAX_WAIT_SECONDS)):
        yield


@contextmanager
def session_on(connection: Connection) -> Iterator[Session]:
    """An ORM session inside `connection`'s transaction, for a Core caller's rarer needs.

    It neither commits nor rolls back that transaction: the connection's owner does.
    """
    if not connection.in_transaction():
        connection.begin()  # else the session would own a transaction of its own, and roll it back
    session = Session(bind=connection, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


def db_session() -> Session:
    """The session of the current request, created on first use and closed on teardown."""
    if "db_session" not in g:
        g.db_session = get_database().sessions()
    session: Session = g.db_session
    return session


def _close_request_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    if exc is not None:
        session.rollback()
    session.close()
