"""The periodic analytics job: finalise settled days and purge expired visitor data.

No separate worker process: the server starts the job in each of its processes
(`start_maintenance`, called by `serve` in every worker and by `demo`), as a background thread
that runs it every `Settings.analytics_job_interval` (one hour), the first run one interval
after the start. Requests never run it. Running it in several processes at once is harmless:
the rollup and the purge are idempotent, and a run that loses a race rolls back and is retried
at the next interval. Operators who prefer cron call `saleor-proactive purge` instead, and
tests call `run_maintenance(database)` directly.

The same thread brings each installation's webhooks up to the app's declarations
(`saleor.upgrade`): shortly after the start, so a new release's events reach shops installed
with an older one within two minutes, then at every run. A current installation costs one query.

Each run also keeps the offers' codes (`offers.pool.upkeep`): expired unused codes removed,
vouchers of deleted offers deactivated, pools topped up.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from flask import Flask
from sqlalchemy import select

from ..offers import pool
from ..saleor.upgrade import upgrade_all_installations
from ..store.db import Database, get_database
from ..store.models import Installation, utcnow
from .retention import PurgeCounts, purge_installation
from .rollup import pending_days, rollup

logger = logging.getLogger(__name__)

EXTENSION_KEY = "proactive_analytics_maintenance"
# Long enough for a starting server to answer its first requests, short enough to be "soon".
WEBHOOK_UPGRADE_DELAY = timedelta(seconds=30)
# Workers start together: spread their first upgrades, so that two of them rarely both find a
# webhook missing and both create it (the upgrade compares and then writes, without a lock).
WEBHOOK_UPGRADE_SPREAD = timedelta(seconds=60)


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

    def __init__(
        self,
        database: Database,
        interval: timedelta,
        upgrade_webhooks: Callable[[], object] | None = None,
        upgrade_delay: timedelta | None = None,
        offer_pool: Callable[[], object] | None = None,
    ) -> None:
        self.database = database
        self.offer_pool = offer_pool
        self.interval = interval
        self.upgrade_webhooks = upgrade_webhooks
        if upgrade_delay is None:
            spread = random.uniform(0, WEBHOOK_UPGRADE_SPREAD.total_seconds())
            upgrade_delay = WEBHOOK_UPGRADE_DELAY + timedelta(seconds=spread)
        self.upgrade_delay = upgrade_delay
        self.last_counts: PurgeCounts | None = None
        self.webhook_upgrades = 0
        self._upgrading = threading.Lock()  # the first upgrade and a run's never overlap
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="analytics-job")
        # The first webhook upgrade comes soon after the start, not one interval later.
        self._first_upgrade = threading.Timer(self.upgrade_delay.total_seconds(), self._upgrade)
        self._first_upgrade.daemon = True

    def start(self) -> Maintenance:
        self._thread.start()
        if self.upgrade_webhooks is not None:
            self._first_upgrade.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self._stopped.set()
        self._first_upgrade.cancel()
        if self._first_upgrade.is_alive():
            self._first_upgrade.join(timeout)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopped.wait(self.interval.total_seconds()):
            self._run()
            self._upgrade()

    def _run(self) -> None:
        try:
            self.last_counts = run_maintenance(self.database)
            logger.info("analytics maintenance done: %s", self.last_counts)
        except Exception:
            # Another process may have won a race on the same day; the next run catches up.
            logger.exception("analytics maintenance failed; retrying at the next interval")
        if self.offer_pool is not None:
            try:
                self.offer_pool()
            except Exception:
                logger.exception("offer pool upkeep failed; retrying at the next interval")

    def _upgrade(self) -> None:
        if self.upgrade_webhooks is None:
            return
        with self._upgrading:
            try:
                self.upgrade_webhooks()
            except Exception:
                logger.exception("webhook upgrade failed; retrying at the next interval")
            self.webhook_upgrades += 1


def start_maintenance(app: Flask) -> Maintenance:
    """Start the job for this process (once per app); the server calls it at start-up."""
    maintenance: Maintenance | None = app.extensions.get(EXTENSION_KEY)
    if maintenance is None:
        settings = app.config["PROACTIVE"]
        database = get_database(app)
        upgrade = offer_pool = None
        if settings.secret_key:  # without it no app token can be read
            upgrade = partial(upgrade_all_installations, database, settings)
            offer_pool = partial(pool.upkeep, database, settings)
        interval = settings.analytics_job_interval
        maintenance = Maintenance(database, interval, upgrade, offer_pool=offer_pool).start()
        app.extensions[EXTENSION_KEY] = maintenance
    return maintenance
