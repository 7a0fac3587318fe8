from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.triggers.context import StoreFacts, VisitorContext
from saleor_proactive.triggers.engine import evaluate
from tests.rules import chat_rule
from tests.triggers.builders import context, facts, stored


def outcome_for(when: dict[str, Any], visitor: VisitorContext, store: StoreFacts) -> Any:
    (outcome,) = evaluate(visitor, store, [stored(chat_rule(when=when))]).outcomes
    return outcome


@pytest.mark.parametrize(
    ("when", "visitor", "expected"),
    [
        ({"pageType": {"in": ["checkout", "cart"]}}, {"page_type": "cart"}, True),
        ({"pageType": {"in": ["checkout"]}}, {"page_type": "product"}, False),
        ({"pageType": {"in": ["checkout"]}}, {"page_type": None}, False),
        ({"url": {"matches": "*/checkout*"}}, {"url": "https://s.example/checkout/step-2"}, True),
        ({"url": {"matches": "*/checkout*"}}, {"url": "https://s.example/cart"}, False),
        (
            {"url": {"matches": "https://s.example/p/*/reviews"}},
            {"url": "https://s.example/p/9/reviews"},
            True,
        ),
        (
            {"url": {"matches": "https://s.example/p/*/reviews"}},
            {"url": "https://s.example/p/9/reviews/2"},
            False,
        ),
        ({"url": {"matches": "*a*a*a*a*a*a*b"}}, {"url": "a" * 2000}, False),
        ({"url": {"eq": "https://s.example/"}}, {"url": "https://s.example/"}, True),
        ({"url": {"matches": "https://s.example/"}}, {"url": "https://s.example/"}, True),
        ({"url": {"matches": "https://s.example/"}}, {"url": "https://s.example/x"}, False),
        ({"url": {"matches": "*"}}, {"url": None}, False),
        ({"pagesViewed": {"gte": 3}}, {"pages_viewed": 3}, True),
        ({"pagesViewed": {"gt": 3}}, {"pages_viewed": 3}, False),
        ({"productsViewed": {"lte": 2}}, {"products_viewed": 2}, True),
        ({"productsViewed": {"lt": 2}}, {"products_viewed": 2}, False),
        ({"categoriesViewed": {"eq": 2}}, {"categories_viewed": 2}, True),
        ({"categoriesViewed": {"between": [1, 3]}}, {"categories_viewed": 4}, False),
        (
            {"maxViewedProductPrice": {"gte": 500}},
            {"max_viewed_product_price": Decimal("500.00")},
            True,
        ),
        (
            {"maxViewedProductPrice": {"gte": 500}},
            {"max_viewed_product_price": Decimal("499.99")},
            False,
        ),
        ({"maxViewedProductPrice": {"lte": 500}}, {"max_viewed_product_price": None}, False),
        ({"visitCount": {"gte": 2}}, {"visit_count": 2}, True),
        ({"returning": {"eq": True}}, {"visit_count": 2}, True),
        ({"returning": True}, {"visit_count": 1}, False),
        ({"returning": {"eq": False}}, {"visit_count": 1}, True),
        ({"exitIntent": {"eq": True}}, {"exit_intent": True}, True),
        ({"exitIntent": True}, {"exit_intent": False}, False),
        ({"device": {"in": ["mobile", "tablet"]}}, {"device": "tablet"}, True),
        ({"device": {"in": ["mobile"]}}, {"device": None}, False),
        ({"locale": {"in": ["es"]}}, {"locale": "es-MX"}, True),
        ({"locale": {"in": ["es-MX"]}}, {"locale": "es-mx"}, True),
        ({"locale": {"in": ["es-MX"]}}, {"locale": "es-ES"}, False),
        ({"locale": {"in": ["es"]}}, {"locale": "en-US"}, False),
        ({"locale": {"in": ["es"]}}, {"locale": None}, False),
        ({"country": {"in": ["ES", "PT"]}}, {"country": "pt"}, True),
        ({"country": {"in": ["ES"]}}, {"country": None}, False),
        ({"channel": {"in": ["default-channel"]}}, {}, True),
        ({"channel": {"in": ["channel-usd"]}}, {}, False),
        ({"not": {"pageType": {"in": ["checkout"]}}}, {"page_type": "home"}, True),
        ({"not": {"pageType": {"in": ["checkout"]}}}, {"page_type": "checkout"}, False),
        (
            {"any": [{"device": {"in": ["mobile"]}}, {"visitCount": {"gte": 3}}]},
            {"visit_count": 3},
            True,
        ),
        (
            {"any": [{"device": {"in": ["mobile"]}}, {"visitCount": {"gte": 3}}]},
            {"visit_count": 2},
            False,
        ),
        (
            {"all": [{"device": {"in": ["mobile"]}}, {"visitCount": {"gte": 3}}]},
            {"visit_count": 3, "device": "mobile"},
            True,
        ),
        (
            {"all": [{"device": {"in": ["mobile"]}}, {"visitCount": {"gte": 3}}]},
            {"visit_count": 3},
            False,
        ),
    ],
)
def test_each_visitor_condition_holds_exactly_when_it_should(
    when: dict[str, Any], visitor: dict[str, Any], expected: bool
) -> None:
    # when
    outcome = outcome_for(when, context(**visitor), facts())

    # then
    assert outcome.fired is expected, outcome.reasons
    assert outcome.shown is expected


