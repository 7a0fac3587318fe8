from decimal import Decimal

from saleor_proactive.triggers.context import ActionType, CartFacts, Money, Slot, StoreFacts
from saleor_proactive.triggers.engine import evaluate
from tests.rules import free_shipping_rule
from tests.triggers.builders import context, facts, stored

REACHED = {"en": "You've unlocked free shipping!", "es": "¡Tienes el envío gratis!"}


def notice_with_reached_message() -> dict[str, object]:
    document = free_shipping_rule()
    document["show"] = {**document["show"], "reachedMessage": REACHED}  # type: ignore[dict-item]
    return document


def test_the_notice_tells_how_much_is_left_in_the_visitors_language_and_money_format() -> None:
    # given
    rule = stored(free_shipping_rule())

    # when
    evaluation = evaluate(context(locale="es-ES"), facts(cart="38", threshold="50"), [rule])

    # then
    (decision,) = evaluation.decisions
    assert (decision.type, decision.slot) == (ActionType.FREE_SHIPPING_NOTICE, Slot.BAR)
    assert decision.message == "Te faltan 12,00 € para el envío gratis"
    assert decision.data == {
        "remaining": {"amount": 12.0, "currency": "EUR"},
        "threshold": {"amount": 50.0, "currency": "EUR"},
        "cartValue": {"amount": 38.0, "currency": "EUR"},
    }
    assert decision.cta is None


def test_an_english_visitor_in_dollars_reads_dollars() -> None:
    # given
    rule = stored(free_shipping_rule())

    # when
    evaluation = evaluate(
        context(locale="en-US"), facts(cart="60.5", threshold="75", currency="USD"), [rule]
    )

    # then
    assert evaluation.decisions[0].message == "You are $14.50 away from free shipping"


def test_every_placeholder_is_filled() -> None:
    # given
    document = free_shipping_rule()
    document["show"] = {
        "type": "free_shipping_notice",
        "message": {"en": "{cartValue} in cart, {remaining} more for free shipping at {threshold}"},
    }

    # when
    evaluation = evaluate(
        context(locale="en"), facts(cart="45", threshold="50"), [stored(document)]
    )

    # then
    assert (
        evaluation.decisions[0].message == "€45.00 in cart, €5.00 more for free shipping at €50.00"
    )


def test_a_reached_threshold_shows_the_reached_message() -> None:
    # given
    rule = stored(notice_with_reached_message())

    # when
    evaluation = evaluate(context(locale="es-MX"), facts(cart="50", threshold="50"), [rule])

    # then
    (decision,) = evaluation.decisions
    assert decision.message == "¡Tienes el envío gratis!"
    assert decision.data["reached"] is True
    assert decision.data["remaining"] == {"amount": 0.0, "currency": "EUR"}


def test_a_reached_threshold_without_a_reached_message_shows_nothing() -> None:
    # given
    rule = stored(free_shipping_rule())

    # when
    evaluation = evaluate(context(), facts(cart="70", threshold="50"), [rule])

    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].reasons == [
        "free shipping is already reached and there is no reachedMessage"
    ]


def test_no_threshold_or_no_cart_means_no_notice_whatever_the_conditions() -> None:
    # given a notice whose own condition does not look at the cart
    rule = stored(free_shipping_rule({"visitCount": {"gte": 1}}))

    # when
    without_threshold = evaluate(context(), facts(cart="40"), [rule])
    without_cart = evaluate(context(), facts(threshold="50"), [rule])

    # then
    assert without_threshold.decisions == []
    assert without_threshold.outcomes[0].reasons == [
        "no free-shipping threshold applies to this channel and country"
    ]
    assert without_cart.decisions == []
    assert without_cart.outcomes[0].reasons == ["no cart yet"]


def test_a_cart_in_another_currency_than_the_threshold_gets_no_notice() -> None:
    # given a dollar cart against a euro threshold
    rule = stored(free_shipping_rule({"visitCount": {"gte": 1}}))
    store = StoreFacts(
        channel="default-channel",
        currency="EUR",
        cart=CartFacts(Decimal("40"), 1, "USD"),
        free_shipping_threshold=Money(Decimal("50"), "EUR"),
    )

    # when
    evaluation = evaluate(context(), store, [rule])

    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].reasons == [
        "the cart's currency differs from the free-shipping threshold's"
    ]
