"""Per-process chat state: the fan-out, the token signer, the message rate limits."""

from __future__ import annotations

from flask import current_app
from flask.sansio.app import App

from ..config import Settings
from ..storefront.rate_limits import RateLimits
from .fanout import Fanout, make_fanout
from .mail import SmtpConfig, parse_smtp_url
from .tokens import ChatTokens

EXTENSION_KEY = "proactive_chat"
# A reader waits this long for news before answering "nothing new" and asking again: short
# enough for proxies' idle timeouts (often 30-60 s), long enough to cost little.
MAX_WAIT_SECONDS = 25.0
# Messages, not requests: a person types a few lines a minute; an address may be an office.
VISITOR_MESSAGES = "20/minute"
ADDRESS_MESSAGES = "120/minute"


class ChatRuntime:
    def __init__(self, settings: Settings) -> None:
        extra = settings.extra
        self.fanout: Fanout = make_fanout(settings.database_url)
        self.tokens = ChatTokens(settings.require_secret_key())
        self.limits = RateLimits(
            storage_url=settings.rate_limit_storage,
            per_visitor=str(extra.get("chat_visitor_messages", VISITOR_MESSAGES)),
            per_address=str(extra.get("chat_address_messages", ADDRESS_MESSAGES)),
        )
        self.max_wait = float(extra.get("chat_max_wait_seconds", MAX_WAIT_SECONDS))
        self.smtp: SmtpConfig | None = (
            parse_smtp_url(settings.smtp_url) if settings.smtp_url else None
        )


def init_chat(app: App) -> None:
    app.extensions[EXTENSION_KEY] = ChatRuntime(app.config["PROACTIVE"])


def get_chat(app: App | None = None) -> ChatRuntime:
    runtime = (app or current_app).extensions[EXTENSION_KEY]
    assert isinstance(runtime, ChatRuntime)
    return runtime
