from __future__ import annotations

import json
import time
from typing import Any

from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.seed import (
    BEANS_VARIANT,
    DEFAULT_CHANNEL,
    ESPRESSO_MACHINE_VARIANT,
    USD_CHANNEL,
)
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App
from tests.sandbox.catalog_mutations import reprice_variant
from tests.sandbox.recording_app import RecordingApp


def bodies(recording_app: RecordingApp, webhook: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in recording_app.on(f"/api/webhooks/{webhook}")]


def test_checkout_created_is_delivered_as_the_bare_event_with_saleor_headers(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # when
    checkout_id = sandbox_saleor.create_checkout(
        DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)], country="DE"
    )

    # then
    [received] = recording_app.on("/api/webhooks/checkout-events")
    assert received.headers["Saleor-Event"] == "checkout_created"
    assert received.headers["Saleor-Domain"] == sandbox_saleor.domain
    assert received.headers["Saleor-Api-Url"] == sandbox_saleor.api_url
    event = json.loads(received.body)
    assert event["__typename"] == "CheckoutCreated"
    assert "data" not in event and event["issuedAt"]
    checkout = event["checkout"]
    assert checkout["id"] == checkout_id
    assert checkout["channel"] == {"slug": DEFAULT_CHANNEL, "currencyCode": "EUR"}
    assert checkout["shippingAddress"] == {"country": {"code": "DE"}}
    assert checkout["subtotalPrice"]["gross"] == {"amount": 25.0}
    assert checkout["subtotalPrice"]["net"] == {"amount": 20.66}  # 21 % VAT included
    assert [d.status for d in sandbox_saleor.last_deliveries] == [200]


def test_each_change_updates_the_checkout_and_advances_updated_at(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)])

    # when
    sandbox_saleor.update_checkout_lines(checkout_id, [(BEANS_VARIANT, 3)])
    sandbox_saleor.set_checkout_discount(checkout_id, "5.00")
    sandbox_saleor.set_checkout_country(checkout_id, "FR")

    # then
    events = bodies(recording_app, "checkout-events")
    assert [e["__typename"] for e in events] == [
        "CheckoutCreated",
        "CheckoutUpdated",
        "CheckoutUpdated",
        "CheckoutUpdated",
    ]
    stamps = [e["checkout"]["updatedAt"] for e in events]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    last = events[-1]["checkout"]
    assert last["lines"][0]["quantity"] == 3
    assert last["discount"] == {"amount": 5.0, "currency": "EUR"}
    assert last["subtotalPrice"]["gross"] == {"amount": 32.5}
    assert last["shippingAddress"] == {"country": {"code": "FR"}}


