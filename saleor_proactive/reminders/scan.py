"""The periodic scan: new due rows for every shop, dead workers' claims recorded as uncertain,
and the rows to try handed to the queue in batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..config import Settings
from ..store.db import Database
from ..store.mail_server import mail_configured
from ..store.models import Installation, utcnow
from .due import create_due_rows, expire_leases, rows_to_enqueue

BATCH = 25  # rows per delivery task: small enough to spread over workers, big enough to be cheap


@dataclass(frozen=True)
class ScanCounts:
    created: int
    uncertain: int
    enqueued: int


def links_ready(settings: Settings) -> bool:
    """Every reminder's links need the app's address and key."""
    return bool(settings.public_url and settings.secret_key)


def scan(
    database: Database,
    settings: Settings,
    enqueue: Callable[[list[int]], object],
    now: datetime | None = None,
) -> ScanCounts:
    now = now or utcnow()
    ready = links_ready(settings)
    with database.session() as session:
        installation_ids = list(session.scalars(select(Installation.id)))
    created = 0
    for installation_id in installation_ids:  # one short transaction per shop
        with database.session() as session:
            installation = session.get(Installation, installation_id)
            if installation is not None and ready:
                email_ready = mail_configured(installation, settings)
                created += create_due_rows(session, installation, now, email_ready=email_ready)
    with database.session() as session:
        uncertain = expire_leases(session, now)
        ids = rows_to_enqueue(session, now, timedelta(seconds=settings.reminder_lease_seconds))
    for start in range(0, len(ids), BATCH):  # after the commit: a worker finds them marked
        enqueue(ids[start : start + BATCH])
    return ScanCounts(created, uncertain, len(ids))
