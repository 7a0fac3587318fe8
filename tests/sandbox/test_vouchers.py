"""Vouchers in the sandbox's checkouts, priced the way Saleor 3.23 prices them."""

from __future__ import annotations

from typing import Any

from saleor_proactive.sandbox.ids import from_global_id, to_global_id
from saleor_proactive.sandbox.seed import USD_CHANNEL, variant_id
from saleor_proactive.sandbox.server import SandboxSaleor

BEANS = 1  # 14.00 USD
KETTLE = 7  # 59.00 USD
DRIPPER = 8  # 27.00 USD


def product(pk: int) -> str:
    return to_global_id("Product", pk)


def totals(checkout: dict[str, Any]) -> list[float]:
    return [line["totalPrice"]["gross"]["amount"] for line in checkout["lines"]]


def view(sandbox: SandboxSaleor, checkout_id: str) -> dict[str, Any]:
    checkout = sandbox.checkout_view(checkout_id)
    assert checkout is not None
    return checkout


def test_an_entire_order_voucher_is_spread_over_the_lines_and_reported_as_discount(
    sandbox_saleor: SandboxSaleor,
) -> None:
    # given SALEOR_FACTS' cart: 2 x 14.00 USD and a 7.96 USD product, 35.96 USD in all
    sample = sandbox_saleor.create_product(
        "Sample pack", to_global_id("Category", 3), {USD_CHANNEL: "7.96"}
    )
    sample_product = sandbox_saleor.shop.products[int(from_global_id(sample, "Product") or 0)]
    checkout_id = sandbox_saleor.create_checkout(
        USD_CHANNEL,
        [(variant_id(BEANS), 2), (to_global_id("ProductVariant", sample_product.variant_pk), 1)],
        country="US",
    )

    # when a 10.00 USD entire-order voucher is applied
    sandbox_saleor.set_checkout_discount(checkout_id, "10.00")

    # then the first line carries its share (28/35.96 of 10, rounded), the last one the rest,
    # and `discount` still reports the whole voucher
    checkout = view(sandbox_saleor, checkout_id)
    assert totals(checkout) == [20.21, 5.75]
    assert checkout["lines"][0]["undiscountedTotalPrice"]["amount"] == 28.0
    assert checkout["discount"]["amount"] == 10.0
    assert checkout["subtotalPrice"]["gross"]["amount"] == 25.96


def test_a_specific_product_voucher_lowers_only_its_products_lines(
    sandbox_saleor: SandboxSaleor,
) -> None:
    checkout_id = sandbox_saleor.create_checkout(
        USD_CHANNEL, [(variant_id(KETTLE), 1), (variant_id(DRIPPER), 2)], country="US"
    )

    # a 5.00 USD voucher per dripper
    sandbox_saleor.set_checkout_discount(
        checkout_id,
        "5.00",
        voucher_type="SPECIFIC_PRODUCT",
        product_ids=[product(DRIPPER)],
    )

    checkout = view(sandbox_saleor, checkout_id)
    assert totals(checkout) == [59.0, 44.0]
    assert checkout["discount"]["amount"] == 10.0
    assert checkout["subtotalPrice"]["gross"]["amount"] == 103.0


def test_a_once_per_order_voucher_lowers_one_unit_of_the_cheapest_line(
    sandbox_saleor: SandboxSaleor,
) -> None:
    checkout_id = sandbox_saleor.create_checkout(
        USD_CHANNEL, [(variant_id(KETTLE), 1), (variant_id(DRIPPER), 2)], country="US"
    )

    sandbox_saleor.set_checkout_discount(
        checkout_id,
        "5.00",
        voucher_type="SPECIFIC_PRODUCT",
        once_per_order=True,
        product_ids=[product(KETTLE), product(DRIPPER)],
    )

    checkout = view(sandbox_saleor, checkout_id)
    assert totals(checkout) == [59.0, 49.0]
    assert checkout["discount"]["amount"] == 5.0


def test_a_shipping_voucher_leaves_the_lines_alone(sandbox_saleor: SandboxSaleor) -> None:
    checkout_id = sandbox_saleor.create_checkout(
        USD_CHANNEL, [(variant_id(KETTLE), 1)], country="US"
    )

    sandbox_saleor.set_checkout_discount(checkout_id, "6.99", voucher_type="SHIPPING")

    checkout = view(sandbox_saleor, checkout_id)
    assert totals(checkout) == [59.0]
    assert checkout["discount"]["amount"] == 6.99
    assert checkout["subtotalPrice"]["gross"]["amount"] == 59.0
