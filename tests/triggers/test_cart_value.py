"""The cart value free shipping compares, by Saleor's pricing rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.triggers.cart_value import line_base_total, threshold_for
from saleor_proactive.triggers.context import Money


@pytest.mark.parametrize(
    ("net", "gross", "undiscounted", "base", "case"),
    [
        ("41.32", "50.00", "50.00", "50.00", "gross-entered, 21 % VAT"),
        ("37.19", "45.00", "50.00", "45.00", "gross-entered, 10 % promotion"),
        ("50.00", "60.50", "50.00", "50.00", "net-entered, 21 % tax added"),
        ("45.00", "54.45", "50.00", "45.00", "net-entered, 10 % promotion"),
        ("50.00", "50.00", "50.00", "50.00", "no tax"),
        ("60.00", "60.00", "50.00", "50.00", "price above the listing"),
    ],
)
def test_a_line_counts_at_its_entered_price_after_promotions(
    net: str, gross: str, undiscounted: str, base: str, case: str
) -> None:
    assert line_base_total(Decimal(net), Decimal(gross), Decimal(undiscounted)) == Decimal(base), (
        case
    )


@dataclass(frozen=True)
class Checkout:
    currency: str = "EUR"
    items_quantity: int = 1
    lines: list[dict[str, Any]] = field(default_factory=list)
    shipping_required: bool = True


def test_a_cart_that_needs_no_shipping_faces_no_free_shipping_threshold() -> None:
    threshold = Money(Decimal("50"), "EUR")

    assert threshold_for(Checkout(shipping_required=False), threshold) is None
    assert threshold_for(Checkout(shipping_required=True), threshold) == threshold
    assert threshold_for(None, threshold) == threshold  # no checkout yet: the channel's
