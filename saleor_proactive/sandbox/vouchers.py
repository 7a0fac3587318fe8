"""Vouchers and their codes, as Saleor 3.23's API manages them (MANAGE_DISCOUNTS).

`voucherCreate` (only with `code` or `addCodes`: Saleor 3.23 makes no voucher without a code),
`voucherUpdate` (`addCodes`; a code must be unique in the shop), `voucherChannelListingUpdate`,
`voucherCodeBulkDelete` and `voucher(id) { codes }` (newest first). A code is usable while it
is active, the voucher has no past `endDate` and is listed in the checkout's channel; placing
an order deactivates a single-use code (`operations.use_voucher_code`).
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from graphql import GraphQLResolveInfo

from . import payloads
from .ids import from_global_id, to_global_id
from .operations import CheckoutProblem, usable_voucher
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
        # Saleor's VoucherCode ordering: ("-created_at", "code")
        by_code = sorted(voucher.codes.values(), key=lambda c: c.code)
        codes = sorted(by_code, key=lambda c: c.created, reverse=True)
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
        "isActive": code.is_active,
        "createdAt": iso(code.created),
    }


def _find(shop: Shop, voucher_id: str) -> VoucherRecord | None:
    pk = from_global_id(voucher_id, "Voucher")
    return shop.vouchers.get(int(pk)) if pk and pk.isdigit() else None


def _generated_code() -> str:
    """Saleor's `generate_promo_code` format, e.g. 1A2B-3C4D-5E6F."""
    code = secrets.token_hex(6).upper()
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _taken(shop: Shop) -> set[str]:
    return {code for voucher in shop.vouchers.values() for code in voucher.codes}


