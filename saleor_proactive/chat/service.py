"""Conversations: start, post, read since a cursor, close and reopen, unread counts, forget.

Functions take the caller's session and leave committing to it; writes announce their keys
through the fan-out, which fires only when that session commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.orm import Session

from ..store.models import (
    ChatConversation,
    ChatMessage,
    CheckoutSnapshot,
    Trigger,
    VisitorCheckout,
)
from ..store.models.chat import AGENT, CLOSED, OPEN, SHOP, VISITOR
from ..triggers.localise import pick_text
from .fanout import Fanout, conversation_key, inbox_key
from .validation import clean_email, clean_message

PAGE_SIZE = 100
INBOX_SIZE = 100
AWAY_AFTER = timedelta(seconds=60)  # a panel that is open asks at least every 25 s
SEEN_EVERY = timedelta(seconds=20)  # not one write per poll: often enough to tell "away"


@dataclass(frozen=True)
class InboxEntry:
    conversation: ChatConversation
    unread: int  # the visitor's lines the staff have not read
    last_body: str | None


def opening_line(
    session: Session, installation_id: int, trigger_id: str, locale: str | None
) -> str | None:
    """The chat prompt's message in the visitor's language: the shop's first line."""
    trigger = session.get(Trigger, trigger_id)
    if trigger is None or trigger.installation_id != installation_id:
        return None
    show = trigger.document.get("show") or {}
    message = show.get("message")
    if show.get("type") != "chat_prompt" or not isinstance(message, dict) or not message:
        return None
    return pick_text(message, locale)


def start_conversation(
    session: Session,
    fanout: Fanout,
    *,
    installation_id: int,
    visitor_id: str,
    channel: str,
    locale: str | None,
    trigger_id: str | None,
    now: datetime,
) -> ChatConversation:
    conversation = ChatConversation(
        installation_id=installation_id,
        public_id=secrets.token_urlsafe(18),
        visitor_id=visitor_id,
        channel=channel,
        trigger_id=trigger_id,
        locale=locale,
        status=OPEN,
        created_at=now,
        last_message_at=now,
        visitor_seen_at=now,
    )
    session.add(conversation)
    session.flush()
    line = opening_line(session, installation_id, trigger_id, locale) if trigger_id else None
    if line:
        _add_message(session, conversation, SHOP, line, now, None)
    fanout.publish(session, (inbox_key(installation_id),))
    return conversation


def find_conversation(
    session: Session, installation_id: int, public_id: str
) -> ChatConversation | None:
    return session.scalars(
        select(ChatConversation).where(
            ChatConversation.installation_id == installation_id,
            ChatConversation.public_id == public_id,
        )
    ).first()


def post_message(
    session: Session,
    fanout: Fanout,
    conversation: ChatConversation,
    author: str,
    body: object,
    now: datetime,
    author_email: str | None = None,
) -> ChatMessage:
    """Store a visitor's or a staff member's line; a line on a closed conversation reopens it."""
    if author not in (VISITOR, AGENT):
        raise ValueError(f"unknown author {author!r}")
    text = clean_message(body)
    conversation.status = OPEN
    message = _add_message(session, conversation, author, text, now, author_email)
    if author == VISITOR:
        conversation.visitor_read_id = message.id
        conversation.visitor_seen_at = now
    else:
        conversation.agent_read_id = max(conversation.agent_read_id, message.id)
    fanout.publish(
        session,
        (conversation_key(conversation.public_id), inbox_key(conversation.installation_id)),
    )
    return message


def _add_message(
    session: Session,
    conversation: ChatConversation,
    author: str,
    body: str,
    now: datetime,
    author_email: str | None,
) -> ChatMessage:
    message = ChatMessage(
        installation_id=conversation.installation_id,
        conversation_id=conversation.id,
        author=author,
        author_email=author_email if author == AGENT else None,
        body=body,
        created_at=now,
    )
    session.add(message)
    conversation.last_message_at = now
    session.flush()
    return message


def messages_after(
    session: Session, conversation: ChatConversation, after_id: int, limit: int = PAGE_SIZE
) -> list[ChatMessage]:
    return list(
        session.scalars(
            select(ChatMessage)
            .where(ChatMessage.conversation_id == conversation.id, ChatMessage.id > after_id)
            .order_by(ChatMessage.id)
            .limit(limit)
        )
    )


def visitor_seen(conversation: ChatConversation, now: datetime) -> bool:
    """Note that the visitor's panel asked for news; True when that needs writing."""
    if now - conversation.visitor_seen_at < SEEN_EVERY:
        return False
    conversation.visitor_seen_at = now
    return True


def replies_by_email(conversation: ChatConversation, now: datetime) -> bool:
    """The staff's lines also go by email: the visitor left an address and is away."""
    return conversation.visitor_email is not None and (
        now - conversation.visitor_seen_at >= AWAY_AFTER
    )


