"""Checkouts and orders in Saleor's shapes (see `state` for the money model), plus the
re-exported catalogue and shared shapes, so callers import one module."""

from __future__ import annotations

from decimal import Decimal

from .catalog import (
    category_payload,
    product_payload,
    shipping_method_payload,
    shipping_zone_payload,
)
from .ids import to_global_id
from .shapes import (
    Payload,
    address,
    app_payload,
    channel_payload,
    connection,
    iso,
    money,
    node,
    taxed_money,
)
from .state import Channel, Checkout, Line, Order, Product, Shop

__all__ = [
    "app_payload",
    "category_payload",
    "channel_payload",
    "checkout_payload",
    "connection",
    "order_payload",
    "product_payload",
    "shipping_method_payload",
    "shipping_zone_payload",
]


def line_amounts(shop: Shop, line: Line, channel: Channel) -> tuple[Product, Decimal]:
    product = shop.product_by_variant(line.variant_pk)
    if product is None or channel.slug not in product.prices:
        raise LookupError(f"variant {line.variant_pk} is not sold in {channel.slug}")
    return product, product.prices[channel.slug]


def lines_total(shop: Shop, lines: list[Line], channel: Channel) -> Decimal:
    return sum((line_amounts(shop, line, channel)[1] * line.quantity for line in lines), Decimal(0))


def checkout_payload(shop: Shop, checkout: Checkout) -> Payload:
    channel = shop.channels[checkout.channel_slug]
    lines = [_checkout_line(shop, line, channel) for line in checkout.lines]
    subtotal = max(lines_total(shop, checkout.lines, channel) - checkout.discount, Decimal(0))
    zero = taxed_money(Decimal(0), channel)
    return node(
        "Checkout",
        checkout.token,
        token=checkout.token,
        created=iso(checkout.created),
        updatedAt=iso(checkout.updated_at),
        lastChange=iso(checkout.updated_at),
        channel=channel_payload(channel),
        email=checkout.email,
        lines=lines,
        quantity=sum(line.quantity for line in checkout.lines),
        discount=money(checkout.discount, channel.currency),
        discountName=None,
        voucherCode=checkout.voucher_code,
        shippingAddress=address(checkout.country),
        billingAddress=None,
        isShippingRequired=True,
        shippingPrice=zero,
        subtotalPrice=taxed_money(subtotal, channel),
        totalPrice=taxed_money(subtotal, channel),
        totalBalance=money(-subtotal, channel.currency),
        displayGrossPrices=True,
        chargeStatus="FULL" if checkout.fully_paid else "NONE",
        authorizeStatus="FULL" if checkout.fully_paid else "NONE",
        customerNote="",
        languageCode="EN_US",
        taxExemption=False,
        shippingMethod=None,
        deliveryMethod=None,
        user=None,
    )


def _checkout_line(shop: Shop, line: Line, channel: Channel) -> Payload:
    product, price = line_amounts(shop, line, channel)
    total = price * line.quantity
    return node(
        "CheckoutLine",
        line.pk,
        quantity=line.quantity,
        variant=product_payload(shop, product, channel.slug)["defaultVariant"],
        unitPrice=taxed_money(price, channel),
        totalPrice=taxed_money(total, channel),
        undiscountedUnitPrice=money(price, channel.currency),
        undiscountedTotalPrice=money(total, channel.currency),
        requiresShipping=True,
        isGift=False,
    )


def order_payload(shop: Shop, order: Order) -> Payload:
    channel = shop.channels[order.channel_slug]
    subtotal = max(lines_total(shop, order.lines, channel) - order.discount, Decimal(0))
    lines = []
    for line in order.lines:
        product, price = line_amounts(shop, line, channel)
        lines.append(
            node(
                "OrderLine",
                line.pk,
                productName=product.name,
                variantName=product.name,
                productSku=f"SKU-{product.variant_pk}",
                quantity=line.quantity,
                productVariantId=to_global_id("ProductVariant", product.variant_pk),
                unitPrice=taxed_money(price, channel),
                totalPrice=taxed_money(price * line.quantity, channel),
                variant=product_payload(shop, product, channel.slug)["defaultVariant"],
            )
        )
    return node(
        "Order",
        order.pk,
        number=str(order.number),
        created=iso(order.created),
        updatedAt=iso(order.created),
        status="UNFULFILLED",
        channel=channel_payload(channel),
        checkoutId=to_global_id("Checkout", order.checkout_token),
        lines=lines,
        total=taxed_money(subtotal, channel),
        subtotal=taxed_money(subtotal, channel),
        undiscountedTotal=taxed_money(subtotal + order.discount, channel),
        userEmail=order.email,
        shippingAddress=address(order.country),
        isPaid=False,
        discount=money(order.discount, channel.currency),
    )
