"""Request builders shared by the visitor API tests (rule documents: tests/rules.py)."""

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
