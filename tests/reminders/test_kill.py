"""A worker killed with `kill -9` in the middle of a backlog: another finishes it, and the
SMTP server received no reminder twice and none is lost (each is sent, or recorded as
uncertain because the killed worker was sending it)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from saleor_proactive.config import Settings
from saleor_proactive.jobs.tasks import build_jobs
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import ReminderDelivery
from tests.fixtures.dashboard import MerchantInstallation
from tests.fixtures.reminders import Mailbox, abandon_checkout, enable_reminders
from tests.test_cli import CLI, clean_env
from tests.waiting import wait_until

BACKLOG = 300
THREADS = 4


def _states(database: Database) -> Counter[str]:
    with database.session() as session:
        return Counter(
            dict(
                session.execute(
                    select(ReminderDelivery.state, func.count()).group_by(ReminderDelivery.state)
                ).all()
            )
        )


def _keys(database: Database, state: str) -> set[str]:
    with database.session() as session:
        return {
            f"{i}:{c}:{s}"
            for i, c, s in session.execute(
                select(
                    ReminderDelivery.installation_id,
                    ReminderDelivery.checkout_id,
                    ReminderDelivery.step,
                ).where(ReminderDelivery.state == state)
            )
        }


def test_a_worker_killed_mid_backlog_loses_nothing_and_sends_nothing_twice(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    tmp_path: Path,
) -> None:
    # given 300 due reminders, a mail server taking 10 ms per message, and a worker process
    box, _port = mailbox
    box.delay_seconds = 0.01
    enable_reminders(database, merchant.id)
    for number in range(BACKLOG):
        abandon_checkout(database, merchant, number)
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    env = clean_env(
        PROACTIVE_DATABASE_URL=reminder_settings.database_url,
        PROACTIVE_QUEUE_URL=queue_url,
        PROACTIVE_SECRET_KEY=reminder_settings.secret_key or "",
        PROACTIVE_SMTP_URL=reminder_settings.smtp_url or "",
        PROACTIVE_PUBLIC_URL=reminder_settings.public_url or "",
        PROACTIVE_REMINDER_LEASE_SECONDS="2",
        PROACTIVE_LOG_LEVEL="WARNING",
    )
    jobs = build_jobs(reminder_settings.with_overrides(queue_url=queue_url), database=database)

    def start_worker() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*CLI, "worker", "--threads", str(THREADS)],
            env=env,
            text=True,
            stderr=subprocess.DEVNULL,
        )

    first = start_worker()
    try:
        jobs.task("reminders_scan")()  # the minute's scan, enqueued as the scheduler does
        # when the worker is killed once about a fifth has gone
        assert wait_until(lambda: len(box.messages) >= BACKLOG // 5, timeout=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = len(box.messages)

        # and another worker takes over; its scans come after the killed one's lease
        second = start_worker()
        try:

            def settled() -> bool:
                states = _states(database)
                if states["pending"] + states["retry"] + states["claimed"] == 0:
                    return True
                jobs.task("reminders_scan")()
                return False

            assert wait_until(settled, timeout=90, poll=2.5)
        finally:
            second.send_signal(signal.SIGINT)
            second.wait(30)
    finally:
        if first.poll() is None:
            first.kill()

    # then: no duplicates, every reminder sent (and received) or recorded as uncertain
    received = Counter(box.keys())
    duplicates = sum(count - 1 for count in received.values())
    sent, uncertain = _keys(database, "sent"), _keys(database, "uncertain")
    assert killed_at < BACKLOG
    assert duplicates == 0
    assert sent <= set(received)
    assert len(sent) + len(uncertain) == BACKLOG
    assert len(uncertain) <= THREADS  # at most what the killed worker held at that moment
    assert set(received) - sent <= uncertain  # what left but was not recorded is uncertain
