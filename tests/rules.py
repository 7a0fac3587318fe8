"""Rule documents for tests, one builder per kind of action; a test passes only the fields
that matter to it (any top-level field of the document replaces the default)."""

from __future__ import annotations

from typing import Any

AT_CHECKOUT: dict[str, Any] = {"pageType": {"in": ["checkout"]}}
NEAR_FREE_SHIPPING: dict[str, Any] = {"remainingToFreeShipping": {"lte": 15}}


def chat_rule(
    name: str = "Help", when: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """A chat prompt that says "<name>?" in English and Spanish, shown to every visitor."""
    return {
        "name": name,
        "when": AT_CHECKOUT if when is None else when,
        "show": {
            "type": "chat_prompt",
            "message": {"en": f"{name}?", "es": f"¿{name}?"},
            "cta": {"en": "Chat with us"},
        },
        "holdoutPercent": 0,
        **fields,
    }


def free_shipping_rule(
    when: dict[str, Any] | None = None,
    reached: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The free-shipping notice in English and Spanish, shown to every visitor; `reached` is
    its message once the cart has reached the threshold."""
    show: dict[str, Any] = {
        "type": "free_shipping_notice",
        "message": {
            "en": "You are {remaining} away from free shipping",
            "es": "Te faltan {remaining} para el envío gratis",
        },
    }
    if reached is not None:
        show["reachedMessage"] = reached
    return {
        "name": "Free shipping",
        "when": NEAR_FREE_SHIPPING if when is None else when,
        "show": show,
        "holdoutPercent": 0,
        **fields,
    }


def comparison_rule(
    when: dict[str, Any] | None = None, max_products: int | None = None, **fields: Any
) -> dict[str, Any]:
    """The product comparison, offered to every visitor who viewed two products."""
    show: dict[str, Any] = {
        "type": "product_comparison",
        "message": {"en": "Comparing options? Here they are side by side."},
    }
    if max_products is not None:
        show["maxProducts"] = max_products
    return {
        "name": "Compare",
        "when": {"productsViewed": {"gte": 2}} if when is None else when,
        "show": show,
        "holdoutPercent": 0,
        **fields,
    }


def offer_rule(
    name: str = "Ten off",
    when: dict[str, Any] | None = None,
    offer: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A 10 % offer valid 60 minutes, shown to every visitor at checkout."""
    terms = {"discount": {"type": "percentage", "value": 10}, "validMinutes": 60}
    return {
        "name": name,
        "when": AT_CHECKOUT if when is None else when,
        "show": {
            "type": "offer",
            "message": {"en": "{discount} off your order, for {expires}"},
            "cta": {"en": "Get my code"},
            "offer": terms if offer is None else offer,
        },
        "holdoutPercent": 0,
        **fields,
    }
