"""Statements run on the driver give what `Connection.execute` would, errors included."""

from __future__ import annotations

import ast
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Integer, String, bindparam, cast, func, literal, select, text, update
from sqlalchemy.exc import OperationalError, ProgrammingError, StatementError
from sqlalchemy.sql.elements import BindParameter

from saleor_proactive.store import driver
from saleor_proactive.store.db import Database
from saleor_proactive.store.driver import DriverStatement
from saleor_proactive.store.models import Installation
from saleor_proactive.store.models.visitors import Visitor
from tests.fixtures.storefront import ShopRows

SEEN_AT = datetime(2026, 11, 30, 9, 15, 30, 250_000, tzinfo=UTC)


def _visitor_row(database: Database, installation_id: int) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            Visitor.__table__.insert(),
            {
                "installation_id": installation_id,
                "visitor_id": "v_driver",
                "channel": "default-channel",
                "session_id": "s_1",
                "session_started_at": SEEN_AT,
                "last_seen_at": SEEN_AT,
                "products_viewed": ["UHJvZHVjdDox"],
                "categories_viewed": [],
                "max_viewed_product_price": Decimal("12.5000"),
                "frequency": {"t1": {"session": 2}},
                "recent_actions": [],
            },
        )


READ = DriverStatement(
    select(
        Visitor.visitor_id,
        Visitor.last_seen_at,
        Visitor.max_viewed_product_price,
        Visitor.frequency,
        Visitor.page_started_at,
    ).where(
        Visitor.installation_id == bindparam("installation_id"),
        Visitor.visitor_id == bindparam("visitor_id"),
    )
)


def test_values_come_back_as_the_columns_types_say(database: Database, shop: ShopRows) -> None:
    _visitor_row(database, shop.installation_id)
    params = {"installation_id": shop.installation_id, "visitor_id": "v_driver"}
    with database.visitor_engine.connect() as connection:
        expected = connection.execute(READ.statement, params).one()
        for _ in range(2):  # the first run learns the result conversions, the second reuses them
            row = READ.first(connection, params)
            assert row == tuple(expected)
    assert row == ("v_driver", SEEN_AT, Decimal("12.5000"), {"t1": {"session": 2}}, None)
    assert row[1].tzinfo is UTC  # stored without a zone, handed back aware, as UTCDateTime says


def test_no_row_is_none_and_parameters_go_through_their_types(
    database: Database, shop: ShopRows
) -> None:
    statement = DriverStatement(
        select(Installation.id).where(
            Installation.id == bindparam("id"), Installation.created_at < bindparam("before")
        )
    )
    with database.visitor_engine.connect() as connection:
        assert (
            statement.first(connection, {"id": shop.installation_id + 1, "before": SEEN_AT}) is None
        )
        # an aware datetime is bound as UTCDateTime binds it (a naive one would be refused)
        found = statement.rows(
            connection, {"id": shop.installation_id, "before": datetime(2100, 1, 1, tzinfo=UTC)}
        )
        assert found == [(shop.installation_id,)]
        with pytest.raises(StatementError, match="naive datetimes"):
            statement.rows(connection, {"id": shop.installation_id, "before": datetime(2100, 1, 1)})


def test_a_parameter_used_twice_is_bound_in_both_places(database: Database) -> None:
    twice = bindparam("n", type_=Integer)
    statement = DriverStatement(select(twice + 1, cast(twice, String), literal("fixed")))
    with database.visitor_engine.connect() as connection:
        assert statement.rows(connection, {"n": 41}) == [(42, "41", "fixed")]


def test_a_database_error_is_sqlalchemys_and_the_connection_stays_usable(
    database: Database,
) -> None:
    statement = DriverStatement(select(func.no_such_function(bindparam("x", type_=Integer))))
    expected = OperationalError if _sqlite(database) else ProgrammingError
    with database.visitor_engine.connect() as connection:
        with pytest.raises(expected, match="no_such_function"):
            statement.rows(connection, {"x": 1})
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar_one() == 1


