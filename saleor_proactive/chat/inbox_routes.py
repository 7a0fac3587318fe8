"""`POST /api/chat/wait`: the app page's inbox waits here for news, then reads the merchant API.

Dashboard token as for `/api/graphql` (any staff member). Body `{"after": <message id>}`: the
answer comes at once when this shop has a line newer than `after`, else when one arrives or
after at most `wait` seconds: `{"latestMessageId": n}`. Each call marks its staff member
online, which is what tells visitors that someone answers (`presence.py`).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from ..dashboard.auth import authenticate
from ..errors import ApiError
from ..http import json_body
from ..store.db import get_database
from ..store.models import ChatMessage, utcnow
from . import presence
from .fanout import inbox_key
from .runtime import get_chat

WAIT_PATH = "/api/chat/wait"


def wait_for_inbox() -> Response:
    chat = get_chat()
    with get_database().session() as session:
        merchant = authenticate(session, request.headers)
        data = json_body(4096)
        after = data.get("after", 0)
        wait = data.get("wait", chat.max_wait)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            message = "`after` must be a message id (0 or more)."
            raise ApiError(400, "invalid_request", message, "after")
        if isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0:
            raise ApiError(400, "invalid_request", "`wait` must be seconds (0 or more).", "wait")
        presence.seen(session, merchant.installation_id, merchant.user_email or "staff", utcnow())
    keys = (inbox_key(merchant.installation_id),)
    chat.fanout.ensure_listening()
    seen = chat.fanout.versions.snapshot(keys)
    latest = _latest(merchant.installation_id)
    if latest <= after and chat.fanout.versions.wait(keys, seen, min(float(wait), chat.max_wait)):
        latest = _latest(merchant.installation_id)
    response = jsonify({"latestMessageId": latest})
    response.headers["Cache-Control"] = "no-store"
    return response


def _latest(installation_id: int) -> int:
    with get_database().session() as session:
        found = session.scalar(
            select(func.max(ChatMessage.id)).where(ChatMessage.installation_id == installation_id)
        )
    return int(found or 0)


def register_inbox_routes(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(WAIT_PATH, "inbox_wait", wait_for_inbox, methods=["POST"])
