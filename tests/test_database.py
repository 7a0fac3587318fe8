"""Connections: no ping per request, yet a dead one is never used; ORM sessions on Core ones."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError

from saleor_proactive.store.db import Database, normalise_url, ping_when_idle, session_on
from saleor_proactive.store.models import Channel
from tests.clock import ManualClock
from tests.fixtures.storefront import ShopRows

TRUSTED_SECONDS = 0.2


def _postgres_engine(url: str) -> Engine:
    if not url.startswith("postgresql"):
        pytest.skip("pooled server connections exist on PostgreSQL only")
    return create_engine(normalise_url(url), pool_size=1, max_overflow=0)


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _kill(engine: Engine, pid: int) -> None:
    """What a server restart or a proxy's idle timeout does to a pooled connection."""
    with create_engine(engine.url).connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_an_idle_connection_that_died_is_replaced_before_use(migrated_database_url: str) -> None:
    # given the pooled connection of an unguarded engine dies, its next use fails
    unguarded = _postgres_engine(migrated_database_url)
    _kill(unguarded, _backend_pid(unguarded))
    with pytest.raises(OperationalError):
        _backend_pid(unguarded)
    unguarded.dispose()

    # when the same happens with the app's guard, and the connection then sits idle a while
    guarded = _postgres_engine(migrated_database_url)
    clock = ManualClock()
    ping_when_idle(guarded, TRUSTED_SECONDS, monotonic=clock.monotonic)
    dead = _backend_pid(guarded)
    _kill(guarded, dead)
    clock.advance(TRUSTED_SECONDS)

    # then the next request gets a live connection, not the dead one
    assert _backend_pid(guarded) != dead
    guarded.dispose()


def test_a_connection_used_a_moment_ago_is_reused_without_a_ping(
    migrated_database_url: str,
) -> None:
    # given a guarded engine whose pooled connection was just returned
    engine = _postgres_engine(migrated_database_url)
    ping_when_idle(engine, 60.0)
    first = _backend_pid(engine)
    pings: list[object] = []
    original = engine.dialect.do_ping

    def counted_ping(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return original(dbapi_connection)

    engine.dialect.do_ping = counted_ping  # type: ignore[method-assign]

    # when it is checked out again at once, then it is the same connection, and it was not pinged
    try:
        assert _backend_pid(engine) == first
        assert pings == []
    finally:
        engine.dialect.do_ping = original  # type: ignore[method-assign]
        engine.dispose()


def test_an_orm_session_on_a_core_connection_leaves_the_commit_to_the_connection(
    database: Database, shop: ShopRows
) -> None:
    # given a request's Core connection that has not run a statement yet
    with database.engine.connect() as connection:
        # when an ORM session opened on it writes, and only the connection commits
        with session_on(connection) as session:
            session.add(
                Channel(
                    installation_id=shop.installation_id,
                    saleor_id="Q2g6OQ==",
                    slug="late-channel",
                    name="Late",
                    currency_code="EUR",
                )
            )
            session.flush()
        connection.commit()

    # then the write is stored
    with database.session() as session:
        assert session.scalar(select(Channel.name).where(Channel.slug == "late-channel")) == "Late"


def test_the_visitor_engine_autocommits_without_waiting_for_the_disk(
    migrated_database_url: str,
) -> None:
    # given the app's database on PostgreSQL
    if not migrated_database_url.startswith("postgresql"):
        pytest.skip("SQLite's commits never wait for the disk: one engine serves both")
    database = Database(migrated_database_url)
    show = text("SHOW synchronous_commit")
    try:
        # when / then: visitor activity commits asynchronously, everything else durably
        with database.visitor_engine.connect() as connection:
            assert connection.execute(show).scalar_one() == "off"
            # and each statement on its own: nothing is left open to commit
            connection.execute(text("SELECT 1"))
            assert connection.connection.driver_connection.info.transaction_status.name == "IDLE"
        with database.engine.connect() as connection:
            assert connection.execute(show).scalar_one() == "on"
        # and a pooled connection keeps the setting when it is used again
        with database.visitor_engine.connect() as connection:
            assert connection.execute(show).scalar_one() == "off"
    finally:
        database.dispose()


def test_on_sqlite_one_engine_serves_both_kinds_of_commit() -> None:
    # given / when
    database = Database("sqlite://")

    # then
    assert database.visitor_engine is database.engine
