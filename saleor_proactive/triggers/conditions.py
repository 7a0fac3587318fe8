"""The `when` part of a rule: combinators and leaves, parsed into a small immutable tree.

A leaf is one key with one operator object, e.g. `{"timeOnPage": {"gte": 60}}`. The boolean
leaves (`returning`, `exitIntent`) also accept a bare boolean, normalised to `{"eq": true}`.

Meaning of the facts: times in seconds; amounts in the channel's currency (at most 4 decimals).
Without a checkout `cartValue` and `cartItems` are 0. A fact that is unknown (no product viewed
for `maxViewedProductPrice`, no threshold or cart for `remainingToFreeShipping`, no locale...)
makes its leaf false, so `not` of it is true. `locale: {"in": ["es"]}` matches any `es-*`;
`"es-MX"` matches only that region. `url` compares the whole URL, case-sensitively.

The catalogue leaves (CONTRACT §4.1) take Saleor global ids: `category` (the current page's
category: the category page itself, or the product on it), `viewedCategory` / `viewedProduct`
(any product viewed this session is in one of those categories / is one of those products) and
`cartContains` (a product in the checkout as Saleor reported it). Their `in` takes 1 to 100 ids;
an id the catalogue does not know simply never matches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..validation import DocumentError, expect_list, expect_object, join, type_name
from .texts import normalise_tag, refuse_unstorable
from .vocabulary import CATALOGUE_LEAVES, CATEGORY_IDS, DEVICES, PAGE_TYPES, PRODUCT_IDS

MAX_CONDITIONS = 100
MAX_DEPTH = 10
MAX_SET_VALUES = 50
MAX_ID_VALUES = 100
MAX_ID_CHARS = 128
MAX_NUMBER = 1_000_000_000_000
# Seconds: a time condition becomes `showAfterMs`, which browsers' setTimeout takes only up to
# 2^31 - 1 ms (24.8 days; beyond it they fire at once). A week is more than any visit lasts.
MAX_TIME_SECONDS = 7 * 24 * 3600
MAX_URL_PATTERN = 2000
COMBINATORS = ("all", "any", "not")
NUMERIC_OPS = ("gte", "gt", "lte", "lt", "eq", "between")

# kind of every leaf: time (seconds, becomes showAfterMs), count, amount, bool, set kinds, url
LEAF_KINDS: dict[str, str] = {
    "pageType": "pageType",
    "url": "url",
    "timeOnPage": "time",
    "timeOnSite": "time",
    "pagesViewed": "count",
    "productsViewed": "count",
    "categoriesViewed": "count",
    "maxViewedProductPrice": "amount",
    "cartValue": "amount",
    "cartItems": "count",
    "remainingToFreeShipping": "amount",
    "visitCount": "count",
    "returning": "bool",
    "exitIntent": "bool",
    "device": "device",
    "locale": "locale",
    "country": "country",
    "channel": "channel",
    **CATALOGUE_LEAVES,
}
# Leaves whose fact is a collection of ids: they hold when any of them is in the list.
ANY_OF_LEAVES = frozenset(("viewedCategory", "viewedProduct", "cartContains"))
ID_KINDS = (CATEGORY_IDS, PRODUCT_IDS)
OPERATORS: dict[str, tuple[str, ...]] = {
    "time": NUMERIC_OPS,
    "count": NUMERIC_OPS,
    "amount": NUMERIC_OPS,
    "bool": ("eq",),
    "url": ("matches", "eq"),
    "pageType": ("in",),
    "device": ("in",),
    "locale": ("in",),
    "country": ("in",),
    "channel": ("in",),
    CATEGORY_IDS: ("in",),
    PRODUCT_IDS: ("in",),
}
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,255}")
# A Saleor global id as its API returns it: base64 of "Type:pk" (URL-safe variants too)
_GLOBAL_ID = re.compile(rf"[A-Za-z0-9+/=_-]{{1,{MAX_ID_CHARS}}}")


@dataclass(frozen=True)
class Leaf:
    key: str
    op: str
    value: Any  # number, (a, b), bool, str, or tuple of str, as in the normalised document


@dataclass(frozen=True)
class Combination:
    op: str  # "all" | "any"
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Negation:
    part: Node


Node = Leaf | Combination | Negation


class _Budget:
    """Counts conditions so a huge document is refused at the first one over the limit."""

    def __init__(self) -> None:
        self.used = 0

    def take(self, path: str) -> None:
        self.used += 1
        if self.used > MAX_CONDITIONS:
            raise DocumentError(path, f"at most {MAX_CONDITIONS} conditions in a rule")


def parse_when(value: object, path: str = "when") -> Node:
    return _parse_node(value, path, 1, _Budget())


def _parse_node(value: object, path: str, depth: int, budget: _Budget) -> Node:
    if depth > MAX_DEPTH:
        raise DocumentError(path, f"conditions nest at most {MAX_DEPTH} levels deep")
    obj = expect_object(value, path)
    if len(obj) != 1:
        keys = ", ".join(str(k) for k in obj) or "none"
        raise DocumentError(path, f"a condition has exactly one key, got {keys}")
    ((key, body),) = obj.items()
    budget.take(path)
    if key in ("all", "any"):
        parts = expect_list(body, join(path, key))
        if not parts:
            raise DocumentError(join(path, key), f"`{key}` needs at least one condition")
        if len(parts) > MAX_CONDITIONS:
            raise DocumentError(join(path, key), f"at most {MAX_CONDITIONS} conditions in a rule")
        nodes = tuple(
            _parse_node(p, join(join(path, key), i), depth + 1, budget) for i, p in enumerate(parts)
        )
        return Combination(key, nodes)
    if key == "not":
        return Negation(_parse_node(body, join(path, key), depth + 1, budget))
    if not isinstance(key, str) or key not in LEAF_KINDS:
        known = ", ".join((*COMBINATORS, *LEAF_KINDS))
        raise DocumentError(join(path, str(key)), f"unknown condition; use one of {known}")
    return _parse_leaf(key, body, join(path, key))


def _parse_leaf(key: str, body: object, path: str) -> Leaf:
    kind = LEAF_KINDS[key]
    if kind == "bool" and isinstance(body, bool):
        return Leaf(key, "eq", body)
    obj = expect_object(body, path)
    allowed = OPERATORS[kind]
    if len(obj) != 1:
        ops = ", ".join(str(k) for k in obj) or "none"
        raise DocumentError(path, f"needs exactly one operator of {', '.join(allowed)}; got {ops}")
    ((op, operand),) = obj.items()
    if op not in allowed:
        raise DocumentError(
            join(path, str(op)), f"unknown operator for {key}; use {', '.join(allowed)}"
        )
    op_path = join(path, op)
    if kind in ("time", "count", "amount"):
        return Leaf(key, op, _parse_numeric(kind, op, operand, op_path))
    if kind == "bool":
        if not isinstance(operand, bool):
            raise DocumentError(op_path, f"must be true or false, got {type_name(operand)}")
        return Leaf(key, op, operand)
    if kind == "url":
        return Leaf(key, op, _parse_url(op, operand, op_path))
    return Leaf(key, op, _parse_set(kind, operand, op_path))


def _parse_numeric(kind: str, op: str, operand: object, path: str) -> Any:
    if op != "between":
        return _number(kind, operand, path)
    pair = expect_list(operand, path)
    if len(pair) != 2:
        raise DocumentError(path, "needs two numbers [low, high]")
    low = _number(kind, pair[0], join(path, 0))
    high = _number(kind, pair[1], join(path, 1))
    if low > high:
        raise DocumentError(path, f"low ({low}) must not exceed high ({high})")
    return (low, high)


def _number(kind: str, value: object, path: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DocumentError(path, f"must be a number, got {type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise DocumentError(path, "must be a finite number")
    if value < 0:
        raise DocumentError(path, "must not be negative")
    limit = MAX_TIME_SECONDS if kind == "time" else MAX_NUMBER
    if value > limit:
        raise DocumentError(path, f"must be at most {limit}")
    if kind == "count" and value != int(value):
        raise DocumentError(path, "must be a whole number")
    # amounts are compared as decimals; refuse what a currency cannot express
    if kind == "amount" and Decimal(str(value)).as_tuple().exponent < -4:  # type: ignore[operator]
        raise DocumentError(path, "at most 4 decimal places")
    return value


def _parse_url(op: str, operand: object, path: str) -> str:
    if not isinstance(operand, str):
        raise DocumentError(path, f"must be a string, got {type_name(operand)}")
    if not operand or len(operand) > MAX_URL_PATTERN:
        raise DocumentError(path, f"must be 1 to {MAX_URL_PATTERN} characters")
    refuse_unstorable(operand, path)
    return operand


def _parse_set(kind: str, operand: object, path: str) -> tuple[str, ...]:
    values = expect_list(operand, path)
    if not values:
        raise DocumentError(path, "needs at least one value")
    limit = MAX_ID_VALUES if kind in ID_KINDS else MAX_SET_VALUES
    if len(values) > limit:
        raise DocumentError(path, f"at most {limit} values")
    result: list[str] = []
    for i, raw in enumerate(values):
        value = _set_value(kind, raw, join(path, i))
        if value not in result:
            result.append(value)
    return tuple(result)


def _set_value(kind: str, raw: object, path: str) -> str:
    if not isinstance(raw, str):
        raise DocumentError(path, f"must be a string, got {type_name(raw)}")
    if kind == "pageType" and raw not in PAGE_TYPES:
        raise DocumentError(path, f"unknown page type; use one of {', '.join(PAGE_TYPES)}")
    if kind == "device" and raw not in DEVICES:
        raise DocumentError(path, f"unknown device; use one of {', '.join(DEVICES)}")
    if kind == "locale":
        tag = normalise_tag(raw)
        if tag is None:
            raise DocumentError(path, "not a language tag like es or es-MX")
        return tag
    if kind == "country":
        if not _COUNTRY.fullmatch(raw):
            raise DocumentError(path, "not a two-letter country code like ES")
        return raw.upper()
    if kind == "channel" and not _SLUG.fullmatch(raw):
        raise DocumentError(path, "not a channel slug")
    if kind in ID_KINDS and not _GLOBAL_ID.fullmatch(raw):
        what = "category" if kind == CATEGORY_IDS else "product"
        raise DocumentError(
            path, f"not a Saleor {what} id (global id, 1 to {MAX_ID_CHARS} characters)"
        )
    return raw


def possible_page_types(node: Node) -> frozenset[str] | None:
    """The page types on which `node` can hold at all, or None when it can hold on any.

    Page type is fixed for an evaluation (time conditions only wait on the same page), so a
    rule whose `when` requires, say, `pageType in [checkout]` is never true elsewhere, and the
    engine's index can skip it there without evaluating it.
    """
    if isinstance(node, Leaf):
        return frozenset(node.value) if node.key == "pageType" else None
    if isinstance(node, Negation):
        return None  # "not on the FAQ page" still leaves every other page
    parts = [possible_page_types(part) for part in node.parts]
    if node.op == "all":
        known = [types for types in parts if types is not None]
        return frozenset.intersection(*known) if known else None
    alternatives = [types for types in parts if types is not None]
    if len(alternatives) < len(parts):
        return None  # one alternative holds on any page
    return frozenset[str]().union(*alternatives)


def node_document(node: Node) -> dict[str, Any]:
    """The normalised document of a parsed condition (parses back to an equal tree)."""
    if isinstance(node, Combination):
        return {node.op: [node_document(p) for p in node.parts]}
    if isinstance(node, Negation):
        return {"not": node_document(node.part)}
    value = node.value
    if isinstance(value, tuple):
        value = list(value)
    return {node.key: {node.op: value}}
