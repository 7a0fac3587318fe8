"""`POST /api/chat/wait`: the app page's inbox waits here for news, then reads the merchant API.

Dashboard token as for `/api/graphql` (any staff member). Body `{"after": <message id>}`: the
answer comes at once when this shop has a line newer than `after`, else when one arrives or
after at most `wait` seconds: `{"latestMessageId": n}`. Each call marks its staff member
online, which is what tells visitors that someone answers (`presence.py`).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..dashboard.auth import authenticate
from ..errors import ApiError
from ..http import json_body
from ..store.db import get_database
from ..store.models import utcnow
from . import presence
from .runtime import get_chat
from .waiting import wait_for_inbox

WAIT_PATH = "/api/chat/wait"


def inbox_wait() -> Response:
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
    latest = wait_for_inbox(get_database(), chat, merchant.installation_id, after, float(wait))
    response = jsonify({"latestMessageId": latest})
    response.headers["Cache-Control"] = "no-store"
    return response


def register_inbox_routes(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(WAIT_PATH, "inbox_wait", inbox_wait, methods=["POST"])
