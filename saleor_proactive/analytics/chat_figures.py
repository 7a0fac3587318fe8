"""The built-in chat beside a trigger's impressions and clicks: conversations started from its
prompt, and orders after such a conversation.

An order counts when it is credited to the trigger as for clicks (`attribution.py`: last touch
within the attribution window) and its visitor started a conversation from that trigger's prompt
before ordering. Both are read live from the chat's tables and `conversions`; conversations go
with the retention purge, so over a range older than the retention period these read zero.
Only the exposed group can chat: the control group never sees the prompt.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from ..store.models import ChatConversation, Conversion
from ..store.models.analytics import EXPOSED


@dataclass(frozen=True)
class ChatFigures:
    conversations: int = 0  # started from the trigger's prompt in the range
    orders: int = 0  # credited to the trigger, after the visitor's conversation from it


def chat_figures(
    session: Session, installation_id: int, date_from: date, date_to: date
) -> dict[str, ChatFigures]:
    """Per trigger id, over [date_from, date_to] (UTC days, inclusive)."""
    start, end = _bounds(date_from, date_to)
    started = session.execute(
        select(ChatConversation.trigger_id, func.count())
        .where(
            ChatConversation.installation_id == installation_id,
            ChatConversation.trigger_id.is_not(None),
            ChatConversation.created_at >= start,
            ChatConversation.created_at < end,
        )
        .group_by(ChatConversation.trigger_id)
    ).all()
    chatted_first = exists().where(
        and_(
            ChatConversation.installation_id == Conversion.installation_id,
            ChatConversation.visitor_id == Conversion.visitor_id,
            ChatConversation.trigger_id == Conversion.trigger_id,
            ChatConversation.created_at <= Conversion.ordered_at,
        )
    )
    ordered = session.execute(
        select(Conversion.trigger_id, func.count())
        .where(
            Conversion.installation_id == installation_id,
            Conversion.group == EXPOSED,
            Conversion.ordered_at >= start,
            Conversion.ordered_at < end,
            chatted_first,
        )
        .group_by(Conversion.trigger_id)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for trigger_id, count in started:
        counts[str(trigger_id)]["conversations"] = int(count)
    for trigger_id, count in ordered:
        counts[str(trigger_id)]["orders"] = int(count)
    return {tid: ChatFigures(**values) for tid, values in counts.items()}


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    return start, datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
