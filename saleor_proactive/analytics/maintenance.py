"""The periodic analytics job: finalise settled days and purge expired visitor data.

No separate worker process: every app process runs the job at most once per interval
(default one hour), started by the first request after it fell due and run in a background
thread so that request is not slowed down. The first run falls one interval after the
process served its first request. Running it in several processes at once is harmless: the
rollup and the purge are idempotent, and a run that loses a race rolls back and is retried at
the next interval. Operators who prefer cron call `saleor-proactive purge` instead
(`run_maintenance(database)`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select

from ..store.db import Database, get_database
from ..store.models import Installation, utcnow
from .retention import PurgeCounts, purge_installation
from .rollup import pending_days, rollup

logger = logging.getLogger(__name__)

EXTENSION_KEY = "proactive_analytics_maintenance"
DEFAULT_INTERVAL = timedelta(hours=1)
# Settings.extra key (seconds) with which tests and the demo shorten the interval.
INTERVAL_SETTING = "analytics_maintenance_interval_seconds"


@dataclass
class MaintenanceState:
    interval: timedelta
    next_due: datetime
    running: threading.Lock = field(default_factory=threading.Lock)
    last_counts: PurgeCounts | None = None


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


def maybe_run_maintenance() -> None:
    """Request hook: start the job in the background when it is due in this process."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    state = _state(app)
    now = utcnow()
    if now < state.next_due or not state.running.acquire(blocking=False):
        return
    state.next_due = now + state.interval
    threading.Thread(target=_run, args=(app, state), daemon=True, name="analytics-job").start()


def _state(app: Flask) -> MaintenanceState:
    state: MaintenanceState | None = app.extensions.get(EXTENSION_KEY)
    if state is None:
        seconds = app.config["PROACTIVE"].extra.get(INTERVAL_SETTING)
        interval = timedelta(seconds=float(seconds)) if seconds else DEFAULT_INTERVAL
        state = app.extensions.setdefault(
            EXTENSION_KEY, MaintenanceState(interval=interval, next_due=utcnow() + interval)
        )
    return state


def _run(app: Flask, state: MaintenanceState) -> None:
    try:
        state.last_counts = run_maintenance(get_database(app))
        logger.info("analytics maintenance done: %s", state.last_counts)
    except Exception:
        # Another process may have won a race on the same day; the next run catches up.
        logger.exception("analytics maintenance failed; retrying at the next interval")
    finally:
        state.running.release()
