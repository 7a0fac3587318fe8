"""When an offer can show, and the action it makes (no code: the snippet claims one on click)."""

from __future__ import annotations

from .context import ActionType, Decision, Slot, StoreFacts, VisitorContext
from .localise import pick_text
from .rules import Show
from .texts import fill_placeholders

DEFAULT_CTA = {
    "en": "Show my code",
    "es": "Ver mi código",
    "fr": "Voir mon code",
    "de": "Code zeigen",
}


def offer_problem(show: Show, facts: StoreFacts) -> str | None:
    """Why the offer cannot show for these facts: Saleor would refuse the code for this cart."""
    offer = show.offer
    if offer is None or offer.minimum_cart_value is None:
        return None
    if facts.cart is None or facts.cart.value < offer.minimum_cart_value:
        return f"the cart is below the offer's minimum of {offer.minimum_cart_value}"
    return None


def offer_decision(
    trigger_id: str, show: Show, show_after_ms: int, context: VisitorContext, facts: StoreFacts
) -> Decision:
    offer = show.offer
    assert offer is not None
    words = {
        "discount": offer.discount_words(facts.currency, context.locale),
        "expires": _duration(offer.valid_minutes),
    }
    message = fill_placeholders(pick_text(show.message, context.locale), words)
    # Without a button the code could not be asked for: a default one then.
    cta = fill_placeholders(pick_text(show.cta or DEFAULT_CTA, context.locale), words)
    data: dict[str, object] = {"offer": offer.discount_document(), "claim": True}
    return Decision(trigger_id, ActionType.OFFER, Slot.BUBBLE, show_after_ms, message, cta, data)


def _duration(minutes: int) -> str:
    """`{expires}` before the claim: how long a code stays valid (the claim answers the time)."""
    if minutes % 1440 == 0:
        return f"{minutes // 1440} d"
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min"
