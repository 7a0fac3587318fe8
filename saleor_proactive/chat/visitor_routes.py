"""The visitor's side of the chat: `/storefront/v1/chat/...` (thin: parse, call, answer).

    POST /storefront/v1/chat/conversations                 start (201, with the token)
    GET  /storefront/v1/chat/conversations/<id>/messages   lines after `after`; waits up to
                                                           `wait` seconds for one (long poll)
    POST /storefront/v1/chat/conversations/<id>/messages   send a line
    POST /storefront/v1/chat/conversations/<id>/email      where replies go when nobody is online

Every call but the first sends `Authorization: Bearer <token>`; an unknown conversation and a
token that does not open it get the same 404, so ids cannot be probed. CORS as the visitor API:
any origin unless the merchant listed storefront origins.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..assets import asset_dir
from ..errors import ApiError
from ..http import app_settings, json_body
from ..store.db import get_database
from ..store.merchant_settings import load_settings
from ..store.models import ChatConversation, ChatMessage, Installation, utcnow
from ..store.models.chat import VISITOR
from ..storefront.requests import _identifier, _locale, _text
from ..storefront.runtime import get_runtime
from ..storefront.snippet import serve_script
from . import presence, service
from .fanout import conversation_key
from .inbox_routes import register_inbox_routes
from .notify import notify_new_conversation
from .offline import CONTINUE_PATH
from .runtime import get_chat, init_chat
from .validation import ChatInputError

PREFIX = "/storefront/v1/chat"
SCRIPT_PATH = "/storefront/v1/chat.js"
SCRIPT_FILE = "chat.js"
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
MAX_BODY_BYTES = 16 * 1024  # a 2,000-character line in the worst UTF-8 and JSON escaping

blueprint = Blueprint("chat", __name__)
blueprint.record_once(lambda state: init_chat(state.app))
register_inbox_routes(blueprint)


@blueprint.get(SCRIPT_PATH)
def chat_script() -> Response:
    """The panel's code: the snippet loads it only when a visitor opens the built-in chat."""
    return serve_script(asset_dir("storefront_snippet") / SCRIPT_FILE)


@blueprint.get(f"{CONTINUE_PATH}/<public_id>")
def continue_page(public_id: str) -> Response:
    """Where a reply email's link leads: the conversation in a page of its own. The token is in
    the link's fragment, which only chat.js reads; this page itself reveals nothing."""
    if not _PUBLIC_ID.fullmatch(public_id):
        raise ApiError(404, "unknown_conversation", "No such conversation.")
    html = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Chat</title>'
        f'<script src="{SCRIPT_PATH}" data-conversation="{public_id}" defer></script>'
        "</head><body></body></html>"
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blueprint.post(f"{PREFIX}/conversations")
def start() -> tuple[Response, int]:
    chat = get_chat()
    chat.limits.check_address(request.remote_addr or "unknown")
    data = _body()
    saleor_api_url = _text(data.get("saleorApiUrl"), "saleorApiUrl", 512)
    channel = _text(data.get("channel"), "channel", 255)
    visitor_id = _identifier(data.get("visitorId"), "visitorId")
    locale = _locale(data.get("locale"))
    action_id = data.get("actionId")
    runtime = get_runtime()
    now = utcnow()
    with get_database().session() as session:
        store = runtime.resolve(session.connection(), saleor_api_url, channel)
        _check_origin(store.settings.origin_allowed(request.headers.get("Origin")))
        if store.settings.chat.provider != "builtin":
            raise ApiError(409, "chat_not_enabled", "This shop does not use the built-in chat.")
        trigger_id = None
        if action_id is not None:
            issued = runtime.signer.verify(store.installation_id, visitor_id, str(action_id))
            if issued is None:
                raise ApiError(
                    400, "invalid_action_id", "This action was not issued to you.", "actionId"
                )
            trigger_id = issued.trigger_id
        conversation = service.start_conversation(
            session,
            chat.fanout,
            installation_id=store.installation_id,
            visitor_id=visitor_id,
            channel=store.channel.slug,
            locale=locale,
            trigger_id=trigger_id,
            now=now,
        )
        token = chat.tokens.issue(store.installation_id, conversation.public_id)
        body = _state(session, conversation, 0, now)
        body["conversation"]["token"] = token
    return jsonify(body), 201


