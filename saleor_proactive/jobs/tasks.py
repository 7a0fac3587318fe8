"""The app's background tasks on one huey instance, and the consumer that runs them.

Periodic tasks are enqueued by every running consumer's scheduler, so with several workers
each fires once per worker. The hourly ones take a huey lock (kept in the queue's storage,
shared by all workers of one queue) and a worker that finds it taken skips the run; their work
is idempotent anyway (rollup, purge, webhook upgrade). The offers' upkeep runs every five
minutes under a lock of its own five minutes, so expired codes leave Saleor soon after expiry.
The reminder scan takes no lock: it only inserts rows a unique constraint keeps single and
enqueues deliveries that are claimed in the database, so two scans at once cost time, never a
duplicate message.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from huey import Huey, crontab
from huey.api import TaskWrapper
from huey.consumer import Consumer
from huey.exceptions import TaskLockedException

from ..analytics.maintenance import run_maintenance
from ..config import Settings
from ..offers import pool
from ..saleor.upgrade import upgrade_all_installations
from ..store.db import Database, Timeouts
from .queue import default_queue_url, make_huey

logger = logging.getLogger(__name__)

# Long enough for a starting server to answer its first requests, short enough to be "soon";
# workers starting together spread their first upgrades over a minute.
WEBHOOK_UPGRADE_DELAY = timedelta(seconds=30)
WEBHOOK_UPGRADE_SPREAD = timedelta(seconds=60)
# Hourly tasks lock per hour: a worker killed mid-run blocks that hour's run only, as neither
# storage here expires a lock (huey's lock TTL needs Redis 7.4). The hour before last's lock
# is deleted by the next run.
HOUR_SECONDS = 3600
OFFER_UPKEEP_SECONDS = 300


@dataclass
class Jobs:
    """The tasks, bound to one database and one queue."""

    settings: Settings
    database: Database
    huey: Huey
    tasks: dict[str, TaskWrapper] = field(default_factory=dict)

    def task(self, name: str) -> TaskWrapper:
        return self.tasks[name]

    def locked(self, lock: str, work: Callable[[], Any], period: int = HOUR_SECONDS) -> Any:
        """`work()` unless another worker runs it in this period (an hour); None then."""
        slot = int(time.time() // period)
        self.huey.delete(f"{self.huey.name}.lock.{lock}:{slot - 2}")
        try:
            with self.huey.lock_task(f"{lock}:{slot}"):
                return work()
        except TaskLockedException:
            logger.info("%s is running in another worker; skipped", lock)
            return None

    def maintenance(self) -> Any:
        return self.locked("maintenance", lambda: run_maintenance(self.database))

    def offer_upkeep(self) -> Any:
        """Expired codes out of Saleor, deleted offers' vouchers ended, pools topped up."""
        if not self.settings.secret_key:  # without it no app token can be read
            return None
        return self.locked(
            "offer-upkeep", lambda: pool.upkeep(self.database, self.settings), OFFER_UPKEEP_SECONDS
        )

    def upgrade_webhooks(self) -> Any:
        if not self.settings.secret_key:  # without it no app token can be read
            return None
        return self.locked(
            "upgrade-webhooks", lambda: upgrade_all_installations(self.database, self.settings)
        )

    def schedule_first_upgrade(self) -> None:
        spread = random.uniform(0, WEBHOOK_UPGRADE_SPREAD.total_seconds())
        delay = WEBHOOK_UPGRADE_DELAY.total_seconds() + spread
        self.task("upgrade_webhooks").schedule(delay=delay)


def build_jobs(
    settings: Settings, *, database: Database | None = None, huey: Huey | None = None
) -> Jobs:
    """The tasks for `settings`; a worker, `serve` and the tests each build their own."""
    if database is None:
        timeouts = Timeouts(settings.database_connect_timeout, settings.database_statement_timeout)
        database = Database(settings.database_url, timeouts)
    if huey is None:
        huey = make_huey(settings.queue_url or default_queue_url(settings.database_url))
    jobs = Jobs(settings, database, huey)
    _register(jobs)
    return jobs


def _register(jobs: Jobs) -> None:
    huey = jobs.huey

    # Hourly, at minutes a busy top of the hour leaves alone.
    @huey.periodic_task(crontab(minute="7"), name="proactive.maintenance")
    def maintenance() -> None:
        counts = jobs.maintenance()
        if counts is not None:
            logger.info("analytics maintenance done: %s", counts)

    @huey.periodic_task(crontab(minute="37"), name="proactive.upgrade_webhooks")
    def upgrade_webhooks() -> None:
        jobs.upgrade_webhooks()

    @huey.periodic_task(crontab(minute="*/5"), name="proactive.offer_upkeep")
    def offer_upkeep() -> None:
        report = jobs.offer_upkeep()
        if report is not None:
            logger.info("offer codes kept: %s", report)

    jobs.tasks.update(
        maintenance=maintenance, upgrade_webhooks=upgrade_webhooks, offer_upkeep=offer_upkeep
    )
    from ..reminders.jobs import register_reminder_tasks

    register_reminder_tasks(jobs)


class BackgroundConsumer(Consumer):
    """A consumer that leaves the process's signal handlers alone: for one started inside
    another program (the demo, tests), which stops it with `stop()`."""

    def _set_signal_handlers(self) -> None:
        pass


def start_background_consumer(jobs: Jobs, workers: int = 2) -> BackgroundConsumer:
    consumer = BackgroundConsumer(
        jobs.huey,
        workers=workers,
        worker_type="thread",
        periodic=True,
        initial_delay=0.05,
        max_delay=0.5,
    )
    consumer.start()
    return consumer


def stop_background_consumer(consumer: BackgroundConsumer) -> None:
    consumer.stop(graceful=True)
