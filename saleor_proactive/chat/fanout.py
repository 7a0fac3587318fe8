"""Waking the readers that wait for a conversation or an inbox to change.

Writers publish keys (`conversation_key`, `inbox_key`) inside the transaction that stored the
message; readers long-poll: they note a key's version, read the database, and wait for the
version to move. Noting the version before reading means no message can slip between the read
and the wait.

One process (SQLite): the versions move when the writing session commits (`InProcessFanout`).
Several processes or machines (PostgreSQL): the writer's transaction sends `NOTIFY`, which
PostgreSQL delivers only on commit, to one `LISTEN` connection per process whose thread moves
the versions (`PostgresFanout`). No broker of our own: PostgreSQL is the broker.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Protocol

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

CHANNEL = "proactive_chat"
RECONNECT_SECONDS = 1.0
MAX_KEYS = 100_000


def conversation_key(public_id: str) -> str:
    return f"c:{public_id}"


def inbox_key(installation_id: int) -> str:
    return f"i:{installation_id}"


class Versions:
    """Per-key change counters, and the readers waiting on each key; `everything` wakes all
    waiters (after a lost `LISTEN` connection nobody knows what they missed, so everyone
    re-reads). A change wakes only the readers of its keys: a worker may hold a thousand
    waiting visitors, and a line to one conversation must not wake the other 999."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {}
        self._epoch = 0
        self._waiting: dict[str, set[threading.Event]] = {}

    def snapshot(self, keys: Sequence[str]) -> tuple[int, tuple[int, ...]]:
        with self._lock:
            return self._snapshot_locked(keys)

    def bump(self, keys: Iterable[str]) -> None:
        with self._lock:
            if len(self._versions) >= MAX_KEYS:  # bounded memory: start over, waking everyone
                self._versions.clear()
                self._wake_everyone_locked()
            for key in keys:
                self._versions[key] = self._versions.get(key, 0) + 1
                for waiter in self._waiting.get(key, ()):
                    waiter.set()

    def everything(self) -> None:
        with self._lock:
            self._wake_everyone_locked()

    def wait(self, keys: Sequence[str], seen: tuple[int, tuple[int, ...]], timeout: float) -> bool:
        """True once any key moved after `seen` (a `snapshot`), False on timeout."""
        waiter = threading.Event()
        with self._lock:
            if self._snapshot_locked(keys) != seen:
                return True
            for key in keys:
                self._waiting.setdefault(key, set()).add(waiter)
        try:
            waiter.wait(timeout)
        finally:
            with self._lock:
                for key in keys:
                    waiters = self._waiting.get(key)
                    if waiters is not None:
                        waiters.discard(waiter)
                        if not waiters:
                            del self._waiting[key]
        return self.snapshot(keys) != seen

    def _wake_everyone_locked(self) -> None:
        self._epoch += 1
        for waiters in self._waiting.values():
            for waiter in waiters:
                waiter.set()

    def _snapshot_locked(self, keys: Sequence[str]) -> tuple[int, tuple[int, ...]]:
        return self._epoch, tuple(self._versions.get(key, 0) for key in keys)


class Fanout(Protocol):
    versions: Versions

    def publish(self, session: Session, keys: Sequence[str]) -> None:
        """Announce `keys` once `session`'s transaction commits (never if it rolls back)."""

    def ensure_listening(self) -> None:
        """Before a reader's first snapshot: news from other processes must be able to reach it."""

    def close(self) -> None: ...


class InProcessFanout:
    def __init__(self) -> None:
        self.versions = Versions()

    def publish(self, session: Session, keys: Sequence[str]) -> None:
        announced = tuple(keys)

        def on_commit(_session: Session) -> None:
            self.versions.bump(announced)

        event.listen(session, "after_commit", on_commit, once=True)

    def ensure_listening(self) -> None:
        return None  # every writer is in this process

    def close(self) -> None:
        return None


class PostgresFanout:
    """`NOTIFY` in the writer's transaction; one listening thread per process, started on first
    use in that process (a thread started before gunicorn forks would not exist in the worker)."""

    def __init__(self, database_url: str) -> None:
        self.versions = Versions()
        self._conninfo = _libpq_conninfo(database_url)
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._stop = threading.Event()
        self.listening = threading.Event()

    def publish(self, session: Session, keys: Sequence[str]) -> None:
        self.ensure_listening()
        for key in keys:
            session.execute(
                text("SELECT pg_notify(:channel, :key)"), {"channel": CHANNEL, "key": key}
            )

    def ensure_listening(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self.listening.clear()
            thread = threading.Thread(target=self._listen_forever, name="chat-listen", daemon=True)
            thread.start()
        self.listening.wait(5.0)  # a reader's first wait should not miss what follows it

    def close(self) -> None:
        self._stop.set()

    def _listen_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen_once()
            except Exception:
                logger.exception("chat LISTEN connection lost; reconnecting")
            self.listening.clear()
            self.versions.everything()
            self._stop.wait(RECONNECT_SECONDS)

    def _listen_once(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.versions.everything()  # whatever happened while we were not listening
            self.listening.set()
            while not self._stop.is_set():
                # The generator ends after a second without news, so `_stop` is seen.
                for notification in connection.notifies(timeout=1.0):
                    self.versions.bump((notification.payload,))


def _libpq_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL as libpq understands it (`options=-csearch_path=...` kept)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def make_fanout(database_url: str) -> Fanout:
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresFanout(database_url)
    return InProcessFanout()
