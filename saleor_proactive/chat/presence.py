"""Whether anyone answers: inside the shop's opening hours (when it set any), a staff member
whose inbox asked for news in the last minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..store.models import ChatAgentPresence
from ..store.upserts import insert_for
from ..triggers.schedule import Schedule

ONLINE_SECONDS = 60  # an open inbox asks at least every `MAX_WAIT_SECONDS` (< this)


def seen(session: Session, installation_id: int, email: str, now: datetime) -> None:
    statement = insert_for(session, ChatAgentPresence).values(
        installation_id=installation_id, email=email, last_seen_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["installation_id", "email"],
            set_={"last_seen_at": statement.excluded.last_seen_at},
        )
    )


def anyone_online(session: Session, installation_id: int, now: datetime) -> bool:
    since = now - timedelta(seconds=ONLINE_SECONDS)
    return bool(
        session.scalar(
            select(
                exists().where(
                    ChatAgentPresence.installation_id == installation_id,
                    ChatAgentPresence.last_seen_at >= since,
                )
            )
        )
    )


@dataclass(frozen=True)
class Availability:
    """Whether a visitor gets an answer now; when not, the panel asks for an email."""

    online: bool
    outside_hours: bool  # the shop's opening hours are closed, whoever is online


def availability(
    session: Session, installation_id: int, hours: Schedule | None, now: datetime
) -> Availability:
    if hours is not None and not hours.is_open(now):
        return Availability(online=False, outside_hours=True)
    return Availability(online=anyone_online(session, installation_id, now), outside_hours=False)
