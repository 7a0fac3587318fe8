"""The periodic analytics job: finalise settled days and purge expired visitor data.

No separate worker process: the server starts the job in each of its processes
(`start_maintenance`, called by `serve` in every worker and by `demo`), as a background thread
that runs it every `Settings.analytics_job_interval` (one hour), the first run one interval
after the start. Requests never run it. Running it in several processes at once is harmless:
the rollup and the purge are idempotent, and a run that loses a race rolls back and is retried
at the next interval. Operators who prefer cron call `saleor-proactive purge` instead, and
tests call `run_maintenance(database)` directly.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select

from ..store.db import Database, get_database
from ..store.models import Installation, utcnow
from .retention import PurgeCounts, purge_installation
from .rollup import pending_days, rollup

logger = logging.getLogger(__name__)

EXTENSION_KEY = "proactive_analytics_maintenance"


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


class Maintenance:
    """The job's background thread in one process; `stop` ends it after the current run."""

    def __init__(self, database: Database, interval: timedelta) -> None:
        self.database = database
        self.interval = interval
        self.last_counts: PurgeCounts | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="analytics-job")

    def start(self) -> Maintenance:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopped.wait(self.interval.total_seconds()):
            self._run()

    def _run(self) -> None:
        try:
            self.last_counts = run_maintenance(self.database)
            logger.info("analytics maintenance done: %s", self.last_counts)
        except Exception:
            # Another process may have won a race on the same day; the next run catches up.
            logger.exception("analytics maintenance failed; retrying at the next interval")


def start_maintenance(app: Flask) -> Maintenance:
    """Start the job for this process (once per app); the server calls it at start-up."""
    maintenance: Maintenance | None = app.extensions.get(EXTENSION_KEY)
    if maintenance is None:
        interval = app.config["PROACTIVE"].analytics_job_interval
        maintenance = Maintenance(get_database(app), interval).start()
        app.extensions[EXTENSION_KEY] = maintenance
    return maintenance
