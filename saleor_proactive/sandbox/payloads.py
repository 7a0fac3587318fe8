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
from .checkout_pricing import PricedCheckout, PricedLine, price_checkout
from .ids import to_global_id
from .shapes import (
    Payload,
    address,
    app_payload,
    app_with_webhooks_payload,
    channel_payload,
    connection,
    iso,
    money,
    node,
    taxed_money,
    webhook_payload,
)
from .state import Channel, Checkout, Line, Order, Product, Shop

__all__ = [
    "app_payload",
    "app_with_webhooks_payload",
    "category_payload",
    "channel_payload",
    "checkout_payload",
    "connection",
    "order_payload",
    "product_payload",
    "shipping_method_payload",
    "shipping_zone_payload",
    "webhook_payload",
]


def priced_lines(
    shop: Shop, lines: list[Line], channel: Channel
) -> list[tuple[Line, Product | None, Decimal]]:
    """Each line with its product and unit price. A checkout line whose variant is no longer
    sold in the channel is left out; an order line keeps the price it was bought at."""
    priced = []
    for line in lines:
        product = shop.product_by_variant(line.variant_pk)
        if line.unit_price is not None:
            priced.append((line, product, line.unit_price))
        elif product is not None and channel.slug in product.prices:
            priced.append((line, product, product.prices[channel.slug]))
    return priced


def _total(priced: list[tuple[Line, Product | None, Decimal]]) -> Decimal:
    return sum((price * line.quantity for line, _product, price in priced), Decimal(0))


def checkout_prices(shop: Shop, checkout: Checkout) -> PricedCheckout:
    """The checkout's lines still on sale, priced with its voucher."""
    channel = shop.channels[checkout.channel_slug]
    on_sale = [
        (line, product, price)
        for line, product, price in priced_lines(shop, checkout.lines, channel)
        if product is not None
    ]
    return price_checkout(on_sale, checkout.voucher)


def checkout_payload(shop: Shop, checkout: Checkout) -> Payload:
    channel = shop.channels[checkout.channel_slug]
    prices = checkout_prices(shop, checkout)
    lines = [_checkout_line(shop, priced, channel) for priced in prices.lines]
    subtotal = prices.subtotal
    voucher = checkout.voucher
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
        quantity=sum(priced.line.quantity for priced in prices.lines),
        discount=money(prices.discount, channel.currency),
        discountName=None,
        voucherCode=voucher.code if voucher else None,
        shippingAddress=address(checkout.country),
        billingAddress=None,
        isShippingRequired=any(priced.product.requires_shipping for priced in prices.lines),
        shippingPrice=zero,
        subtotalPrice=taxed_money(subtotal, channel),
        totalPrice=taxed_money(subtotal, channel),
        totalBalance=money(-subtotal, channel.currency),
        displayGrossPrices=True,
        chargeStatus="FULL" if checkout.fully_paid else "NONE",
        authorizeStatus="FULL" if checkout.fully_paid else "NONE",
        customerNote="",
        languageCode=checkout.language_code,
        metadata=[{"key": k, "value": v} for k, v in checkout.metadata.items()],
        taxExemption=False,
        shippingMethod=None,
        deliveryMethod=None,
        user=None,
    )


def _checkout_line(shop: Shop, priced: PricedLine, channel: Channel) -> Payload:
    line, price = priced.line, priced.unit_price
    return node(
        "CheckoutLine",
        line.pk,
        quantity=line.quantity,
        variant=product_payload(shop, priced.product, channel.slug)["defaultVariant"],
        unitPrice=taxed_money(priced.total / line.quantity, channel),
        totalPrice=taxed_money(priced.total, channel),
        undiscountedUnitPrice=money(price, channel.currency),
        undiscountedTotalPrice=money(priced.undiscounted_total, channel.currency),
        requiresShipping=priced.product.requires_shipping,
        isGift=False,
    )


def order_payload(shop: Shop, order: Order) -> Payload:
    channel = shop.channels[order.channel_slug]
    priced = priced_lines(shop, order.lines, channel)
    undiscounted = _total(priced)
    subtotal = max(undiscounted - order.discount, Decimal(0))
    lines = []
    for line, product, price in priced:
        variant = (
            product_payload(shop, product, channel.slug)["defaultVariant"] if product else None
        )
        lines.append(
            node(
                "OrderLine",
                line.pk,
                productName=line.product_name,
                variantName=line.product_name,
                productSku=f"SKU-{line.variant_pk}",
                quantity=line.quantity,
                productVariantId=to_global_id("ProductVariant", line.variant_pk),
                unitPrice=taxed_money(price, channel),
                totalPrice=taxed_money(price * line.quantity, channel),
                variant=variant,
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
        undiscountedTotal=taxed_money(undiscounted, channel),
        userEmail=order.email,
        shippingAddress=address(order.country),
        isPaid=False,
        discount=money(order.discount, channel.currency),
        voucherCode=order.voucher_code,
        discounts=_order_discounts(order, channel.currency),
    )


def _order_discounts(order: Order, currency: str) -> list[Payload]:
    if order.voucher_code is None or order.discount <= 0:
        return []
    given = money(order.discount, currency)
    discount = node(
        "OrderDiscount",
        f"{order.pk}-voucher",
        type="VOUCHER",
        valueType="FIXED",
        # Saleor names it f"{voucher.name}"
        name=str(order.voucher_name),
    )
    return [{**discount, "value": float(order.discount), "amount": given, "total": given}]
