"""The shop benchmarks/visitor_api.py measures, written directly into the database.

A shop that has been running a while: its catalogue, checkouts and triggers, the visitors of
past weeks with their interactions, and the planner statistics a database keeps of them (a
fresh PostgreSQL table without statistics is planned as if it were empty, which scanned whole
indexes for each visitor read).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text

from saleor_proactive.rulebook import seed_default_triggers
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import (
    Channel,
    CheckoutSnapshot,
    Installation,
    Interaction,
    ProductPrice,
    ProductSnapshot,
    ShippingMethod,
    ShippingMethodListing,
    ShippingZone,
    Visitor,
    utcnow,
)

SHOP_URL = "https://bench.example.com/graphql/"  # as in visitor_api_mix.lua
PRODUCTS = 200
CHECKOUTS = 500
PAST_VISITORS = 20_000
INTERACTIONS_PER_PAST_VISITOR = 3


def seed(url: str, fresh_until_seconds: float) -> tuple[int, list[str]]:
    """One shop, as its webhooks and catalogue sync would have left it; (id, trigger ids)."""
    database = Database(url)
    now = utcnow()
    with database.session() as session:
        shop = Installation(
            saleor_api_url=SHOP_URL,
            app_id="QXBwOjE=",
            token_encrypted="-",
            jwks={},
            jwks_fetched_at=now,
            settings={},
        )
        session.add(shop)
        session.flush()
        sid = shop.id
        session.add(
            Channel(
                installation_id=sid,
                saleor_id="Q2g6MQ==",
                slug="default-channel",
                name="EU",
                currency_code="EUR",
                default_country="ES",
            )
        )
        zone = ShippingZone(
            installation_id=sid,
            zone_id="Wm9uZTox",
            name="Europe",
            countries=["ES", "DE", "FR"],
            channel_slugs=["default-channel"],
            deleted=False,
            event_issued_at=now,
        )
        session.add(zone)
        session.flush()
        method = ShippingMethod(
            installation_id=sid,
            shipping_zone_id=zone.id,
            method_id="U006MQ==",
            name="Free",
            type="PRICE",
        )
        session.add(method)
        session.flush()
        session.add(
            ShippingMethodListing(
                installation_id=sid,
                shipping_method_id=method.id,
                channel_slug="default-channel",
                currency="EUR",
                price=Decimal(0),
                minimum_order_price=Decimal(50),
            )
        )
        for n in range(PRODUCTS):
            product = ProductSnapshot(
                installation_id=sid,
                product_id=f"UHJvZHVjdDo{n}",
                name=f"Product {n}",
                category_id=f"Q2F0OjE{n % 12}",
                deleted=False,
                saleor_updated_at=now,
            )
            session.add(product)
            session.flush()
            session.add(
                ProductPrice(
                    installation_id=sid,
                    product_snapshot_id=product.id,
                    channel_slug="default-channel",
                    currency="EUR",
                    gross=Decimal(5 + (n * 37) % 900),
                    net=None,
                )
            )
        # Received "in the future": the webhook already told us about every change the load
        # generator will report, so cart_updated never needs a Saleor query here.
        received = now + timedelta(seconds=fresh_until_seconds)
        for n in range(CHECKOUTS):
            value = Decimal(20 + (n * 7) % 90)
            line = {
                "variantId": "UHY6MQ==",
                "productId": "UHJvZHVjdDox",
                "categoryId": None,
                "quantity": 1,
                "net": str(value),
                "gross": str(value),
                "undiscounted": str(value),
            }
            session.add(
                CheckoutSnapshot(
                    installation_id=sid,
                    checkout_id=f"Q2hlY2tvdXQ6{n}",
                    channel_slug="default-channel",
                    currency="EUR",
                    subtotal_net=value,
                    subtotal_gross=value,
                    total_gross=value,
                    discount=Decimal(0),
                    items_quantity=1,
                    shipping_country=None,
                    lines=[line],
                    fully_paid=False,
                    saleor_updated_at=now,
                    received_at=received,
                )
            )
        trigger_ids = [t.id for t in seed_default_triggers(session, sid)]
        _seed_history(session.connection(), sid, trigger_ids, now)
    with database.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    database.dispose()
    return sid, trigger_ids


def _seed_history(connection: Any, sid: int, trigger_ids: list[str], now: datetime) -> None:
    """Visitors of the past weeks (ids the load generator never uses) and what they did."""
    visitors, interactions = [], []
    for n in range(PAST_VISITORS):
        seen = now - timedelta(days=1 + n % 30, minutes=n % 1440)
        visitor_id = f"past_{n}"
        visitors.append(
            {
                "installation_id": sid,
                "visitor_id": visitor_id,
                "row_version": 1 + n % 7,
                "channel": "default-channel",
                "session_id": f"s_{visitor_id}",
                "session_started_at": seen - timedelta(minutes=5),
                "last_seen_at": seen,
                "visit_count": 1 + n % 4,
                "pages_in_session": 1 + n % 9,
                "page_url": "https://bench.example.com/",
                "page_type": "home",
                "page_started_at": seen,
                "products_viewed": [f"UHJvZHVjdDo{n % PRODUCTS}"],
                "categories_viewed": [f"Q2F0OjE{n % 12}"],
                "frequency": {},
                "recent_actions": [],
                "checkout_id": f"Q2hlY2tvdXQ6{n % CHECKOUTS}" if n % 3 else None,
                "created_at": seen - timedelta(minutes=5),
            }
        )
        for k in range(INTERACTIONS_PER_PAST_VISITOR):
            interactions.append(
                {
                    "installation_id": sid,
                    "trigger_id": trigger_ids[(n + k) % len(trigger_ids)],
                    "visitor_id": visitor_id,
                    "session_id": f"s_{visitor_id}",
                    "channel": "default-channel",
                    "kind": ("issued", "impression", "click")[k % 3],
                    "action_id": f"past:{n}:{k}",
                    "occurred_at": seen,
                }
            )
    connection.execute(insert(Visitor), visitors)
    connection.execute(insert(Interaction), interactions)
