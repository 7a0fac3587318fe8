"""Leaf conditions compiled into closures: read one fact, compare it, say why when it fails.

Each leaf has one reader (`READERS`) and one predicate, and its test and its explanation both
go through that reader, so what is tested and what is explained cannot differ. A fact the
reader cannot know (None) makes the leaf false. A NaN amount raises ArithmeticError at the
first comparison, and the engine then holds the whole rule as not holding.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from . import intervals as iv
from .conditions import ANY_OF_LEAVES, LEAF_KINDS, Leaf
from .context import StoreFacts, VisitorContext
from .glob import compile_glob
from .texts import normalise_tag

Test = Callable[[VisitorContext, StoreFacts], iv.Intervals]
Explain = Callable[[VisitorContext, StoreFacts], str]
Reader = Callable[[VisitorContext, StoreFacts], Any]
Predicate = Callable[[Any], bool]
_OP_SIGNS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}
# `partial(le, bound)(value)` is `bound <= value`, i.e. `value >= bound`: one C call per test
_BOUND_FIRST = {
    "gte": operator.le,
    "gt": operator.lt,
    "lte": operator.ge,
    "lt": operator.gt,
    "eq": operator.eq,
}
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Compiled:
    test: Test
    explain: Explain  # why it does not hold; only called when it does not
    text: str  # the condition in words, e.g. "pageType one of checkout"
    timed: bool = False  # depends on the clock (timeOnPage, timeOnSite) somewhere inside
    cost: int = 1  # rough work per test, to try cheap conditions first


def remaining_to_free_shipping(facts: StoreFacts) -> Decimal | None:
    """Threshold minus cart value, never below 0; None without a threshold or a cart in its
    currency. A NaN amount raises ArithmeticError, as any comparison with it does."""
    threshold, cart = facts.free_shipping_threshold, facts.cart
    if threshold is None or cart is None or cart.currency != threshold.currency:
        return None
    return max(_ZERO, threshold.amount - cart.value)


@lru_cache(maxsize=512)
def locale_tag(locale: str | None) -> str | None:
    return normalise_tag(locale) if locale else None


def _clock(attribute: str) -> Reader:
    """Seconds on page or site; a NaN or negative time from a confused client starts now."""
    read = operator.attrgetter(attribute)

    def seconds(c: VisitorContext, f: StoreFacts) -> float:
        now = float(read(c))
        return now if now >= 0 else 0.0

    return seconds


READERS: dict[str, Reader] = {
    "pageType": lambda c, f: c.page_type,
    "url": lambda c, f: c.url,
    "timeOnPage": _clock("time_on_page"),
    "timeOnSite": _clock("time_on_site"),
    "pagesViewed": lambda c, f: c.pages_viewed,
    "productsViewed": lambda c, f: c.products_viewed,
    "categoriesViewed": lambda c, f: c.categories_viewed,
    "maxViewedProductPrice": lambda c, f: c.max_viewed_product_price,
    # no checkout yet is an empty cart
    "cartValue": lambda c, f: f.cart.value if f.cart is not None else _ZERO,
    "cartItems": lambda c, f: f.cart.items if f.cart is not None else 0,
    "remainingToFreeShipping": lambda c, f: remaining_to_free_shipping(f),
    "visitCount": lambda c, f: c.visit_count,
    "returning": lambda c, f: c.visit_count > 1,
    "exitIntent": lambda c, f: c.exit_intent,
    "device": lambda c, f: c.device,
    "locale": lambda c, f: locale_tag(c.locale),
    "country": lambda c, f: c.country.upper() if c.country else None,
    "channel": lambda c, f: c.channel,
    "category": lambda c, f: c.page_category_id,
    "viewedCategory": lambda c, f: c.viewed_category_ids,
    "viewedProduct": lambda c, f: c.viewed_product_ids,
    "cartContains": lambda c, f: f.cart.product_ids if f.cart is not None else (),
}
_UNKNOWN_BECAUSE = {
    "category": " (not a category or product page, or its category is not known)",
    "maxViewedProductPrice": " (no product viewed)",
    "remainingToFreeShipping": " (no cart or no free-shipping threshold)",
}


def compile_leaf(leaf: Leaf) -> Compiled:
    kind = LEAF_KINDS[leaf.key]
    read = READERS[leaf.key]
    timed = kind == "time"
    unit = " s" if timed else ""
    needs = _operator_text(leaf, unit)
    test = _time_test(leaf, read) if timed else _fact_test(read, _predicate(leaf, kind))

    def explain(c: VisitorContext, f: StoreFacts) -> str:
        value = read(c, f)
        if value is None:
            return f"{leaf.key} is unknown{_UNKNOWN_BECAUSE.get(leaf.key, '')}, needs {needs}"
        later = " (can no longer hold)" if timed else ""
        return f"{leaf.key} is {_value_text(value)}{unit}, needs {needs}{later}"

    cost = 2 if leaf.op == "matches" else 1  # a pattern scans the URL
    return Compiled(test, explain, f"{leaf.key} {needs}", timed, cost)


def _fact_test(read: Reader, holds: Predicate) -> Test:
    always, never = iv.ALWAYS, iv.NEVER

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        value = read(c, f)
        return always if value is not None and holds(value) else never

    return test


def _predicate(leaf: Leaf, kind: str) -> Predicate:
    op, value = leaf.op, leaf.value
    if op == "in" and leaf.key in ANY_OF_LEAVES:
        wanted = frozenset(value)
        return lambda ids: not wanted.isdisjoint(ids)
    if op == "in":
        return _locale_in(value) if kind == "locale" else frozenset(value).__contains__
    if op == "matches":
        return compile_glob(value)
    if kind == "bool":
        return operator.truth if value else operator.not_

    def bound(number: Any) -> Any:
        return Decimal(str(number)) if kind == "amount" else number  # amounts compare exactly

    if op == "between":
        low, high = bound(value[0]), bound(value[1])
        return lambda v: low <= v <= high
    return partial(_BOUND_FIRST[op], bound(value))


def _locale_in(tags: tuple[str, ...]) -> Predicate:
    """`es` takes any `es-*`; `es-MX` only that region."""
    full = frozenset(t for t in tags if "-" in t)
    languages = frozenset(t for t in tags if "-" not in t)
    return lambda tag: tag in full or tag.split("-", 1)[0] in languages


def _time_test(leaf: Leaf, read: Reader) -> Test:
    """Seconds-on-page grow with the clock: turn the condition into the moments it holds.

    `eq n` holds during second n (n ≤ t < n + 1); `gt`/`lt` are 1 ms inside their bound.
    """
    low, high = _time_bounds(leaf.op, leaf.value)
    always = iv.ALWAYS

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        now = read(c, f)
        start = 0.0 if low is None else (low - now) * 1000
        if high is None:
            return always if start <= 0 else iv.between(start)
        return iv.between(start, (high - now) * 1000)

    return test


def _time_bounds(op: str, value: Any) -> tuple[float | None, float | None]:
    """The seconds from which and until which a time condition holds (None: unbounded)."""
    if op == "between":
        return value[0], value[1]
    if op == "gte":
        return value, None
    if op == "gt":
        return value + 0.001, None
    if op == "lte":
        return None, value
    if op == "lt":
        return None, value - 0.001
    return value, value + 0.999  # eq


def _operator_text(leaf: Leaf, unit: str) -> str:
    if leaf.op == "between":
        return f"between {_value_text(leaf.value[0])} and {_value_text(leaf.value[1])}{unit}"
    if leaf.op == "in":
        return "one of " + ", ".join(leaf.value)
    if leaf.op == "matches":
        return f"matching {leaf.value}"
    if isinstance(leaf.value, bool):
        return "true" if leaf.value else "false"
    return f"{_OP_SIGNS[leaf.op]} {_value_text(leaf.value)}{unit}"


def _value_text(value: Any) -> str:
    if isinstance(value, tuple | frozenset):  # the ids a collection leaf read
        return ", ".join(sorted(value)) if value else "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"  # inf and NaN too
    return str(value)
