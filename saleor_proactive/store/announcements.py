"""The chat's announcements on a SQLite file: keys inserted in a writer's transaction, read
by one watcher per process (`chat/fanout.py`, `SqliteFanout`). Kept here as the watcher's
connection and its deletes need the SQLite machinery (`sqlite/`), its turn among writers."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from urllib.parse import quote

from sqlalchemy import insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ..cooperative import in_native_thread
from .models import ChatAnnouncement
from .sqlite import writers


def sqlite_file(database_url: str) -> str | None:
    """The file of a SQLite database URL; None for other databases and in-memory ones."""
    return writers.database_file(make_url(database_url))


def announce(session: Session, keys: Sequence[str], origin: str) -> None:
    """Insert `keys` in `session`'s transaction: read by the watchers once it commits."""
    session.execute(insert(ChatAnnouncement), [{"key": key, "origin": origin} for key in keys])


class AnnouncementReader:
    """A watcher's own connection. Its reads need no turn (WAL readers wait for nobody); its
    deletes, rare, take one. Under gevent its statements run in gevent's pool of threads."""

    def __init__(self, database_path: str) -> None:
        self.database_path = database_path
        self._connection = sqlite3.connect(
            f"file:{quote(database_path)}?mode=rw",  # a vanished database is not made anew
            uri=True,
            timeout=writers.MAX_WAIT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )

    def close(self) -> None:
        self._connection.close()

    def last_id(self) -> int:
        return in_native_thread(self._last_id)

    def after(self, last_id: int) -> list[tuple[int, str, str]]:
        """(id, key, origin) of the announcements after `last_id`, oldest first."""
        return in_native_thread(self._after, last_id)

    def delete_up_to(self, last_id: int) -> None:
        try:
            with writers.turn_on_file(self.database_path):
                in_native_thread(self._delete_up_to, last_id)
        except writers.TurnTimeout:
            pass  # the next delete takes these rows too

    def _last_id(self) -> int:
        query = "SELECT coalesce(max(id), 0) FROM chat_announcements"
        (last,) = self._connection.execute(query).fetchone()
        return int(last)

    def _after(self, last_id: int) -> list[tuple[int, str, str]]:
        with closing(
            self._connection.execute(
                "SELECT id, key, origin FROM chat_announcements WHERE id > ? ORDER BY id",
                (last_id,),
            )
        ) as cursor:
            return [(int(row_id), str(key), str(origin)) for row_id, key, origin in cursor]

    def _delete_up_to(self, last_id: int) -> None:
        self._connection.execute("DELETE FROM chat_announcements WHERE id <= ?", (last_id,))
