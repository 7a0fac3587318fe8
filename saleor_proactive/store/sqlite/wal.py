"""SQLite's write-ahead log, copied back into the database by a thread instead of a request.

By default SQLite copies the log into the database file inside whichever commit pushes the log
past 1000 pages: that request then writes and fsyncs the database file, which under load took
50-500 ms here. And as the visitor API always has a reader somewhere, the log was seldom
restarted and kept growing. So `serve` runs a `WalCheckpointer` in each worker:

- every second a PASSIVE checkpoint copies what it can, blocking nobody;
- when the log is then still longer than `truncate_after_pages`, a TRUNCATE checkpoint empties
  it. That one holds writers off while it waits for readers, so it takes the writers' turn
  (`writers.py`) and waits `max_wait_ms` at most, else it tries again a second later.

Under gevent the thread is a greenlet, and the checkpoints themselves, which wait on the disk,
run in gevent's pool of real threads (`cooperative.py`). The request connections keep SQLite's
own checkpoints, at `SAFETY_NET_PAGES`, should the thread ever fall behind.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass

from ...cooperative import in_native_thread
from . import writers

logger = logging.getLogger(__name__)

SAFETY_NET_PAGES = 10_000  # 40 MB of log with 4 KB pages


@dataclass(frozen=True)
class Checkpoint:
    log_pages: int  # in the log after the PASSIVE pass
    copied_pages: int  # of those, now also in the database file
    truncated: bool  # the log was emptied


class WalCheckpointer:
    def __init__(
        self,
        database_path: str,
        *,
        interval_seconds: float = 1.0,
        truncate_after_pages: int = 1000,
        max_wait_ms: int = 20,
    ) -> None:
        self.database_path = database_path
        self.interval_seconds = interval_seconds
        self.truncate_after_pages = truncate_after_pages
        self.max_wait_ms = max_wait_ms
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def checkpoint(self) -> Checkpoint:
        """One pass: copy the log into the database, and empty it once it is long."""
        connection = sqlite3.connect(
            self.database_path,
            timeout=self.max_wait_ms / 1000,
            isolation_level=None,
            check_same_thread=False,  # under gevent its statements run in a pool's threads
        )
        with closing(connection):
            _, log_pages, copied = in_native_thread(_checkpoint, connection, "PASSIVE")
            truncated = False
            if log_pages > self.truncate_after_pages:
                try:
                    with writers.turn_on_file(self.database_path):  # writers wait on a turn
                        busy, *_ = in_native_thread(_checkpoint, connection, "TRUNCATE")
                except writers.TurnTimeout:
                    busy = 1
                truncated = busy == 0
        return Checkpoint(log_pages, copied, truncated)

    def start(self) -> None:  # under gevent a greenlet, whose copies run in real threads
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval_seconds):
            try:
                self.checkpoint()
            except Exception:  # a locked or vanished file: try again; SQLite's own remain too
                logger.warning("checkpoint of %s failed", self.database_path, exc_info=True)


def _checkpoint(connection: sqlite3.Connection, mode: str) -> tuple[int, int, int]:
    """(busy, log pages, pages copied): it waits on the disk, so gevent runs it in a thread."""
    busy, log_pages, copied = connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    return int(busy), int(log_pages), int(copied)
