"""Warnings about a valid rule: things a merchant may save on purpose but probably did not mean.

A warning never blocks a save (the validator refuses what is wrong; this names what is
suspicious): a trigger that a higher-priority one always takes the place of, conditions that can
never hold together, a chat prompt without button text, times longer than visits last.

Pure: the caller hands in the rule and the shop's other stored rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..validation import join
from .conditions import LEAF_KINDS, Combination, Leaf, Negation, Node, possible_page_types
from .context import SLOT_OF_ACTION, ActionType
from .engine import StoredRule
from .rules import Rule
from .vocabulary import LEAF_INPUTS

__all__ = ["LONGEST_PAGE_SECONDS", "LONGEST_VISIT_SECONDS", "RuleWarning", "rule_warnings"]

# Beyond these a visitor has gone (or left the tab) in practice; the bound is a warning only.
LONGEST_PAGE_SECONDS = 30 * 60
LONGEST_VISIT_SECONDS = 2 * 3600
_LONGEST = {"timeOnPage": LONGEST_PAGE_SECONDS, "timeOnSite": LONGEST_VISIT_SECONDS}
_NUMERIC = ("time", "count", "amount")
_SLOT_WORDS = {"bar": "the bar", "bubble": "the bubble"}


@dataclass(frozen=True)
class RuleWarning:
    code: str  # shadowed | never_holds | missing_cta | longer_than_visit
    field: str  # the document path it is about ("" for the whole trigger)
    message: str
    trigger_id: str | None = None  # the other trigger it names (shadowed)


def rule_warnings(
    rule: Rule, others: Sequence[StoredRule], own_id: str | None = None
) -> list[RuleWarning]:
    """Every warning about `rule`, compared with the shop's `others` (its own id skipped)."""
    return [
        *_never_holds(rule.when, "when"),
        *_missing_cta(rule),
        *_too_long(rule.when, "when"),
        *_shadowed(rule, [o for o in others if o.id != own_id]),
    ]


def _named(key: str) -> str:
    """A condition as the editor labels it (“Cart value”), not its document key."""
    return f"“{LEAF_INPUTS[key][0]}”" if key in LEAF_INPUTS else key


# ---- conditions that can never hold ----


def _never_holds(node: Node, path: str) -> Iterator[RuleWarning]:
    if isinstance(node, Negation):
        yield from _never_holds(node.part, join(path, "not"))
        return
    if isinstance(node, Leaf):
        if _leaf_interval(node) is None:
            yield RuleWarning(
                "never_holds", join(path, node.key), f"{_named(node.key)} can never hold"
            )
        return
    base = join(path, node.op)
    for index, part in enumerate(node.parts):
        yield from _never_holds(part, join(base, index))
    if node.op == "all":
        yield from _conflicts(node, base)


def _conflicts(node: Combination, path: str) -> Iterator[RuleWarning]:
    """Leaves of one `all` on the same fact whose ranges or sets do not meet."""
    leaves = [(i, p) for i, p in enumerate(node.parts) if isinstance(p, Leaf)]
    for key in dict.fromkeys(leaf.key for _, leaf in leaves):
        same = [(i, leaf) for i, leaf in leaves if leaf.key == key]
        if len(same) > 1 and not _can_meet([leaf for _, leaf in same]):
            where = join(join(path, same[-1][0]), key)
            yield RuleWarning(
                "never_holds", where, f"the {_named(key)} conditions together can never hold"
            )
    if possible_page_types(node) == frozenset():
        yield RuleWarning("never_holds", path, "no page type satisfies every condition")


def _can_meet(leaves: list[Leaf]) -> bool:
    kind = LEAF_KINDS[leaves[0].key]
    if kind in _NUMERIC:
        intervals = [_leaf_interval(leaf) for leaf in leaves]
        if any(i is None for i in intervals):
            return False
        low = max(i[0] for i in intervals if i is not None)
        high = min(i[1] for i in intervals if i is not None)
        return low <= high
    if all(leaf.op == "in" for leaf in leaves):
        return bool(frozenset.intersection(*(frozenset(leaf.value) for leaf in leaves)))
    if all(leaf.op == "eq" for leaf in leaves):
        return len({leaf.value for leaf in leaves}) == 1
    return True  # patterns: not worth guessing


