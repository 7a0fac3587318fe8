"""The merchant hears of a new conversation while nobody is online: an email to the address the
settings name (`chat.notifyEmail`), through the shop's mail server (else `PROACTIVE_SMTP_URL`).
A conversation is new to the staff when the visitor writes its first line; opening the panel
alone announces nothing."""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..config import Settings
from ..store.mail_server import MailServerUnreadable, mail_server
from ..store.merchant_settings import load_settings
from ..store.models import ChatConversation, ChatMessage, Installation
from ..store.models.chat import VISITOR
from . import mail, presence

logger = logging.getLogger(__name__)


def notify_new_conversation(
    session: Session,
    conversation: ChatConversation,
    installation: Installation,
    app_settings: Settings,
    now: datetime,
) -> bool:
    """Queue the staff's email for a conversation's first visitor line when nobody answers;
    True when one was queued (it leaves once the line is committed)."""
    settings = load_settings(installation)
    to = settings.chat.notify_email
    if to is None or _visitor_lines(session, conversation) != 1:
        return False
    try:
        server = mail_server(installation, app_settings)
    except MailServerUnreadable as unreadable:  # the visitor's line stands; the staff see it
        logger.warning("new chat notice for installation %s: %s", installation.id, unreadable)
        return False
    if server is None:
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
    saleor_api_url = installation.saleor_api_url
    shop = urlsplit(saleor_api_url).hostname or saleor_api_url
    message = mail.new_conversation_email(server, to, shop, first)
    mail.send_after_commit(session, server, message)
    return True


def _visitor_lines(session: Session, conversation: ChatConversation) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(ChatMessage)
        .where(ChatMessage.conversation_id == conversation.id, ChatMessage.author == VISITOR)
    )
    return int(count or 0)
