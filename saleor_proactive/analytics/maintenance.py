"""The periodic analytics job: finalise settled days and purge expired visitor data.

The queue's worker runs it hourly (`jobs.tasks`, a huey periodic task under a lock, so several
workers run it once); requests never do. It is idempotent anyway: the rollup and the purge can
run twice, and a run that loses a race rolls back and is retried at the next hour. Operators
may also call `saleor-proactive purge`, and tests call `run_maintenance(database)` directly.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..store.db import Database
from ..store.models import Installation, utcnow
from .retention import PurgeCounts, purge_installation
from .rollup import pending_days, rollup


def run_maintenance(database: Database, now: datetime | None = None) -> PurgeCounts:
    """One run of the job: each day's rollup, then each installation's purge, in its own
    transaction, so SQLite writers (the visitor API) never wait long behind the job."""
    now = now or utcnow()
    with database.session() as session:
        installation_ids = list(session.scalars(select(Installation.id).order_by(Installation.id)))
    total = PurgeCounts()
    for installation_id in installation_ids:
        with database.session() as session:
            days = pending_days(session, installation_id, now)
        for day in days:
            with database.session() as session:
                rollup(session, installation_id, day, now)
        with database.session() as session:
            installation = session.get(Installation, installation_id)
            if installation is not None:  # uninstalled meanwhile
                total += purge_installation(session, installation, now)
        total += PurgeCounts(days_rolled_up=len(days))
    return total
