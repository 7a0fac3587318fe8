"""Checkout mutations for the demo storefront; each fires CHECKOUT_* or ORDER_CREATED like
Saleor and reports problems as `errors: [CheckoutError]`. Also the one catalogue mutation,
`productVariantChannelListingUpdate`, which fires PRODUCT_VARIANT_UPDATED."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from .ids import from_global_id
from .interface import ProductNotInChannels, context_of
from .operations import CheckoutProblem
from .resolvers import require_permission


def _mutation(action: Callable[[], Any], result_key: str = "checkout") -> Any:
    try:
        return {result_key: action(), "errors": [], "checkoutErrors": []}
    except CheckoutProblem as problem:
        error = {"code": problem.code, "field": problem.field, "message": problem.message}
        return {result_key: None, "errors": [error], "checkoutErrors": [error]}


def _lines(lines: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [
        (line.get("variantId") or line.get("lineId") or "", line.get("quantity") or 0)
        for line in lines
    ]


def checkout_create(info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    saleor = context_of(info).saleor
    country = (input.get("shippingAddress") or {}).get("country")

    def create() -> Any:
        checkout_id = saleor.create_checkout(
            input.get("channel"),
            _lines(input.get("lines") or []),
            country=country,
            email=input.get("email"),
        )
        return saleor.checkout_view(checkout_id)

    return {**_mutation(create), "created": True}


def checkout_lines_add(
    info: GraphQLResolveInfo,
    lines: list[dict[str, Any]],
    id: str | None = None,
    checkoutId: str | None = None,
    **_: Any,
) -> Any:
    saleor = context_of(info).saleor
    target = id or checkoutId or ""
    return _mutation(lambda: saleor.checkout_view(saleor.add_checkout_lines(target, _lines(lines))))


def checkout_add_promo_code(
    info: GraphQLResolveInfo,
    promoCode: str,
    id: str | None = None,
    checkoutId: str | None = None,
    **_: Any,
) -> Any:
    saleor = context_of(info).saleor
    target = id or checkoutId or ""
    return _mutation(lambda: saleor.checkout_view(saleor.add_promo_code(target, promoCode)))


def checkout_lines_update(
    info: GraphQLResolveInfo,
    lines: list[dict[str, Any]],
    id: str | None = None,
    checkoutId: str | None = None,
    **_: Any,
) -> Any:
    saleor = context_of(info).saleor
    target = id or checkoutId or ""
    return _mutation(
        lambda: saleor.checkout_view(saleor.update_checkout_lines(target, _lines(lines)))
    )


def checkout_lines_delete(
    info: GraphQLResolveInfo, linesIds: list[str], id: str | None = None, **_: Any
) -> Any:
    saleor = context_of(info).saleor
    return _mutation(lambda: saleor.checkout_view(saleor.delete_checkout_lines(id or "", linesIds)))


def checkout_shipping_address_update(
    info: GraphQLResolveInfo, shippingAddress: dict[str, Any], id: str | None = None, **_: Any
) -> Any:
    saleor = context_of(info).saleor
    country = shippingAddress.get("country")
    return _mutation(lambda: saleor.checkout_view(saleor.set_checkout_country(id or "", country)))


def checkout_complete(
    info: GraphQLResolveInfo, id: str | None = None, checkoutId: str | None = None, **_: Any
) -> Any:
    saleor = context_of(info).saleor
    result = _mutation(
        lambda: saleor.order_view(saleor.create_order(id or checkoutId or "")), "order"
    )
    return {**result, "confirmationNeeded": False, "confirmationData": None}


def product_variant_channel_listing_update(
    info: GraphQLResolveInfo, input: list[dict[str, Any]], id: str | None = None, **_: Any
) -> Any:
    saleor = require_permission(info, "MANAGE_PRODUCTS").saleor
    channels = {f"{c.pk}": slug for slug, c in saleor.shop.channels.items()}
    prices = {
        channels.get(from_global_id(listing["channelId"], "Channel") or "", ""): listing["price"]
        for listing in input
    }
    try:
        variant_id = saleor.update_variant_prices(id or "", prices)
    except ProductNotInChannels as problem:
        error = {
            "code": "PRODUCT_NOT_ASSIGNED_TO_CHANNEL",
            "field": "input",
            "message": str(problem),
            "channels": [listing["channelId"] for listing in input],
        }
        return {"variant": None, "errors": [error], "productChannelListingErrors": [error]}
    except LookupError as problem:
        error = {"code": "NOT_FOUND", "field": "id", "message": str(problem), "channels": []}
        return {"variant": None, "errors": [error], "productChannelListingErrors": [error]}
    variant = saleor.variant_view(variant_id)
    return {"variant": variant, "errors": [], "productChannelListingErrors": []}
