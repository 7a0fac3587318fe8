"""Per-process chat state: the fan-out, the token signer, the message rate limits."""

from __future__ import annotations

from flask import current_app
from flask.sansio.app import App

from ..config import Settings
from ..storefront.rate_limits import RateLimits
from .fanout import Fanout, make_fanout
from .tokens import ChatTokens

EXTENSION_KEY = "proactive_chat"


class ChatRuntime:
    def __init__(self, settings: Settings) -> None:
        self.fanout: Fanout = make_fanout(settings.database_url)
        self.tokens = ChatTokens(settings.require_secret_key())
        self.limits = RateLimits(
            storage_url=settings.rate_limit_storage,
            per_visitor=settings.chat_visitor_messages,
            per_address=settings.chat_address_messages,
        )
        self.max_wait = settings.chat_max_wait_seconds


def init_chat(app: App) -> None:
    app.extensions[EXTENSION_KEY] = ChatRuntime(app.config["PROACTIVE"])


def get_chat(app: App | None = None) -> ChatRuntime:
    runtime = (app or current_app).extensions[EXTENSION_KEY]
    assert isinstance(runtime, ChatRuntime)
    return runtime
