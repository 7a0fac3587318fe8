"""The `offer` show type (CONTRACT §4.1): its `show.offer` document and the action it makes.

The action never carries a code: `data.offer` repeats the discount and `data.claim` tells the
snippet to ask `POST /storefront/v1/offers/claim` for one when the visitor clicks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..validation import DocumentError, expect_choice, expect_object, join, type_name
from .localise import format_money

MIN_VALID_MINUTES = 5
MAX_VALID_MINUTES = 10080
MAX_DAILY_CAP = 100_000
MAX_AMOUNT = Decimal("1000000")
PLACEHOLDERS = ("discount", "expires")
_DISCOUNT_TYPES = ("percentage", "fixed")


@dataclass(frozen=True)
class OfferTerms:
    discount_type: str  # "percentage" | "fixed"
    discount_value: Decimal  # percent, or an amount in the channel's currency
    valid_minutes: int
    minimum_cart_value: Decimal | None = None
    daily_cap: int | None = None

    @property
    def is_percentage(self) -> bool:
        return self.discount_type == "percentage"

    def discount_document(self) -> dict[str, Any]:
        key = "value" if self.is_percentage else "amount"
        return {"type": self.discount_type, key: _number(self.discount_value)}

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "discount": self.discount_document(),
            "validMinutes": self.valid_minutes,
        }
        if self.minimum_cart_value is not None:
            document["minimumCartValue"] = _number(self.minimum_cart_value)
        if self.daily_cap is not None:
            document["dailyCap"] = self.daily_cap
        return document

    def discount_words(self, currency: str, locale: str | None) -> str:
        """`10 %` or `€5.00`, for the `{discount}` placeholder."""
        if self.is_percentage:
            return f"{_number(self.discount_value)} %"
        return format_money(self.discount_value, currency, locale)


def parse_offer(value: object, path: str) -> OfferTerms:
    obj = expect_object(value, path)
    unknown = sorted(set(obj) - {"discount", "validMinutes", "minimumCartValue", "dailyCap"})
    if unknown:
        raise DocumentError(join(path, unknown[0]), "unknown field")
    discount_type, discount_value = _parse_discount(obj.get("discount"), join(path, "discount"))
    minutes = obj.get("validMinutes")
    if minutes is None:
        raise DocumentError(join(path, "validMinutes"), "is required")
    minimum = obj.get("minimumCartValue")
    cap = obj.get("dailyCap")
    return OfferTerms(
        discount_type,
        discount_value,
        _whole(minutes, join(path, "validMinutes"), MIN_VALID_MINUTES, MAX_VALID_MINUTES),
        None if minimum is None else _amount(minimum, join(path, "minimumCartValue"), zero=True),
        None if cap is None else _whole(cap, join(path, "dailyCap"), 1, MAX_DAILY_CAP),
    )


def _parse_discount(value: object, path: str) -> tuple[str, Decimal]:
    obj = expect_object(value, path)
    kind = expect_choice(obj.get("type"), _DISCOUNT_TYPES, join(path, "type"))
    key = "value" if kind == "percentage" else "amount"
    unknown = sorted(set(obj) - {"type", key})
    if unknown:
        raise DocumentError(join(path, unknown[0]), f"unknown field for a {kind} discount")
    if obj.get(key) is None:
        raise DocumentError(join(path, key), "is required")
    if kind == "percentage":
        percent = _whole(obj[key], join(path, key), 1, 100)
        return kind, Decimal(percent)
    return kind, _amount(obj[key], join(path, key), zero=False)


def _whole(value: object, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise DocumentError(path, f"must be a whole number, got {type_name(value)}")
    if not low <= value <= high:
        raise DocumentError(path, f"must be from {low} to {high}")
    return int(value)


def _amount(value: object, path: str, *, zero: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise DocumentError(path, f"must be a number, got {type_name(value)}")
    amount = Decimal(str(value))
    if amount < 0 or (amount == 0 and not zero) or amount > MAX_AMOUNT:
        low = "0" if zero else "more than 0"
        raise DocumentError(path, f"must be {low} and at most {MAX_AMOUNT}")
    if amount != amount.quantize(Decimal("0.01")):
        raise DocumentError(path, "at most 2 decimal places")
    return amount


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
