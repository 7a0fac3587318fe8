"""SQLite writers take turns on a file lock instead of waiting in SQLite's growing sleeps.

SQLite lets one connection write at a time. The others poll for its lock, sleeping 1, 2, 5, 10,
15, 20, 25, 25, 25, 50, 50 and then 100 ms between tries, so under steady load a waiter that
keeps finding the lock taken waits far longer than the writes ahead of it last: 18, 34 and
180 ms were measured behind writes of a fraction of a millisecond. Writers that take a turn here
first take an exclusive lock of a file beside the database (`<database>-writers`), trying again
every half millisecond; holding it, they nearly always find SQLite's lock free. A turn not had
within its wait (`MAX_WAIT_SECONDS` unless the caller says) raises `TurnTimeout` (SQLite's own
wait, as long, would have failed by then).
Other databases get no turns.

A turn must start before the connection's transaction writes anything: a writer holding
SQLite's lock while it waits for a turn would wait for one held by a writer waiting for SQLite's
lock. `turn` therefore refuses a connection with a write in progress. A thread that holds a turn
may take it again (a request's exclusive attempt, then its write).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.engine import URL

from ..errors import StoreBusy

MAX_WAIT_SECONDS = 5.0  # SQLite's busy timeout without configured timeouts (store/db.py)
RETRY_SECONDS = 0.0005

_queues: dict[str, _WriterQueue] = {}  # per database file, in this process
_queues_lock = threading.Lock()


def _forget_the_parents_turns() -> None:
    # A forked process (a gunicorn worker) takes turns of its own: a turn its parent held would
    # otherwise look held by the child's thread too, and share the parent's lock file.
    global _queues_lock
    _queues.clear()
    _queues_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_the_parents_turns)


class TurnTimeout(StoreBusy):
    """Another writer kept the turn for longer than this one's wait."""


def database_file(url: URL) -> str | None:
    """The file of a SQLite database URL; None for other databases and in-memory ones."""
    path = url.database if url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path


@contextmanager
def turn(connection: Connection, wait_seconds: float = MAX_WAIT_SECONDS) -> Iterator[None]:
    """Hold this thread's turn to write through `connection` (on a SQLite file), waiting
    `wait_seconds` at most."""
    path = database_file(connection.engine.url)
    if path is None:
        yield
        return
    queue = _queue(path)
    in_transaction = connection.connection.driver_connection.in_transaction  # type: ignore[union-attr]
    if in_transaction and not queue.held_by_this_thread():
        raise RuntimeError("take the writers' turn before the transaction's first write")
    with queue.held(wait_seconds):
        yield


@contextmanager
def turn_on_file(database_path: str) -> Iterator[None]:
    """The same turn for a writer with a connection of its own (the WAL checkpointer)."""
    with _queue(database_path).held():
        yield


def _queue(database_path: str) -> _WriterQueue:
    path = os.path.abspath(database_path)
    with _queues_lock:
        queue = _queues.get(path)
        if queue is None:
            queue = _queues[path] = _WriterQueue(path + "-writers")
        return queue


class _WriterQueue:
    def __init__(self, lock_path: str) -> None:
        self.lock_path = lock_path
        self._threads = threading.RLock()  # a process's threads share its file lock: queue them
        self._depth = threading.local()
        self._fd: int | None = None

    def held_by_this_thread(self) -> bool:
        return getattr(self._depth, "value", 0) > 0

    @contextmanager
    def held(self, wait_seconds: float = MAX_WAIT_SECONDS) -> Iterator[None]:
        deadline = time.monotonic() + wait_seconds
        if not self._threads.acquire(timeout=wait_seconds):
            raise TurnTimeout()
        depth = getattr(self._depth, "value", 0)
        try:
            if depth == 0:
                self._lock_file(deadline)
            self._depth.value = depth + 1
            try:
                yield
            finally:
                self._depth.value = depth
                if depth == 0:
                    fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _lock_file(self, deadline: float) -> None:
        fd = self._file()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TurnTimeout() from None
                time.sleep(RETRY_SECONDS)

    def _file(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._fd
