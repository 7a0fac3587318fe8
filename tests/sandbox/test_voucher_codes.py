"""Vouchers and their codes through the API, as Saleor 3.23 manages them: a voucher is made only
with a code, code errors name the field `codes`, and placing an order deactivates a single-use
code (its `used` stays 0: Saleor counts uses only for a voucher with a usage limit)."""

from __future__ import annotations

from typing import Any

import pytest

from saleor_proactive.saleor import documents
from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.operations import CheckoutProblem
from saleor_proactive.sandbox.seed import BEANS_VARIANT, DEFAULT_CHANNEL
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App
from tests.sandbox.test_webhook_mutations import post

CODES = """
query Codes($id: ID!) {
  voucher(id: $id) { codes(first: 100) { edges { node { code used isActive } } } }
}"""
SINGLE_USE = {"name": "Ten off", "type": "ENTIRE_ORDER", "singleUse": True}


def create(saleor: SandboxSaleor, app: App, **values: Any) -> dict[str, Any]:
    body = post(saleor, app.token, documents.VOUCHER_CREATE, input={**SINGLE_USE, **values})
    result: dict[str, Any] = body["data"]["voucherCreate"]
    return result


def codes(saleor: SandboxSaleor, app: App, voucher_id: str) -> list[dict[str, Any]]:
    edges = post(saleor, app.token, CODES, id=voucher_id)["data"]["voucher"]["codes"]["edges"]
    return [edge["node"] for edge in edges]


def listed_voucher(saleor: SandboxSaleor, app: App, *codes: str) -> str:
    """A single-use 10.00 voucher of the default channel with these codes."""
    voucher_id: str = create(saleor, app, addCodes=list(codes))["voucher"]["id"]
    channel = to_global_id("Channel", saleor.shop.channels[DEFAULT_CHANNEL].pk)
    listing = {"addChannels": [{"channelId": channel, "discountValue": "10"}]}
    post(saleor, app.token, documents.VOUCHER_CHANNEL_LISTING_UPDATE, id=voucher_id, input=listing)
    return voucher_id


def test_a_voucher_without_code_or_add_codes_is_refused_like_saleor(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # when a voucher is created with neither, and with both
    neither = create(sandbox_saleor, recorded_install)
    both = create(sandbox_saleor, recorded_install, code="ONE", addCodes=["TWO"])

    # then Saleor's validate_one_of_args_is_in_mutation answers, with no field, and nothing is made
    assert neither == {
        "voucher": None,
        "errors": [
            {
                "field": None,
                "code": "GRAPHQL_ERROR",
                "message": "At least one of arguments is required: 'code', 'addCodes'.",
            }
        ],
    }
    assert both["errors"][0]["message"] == "Argument 'code' cannot be combined with 'addCodes'"
    assert sandbox_saleor.shop.vouchers == {}


def test_a_voucher_is_made_with_its_first_codes_and_code_errors_name_codes(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given a voucher made with two codes (the blank one generated, as Saleor does)
    made = create(sandbox_saleor, recorded_install, addCodes=["SP-A", " "])
    voucher_id = made["voucher"]["id"]

    # when codes already taken, and the same code twice, are added
    taken = post(
        sandbox_saleor,
        recorded_install.token,
        documents.VOUCHER_UPDATE,
        id=voucher_id,
        input={"addCodes": ["SP-B", "SP-A"]},
    )["data"]["voucherUpdate"]
    twice = create(sandbox_saleor, recorded_install, addCodes=["SP-C", "SP-C"])

    # then the voucher has its two codes, and both refusals name the field `codes`
    assert made["errors"] == []
    listed = sorted(c["code"] for c in codes(sandbox_saleor, recorded_install, voucher_id))
    assert listed[1] == "SP-A" and len(listed[0]) == len("1A2B-3C4D-5E6F")
    assert taken["errors"] == [
        {"field": "codes", "code": "ALREADY_EXISTS", "message": "Promo code already exists."}
    ]
    assert twice["errors"] == [
        {
            "field": "codes",
            "code": "DUPLICATED_INPUT_ITEM",
            "message": "Duplicated promo codes provided.",
        }
    ]
    assert len(sandbox_saleor.shop.vouchers) == 1


def test_an_order_deactivates_its_single_use_code_which_then_applies_nowhere(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given a single-use code applied to two checkouts
    voucher_id = listed_voucher(sandbox_saleor, recorded_install, "SP-ONCE", "SP-SPARE")
    first, second, third = (
        sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)]) for _ in range(3)
    )
    sandbox_saleor.add_promo_code(first, "SP-ONCE")
    sandbox_saleor.add_promo_code(second, "SP-ONCE")

    # when the first checkout becomes an order
    sandbox_saleor.create_order(first)

    # then the code is inactive and its `used` still 0; the second checkout cannot be completed
    # with it, and no other checkout takes it
    states = {c["code"]: c for c in codes(sandbox_saleor, recorded_install, voucher_id)}
    assert states["SP-ONCE"] == {"code": "SP-ONCE", "used": 0, "isActive": False}
    assert states["SP-SPARE"]["isActive"] is True
    with pytest.raises(CheckoutProblem) as refused:
        sandbox_saleor.create_order(second)
    assert (refused.value.code, refused.value.field) == ("VOUCHER_NOT_APPLICABLE", None)
    with pytest.raises(CheckoutProblem) as invalid:
        sandbox_saleor.add_promo_code(third, "SP-ONCE")
    assert invalid.value.code == "INVALID"


