"""A data subject's erasure request, for reminders: the deliveries that went to the address.

The suppression entry stays: it holds only the address, and it is what keeps the shop from
writing to it again, which the person asked for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.orm import Session

from ..store.models import ReminderDelivery


def erase_by_email(session: Session, installation_id: int, email: str) -> int:
    result: Any = session.execute(
        delete(ReminderDelivery).where(
            ReminderDelivery.installation_id == installation_id,
            func.lower(ReminderDelivery.email) == email.strip().lower(),
        )
    )
    return int(result.rowcount or 0)
