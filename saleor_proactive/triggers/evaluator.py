"""Conditions compiled once, at parse time, into closures that are cheap to call per request.

Each compiled condition answers `test(context, facts) -> Intervals` (when it holds, see
`intervals.py`) and, only when a reason is wanted, `explain(context, facts) -> str`.
"""

from __future__ import annotations

from . import intervals as iv
from .conditions import Combination, Negation, Node
from .context import StoreFacts, VisitorContext
from .leaves import Compiled, Explain, Test, compile_leaf, remaining_to_free_shipping

__all__ = ["Compiled", "compile_node", "remaining_to_free_shipping"]


def compile_node(node: Node) -> Compiled:
    if isinstance(node, Combination):
        return _compile_combination(node)
    if isinstance(node, Negation):
        return _compile_negation(node)
    return compile_leaf(node)


def _compile_combination(node: Combination) -> Compiled:
    parts = [compile_node(p) for p in node.parts]
    # Conditions are pure, so the cheapest go first; reasons still follow the merchant's order.
    # `all` inside `all` (and `any` inside `any`) is tested as one flat list: same meaning,
    # one closure call less per level.
    flat: list[Compiled] = []
    for part_node, part in zip(node.parts, parts, strict=True):
        if isinstance(part_node, Combination) and part_node.op == node.op:
            flat.extend(compile_node(p) for p in _flattened(part_node))
        else:
            flat.append(part)
    tests = tuple(p.test for p in sorted(flat, key=lambda p: (p.timed, p.cost)))
    text = f"{node.op} of ({', '.join(p.text for p in parts)})"
    timed = any(p.timed for p in parts)
    cost = sum(p.cost for p in parts)
    if node.op == "all":
        test = _all_test(tests) if timed else _all_now_test(tests)
        return Compiled(test, _all_explain(parts), text, timed, cost)
    test = _any_test(tests) if timed else _any_now_test(tests)
    return Compiled(test, _any_explain(parts), text, timed, cost)


def _flattened(node: Combination) -> list[Node]:
    parts: list[Node] = []
    for part in node.parts:
        if isinstance(part, Combination) and part.op == node.op:
            parts.extend(_flattened(part))
        else:
            parts.append(part)
    return parts


def _all_now_test(tests: tuple[Test, ...]) -> Test:
    """`all` of conditions that hold now or never: a plain short-circuit."""
    always, never = iv.ALWAYS, iv.NEVER

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        for part in tests:
            if not part(c, f):
                return never
        return always

    return test


def _any_now_test(tests: tuple[Test, ...]) -> Test:
    always, never = iv.ALWAYS, iv.NEVER

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        for part in tests:
            if part(c, f):
                return always
        return never

    return test


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

    inner_test, always, never = inner.test, iv.ALWAYS, iv.NEVER

    def test(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        held = inner_test(c, f)
        if held is always:
            return never
        return always if not held else iv.complement(held)

    def test_now(c: VisitorContext, f: StoreFacts) -> iv.Intervals:
        return never if inner_test(c, f) else always

    def explain(c: VisitorContext, f: StoreFacts) -> str:
        return f"{inner.text} holds, and the rule says not"

    return Compiled(test if inner.timed else test_now, explain, text, inner.timed, inner.cost)
