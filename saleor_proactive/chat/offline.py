"""The offline path: a staff reply to a visitor who left an email and is away goes by mail,
with a link that reopens the conversation on the app's own page (`/storefront/v1/chat/continue`)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from ..store.models import ChatConversation, ChatMessage
from . import mail, service
from .mail import SmtpConfig
from .runtime import ChatRuntime

CONTINUE_PATH = "/storefront/v1/chat/continue"


def continue_link(runtime: ChatRuntime, base_url: str, conversation: ChatConversation) -> str:
    # The token rides in the fragment, which browsers never send: it stays out of server logs.
    token = runtime.tokens.issue(conversation.installation_id, conversation.public_id)
    return f"{base_url}{CONTINUE_PATH}/{conversation.public_id}#{token}"


def mail_reply_if_away(
    session: Session,
    runtime: ChatRuntime,
    server: SmtpConfig | None,
    conversation: ChatConversation,
    reply: ChatMessage,
    urls: tuple[str, str],
    now: datetime,
) -> bool:
    """Queue the reply's email through `server` (the shop's, else the operator's) when the
    visitor is away; True when one was queued. `urls`: the Saleor API URL, the app's base."""
    if server is None or conversation.visitor_email is None:
        return False
    if not service.replies_by_email(conversation, now):
        return False
    saleor_api_url, base_url = urls
    shop = urlsplit(saleor_api_url).hostname or saleor_api_url
    message = mail.reply_email(
        server,
        conversation.visitor_email,
        shop,
        reply.body,
        continue_link(runtime, base_url, conversation),
        conversation.locale,
    )
    mail.send_after_commit(session, server, message)
    return True
