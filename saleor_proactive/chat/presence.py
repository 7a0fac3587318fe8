"""Whether anyone answers: a staff member whose inbox asked for news in the last minute."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..store.models import ChatAgentPresence
from ..store.upserts import insert_for

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