def test_a_missing_parameter_is_named(database: Database) -> None:
    statement = DriverStatement(select(bindparam("wanted", type_=Integer)))
    with (
        database.visitor_engine.connect() as connection,
        pytest.raises(StatementError, match="wanted"),
    ):
        statement.rows(connection, {"other": 1})


@pytest.mark.parametrize(
    "parameter",
    [
        bindparam("ids", expanding=True),
        bindparam("ids", value=[1], literal_execute=True),
        bindparam("ids", callable_=lambda: [1]),
    ],
    ids=["expanding", "literal_execute", "callable"],
)
def test_parameters_it_cannot_bind_as_given_are_refused_when_first_run(
    database: Database, parameter: BindParameter[Any]
) -> None:
    listed = DriverStatement(select(Installation.id).where(Installation.id.in_(parameter)))
    with (
        database.visitor_engine.connect() as connection,
        pytest.raises(ValueError, match="not bound as given"),
    ):
        listed.rows(connection, {"ids": [1, 2]})


def test_after_the_server_dropped_its_connections_one_statement_fails_not_each(
    database: Database,
) -> None:
    if _sqlite(database):
        pytest.skip("server connections exist on PostgreSQL only")
    backend = DriverStatement(select(func.pg_backend_pid()))
    # given two pooled connections, both used a moment ago (so not pinged before their next use)
    pooled = [database.visitor_engine.connect() for _ in range(2)]
    pids = [(backend.first(connection, {}) or (0,))[0] for connection in pooled]
    for connection in pooled:
        connection.close()

    # when the server drops both, as a restart does
    _terminate(database, pids)

    # then the next statement fails, with its connection invalidated ...
    with database.visitor_engine.connect() as connection:
        with pytest.raises(OperationalError) as raised:
            backend.rows(connection, {})
        assert raised.value.connection_invalidated and connection.invalidated

    # ... and so is the other connection of that pool: the next request gets a live one
    with database.visitor_engine.connect() as connection:
        (alive,) = backend.first(connection, {}) or (0,)
    assert alive not in pids


def _terminate(database: Database, pids: list[int]) -> None:
    with database.engine.connect() as admin:
        for pid in pids:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(100):  # terminating is asynchronous
            gone = admin.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                {"pids": pids},
            ).scalar_one()
            if gone == 0:
                return
            admin.rollback()  # a transaction keeps its first snapshot of pg_stat_activity
            time.sleep(0.02)
    raise AssertionError("the backends did not terminate")


def _sqlite(database: Database) -> bool:
    return database.engine.dialect.name == "sqlite"


def test_an_update_says_how_many_rows_it_changed_and_commits_with_the_connection(
    database: Database, shop: ShopRows
) -> None:
    _visitor_row(database, shop.installation_id)
    rename = DriverStatement(
        update(Visitor)
        .where(Visitor.visitor_id == bindparam("visitor_id"))
        .values(channel=bindparam("channel"), last_seen_at=bindparam("seen"))
    )
    later = SEEN_AT.replace(hour=10)
    with database.engine.connect() as connection:  # transactions, not autocommit
        missing = {"visitor_id": "v_nobody", "channel": "x", "seen": later}
        assert rename.affected(connection, missing) == 0
        found = {"visitor_id": "v_driver", "channel": "second-channel", "seen": later}
        assert rename.affected(connection, found) == 1
        connection.commit()
    with database.engine.connect() as connection:
        stored = connection.execute(select(Visitor.channel, Visitor.last_seen_at)).one()
    assert tuple(stored) == ("second-channel", later)


def test_it_uses_only_sqlalchemys_public_api() -> None:
    """Private names may change in any release; with them the driver would need a version cap."""
    tree = ast.parse(Path(driver.__file__).read_text())
    private_attributes = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and _private(node.attr)
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    }
    private_imports = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if _private(alias.name) or any(_private(part) for part in (node.module or "").split("."))
    }
    assert private_attributes | private_imports == set()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")
