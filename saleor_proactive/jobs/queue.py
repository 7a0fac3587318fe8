"""Which huey storage the app's background work goes through.

`PROACTIVE_QUEUE_URL` names it: `redis://host:port/db` (`RedisHuey`: several workers on several
machines) or `sqlite:///path/queue.db` (`SqliteHuey`: one machine). Without it the queue is a
SQLite file beside a SQLite database (`proactive.db` → `proactive-queue.db`), or
`./proactive-queue.db` beside a PostgreSQL one.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy.engine import make_url

QUEUE_NAME = "saleor-proactive"
QUEUE_SCHEMES = ("redis", "rediss", "sqlite")


class QueueUrlError(ValueError):
    pass


def default_queue_url(database_url: str) -> str:
    """A SQLite queue file beside a SQLite database, else in the working folder."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")
        return f"sqlite:///{path.with_name(path.stem + '-queue.db')}"
    return "sqlite:///./proactive-queue.db"


def check_queue_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in QUEUE_SCHEMES:
        raise QueueUrlError("must start with redis://, rediss:// or sqlite:///")
    if parts.scheme == "sqlite" and not _sqlite_path(url):
        raise QueueUrlError("sqlite:/// needs a file path, e.g. sqlite:////var/lib/queue.db")
    if parts.scheme.startswith("redis") and not parts.hostname:
        raise QueueUrlError("needs a host, e.g. redis://127.0.0.1:6379/0")
    return url


def make_huey(url: str, *, name: str = QUEUE_NAME) -> Huey:
    """A huey instance on `url`; results are not kept (the database records outcomes)."""
    check_queue_url(url)
    if url.startswith("sqlite"):
        return SqliteHuey(name, filename=_sqlite_path(url), results=False, utc=True)
    return RedisHuey(name, url=url, results=False, utc=True)


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")
