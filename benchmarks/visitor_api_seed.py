"""The shop benchmarks/visitor_api.py measures, written directly into the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from saleor_proactive.store.db import Database
from saleor_proactive.store.models import (
    Channel,
    CheckoutSnapshot,
    Installation,
    ProductPrice,
    ProductSnapshot,
    ShippingMethod,
    ShippingMethodListing,
    ShippingZone,
    utcnow,
)
from saleor_proactive.store.triggers import seed_default_triggers

SHOP_URL = "https://bench.example.com/graphql/"  # as in visitor_api_mix.lua
PRODUCTS = 200
CHECKOUTS = 500


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
    database.dispose()
    return sid, trigger_ids
