"""HTTP routes of the storefront area (thin: parse, call the domain code, map the result).

CORS for `POST /storefront/v1/events`: any origin may call it (the snippet runs on the
merchant's storefront) unless the merchant listed storefront origins; then others get 403
`origin_not_allowed` without `Access-Control-Allow-Origin`. Preflights cannot know the shop
(no body), so they are answered for any origin and the check happens on the POST.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, g, request

from ..errors import ApiError
from ..http import json_body
from ..store.db import get_database
from .requests import MAX_BODY_BYTES, parse_batch
from .runtime import get_runtime, init_runtime
from .service import handle_events
from .snippet import register_snippet_route

EVENTS_PATH = "/storefront/v1/events"
_CONTENT_TYPES = ("application/json", "text/plain")

blueprint = Blueprint("storefront", __name__)
blueprint.record_once(lambda state: init_runtime(state.app))
register_snippet_route(blueprint)


@blueprint.route(EVENTS_PATH, methods=["OPTIONS"])
def events_preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return response


@blueprint.route(EVENTS_PATH, methods=["POST"])
def events() -> Response:
    runtime = get_runtime()
    runtime.limits.check_address(request.remote_addr or "unknown")
    if request.mimetype not in _CONTENT_TYPES:
        raise ApiError(
            415, "unsupported_media_type", "Send the body as application/json or text/plain."
        )
    batch = parse_batch(_body())
    runtime.limits.check_visitor(batch.saleor_api_url, batch.visitor_id)
    # A Core connection, not an ORM session: the hot path needs no unit of work. Its commits
    # do not wait for the disk (db.py): a database crash may take back its last moment of
    # visitor activity, but never leaves it half-written.
    with get_database().visitor_engine.connect() as connection:
        store = runtime.resolve(connection, batch.saleor_api_url, batch.channel)
        if not store.settings.origin_allowed(request.headers.get("Origin")):
            g.storefront_origin_refused = True
            raise ApiError(403, "origin_not_allowed", "This shop does not accept calls from here.")
        body: dict[str, Any] = {"actions": [], **store.view.entry.config}
        if store.settings.consent_required and batch.consent is not True:
            return _json(body)  # nothing stored before the visitor agreed
        body["actions"] = handle_events(connection, runtime, store, batch, runtime.clock.now())
    return _json(body)


def _json(body: dict[str, Any]) -> Response:
    # Compact and unsorted: the snippet reads keys; jsonify's sorting and hooks are not needed.
    return Response(json.dumps(body, separators=(",", ":")), mimetype="application/json")


def _body() -> dict[str, Any]:
    """The JSON object; a body that is not one is a 400 naming `body` (every 400 has a field)."""
    try:
        return json_body(MAX_BODY_BYTES)
    except ApiError as error:
        if error.status == 400 and not error.field:
            error.field = "body"
        raise


@blueprint.after_request
def add_cors_headers(response: Response) -> Response:
    if request.path != EVENTS_PATH:
        return response
    headers = response.headers
    headers["Vary"] = "Origin"  # the answer depends on it; nothing else sets Vary here
    origin = request.headers.get("Origin")
    if origin and not g.get("storefront_origin_refused"):
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Expose-Headers"] = "Retry-After"
    headers["Cache-Control"] = "no-store"
    return response
