"""Leaf conditions compiled into closures: read one fact, compare it, say why when it fails."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import intervals as iv
from .conditions import LEAF_KINDS, Leaf
from .context import StoreFacts, VisitorContext
from .fast_leaves import Test, fast_test, locale_tag

Explain = Callable[[VisitorContext, StoreFacts], str]
Getter = Callable[[VisitorContext, StoreFacts], Any]
_OP_SIGNS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}


@dataclass(frozen=True)
class Compiled:
    test: Test
    explain: Explain  # why it does not hold; only called when it does not
    text: str  # the condition in words, e.g. "pageType one of checkout"
    timed: bool = False  # depends on the clock (timeOnPage, timeOnSite) somewhere inside
    cost: int = 1  # rough work per test, to try cheap conditions first


def remaining_to_free_shipping(facts: StoreFacts) -> Decimal | None:
    """Threshold minus cart value, never below 0; None without a threshold or a cart."""
    threshold, cart = facts.free_shipping_threshold, facts.cart
    if threshold is None or cart is None or cart.currency != threshold.currency:
        return None
    difference = threshold.amount - cart.value
    if difference != difference:  # NaN: no amount to compare
        return None
    return max(Decimal(0), difference)


# The facts leaves read; time leaves read the clock through `_clock` instead.
GETTERS: dict[str, Getter] = {
    "pageType": lambda c, f: c.page_type,
    "url": lambda c, f: c.url,
    "pagesViewed": lambda c, f: c.pages_viewed,
    "productsViewed": lambda c, f: c.products_viewed,
    "categoriesViewed": lambda c, f: c.categories_viewed,
    "maxViewedProductPrice": lambda c, f: c.max_viewed_product_price,
    # no checkout yet is an empty cart
    "cartValue": lambda c, f: f.cart.value if f.cart is not None else Decimal(0),
    "cartItems": lambda c, f: f.cart.items if f.cart is not None else 0,
    "remainingToFreeShipping": lambda c, f: remaining_to_free_shipping(f),
    "visitCount": lambda c, f: c.visit_count,
    "returning": lambda c, f: c.visit_count > 1,
    "exitIntent": lambda c, f: c.exit_intent,
    "device": lambda c, f: c.device,
    "locale": lambda c, f: locale_tag(c.locale),
    "country": lambda c, f: c.country.upper() if c.country else None,
    "channel": lambda c, f: c.channel,
}
_UNKNOWN_BECAUSE = {
    "maxViewedProductPrice": " (no product viewed)",
    "remainingToFreeShipping": " (no cart or no free-shipping threshold)",
}


def compile_leaf(leaf: Leaf) -> Compiled:
    kind = LEAF_KINDS[leaf.key]
    get = _clock(leaf.key) if kind == "time" else GETTERS[leaf.key]
    unit = " s" if kind == "time" else ""
    needs = _operator_text(leaf, unit)
    test = _time_test(leaf) if kind == "time" else fast_test(leaf, kind)
    cost = 1 if test is not None else 2
    if test is None:
        holds = _predicate(leaf, kind)
        always, never = iv.ALWAYS, iv.NEVER

        def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
            value = get(c, f)
            return always if value is not None and holds(value) else never

    def explain(c: VisitorContext, f: StoreFacts) -> str:
        value = get(c, f)
        if value is None:
            return f"{leaf.key} is unknown{_UNKNOWN_BECAUSE.get(leaf.key, '')}, needs {needs}"
        later = " (can no longer hold)" if kind == "time" else ""
        return f"{leaf.key} is {_value_text(value)}{unit}, needs {needs}{later}"

    return Compiled(test, explain, f"{leaf.key} {needs}", kind == "time", cost)


def _predicate(leaf: Leaf, kind: str) -> Callable[[Any], bool]:
    op, value = leaf.op, leaf.value
    if kind in ("count", "amount"):
        return _numeric_predicate(op, value, kind == "amount")
    if kind == "bool":
        return lambda v: bool(v) is value
    members = frozenset(value)
    return lambda v: v in members


def _numeric_predicate(op: str, value: Any, exact: bool) -> Callable[[Any], bool]:
    def number(x: Any) -> Any:
        return Decimal(str(x)) if exact else x

    if op == "between":
        low, high = number(value[0]), number(value[1])
        return lambda v: low <= v <= high
    bound = number(value)
    predicates: dict[str, Callable[[Any], bool]] = {
        "gte": lambda v: v >= bound,
        "gt": lambda v: v > bound,
        "lte": lambda v: v <= bound,
        "lt": lambda v: v < bound,
        "eq": lambda v: v == bound,
    }
    return predicates[op]


def _time_test(leaf: Leaf) -> Test:
    """Seconds-on-page grow with the clock: turn the condition into the moments it holds.

    `eq n` holds during second n (n ≤ t < n + 1); `gt`/`lt` are 1 ms inside their bound.
    """
    low, high = _time_bounds(leaf.op, leaf.value)

    read = _clock(leaf.key)
    always = iv.ALWAYS

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        now = read(c, f)
        start = 0.0 if low is None else (low - now) * 1000
        if high is None:
            return always if start <= 0 else iv.between(start)
        return iv.between(start, (high - now) * 1000)

    return test


def _clock(key: str) -> Callable[[VisitorContext, StoreFacts], float]:
    """Seconds on page or site as the time leaves see them, in their test and their explanation."""
    read = operator.attrgetter("time_on_page" if key == "timeOnPage" else "time_on_site")

    def seconds(c: VisitorContext, f: StoreFacts) -> float:
        now = float(read(c))
        return now if now >= 0 else 0.0  # NaN or negative from a confused client: starts now

    return seconds


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"  # inf and NaN too
    return str(value)
