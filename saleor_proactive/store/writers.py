"""SQLite writers take turns in the order they come, instead of by SQLite's polling.

SQLite lets one connection write at a time. The others poll for its lock, sleeping 1, 2, 5, 10,
15, 20, 25, 25, 25, 50, 50 and then 100 ms between tries, so under steady load a waiter that
keeps finding the lock taken waits far longer than the writes ahead of it last: 18, 34 and
180 ms were measured behind writes of a fraction of a millisecond. Writers that take a turn here
first queue on an exclusive lock of a file beside the database (`<database>-writers`), which
the kernel hands to the next waiter the moment it is released; they then nearly always find
SQLite's lock free. Other databases (PostgreSQL queues row locks itself) get no queue.

A turn must start before the connection's transaction writes anything: a writer holding
SQLite's lock while it waits for a turn would wait for one held by a writer waiting for SQLite's
lock. `turn` therefore refuses a connection with a write in progress.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

_queues: dict[str, _WriterQueue] = {}  # per database file, in this process
_queues_lock = threading.Lock()


@contextmanager
def turn(connection: Connection) -> Iterator[None]:
    """Hold this thread's turn to write through `connection` (on a SQLite file)."""
    path = _sqlite_file(connection)
    if path is None:
        yield
        return
    if connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        raise RuntimeError("take the writers' turn before the transaction's first write")
    with turn_on_file(path):
        yield


@contextmanager
def turn_on_file(database_path: str) -> Iterator[None]:
    """The same turn for a writer with a connection of its own (the WAL checkpointer)."""
    path = os.path.abspath(database_path)
    with _queues_lock:
        queue = _queues.get(path)
        if queue is None:
            queue = _queues[path] = _WriterQueue(path + "-writers")
    with queue.held():
        yield


class _WriterQueue:
    def __init__(self, lock_path: str) -> None:
        self.lock_path = lock_path
        self._threads = threading.Lock()  # a process's threads share its file lock: queue them
        self._fd: int | None = None
        self._pid = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self) -> int:
        # Opened in each process: a descriptor inherited across fork() would be one lock shared
        # by parent and child rather than one each.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd


def _sqlite_file(connection: Connection) -> str | None:
    path = connection.engine.url.database if connection.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path
