"""HTTP routes of the saleor area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, jsonify, request, send_file
from sqlalchemy.exc import OperationalError

from ..errors import ApiError, error_response
from ..http import app_settings, public_base_url
from ..store.db import db_session, get_database
from ..store.installations import app_token
from .allowlist import stored_url_must_be_public
from .manifest import build_manifest, logo_path
from .receive import MAX_WEBHOOK_BYTES, Delivery, receive
from .register import RegistrationFailed, register
from .sync import CatalogRetry, sync_catalog
from .webhooks import WEBHOOKS_BY_NAME, Outcome

logger = logging.getLogger(__name__)

blueprint = Blueprint("saleor", __name__)


@blueprint.get("/api/manifest")
def manifest() -> Response:
    return jsonify(build_manifest(public_base_url()))


@blueprint.get("/api/manifest/logo.png")
def logo() -> Response:
    return send_file(logo_path(), mimetype="image/png", max_age=86400)


@blueprint.post("/api/register")
def register_app() -> tuple[Response, int]:
    settings = app_settings()
    session = db_session()
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
    except ValueError:
        body = None
    try:
        registered = register(
            session,
            saleor_api_url=request.headers.get("Saleor-Api-Url"),
            body=body,
            allowed_patterns=settings.allowed_saleor_urls,
            secret=settings.require_secret_key(),
        )
    except RegistrationFailed as exc:
        session.rollback()
        return error_response(exc, extra={"success": False}), exc.status
    except OperationalError as exc:
        session.rollback()
        logger.warning("registration not stored, database unavailable: %s", exc)
        failed = RegistrationFailed(503, "database_unavailable", "Try the install again later.")
        return error_response(failed, extra={"success": False}), failed.status
    except Exception:
        # Saleor shows our message and deletes the app: keep the contract's shape even here.
        session.rollback()
        logger.exception("registration failed")
        failed = RegistrationFailed(500, "internal_error", "Something went wrong on our side.")
        return error_response(failed, extra={"success": False}), failed.status
    try:
        report = sync_catalog(session, registered.installation, registered.client)
    except Exception:
        # The installation is committed: a sync bug must not make Saleor delete a working app.
        session.rollback()
        logger.exception("catalog sync of %s failed", registered.installation.saleor_api_url)
        report = None
    logger.info("registered %s (%s)", registered.installation.saleor_api_url, report)
    return jsonify({"success": True}), 200


@blueprint.post("/api/webhooks/<name>")
def webhook(name: str) -> tuple[Response, int]:
    definition = WEBHOOKS_BY_NAME.get(name)
    if definition is None:
        raise ApiError(404, "unknown_webhook", f"There is no webhook named {name!r}.")
    # Webhooks may be larger than other requests (a checkout with many lines).
    request.max_content_length = MAX_WEBHOOK_BYTES
    body = request.get_data(cache=False)
    delivery = Delivery.from_headers(request.headers, body)
    session = db_session()
    # A refusal is a WebhookRejected (an ApiError): the app's error handler answers it.
    received = receive(session, definition, delivery)
    response = jsonify({"status": received.outcome.value})
    installation, retry = received.installation, _catalog_retry()
    if received.outcome is not Outcome.UNINSTALLED and retry.due(session, installation):
        settings = app_settings()
        token = app_token(installation, settings.require_secret_key())
        public_only = stored_url_must_be_public(
            installation.saleor_api_url, settings.allowed_saleor_urls
        )
        database = get_database()
        response.call_on_close(
            lambda: retry.run(database, installation, token, public_only=public_only)
        )
    return response, 200


def _catalog_retry() -> CatalogRetry:
    # One per app instance (not per module), created on first use.
    retry: CatalogRetry = current_app.extensions.setdefault(
        "proactive_catalog_retry", CatalogRetry()
    )
    return retry
