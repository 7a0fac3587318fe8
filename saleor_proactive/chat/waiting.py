"""The staff's long poll: wait until this shop has a line newer than the one they last saw."""

from __future__ import annotations

from sqlalchemy import func, select

from ..store.db import Database
from ..store.models import ChatMessage
from .fanout import inbox_key
from .runtime import ChatRuntime


def latest_message_id(database: Database, installation_id: int) -> int:
    with database.session() as session:
        found = session.scalar(
            select(func.max(ChatMessage.id)).where(ChatMessage.installation_id == installation_id)
        )
    return int(found or 0)


def wait_for_inbox(
    database: Database, runtime: ChatRuntime, installation_id: int, after: int, seconds: float
) -> int:
    """The newest line's id, at once when newer than `after`, else when one arrives or after
    `seconds` (capped). No database connection is held while waiting."""
    keys = (inbox_key(installation_id),)
    runtime.fanout.ensure_listening()
    seen = runtime.fanout.versions.snapshot(keys)  # before reading: nothing slips in between
    latest = latest_message_id(database, installation_id)
    wait = min(seconds, runtime.max_wait)
    if latest <= after and wait > 0 and runtime.fanout.versions.wait(keys, seen, wait):
        latest = latest_message_id(database, installation_id)
    return latest
