"""Statements run on the driver give what `Connection.execute` would, errors included."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Integer, String, bindparam, cast, func, literal, select, text, update
from sqlalchemy.exc import OperationalError, StatementError

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
        with pytest.raises(ValueError, match="naive datetimes"):
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
    with database.visitor_engine.connect() as connection:
        with pytest.raises(OperationalError if _sqlite(database) else StatementError) as raised:
            statement.rows(connection, {"x": 1})
        assert "no_such_function" in str(raised.value)
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar_one() == 1


def test_statements_it_cannot_run_faithfully_are_refused_when_first_run(database: Database) -> None:
    listed = DriverStatement(
        select(Installation.id).where(Installation.id.in_(bindparam("ids", expanding=True)))
    )
    with database.visitor_engine.connect() as connection, pytest.raises(ValueError, match="expand"):
        listed.rows(connection, {"ids": [1, 2]})


def test_a_connection_the_server_dropped_is_invalidated_not_reused(database: Database) -> None:
    if _sqlite(database):
        pytest.skip("server connections exist on PostgreSQL only")
    pid = DriverStatement(select(func.pg_backend_pid()))
    with database.visitor_engine.connect() as connection:
        (dead,) = pid.first(connection, {}) or (None,)
        with database.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
        with pytest.raises(OperationalError) as raised:
            pid.rows(connection, {})
        assert raised.value.connection_invalidated
    with database.visitor_engine.connect() as connection:  # the pool replaced it
        (alive,) = pid.first(connection, {}) or (None,)
        assert alive is not None and alive != dead


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
