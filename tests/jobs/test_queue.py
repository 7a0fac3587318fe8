"""The background work goes through huey: which storage, the worker command, the locks."""

from __future__ import annotations

import signal
import subprocess
import threading
from pathlib import Path

import pytest
import redis
from huey import RedisHuey, SqliteHuey
from sqlalchemy import func, select

from saleor_proactive.config import ConfigError, Settings, settings_from_env
from saleor_proactive.jobs.queue import default_queue_url, make_huey
from saleor_proactive.jobs.tasks import Jobs, build_jobs
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Installation, Interaction, utcnow
from tests.fixtures.analytics import ShopHistory
from tests.fixtures.dashboard import MerchantInstallation
from tests.test_cli import CLI, clean_env
from tests.waiting import wait_until

REDIS_URL = "redis://127.0.0.1:6379/5"


def _old_traffic(database: Database, installation_id: int) -> None:
    from datetime import timedelta

    at = utcnow() - timedelta(days=100)
    with database.session() as session:
        installation = session.get(Installation, installation_id)
        assert installation is not None
        ShopHistory(session, installation).interact("a", "trg_help", "impression", at)


def _interactions(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Interaction)) or 0


def test_the_queue_is_a_sqlite_file_beside_a_sqlite_database_unless_configured() -> None:
    # given / when / then
    assert default_queue_url("sqlite:////data/shop/proactive.db") == (
        "sqlite:////data/shop/proactive-queue.db"
    )
    assert default_queue_url("postgresql://db/shop") == "sqlite:///./proactive-queue.db"
    assert isinstance(make_huey("sqlite:////tmp/x-queue.db"), SqliteHuey)
    assert isinstance(make_huey(REDIS_URL), RedisHuey)


@pytest.mark.parametrize(
    ("value", "problem"),
    [("amqp://broker", "must start with redis://"), ("sqlite:///", "sqlite:/// needs a file path")],
)
def test_a_malformed_queue_url_is_refused_at_start_naming_the_variable(
    value: str, problem: str
) -> None:
    with pytest.raises(ConfigError, match=f"PROACTIVE_QUEUE_URL {problem}"):
        settings_from_env({"PROACTIVE_QUEUE_URL": value})


def test_a_periodic_task_runs_once_while_another_worker_holds_its_lock(jobs: Jobs) -> None:
    # given another worker running this hour's maintenance right now
    import time

    with jobs.huey.lock_task(f"maintenance:{int(time.time() // 3600)}"):
        # when this worker's scheduler fires it too
        skipped = jobs.maintenance()
    # then this one skips it, and runs it once the lock is free
    assert skipped is None
    assert jobs.maintenance() is not None


def test_tasks_go_through_redis_when_the_queue_url_says_so(
    settings: Settings, database: Database, merchant: MerchantInstallation
) -> None:
    # given a Redis queue (db 5, emptied) and old visitor data
    redis.Redis.from_url(REDIS_URL).flushdb()
    _old_traffic(database, merchant.id)
    jobs = build_jobs(settings.with_overrides(queue_url=REDIS_URL), database=database)

    # when the maintenance task is enqueued, it waits in Redis until a worker takes it
    jobs.task("maintenance")()
    assert len(jobs.huey) == 1
    from saleor_proactive.jobs.tasks import start_background_consumer, stop_background_consumer

    consumer = start_background_consumer(jobs)
    try:
        purged = wait_until(lambda: _interactions(database) == 0)
    finally:
        stop_background_consumer(consumer)

    # then a worker ran it from there
    assert purged
    assert len(jobs.huey) == 0


def test_the_worker_command_runs_queued_tasks_and_stops_on_ctrl_c(
    settings: Settings, database: Database, merchant: MerchantInstallation, tmp_path: Path
) -> None:
    # given a `saleor-proactive worker` on a SQLite queue file, and old visitor data
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    _old_traffic(database, merchant.id)
    env = clean_env(
        PROACTIVE_DATABASE_URL=settings.database_url,
        PROACTIVE_QUEUE_URL=queue_url,
        PROACTIVE_SECRET_KEY=settings.secret_key or "",
    )
    worker = subprocess.Popen(
        [*CLI, "worker", "--threads", "2"], env=env, text=True, stderr=subprocess.PIPE
    )
    try:
        # when the web side (another process) enqueues the maintenance
        build_jobs(settings.with_overrides(queue_url=queue_url), database=database).task(
            "maintenance"
        )()
        purged = wait_until(lambda: _interactions(database) == 0, timeout=30)
    finally:
        worker.send_signal(signal.SIGINT)
        _out, logged = worker.communicate(timeout=30)

    # then the worker ran it, and Ctrl-C stopped it cleanly
    assert purged, logged
    assert worker.returncode == 0, logged
    assert "proactive.maintenance" in logged  # huey lists the tasks it serves


def test_a_consumer_started_inside_a_program_leaves_its_signal_handlers_alone(
    jobs: Jobs,
) -> None:
    from saleor_proactive.jobs.tasks import start_background_consumer, stop_background_consumer

    before = signal.getsignal(signal.SIGINT)
    assert threading.current_thread() is threading.main_thread()
    consumer = start_background_consumer(jobs)
    try:
        assert signal.getsignal(signal.SIGINT) is before
    finally:
        stop_background_consumer(consumer)
