"""The merchant hears of a new conversation while nobody is online: an email to the address the
settings name (`chat.notifyEmail`), through `PROACTIVE_SMTP_URL`. A conversation is new to the
staff when the visitor writes its first line; opening the panel alone announces nothing."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..merchant_settings import MerchantSettings
from ..store.models import ChatConversation, ChatMessage
from ..store.models.chat import VISITOR
from . import mail, presence
from .runtime import ChatRuntime


def notify_new_conversation(
    session: Session,
    runtime: ChatRuntime,
    conversation: ChatConversation,
    settings: MerchantSettings,
    saleor_api_url: str,
    now: datetime,
) -> bool:
    """Queue the staff's email for a conversation's first visitor line when nobody answers;
    True when one was queued (it leaves once the line is committed)."""
    to = settings.chat.notify_email
    if runtime.smtp is None or to is None or _visitor_lines(session, conversation) != 1:
        return False
    if presence.availability(
        session, conversation.installation_id, settings.chat.hours, now
    ).online:
        return False
    first = session.scalars(
        select(ChatMessage.body)
        .where(ChatMessage.conversation_id == conversation.id, ChatMessage.author == VISITOR)
        .order_by(ChatMessage.id)
        .limit(1)
    ).one()
    shop = urlsplit(saleor_api_url).hostname or saleor_api_url
    message = mail.new_conversation_email(runtime.smtp, to, shop, first)
    mail.send_after_commit(session, runtime.smtp, message)
    return True


def _visitor_lines(session: Session, conversation: ChatConversation) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(ChatMessage)
        .where(ChatMessage.conversation_id == conversation.id, ChatMessage.author == VISITOR)
    )
    return int(count or 0)