@pytest.mark.parametrize(
    ("when", "store", "expected"),
    [
        ({"cartValue": {"gte": 100}}, {"cart": "100.00"}, True),
        ({"cartValue": {"gte": 100}}, {"cart": "99.99"}, False),
        ({"cartValue": {"lt": 10}}, {}, True),  # no checkout yet: an empty cart
        ({"cartItems": {"gte": 2}}, {"cart": "10", "items": 2}, True),
        ({"cartItems": {"eq": 0}}, {}, True),
        ({"remainingToFreeShipping": {"lte": 15}}, {"cart": "38", "threshold": "50"}, True),
        ({"remainingToFreeShipping": {"lte": 15}}, {"cart": "30", "threshold": "50"}, False),
        (
            {"remainingToFreeShipping": {"between": [10, 15]}},
            {"cart": "38", "threshold": "50"},
            True,
        ),
        ({"remainingToFreeShipping": {"between": [0, 5]}}, {"cart": "60", "threshold": "50"}, True),
        ({"remainingToFreeShipping": {"between": [0, 5]}}, {"cart": "40"}, False),
        ({"remainingToFreeShipping": {"eq": 0}}, {"cart": "80", "threshold": "50"}, True),
        ({"remainingToFreeShipping": {"lte": 15}}, {"threshold": "50"}, False),
        ({"remainingToFreeShipping": {"lte": 15}}, {"cart": "40"}, False),
        ({"not": {"remainingToFreeShipping": {"gte": 0}}}, {"cart": "40"}, True),
    ],
)
def test_each_cart_condition_uses_the_store_facts(
    when: dict[str, Any], store: dict[str, Any], expected: bool
) -> None:
    # when
    outcome = outcome_for(when, context(), facts(**store))

    # then
    assert outcome.fired is expected, outcome.reasons


@pytest.mark.parametrize(
    ("when", "visitor", "reason"),
    [
        (
            {"pageType": {"in": ["checkout"]}},
            {"page_type": "product"},
            "pageType is product, needs one of checkout",
        ),
        ({"productsViewed": {"gte": 6}}, {"products_viewed": 3}, "productsViewed is 3, needs ≥ 6"),
        (
            {"maxViewedProductPrice": {"gte": 500}},
            {},
            "maxViewedProductPrice is unknown (no product viewed), needs ≥ 500",
        ),
        (
            {"timeOnPage": {"lte": 30}},
            {"time_on_page": 45.0},
            "timeOnPage is 45 s, needs ≤ 30 s (can no longer hold)",
        ),
        (
            {"not": {"device": {"in": ["mobile"]}}},
            {"device": "mobile"},
            "device one of mobile holds, and the rule says not",
        ),
        (
            {"all": [{"visitCount": {"gte": 1}}, {"exitIntent": True}]},
            {},
            "exitIntent is false, needs true",
        ),
        (
            {"any": [{"visitCount": {"gte": 2}}, {"country": {"in": ["ES"]}}]},
            {"country": "FR"},
            "none of these holds: visitCount is 1, needs ≥ 2; country is FR, needs one of ES",
        ),
    ],
)
def test_a_trigger_that_does_not_fire_says_why(
    when: dict[str, Any], visitor: dict[str, Any], reason: str
) -> None:
    # when
    outcome = outcome_for(when, context(**visitor), facts())

    # then
    assert outcome.fired is False
    assert outcome.reasons == [reason]


def test_a_disabled_trigger_or_one_for_another_channel_does_not_fire() -> None:
    # given
    when = {"visitCount": {"gte": 1}}
    rules = [
        stored(chat_rule(when=when, enabled=False), "disabled"),
        stored(chat_rule(when=when, channels=["channel-usd"]), "usd-only"),
        stored(chat_rule(when=when, channels=["channel-usd", "default-channel"]), "both"),
    ]

    # when
    evaluation = evaluate(context(), facts(), rules)

    # then
    reasons = {o.trigger_id: (o.fired, o.reasons) for o in evaluation.outcomes}
    assert reasons["disabled"] == (False, ["disabled"])
    assert reasons["usd-only"] == (False, ["channel default-channel is not one of channel-usd"])
    assert reasons["both"][0] is True
    assert [d.trigger_id for d in evaluation.decisions] == ["both"]


def test_an_amount_that_is_not_a_number_holds_nothing_and_says_so() -> None:
    # given
    rule = stored(chat_rule(when={"maxViewedProductPrice": {"gte": 500}}))
    visitor = context(max_viewed_product_price=Decimal("NaN"))

    # when
    evaluation = evaluate(visitor, facts(cart="NaN", threshold="50"), [rule])

    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].reasons == ["maxViewedProductPrice is NaN, needs ≥ 500"]


def test_a_cart_value_that_is_not_a_number_holds_nothing_and_says_so() -> None:
    # given
    rule = stored(chat_rule(when={"all": [{"cartValue": {"gte": 10}}]}))

    # when
    evaluation = evaluate(context(), facts(cart="NaN"), [rule])

    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].reasons == ["an amount in the visitor's facts is not a number"]


@pytest.mark.parametrize(
    "comparison",
    [{"lte": 15}, {"lt": 100}, {"gte": 0}, {"gt": 0}, {"eq": 0}, {"between": [0, 15]}],
)
@pytest.mark.parametrize("negated", [False, True])
def test_a_cart_value_that_is_not_a_number_holds_no_free_shipping_condition_nor_its_negation(
    comparison: dict[str, Any], negated: bool
) -> None:
    # given every operator, alone and negated, as cartValue already behaves
    leaf = {"remainingToFreeShipping": comparison}
    rule = stored(chat_rule(when={"not": leaf} if negated else leaf))

    # when
    evaluation = evaluate(context(), facts(cart="NaN", threshold="50"), [rule])

    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].fired is False
    if not negated:
        reasons = ["an amount in the visitor's facts is not a number"]
        assert evaluation.outcomes[0].reasons == reasons
