"""Saleor's pricing rule for the cart value that free shipping compares: pure, no I/O.

Saleor offers a shipping method of type PRICE when the checkout's *base* subtotal — the lines at
catalogue prices (as entered, before tax calculation) after catalogue promotions, minus the
checkout `discount` (entire-order voucher or order promotion) — is at least the method's
`minimumOrderPrice` in the channel (inclusive).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from .context import CartFacts

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
    def discount(self) -> Decimal: ...
    @property
    def items_quantity(self) -> int: ...
    @property
    def lines(self) -> list[dict[str, Any]]: ...


def cart_facts(checkout: CheckoutTotals) -> CartFacts:
    """The cart as free shipping sees it: the base subtotal minus the checkout discount.

    The checkout's `subtotalPrice` is not used: it is tax-calculated, and Saleor compares the
    pre-tax base. A product-specific voucher may already be inside a line's `totalPrice` and
    in `discount` too, so the value can be a little low for such vouchers — never high, so we
    never announce free shipping that Saleor would not give.
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
    value = max(base - (checkout.discount or _ZERO), _ZERO)
    return CartFacts(value=value, items=checkout.items_quantity, currency=checkout.currency)
