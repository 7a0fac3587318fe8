"""The visitor API over real HTTP, installed into the sandbox Saleor with its seeded shop.

Cart values, thresholds and categories come from Saleor's data through signed webhooks and the
app's own queries; the triggers are the defaults a new installation gets.
"""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from typing import Any

import requests

from saleor_proactive.rulebook import create_trigger
from saleor_proactive.sandbox import operations as ops
from saleor_proactive.sandbox.ids import from_global_id, to_global_id
from saleor_proactive.sandbox.seed import DEFAULT_CHANNEL, USD_CHANNEL, variant_id
from saleor_proactive.store.db import get_database
from saleor_proactive.store.installations import get_installation
from saleor_proactive.store.snapshots import get_product
from saleor_proactive.store.triggers import list_triggers
from saleor_proactive.triggers.engine import holdout_bucket
from tests.fixtures.sandbox import Installed
from tests.rules import chat_rule
from tests.sandbox.catalog_mutations import reprice_variant
from tests.storefront.helpers import EVENTS, now_ms, page_view

COLOMBIA_1KG = variant_id(2)  # 38.00 EUR / 42.00 USD
KETTLE = variant_id(7)  # 54.00 EUR / 59.00 USD
FILTERS = variant_id(9)  # 6.50 EUR / 7.50 USD
HOUSE_BLEND = variant_id(3)  # 16.90 EUR
DRIPPER = variant_id(8)  # 24.00 EUR / 27.00 USD


def _treated_visitor(installed: Installed) -> str:
    """A visitor outside every default trigger's 10 % hold-out, so the answer is deterministic."""
    with get_database(installed.live.app).session() as session:
        ids = [t.id for t in list_triggers(session, installed.installation_id)]
    assert ids, "the defaults were not seeded on registration"
    return next(
        f"v_{n}" for n in range(1000) if all(holdout_bucket(t, f"v_{n}") >= 1000 for t in ids)
    )


def _post(
    installed: Installed, visitor: str, events: list[dict[str, Any]], **fields: Any
) -> requests.Response:
    data = {
        "saleorApiUrl": installed.api_url,
        "channel": DEFAULT_CHANNEL,
        "visitorId": visitor,
        "sessionId": "s_1",
        "locale": "en-GB",
        "events": events,
        **fields,
    }
    return requests.post(
        installed.app_url + EVENTS, json=data, timeout=10, headers={"Origin": "https://shop.test"}
    )


