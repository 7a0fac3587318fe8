"""Signed webhook delivery, as Saleor does it: the subscription document runs with the event
as root, the result is POSTed with `Saleor-*` headers and a detached RS256 JWS over the body."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests
from graphql import GraphQLSchema, execute_sync, parse

from .keys import SigningKey
from .payloads import app_payload
from .state import App, Webhook

logger = logging.getLogger(__name__)

SALEOR_VERSION = "3.23.0"
TIMEOUT = (2, 18)
# Saleor retries 5xx and connection errors after these delays; 3xx and 4xx never.
SALEOR_RETRY_DELAYS = (10, 20, 40, 80, 160)
_EVENT_PERMISSIONS = {
    "CHECKOUT_": "MANAGE_CHECKOUTS",
    "ORDER_": "MANAGE_ORDERS",
    "PRODUCT_": "MANAGE_PRODUCTS",
    "SHIPPING_": "MANAGE_SHIPPING",
}


@dataclass(frozen=True)
class Delivery:
    """One POST of one event to one webhook; `status` is None when the app did not answer."""

    event: str  # lowercase, as in the Saleor-Event header
    webhook: str
    target_url: str
    status: int | None
    body: bytes
    headers: dict[str, str]
    attempt: int = 1
    error: str | None = None
    response_body: bytes = b""

    @property
    def payload(self) -> Any:
        return json.loads(self.body)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def permission_for(event: str) -> str | None:
    """The app permission an event needs (APP_DELETED needs none)."""
    for prefix, permission in _EVENT_PERMISSIONS.items():
        if event.startswith(prefix):
            return permission
    return None


def event_type_name(event: str) -> str:
    """CHECKOUT_UPDATED -> CheckoutUpdated, the GraphQL type of the event."""
    return "".join(part.capitalize() for part in event.split("_"))


def event_root(event: str, app: App, fields: dict[str, Any]) -> dict[str, Any]:
    type_name = event_type_name(event)
    payload = {
        "__typename": type_name,
        "issuedAt": datetime.now(UTC).isoformat(),
        "version": SALEOR_VERSION,
        "issuingPrincipal": None,
        "recipient": app_payload(app),
        **fields,
    }
    # Both subscription styles: `event { ... on CheckoutUpdated }` and `checkoutUpdated { ... }`.
    return {"event": payload, type_name[0].lower() + type_name[1:]: payload}


def render_body(schema: GraphQLSchema, query: str, root: dict[str, Any]) -> bytes:
    """The event object the subscription selects (no `data` wrapper), as Saleor sends it."""
    result = execute_sync(schema, parse(query), root_value=root)
    data = result.data or {}
    if result.errors:
        logger.warning("webhook payload errors: %s", [e.message for e in result.errors])
    value = next(iter(data.values()), None) if data else None
    return json.dumps(value).encode()


@dataclass
class Deliverer:
    schema: GraphQLSchema
    api_url: str
    domain: str
    key: Callable[[], SigningKey]
    retry_delays: tuple[float, ...] = ()
    deliveries: list[Delivery] = field(default_factory=list)
    # While not None, rendered webhooks wait here instead of being sent (see `release`).
    held: list[tuple[Webhook, str, bytes]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribed(self, app: App, event: str) -> list[Webhook]:
        needed = permission_for(event)
        if needed is not None and needed not in app.permissions:
            return []
        return [hook for hook in app.webhooks if hook.is_active and event in hook.events]

    def fire(self, app: App, event: str, fields: dict[str, Any]) -> list[Delivery]:
        """Deliver `event` to every webhook of `app` subscribed to it, synchronously."""
        root = event_root(event, app, fields)
        deliveries = []
        for hook in self.subscribed(app, event):
            body = render_body(self.schema, hook.query, root)
            if self.held is not None:
                self.held.append((hook, event, body))
            else:
                deliveries.append(self.post(hook, event, body))
        return deliveries

    def release(self, reverse: bool = False) -> list[Delivery]:
        """Send the held webhooks (in the order they were fired, or reversed) and stop holding."""
        held, self.held = self.held or [], None
        return [self.post(*item) for item in (reversed(held) if reverse else held)]

    def redeliver(self, delivery: Delivery) -> Delivery:
        """Send a recorded delivery's body again, freshly signed: Saleor's duplicates."""
        hook = Webhook(0, delivery.webhook, delivery.target_url, "", [])
        return self.post(hook, delivery.event.upper(), delivery.body)

    def post(self, hook: Webhook, event: str, body: bytes, attempt: int = 1) -> Delivery:
        headers = {
            "Content-Type": "application/json",
            "Saleor-Event": event.lower(),
            "Saleor-Domain": self.domain,
            "Saleor-Api-Url": self.api_url,
            "Saleor-Signature": self.key().sign_detached(body),
        }
        headers.update({f"X-{name}": value for name, value in list(headers.items())[1:4]})
        try:
            # No shared Session: deliveries may run on several server threads at once.
            response = requests.post(
                hook.target_url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
            )
            delivery = Delivery(
                event.lower(),
                hook.name,
                hook.target_url,
                response.status_code,
                body,
                headers,
                attempt,
                response_body=response.content,
            )
        except requests.RequestException as exc:
            delivery = Delivery(
                event.lower(), hook.name, hook.target_url, None, body, headers, attempt, str(exc)
            )
        with self._lock:
            self.deliveries.append(delivery)
        self._maybe_retry(hook, event, delivery)
        return delivery

    def _maybe_retry(self, hook: Webhook, event: str, delivery: Delivery) -> None:
        transient = delivery.status is None or delivery.status >= 500
        if not transient or delivery.attempt > len(self.retry_delays):
            return
        delay = self.retry_delays[delivery.attempt - 1]
        timer = threading.Timer(
            delay,
            self.post,
            args=(hook, event, delivery.body),
            kwargs={"attempt": delivery.attempt + 1},
        )
        timer.daemon = True
        timer.start()
