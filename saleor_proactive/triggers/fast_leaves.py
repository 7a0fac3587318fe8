"""Specialised leaf tests for the hot path: one closure reading one fact, no generic layers.

Leaves not handled here fall back to the generic getter + predicate in `leaves.py`; both must
agree (the engine's tests run every leaf through whichever applies).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import intervals as iv
from .conditions import Leaf
from .context import StoreFacts, VisitorContext
from .glob import compile_glob
from .texts import normalise_tag

Test = Callable[[VisitorContext, StoreFacts], iv.Intervals]
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
    "eq": operator.eq,
}
# leaves read straight from a context attribute
_CONTEXT_ATTRIBUTES = {
    "pageType": "page_type",
    "pagesViewed": "pages_viewed",
    "productsViewed": "products_viewed",
    "categoriesViewed": "categories_viewed",
    "maxViewedProductPrice": "max_viewed_product_price",
    "visitCount": "visit_count",
    "device": "device",
    "channel": "channel",
    "url": "url",
    "exitIntent": "exit_intent",
}
_ZERO = Decimal(0)


@lru_cache(maxsize=512)
def locale_tag(locale: str | None) -> str | None:
    return normalise_tag(locale) if locale else None


def fast_test(leaf: Leaf, kind: str) -> Test | None:
    """A specialised test for `leaf`, or None when the generic one must do."""
    if leaf.key == "remainingToFreeShipping" and leaf.op in COMPARE:
        return _remaining_test(COMPARE[leaf.op], Decimal(str(leaf.value)))
    if leaf.key == "locale":
        return _locale_test(leaf.value)
    attribute = _CONTEXT_ATTRIBUTES.get(leaf.key)
    if attribute is None:
        return None
    return _attribute_test(leaf, kind, operator.attrgetter(attribute))


def _attribute_test(leaf: Leaf, kind: str, read: Callable[[Any], Any]) -> Test | None:
    always, never = iv.ALWAYS, iv.NEVER
    if leaf.op == "in":
        members = frozenset(leaf.value)
        return lambda c, f: always if read(c) in members else never
    if leaf.op == "matches":
        matches = compile_glob(leaf.value)

        def test_url(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
            value = read(c)
            return always if value is not None and matches(value) else never

        return test_url
    if leaf.op in COMPARE:
        compare = COMPARE[leaf.op]
        bound = Decimal(str(leaf.value)) if kind == "amount" else leaf.value

        def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
            value = read(c)
            return always if value is not None and compare(value, bound) else never

        return test
    return None


def _remaining_test(compare: Callable[[Any, Any], bool], bound: Decimal) -> Test:
    """Same meaning as `leaves.remaining_to_free_shipping`, inlined (a NaN raises upstream)."""
    always, never, zero = iv.ALWAYS, iv.NEVER, _ZERO

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        threshold, cart = f.free_shipping_threshold, f.cart
        if threshold is None or cart is None or cart.currency != threshold.currency:
            return never
        remaining = threshold.amount - cart.value
        if remaining < zero:
            remaining = zero
        return always if compare(remaining, bound) else never

    return test


def _locale_test(tags: tuple[str, ...]) -> Test:
    always, never = iv.ALWAYS, iv.NEVER
    full = frozenset(t for t in tags if "-" in t)
    languages = frozenset(t for t in tags if "-" not in t)

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        tag = locale_tag(c.locale)
        if tag is None:
            return never
        return always if tag in full or tag.split("-", 1)[0] in languages else never

    return test
