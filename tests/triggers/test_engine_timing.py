from typing import Any

import pytest

from saleor_proactive.triggers.engine import evaluate
from tests.rules import chat_rule
from tests.triggers.builders import context, facts, stored

CHECKOUT = {"pageType": {"in": ["checkout"]}}


def show_after_ms(when: dict[str, Any], **visitor: Any) -> int | None:
    """The decision's showAfterMs, or None when the trigger does not fire."""
    evaluation = evaluate(context(**visitor), facts(), [stored(chat_rule(when=when))])
    return evaluation.decisions[0].show_after_ms if evaluation.decisions else None


@pytest.mark.parametrize(
    ("when", "seconds_on_page", "expected"),
    [
        ({"timeOnPage": {"gte": 60}}, 15.0, 45_000),
        ({"timeOnPage": {"gte": 60}}, 60.0, 0),
        ({"timeOnPage": {"gte": 60}}, 75.5, 0),
        ({"timeOnPage": {"gt": 60}}, 15.0, 45_001),
        ({"timeOnPage": {"between": [30, 90]}}, 10.0, 20_000),
        ({"timeOnPage": {"between": [30, 90]}}, 50.0, 0),
        ({"timeOnPage": {"between": [30, 90]}}, 91.0, None),
        ({"timeOnPage": {"lte": 30}}, 10.0, 0),
        ({"timeOnPage": {"lte": 30}}, 31.0, None),
        ({"timeOnPage": {"lt": 30}}, 30.0, None),
        ({"timeOnPage": {"eq": 20}}, 5.0, 15_000),
        ({"timeOnPage": {"eq": 20}}, 20.5, 0),
        ({"timeOnPage": {"eq": 20}}, 21.0, None),
        ({"all": [CHECKOUT, {"timeOnPage": {"gte": 45}}]}, 5.0, 40_000),
        ({"all": [{"timeOnPage": {"gte": 20}}, {"timeOnSite": {"gte": 90}}]}, 5.0, 30_000),
        ({"all": [{"timeOnPage": {"gte": 60}}, {"timeOnPage": {"lte": 30}}]}, 5.0, None),
        ({"any": [{"timeOnPage": {"gte": 60}}, {"timeOnSite": {"gte": 90}}]}, 5.0, 30_000),
        ({"any": [{"timeOnPage": {"lte": 2}}, {"timeOnPage": {"gte": 40}}]}, 5.0, 35_000),
        ({"any": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 40}}]}, 5.0, 0),
        ({"any": [{"pageType": {"in": ["faq"]}}, {"timeOnPage": {"gte": 40}}]}, 5.0, 35_000),
        # `not lte 30` is `gt 30`: the moment 30.000 s belongs to `lte 30` alone
        ({"not": {"timeOnPage": {"lte": 30}}}, 10.0, 20_001),
        ({"not": {"timeOnPage": {"gte": 30}}}, 10.0, 0),
        ({"not": {"timeOnPage": {"gte": 30}}}, 40.0, None),
        ({"not": {"timeOnPage": {"between": [0, 30]}}}, 10.0, 20_001),
        # a condition and its negation never hold at the same moment; `not not` is the same
        ({"all": [{"timeOnPage": {"gte": 30}}, {"not": {"timeOnPage": {"gte": 30}}}]}, 0.0, None),
        ({"not": {"not": {"timeOnPage": {"lte": 10}}}}, 10.0, 0),
        ({"not": {"not": {"timeOnPage": {"between": [20, 20]}}}}, 10.0, 10_000),
        (
            {"all": [{"not": {"pageType": {"in": ["home"]}}}, {"timeOnPage": {"gte": 12}}]},
            2.0,
            10_000,
        ),
        # nested combinations of the same kind (tested as one flat list) and of mixed kinds
        (
            {
                "all": [
                    {"all": [CHECKOUT, {"timeOnPage": {"gte": 20}}]},
                    {"timeOnSite": {"gte": 90}},
                ]
            },
            5.0,
            30_000,
        ),
        (
            {
                "all": [
                    {"all": [CHECKOUT, {"timeOnPage": {"gte": 20}}]},
                    {"timeOnPage": {"lte": 10}},
                ]
            },
            5.0,
            None,
        ),
        (
            {
                "any": [
                    {"any": [{"timeOnPage": {"gte": 60}}, {"pageType": {"in": ["faq"]}}]},
                    {"timeOnSite": {"gte": 90}},
                ]
            },
            5.0,
            30_000,
        ),
        (
            {
                "all": [
                    {"any": [{"timeOnPage": {"lte": 2}}, {"timeOnPage": {"gte": 40}}]},
                    {"all": [CHECKOUT, {"timeOnSite": {"gte": 100}}]},
                ]
            },
            5.0,
            40_000,
        ),
    ],
)
def test_time_conditions_become_the_moment_the_whole_rule_first_holds(
    when: dict[str, Any], seconds_on_page: float, expected: int | None
) -> None:
    # given the visitor has been on the site a minute longer than on this page
    visitor = {"page_type": "checkout", "time_on_page": seconds_on_page}
    visitor["time_on_site"] = seconds_on_page + 55.0

    # when
    result = show_after_ms(when, **visitor)

    # then
    assert result == expected


def test_a_non_time_condition_that_fails_stops_the_timer() -> None:
    # when
    result = show_after_ms(
        {"all": [CHECKOUT, {"timeOnPage": {"gte": 45}}]}, page_type="cart", time_on_page=50.0
    )

    # then
    assert result is None


def test_the_outcome_carries_the_delay_of_a_trigger_waiting_for_its_moment() -> None:
    # given
    rule = stored(chat_rule(when={"timeOnSite": {"gte": 120}}))

    # when
    evaluation = evaluate(context(time_on_site=100.0), facts(), [rule])

    # then
    (outcome,) = evaluation.outcomes
    assert outcome.show_after_ms == 20_000
    assert outcome.reasons == ["shown after 20 s"]


def test_a_nonsensical_time_on_page_counts_as_just_arrived() -> None:
    # when
    result = show_after_ms({"timeOnPage": {"gte": 30}}, time_on_page=float("nan"))

    # then
    assert result == 30_000


@pytest.mark.parametrize("seconds", [float("nan"), -5.0])
def test_a_nonsensical_time_on_page_is_explained_as_just_arrived(seconds: float) -> None:
    # given a condition that can never hold, so the engine has to say why
    rule = stored(chat_rule(when={"timeOnPage": {"lt": 0}}))

    # when
    evaluation = evaluate(context(time_on_page=seconds), facts(), [rule])

    # then
    (outcome,) = evaluation.outcomes
    assert not outcome.fired
    assert outcome.reasons == ["timeOnPage is 0 s, needs < 0 s (can no longer hold)"]