def test_a_metadata_change_fires_metadata_updated_then_updated_by_default(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    """A fresh Saleor 3.23 keeps `useLegacyUpdateWebhookEmission` on: updateMetadata sends
    CHECKOUT_METADATA_UPDATED, then CHECKOUT_UPDATED, both with the moved `updatedAt`."""
    # given
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # when
    sandbox_saleor.set_checkout_metadata(checkout_id, {"proactive_reminders": "true"})

    # then
    created, changed, updated = bodies(recording_app, "checkout-events")
    assert [changed["__typename"], updated["__typename"]] == [
        "CheckoutMetadataUpdated",
        "CheckoutUpdated",
    ]
    for event in (changed, updated):
        assert event["checkout"]["metadata"] == [{"key": "proactive_reminders", "value": "true"}]
    assert changed["checkout"]["updatedAt"] == updated["checkout"]["updatedAt"]
    assert changed["checkout"]["updatedAt"] > created["checkout"]["updatedAt"]
    headers = [d.headers["Saleor-Event"] for d in recording_app.on("/api/webhooks/checkout-events")]
    assert headers == ["checkout_created", "checkout_metadata_updated", "checkout_updated"]


def test_without_legacy_emission_a_metadata_change_is_its_own_event(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    """With `useLegacyUpdateWebhookEmission` off, CHECKOUT_METADATA_UPDATED arrives alone and
    still bumps the checkout's `last_change`, which is its `updatedAt`."""
    # given
    sandbox_saleor.set_legacy_update_webhook_emission(False)
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # when
    sandbox_saleor.set_checkout_metadata(checkout_id, {"proactive_reminders": "true"})

    # then
    created, changed = bodies(recording_app, "checkout-events")
    assert changed["__typename"] == "CheckoutMetadataUpdated"
    assert changed["checkout"]["metadata"] == [{"key": "proactive_reminders", "value": "true"}]
    assert changed["checkout"]["updatedAt"] > created["checkout"]["updatedAt"]
    [_, delivery] = recording_app.on("/api/webhooks/checkout-events")
    assert delivery.headers["Saleor-Event"] == "checkout_metadata_updated"


def test_order_created_carries_the_checkout_id_and_total(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    checkout_id = sandbox_saleor.create_checkout(USD_CHANNEL, [(ESPRESSO_MACHINE_VARIANT, 1)])

    # when
    order_id = sandbox_saleor.create_order(checkout_id)

    # then
    [event] = bodies(recording_app, "order-events")
    order = event["order"]
    assert event["__typename"] == "OrderCreated"
    assert order["id"] == order_id
    assert order["checkoutId"] == checkout_id
    assert order["total"]["gross"] == {"amount": 719.0}
    assert order["total"]["currency"] == "USD"
    assert sandbox_saleor.checkout_view(checkout_id) is None  # Saleor deletes the checkout


def test_product_and_shipping_changes_fire_their_events(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    product_id = to_global_id("Product", 1)
    free_shipping = to_global_id("ShippingMethodType", 2)

    # when
    sandbox_saleor.update_product(
        product_id, name="Ethiopia Guji", prices={DEFAULT_CHANNEL: "13.50"}
    )
    sandbox_saleor.update_shipping_method(free_shipping, DEFAULT_CHANNEL, minimum_order_price="60")
    sandbox_saleor.delete_shipping_zone(to_global_id("ShippingZone", 2))

    # then
    [product_event] = bodies(recording_app, "product-events")
    assert product_event["__typename"] == "ProductUpdated"
    product = product_event["product"]
    assert product["name"] == "Ethiopia Guji"
    prices = {
        listing["channel"]["slug"]: listing["pricing"]["priceRange"]["start"]["gross"]["amount"]
        for listing in product["channelListings"]
    }
    assert prices == {DEFAULT_CHANNEL: 13.5, USD_CHANNEL: 14.0}
    price_event, zone_event = bodies(recording_app, "shipping-events")
    assert price_event["__typename"] == "ShippingPriceUpdated"
    methods = {m["id"]: m for m in price_event["shippingZone"]["shippingMethods"]}
    [listing] = methods[free_shipping]["channelListings"]
    assert listing["price"] == {"amount": 0.0, "currency": "EUR"}
    assert listing["minimumOrderPrice"] == {"amount": 60.0, "currency": "EUR"}
    assert zone_event == {
        "__typename": "ShippingZoneDeleted",
        "issuedAt": zone_event["issuedAt"],
        "shippingZone": {"id": to_global_id("ShippingZone", 2)},
    }


def test_events_need_the_permission_the_app_was_granted(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    sandbox_saleor.install_app(recording_app.manifest_url, permissions=["MANAGE_ORDERS"])

    # when
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
    sandbox_saleor.create_order(checkout_id)

    # then
    assert bodies(recording_app, "checkout-events") == []
    assert [e["__typename"] for e in bodies(recording_app, "order-events")] == ["OrderCreated"]


def test_a_4xx_answer_is_recorded_and_never_retried(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    recording_app.webhook_statuses = [401]

    # when
    sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # then
    assert [(d.event, d.status) for d in sandbox_saleor.deliveries] == [("checkout_created", 401)]
    assert len(recording_app.on("/api/webhooks/")) == 1


def test_when_asked_5xx_answers_are_retried_like_saleor(recording_app: RecordingApp) -> None:
    # given
    with SandboxSaleor(retry_delays=(0.05, 0.05)) as saleor:
        saleor.install_app(recording_app.manifest_url)
        recording_app.webhook_statuses = [503, 500]

        # when
        saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
        deadline = time.monotonic() + 5
        while len(saleor.deliveries) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)

        # then
        assert [(d.attempt, d.status) for d in saleor.deliveries] == [(1, 503), (2, 500), (3, 200)]
        assert len({d.body for d in saleor.deliveries}) == 1


def test_held_webhooks_can_be_released_out_of_order(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    sandbox_saleor.hold_webhooks()
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
    sandbox_saleor.update_checkout_lines(checkout_id, [(BEANS_VARIANT, 5)])
    assert recording_app.on("/api/webhooks/") == []

    # when
    released = sandbox_saleor.release_webhooks(reverse=True)

    # then
    assert [d.event for d in released] == ["checkout_updated", "checkout_created"]
    quantities = [
        e["checkout"]["lines"][0]["quantity"] for e in bodies(recording_app, "checkout-events")
    ]
    assert quantities == [5, 1]


def test_a_delivery_can_be_sent_twice_with_a_fresh_valid_signature(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
    [first] = sandbox_saleor.last_deliveries

    # when
    again = sandbox_saleor.redeliver(first)

    # then
    assert (again.event, again.status, again.body) == (first.event, 200, first.body)
    assert again.headers["Saleor-Signature"] and again.headers["Saleor-Event"] == "checkout_created"
    first_received, second_received = recording_app.on("/api/webhooks/checkout-events")
    assert first_received.body == second_received.body


def test_an_order_keeps_its_prices_when_the_catalogue_changes_later(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    product_id = to_global_id("Product", 1)
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)])
    order_id = sandbox_saleor.create_order(checkout_id)

    # when
    sandbox_saleor.update_product(product_id, prices={DEFAULT_CHANNEL: "99.00"})
    sandbox_saleor.delete_product(product_id)
    order = sandbox_saleor.order_view(order_id)

    # then
    assert order is not None
    assert order["total"]["gross"]["amount"] == 25.0
    assert [line["productName"] for line in order["lines"]] == ["Ethiopia Yirgacheffe 250 g"]
    assert order["lines"][0]["variant"] is None
    product_events = [e["__typename"] for e in bodies(recording_app, "product-events")]
    assert product_events == ["ProductUpdated", "ProductDeleted"]


def test_a_line_whose_product_leaves_the_channel_drops_out_of_the_checkout(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given
    checkout_id = sandbox_saleor.create_checkout(
        DEFAULT_CHANNEL, [(BEANS_VARIANT, 2), (ESPRESSO_MACHINE_VARIANT, 1)]
    )

    # when
    sandbox_saleor.update_product(to_global_id("Product", 5), prices={DEFAULT_CHANNEL: None})
    checkout = sandbox_saleor.checkout_view(checkout_id)

    # then
    assert checkout is not None
    assert [line["variant"]["id"] for line in checkout["lines"]] == [BEANS_VARIANT]
    assert checkout["subtotalPrice"]["gross"]["amount"] == 25.0


def test_a_variant_price_change_fires_only_product_variant_updated(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # when the variant of product 1 is repriced through the API, as the Dashboard does
    result = reprice_variant(
        sandbox_saleor, recorded_install.token, BEANS_VARIANT, DEFAULT_CHANNEL, "13.90"
    )

    # then
    assert result["errors"] == []
    [received] = recording_app.on("/api/webhooks/product-events")
    assert received.headers["Saleor-Event"] == "product_variant_updated"
    event = json.loads(received.body)
    assert event["__typename"] == "ProductVariantUpdated"
    [edge] = event["productVariant"]["product"]["productVariants"]["edges"]
    prices = {
        listing["channel"]["slug"]: listing["price"] for listing in edge["node"]["channelListings"]
    }
    assert prices == {
        DEFAULT_CHANNEL: {"amount": 13.9, "currency": "EUR"},
        USD_CHANNEL: {"amount": 14.0, "currency": "USD"},
    }


def test_a_variant_is_not_priced_in_a_channel_its_product_is_not_listed_in(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given product 1 taken out of the USD channel
    sandbox_saleor.update_product(to_global_id("Product", 1), prices={USD_CHANNEL: None})
    recording_app.received.clear()

    # when
    result = reprice_variant(
        sandbox_saleor, recorded_install.token, BEANS_VARIANT, USD_CHANNEL, "15.00"
    )

    # then
    assert [error["code"] for error in result["errors"]] == ["PRODUCT_NOT_ASSIGNED_TO_CHANNEL"]
    assert recording_app.on("/api/webhooks/product-events") == []


def test_creating_a_product_fires_product_then_variant_created(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # when
    sandbox_saleor.create_product(
        "Moka Pot", to_global_id("Category", 2), {DEFAULT_CHANNEL: "35.00"}
    )

    # then
    events = [e["__typename"] for e in bodies(recording_app, "product-events")]
    assert events == ["ProductCreated", "ProductVariantCreated"]
    assert [d.status for d in sandbox_saleor.last_deliveries] == [200, 200]
