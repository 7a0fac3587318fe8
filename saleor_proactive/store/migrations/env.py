"""Alembic environment: runs against the connection or URL handed over by `store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from saleor_proactive.store.db import make_engine
from saleor_proactive.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    # Batch mode lets later ALTERs work on SQLite, which rebuilds tables to change them.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as new_connection:
        run_with(new_connection)
    engine.dispose()
