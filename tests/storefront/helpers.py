"""Request builders and rule documents shared by the visitor API tests."""

from __future__ import annotations

import json
import time
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Interaction, Visitor
from tests.fixtures.storefront import SHOP_URL

EVENTS = "/storefront/v1/events"


def now_ms() -> int:
    return int(time.time() * 1000)


def page_view(
    url: str = "https://shop.example.com/", page_type: str | None = None, ts: int | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "page_view", "url": url, "ts": ts or now_ms()}
    if page_type:
        event["pageType"] = page_type
    return event


def body(events: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "saleorApiUrl": SHOP_URL,
        "channel": "default-channel",
        "visitorId": "v_visitor1",
        "sessionId": "s_session1",
        "locale": "en-US",
        "device": "desktop",
        "events": events,
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post(
    client: FlaskClient, data: Any, content_type: str = "text/plain;charset=UTF-8", **headers: str
) -> TestResponse:
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(EVENTS, data=raw, content_type=content_type, headers=headers)


def chat_rule(name: str, when: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "when": when,
        "show": {
            "type": "chat_prompt",
            "message": {"en": f"{name}?", "es": f"¿{name}?"},
            "cta": {"en": "Chat with us"},
        },
        "holdoutPercent": 0,
        **extra,
    }


def free_shipping_rule(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Free shipping",
        "when": {"remainingToFreeShipping": {"lte": 15}},
        "show": {
            "type": "free_shipping_notice",
            "message": {
                "en": "You are {remaining} away from free shipping",
                "es": "Te faltan {remaining} para el envío gratis",
            },
            "reachedMessage": {"en": "You've unlocked free shipping!"},
        },
        "frequency": {"maxPerVisitor": 5, "per": "session"},
        "holdoutPercent": 0,
        **extra,
    }


def visitor_row(database: Database, visitor_id: str = "v_visitor1") -> Visitor | None:
    with database.session() as session:
        return session.scalar(select(Visitor).where(Visitor.visitor_id == visitor_id))


def interactions(database: Database) -> list[tuple[str, str, str]]:
    with database.session() as session:
        rows = session.execute(
            select(Interaction.kind, Interaction.trigger_id, Interaction.visitor_id).order_by(
                Interaction.id
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]
