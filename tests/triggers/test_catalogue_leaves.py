"""The catalogue leaves (CONTRACT §4.1): `category`, `viewedCategory`, `viewedProduct` and
`cartContains`, in the validator and in the engine."""

from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.triggers.context import CartFacts, StoreFacts
from saleor_proactive.triggers.engine import evaluate
from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.validation import DocumentError
from tests.rules import chat_rule
from tests.triggers.builders import context, facts, stored

COFFEE = "Q2F0ZWdvcnk6MQ=="  # Category:1
EQUIPMENT = "Q2F0ZWdvcnk6Mg=="  # Category:2
BEANS = "UHJvZHVjdDox"  # Product:1
MACHINE = "UHJvZHVjdDo1"  # Product:5
UNKNOWN = "UHJvZHVjdDo5OTk5"


def cart_with(*products: str) -> StoreFacts:
    cart = CartFacts(Decimal("30"), len(products), "EUR", frozenset(products))
    return StoreFacts(channel="default-channel", currency="EUR", cart=cart)


def holds(when: dict[str, Any], store: StoreFacts | None = None, **visitor: Any) -> bool:
    rule = stored(chat_rule(when=when))
    (outcome,) = evaluate(context(**visitor), store or facts(), [rule]).outcomes
    return outcome.fired


@pytest.mark.parametrize(
    ("when", "visitor", "expected"),
    [
        ({"category": {"in": [COFFEE]}}, {"page_category_id": COFFEE}, True),
        ({"category": {"in": [COFFEE, EQUIPMENT]}}, {"page_category_id": EQUIPMENT}, True),
        ({"category": {"in": [COFFEE]}}, {"page_category_id": EQUIPMENT}, False),
        ({"category": {"in": [COFFEE]}}, {}, False),  # not a category or product page
        ({"not": {"category": {"in": [COFFEE]}}}, {}, True),
        ({"viewedCategory": {"in": [EQUIPMENT]}}, {"viewed_category_ids": (COFFEE, EQUIPMENT)},
         True),
        ({"viewedCategory": {"in": [EQUIPMENT]}}, {"viewed_category_ids": (COFFEE,)}, False),
        ({"viewedCategory": {"in": [EQUIPMENT]}}, {}, False),
        ({"viewedProduct": {"in": [MACHINE, UNKNOWN]}}, {"viewed_product_ids": (BEANS, MACHINE)},
         True),
        ({"viewedProduct": {"in": [MACHINE]}}, {"viewed_product_ids": (BEANS,)}, False),
        ({"viewedProduct": {"in": [UNKNOWN]}}, {"viewed_product_ids": ()}, False),
    ],
)  # fmt: skip
def test_the_page_and_viewing_leaves_hold_for_the_ids_they_name(
    when: dict[str, Any], visitor: dict[str, Any], expected: bool
) -> None:
    assert holds(when, **visitor) is expected


def test_cart_contains_reads_the_products_of_the_checkout_saleor_reported() -> None:
    leaf = {"cartContains": {"in": [MACHINE]}}
    assert holds(leaf, cart_with(BEANS, MACHINE)) is True
    assert holds(leaf, cart_with(BEANS)) is False
    assert holds(leaf, facts()) is False  # no checkout yet: an empty cart


def test_a_leaf_that_does_not_hold_says_what_the_visitor_had() -> None:
    rule = stored(chat_rule(when={"viewedProduct": {"in": [MACHINE]}}))
    (outcome,) = evaluate(context(viewed_product_ids=(BEANS,)), facts(), [rule]).outcomes
    assert outcome.reasons == [f"viewedProduct is {BEANS}, needs one of {MACHINE}"]
    rule = stored(chat_rule(when={"category": {"in": [COFFEE]}}))
    (outcome,) = evaluate(context(), facts(), [rule]).outcomes
    assert outcome.reasons[0].startswith("category is unknown (not a category or product page")


def test_the_catalogue_leaves_round_trip_in_the_normalised_document() -> None:
    when = {"all": [{"cartContains": {"in": [BEANS, BEANS, MACHINE]}}]}
    document = parse_rule(chat_rule(when=when)).to_document()
    assert document["when"] == {"all": [{"cartContains": {"in": [BEANS, MACHINE]}}]}


def _refusal(when: Any) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        parse_rule(chat_rule(when={"all": [{"pageType": {"in": ["product"]}}, when]}))
    return caught.value


@pytest.mark.parametrize("leaf", ["category", "viewedCategory", "viewedProduct", "cartContains"])
@pytest.mark.parametrize(
    ("operator", "path", "words"),
    [
        ({"in": COFFEE}, ".in", "must be a list"),
        ({"in": {"id": COFFEE}}, ".in", "must be a list"),
        ({"in": []}, ".in", "at least one"),
        ({"in": [f"UHJvZHVjdDo{i}" for i in range(101)]}, ".in", "at most 100"),
        ({"in": [COFFEE, 12]}, ".in[1]", "must be a string, got a number"),
        ({"in": [COFFEE, None]}, ".in[1]", "must be a string"),
        ({"in": [""]}, ".in[0]", "not a Saleor"),
        ({"in": ["<script>"]}, ".in[0]", "not a Saleor"),
        ({"in": ["x" * 129]}, ".in[0]", "not a Saleor"),
        ({"eq": COFFEE}, ".eq", "unknown operator"),
        ({}, "", "exactly one operator"),
    ],
)
def test_a_bad_id_list_is_refused_with_the_path_of_the_problem(
    leaf: str, operator: dict[str, Any], path: str, words: str
) -> None:
    error = _refusal({leaf: operator})
    assert error.path == f"when.all[1].{leaf}{path}"
    assert words in error.message


def test_a_hundred_ids_are_accepted() -> None:
    ids = [f"UHJvZHVjdDo{i}" for i in range(100)]
    rule = parse_rule(chat_rule(when={"viewedProduct": {"in": ids}}))
    assert rule.to_document()["when"] == {"viewedProduct": {"in": ids}}
