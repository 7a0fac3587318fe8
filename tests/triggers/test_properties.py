from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_proactive.triggers.context import FrequencyState
from saleor_proactive.triggers.engine import RuleBook, StoredRule, evaluate
from saleor_proactive.triggers.rules import Rule, parse_rule
from saleor_proactive.validation import DocumentError
from tests.triggers.strategies import junk, rule_document, store, visitor

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rule_document)
def test_every_valid_document_parses_and_round_trips(document: dict[str, Any]) -> None:
    # when
    rule = parse_rule(document)
    normalised = rule.to_document()

    # then
    assert parse_rule(normalised) == rule
    assert parse_rule(normalised).to_document() == normalised


@SETTINGS
@given(junk)
def test_junk_is_refused_with_a_rule_error_and_nothing_else(document: Any) -> None:
    # when / then: parsing either succeeds or names a path
    try:
        parse_rule(document)
    except DocumentError as error:
        assert isinstance(error.path, str) and error.message


@SETTINGS
@given(rule_document, st.data())
def test_a_valid_document_with_one_part_replaced_by_junk_fails_only_with_rule_error(
    document: dict[str, Any], data: st.DataObject
) -> None:
    # given a path into the document and junk to put there
    paths = list(_paths(document))
    path = data.draw(st.sampled_from(paths))
    broken = _replace(document, path, data.draw(junk))

    # when / then
    try:
        parse_rule(broken)
    except DocumentError as error:
        assert error.message


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Any:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


rule_sets = st.lists(rule_document, min_size=1, max_size=6).map(
    lambda documents: [StoredRule(f"t{i}", parse_rule(d)) for i, d in enumerate(documents)]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_sets, st.data())
def test_the_engine_never_raises_fills_each_slot_once_and_respects_frequency(
    rules: list[StoredRule], data: st.DataObject
) -> None:
    # given
    context = data.draw(visitor([r.id for r in rules]))
    facts = data.draw(store())

    # when
    evaluation = evaluate(context, facts, rules)

    # then
    slots = [d.slot for d in evaluation.decisions]
    assert len(slots) == len(set(slots))
    assert len(evaluation.outcomes) == len(rules)
    by_id = {r.id: r.rule for r in rules}
    outcome_of = {o.trigger_id: o for o in evaluation.outcomes}
    for decision in evaluation.decisions:
        rule = by_id[decision.trigger_id]
        assert outcome_of[decision.trigger_id].shown
        assert rule.enabled
        assert _under_cap(rule, context.frequency.get(decision.trigger_id), context.now)
        assert decision.show_after_ms >= 0
        assert decision.message
    for outcome in evaluation.outcomes:
        assert not (outcome.shown and outcome.holdout)
        assert outcome.fired or not (outcome.shown or outcome.holdout)
        assert outcome.reasons
    shown = {o.trigger_id for o in evaluation.outcomes if o.shown}
    assert shown == {d.trigger_id for d in evaluation.decisions}
    quick = evaluate(context, facts, rules, explain=False)
    assert quick.decisions == evaluation.decisions
    assert quick.control_exposures == evaluation.control_exposures
    indexed = evaluate(context, facts, RuleBook(rules), explain=False)
    assert indexed.decisions == evaluation.decisions
    assert indexed.control_exposures == evaluation.control_exposures


def _under_cap(rule: Rule, state: FrequencyState | None, now: datetime) -> bool:
    """The cap, worked out again independently of the engine."""
    if state is None:
        return True
    frequency = rule.frequency
    count = {"session": state.shown_in_session, "visitor": state.shown_ever}.get(frequency.per)
    if count is None:
        same_day = state.last_shown_at is None or (
            state.last_shown_at.astimezone(UTC).date() == now.astimezone(UTC).date()
        )
        count = state.shown_today if same_day else 0
    if count >= frequency.max_per_visitor:
        return False
    if frequency.cooldown_minutes and state.last_shown_at is not None:
        return (now - state.last_shown_at).total_seconds() >= frequency.cooldown_minutes * 60
    return True
