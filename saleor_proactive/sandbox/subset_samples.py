"""One sample value of every root field the sandbox resolves, built by the sandbox's own
payload code. The subset generator walks them to learn which fields the sandbox fills in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from . import operations as ops
from . import payloads
from .delivery import event_root
from .root import root_value
from .seed import BEANS_VARIANT, DEFAULT_CHANNEL, seed_shop
from .state import App

# Events the sandbox fires, and the object fields each event carries.
EVENT_FIELDS = {
    "CHECKOUT_CREATED": ("checkout",),
    "CHECKOUT_UPDATED": ("checkout",),
    "CHECKOUT_FULLY_PAID": ("checkout",),
    "ORDER_CREATED": ("order",),
    "PRODUCT_CREATED": ("product", "category"),
    "PRODUCT_UPDATED": ("product", "category"),
    "PRODUCT_DELETED": ("product", "category"),
    "SHIPPING_ZONE_CREATED": ("shippingZone",),
    "SHIPPING_ZONE_UPDATED": ("shippingZone",),
    "SHIPPING_ZONE_DELETED": ("shippingZone",),
    "SHIPPING_PRICE_CREATED": ("shippingMethod", "shippingZone"),
    "SHIPPING_PRICE_UPDATED": ("shippingMethod", "shippingZone"),
    "SHIPPING_PRICE_DELETED": ("shippingMethod", "shippingZone"),
    "APP_DELETED": ("app",),
}
# Input types the sandbox reads; other optional input arguments are left out of the subset.
INPUT_TYPES = (
    "CheckoutCreateInput",
    "CheckoutLineInput",
    "CheckoutLineUpdateInput",
    "AddressInput",
)
# Enums the sandbox checks manifests against.
EXTRA_TYPES = ("PermissionEnum", "WebhookEventTypeAsyncEnum")


def root_samples() -> dict[str, dict[str, list[Any]]]:
    """Operation type name -> root field -> sample values."""
    shop = seed_shop()
    checkout = ops.create_checkout(shop, DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)], country="ES")
    ops.set_discount(shop, checkout, Decimal("1.00"), "SAVE1")
    checkout_payload = payloads.checkout_payload(shop, checkout)
    spare = ops.create_checkout(shop, DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
    order_payload = payloads.order_payload(shop, ops.complete_checkout(shop, spare))
    now = datetime.now(UTC)
    app = App(1, "sample", "Sample", "1.0", {}, "t", ["MANAGE_CHECKOUTS"], [], None, now)
    product = shop.products[1]
    zone = shop.zones[1]
    objects: dict[str, Any] = {
        "checkout": checkout_payload,
        "order": order_payload,
        "product": payloads.product_payload(shop, product, None),
        "category": payloads.category_payload(shop, product.category_pk),
        "shippingZone": payloads.shipping_zone_payload(shop, zone, None),
        "shippingMethod": payloads.shipping_method_payload(shop, zone.methods[1], DEFAULT_CHANNEL),
        "app": payloads.app_payload(app),
    }
    error = {"code": "NOT_FOUND", "field": "id", "message": "sample"}
    result = {"errors": [error], "checkoutErrors": [error]}
    query = {
        "app": [objects["app"]],
        "channels": [[payloads.channel_payload(c) for c in shop.channels.values()]],
        "channel": [payloads.channel_payload(shop.channels[DEFAULT_CHANNEL])],
        "shippingZones": [
            _connection([payloads.shipping_zone_payload(shop, zone, DEFAULT_CHANNEL)])
        ],
        "products": [
            _connection([payloads.product_payload(shop, product, DEFAULT_CHANNEL)]),
            _connection([objects["product"]]),
        ],
        "product": [payloads.product_payload(shop, product, DEFAULT_CHANNEL)],
        "checkout": [checkout_payload],
        "order": [order_payload],
    }
    checkout_result = {**result, "checkout": checkout_payload}
    mutation: dict[str, list[Any]] = {
        name: [checkout_result]
        for name in root_value()
        if name.startswith("checkout") and name not in ("checkout", "checkoutComplete")
    }
    mutation["checkoutCreate"] = [{**checkout_result, "created": True}]
    mutation["checkoutComplete"] = [
        {**result, "order": order_payload, "confirmationNeeded": False, "confirmationData": None}
    ]
    subscription: dict[str, list[Any]] = {}
    for event, fields in EVENT_FIELDS.items():
        for key, payload in event_root(event, app, {f: objects[f] for f in fields}).items():
            subscription.setdefault(key, []).append(payload)
    return {"Query": query, "Mutation": mutation, "Subscription": subscription}


def _connection(nodes: list[Any]) -> Any:
    return payloads.connection(nodes, [n["id"] for n in nodes], has_next=False)