def _new_codes(shop: Shop, values: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """`addCodes` as Saleor's `_clean_new_codes` takes them: stripped, a blank one generated,
    errors on the field `codes`."""
    if values.get("addCodes") is None:
        return [], []
    codes = [code.strip() for code in values["addCodes"]]
    if len(set(codes)) < len(codes):
        error = _error("codes", "DUPLICATED_INPUT_ITEM", "Duplicated promo codes provided.")
        return [], [error]
    if set(codes) & _taken(shop):
        return [], [_error("codes", "ALREADY_EXISTS", "Promo code already exists.")]
    return [code or _generated_code() for code in codes], []


def _old_code(shop: Shop, values: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
    """The deprecated `code`: blank means a generated one."""
    if "code" not in values:
        return None, []
    code = (values["code"] or "").strip()
    if code and code in _taken(shop):
        return None, [_error("code", "ALREADY_EXISTS", "Promo code already exists.")]
    return code or _generated_code(), []


def _one_of_code_or_add_codes(values: dict[str, Any]) -> list[dict[str, Any]]:
    """voucherCreate's `validate_one_of_args_is_in_mutation` (skipped for `code: ""`)."""
    if values.get("code") == "":
        return []
    given = [name for name in ("code", "addCodes") if values.get(name)]
    if len(given) > 1:
        message = "Argument 'code' cannot be combined with 'addCodes'"
    elif not given:
        message = "At least one of arguments is required: 'code', 'addCodes'."
    else:
        return []
    return [_error(None, "GRAPHQL_ERROR", message)]


def _used(shop: Shop, voucher: VoucherRecord) -> bool:
    """voucherUpdate's `is_voucher_used`: a code of it is on an order or a checkout."""
    on_orders = {order.voucher_code for order in shop.orders.values()}
    on_checkouts = {c.voucher.code for c in shop.checkouts.values() if c.voucher is not None}
    return bool(set(voucher.codes) & (on_orders | on_checkouts))


def _usage_setting_errors(
    shop: Shop, voucher: VoucherRecord, values: dict[str, Any]
) -> list[dict[str, Any]]:
    changed = [
        (key, label)
        for key, label, current in (
            ("singleUse", "single use", voucher.single_use),
            ("usageLimit", "usage limit", voucher.usage_limit),
        )
        if key in values and values[key] != current
    ]
    if not changed or not _used(shop, voucher):
        return []
    key, label = changed[0]
    message = f"Cannot change {label} setting when any voucher code has already been used."
    return [_error(key, "VOUCHER_ALREADY_USED", message)]


def _set_fields(voucher: VoucherRecord, values: dict[str, Any]) -> None:
    for key, attribute in (("name", "name"), ("type", "type"), ("singleUse", "single_use")):
        if values.get(key) is not None:
            setattr(voucher, attribute, values[key])
    if values.get("discountValueType") is not None:
        voucher.value_type = values["discountValueType"]
    if "usageLimit" in values:
        voucher.usage_limit = values["usageLimit"]
    if "endDate" in values:
        end = values["endDate"]
        voucher.end_date = datetime.fromisoformat(end) if isinstance(end, str) else None


def _add_codes(shop: Shop, voucher: VoucherRecord, codes: list[str]) -> None:
    now = shop.now()
    for code in codes:
        voucher.codes[code] = VoucherCodeRecord(shop.new_pk("VoucherCode"), code, now)


def voucher_create(info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        shop = context.saleor.shop
        errors = _one_of_code_or_add_codes(input)
        codes, code_errors = _new_codes(shop, input)
        old, old_errors = _old_code(shop, input)
        errors = errors or code_errors or old_errors
        if errors:
            return _result(None, errors)
        voucher = VoucherRecord(
            shop.new_pk("Voucher"),
            input.get("name") or "",
            input.get("type") or "ENTIRE_ORDER",
            input.get("discountValueType") or "FIXED",
            bool(input.get("singleUse")),
        )
        _set_fields(voucher, input)
        _add_codes(shop, voucher, codes or ([old] if old else []))
        shop.vouchers[voucher.pk] = voucher
        return _result(voucher, [])


def voucher_update(info: GraphQLResolveInfo, id: str, input: dict[str, Any]) -> Any:
    context = require_permission(info, MANAGE_DISCOUNTS)
    with context.saleor.lock:
        shop = context.saleor.shop
        voucher = _find(shop, id)
        if voucher is None:
            return _result(None, [_error("id", "NOT_FOUND", "Couldn't resolve to a voucher.")])
        old, errors = _old_code(shop, input)
        codes, code_errors = _new_codes(shop, input)
        errors = errors or code_errors or _usage_setting_errors(shop, voucher, input)
        if not errors and old and not codes and len(voucher.codes) != 1:
            message = "Cannot update code when multiple codes exists."
            errors = [_error("code", "INVALID", message)]
        if errors:
            return _result(None, errors)
        _set_fields(voucher, input)
        if codes:
            _add_codes(shop, voucher, codes)
        elif old:  # the one code renamed
            (record,) = voucher.codes.values()
            voucher.codes = {old: replace(record, code=old)}
        return _result(voucher, [])


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


def promo_voucher(shop: Shop, checkout: Checkout, code: str) -> Voucher:
    """The checkout's voucher for a promo code, as checkoutAddPromoCode would apply it; a
    percentage is taken of the lines' total before vouchers."""
    found = usable_voucher(shop, code, checkout.channel_slug, shop.now())
    if found is None:
        raise CheckoutProblem("INVALID", "promoCode", "Promo code is invalid")
    voucher, _ = found
    value, minimum = voucher.channels[checkout.channel_slug]
    before = payloads.checkout_prices(shop, replace(checkout, voucher=None)).subtotal
    if minimum is not None and before < minimum:
        raise CheckoutProblem(
            "VOUCHER_NOT_APPLICABLE", "promoCode", "Voucher is not applicable to this checkout."
        )
    amount = value if voucher.value_type == "FIXED" else before * value / 100
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Voucher(code, amount, voucher.type, name=voucher.name, voucher_pk=voucher.pk)
