"""SQLite's write-ahead log is copied back and emptied by a thread, not inside requests."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from saleor_proactive.store.db import Database
from saleor_proactive.store.sqlite.wal import SAFETY_NET_PAGES, WalCheckpointer

ROW = "x" * 3000  # about one 4 KB page of log per committed row


@pytest.fixture
def database_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "wal.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE notes (body TEXT)")
    yield path


@pytest.fixture
def writer(database_file: Path) -> Iterator[sqlite3.Connection]:
    """A connection that leaves its log alone, as request connections do under `serve`."""
    connection = sqlite3.connect(database_file, isolation_level=None)
    connection.execute("PRAGMA wal_autocheckpoint=0")
    yield connection  # kept open: closing the last connection would checkpoint by itself
    connection.close()


def _write(connection: sqlite3.Connection, rows: int) -> None:
    for _ in range(rows):
        connection.execute("INSERT INTO notes VALUES (?)", (ROW,))


def _log_bytes(database_file: Path) -> int:
    log = database_file.with_name(database_file.name + "-wal")
    return log.stat().st_size if log.exists() else 0


def test_a_long_log_is_copied_back_and_emptied(
    database_file: Path, writer: sqlite3.Connection
) -> None:
    # given a log of well over a thousand pages
    _write(writer, 1200)

    # when
    result = WalCheckpointer(str(database_file), truncate_after_pages=1000).checkpoint()

    # then every page reached the database file and the log is empty again
    assert result.log_pages > 1000
    assert result.copied_pages == result.log_pages
    assert result.truncated
    assert _log_bytes(database_file) == 0
    assert writer.execute("SELECT count(*) FROM notes").fetchone() == (1200,)


def test_a_short_log_is_copied_back_but_kept(
    database_file: Path, writer: sqlite3.Connection
) -> None:
    # given
    _write(writer, 20)

    # when
    result = WalCheckpointer(str(database_file), truncate_after_pages=1000).checkpoint()

    # then
    assert 20 <= result.log_pages < 1000
    assert result.copied_pages == result.log_pages
    assert not result.truncated
    assert _log_bytes(database_file) > 0


def test_a_reader_in_the_middle_of_a_read_postpones_the_emptying_and_blocks_no_writer(
    database_file: Path, writer: sqlite3.Connection
) -> None:
    # given a long log, and a reader whose snapshot still needs it
    _write(writer, 1200)
    reader = sqlite3.connect(database_file, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM notes").fetchone()
    _write(writer, 5)  # pages newer than the reader's snapshot cannot be copied yet
    checkpointer = WalCheckpointer(str(database_file), truncate_after_pages=1000, max_wait_ms=20)

    # when
    postponed = checkpointer.checkpoint()

    # then the log stays, and a writer goes on at once
    assert not postponed.truncated
    assert postponed.copied_pages < postponed.log_pages
    with closing(sqlite3.connect(database_file, timeout=0, isolation_level=None)) as other:
        other.execute("INSERT INTO notes VALUES ('not blocked')")

    # and once the reader is done, the next pass empties it
    reader.execute("COMMIT")
    reader.close()
    assert checkpointer.checkpoint().truncated
    assert _log_bytes(database_file) == 0


def test_a_database_with_checkpoints_started_keeps_its_log_short(tmp_path: Path) -> None:
    # given the app's database as `serve` sets it up in a worker
    database = Database(f"sqlite:///{tmp_path / 'app.db'}")
    checkpointer = database.start_wal_checkpoints()
    assert checkpointer is not None
    try:
        with database.engine.begin() as connection:
            connection.execute(text("CREATE TABLE notes (body TEXT)"))
        with database.engine.connect() as connection:
            # its connections leave checkpoints to the thread, but for a safety net
            auto = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
            assert auto == SAFETY_NET_PAGES

            # when more than a thousand pages are committed
            for _ in range(1200):
                connection.execute(text("INSERT INTO notes VALUES (:body)"), {"body": ROW})
                connection.commit()

            # then within a few passes of the thread the log is empty again
            deadline = time.monotonic() + 10
            while _log_bytes(tmp_path / "app.db") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _log_bytes(tmp_path / "app.db") == 0
    finally:
        checkpointer.stop()
        database.dispose()


def test_databases_other_than_a_sqlite_file_get_no_checkpoint_thread() -> None:
    # given / when / then
    assert Database("sqlite://").start_wal_checkpoints() is None
