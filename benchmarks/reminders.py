"""Reminders: due reminders processed per second with one and with two workers, the time from
due to sent at p50/p99 under a backlog of 10,000, and the duplicates after `kill -9` of a worker
during a backlog (must be 0).

Real parts throughout: `saleor-proactive worker` processes on a huey SQLite queue, the app's
SQLite database (the embedded default), and an aiosmtpd server on 127.0.0.1 that counts what
it receives. Each worker runs 4 threads.

    python -m benchmarks reminders [--backlog 10000] [--kill-backlog 2000]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select

from saleor_proactive.config import Settings
from saleor_proactive.jobs.tasks import build_jobs
from saleor_proactive.merchant_settings.document import MerchantSettings
from saleor_proactive.store import migrate
from saleor_proactive.store.db import Database
from saleor_proactive.store.installations import upsert_installation
from saleor_proactive.store.merchant_settings import save_settings
from saleor_proactive.store.models import CheckoutSnapshot, ReminderDelivery, utcnow

from .databases import sqlite_database
from .server import free_port

SECRET = "bench-secret-bench-secret-bench-secret-bench"
THREADS = 4


class Counting:
    """An SMTP server that counts messages per reminder key."""

    def __init__(self) -> None:
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        key = str(message_from_bytes(envelope.content)["X-Proactive-Reminder"])
        with self.lock:
            self.keys[key] += 1
        return "250 OK"

    def received(self) -> int:
        with self.lock:
            return sum(self.keys.values())


def seed(url: str, backlog: int) -> int:
    """An installation with reminders on and `backlog` checkouts that came due just now."""
    database = Database(url)
    with database.session() as session:
        installation, _ = upsert_installation(
            session,
            saleor_api_url="https://bench.example.com/graphql/",
            app_id="QXBwOjE=",
            token="bench-app-token",
            jwks={"keys": []},
            secret=SECRET,
        )
        reminders = {
            "enabled": True,
            "checkoutUrl": "https://bench.example.com/checkout?token={token}",
            "holdoutPercent": 0,
        }
        save_settings(session, installation, MerchantSettings.from_json({"reminders": reminders}))
        installation_id = installation.id
    abandoned = utcnow() - timedelta(minutes=61)
    line = {
        "variantId": "V",
        "productId": "P",
        "categoryId": None,
        "quantity": 1,
        "net": "20.00",
        "gross": "20.00",
        "undiscounted": "20.00",
    }
    rows = [
        {
            "installation_id": installation_id,
            "checkout_id": f"bench-{number}",
            "channel_slug": "default-channel",
            "currency": "EUR",
            "subtotal_net": Decimal(20),
            "subtotal_gross": Decimal(20),
            "total_gross": Decimal(20),
            "discount": Decimal(0),
            "items_quantity": 1,
            "lines": [line],
            "fully_paid": False,
            "shipping_required": True,
            "email": f"buyer{number}@example.com",
            "token": f"token-{number}",
            "saleor_updated_at": abandoned,
            "received_at": abandoned,
        }
        for number in range(backlog)
    ]
    with database.session() as session:
        session.execute(insert(CheckoutSnapshot), rows)
    database.dispose()
    return installation_id


def start_workers(env: dict[str, str], count: int) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "saleor_proactive.cli", "worker", "--threads", str(THREADS)]
    return [subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL) for _ in range(count)]


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
    for worker in workers:
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def unfinished(database: Database, backlog: int) -> bool:
    """Rows the scan has yet to create, or rows not yet sent, failed or uncertain."""
    with database.session() as session:
        counts = dict(
            session.execute(
                select(ReminderDelivery.state, func.count()).group_by(ReminderDelivery.state)
            ).all()
        )
    open_states = sum(counts.get(state, 0) for state in ("pending", "retry", "claimed"))
    return sum(counts.values()) < backlog or open_states > 0


def run(backlog: int, workers: int, kill_after: float | None = None) -> dict[str, Any]:
    """One backlog through `workers` worker processes; with `kill_after`, one worker is
    killed with SIGKILL once that share of the backlog was received, and replaced."""
    box = Counting()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    with sqlite_database("bench-reminders-") as url:
        migrate.upgrade(url)
        seed(url, backlog)
        queue_url = url.replace("bench.db", "queue.db")
        lease = "3" if kill_after is not None else "300"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PROACTIVE_")},
            "PROACTIVE_DATABASE_URL": url,
            "PROACTIVE_QUEUE_URL": queue_url,
            "PROACTIVE_SECRET_KEY": SECRET,
            "PROACTIVE_SMTP_URL": f"smtp://127.0.0.1:{port}?from=shop%40example.com",
            "PROACTIVE_PUBLIC_URL": "http://127.0.0.1:9169",
            "PROACTIVE_REMINDER_LEASE_SECONDS": lease,
            "PROACTIVE_LOG_LEVEL": "ERROR",
        }
        settings = Settings(
            database_url=url,
            secret_key=SECRET,
            queue_url=queue_url,
            reminder_lease_seconds=float(lease),
        )
        database = Database(url)
        jobs = build_jobs(settings, database=database)
        running = start_workers(env, workers)
        time.sleep(2.0)  # the workers' start-up (imports, migrations) is not the figure
        try:
            jobs.task("reminders_scan")()  # the minute's scan: all came due at once
            if kill_after is not None:
                while box.received() < backlog * kill_after:
                    time.sleep(0.05)
                os.kill(running[0].pid, signal.SIGKILL)
                running[0].wait()
                running[1:] = running[1:] + start_workers(env, 1)
            deadline = time.monotonic() + 1800
            while unfinished(database, backlog) and time.monotonic() < deadline:
                time.sleep(1.0)
                if kill_after is not None:  # later minutes' scans find what the kill left
                    jobs.task("reminders_scan")()
        finally:
            stop(running)
            controller.stop()
        with database.session() as session:
            timings = session.execute(
                select(ReminderDelivery.due_at, ReminderDelivery.sent_at, ReminderDelivery.state)
            ).all()
        database.dispose()
    sent = [(due, at) for due, at, state in timings if state == "sent" and at is not None]
    states = Counter(state for _due, _at, state in timings)
    latencies = sorted((at - due).total_seconds() for due, at in sent)
    span = max(at for _d, at in sent) - min(due for due, _a in sent)
    return {
        "per_second": len(sent) / max(span.total_seconds(), 1e-9),
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "duplicates": sum(count - 1 for count in box.keys.values() if count > 1),
        "received": box.received(),
        "states": dict(states),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks reminders")
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--kill-backlog", type=int, default=2_000)
    args = parser.parse_args()
    print(f"backlog {args.backlog} due reminders, SQLite, workers of {THREADS} threads each")
    for workers in (1, 2):
        figures = run(args.backlog, workers)
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}: "
            f"{figures['per_second']:7.0f} reminders/s   due→sent p50 {figures['p50']:6.1f} s  "
            f"p99 {figures['p99']:6.1f} s   duplicates {figures['duplicates']}"
        )
    killed = run(args.kill_backlog, 2, kill_after=0.3)
    uncertain = killed["states"].get("uncertain", 0)
    print(
        f"kill -9 of one of 2 workers at 30 % of {args.kill_backlog}: "
        f"duplicates {killed['duplicates']}, received {killed['received']}, "
        f"recorded uncertain {uncertain}, lost "
        f"{args.kill_backlog - killed['states'].get('sent', 0) - uncertain}"
    )


if __name__ == "__main__":
    main()
