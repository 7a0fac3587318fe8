"""Report speed over 1,000,000 interactions, on SQLite and PostgreSQL.

Seeds one installation with 1,000,000 raw interactions over 60 days (20 triggers, 2 channels,
200,000 visitors, a 10 % hold-out) and 6,000 attributed orders, finalises the days with the
periodic rollup, then times `trigger_stats` (the merchant API's `stats`) and `daily_series`
(the chart) over the whole range. Target: a report in < 1 s.

Run: `.venv/bin/python -m benchmarks.report [--only sqlite|postgresql]`. PostgreSQL is
`BENCH_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/test`), in its own schema
that is dropped afterwards (`databases.py`).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from benchmarks.databases import postgres_database
from saleor_proactive.analytics.rollup import rollup_pending
from saleor_proactive.analytics.stats import daily_series, trigger_stats
from saleor_proactive.store import migrate
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Conversion, Installation

INTERACTIONS = 1_000_000
DAYS = 60
TRIGGERS = 20
VISITORS = 200_000
ORDERS = 6_000
FIRST_DAY = date(2026, 9, 1)
COLUMNS = ("installation_id", "trigger_id", "visitor_id", "session_id", "channel", "kind",
           "action_id", "occurred_at")  # fmt: skip


def interaction_rows(installation_id: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC)
    span = DAYS * 86_400
    for number in range(INTERACTIONS):
        visitor = rng.randrange(VISITORS)
        trigger = f"trg_{(visitor * 7 + number % 3) % TRIGGERS:02d}"
        roll = rng.random()
        kind = (
            "control" if roll < 0.08 else "click" if roll < 0.13
            else "dismissal" if roll < 0.2 else "impression"
        )  # fmt: skip
        yield (
            installation_id, trigger, f"v{visitor}", f"s{visitor}",
            "default-channel" if visitor % 4 else "channel-usd", kind, f"a{number}",
            start + timedelta(seconds=rng.randrange(span)),
        )  # fmt: skip


def seed(database: Database) -> int:
    rng = random.Random(7)
    with database.session() as session:
        installation = Installation(
            saleor_api_url="https://bench.example.com/graphql/", app_id="QXBwOjE=",
            token_encrypted="-", jwks={}, jwks_fetched_at=datetime.now(UTC), settings={},
        )  # fmt: skip
        session.add(installation)
        session.flush()
        installation_id = installation.id
    rows = interaction_rows(installation_id, rng)
    if database.engine.dialect.name == "postgresql":
        _copy_rows(database, rows)
    else:
        _insert_rows(database, rows)
    with database.engine.begin() as connection:
        connection.execute(insert(Conversion), list(_orders(installation_id, rng)))
    return installation_id


def _insert_rows(database: Database, rows: Iterator[tuple[Any, ...]]) -> None:
    # The driver's executemany with the text form SQLAlchemy stores on SQLite: seeding speed
    # is not what we measure, so skip the per-row type processing.
    placeholders = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT INTO interactions ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.executemany(
            statement,
            ((*row[:-1], row[-1].strftime("%Y-%m-%d %H:%M:%S.%f")) for row in rows),
        )
        raw.commit()
    finally:
        raw.close()


def _copy_rows(database: Database, rows: Iterator[tuple[Any, ...]]) -> None:
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY interactions ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row((*row[:-1], row[-1].replace(tzinfo=None)))
        raw.commit()
    finally:
        raw.close()


def _orders(installation_id: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC)
    for number in range(ORDERS):
        visitor = rng.randrange(VISITORS)
        usd = visitor % 4 == 0
        yield {
            "installation_id": installation_id, "order_id": f"o{number}",
            "trigger_id": f"trg_{(visitor * 7) % TRIGGERS:02d}", "visitor_id": f"v{visitor}",
            "group": "control" if rng.random() < 0.1 else "exposed",
            "channel": "channel-usd" if usd else "default-channel",
            "amount": Decimal(rng.randrange(2000, 30000)) / 100,
            "currency": "USD" if usd else "EUR",
            "ordered_at": start + timedelta(seconds=rng.randrange(DAYS * 86_400)),
            "recorded_at": datetime.now(UTC),
        }  # fmt: skip


def timed(action: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def run(name: str, url: str) -> None:
    migrate.upgrade(url)
    database = Database(url)
    seconds, installation_id = timed(lambda: seed(database))
    print(f"[{name}] seeded {INTERACTIONS:,} interactions + {ORDERS:,} orders in {seconds:.1f} s")
    iid = int(installation_id)  # type: ignore[call-overload]
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    settled = datetime.combine(last + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    session = database.sessions()
    seconds, _ = timed(lambda: trigger_stats(session, iid, FIRST_DAY, last, settled))
    print(f"[{name}] report before any rollup (all {DAYS} days live from raw): {seconds:.2f} s")
    session.rollback()  # the live computation's exposure upserts must not help the rollup
    session.close()
    with database.session() as session:
        seconds, days = timed(lambda: rollup_pending(session, iid, settled))
        print(f"[{name}] rollup of {days} days (incl. exposure cohorts): {seconds:.2f} s")
    with database.session() as session:
        seconds, stats = timed(lambda: trigger_stats(session, iid, FIRST_DAY, last, settled), 5)
        print(f"[{name}] trigger_stats over {DAYS} days from aggregates: {seconds * 1000:.0f} ms "
              f"({len(stats)} triggers)")  # type: ignore[arg-type]  # fmt: skip
        seconds, _ = timed(lambda: daily_series(session, iid, FIRST_DAY, last, None, settled), 5)
        print(f"[{name}] daily_series over {DAYS} days from aggregates: {seconds * 1000:.0f} ms")
        live_now = datetime.combine(last, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        session.execute(text("DELETE FROM analytics_rollups WHERE day >= :d"), {"d": last})
        report = lambda: trigger_stats(session, iid, FIRST_DAY, last, live_now)  # noqa: E731
        seconds, _ = timed(report)
        print(f"[{name}] trigger_stats, last day live, first catch-up: {seconds * 1000:.0f} ms")
        seconds, _ = timed(report, 5)
        print(f"[{name}] trigger_stats, last day live, next reports: {seconds * 1000:.0f} ms")
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}")
    if args.only in (None, "postgresql"):
        with postgres_database() as url:
            run("postgresql", url)


if __name__ == "__main__":
    main()
