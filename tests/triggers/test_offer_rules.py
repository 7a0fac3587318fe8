"""The `offer` show type of rule documents v1.1, and the action the engine makes of it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.triggers.context import CartFacts, StoreFacts, VisitorContext
from saleor_proactive.triggers.engine import StoredRule, evaluate
from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.validation import DocumentError
from tests.rules import offer_rule

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def offer(**terms: Any) -> dict[str, Any]:
    return offer_rule(
        offer={"discount": {"type": "fixed", "amount": 5}, "validMinutes": 90, **terms}
    )


def decide(document: dict[str, Any], cart: Decimal | None, locale: str = "en") -> Any:
    rule = parse_rule(document)
    context = VisitorContext(
        "v_1", "s_1", "default-channel", NOW, page_type="checkout", locale=locale
    )
    facts = StoreFacts(
        "default-channel", "EUR", CartFacts(cart, 1, "EUR") if cart is not None else None
    )
    return evaluate(context, facts, [StoredRule("trg_1", rule)])


def test_an_offer_document_round_trips_normalised() -> None:
    rule = parse_rule(offer(minimumCartValue=40.5, dailyCap=200))
    assert rule.to_document()["show"]["offer"] == {
        "discount": {"type": "fixed", "amount": 5},
        "validMinutes": 90,
        "minimumCartValue": 40.5,
        "dailyCap": 200,
    }
    assert parse_rule(rule.to_document()) == rule


@pytest.mark.parametrize(
    ("terms", "path"),
    [
        ({"discount": {"type": "percentage", "value": 0}}, "show.offer.discount.value"),
        ({"discount": {"type": "percentage", "value": 101}}, "show.offer.discount.value"),
        ({"discount": {"type": "percentage", "amount": 10}}, "show.offer.discount.amount"),
        ({"discount": {"type": "fixed", "amount": 0}}, "show.offer.discount.amount"),
        ({"discount": {"type": "fixed", "amount": 1.234}}, "show.offer.discount.amount"),
        ({"discount": {"type": "gift"}}, "show.offer.discount.type"),
        ({"validMinutes": 4}, "show.offer.validMinutes"),
        ({"validMinutes": 10081}, "show.offer.validMinutes"),
        ({"dailyCap": 0}, "show.offer.dailyCap"),
        ({"minimumCartValue": -1}, "show.offer.minimumCartValue"),
        ({"code": "FREE"}, "show.offer.code"),
    ],
)
def test_bad_offer_terms_are_refused_with_their_path(terms: dict[str, Any], path: str) -> None:
    with pytest.raises(DocumentError) as refused:
        parse_rule(offer(**terms))
    assert refused.value.path == path


def test_an_offer_needs_its_terms_and_only_its_placeholders() -> None:
    document = offer()
    del document["show"]["offer"]
    with pytest.raises(DocumentError) as missing:
        parse_rule(document)
    assert missing.value.path == "show.offer"
    document = offer()
    document["show"]["message"] = {"en": "{remaining} to go"}
    with pytest.raises(DocumentError) as placeholder:
        parse_rule(document)
    assert placeholder.value.path == "show.message.en"


def test_the_action_promises_the_discount_and_carries_no_code() -> None:
    decision = decide(offer(), Decimal(30)).decisions[0]
    assert (str(decision.type), str(decision.slot)) == ("offer", "bubble")
    assert decision.data == {"offer": {"type": "fixed", "amount": 5}, "claim": True}
    assert decision.message == "€5.00 off your order, for 90 min"


def test_below_the_minimum_cart_value_the_offer_does_not_show_and_says_why() -> None:
    below = decide(offer(minimumCartValue=40), Decimal("39.99"))
    assert below.decisions == []
    assert "minimum of 40" in below.outcomes[0].reasons[0]
    assert decide(offer(minimumCartValue=40), Decimal(40)).decisions != []
