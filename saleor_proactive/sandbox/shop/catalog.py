"""What the demo shop shows, read from the sandbox Saleor (its catalogue and its checkouts)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..ids import to_global_id
from ..server import SandboxSaleor


@dataclass(frozen=True)
class ShopProduct:
    id: str  # Saleor's Product global ID: what the JSON-LD and the visitor API speak
    variant_id: str
    name: str
    slug: str
    category_slug: str
    category_name: str
    price: Decimal
    currency: str
    category_id: str = ""  # Saleor's Category global ID: what setPageType and JSON-LD report


@dataclass(frozen=True)
class CartLine:
    product: ShopProduct
    quantity: int
    total: Decimal


@dataclass(frozen=True)
class Cart:
    checkout_id: str | None
    lines: tuple[CartLine, ...]
    subtotal: Decimal
    currency: str

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


def products(saleor: SandboxSaleor, channel: str) -> list[ShopProduct]:
    shop = saleor.shop
    currency = shop.channels[channel].currency
    found = []
    with saleor.lock:
        for product in sorted(shop.products.values(), key=lambda p: p.pk):
            if channel not in product.prices:
                continue
            category = shop.categories[product.category_pk]
            found.append(
                ShopProduct(
                    to_global_id("Product", product.pk),
                    to_global_id("ProductVariant", product.variant_pk),
                    product.name,
                    product.slug,
                    category.slug,
                    category.name,
                    product.prices[channel],
                    currency,
                    to_global_id("Category", category.pk),
                )
            )
    return found


def categories(saleor: SandboxSaleor) -> list[tuple[str, str]]:
    """(slug, name) of every category, in catalogue order."""
    with saleor.lock:
        return [
            (c.slug, c.name) for c in sorted(saleor.shop.categories.values(), key=lambda c: c.pk)
        ]


def cart(saleor: SandboxSaleor, channel: str, checkout_id: str | None) -> Cart:
    """The checkout as Saleor reports it; an unknown or completed checkout is an empty cart."""
    currency = saleor.shop.channels[channel].currency
    view: dict[str, Any] | None = saleor.checkout_view(checkout_id) if checkout_id else None
    if view is None:
        return Cart(None, (), Decimal(0), currency)
    by_variant = {p.variant_id: p for p in products(saleor, channel)}
    lines = tuple(
        CartLine(
            by_variant[line["variant"]["id"]],
            int(line["quantity"]),
            Decimal(str(line["totalPrice"]["gross"]["amount"])),
        )
        for line in view["lines"]
        if line["variant"]["id"] in by_variant
    )
    subtotal = Decimal(str(view["subtotalPrice"]["gross"]["amount"]))
    return Cart(checkout_id, lines, subtotal, currency)
