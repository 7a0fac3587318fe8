"""Simultaneous requests of one visitor (tabs, beacons) neither lose nor double counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.store.db import Database
from tests.fixtures.live import start_live_server
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule
from tests.storefront.helpers import (
    EVENTS,
    body,
    interactions,
    now_ms,
    page_view,
    visitor_row,
)
from tests.storefront.helpers import post as client_post


def test_parallel_reports_count_every_impression_exactly_once(
    storefront_app: Flask, storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given 12 actions issued to one visitor by a prompt that may show 100 times
    trigger_id = shop.trigger(
        chat_rule(
            "Contact help",
            {"pageType": {"in": ["contact"]}},
            frequency={"maxPerVisitor": 100, "per": "visitor"},
        )
    )
    contact = body([page_view("https://shop.example.com/contact")])
    ids = [
        client_post(storefront_client, contact).get_json()["actions"][0]["id"] for _ in range(12)
    ]
    live, thread = start_live_server(storefront_app)

    # when each is reported three times, all at once over HTTP
    def report(action_id: str) -> int:
        event = {"type": "action_shown", "actionId": action_id, "ts": now_ms()}
        return requests.post(live.url + EVENTS, json=body([event]), timeout=10).status_code

    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(report, ids * 3))
    finally:
        live.server.shutdown()
        thread.join(timeout=5)

    # then every request got through (one that lost a race was redone holding the visitor),
    # and every id counts once, in both places
    assert statuses == [200] * len(ids) * 3
    impressions = [i for i in interactions(database) if i[0] == "impression"]
    visitor = visitor_row(database)
    assert visitor is not None
    assert len(impressions) == len(ids)
    assert visitor.frequency[trigger_id]["ever"] == len(ids)
