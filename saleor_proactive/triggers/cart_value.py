"""Saleor's pricing rule for the cart value that free shipping compares: pure, no I/O.

Saleor 3.23 offers a shipping method of type PRICE when the checkout's *base* subtotal is at
least the method's `minimumOrderPrice` in the channel (inclusive). That subtotal is the lines at
catalogue prices as entered (before tax calculation), after catalogue promotions and line-level
vouchers (SPECIFIC_PRODUCT, once per order), minus the checkout `discount` unless the voucher is
a SHIPPING or SPECIFIC_PRODUCT one.

The API's line `totalPrice` already carries an entire-order voucher or order promotion, spread
across the lines, and `discount` reports it too: the lines' pre-tax totals are the compared
subtotal, and subtracting `discount` would count the voucher twice. So `discount` is not used:
for a SHIPPING voucher it lowers the delivery price only, and a SPECIFIC_PRODUCT voucher is
already inside its lines. (One case differs: an ENTIRE_ORDER voucher applied once per order is
inside its cheapest line and Saleor subtracts `discount` again. Telling it apart needs
`Checkout.voucher`, which requires MANAGE_DISCOUNTS, a permission the app does not ask for.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from .context import CartFacts, Money

_ZERO = Decimal(0)


def line_base_total(net: Decimal, gross: Decimal, undiscounted: Decimal) -> Decimal:
    """A line's total at catalogue price after promotions, before tax calculation.

    Saleor reports `undiscountedTotalPrice` as entered (no tax added or removed, no discount)
    and `totalPrice` as TaxedMoney after discounts. Prices are entered either gross or net, so
    the entered-and-discounted figure is whichever of `gross`/`net` is the largest not above
    the undiscounted one: gross for gross-entered prices (net would undercount by the tax),
    net for net-entered prices (gross would add tax that Saleor ignores). Without tax both
    agree. If neither fits (a price override above the listing), the undiscounted total is used.
    """
    fitting = [value for value in (gross, net) if value <= undiscounted]
    return max(fitting) if fitting else undiscounted


class CheckoutTotals(Protocol):
    """What the cart value is computed from: a stored snapshot, or the visitor API's subset."""

    @property
    def currency(self) -> str: ...
    @property
    def items_quantity(self) -> int: ...
    @property
    def lines(self) -> list[dict[str, Any]]: ...
    @property
    def shipping_required(self) -> bool: ...


def cart_facts(checkout: CheckoutTotals) -> CartFacts:
    """The cart as free shipping sees it: the sum of the lines' pre-tax totals, which carry
    every voucher that lowers the subtotal (see the module's docstring).

    The checkout's `subtotalPrice` is not used: it is tax-calculated, and Saleor compares the
    pre-tax base.
    """
    base = sum(
        (
            line_base_total(
                Decimal(line["net"]), Decimal(line["gross"]), Decimal(line["undiscounted"])
            )
            for line in checkout.lines
        ),
        start=_ZERO,
    )
    products = frozenset(line["productId"] for line in checkout.lines if line.get("productId"))
    return CartFacts(base, checkout.items_quantity, checkout.currency, products)


def threshold_for(checkout: CheckoutTotals | None, threshold: Money | None) -> Money | None:
    """The free-shipping threshold a checkout faces: none for a cart that needs no shipping
    (`Checkout.isShippingRequired` false), to which Saleor offers no shipping method at all."""
    if checkout is not None and not checkout.shipping_required:
        return None
    return threshold