def test_codes_are_listed_newest_first(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    made = create(sandbox_saleor, recorded_install, addCodes=["SP-B", "SP-A"])
    voucher_id = made["voucher"]["id"]
    post(
        sandbox_saleor,
        recorded_install.token,
        documents.VOUCHER_UPDATE,
        id=voucher_id,
        input={"addCodes": ["SP-C"]},
    )

    listed = [c["code"] for c in codes(sandbox_saleor, recorded_install, voucher_id)]

    # Saleor orders codes by ("-created_at", "code")
    assert listed[0] == "SP-C" and listed[1:] == ["SP-A", "SP-B"]


COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order { id discounts { type name } } errors { field code message }
  }
}"""
ADD_PROMO_CODE = """
mutation($id: ID!, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) { errors { field code message } }
}"""


def _spend_elsewhere(saleor: SandboxSaleor, app: App, voucher_id: str) -> None:
    other = saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])
    saleor.add_promo_code(other, "SP-GONE")
    saleor.create_order(other)


def _delete_code(saleor: SandboxSaleor, app: App, voucher_id: str) -> None:
    [record] = [v for v in saleor.shop.vouchers.values() if "SP-GONE" in v.codes]
    ids = [to_global_id("VoucherCode", record.codes["SP-GONE"].pk)]
    post(saleor, app.token, documents.VOUCHER_CODE_BULK_DELETE, ids=ids)


def _end_voucher(saleor: SandboxSaleor, app: App, voucher_id: str) -> None:
    ended = {"endDate": "2020-01-01T00:00:00+00:00"}
    post(saleor, app.token, documents.VOUCHER_UPDATE, id=voucher_id, input=ended)


@pytest.mark.parametrize(
    "withdraw",
    [_spend_elsewhere, _delete_code, _end_voucher],
    ids=["spent-by-another-order", "code-deleted", "voucher-ended"],
)
def test_a_checkout_whose_code_no_longer_applies_is_not_completed(
    sandbox_saleor: SandboxSaleor, recorded_install: App, withdraw: Any
) -> None:
    # given a checkout holding a single-use code that then stops applying
    voucher_id = listed_voucher(sandbox_saleor, recorded_install, "SP-GONE")
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)])
    sandbox_saleor.add_promo_code(checkout_id, "SP-GONE")
    withdraw(sandbox_saleor, recorded_install, voucher_id)

    # when the storefront completes it
    result = post(sandbox_saleor, None, COMPLETE, id=checkout_id)["data"]["checkoutComplete"]

    # then Saleor's NotApplicable answer, with no field, and the checkout is still there
    assert result == {
        "order": None,
        "errors": [
            {"field": None, "code": "VOUCHER_NOT_APPLICABLE", "message": "Voucher not applicable"}
        ],
    }
    assert sandbox_saleor.checkout_view(checkout_id) is not None


def test_an_unknown_promo_code_is_invalid_and_an_order_names_its_voucher(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given a checkout, and a voucher named "Ten off" with a code
    listed_voucher(sandbox_saleor, recorded_install, "SP-TEN")
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)])

    # when a code no voucher has is added, then the voucher's, and the checkout completed
    unknown = post(sandbox_saleor, None, ADD_PROMO_CODE, id=checkout_id, code="NOPE")
    known = post(sandbox_saleor, None, ADD_PROMO_CODE, id=checkout_id, code="SP-TEN")
    result = post(sandbox_saleor, None, COMPLETE, id=checkout_id)["data"]["checkoutComplete"]

    # then Saleor's wording, and the order's voucher discount carries the voucher's name
    assert unknown["data"]["checkoutAddPromoCode"]["errors"] == [
        {"field": "promoCode", "code": "INVALID", "message": "Promo code is invalid"}
    ]
    assert known["data"]["checkoutAddPromoCode"]["errors"] == []
    assert result["errors"] == []
    assert result["order"]["discounts"] == [{"type": "VOUCHER", "name": "Ten off"}]
