"""Conditions compiled once, at parse time, into closures that are cheap to call per request.

Each compiled condition answers `test(context, facts) -> Intervals` (when it holds, see
`intervals.py`) and, only when a reason is wanted, `explain(context, facts) -> str`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import intervals as iv
from .conditions import LEAF_KINDS, Combination, Leaf, Negation, Node
from .context import StoreFacts, VisitorContext
from .glob import compile_glob
from .texts import normalise_tag

Test = Callable[[VisitorContext, StoreFacts], iv.Intervals]
Explain = Callable[[VisitorContext, StoreFacts], str]
Getter = Callable[[VisitorContext, StoreFacts], Any]
_OP_SIGNS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}


@dataclass(frozen=True)
class Compiled:
    test: Test
    explain: Explain  # why it does not hold; only called when it does not
    text: str  # the condition in words, e.g. "pageType one of checkout"


def remaining_to_free_shipping(facts: StoreFacts) -> Decimal | None:
    """Threshold minus cart value, never below 0; None without a threshold or a cart."""
    threshold, cart = facts.free_shipping_threshold, facts.cart
    if threshold is None or cart is None or cart.currency != threshold.currency:
        return None
    return max(Decimal(0), threshold.amount - cart.value)


@lru_cache(maxsize=512)
def _tag(locale: str | None) -> str | None:
    return normalise_tag(locale) if locale else None


GETTERS: dict[str, Getter] = {
    "pageType": lambda c, f: c.page_type,
    "url": lambda c, f: c.url,
    "timeOnPage": lambda c, f: c.time_on_page,
    "timeOnSite": lambda c, f: c.time_on_site,
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
    "locale": lambda c, f: _tag(c.locale),
    "country": lambda c, f: c.country.upper() if c.country else None,
    "channel": lambda c, f: c.channel,
}
_UNKNOWN_BECAUSE = {
    "maxViewedProductPrice": " (no product viewed)",
    "remainingToFreeShipping": " (no cart or no free-shipping threshold)",
}


def compile_node(node: Node) -> Compiled:
    if isinstance(node, Combination):
        return _compile_combination(node)
    if isinstance(node, Negation):
        return _compile_negation(node)
    return _compile_leaf(node)


def _compile_combination(node: Combination) -> Compiled:
    parts = [compile_node(p) for p in node.parts]
    tests = tuple(p.test for p in parts)
    text = f"{node.op} of ({', '.join(p.text for p in parts)})"
    if node.op == "all":
        return Compiled(_all_test(tests), _all_explain(parts), text)
    return Compiled(_any_test(tests), _any_explain(parts), text)


def _all_test(tests: tuple[Test, ...]) -> Test:
    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        result = iv.ALWAYS
        for part in tests:
            held = part(c, f)
            if not held:
                return iv.NEVER
            if held is not iv.ALWAYS:
                result = held if result is iv.ALWAYS else iv.intersect(result, held)
                if not result:
                    return iv.NEVER
        return result

    return test


def _any_test(tests: tuple[Test, ...]) -> Test:
    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        result = iv.NEVER
        for part in tests:
            held = part(c, f)
            if held is iv.ALWAYS:
                return held
            if held:
                result = iv.unite(result, held)
        return result

    return test


def _all_explain(parts: list[Compiled]) -> Explain:
    def explain(c: VisitorContext, f: StoreFacts) -> str:
        for part in parts:
            if not part.test(c, f):
                return part.explain(c, f)
        return "the time conditions can never hold at the same moment"

    return explain


def _any_explain(parts: list[Compiled]) -> Explain:
    def explain(c: VisitorContext, f: StoreFacts) -> str:
        return "none of these holds: " + "; ".join(p.explain(c, f) for p in parts)

    return explain


def _compile_negation(node: Negation) -> Compiled:
    inner = compile_node(node.part)
    text = f"not ({inner.text})"

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        held = inner.test(c, f)
        if held is iv.ALWAYS:
            return iv.NEVER
        return iv.ALWAYS if not held else iv.complement(held)

    def explain(c: VisitorContext, f: StoreFacts) -> str:
        return f"{inner.text} holds, and the rule says not"

    return Compiled(test, explain, text)


def _compile_leaf(leaf: Leaf) -> Compiled:
    kind = LEAF_KINDS[leaf.key]
    get = GETTERS[leaf.key]
    unit = " s" if kind == "time" else ""
    text = f"{leaf.key} {_operator_text(leaf, unit)}"
    if kind == "time":
        test = _time_test(leaf, get)
    else:
        holds = _predicate(leaf, kind)

        def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
            value = get(c, f)
            return iv.ALWAYS if value is not None and holds(value) else iv.NEVER

    needs = _operator_text(leaf, unit)

    def explain(c: VisitorContext, f: StoreFacts) -> str:
        value = get(c, f)
        if value is None:
            return f"{leaf.key} is unknown{_UNKNOWN_BECAUSE.get(leaf.key, '')}, needs {needs}"
        later = " (can no longer hold)" if kind == "time" else ""
        return f"{leaf.key} is {_value_text(value)}{unit}, needs {needs}{later}"

    return Compiled(test, explain, text)


def _predicate(leaf: Leaf, kind: str) -> Callable[[Any], bool]:
    op, value = leaf.op, leaf.value
    if kind in ("count", "amount"):
        return _numeric_predicate(op, value, kind == "amount")
    if kind == "bool":
        return lambda v: bool(v) is value
    if kind == "url":
        if op == "eq":
            return lambda v: v == value
        return compile_glob(value)
    if kind == "locale":
        full = frozenset(t for t in value if "-" in t)
        languages = frozenset(t for t in value if "-" not in t)
        return lambda v: v in full or v.split("-", 1)[0] in languages
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


def _time_test(leaf: Leaf, get: Getter) -> Test:
    """Seconds-on-page grow with the clock: turn the condition into the moments it holds.

    `eq n` holds during second n (n ≤ t < n + 1); `gt`/`lt` are 1 ms inside their bound.
    """
    op, value = leaf.op, leaf.value
    low, high = {
        "gte": (value, None),
        "gt": (value + 0.001, None),
        "lte": (None, value),
        "lt": (None, value - 0.001),
        "eq": (value, value + 0.999),
        "between": (
            value[0] if isinstance(value, tuple) else 0,
            value[1] if isinstance(value, tuple) else 0,
        ),
    }[op]

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        now = float(get(c, f))
        start = 0.0 if low is None else (low - now) * 1000
        if high is None:
            return iv.ALWAYS if start <= 0 else ((start, iv.ALWAYS[0][1]),)
        return iv.between(start, (high - now) * 1000)

    return test


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
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value)
