"""A checkout's line totals, `discount` and subtotal with a voucher, the way Saleor 3.23 does it.

- A SPECIFIC_PRODUCT voucher, and any voucher applied once per order, is a line-level discount:
  per unit on every line of the voucher's products, or on one unit of the cheapest line
  (among the voucher's products, or all lines for ENTIRE_ORDER) when applied once per order.
- An ENTIRE_ORDER voucher is spread across the lines in proportion to their totals; the last
  line takes what the others' (unrounded) shares leave, so the shares add up to the voucher.
- A SHIPPING voucher lowers the delivery price only; the lines keep their totals.
- `discount` reports the voucher's amount for every type, so the lines' totals already carry it
  except for SHIPPING.

The sandbox models fixed-amount vouchers only, and has no catalogue promotions and no delivery
method (a SHIPPING voucher reports its whole amount as `discount`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .state import Line, Product, Voucher

CENT = Decimal("0.01")
_ZERO = Decimal(0)


@dataclass(frozen=True)
class PricedLine:
    line: Line
    product: Product
    unit_price: Decimal  # catalogue price, as entered (gross)
    total: Decimal  # after vouchers, rounded to cents

    @property
    def undiscounted_total(self) -> Decimal:
        return self.unit_price * self.line.quantity


@dataclass(frozen=True)
class PricedCheckout:
    lines: list[PricedLine]
    discount: Decimal  # Saleor's `checkout.discount`

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), _ZERO)

    @property
    def lines_discount(self) -> Decimal:
        """What the vouchers took off the lines (an order keeps this as its discount)."""
        return sum((line.undiscounted_total for line in self.lines), _ZERO) - self.subtotal


def price_checkout(
    lines: list[tuple[Line, Product, Decimal]], voucher: Voucher | None
) -> PricedCheckout:
    """`lines`: each checkout line with its product and catalogue unit price, in line order."""
    totals = [price * line.quantity for line, _product, price in lines]
    discount = _ZERO
    if voucher is not None and voucher.is_line_level:
        reductions = _line_level_reductions(lines, voucher)
        totals = [total - cut for total, cut in zip(totals, reductions, strict=True)]
        discount = min(sum(reductions, _ZERO), sum(totals, _ZERO))
    elif voucher is not None and voucher.type == "ENTIRE_ORDER":
        discount = min(voucher.amount, sum(totals, _ZERO))
        totals = _spread(totals, discount)
    elif voucher is not None and voucher.type == "SHIPPING":
        discount = voucher.amount
    priced = [
        PricedLine(line, product, price, _cents(max(total, _ZERO)))
        for (line, product, price), total in zip(lines, totals, strict=True)
    ]
    return PricedCheckout(priced, discount)


def _line_level_reductions(
    lines: list[tuple[Line, Product, Decimal]], voucher: Voucher
) -> list[Decimal]:
    included = [
        index
        for index, (_line, product, _price) in enumerate(lines)
        if voucher.type == "ENTIRE_ORDER" or product.pk in voucher.product_pks
    ]
    reductions = [_ZERO] * len(lines)
    if voucher.apply_once_per_order:
        if included:
            cheapest = min(included, key=lambda index: lines[index][2])
            reductions[cheapest] = min(voucher.amount, lines[cheapest][2])
        return reductions
    for index in included:
        line, _product, price = lines[index]
        reductions[index] = min(voucher.amount, price) * line.quantity
    return reductions


def _spread(totals: list[Decimal], discount: Decimal) -> list[Decimal]:
    whole = sum(totals, _ZERO)
    if len(totals) <= 1 or whole == 0:
        return [total - discount for total in totals]
    shares = [total / whole * discount for total in totals[:-1]]
    shares.append(discount - sum(shares, _ZERO))
    return [total - share for total, share in zip(totals, shares, strict=True)]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
