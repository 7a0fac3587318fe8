"""Webhook bodies shaped exactly like the subscription documents in `webhooks/` ask.

`tests/saleor/test_documents.py` checks that every field they carry is one the document
selects, so a builder cannot drift into fields Saleor would never send.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.fixtures.installation import iso

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def money(amount: Decimal | str | float, currency: str = "EUR") -> dict[str, Any]:
    return {"amount": float(amount), "currency": currency}


def taxed(
    gross: Decimal | str, rate: Decimal | str = "0.21", currency: str = "EUR"
) -> dict[str, Any]:
    gross = Decimal(str(gross))
    net = (gross / (1 + Decimal(str(rate)))).quantize(Decimal("0.01"))
    return {"currency": currency, "net": {"amount": float(net)}, "gross": {"amount": float(gross)}}


def checkout(
    checkout_id: str = "Q2hlY2tvdXQ6MQ==",
    *,
    updated_at: datetime = NOW,
    lines: list[tuple[str, int]] = (("20.00", 1),),  # type: ignore[assignment]
    channel: str = "default-channel",
    currency: str = "EUR",
    discount: str = "0",
    country: str | None = "ES",
    charge_status: str = "NONE",
    rate: str = "0.21",
) -> dict[str, Any]:
    """Prices entered gross (tax included), as in an EU shop; `discount` is an entire-order
    voucher, which Saleor spreads over the lines' totals and reports as `discount` too."""
    built_lines = []
    undiscounted = [Decimal(unit_gross) * quantity for unit_gross, quantity in lines]
    discounted = _spread(undiscounted, Decimal(discount))
    for index, (unit_gross, quantity) in enumerate(lines):
        line_total = undiscounted[index]
        built_lines.append(
            {
                "quantity": quantity,
                "variant": {
                    "id": f"UHJvZHVjdFZhcmlhbnQ6{index}",
                    "product": {
                        "id": f"UHJvZHVjdDo{index}",
                        "category": {"id": "Q2F0ZWdvcnk6MQ=="},
                    },
                },
                "unitPrice": taxed(unit_gross, rate, currency),
                "totalPrice": taxed(discounted[index], rate, currency),
                "undiscountedTotalPrice": money(line_total, currency),
            }
        )
    subtotal = sum(discounted, Decimal(0))
    return {
        "id": checkout_id,
        "updatedAt": iso(updated_at),
        "chargeStatus": charge_status,
        "isShippingRequired": True,
        "channel": {"slug": channel, "currencyCode": currency},
        "shippingAddress": {"country": {"code": country}} if country else None,
        "lines": built_lines,
        "subtotalPrice": taxed(subtotal, rate, currency),
        "totalPrice": taxed(subtotal, rate, currency),
        "discount": money(discount, currency),
    }


def _spread(totals: list[Decimal], discount: Decimal) -> list[Decimal]:
    """Each line's share of the voucher in proportion to its total; the last takes the rest."""
    whole = sum(totals, Decimal(0))
    if not discount or not whole:
        return totals
    shares = [(total / whole * discount) for total in totals[:-1]]
    shares.append(discount - sum(shares, Decimal(0)))
    return [
        max(total - share, Decimal(0)).quantize(Decimal("0.01"))
        for total, share in zip(totals, shares, strict=True)
    ]


def checkout_event(typename: str = "CheckoutUpdated", **kwargs: Any) -> dict[str, Any]:
    return {"__typename": typename, "issuedAt": iso(NOW), "checkout": checkout(**kwargs)}


def product(
    product_id: str = "UHJvZHVjdDox",
    *,
    name: str = "Espresso cup",
    updated_at: datetime = NOW,
    prices: dict[str, tuple[str, str]] | None = None,  # channel -> (gross, currency)
) -> dict[str, Any]:
    prices = prices if prices is not None else {"default-channel": ("12.00", "EUR")}
    return {
        "id": product_id,
        "name": name,
        "updatedAt": iso(updated_at),
        "category": {"id": "Q2F0ZWdvcnk6MQ=="},
        "channelListings": [
            {
                "channel": {"slug": slug, "currencyCode": currency},
                "pricing": {
                    "priceRange": {
                        "start": {
                            "currency": currency,
                            "gross": {"amount": float(gross)},
                            "net": {"amount": float(gross)},
                        }
                    }
                },
            }
            for slug, (gross, currency) in prices.items()
        ],
    }


def product_event(typename: str = "ProductUpdated", **kwargs: Any) -> dict[str, Any]:
    return {"__typename": typename, "issuedAt": iso(NOW), "product": product(**kwargs)}


def listing(channel: str, price: str, minimum: str | None, currency: str = "EUR") -> dict[str, Any]:
    return {
        "channel": {"slug": channel},
        "price": money(price, currency),
        "minimumOrderPrice": money(minimum, currency) if minimum is not None else None,
        "maximumOrderPrice": None,
    }


def method(
    method_id: str, listings: list[dict[str, Any]], type_: str = "PRICE", name: str = "Standard"
) -> dict[str, Any]:
    return {"id": method_id, "name": name, "type": type_, "channelListings": listings}


def zone(
    zone_id: str = "U2hpcHBpbmdab25lOjE=",
    *,
    countries: tuple[str, ...] = ("ES", "PT"),
    channels: tuple[str, ...] = ("default-channel",),
    methods: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    if methods is None:
        methods = [method("U2hpcHBpbmdNZXRob2RUeXBlOjE=", [listing("default-channel", "0", "50")])]
    return {
        "id": zone_id,
        "name": "Iberia",
        "countries": [{"code": code} for code in countries],
        "channels": [{"slug": slug} for slug in channels],
        "shippingMethods": methods,
    }


def zone_event(
    typename: str = "ShippingZoneUpdated", *, issued_at: datetime = NOW, **kwargs: Any
) -> dict[str, Any]:
    return {"__typename": typename, "issuedAt": iso(issued_at), "shippingZone": zone(**kwargs)}


def order_event(
    order_id: str = "T3JkZXI6MQ==", checkout_id: str | None = "Q2hlY2tvdXQ6MQ==", total: str = "60"
) -> dict[str, Any]:
    return {
        "__typename": "OrderCreated",
        "issuedAt": iso(NOW),
        "order": {
            "id": order_id,
            "checkoutId": checkout_id,
            "created": iso(NOW),
            "channel": {"slug": "default-channel"},
            "total": {
                "currency": "EUR",
                "gross": {"amount": float(total)},
                "net": {"amount": float(Decimal(total) / Decimal("1.21"))},
            },
        },
    }


def variant_event(
    typename: str = "ProductVariantUpdated",
    *,
    issued_at: datetime = NOW,
    variant_prices: list[dict[str, tuple[str, str]]] | None = None,
    **product_fields: Any,
) -> dict[str, Any]:
    """A variant event: Saleor sends the variant with its product and every variant's price
    per channel (`variant_prices`: one dict channel -> (price, currency) per variant)."""
    variants = (
        variant_prices if variant_prices is not None else [{"default-channel": ("12.00", "EUR")}]
    )
    edges = [
        {
            "node": {
                "channelListings": [
                    {"channel": {"slug": slug}, "price": money(price, currency)}
                    for slug, (price, currency) in prices.items()
                ]
            }
        }
        for prices in variants
    ]
    return {
        "__typename": typename,
        "issuedAt": iso(issued_at),
        "productVariant": {
            "product": {**product(**product_fields), "productVariants": {"edges": edges}}
        },
    }