def _messages(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [action["message"] for action in response.json()["actions"]]


def test_cart_near_free_shipping_gets_the_remaining_amount(installed: Installed) -> None:
    # given a 38.00 EUR checkout (free shipping from 50.00 EUR in Spain)
    visitor = _treated_visitor(installed)
    checkout_id = installed.saleor.create_checkout(DEFAULT_CHANNEL, [(COLOMBIA_1KG, 1)])

    # when
    english = _post(installed, visitor, [page_view()], checkoutId=checkout_id)
    spanish = _post(installed, visitor, [page_view()], checkoutId=checkout_id, locale="es-ES")

    # then
    assert _messages(english) == ["You are €12.00 away from free shipping"]
    assert _messages(spanish) == ["Te faltan 12,00 € para el envío gratis"]
    assert english.headers["Access-Control-Allow-Origin"] == "https://shop.test"


def test_after_the_cart_grows_past_the_threshold_the_notice_says_so(installed: Installed) -> None:
    # given
    visitor = _treated_visitor(installed)
    checkout_id = installed.saleor.create_checkout(DEFAULT_CHANNEL, [(COLOMBIA_1KG, 1)])
    _post(installed, visitor, [page_view()], checkoutId=checkout_id)

    # when the visitor adds the house blend (54.90 EUR, reported by webhook)
    installed.saleor.add_checkout_lines(checkout_id, [(HOUSE_BLEND, 1)])
    response = _post(installed, visitor, [page_view()], checkoutId=checkout_id)

    # then
    assert _messages(response) == ["You've unlocked free shipping!"]


def test_cart_updated_fetches_the_checkout_when_the_webhook_is_late(installed: Installed) -> None:
    # given a checkout the app knows at 38.00 EUR
    visitor = _treated_visitor(installed)
    saleor = installed.saleor
    checkout_id = saleor.create_checkout(DEFAULT_CHANNEL, [(COLOMBIA_1KG, 1)])
    assert _messages(_post(installed, visitor, [page_view()], checkoutId=checkout_id))

    # when the cart changes in Saleor but the webhook has not arrived yet
    with saleor.lock:
        checkout = ops.find_checkout(saleor.shop, checkout_id)
        ops.add_lines(saleor.shop, checkout, [(KETTLE, 1)])
    event = {"type": "cart_updated", "ts": now_ms()}
    response = _post(installed, visitor, [event], checkoutId=checkout_id)

    # then the app asked Saleor and knows the cart is past 50.00 EUR
    assert all("away" not in message for message in _messages(response))


def test_usd_channel_counts_towards_75_dollars(installed: Installed) -> None:
    # given a 66.50 USD checkout in the US channel
    visitor = _treated_visitor(installed)
    checkout_id = installed.saleor.create_checkout(
        USD_CHANNEL, [(KETTLE, 1), (FILTERS, 1)], country="US"
    )

    # when
    response = _post(
        installed,
        visitor,
        [page_view()],
        checkoutId=checkout_id,
        channel=USD_CHANNEL,
        locale="en-US",
    )

    # then
    assert _messages(response) == ["You are $8.50 away from free shipping"]


def test_a_voucher_that_keeps_the_cart_above_the_minimum_does_not_hide_free_shipping(
    installed: Installed,
) -> None:
    # given 86.00 USD in the US channel (free shipping from 75.00 USD) and a 10.00 USD
    # entire-order voucher: Saleor compares 76.00 and ships free
    visitor = _treated_visitor(installed)
    checkout_id = installed.saleor.create_checkout(
        USD_CHANNEL, [(KETTLE, 1), (DRIPPER, 1)], country="US"
    )
    installed.saleor.set_checkout_discount(checkout_id, "10.00")

    # when
    response = _post(
        installed,
        visitor,
        [page_view()],
        checkoutId=checkout_id,
        channel=USD_CHANNEL,
        locale="en-US",
    )

    # then the notice says free shipping is reached, not "$9.00 away"
    assert _messages(response) == ["You've unlocked free shipping!"]


def test_a_cart_that_needs_no_shipping_gets_no_free_shipping_notice(installed: Installed) -> None:
    # given a 38.00 EUR cart of an e-gift card, a product type that needs no shipping
    saleor = installed.saleor
    gift_card = saleor.create_product(
        "E-gift card", to_global_id("Category", 3), {DEFAULT_CHANNEL: "38.00"}, False
    )
    variant = saleor.shop.products[int(from_global_id(gift_card, "Product") or 0)].variant_pk
    visitor = _treated_visitor(installed)
    checkout_id = saleor.create_checkout(
        DEFAULT_CHANNEL, [(to_global_id("ProductVariant", variant), 1)]
    )

    # when
    response = _post(installed, visitor, [page_view()], checkoutId=checkout_id)

    # then Saleor offers no shipping, so there is no "€12.00 away" to announce
    assert _messages(response) == []


def test_checkout_page_prompts_after_the_default_rules_delay(installed: Installed) -> None:
    # when
    visitor = _treated_visitor(installed)
    response = _post(installed, visitor, [page_view("https://shop.test/checkout/")])

    # then
    [action] = response.json()["actions"]
    assert action["type"] == "chat_prompt"
    assert 59_000 <= action["showAfterMs"] <= 60_000


def test_browser_claims_do_not_unlock_a_notice(installed: Installed) -> None:
    # given a visitor with no checkout Saleor knows of
    visitor = _treated_visitor(installed)

    # when the browser claims an expensive cart and a checkout id that does not exist
    events = [page_view(), {"type": "cart_updated", "ts": now_ms(), "value": 45}]
    response = _post(installed, visitor, events, checkoutId="Q2hlY2tvdXQ6bm9uZQ==", cartValue=45)

    # then
    assert _messages(response) == []


HOME = {"pageType": {"in": ["home"]}}


def _create_trigger(installed: Installed, installation_id: int, document: dict[str, Any]) -> str:
    with get_database(installed.live.app).session() as session:
        trigger = create_trigger(session, installation_id, document)
        session.commit()
        return trigger.id


def test_a_reinstalled_shop_is_served_only_its_own_triggers(installed: Installed) -> None:
    # given a shop that added a trigger, with its rules warm in the app's cache
    home = [page_view(page_type="home")]
    _create_trigger(installed, installed.installation_id, chat_rule("Old shop", HOME))
    assert "Old shop?" in _messages(_post(installed, _treated_visitor(installed), home))

    # when the app is uninstalled, installed again, and the merchant adds a trigger again
    assert [d.status for d in installed.saleor.uninstall_app()] == [200]
    installed.saleor.install_app(f"{installed.app_url}/api/manifest")
    with get_database(installed.live.app).session() as session:
        installation = get_installation(session, installed.api_url)
        assert installation is not None
        again = replace(installed, installation_id=installation.id)
    new_trigger = _create_trigger(installed, again.installation_id, chat_rule("New shop", HOME))
    # the longest a worker may serve its cached view of the shop
    time.sleep(installed.live.app.config["PROACTIVE"].store_validate_seconds)
    response = _post(installed, _treated_visitor(again), home)

    # then only the new installation's triggers answer
    with get_database(installed.live.app).session() as session:
        current = {t.id for t in list_triggers(session, again.installation_id)}
    assert new_trigger in current
    assert _messages(response) == ["New shop?"]
    assert {action["triggerId"] for action in response.json()["actions"]} <= current


def test_a_variant_repriced_in_saleor_reaches_the_expensive_product_rule(
    installed: Installed,
) -> None:
    # given the burr grinder at 189.00 EUR, under the "Expensive product viewed" 500.00
    visitor = _treated_visitor(installed)
    grinder = to_global_id("Product", 6)
    assert stored_price(installed, grinder) == Decimal("189.00")

    # when the merchant reprices its variant (only PRODUCT_VARIANT_UPDATED fires)
    reprice_variant(installed.saleor, installed.app.token, variant_id(6), DEFAULT_CHANNEL, "549.00")
    response = _post(installed, visitor, [product_view(grinder)])

    # then the webhook was taken, and the rule sees Saleor's new price
    assert [(d.event, d.status) for d in installed.saleor.last_deliveries] == [
        ("product_variant_updated", 200)
    ]
    assert stored_price(installed, grinder) == Decimal("549.00")
    assert _messages(response) == ["Considering a bigger purchase? Our specialist can advise you."]


def stored_price(installed: Installed, product_id: str) -> Decimal | None:
    with get_database(installed.live.app).session() as session:
        product = get_product(session, installed.installation_id, product_id)
        assert product is not None
        return next((p.gross for p in product.prices if p.channel_slug == DEFAULT_CHANNEL), None)


def product_view(product_id: str) -> dict[str, Any]:
    return {"type": "product_view", "productId": product_id, "ts": now_ms()}
