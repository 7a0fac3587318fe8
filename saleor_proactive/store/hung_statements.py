"""A client-side deadline for PostgreSQL statements: a server that stops answering is let go.

`statement_timeout` is the server's: a server that hangs (stopped, swapping, or a proxy between
that stops forwarding) never applies it, and libpq waits for its answer as long as the socket
stays open, which on a local network is forever. So a thread of each process looks at the
connections it is told to watch (a request's, `db.py`) every `INTERVAL_SECONDS`: one whose
command has been in progress (libpq's transaction status ACTIVE: a statement, COMMIT or a ping)
at every look for `limit_seconds` has its socket shut down. The waiting driver then fails at
once, as on a dropped connection: SQLAlchemy raises `OperationalError` and invalidates it.

A command that ends between two looks starts the count again, so a request's many short
statements are never mistaken for one long one unless each look falls into one of them for the
whole `limit_seconds`, which a request's statements never do (each is a few milliseconds).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from psycopg.pq import TransactionStatus

INTERVAL_SECONDS = 0.1


@dataclass
class _Watched:
    connection: Any  # psycopg's
    limit_seconds: float
    active_since: float | None = None  # when a look first found its command in progress


class HungStatementWatchdog:
    def __init__(self, limit_seconds: float) -> None:
        self.limit_seconds = limit_seconds
        self._watched: dict[int, _Watched] = {}
        self._lock = threading.Lock()
        self._thread_pid: int | None = None  # the process whose thread runs (a fork has none)

    def watch(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._watched[id(dbapi_connection)] = _Watched(dbapi_connection, self.limit_seconds)
            if self._thread_pid != os.getpid():
                self._thread_pid = os.getpid()
                threading.Thread(target=self._run, name="hung-statements", daemon=True).start()

    @contextmanager
    def limited(self, dbapi_connection: Any, seconds: float) -> Iterator[None]:
        """A shorter limit for a command that answers at once when the server is alive (a ping),
        if the connection is watched."""
        watched = self._watched.get(id(dbapi_connection))
        if watched is None:
            yield
            return
        watched.limit_seconds = seconds
        try:
            yield
        finally:
            watched.limit_seconds = self.limit_seconds

    def unwatch(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._watched.pop(id(dbapi_connection), None)

    def _run(self) -> None:
        while True:
            time.sleep(INTERVAL_SECONDS)
            with self._lock:  # held while shutting down: an unwatched socket is never touched
                now = time.monotonic()
                for key, watched in list(self._watched.items()):
                    if self._hung(watched, now):
                        _shut_down(watched.connection)
                        del self._watched[key]

    def _hung(self, watched: _Watched, now: float) -> bool:
        connection = watched.connection
        if connection.closed or connection.info.transaction_status != TransactionStatus.ACTIVE:
            watched.active_since = None
            return False
        if watched.active_since is None:
            watched.active_since = now
        return now - watched.active_since >= watched.limit_seconds


def _shut_down(connection: Any) -> None:
    """End the connection's TCP stream under the waiting driver (the socket itself stays the
    driver's to close)."""
    try:
        with socket.socket(fileno=os.dup(connection.fileno())) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed meanwhile: nothing is waiting on it any more
