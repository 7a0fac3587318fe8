"""A simulated shop population with a known effect, measured by the app end to end.

5,000 visitors reach the contact page; a chat prompt with a 20 % hold-out fires for all of them
(5,000 rather than 20,000 keeps the run under a minute; coverage over many draws is checked by
the pure test in test_uplift.py).
Exposed visitors order with probability 4 %, held-out visitors with 3 % (true uplift +1 point).
The first visitors go through the real storefront API over HTTP and buy through the sandbox
Saleor (checkout + order, real signed webhooks); the bulk goes through the same domain functions
those endpoints call (`handle_events`, `record_order` + `order_recorded`), with a fixed seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy.orm import Session

from saleor_proactive import rulebook
from saleor_proactive.analytics.stats import trigger_stats
from saleor_proactive.domain_events import order_recorded
from saleor_proactive.sandbox.seed import DEFAULT_CHANNEL, variant_id
from saleor_proactive.store import triggers as trigger_store
from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import Installation, utcnow
from saleor_proactive.store.snapshot_data import OrderData
from saleor_proactive.store.snapshots import record_order
from saleor_proactive.storefront.requests import parse_batch
from saleor_proactive.storefront.runtime import get_runtime
from saleor_proactive.storefront.service import handle_events
from tests.fixtures.sandbox import Installed

VISITORS = 5_000
OVER_HTTP = 150
P_EXPOSED, P_CONTROL = 0.04, 0.03
TRIGGER_ID = "trg_population0001"
RULE = {
    "name": "Questions on the contact page",
    "enabled": True,
    "priority": 1000,
    "channels": [DEFAULT_CHANNEL],
    "when": {"all": [{"pageType": {"in": ["contact"]}}]},
    "show": {"type": "chat_prompt", "message": {"en": "Questions? Ask us."}},
    "frequency": {"maxPerVisitor": 1, "per": "visitor", "cooldownMinutes": 0},
    "holdoutPercent": 20,
}

CHECKOUT_PAGE = {"type": "page_view", "url": "https://shop.test/checkout", "pageType": "checkout"}
Post = Callable[[dict[str, Any]], list[dict[str, Any]]]


@dataclass
class Tally:
    visitors: dict[str, int] = field(default_factory=lambda: {"exposed": 0, "control": 0})
    orders: dict[str, int] = field(default_factory=lambda: {"exposed": 0, "control": 0})


def _batch(
    api_url: str, visitor: str, events: list[dict[str, Any]], checkout: str | None = None
) -> dict[str, Any]:
    ts = int(utcnow().timestamp() * 1000)
    body: dict[str, Any] = {
        "saleorApiUrl": api_url,
        "channel": DEFAULT_CHANNEL,
        "visitorId": visitor,
        "sessionId": f"s-{visitor}",
        "events": [{**event, "ts": ts} for event in events],
    }
    if checkout:
        body["checkoutId"] = checkout
    return body


def _visit(post: Post, api_url: str, visitor: str, tally: Tally) -> str:
    """One visitor reaches the contact page; returns the group the app put them in."""
    page = {"type": "page_view", "url": "https://shop.test/contact", "pageType": "contact"}
    actions = post(_batch(api_url, visitor, [page]))
    shown = [action for action in actions if action["triggerId"] == TRIGGER_ID]
    if shown:  # the snippet renders it and reports the impression
        post(_batch(api_url, visitor, [{"type": "action_shown", "actionId": shown[0]["id"]}]))
    group = "exposed" if shown else "control"
    tally.visitors[group] += 1
    return group


def _http_post(app_url: str) -> Post:
    def post(body: dict[str, Any]) -> list[dict[str, Any]]:
        response = requests.post(f"{app_url}/storefront/v1/events", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return list(response.json()["actions"])

    return post


def _domain_post(app: Flask) -> Post:
    def post(body: dict[str, Any]) -> list[dict[str, Any]]:
        with app.app_context():
            runtime = get_runtime()
            with get_database(app).engine.connect() as connection:
                batch = parse_batch(body)
                store = runtime.resolve(connection, batch.saleor_api_url, batch.channel)
                return handle_events(connection, runtime, store, batch, utcnow())

    return post


def _domain_order(
    app: Flask, installation_id: int, post: Post, api_url: str
) -> Callable[[str, int], None]:
    def order(visitor: str, number: int) -> None:
        checkout = f"bulk-checkout-{number}"
        post(
            _batch(
                api_url,
                visitor,
                [
                    {
                        "type": "page_view",
                        "url": "https://shop.test/checkout",
                        "pageType": "checkout",
                    }
                ],
                checkout,
            )
        )
        with get_database(app).session() as session:
            data = OrderData(
                order_id=f"bulk-order-{number}", checkout_id=checkout, channel_slug=DEFAULT_CHANNEL,
                total_gross=Decimal("42.00"), total_net=None, currency="EUR",
                created_at=utcnow(), issued_at=utcnow(),
            )  # fmt: skip
            stored = record_order(session, installation_id, data)
            installation = session.get(Installation, installation_id)
            order_recorded.send(installation, session=session, order=stored, created=True)

    return order


def _only_the_experiment_trigger(
    session: Session, installation_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for trigger in trigger_store.list_triggers(session, installation_id):
        trigger_store.delete_trigger(session, installation_id, trigger.id)
    # A fixed id pins the hold-out hash (trigger, visitor), so the run is reproducible.
    monkeypatch.setattr(trigger_store, "new_trigger_id", lambda: TRIGGER_ID)
    rulebook.create_trigger(session, installation_id, RULE)


@pytest.mark.slow
def test_reported_uplift_interval_contains_the_true_effect(
    installed: Installed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given one trigger with a 20 % hold-out and a population with a known effect
    app = installed.live.app
    with get_database(app).session() as session:
        _only_the_experiment_trigger(session, installed.installation_id, monkeypatch)
    rng = random.Random(20261123)
    tally = Tally()
    http_post, domain_post = _http_post(installed.app_url), _domain_post(app)
    bulk_order = _domain_order(app, installed.installation_id, domain_post, installed.api_url)

    # when the visitors browse and some of them buy
    for number in range(VISITORS):
        visitor = f"pop-{number}"
        over_http = number < OVER_HTTP
        group = _visit(http_post if over_http else domain_post, installed.api_url, visitor, tally)
        if rng.random() >= (P_EXPOSED if group == "exposed" else P_CONTROL):
            continue
        tally.orders[group] += 1
        if over_http:
            checkout = installed.saleor.create_checkout(DEFAULT_CHANNEL, [(variant_id(2), 1)])
            http_post(
                _batch(
                    installed.api_url,
                    visitor,
                    [
                        {
                            "type": "page_view",
                            "url": "https://shop.test/checkout",
                            "pageType": "checkout",
                        }
                    ],
                    checkout,
                )
            )
            installed.saleor.create_order(checkout)
        else:
            bulk_order(visitor, number)

    # then the app reports exactly the population it saw ...
    today = utcnow().date()
    with get_database(app).session() as session:
        [stats] = trigger_stats(
            session, installed.installation_id, today - timedelta(days=1), today
        )
    assert stats.trigger_id == TRIGGER_ID
    assert (stats.exposed.visitors, stats.control.visitors) == (
        tally.visitors["exposed"],
        tally.visitors["control"],
    )
    assert stats.exposed.impressions == tally.visitors["exposed"]
    assert stats.control.impressions == tally.visitors["control"]
    assert (stats.exposed.converters, stats.control.converters) == (
        tally.orders["exposed"],
        tally.orders["control"],
    )
    assert (stats.exposed.conversions, stats.control.conversions) == (
        tally.orders["exposed"],
        tally.orders["control"],
    )
    # ... a hold-out close to 20 % ...
    assert 0.19 < tally.visitors["control"] / VISITORS < 0.21
    # ... and an interval that contains the true uplift of one percentage point
    assert stats.enough_data
    assert stats.uplift is not None
    assert stats.uplift.interval.contains(P_EXPOSED - P_CONTROL)
