"""The free-shipping bar as shops expect it: on every page once the cart holds anything, in any
currency, with the reached message past the threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saleor_proactive.triggers.context import FrequencyState, Slot
from saleor_proactive.triggers.defaults import free_shipping_progress
from saleor_proactive.triggers.engine import evaluate
from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.validation import DocumentError
from tests.triggers.builders import NOW, context, facts, stored


def _default_bar() -> list:
    return [stored({**free_shipping_progress(), "holdoutPercent": 0})]


@pytest.mark.parametrize(
    ("cart", "threshold", "currency", "locale", "message"),
    [
        ("3000", "10000", "JPY", "en-US", "You are ¥7,000 away from free shipping"),
        ("20", "250", "PLN", "pl-PL", "You are 230,00 zł away from free shipping"),
        ("249.99", "250", "EUR", "de-DE", "Noch 0,01 € bis zum kostenlosen Versand"),
    ],
)
def test_the_default_bar_shows_far_from_the_threshold_in_any_currency(
    cart: str, threshold: str, currency: str, locale: str, message: str
) -> None:
    # when
    evaluation = evaluate(
        context(page_type="home", locale=locale),
        facts(cart, threshold, currency=currency),
        _default_bar(),
    )
    # then
    (decision,) = evaluation.decisions
    assert decision.slot == Slot.BAR
    assert decision.message == message
    assert decision.data["threshold"] == {"amount": float(threshold), "currency": currency}
    assert decision.data["cartValue"] == {"amount": float(cart), "currency": currency}


def test_the_default_bar_says_reached_once_over_the_threshold() -> None:
    # when
    evaluation = evaluate(
        context(page_type="checkout", locale="en"), facts("12000", "10000", "JPY"), _default_bar()
    )
    # then
    (decision,) = evaluation.decisions
    assert decision.message == "You've unlocked free shipping!"
    assert decision.data["reached"] is True
    assert decision.data["remaining"] == {"amount": 0.0, "currency": "JPY"}


def test_the_default_bar_waits_for_a_cart_with_something_in_it() -> None:
    # when
    empty = evaluate(context(), facts("0", "100", items=0), _default_bar())
    no_threshold = evaluate(context(), facts("10"), _default_bar())
    # then
    assert empty.decisions == [] and no_threshold.decisions == []


def test_a_per_page_view_bar_is_never_capped_by_earlier_impressions() -> None:
    # given: shown on 40 pages of this session, today and before
    state = FrequencyState(40, 40, 300, NOW - timedelta(seconds=2))
    # when
    evaluation = evaluate(
        context(page_type="cart", frequency={"t1": state}), facts("10", "100"), _default_bar()
    )
    # then
    assert len(evaluation.decisions) == 1


def test_a_session_capped_bar_still_stops_after_its_cap() -> None:
    # given: the previous default's frequency, three impressions this session
    document = {**free_shipping_progress(), "holdoutPercent": 0}
    document["frequency"] = {"maxPerVisitor": 3, "per": "session"}
    state = FrequencyState(3, 3, 3, NOW - timedelta(seconds=2))
    # when
    evaluation = evaluate(context(frequency={"t1": state}), facts("10", "100"), [stored(document)])
    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].reasons == ["shown 3 times this session, max 3"]


def test_per_page_view_takes_only_once_per_page() -> None:
    # given
    document = {**free_shipping_progress(), "frequency": {"maxPerVisitor": 2, "per": "pageView"}}
    # when / then
    with pytest.raises(DocumentError) as refused:
        parse_rule(document)
    assert refused.value.path == "frequency.maxPerVisitor"
    assert parse_rule(free_shipping_progress()).frequency.per == "pageView"


def test_a_cooldown_still_applies_per_page_view() -> None:
    # given
    document = {**free_shipping_progress(), "holdoutPercent": 0}
    document["frequency"] = {"per": "pageView", "cooldownMinutes": 10}
    state = FrequencyState(1, 1, 1, NOW - timedelta(minutes=3))
    # when
    evaluation = evaluate(context(frequency={"t1": state}), facts("10", "100"), [stored(document)])
    # then
    assert evaluation.decisions == []
