"""Receiving one webhook delivery: verify, parse, dispatch to its handler, commit.

Refusals are ApiErrors (`WebhookRejected`, or `invalid_json` from the shared JSON parser) that
the app's error handler answers: 401 (signature or installation), 400 (not the expected JSON),
503 (a transient failure, or a key we may not fetch yet: Saleor retries those).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..http import parse_json_object
from ..store.installations import get_installation
from ..store.models import Installation
from .payloads import PayloadError
from .signatures import KeyNotYetFetched, SignatureError, fetch_jwks, verify_webhook
from .webhooks import Outcome, WebhookDefinition, WebhookEvent

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 10 * 1024 * 1024


class WebhookRejected(ApiError):
    """A webhook refused with the status Saleor should see (4xx: never retried; 5xx: retried)."""


@dataclass(frozen=True)
class Delivery:
    saleor_api_url: str | None
    signature: str | None
    event_header: str | None  # `Saleor-Event`, lowercase (checkout_updated)
    body: bytes

    @classmethod
    def from_headers(cls, headers: Any, body: bytes) -> Delivery:
        """From any mapping with `.get` (Werkzeug headers, a dict)."""
        return cls(
            saleor_api_url=headers.get("Saleor-Api-Url"),
            signature=headers.get("Saleor-Signature"),
            event_header=headers.get("Saleor-Event"),
            body=body,
        )


@dataclass(frozen=True)
class Received:
    outcome: Outcome
    installation: Installation  # deleted from the database when the outcome is UNINSTALLED


def receive(
    session: Session,
    definition: WebhookDefinition,
    delivery: Delivery,
    fetch: Callable[[str], dict[str, Any]] = fetch_jwks,
) -> Received:
    try:
        received = _receive(session, definition, delivery, fetch)
        session.commit()
        return received
    except OperationalError as exc:
        session.rollback()
        logger.warning("webhook %s not stored, database unavailable: %s", definition.name, exc)
        raise WebhookRejected(503, "database_unavailable", "Try again later.") from exc
    except BaseException:
        session.rollback()
        raise


def _receive(
    session: Session,
    definition: WebhookDefinition,
    delivery: Delivery,
    fetch: Callable[[str], dict[str, Any]],
) -> Received:
    if not delivery.saleor_api_url or not delivery.signature:
        raise WebhookRejected(
            401, "unauthenticated", "Saleor-Api-Url and Saleor-Signature are required."
        )
    installation = get_installation(session, delivery.saleor_api_url)
    if installation is None:
        raise WebhookRejected(401, "unknown_installation", "This Saleor has not installed the app.")
    try:
        verify_webhook(session, installation, delivery.signature, delivery.body, fetch)
    except KeyNotYetFetched as exc:
        # Perhaps Saleor rotated its key: Saleor retries a 5xx (never a 4xx) until we may fetch.
        raise WebhookRejected(
            503, "signing_key_unknown_yet", f"{exc.message}; try again later."
        ) from exc
    except SignatureError as exc:
        raise WebhookRejected(401, "invalid_signature", exc.message) from exc
    payload = parse_json_object(delivery.body)
    typename = payload.get("__typename")
    if not isinstance(typename, str):
        raise WebhookRejected(400, "invalid_payload", "__typename: expected a string")
    if typename not in definition.typenames or not _header_matches(definition, delivery):
        raise WebhookRejected(
            400, "unexpected_event", f"The webhook {definition.name} does not take {typename!r}."
        )
    event = WebhookEvent(session, installation, typename, payload)
    try:
        return Received(definition.handler(event), installation)
    except PayloadError as exc:
        raise WebhookRejected(400, "invalid_payload", str(exc)) from exc


def _header_matches(definition: WebhookDefinition, delivery: Delivery) -> bool:
    # The header is optional for us; when present it must be one of this webhook's events.
    header = delivery.event_header
    return header is None or header.upper() in definition.events