def last_body(session: Session, conversation: ChatConversation) -> str | None:
    return session.scalar(
        select(ChatMessage.body)
        .where(ChatMessage.conversation_id == conversation.id)
        .order_by(ChatMessage.id.desc())
        .limit(1)
    )


def mark_read(conversation: ChatConversation, side: str, up_to: int) -> None:
    if side == VISITOR:
        conversation.visitor_read_id = max(conversation.visitor_read_id, up_to)
    else:
        conversation.agent_read_id = max(conversation.agent_read_id, up_to)


def set_status(
    session: Session, fanout: Fanout, conversation: ChatConversation, status: str
) -> None:
    if status not in (OPEN, CLOSED):
        raise ValueError(f"unknown status {status!r}")
    conversation.status = status
    fanout.publish(
        session,
        (conversation_key(conversation.public_id), inbox_key(conversation.installation_id)),
    )


def leave_email(
    session: Session, fanout: Fanout, conversation: ChatConversation, email: object
) -> str:
    """The address the staff's replies go to while the visitor is away."""
    conversation.visitor_email = clean_email(email)
    fanout.publish(session, (inbox_key(conversation.installation_id),))
    return conversation.visitor_email


def unread_count(session: Session, conversation: ChatConversation, side: str) -> int:
    """Lines of the other side after the last one `side` has seen."""
    read_id = conversation.visitor_read_id if side == VISITOR else conversation.agent_read_id
    others = (AGENT, SHOP) if side == VISITOR else (VISITOR,)
    count = session.scalar(
        select(func.count())
        .select_from(ChatMessage)
        .where(
            ChatMessage.conversation_id == conversation.id,
            ChatMessage.id > read_id,
            ChatMessage.author.in_(others),
        )
    )
    return int(count or 0)


def inbox(session: Session, installation_id: int, limit: int = INBOX_SIZE) -> list[InboxEntry]:
    """Open conversations first, each group newest activity first, with the staff's unread."""
    unread = (
        select(ChatMessage.conversation_id, func.count().label("unread"))
        .join(ChatConversation, ChatConversation.id == ChatMessage.conversation_id)
        .where(
            ChatMessage.installation_id == installation_id,
            ChatMessage.author == VISITOR,
            ChatMessage.id > ChatConversation.agent_read_id,
        )
        .group_by(ChatMessage.conversation_id)
        .subquery()
    )
    last_id = (
        select(func.max(ChatMessage.id))
        .where(ChatMessage.conversation_id == ChatConversation.id)
        .correlate(ChatConversation)
        .scalar_subquery()
    )
    last_body = select(ChatMessage.body).where(ChatMessage.id == last_id).scalar_subquery()
    rows = session.execute(
        select(ChatConversation, func.coalesce(unread.c.unread, 0), last_body)
        .outerjoin(unread, unread.c.conversation_id == ChatConversation.id)
        .where(ChatConversation.installation_id == installation_id)
        .order_by(
            case((ChatConversation.status == OPEN, 0), else_=1),
            ChatConversation.last_message_at.desc(),
            ChatConversation.id.desc(),
        )
        .limit(limit)
    ).all()
    return [InboxEntry(row[0], int(row[1]), row[2]) for row in rows]


def total_unread(session: Session, installation_id: int) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(ChatMessage)
        .join(
            ChatConversation,
            and_(
                ChatConversation.id == ChatMessage.conversation_id,
                ChatMessage.id > ChatConversation.agent_read_id,
            ),
        )
        .where(ChatMessage.installation_id == installation_id, ChatMessage.author == VISITOR)
    )
    return int(count or 0)


def erase_by_email(session: Session, installation_id: int, email: str) -> int:
    """Delete every conversation tied to this address (a data subject's erasure request):
    those that left it for a reply, and those of visitors whose checkout carried it, since the
    inbox shows that checkout beside the conversation."""
    address = email.strip().lower()
    checkouts_with_address = select(CheckoutSnapshot.checkout_id).where(
        CheckoutSnapshot.installation_id == installation_id,
        func.lower(CheckoutSnapshot.email) == address,
    )
    visitors_with_address = select(VisitorCheckout.visitor_id).where(
        VisitorCheckout.installation_id == installation_id,
        VisitorCheckout.checkout_id.in_(checkouts_with_address),
    )
    result: Any = session.execute(
        delete(ChatConversation)
        .where(
            ChatConversation.installation_id == installation_id,
            or_(
                func.lower(ChatConversation.visitor_email) == address,
                ChatConversation.visitor_id.in_(visitors_with_address),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def purge_before(session: Session, installation_id: int, cutoff: datetime) -> int:
    """Delete conversations quiet since before `cutoff` (the shop's retention period)."""
    result: Any = session.execute(
        delete(ChatConversation).where(
            ChatConversation.installation_id == installation_id,
            ChatConversation.last_message_at < cutoff,
        )
    )
    return int(result.rowcount or 0)
