"""The decision engine: which actions a visitor sees now, and why each trigger did or did not.

Pure and fast: no I/O; conditions were compiled when the rule was parsed.

Semantics (CONTRACT §3.2, §4):
- A trigger *fires* when it is enabled, for this channel, its conditions hold now or after
  `showAfterMs`, it is inside its schedule, and (for a free-shipping notice) a threshold and a
  cart exist. Time conditions become `showAfterMs`: the first moment the whole `when` holds.
- A fired trigger competes for its slot unless its frequency cap or cooldown forbids it, or
  (bubble only) a prompt was dismissed within the store's quiet period; it then stays
  `fired=True, shown=False` with the reason. The bar is informational and only limited by its
  own frequency.
- One action per slot: highest priority, then soonest `showAfterMs`, then lowest id.
- A trigger in preview (`status: "preview"`) exists only for a context marked `preview` (the
  merchant's browser); there, hold-out does not apply, so the merchant always sees the winner.
- Hold-out: when the slot winner's visitor is in its control group, the outcome is recorded
  (`holdout=True`) and the slot stays empty. Giving the slot to the next trigger would make the
  control group measure "this trigger versus another" instead of "this trigger versus nothing".
  Membership: the first 8 bytes of sha256("<trigger id>:<visitor id>") mod 10,000, below
  100 x `holdoutPercent`. A held-out outcome keeps `show_after_ms`, so a caller can tell a
  prompt that would have shown at once from one that needed the visitor to stay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .comparison import comparison_decision, comparison_problem
from .context import (
    SLOT_OF_ACTION,
    ActionType,
    Decision,
    Evaluation,
    Slot,
    StoreFacts,
    TriggerOutcome,
    VisitorContext,
)
from .intervals import ALWAYS, NEVER, Intervals, first_moment_ms
from .leaves import Test
from .localise import pick_text
from .notice import notice_decision, notice_problem
from .offer_action import offer_decision, offer_problem
from .rules import Rule

__all__ = ["RuleBook", "StoredRule", "evaluate", "holdout_bucket"]


@dataclass(frozen=True)
class StoredRule:
    id: str
    rule: Rule


class RuleBook(tuple[StoredRule, ...]):
    """A shop's rules, indexed by what every request knows at once: channel and page type.

    Most rules are page-specific (checkout, contact, product...), so on a given page only a
    few can hold; the storefront's evaluation looks at those only. Build one per rule set and
    keep it (the visitor API does, per trigger revision); the index fills as pages are seen.
    """

    _MAX_KEYS = 1024  # channels x page types; a bound, not an expected size

    @property
    def compares_products(self) -> bool:
        """Whether an enabled rule shows a comparison (then the request loads the products)."""
        found = self.__dict__.get("_compares")
        if found is None:
            found = self.__dict__["_compares"] = any(
                s.rule.enabled and s.rule.show.type is ActionType.PRODUCT_COMPARISON for s in self
            )
        return bool(found)

    def candidates(self, channel: str, page_type: str | None) -> tuple[_Entry, ...]:
        """The enabled rules for `channel` that can hold on `page_type`, in order."""
        index: dict[tuple[str, str | None], tuple[_Entry, ...]] = self.__dict__.setdefault(
            "_index", {}
        )
        key = (channel, page_type)
        found = index.get(key)
        if found is None:
            if len(index) >= self._MAX_KEYS:
                index.clear()
            found = index[key] = tuple(
                entry for entry in _entries(self) if _may_hold(entry[2], channel, page_type)
            )
        return found


# A rule as the engine's loop reads it: (position, stored rule, rule, compiled test)
_Entry = tuple[int, StoredRule, Rule, Test]


def _entries(rules: Sequence[StoredRule]) -> Iterator[_Entry]:
    for index, stored in enumerate(rules):
        yield index, stored, stored.rule, stored.rule.condition.test


def _may_hold(rule: Rule, channel: str, page_type: str | None) -> bool:
    return (
        rule.enabled
        and not rule.in_preview  # preview requests are few: they take the unindexed path
        and (not rule.channels or channel in rule.channels)
        and (rule.page_types is None or page_type in rule.page_types)
    )


# (-priority, showAfterMs, trigger id, index): sorts so the slot's winner comes first
_Candidate = tuple[int, int, str, int]


def evaluate(
    context: VisitorContext,
    facts: StoreFacts,
    rules: Sequence[StoredRule],
    *,
    explain: bool = True,
) -> Evaluation:
    """Decisions for the visitor, and an outcome with reasons for every trigger.

    `explain=False` is the storefront's hot path: only the triggers shown or held out get an
    outcome (no reasons are worked out for the rest); decisions and control exposures are the
    same as with `explain=True`. Given a `RuleBook`, it then only looks at the rules that can
    hold on the visitor's page.
    """
    outcomes: dict[int, TriggerOutcome] = {}  # by rule position
    contenders: dict[Slot, list[_Candidate]] = {}
    quiet = _quiet_because(context, facts)
    channel = context.channel
    book = rules if not explain and not context.preview and isinstance(rules, RuleBook) else None
    indexed = book is not None  # then every candidate is enabled and for this channel
    entries: Iterable[_Entry] = (
        book.candidates(channel, context.page_type) if book is not None else _entries(rules)
    )
    for index, stored, rule, test in entries:
        visible = indexed or (
            rule.enabled
            and (not rule.channels or channel in rule.channels)
            and (context.preview or not rule.in_preview)
        )
        if visible:
            try:
                held = test(context, facts)
            except ArithmeticError:  # a NaN amount from a confused caller holds nothing
                held = NEVER
            if held:
                fired, show_after_ms, reason = _screen(stored, held, context, facts, quiet)
                if show_after_ms is not None:
                    candidate = (-rule.priority, show_after_ms, stored.id, index)
                    contenders.setdefault(SLOT_OF_ACTION[rule.show.type], []).append(candidate)
                elif explain:
                    outcomes[index] = TriggerOutcome(
                        stored.id, rule.name, fired, False, False, [reason]
                    )
                continue
        if explain:
            reason = _why_not(rule, context, facts)
            outcomes[index] = TriggerOutcome(stored.id, rule.name, False, False, False, [reason])
    decisions: list[Decision] = []
    for slot, candidates in contenders.items():
        decision = _fill_slot(slot, candidates, rules, outcomes, context, facts, explain)
        if decision is not None:
            decisions.append(decision)
    return Evaluation(decisions, [outcomes[index] for index in sorted(outcomes)])


def _fill_slot(
    slot: Slot,
    candidates: list[_Candidate],
    rules: Sequence[StoredRule],
    outcomes: dict[int, TriggerOutcome],
    context: VisitorContext,
    facts: StoreFacts,
    explain: bool,
) -> Decision | None:
    candidates.sort()
    _, show_after_ms, _, index = candidates[0]
    winner = rules[index]
    outcomes[index], decision = _decide(winner, show_after_ms, context, facts)
    if explain:
        rule = winner.rule
        taken = f"the {slot} slot goes to {rule.name!r} (priority {rule.priority})"
        for _, loser_after_ms, loser_id, loser_index in candidates[1:]:
            outcomes[loser_index] = TriggerOutcome(
                loser_id, rules[loser_index].rule.name, True, False, False, [taken], loser_after_ms
            )
    return decision


def _why_not(rule: Rule, context: VisitorContext, facts: StoreFacts) -> str:
    if not rule.enabled:
        return "disabled"
    if rule.in_preview and not context.preview:
        return "in preview: shown only in the merchant's preview browser"
    if rule.channels and context.channel not in rule.channels:
        return f"channel {context.channel} is not one of {', '.join(rule.channels)}"
    try:
        return rule.condition.explain(context, facts)
    except ArithmeticError:
        return "an amount in the visitor's facts is not a number"


def _screen(
    stored: StoredRule,
    held: Intervals,
    context: VisitorContext,
    facts: StoreFacts,
    quiet: str | None,
) -> tuple[bool, int | None, str]:
    """(fired, showAfterMs, reason) once the conditions hold; showAfterMs None: sits out."""
    rule = stored.rule
    if rule.schedule is not None and not rule.schedule.is_open(context.now):
        return False, None, f"outside schedule ({rule.schedule.describe()})"
    if rule.show.type is ActionType.FREE_SHIPPING_NOTICE:
        problem = notice_problem(rule.show, facts)
        if problem is not None:
            return False, None, problem
    if rule.show.type is ActionType.PRODUCT_COMPARISON:
        problem = comparison_problem(facts)
        if problem is not None:
            return False, None, problem
    state = context.frequency.get(stored.id)
    if state is not None:
        capped = rule.frequency.blocked_because(state, context.now)
        if capped is not None:
            return True, None, capped
    if rule.show.type is ActionType.OFFER:
        problem = offer_problem(rule.show, facts)
        if problem is not None:
            return False, None, problem
    if quiet is not None and SLOT_OF_ACTION[rule.show.type] is Slot.BUBBLE:
        return True, None, quiet
    return True, 0 if held is ALWAYS else first_moment_ms(held), ""


def _quiet_because(context: VisitorContext, facts: StoreFacts) -> str | None:
    """The store-wide quiet period after a dismissal, as a reason, or None when not quiet."""
    dismissed = context.last_dismissed_at
    if dismissed is None or facts.quiet_period_minutes <= 0:
        return None
    elapsed = _aware(context.now) - _aware(dismissed)
    if elapsed >= timedelta(minutes=facts.quiet_period_minutes):
        return None
    minutes = max(0, int(elapsed.total_seconds() // 60))
    return (
        f"quiet period: a prompt was dismissed {minutes} minutes ago "
        f"(no prompts for {facts.quiet_period_minutes} minutes)"
    )


def _decide(
    stored: StoredRule, show_after_ms: int, context: VisitorContext, facts: StoreFacts
) -> tuple[TriggerOutcome, Decision | None]:
    rule = stored.rule
    holdout = rule.holdout_percent
    if (
        holdout
        and not context.preview
        and holdout_bucket(stored.id, context.visitor_id) < holdout * 100
    ):
        reason = (
            f"held out: this visitor is in the control group of “{rule.name}” "
            f"({holdout:g} % of visitors never see it, to measure what it earns)"
        )
        return TriggerOutcome(
            stored.id, rule.name, True, False, True, [reason], show_after_ms
        ), None
    when = "now" if show_after_ms == 0 else f"after {show_after_ms / 1000:g} s"
    outcome = TriggerOutcome(
        stored.id, rule.name, True, True, False, [f"shown {when}"], show_after_ms
    )
    slot = SLOT_OF_ACTION[rule.show.type]
    if rule.show.type is ActionType.FREE_SHIPPING_NOTICE:
        return outcome, notice_decision(stored.id, rule.show, show_after_ms, context, facts)
    if rule.show.type is ActionType.PRODUCT_COMPARISON:
        return outcome, comparison_decision(stored.id, rule.show, show_after_ms, context, facts)
    if rule.show.type is ActionType.OFFER:
        return outcome, offer_decision(stored.id, rule.show, show_after_ms, context, facts)
    cta = pick_text(rule.show.cta, context.locale) if rule.show.cta else None
    message = pick_text(rule.show.message, context.locale)
    return outcome, Decision(stored.id, rule.show.type, slot, show_after_ms, message, cta)


def holdout_bucket(trigger_id: str, visitor_id: str) -> int:
    """A stable bucket 0-9999 per trigger and visitor; below 100 x `holdoutPercent` is control."""
    digest = hashlib.sha256(f"{trigger_id}:{visitor_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