@blueprint.get(f"{PREFIX}/conversations/<public_id>/messages")
def read(public_id: str) -> Response:
    chat = get_chat()
    # Reads count against the visitor API's limits: a panel polls about twice a minute.
    get_runtime().limits.check_address(request.remote_addr or "unknown")
    after = _int_arg("after", 0, 2**62)
    wait = min(float(_int_arg("wait", 0, 3600)), chat.max_wait)
    database = get_database()
    keys = (conversation_key(public_id),)
    chat.fanout.ensure_listening()
    seen = chat.fanout.versions.snapshot(keys)  # before reading: nothing slips in between
    with database.session() as session:
        conversation, now = _conversation(session, public_id), utcnow()
        service.visitor_seen(conversation, now)  # the visitor is here: no reply by email
        body = _state(session, conversation, after, now)
    if not body["messages"] and wait > 0 and chat.fanout.versions.wait(keys, seen, wait):
        with database.session() as session:  # no connection is held while waiting
            body = _state(session, _conversation(session, public_id), after, utcnow())
    return jsonify(body)


@blueprint.post(f"{PREFIX}/conversations/<public_id>/messages")
def send(public_id: str) -> tuple[Response, int]:
    chat = get_chat()
    chat.limits.check_address(request.remote_addr or "unknown")
    data = _body()
    with get_database().session() as session:
        conversation = _conversation(session, public_id)
        chat.limits.check_visitor(str(conversation.installation_id), f"chat:{public_id}")
        now = utcnow()
        try:
            message = service.post_message(
                session, chat.fanout, conversation, VISITOR, data.get("body"), now
            )
        except ChatInputError as error:
            raise ApiError(400, error.code, error.message, error.field) from None
        installation = session.get(Installation, conversation.installation_id)
        assert installation is not None  # the conversation would be gone with it (cascade)
        notify_new_conversation(session, conversation, installation, app_settings(), now)
        answer = {"message": message_json(message)}
    return jsonify(answer), 201


@blueprint.post(f"{PREFIX}/conversations/<public_id>/email")
def leave_email(public_id: str) -> Response:
    chat = get_chat()
    chat.limits.check_address(request.remote_addr or "unknown")
    data = _body()
    with get_database().session() as session:
        conversation = _conversation(session, public_id)
        try:
            email = service.leave_email(session, chat.fanout, conversation, data.get("email"))
        except ChatInputError as error:
            raise ApiError(400, error.code, error.message, error.field) from None
    return jsonify({"email": email})


def message_json(message: ChatMessage) -> dict[str, Any]:
    """A line as the visitor sees it: staff lines say `agent`, never whose address wrote them."""
    return {
        "id": message.id,
        "author": message.author,
        "body": message.body,
        "at": message.created_at.isoformat().replace("+00:00", "Z"),
    }


def _state(
    session: Session, conversation: ChatConversation, after: int, now: datetime
) -> dict[str, Any]:
    messages = service.messages_after(session, conversation, after)
    installation = session.get(Installation, conversation.installation_id)
    assert installation is not None  # the conversation would be gone with it (cascade)
    hours = load_settings(installation).chat.hours
    available = presence.availability(session, conversation.installation_id, hours, now)
    return {
        "conversation": {
            "id": conversation.public_id,
            "status": conversation.status,
            "online": available.online,
            "outsideHours": available.outside_hours,
            "emailGiven": conversation.visitor_email is not None,
        },
        "messages": [message_json(m) for m in messages],
    }


def _conversation(session: Session, public_id: str) -> ChatConversation:
    """The conversation the bearer token opens; 404 for unknown and unopened alike."""
    token = _bearer()
    conversation = session.scalars(
        select(ChatConversation).where(ChatConversation.public_id == public_id)
    ).first()
    chat = get_chat()
    if conversation is None or not chat.tokens.verify(
        conversation.installation_id, public_id, token
    ):
        raise ApiError(404, "unknown_conversation", "No such conversation, or not yours.")
    installation = session.get(Installation, conversation.installation_id)
    assert installation is not None  # the conversation would be gone with it (cascade)
    _check_origin(load_settings(installation).origin_allowed(request.headers.get("Origin")))
    return conversation


def _bearer() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing_token", "Send the conversation's token as a Bearer token.")
    return token.strip()


def _check_origin(allowed: bool) -> None:
    if not allowed:
        g.chat_origin_refused = True
        raise ApiError(403, "origin_not_allowed", "This shop does not accept calls from here.")


def _body() -> dict[str, Any]:
    if request.mimetype not in ("application/json", "text/plain"):
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
    return json_body(MAX_BODY_BYTES)


def _int_arg(name: str, low: int, high: int) -> int:
    raw = request.args.get(name, str(low))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(400, "invalid_request", f"`{name}` must be a whole number from {low}.", name)
    return int(raw)


@blueprint.after_request
def add_cors_headers(response: Response) -> Response:
    if not request.path.startswith(PREFIX + "/"):  # not chat.js: a cacheable script
        return response
    response.headers["Vary"] = "Origin"
    origin = request.headers.get("Origin")
    if origin and not g.get("chat_origin_refused"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
    response.headers["Cache-Control"] = "no-store"
    if request.method == "OPTIONS":  # Flask's automatic answer to a preflight
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        response.headers["Access-Control-Max-Age"] = "600"
    return response
