"""Another process holding a SQLite database's write lock, for tests of what waits behind it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def sqlite_write_lock(database_url: str) -> Iterator[None]:
    """Hold the database file's exclusive lock while the block runs; skips the test on any
    database but SQLite."""
    if not database_url.startswith("sqlite:///"):
        pytest.skip("holds SQLite's file lock")
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
