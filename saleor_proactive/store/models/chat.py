"""The built-in chat: conversations between a storefront visitor and the shop's staff.

A conversation starts from a chat prompt (its trigger and message are kept as context) or from
the launcher. Messages are numbered by their primary key, which is the cursor both sides read
from (`after=<id>`). `public_id` is the random id the visitor holds together with a signed
token (`chat/tokens.py`); the integer id never leaves the server's merchant side.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

OPEN = "open"
CLOSED = "closed"
CONVERSATION_STATUSES = (OPEN, CLOSED)
# Who wrote a line: the visitor, a staff member (with their email), or the shop itself (the
# prompt's message that opened the conversation, the offline notice).
VISITOR = "visitor"
AGENT = "agent"
SHOP = "shop"
AUTHORS = (VISITOR, AGENT, SHOP)


class ChatConversation(Base):
    __tablename__ = "chat_conversations"
    __table_args__ = (
        Index("ix_chat_conversations_inbox", "installation_id", "status", "last_message_at"),
        Index("ix_chat_conversations_visitor", "installation_id", "visitor_id"),
        Index("ix_chat_conversations_email", "installation_id", "visitor_email"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    visitor_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(255))
    trigger_id: Mapped[str | None] = mapped_column(String(40), nullable=True)  # no FK: history
    locale: Mapped[str | None] = mapped_column(String(35), nullable=True)
    status: Mapped[str] = mapped_column(String(8), default=OPEN)
    # Given by the visitor when nobody answered: the staff's replies then go out by email.
    visitor_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # When the visitor's panel last asked for news: away for a minute, replies go by email.
    visitor_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The last message id each side has seen: unread counts are the other side's lines after it.
    visitor_read_id: Mapped[int] = mapped_column(Integer, default=0)
    agent_read_id: Mapped[int] = mapped_column(Integer, default=0)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(
        ForeignKey("installations.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE")
    )
    author: Mapped[str] = mapped_column(String(8))  # one of AUTHORS
    author_email: Mapped[str | None] = mapped_column(String(254), nullable=True)  # staff only
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChatAgentPresence(Base):
    """When a staff member's open inbox last asked for news: the shop is online while any did
    so recently (`chat/presence.py`). Kept in the database, so every process agrees."""

    __tablename__ = "chat_agent_presence"
    __table_args__ = (UniqueConstraint("installation_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChatAnnouncement(Base):
    """A fan-out key written on a SQLite file, for the other processes' watchers to read
    (`chat/fanout.py`); rows go after about a minute. AUTOINCREMENT: an id is never handed out
    again after its row is deleted, so a watcher reading `id > last seen` misses nothing."""

    __tablename__ = "chat_announcements"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(16))  # the writing process's watcher skips it
