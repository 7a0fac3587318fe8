"""`POST /storefront/v1/offers/claim` (CONTRACT §4.1): thin, over `claims` and `pool`.

CORS as for the visitor API: any origin, unless the merchant listed storefront origins.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..assets import asset_dir
from ..errors import ApiError
from ..http import json_body
from ..saleor.client import SaleorError
from ..store.db import get_database
from ..storefront.requests import _identifier, _text, bad
from ..storefront.runtime import get_runtime
from ..storefront.snippet import serve_script
from . import claims, pool

logger = logging.getLogger(__name__)

CLAIM_PATH = "/storefront/v1/offers/claim"
SCRIPT_PATH = "/storefront/v1/offer.js"
SCRIPT_FILE = "offer.js"
MAX_BODY_BYTES = 4096
RETRY_AFTER_SECONDS = 30

blueprint = Blueprint("offers", __name__)


@blueprint.get(SCRIPT_PATH)
def offer_script() -> Response:
    """The code's panel: the snippet loads it only when a visitor asks for an offer's code."""
    return serve_script(asset_dir("storefront_snippet") / SCRIPT_FILE)


@blueprint.route(CLAIM_PATH, methods=["OPTIONS"])
def claim_preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return response


@blueprint.route(CLAIM_PATH, methods=["POST"])
def claim() -> Response:
    runtime = get_runtime()
    runtime.limits.check_address(request.remote_addr or "unknown")
    body = _request(json_body(MAX_BODY_BYTES))
    runtime.limits.check_visitor(body["saleorApiUrl"], body["visitorId"])
    with get_database().visitor_engine.connect() as connection:
        store = runtime.resolve(connection, body["saleorApiUrl"], body["channel"])
    if not store.settings.origin_allowed(request.headers.get("Origin")):
        g.offer_origin_refused = True
        raise ApiError(403, "origin_not_allowed", "This shop does not accept calls from here.")
    issued = runtime.signer.verify(store.installation_id, body["visitorId"], body["actionId"])
    if issued is None:
        raise _unknown_action()
    args = (store.installation_id, issued.trigger_id, body["channel"], body["visitorId"])
    try:
        return jsonify(_claim(*args).as_json())
    except claims.PoolEmpty:
        _refill_now(store.installation_id, issued.trigger_id)
        try:
            return jsonify(_claim(*args).as_json())
        except claims.PoolEmpty:
            raise _try_again() from None


def _claim(installation_id: int, trigger_id: str, channel: str, visitor_id: str) -> claims.Claim:
    runtime = get_runtime()
    address = request.remote_addr or "unknown"
    try:
        with get_database().session() as session:
            return claims.claim_code(
                session,
                installation_id,
                trigger_id,
                channel,
                visitor_id,
                runtime.clock.now(),
                lambda: runtime.limits.check_new_offer_code(address),
            )
    except claims.UnknownOffer:
        raise _unknown_action() from None
    except claims.OfferExhausted:
        raise ApiError(
            409, "offer_exhausted", "This offer has run out for today. Please come back tomorrow."
        ) from None
    except claims.ClaimContended:
        raise _try_again() from None


def _refill_now(installation_id: int, trigger_id: str) -> None:
    """The pool ran dry ahead of the job: fetch codes from Saleor once, while the visitor waits."""
    settings = current_app.config["PROACTIVE"]
    try:
        pool.refill(
            get_database(), settings, installation_id=installation_id, trigger_id=trigger_id
        )
    except SaleorError as error:
        logger.warning("offer %s: no codes ready and Saleor failed: %s", trigger_id, error)
        raise _try_again() from None


def _try_again() -> ApiError:
    return ApiError(
        503,
        "offer_unavailable",
        "No code can be handed out right now. Please try again in a moment.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _unknown_action() -> ApiError:
    return ApiError(404, "unknown_action", "This offer was not issued to this visitor.")


def _request(data: dict[str, Any]) -> dict[str, str]:
    action_id = data.get("actionId")
    if not isinstance(action_id, str) or not 1 <= len(action_id) <= 300:
        raise bad("actionId", "must be the id of an action this app sent")
    return {
        "saleorApiUrl": _text(data.get("saleorApiUrl"), "saleorApiUrl", 512),
        "channel": _text(data.get("channel"), "channel", 255),
        "visitorId": _identifier(data.get("visitorId"), "visitorId"),
        "sessionId": _identifier(data.get("sessionId"), "sessionId"),
        "actionId": action_id,
    }


@blueprint.after_request
def add_cors_headers(response: Response) -> Response:
    if request.path != CLAIM_PATH:
        return response
    response.headers["Vary"] = "Origin"
    origin = request.headers.get("Origin")
    if origin and not g.get("offer_origin_refused"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
    response.headers["Cache-Control"] = "no-store"
    return response