def _leaf_interval(leaf: Leaf) -> tuple[float, float] | None:
    """The closed range of values a numeric leaf accepts (facts are never negative), None when
    empty; (0, inf) for leaves that are not numeric."""
    if LEAF_KINDS[leaf.key] not in _NUMERIC:
        return (0.0, math.inf) if leaf.op != "in" or leaf.value else None
    step = 1.0 if LEAF_KINDS[leaf.key] == "count" else 1e-4
    value = leaf.value
    if leaf.op == "between":
        low, high = value
    else:
        low, high = {
            "gte": (value, math.inf),
            "gt": (value + step, math.inf),
            "lte": (0.0, value),
            "lt": (0.0, value - step),
            "eq": (value, value),
        }[leaf.op]
    low, high = max(float(low), 0.0), float(high)
    return (low, high) if low <= high else None


# ---- the chat prompt's button ----


def _missing_cta(rule: Rule) -> Iterator[RuleWarning]:
    show = rule.show
    if show.type != ActionType.CHAT_PROMPT:
        return
    if not show.cta:
        yield RuleWarning(
            "missing_cta", "show.cta", "the chat prompt has no button text, so it has no button"
        )
        return
    missing = [lang for lang in show.message if lang not in show.cta]
    if missing:
        yield RuleWarning(
            "missing_cta",
            join("show.cta", missing[0]),
            f"no button text in {', '.join(missing)}; those visitors get another language's",
        )


# ---- times no visit lasts ----


def _too_long(node: Node, path: str) -> Iterator[RuleWarning]:
    for leaf, where in _leaves(node, path):
        longest = _LONGEST.get(leaf.key)
        interval = _leaf_interval(leaf)
        if longest is not None and interval is not None and interval[0] > longest:
            yield RuleWarning(
                "longer_than_visit",
                join(where, leaf.op),
                f"{_named(leaf.key)} waits for {_duration(interval[0])}; visits rarely last over "
                f"{_duration(longest)}, so it will seldom show",
            )


def _leaves(node: Node, path: str) -> Iterator[tuple[Leaf, str]]:
    if isinstance(node, Leaf):
        yield node, join(path, node.key)
    elif isinstance(node, Combination):
        for index, part in enumerate(node.parts):
            yield from _leaves(part, join(join(path, node.op), index))
    # a negated time ("not timeOnPage gte 3600") holds early, so it is no long wait


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


# ---- shadowed by a higher priority ----


def _shadowed(rule: Rule, others: Iterable[StoredRule]) -> Iterator[RuleWarning]:
    """A higher-priority enabled trigger in the same slot, on every channel of this one, within
    the same schedule, whose conditions hold whenever this one's do: it always wins the slot."""
    slot = SLOT_OF_ACTION.get(rule.show.type)
    mine = _conjuncts(rule.when)
    for other in others:
        theirs = other.rule
        if (
            theirs.enabled
            and theirs.priority > rule.priority
            and SLOT_OF_ACTION.get(theirs.show.type) == slot
            and _covers_channels(theirs.channels, rule.channels)
            and (theirs.schedule is None or theirs.schedule == rule.schedule)
            and all(_implied(part, mine) for part in _conjuncts(theirs.when))
        ):
            yield RuleWarning(
                "shadowed",
                "priority",
                f"“{theirs.name}” (priority {theirs.priority}) takes {_SLOT_WORDS.get(str(slot))}"
                f" whenever this trigger's conditions hold, so this one never shows",
                other.id,
            )


def _covers_channels(theirs: tuple[str, ...], mine: tuple[str, ...]) -> bool:
    return not theirs or (bool(mine) and set(mine) <= set(theirs))


def _conjuncts(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Combination) and node.op == "all":
        return tuple(c for part in node.parts for c in _conjuncts(part))
    return (node,)


def _implied(condition: Node, known: tuple[Node, ...]) -> bool:
    """Whether `condition` holds whenever every node of `known` does (a safe underestimate)."""
    if any(condition == k for k in known):
        return True
    if isinstance(condition, Combination):
        parts = [_implied(p, known) for p in condition.parts]
        return all(parts) if condition.op == "all" else any(parts)
    if isinstance(condition, Leaf):
        return any(isinstance(k, Leaf) and _leaf_implies(k, condition) for k in known)
    return False


def _leaf_implies(known: Leaf, condition: Leaf) -> bool:
    if known.key != condition.key:
        return False
    if known.op == "in" and condition.op == "in":
        return set(known.value) <= set(condition.value)
    if LEAF_KINDS[known.key] in _NUMERIC:
        inner, outer = _leaf_interval(known), _leaf_interval(condition)
        return (
            inner is not None and outer is not None and outer[0] <= inner[0] <= inner[1] <= outer[1]
        )
    return known == condition
