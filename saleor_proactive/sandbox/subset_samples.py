"""One sample value of every root field the sandbox resolves, built by the sandbox's own
payload code. The subset generator walks them to learn which fields the sandbox fills in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from . import operations as ops
from . import payloads, vouchers
from .delivery import event_root
from .root import root_value
from .seed import BEANS_VARIANT, DEFAULT_CHANNEL, seed_shop
from .state import App, Shop, Voucher, VoucherCodeRecord, VoucherRecord, Webhook

# Events the sandbox fires, and the object fields each event carries.
EVENT_FIELDS = {
    "CHECKOUT_CREATED": ("checkout",),
    "CHECKOUT_UPDATED": ("checkout",),
    "CHECKOUT_METADATA_UPDATED": ("checkout",),
    "CHECKOUT_FULLY_PAID": ("checkout",),
    "ORDER_CREATED": ("order",),
    "PRODUCT_CREATED": ("product", "category"),
    "PRODUCT_UPDATED": ("product", "category"),
    "PRODUCT_DELETED": ("product", "category"),
    "PRODUCT_VARIANT_CREATED": ("productVariant",),
    "PRODUCT_VARIANT_UPDATED": ("productVariant",),
    "PRODUCT_VARIANT_DELETED": ("productVariant",),
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
    "ProductVariantChannelListingAddInput",
    "VoucherInput",
    "VoucherChannelListingInput",
    "VoucherChannelListingAddInput",
)
# Enums the sandbox checks manifests against.
EXTRA_TYPES = ("PermissionEnum", "WebhookEventTypeAsyncEnum")


def root_samples() -> dict[str, dict[str, list[Any]]]:
    """Operation type name -> root field -> sample values."""
    shop = seed_shop()
    objects = _objects(shop)
    return {
        "Query": _queries(shop, objects),
        "Mutation": _mutations(objects),
        "Subscription": _subscriptions(objects),
    }


def _objects(shop: Shop) -> dict[str, Any]:
    """A checkout with a discount and an address, an order, and the catalogue objects."""
    checkout = ops.create_checkout(shop, DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)], country="ES")
    ops.set_voucher(shop, checkout, Voucher("SAVE1", Decimal("1.00")))
    ops.set_metadata(shop, checkout, {"proactive_reminders": "true"})
    spare = ops.create_checkout(shop, DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
    ops.set_voucher(shop, spare, Voucher("SAVE2", Decimal("1.00")))  # the order's `discounts`
    now = datetime.now(UTC)
    hook = Webhook(
        1,
        "sample",
        "https://app.example.com/hook",
        "subscription { event { issuedAt } }",
        ["CHECKOUT_UPDATED"],
    )
    app = App(1, "sample", "Sample", "1.0", {}, "t", ["MANAGE_CHECKOUTS"], [hook], None, now)
    product = shop.products[1]
    zone = shop.zones[1]
    return {
        "checkout": payloads.checkout_payload(shop, checkout),
        "order": payloads.order_payload(shop, ops.complete_checkout(shop, spare)),
        "product": payloads.product_payload(shop, product, None),
        "productVariant": payloads.product_payload(shop, product, None)["defaultVariant"],
        "category": payloads.category_payload(shop, product.category_pk),
        "shippingZone": payloads.shipping_zone_payload(shop, zone, None),
        "shippingMethod": payloads.shipping_method_payload(shop, zone.methods[1], DEFAULT_CHANNEL),
        "app": payloads.app_payload(app),
        "appRecord": app,
        "appWithWebhooks": payloads.app_with_webhooks_payload(app),
        "webhook": payloads.webhook_payload(hook),
        "voucher": _voucher_sample(now),
    }


def _voucher_sample(now: datetime) -> dict[str, Any]:
    """A voucher with one code; its `codes` connection resolved, as the walk cannot call it."""
    record = VoucherRecord(1, "Sample", "ENTIRE_ORDER", "PERCENTAGE", True, end_date=now)
    record.codes["SAMPLE"] = VoucherCodeRecord(1, "SAMPLE", now)
    payload = vouchers.voucher_payload(record)
    return {**payload, "codes": payload["codes"](None)}


def _queries(shop: Shop, objects: dict[str, Any]) -> dict[str, list[Any]]:
    product = payloads.product_payload(shop, shop.products[1], DEFAULT_CHANNEL)
    zone = payloads.shipping_zone_payload(shop, shop.zones[1], DEFAULT_CHANNEL)
    return {
        "app": [objects["appWithWebhooks"]],
        "channels": [[payloads.channel_payload(c) for c in shop.channels.values()]],
        "channel": [payloads.channel_payload(shop.channels[DEFAULT_CHANNEL])],
        "shippingZones": [_connection([zone])],
        "products": [_connection([product]), _connection([objects["product"]])],
        "product": [product],
        "checkout": [objects["checkout"]],
        "order": [objects["order"]],
        "voucher": [objects["voucher"]],
    }


def _mutations(objects: dict[str, Any]) -> dict[str, list[Any]]:
    error = {"code": "NOT_FOUND", "field": "id", "message": "sample"}
    result = {"errors": [error], "checkoutErrors": [error]}
    checkout_result = {**result, "checkout": objects["checkout"]}
    mutations: dict[str, list[Any]] = {
        name: [checkout_result]
        for name in root_value()
        if name.startswith("checkout") and name not in ("checkout", "checkoutComplete")
    }
    mutations["checkoutCreate"] = [{**checkout_result, "created": True}]
    completed = {"order": objects["order"], "confirmationNeeded": False, "confirmationData": None}
    mutations["checkoutComplete"] = [{**result, **completed}]
    listing_error = {**error, "channels": ["Q2hhbm5lbDox"]}
    mutations["productVariantChannelListingUpdate"] = [
        {
            "variant": objects["productVariant"],
            "errors": [listing_error],
            "productChannelListingErrors": [listing_error],
        }
    ]
    webhook_error = {**error, "code": "NOT_FOUND"}
    webhook_result = {
        "webhook": objects["webhook"],
        "errors": [webhook_error],
        "webhookErrors": [webhook_error],
    }
    mutations["webhookCreate"] = mutations["webhookUpdate"] = [webhook_result]
    discount_error = {**error, "code": "NOT_FOUND"}
    voucher_result = {
        "voucher": objects["voucher"],
        "errors": [discount_error],
        "discountErrors": [discount_error],
    }
    for name in ("voucherCreate", "voucherUpdate", "voucherChannelListingUpdate"):
        mutations[name] = [voucher_result]
    code_error = {"path": "ids", "code": "GRAPHQL_ERROR", "message": "sample"}
    mutations["voucherCodeBulkDelete"] = [{"count": 1, "errors": [code_error]}]
    return mutations


def _subscriptions(objects: dict[str, Any]) -> dict[str, list[Any]]:
    subscription: dict[str, list[Any]] = {}
    for event, fields in EVENT_FIELDS.items():
        root = event_root(event, objects["appRecord"], {f: objects[f] for f in fields})
        for key, payload in root.items():
            subscription.setdefault(key, []).append(payload)
    return subscription


def _connection(nodes: list[Any]) -> Any:
    return payloads.connection(nodes, [n["id"] for n in nodes], has_next=False)
