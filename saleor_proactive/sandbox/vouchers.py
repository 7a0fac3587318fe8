"""Vouchers and their codes, as Saleor 3.23's API manages them (MANAGE_DISCOUNTS).

`voucherCreate` / `voucherUpdate` (with `addCodes`; a code must be unique in the shop),
`voucherChannelListingUpdate`, `voucherCodeBulkDelete` and `voucher(id) { codes }`. A code is
usable while the voucher has no past `endDate` and is listed in the checkout's channel;
`use_code` is what checkout completion does with a single-use code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from graphql import GraphQLResolveInfo

from . import payloads
from .ids import from_global_id, to_global_id
from .operations import CheckoutProblem
from .resolvers import require_permission
from .shapes import iso, node
from .state import Checkout, Shop, Voucher, VoucherCodeRecord, VoucherRecord

MANAGE_DISCOUNTS = "MANAGE_DISCOUNTS"


def _error(field: str | None, code: str, message: str) -> dict[str, Any]:
    return {"field": field, "code": code, "message": message}


def _result(voucher: VoucherRecord | None, errors: list[dict[str, Any]]) -> dict[str, Any]:
    payload = None if voucher is None or errors else voucher_payload(voucher)
    return {"voucher": payload, "errors": errors, "discountErrors": errors}


def voucher_payload(voucher: VoucherRecord) -> dict[str, Any]:
    return node(
        "Voucher",
        voucher.pk,
        name=voucher.name,
        type=voucher.type,
        discountValueType=voucher.value_type,
        singleUse=voucher.single_use,
        endDate=iso(voucher.end_date) if voucher.end_date else None,
        codes=_codes_connection(voucher),
    )


def _codes_connection(voucher: VoucherRecord) -> Any:
    def resolve(info: GraphQLResolveInfo, first: int = 100, after: str | None = None) -> Any:
        codes = sorted(voucher.codes.values(), key=lambda c: c.pk)
        start = int(after) if after and after.isdigit() else 0
        page = codes[start : start + min(first, 100)]
        return {
            "pageInfo": {
                "hasNextPage": start + len(page) < len(codes),
                "endCursor": str(start + len(page)) if page else None,
                "hasPreviousPage": start > 0,
                "startCursor": str(start),
            },
            "edges": [{"cursor": str(start + i + 1), "node": _code(c)} for i, c in enumerate(page)],
            "totalCount": len(codes),
        }

    return resolve


def _code(code: VoucherCodeRecord) -> dict[str, Any]:
    return {
        "__typename": "VoucherCode",
        "id": to_global_id("VoucherCode", code.pk),
        "code": code.code,
        "used": code.used,
        "isActive": True,
        "createdAt": iso(code.created),
    }


def _find(shop: Shop, voucher_id: str) -> VoucherRecord | None:
    pk = from_global_id(voucher_id, "Voucher")
    return shop.vouchers.get(int(pk)) if pk and pk.isdigit() else None


def _apply(shop: Shop, voucher: VoucherRecord, values: dict[str, Any]) -> list[dict[str, Any]]:
    codes = values.get("addCodes") or []
    taken = {code for other in shop.vouchers.values() for code in other.codes}
    duplicates = [code for code in codes if code in taken or codes.count(code) > 1]
    if duplicates:
        return [_error("addCodes", "ALREADY_EXISTS", "Promo code already exists.")]
    for key, attribute in (("name", "name"), ("type", "type"), ("singleUse", "single_use")):
        if values.get(key) is not None:
            setattr(voucher, attribute, values[key])
    if values.get("discountValueType") is not None:
        voucher.value_type = values["discountValueType"]
    if "endDate" in values:
        end = values["endDate"]
        voucher.end_date = datetime.fromisoformat(end) if isinstance(end, str) else None
    now = shop.now()
    for code in codes:
        voucher.codes[code] = VoucherCodeRecord(shop.new_pk("VoucherCode"), code, now)
    return []


def voucher_create(info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        shop = context.saleor.shop
        voucher = VoucherRecord(
            shop.new_pk("Voucher"),
            input.get("name") or "",
            input.get("type") or "ENTIRE_ORDER",
            input.get("discountValueType") or "FIXED",
            bool(input.get("singleUse")),
        )
        errors = _apply(shop, voucher, input)
        if not errors:
            shop.vouchers[voucher.pk] = voucher
        return _result(voucher, errors)


def voucher_update(info: GraphQLResolveInfo, id: str, input: dict[str, Any]) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        voucher = _find(context.saleor.shop, id)
        if voucher is None:
            return _result(None, [_error("id", "NOT_FOUND", "Couldn't resolve to a voucher.")])
        return _result(voucher, _apply(context.saleor.shop, voucher, input))


def voucher_channel_listing_update(info: GraphQLResolveInfo, id: str, input: dict[str, Any]) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        shop = context.saleor.shop
        voucher = _find(shop, id)
        if voucher is None:
            return _result(None, [_error("id", "NOT_FOUND", "Couldn't resolve to a voucher.")])
        by_id = {to_global_id("Channel", c.pk): slug for slug, c in shop.channels.items()}
        for channel_id in input.get("removeChannels") or []:
            voucher.channels.pop(by_id.get(channel_id, ""), None)
        for listing in input.get("addChannels") or []:
            slug = by_id.get(listing["channelId"])
            if slug is None:
                return _result(None, [_error("channelId", "NOT_FOUND", "No such channel.")])
            minimum = listing.get("minAmountSpent")
            voucher.channels[slug] = (
                Decimal(str(listing.get("discountValue") or 0)),
                None if minimum is None else Decimal(str(minimum)),
            )
        return _result(voucher, [])


def voucher_code_bulk_delete(info: GraphQLResolveInfo, ids: list[str]) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        wanted = {from_global_id(i, "VoucherCode") for i in ids}
        count = 0
        for voucher in context.saleor.shop.vouchers.values():
            for code, record in list(voucher.codes.items()):
                if str(record.pk) in wanted:
                    del voucher.codes[code]
                    count += 1
        return {"count": count, "errors": []}


def resolve_voucher(info: GraphQLResolveInfo, id: str, channel: str | None = None) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        voucher = _find(context.saleor.shop, id)
        return None if voucher is None else voucher_payload(voucher)


def usable_voucher(
    shop: Shop, code: str, channel: str, now: datetime
) -> tuple[VoucherRecord, VoucherCodeRecord] | None:
    """The voucher a promo code stands for, when Saleor would accept it in this channel."""
    for voucher in shop.vouchers.values():
        record = voucher.codes.get(code)
        if record is None:
            continue
        expired = voucher.end_date is not None and voucher.end_date <= now
        used_up = voucher.single_use and record.used > 0
        if expired or used_up or channel not in voucher.channels:
            return None
        return voucher, record
    return None


def promo_voucher(shop: Shop, checkout: Checkout, code: str) -> Voucher:
    """The checkout's voucher for a promo code, as checkoutAddPromoCode would apply it; a
    percentage is taken of the lines' total before vouchers."""
    found = usable_voucher(shop, code, checkout.channel_slug, shop.now())
    if found is None:
        raise CheckoutProblem("INVALID", "promoCode", "Promo code is invalid.")
    voucher, _ = found
    value, minimum = voucher.channels[checkout.channel_slug]
    before = payloads.checkout_prices(shop, replace(checkout, voucher=None)).subtotal
    if minimum is not None and before < minimum:
        raise CheckoutProblem(
            "VOUCHER_NOT_APPLICABLE", "promoCode", "Voucher is not applicable to this checkout."
        )
    amount = value if voucher.value_type == "FIXED" else before * value / 100
    return Voucher(code, amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), voucher.type)
