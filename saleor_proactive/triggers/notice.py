"""The free-shipping notice: when it can show, and its message with the amounts filled in."""

from __future__ import annotations

from .context import ActionType, Decision, Money, Slot, StoreFacts, VisitorContext
from .evaluator import remaining_to_free_shipping
from .localise import format_money, pick_text
from .rules import Show
from .texts import fill_placeholders

_REACHED_WITHOUT_MESSAGE = "free shipping is already reached and there is no reachedMessage"


def notice_problem(show: Show, facts: StoreFacts) -> str | None:
    """Why the notice cannot show for these facts, or None when it can."""
    if facts.free_shipping_threshold is None:
        return "no free-shipping threshold applies to this channel and country"
    if facts.cart is None:
        return "no cart yet"
    if facts.cart.currency != facts.free_shipping_threshold.currency:
        return "the cart's currency differs from the free-shipping threshold's"
    try:
        remaining = remaining_to_free_shipping(facts)
    except ArithmeticError:  # NaN
        return "the cart's value is not a number"
    if remaining == 0 and show.reached_message is None:
        return _REACHED_WITHOUT_MESSAGE
    return None


def notice_decision(
    trigger_id: str, show: Show, show_after_ms: int, context: VisitorContext, facts: StoreFacts
) -> Decision:
    """Assumes `notice_problem` found nothing: a threshold and a cart in its currency exist."""
    threshold, cart = facts.free_shipping_threshold, facts.cart
    assert threshold is not None and cart is not None
    remaining = remaining_to_free_shipping(facts)
    assert remaining is not None
    amounts = {
        "remaining": Money(remaining, threshold.currency),
        "threshold": threshold,
        "cartValue": Money(cart.value, cart.currency),
    }
    reached = remaining == 0
    texts = show.reached_message if reached and show.reached_message else show.message
    text = pick_text(texts, context.locale)
    words = {
        name: format_money(money.amount, money.currency, context.locale)
        for name, money in amounts.items()
        if "{" + name + "}" in text  # formatting is the costly part: only what the text uses
    }
    message = fill_placeholders(text, words)
    data: dict[str, object] = {name: money.as_json() for name, money in amounts.items()}
    if reached:
        data["reached"] = True
    return Decision(
        trigger_id, ActionType.FREE_SHIPPING_NOTICE, Slot.BAR, show_after_ms, message, data=data
    )
