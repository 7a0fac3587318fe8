"""The sandbox store's data changes (its `ShopBackend`). Each changes the store under the lock,
then fires the event Saleor would fire, synchronously and outside the lock (the app may query
back)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Protocol

from . import operations as ops
from . import payloads
from .ids import from_global_id, to_global_id
from .interface import LineSpec, ProductNotInChannels
from .state import Checkout, Product, Shop, Voucher
from .vouchers import promo_voucher

Amount = Decimal | float | int | str


class Emit(Protocol):
    """Fires one event with its payload fields to the installed apps; with `append`, its
    deliveries join those of the change's earlier event instead of replacing them."""

    def __call__(self, event: str, fields: dict[str, Any], *, append: bool = False) -> None: ...


class Changes:
    """The store, its lock, and how a change tells the installed apps."""

    def __init__(self, shop: Shop, lock: threading.RLock, emit: Emit) -> None:
        self.shop = shop
        self.lock = lock
        self._emit = emit


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

    def _change_checkout(
        self,
        checkout_id: str,
        change: Callable[[Checkout], None],
        event: str = "CHECKOUT_UPDATED",
    ) -> str:
        with self.lock:
            checkout = ops.find_checkout(self.shop, checkout_id)
            change(checkout)
            payload = payloads.checkout_payload(self.shop, checkout)
        self._emit(event, {"checkout": payload})
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

    def set_checkout_discount(
        self,
        checkout_id: str,
        amount: Amount,
        code: str = "SANDBOX",
        voucher_type: str = "ENTIRE_ORDER",
        once_per_order: bool = False,
        product_ids: Iterable[str] = (),
    ) -> str:
        """A fixed-amount voucher worth `amount` (0 removes it); `voucher_type` as Saleor's
        VoucherTypeEnum, `product_ids` the products a SPECIFIC_PRODUCT voucher covers."""
        voucher = Voucher(
            code,
            Decimal(str(amount)),
            voucher_type,
            once_per_order,
            frozenset(int(from_global_id(p, "Product") or 0) for p in product_ids),
            name=code,  # a stand-in: named by its code
        )
        return self._change_checkout(checkout_id, lambda c: ops.set_voucher(self.shop, c, voucher))

    def set_checkout_email(self, checkout_id: str, email: str | None) -> str:
        """checkoutEmailUpdate."""
        return self._change_checkout(checkout_id, lambda c: ops.set_email(self.shop, c, email))

    def set_checkout_language(self, checkout_id: str, language_code: str) -> str:
        """checkoutLanguageCodeUpdate, with a LanguageCodeEnum name such as ES_ES."""
        return self._change_checkout(
            checkout_id, lambda c: ops.set_language(self.shop, c, language_code)
        )

    def set_checkout_metadata(self, checkout_id: str, items: dict[str, str]) -> str:
        """updateMetadata on a checkout (what a storefront does to record consent): bumps
        `updatedAt` and fires CHECKOUT_METADATA_UPDATED, then, while the shop keeps
        `useLegacyUpdateWebhookEmission` on (a fresh 3.23 install does), CHECKOUT_UPDATED
        with the same checkout."""
        with self.lock:
            checkout = ops.find_checkout(self.shop, checkout_id)
            ops.set_metadata(self.shop, checkout, items)
            payload = payloads.checkout_payload(self.shop, checkout)
            legacy = self.shop.use_legacy_update_webhook_emission
        self._emit("CHECKOUT_METADATA_UPDATED", {"checkout": payload})
        if legacy:
            self._emit("CHECKOUT_UPDATED", {"checkout": payload}, append=True)
        return checkout_id

    def set_legacy_update_webhook_emission(self, on: bool) -> None:
        """shopSettingsUpdate(input: {useLegacyUpdateWebhookEmission})."""
        with self.lock:
            self.shop.use_legacy_update_webhook_emission = on

    def add_promo_code(self, checkout_id: str, code: str) -> str:
        """checkoutAddPromoCode with a code of a voucher made through the API."""

        def apply(checkout: Checkout) -> None:
            ops.set_voucher(self.shop, checkout, promo_voucher(self.shop, checkout, code))

        return self._change_checkout(checkout_id, apply)

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

    def _variant_event(self, event: str, product: Product, *, append: bool = False) -> None:
        with self.lock:
            variant = payloads.product_payload(self.shop, product, None)["defaultVariant"]
        self._emit(event, {"productVariant": variant}, append=append)

    def create_product(
        self,
        name: str,
        category_id: str,
        prices: dict[str, Amount],
        requires_shipping: bool = True,
        attributes: dict[str, list[str]] | None = None,
    ) -> str:
        """A new product with one variant, as `productBulkCreate` makes it: PRODUCT_CREATED,
        then PRODUCT_VARIANT_CREATED; returns the product ID. `requires_shipping` False makes
        it a product type that needs no shipping (digital goods); `attributes`: name -> values."""
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
                requires_shipping,
                tuple((name, tuple(values)) for name, values in (attributes or {}).items()),
            )
            self.shop.products[pk] = product
        self._product_event("PRODUCT_CREATED", product)
        self._variant_event("PRODUCT_VARIANT_CREATED", product, append=True)
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
        self._variant_event("PRODUCT_VARIANT_UPDATED", product)
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
