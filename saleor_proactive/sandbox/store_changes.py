"""Data-changing helpers of `SandboxSaleor`. Each changes the store under the lock, then fires
the event Saleor would fire, synchronously and outside the lock (the app may query back)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from . import operations as ops
from . import payloads
from .delivery import Delivery
from .ids import from_global_id, to_global_id
from .state import Checkout, Product, Shop

Amount = Decimal | float | int | str
LineSpec = Iterable[tuple[str, int]]


class ProductNotInChannels(LookupError):
    """A variant priced in a channel its product is not listed in (Saleor refuses it)."""

    def __init__(self, channel_slugs: list[str]) -> None:
        super().__init__(f"Product not available in channels: {', '.join(channel_slugs)}.")
        self.channel_slugs = channel_slugs


class Changes:
    """What the change helpers need from `SandboxSaleor`."""

    shop: Shop
    lock: threading.RLock
    last_deliveries: list[Delivery]

    def fire(self, event: str, fields: dict[str, Any]) -> list[Delivery]:
        raise NotImplementedError

    def _emit(self, event: str, fields: dict[str, Any]) -> None:
        self.last_deliveries = self.fire(event, fields)


class StoreChanges(Changes):
    # -- checkouts ---------------------------------------------------------------------------

    def create_checkout(
        self,
        channel: str | None,
        lines: LineSpec = (),
        country: str | None = None,
        email: str | None = None,
    ) -> str:
        """A new checkout (CHECKOUT_CREATED); returns its global ID."""
        with self.lock:
            checkout = ops.create_checkout(self.shop, channel, list(lines), country, email)
            payload = payloads.checkout_payload(self.shop, checkout)
        self._emit("CHECKOUT_CREATED", {"checkout": payload})
        return ops.checkout_id(checkout)

    def _change_checkout(self, checkout_id: str, change: Callable[[Checkout], None]) -> str:
        with self.lock:
            checkout = ops.find_checkout(self.shop, checkout_id)
            change(checkout)
            payload = payloads.checkout_payload(self.shop, checkout)
        self._emit("CHECKOUT_UPDATED", {"checkout": payload})
        return checkout_id

    def add_checkout_lines(self, checkout_id: str, lines: LineSpec) -> str:
        return self._change_checkout(
            checkout_id, lambda c: ops.add_lines(self.shop, c, list(lines))
        )

    def update_checkout_lines(self, checkout_id: str, lines: LineSpec) -> str:
        """Set quantities, lines named by variant or line ID; quantity 0 removes the line."""
        return self._change_checkout(
            checkout_id, lambda c: ops.set_line_quantities(self.shop, c, list(lines))
        )

    def delete_checkout_lines(self, checkout_id: str, line_ids: Iterable[str]) -> str:
        return self._change_checkout(
            checkout_id, lambda c: ops.delete_lines(self.shop, c, list(line_ids))
        )

    def set_checkout_discount(self, checkout_id: str, amount: Amount, code: str = "SANDBOX") -> str:
        """An entire-order voucher worth `amount` (0 removes it)."""
        value = Decimal(str(amount))
        return self._change_checkout(
            checkout_id, lambda c: ops.set_discount(self.shop, c, value, code)
        )

    def set_checkout_country(self, checkout_id: str, country: str | None) -> str:
        return self._change_checkout(checkout_id, lambda c: ops.set_country(self.shop, c, country))

    def mark_checkout_fully_paid(self, checkout_id: str) -> str:
        with self.lock:
            payload = payloads.checkout_payload(
                self.shop, ops.find_checkout(self.shop, checkout_id)
            )
        self._emit("CHECKOUT_FULLY_PAID", {"checkout": payload})
        return checkout_id

    def create_order(self, checkout_id: str) -> str:
        """checkoutComplete: the order (ORDER_CREATED, with checkoutId); the checkout is gone."""
        with self.lock:
            order = ops.complete_checkout(self.shop, ops.find_checkout(self.shop, checkout_id))
            payload = payloads.order_payload(self.shop, order)
        self._emit("ORDER_CREATED", {"order": payload})
        return str(payload["id"])

    def checkout_view(self, checkout_id: str) -> dict[str, Any] | None:
        with self.lock:
            token = from_global_id(checkout_id, "Checkout") or ""
            checkout = self.shop.checkouts.get(token)
            return payloads.checkout_payload(self.shop, checkout) if checkout else None

    def order_view(self, order_id: str) -> dict[str, Any] | None:
        with self.lock:
            order = self.shop.orders.get(from_global_id(order_id, "Order") or "")
            return payloads.order_payload(self.shop, order) if order else None

    # -- catalogue ---------------------------------------------------------------------------

    def _product(self, product_id: str) -> Product:
        pk = from_global_id(product_id, "Product")
        product = self.shop.products.get(int(pk)) if pk and pk.isdigit() else None
        if product is None:
            raise LookupError(f"no product {product_id}")
        return product

    def _product_event(self, event: str, product: Product) -> None:
        fields = {
            "product": payloads.product_payload(self.shop, product, None),
            "category": payloads.category_payload(self.shop, product.category_pk),
        }
        self._emit(event, fields)

    def _variant_event(self, event: str, product: Product) -> list[Delivery]:
        with self.lock:
            variant = payloads.product_payload(self.shop, product, None)["defaultVariant"]
        return self.fire(event, {"productVariant": variant})

    def create_product(self, name: str, category_id: str, prices: dict[str, Amount]) -> str:
        """A new product with one variant, as `productBulkCreate` makes it: PRODUCT_CREATED,
        then PRODUCT_VARIANT_CREATED; returns the product ID."""
        with self.lock:
            pk = self.shop.new_pk()
            category_pk = int(from_global_id(category_id, "Category") or 0)
            if category_pk not in self.shop.categories:
                raise LookupError(f"no category {category_id}")
            now = self.shop.now()
            product = Product(
                pk,
                name,
                name.lower().replace(" ", "-"),
                category_pk,
                self.shop.new_pk(),
                {slug: Decimal(str(p)) for slug, p in prices.items()},
                now,
                now,
            )
            self.shop.products[pk] = product
        self._product_event("PRODUCT_CREATED", product)
        created = self.last_deliveries
        self.last_deliveries = created + self._variant_event("PRODUCT_VARIANT_CREATED", product)
        return to_global_id("Product", pk)

    def update_variant_prices(self, variant_id: str, prices: dict[str, Amount]) -> str:
        """`productVariantChannelListingUpdate`: the variant's price in channels its product is
        listed in. Saleor fires only PRODUCT_VARIANT_UPDATED (no PRODUCT_UPDATED) and leaves the
        product's `updatedAt` as it was."""
        with self.lock:
            product = self._product_of_variant(variant_id)
            unlisted = sorted(set(prices) - set(product.prices))
            if unlisted:
                raise ProductNotInChannels(unlisted)
            for slug, price in prices.items():
                product.prices[slug] = Decimal(str(price))
        self.last_deliveries = self._variant_event("PRODUCT_VARIANT_UPDATED", product)
        return variant_id

    def variant_view(self, variant_id: str) -> dict[str, Any]:
        with self.lock:
            product = self._product_of_variant(variant_id)
            variant: dict[str, Any] = payloads.product_payload(self.shop, product, None)[
                "defaultVariant"
            ]
            return variant

    def _product_of_variant(self, variant_id: str) -> Product:
        pk = from_global_id(variant_id, "ProductVariant")
        product = self.shop.product_by_variant(int(pk)) if pk and pk.isdigit() else None
        if product is None:
            raise LookupError(f"no product variant {variant_id}")
        return product

    def update_product(
        self,
        product_id: str,
        name: str | None = None,
        prices: dict[str, Amount | None] | None = None,
        category_id: str | None = None,
    ) -> str:
        """Rename, reprice (None removes a channel listing) or recategorise (PRODUCT_UPDATED)."""
        with self.lock:
            product = self._product(product_id)
            if name is not None:
                product.name = name
            for slug, price in (prices or {}).items():
                if price is None:
                    product.prices.pop(slug, None)
                else:
                    product.prices[slug] = Decimal(str(price))
            if category_id is not None:
                product.category_pk = int(from_global_id(category_id, "Category") or 0)
            product.updated_at = self.shop.now()
        self._product_event("PRODUCT_UPDATED", product)
        return product_id

    def delete_product(self, product_id: str) -> str:
        with self.lock:
            product = self._product(product_id)
            del self.shop.products[product.pk]
            # Deleting a variant deletes its checkout lines (a cascade, no checkout event).
            for checkout in self.shop.checkouts.values():
                checkout.lines = [
                    ln for ln in checkout.lines if ln.variant_pk != product.variant_pk
                ]
        self._product_event("PRODUCT_DELETED", product)
        return product_id
