"""The webhook channel: each reminder POSTed as JSON to the merchant's URL, signed, so a shop
can pipe reminders into its SMS, WhatsApp or marketing tool.

Headers: `Proactive-Event: cart_reminder`, `Proactive-Signature` (a detached JWS as Saleor's
`Saleor-Signature`, keys at `{app}/.well-known/jwks.json`), `Proactive-Delivery` (stable per
checkout and step: a receiver may use it to drop a repeat). Success is 2xx; 4xx is not retried
(the receiver refused it), 5xx and network errors are, as the email channel's failures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests

from ..saleor.addresses import mount_public_only
from ..saleor.allowlist import stored_url_must_be_public
from .signing import SigningKey

TIMEOUT_SECONDS = (3, 10)


@dataclass(frozen=True)
class WebhookOutcome:
    ok: bool
    permanent: bool  # a refusal that a retry would not change
    detail: str


def post_reminder(
    url: str,
    body: dict[str, Any],
    key: SigningKey,
    delivery_key: str,
    allowed_patterns: tuple[str, ...],
) -> WebhookOutcome:
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "Proactive-Event": "cart_reminder",
        "Proactive-Signature": key.sign(raw),
        "Proactive-Delivery": delivery_key,
    }
    with requests.Session() as session:
        # A merchant's URL must not make the worker reach into its own network, unless the
        # operator allows such addresses (as for Saleor URLs: PROACTIVE_ALLOWED_SALEOR_URLS).
        if stored_url_must_be_public(url, allowed_patterns):
            mount_public_only(session, 0)
        try:
            response = session.post(
                url, data=raw, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
            )
        except (requests.RequestException, OSError) as error:
            return WebhookOutcome(False, False, f"webhook unreachable: {type(error).__name__}")
    if 200 <= response.status_code < 300:
        return WebhookOutcome(True, False, "")
    permanent = 300 <= response.status_code < 500
    return WebhookOutcome(False, permanent, f"webhook answered {response.status_code}")
