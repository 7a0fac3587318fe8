"""The visitor API's per-process caches: fast, yet a change in Saleor reaches them in time."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from saleor_proactive.config import Settings
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import ProductPrice
from saleor_proactive.storefront.runtime import StorefrontRuntime
from saleor_proactive.storefront.visitor_state import ProductFacts
from tests.clock import ManualClock
from tests.fixtures.storefront import ShopRows

TTL = 1.0


def _facts(
    runtime: StorefrontRuntime, database: Database, shop: ShopRows
) -> dict[str, ProductFacts]:
    with database.engine.connect() as connection:
        return runtime.product_facts(
            connection,
            shop.installation_id,
            "default-channel",
            ["UHJvZHVjdDox", "UHJvZHVjdDo5OQ=="],
        )


def test_a_product_price_change_reaches_the_visitor_api_within_its_time_to_live(
    settings: Settings, database: Database, shop: ShopRows
) -> None:
    # given a product known at 20.00, read once by a worker
    shop.product("UHJvZHVjdDox", "Q2F0ZWdvcnk6MQ==", {"default-channel": Decimal("20.00")})
    clock = ManualClock()
    runtime = StorefrontRuntime(
        settings.with_overrides(product_cache_seconds=TTL), database, clock=clock
    )
    assert _facts(runtime, database, shop) == {
        "UHJvZHVjdDox": ProductFacts("Q2F0ZWdvcnk6MQ==", Decimal("20.00"), "UHJvZHVjdDox")
    }

    # when its price changes (a product webhook)
    with database.session() as session:
        session.execute(update(ProductPrice).values(gross=Decimal("25.00")))

    # then the worker answers from its cache until the time to live has passed, then with the
    # new price; an unknown id stays unknown
    clock.advance(TTL - 0.01)
    assert _facts(runtime, database, shop)["UHJvZHVjdDox"].price == Decimal("20.00")
    clock.advance(0.01)
    assert _facts(runtime, database, shop) == {
        "UHJvZHVjdDox": ProductFacts("Q2F0ZWdvcnk6MQ==", Decimal("25.00"), "UHJvZHVjdDox")
    }
