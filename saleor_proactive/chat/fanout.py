"""Waking the readers that wait for a conversation or an inbox to change.

Writers publish keys (`conversation_key`, `inbox_key`) inside the transaction that stored the
message; readers long-poll: they note a key's version, read the database, and wait for the
version to move. Noting the version before reading means no message can slip between the read
and the wait.

In every case the writing process's versions move when the writing session commits
(`InProcessFanout`). The other processes hear of it through the database, never a broker:
- PostgreSQL: the writer's transaction sends `NOTIFY`, which PostgreSQL delivers only on commit,
  to one `LISTEN` connection per process whose thread moves the versions (`PostgresFanout`);
- a SQLite file (`serve` runs several workers on it): the writer's transaction also inserts its
  keys into `chat_announcements`, and one thread per process reads the rows after the last it
  saw, five times a second, and moves their versions (`SqliteFanout`). A rolled-back insert is
  never read. An in-memory SQLite database has no other process: `InProcessFanout` alone.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Protocol

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ..store.announcements import AnnouncementReader, announce, sqlite_file

logger = logging.getLogger(__name__)

CHANNEL = "proactive_chat"
RECONNECT_SECONDS = 1.0
MAX_KEYS = 100_000
POLL_SECONDS = 0.2  # SQLite: how often a process's watcher reads the new announcements
KEEP_SECONDS = 60.0  # SQLite: announcements seen this long ago are deleted


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
    def __init__(self, versions: Versions | None = None) -> None:
        self.versions = Versions() if versions is None else versions

    def publish(self, session: Session, keys: Sequence[str]) -> None:
        announced = tuple(keys)

        def on_commit(_session: Session) -> None:
            self.versions.bump(announced)

        event.listen(session, "after_commit", on_commit, once=True)

    def ensure_listening(self) -> None:
        return None  # every writer is in this process

    def close(self) -> None:
        return None


class _WatchedFanout:
    """News from the other processes through one thread per process, started on first use in
    that process (a thread started before gunicorn forks would not exist in the worker); after
    a lost connection it starts again and every reader re-reads (`Versions.everything`)."""

    thread_name = "chat-watch"

    def __init__(self) -> None:
        self.versions = Versions()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._stop = threading.Event()
        self.listening = threading.Event()

    def ensure_listening(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._started_in_this_process()
            self.listening.clear()
            thread = threading.Thread(target=self._forever, name=self.thread_name, daemon=True)
            thread.start()
        self.listening.wait(5.0)  # a reader's first wait should not miss what follows it

    def close(self) -> None:
        self._stop.set()

    def _started_in_this_process(self) -> None:
        return None

    def _forever(self) -> None:
        while not self._stop.is_set():
            try:
                self._once()
            except Exception:
                logger.exception("%s lost its source of news; starting again", self.thread_name)
            self.listening.clear()
            self.versions.everything()
            self._stop.wait(RECONNECT_SECONDS)

    def _once(self) -> None:
        """Watch until the source fails or `close`; `listening.set()` once watching."""
        raise NotImplementedError


class PostgresFanout(_WatchedFanout):
    """`NOTIFY` in the writer's transaction; each process `LISTEN`s on a connection of its own."""

    thread_name = "chat-listen"

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._conninfo = _libpq_conninfo(database_url)

    def publish(self, session: Session, keys: Sequence[str]) -> None:
        self.ensure_listening()
        for key in keys:
            session.execute(
                text("SELECT pg_notify(:channel, :key)"), {"channel": CHANNEL, "key": key}
            )

    def _once(self) -> None:
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


class SqliteFanout(_WatchedFanout):
    """The keys inserted in the writer's transaction, besides moving this process's versions on
    commit; one watcher thread per process (started on first use, as `PostgresFanout`'s) moves
    the versions for the other processes' rows. It reads without a writers' turn (WAL readers
    wait for nobody) and deletes, in a turn, once a minute."""

    def __init__(self, database_path: str) -> None:
        super().__init__()
        self._here = InProcessFanout(self.versions)  # this process's readers: on commit
        self._path = database_path
        self._origin = ""  # this process's mark on its rows: its own watcher skips them

    def publish(self, session: Session, keys: Sequence[str]) -> None:
        self.ensure_listening()
        self._here.publish(session, keys)
        announce(session, keys, self._origin)

    def _started_in_this_process(self) -> None:
        self._origin = secrets.token_hex(8)  # a forked worker is not its parent

    def _once(self) -> None:
        reader = AnnouncementReader(self._path)
        try:
            seen = reader.last_id()
            self.versions.everything()  # whatever happened while nobody watched
            self.listening.set()
            kept_since, delete_up_to = time.monotonic(), seen
            while not self._stop.wait(POLL_SECONDS):
                rows = reader.after(seen)
                if rows:
                    seen = rows[-1][0]
                    self.versions.bump(key for _, key, origin in rows if origin != self._origin)
                if time.monotonic() - kept_since >= KEEP_SECONDS:
                    reader.delete_up_to(delete_up_to)  # rows seen a minute ago at least
                    kept_since, delete_up_to = time.monotonic(), seen
        finally:
            reader.close()


def make_fanout(database_url: str) -> Fanout:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresFanout(database_url)
    path = sqlite_file(database_url)
    if path is not None:
        return SqliteFanout(path)
    return InProcessFanout()
