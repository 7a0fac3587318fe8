"""Changes to the sandbox store, as pure functions on `Shop`; the caller fires the webhooks.

Invalid input raises `CheckoutProblem`, which the GraphQL layer turns into Saleor's
`errors: [CheckoutError]` and the Python helpers let through.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from .ids import from_global_id, to_global_id
from .payloads import checkout_prices
from .state import Checkout, Line, Order, Shop, Voucher, VoucherCodeRecord, VoucherRecord


class CheckoutProblem(ValueError):
    """A refused checkout change, with Saleor's CheckoutErrorCode and field."""

    def __init__(self, code: str, field: str | None, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


def find_checkout(shop: Shop, checkout_id: str) -> Checkout:
    token = from_global_id(checkout_id, "Checkout")
    checkout = shop.checkouts.get(token or "")
    if checkout is None:
        raise CheckoutProblem("NOT_FOUND", "id", f"Couldn't resolve to a node: {checkout_id}")
    return checkout


def _variant_pk(shop: Shop, variant_id: str, channel_slug: str) -> int:
    pk = from_global_id(variant_id, "ProductVariant")
    product = shop.product_by_variant(int(pk)) if pk and pk.isdigit() else None
    if product is None:
        raise CheckoutProblem("NOT_FOUND", "variantId", f"Couldn't resolve to a node: {variant_id}")
    if channel_slug not in product.prices:
        raise CheckoutProblem(
            "UNAVAILABLE_VARIANT_IN_CHANNEL",
            "lines",
            f"Cannot add lines with unavailable variants in channel {channel_slug}.",
        )
    return product.variant_pk


def _check_quantity(quantity: int) -> None:
    if quantity < 0:
        raise CheckoutProblem(
            "ZERO_QUANTITY", "quantity", "The quantity should be higher than zero."
        )


def create_checkout(
    shop: Shop,
    channel_slug: str | None,
    lines: Iterable[tuple[str, int]],
    country: str | None = None,
    email: str | None = None,
) -> Checkout:
    if not channel_slug:
        raise CheckoutProblem(
            "MISSING_CHANNEL_SLUG", "channel", "You need to provide channel slug."
        )
    if channel_slug not in shop.channels:
        raise CheckoutProblem(
            "NOT_FOUND", "channel", f"Channel with '{channel_slug}' slug does not exist."
        )
    now = shop.now()
    checkout = Checkout(str(uuid.uuid4()), channel_slug, [], now, now, country=country, email=email)
    add_lines(shop, checkout, lines)
    checkout.updated_at = checkout.created
    shop.checkouts[checkout.token] = checkout
    return checkout


def add_lines(shop: Shop, checkout: Checkout, lines: Iterable[tuple[str, int]]) -> None:
    """Saleor's checkoutLinesAdd: quantities of a variant already in the cart are summed."""
    for variant_id, quantity in lines:
        if quantity <= 0:
            raise CheckoutProblem(
                "ZERO_QUANTITY", "quantity", "The quantity should be higher than zero."
            )
        variant_pk = _variant_pk(shop, variant_id, checkout.channel_slug)
        existing = next((line for line in checkout.lines if line.variant_pk == variant_pk), None)
        if existing is not None:
            existing.quantity += quantity
        else:
            checkout.lines.append(Line(variant_pk, quantity))
    checkout.updated_at = shop.now()


def set_line_quantities(shop: Shop, checkout: Checkout, lines: Iterable[tuple[str, int]]) -> None:
    """Saleor's checkoutLinesUpdate: lines named by line or variant ID; quantity 0 removes."""
    for some_id, quantity in lines:
        _check_quantity(quantity)
        line = _find_line(checkout, some_id)
        if line is None:
            variant_pk = _variant_pk(shop, some_id, checkout.channel_slug)
            line = Line(variant_pk, 0)
            checkout.lines.append(line)
        line.quantity = quantity
    checkout.lines = [line for line in checkout.lines if line.quantity > 0]
    checkout.updated_at = shop.now()


def delete_lines(shop: Shop, checkout: Checkout, line_ids: Iterable[str]) -> None:
    for line_id in line_ids:
        line = _find_line(checkout, line_id)
        if line is None:
            raise CheckoutProblem("NOT_FOUND", "lineId", f"Couldn't resolve to a node: {line_id}")
        checkout.lines.remove(line)
    checkout.updated_at = shop.now()


def _find_line(checkout: Checkout, some_id: str) -> Line | None:
    line_pk = from_global_id(some_id, "CheckoutLine")
    variant_pk = from_global_id(some_id, "ProductVariant")
    for line in checkout.lines:
        if line.pk == line_pk or (variant_pk and str(line.variant_pk) == variant_pk):
            return line
    return None


def set_voucher(shop: Shop, checkout: Checkout, voucher: Voucher | None) -> None:
    """Saleor's checkoutAddPromoCode (None: checkoutRemovePromoCode)."""
    checkout.voucher = voucher if voucher is not None and voucher.amount > 0 else None
    checkout.updated_at = shop.now()


def set_email(shop: Shop, checkout: Checkout, email: str | None) -> None:
    checkout.email = email
    checkout.updated_at = shop.now()


def set_language(shop: Shop, checkout: Checkout, language_code: str) -> None:
    checkout.language_code = language_code
    checkout.updated_at = shop.now()


def set_metadata(shop: Shop, checkout: Checkout, items: dict[str, str]) -> None:
    """updateMetadata: keys added or replaced, the others kept."""
    checkout.metadata.update(items)
    checkout.updated_at = shop.now()


def set_country(shop: Shop, checkout: Checkout, country: str | None) -> None:
    checkout.country = country.upper() if country else None
    checkout.updated_at = shop.now()


def complete_checkout(shop: Shop, checkout: Checkout) -> Order:
    """Saleor's checkoutComplete without payment: the checkout becomes an order (its lines
    keep the prices of that moment) and the checkout is deleted."""
    prices = checkout_prices(shop, checkout)
    lines = [
        Line(
            p.line.variant_pk, p.line.quantity, unit_price=p.unit_price, product_name=p.product.name
        )
        for p in prices.lines
    ]
    if not lines:
        raise CheckoutProblem("NO_LINES", "lines", "Cannot create order without lines.")
    voucher = checkout.voucher
    if voucher is not None and _no_longer_applies(shop, voucher, checkout.channel_slug):
        # Saleor's complete_checkout turns NotApplicable into an error without a field.
        raise CheckoutProblem("VOUCHER_NOT_APPLICABLE", None, "Voucher not applicable")
    order = Order(
        str(uuid.uuid4()),
        len(shop.orders) + 1,
        checkout.token,
        checkout.channel_slug,
        lines,
        prices.lines_discount,
        checkout.country,
        checkout.email,
        shop.now(),
        voucher.code if voucher is not None else None,
        voucher.name if voucher is not None else None,
    )
    use_voucher_code(shop, order.voucher_code)
    shop.orders[order.pk] = order
    del shop.checkouts[checkout.token]
    return order


def usable_voucher(
    shop: Shop, code: str, channel: str, now: datetime
) -> tuple[VoucherRecord, VoucherCodeRecord] | None:
    """The voucher a promo code stands for, when Saleor would accept it in this channel: the
    code active, the voucher not ended, listed in the channel and under its usage limit."""
    for voucher in shop.vouchers.values():
        record = voucher.codes.get(code)
        if record is None:
            continue
        expired = voucher.end_date is not None and voucher.end_date <= now
        used = sum(c.used for c in voucher.codes.values())
        used_up = voucher.usage_limit is not None and used >= voucher.usage_limit
        if expired or used_up or not record.is_active or channel not in voucher.channels:
            return None
        return voucher, record
    return None


def _no_longer_applies(shop: Shop, voucher: Voucher, channel: str) -> bool:
    """A promo code that no longer applies: made inactive (spent by another order), deleted,
    or its voucher ended or unlisted (a stand-in voucher the tests set always applies)."""
    if voucher.voucher_pk is None:
        return False
    return usable_voucher(shop, voucher.code, channel, shop.now()) is None


def use_voucher_code(shop: Shop, code: str | None) -> None:
    """What placing the order does with its code (Saleor 3.23's `increase_voucher_usage`): a
    single-use voucher's code is deactivated; `used` only counts for a voucher with a usage
    limit."""
    for voucher in shop.vouchers.values():
        record = voucher.codes.get(code) if code is not None else None
        if record is None:
            continue
        if voucher.usage_limit is not None:
            record.used += 1
        if voucher.single_use:
            record.is_active = False


def checkout_id(checkout: Checkout) -> str:
    return to_global_id("Checkout", checkout.token)
