"""The triggers every new installation starts with: the moments of DESIGN §1, in four languages."""

from __future__ import annotations

from typing import Any

_CHAT_CTA = {
    "en": "Chat with us",
    "es": "Chatea con nosotros",
    "de": "Chatte mit uns",
    "fr": "Discutons",
}


def _chat(
    name: str, priority: int, when: dict[str, Any], message: dict[str, str]
) -> dict[str, Any]:
    return {
        "name": name,
        "enabled": True,
        "priority": priority,
        "channels": [],
        "when": when,
        "show": {"type": "chat_prompt", "message": message, "cta": dict(_CHAT_CTA)},
        "frequency": {"maxPerVisitor": 1, "per": "session", "cooldownMinutes": 0},
        "holdoutPercent": 10,
    }


def default_rule_documents() -> list[dict[str, Any]]:
    """Fresh documents (callers may change them); each passes `parse_rule`."""
    return [
        _chat(
            "Help on the contact and FAQ pages",
            300,
            {"pageType": {"in": ["contact", "faq"]}},
            {
                "en": "Didn't find your answer? Ask us, we reply in minutes.",
                "es": "¿No encuentras la respuesta? Pregúntanos, respondemos en minutos.",
                "de": "Keine Antwort gefunden? Frag uns, wir antworten in Minuten.",
                "fr": "Vous n'avez pas trouvé la réponse ? Écrivez-nous, nous répondons vite.",
            },
        ),
        _chat(
            "Lingering on checkout",
            250,
            {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 60}}]},
            {
                "en": "Questions about delivery, costs or returns? We're here to help.",
                "es": "¿Dudas sobre el envío, los costes o las devoluciones? Te ayudamos.",
                "de": "Fragen zu Lieferung, Kosten oder Rückgabe? Wir helfen gern.",
                "fr": "Une question sur la livraison, les frais ou les retours ? On vous aide.",
            },
        ),
        _chat(
            "High-value cart about to leave",
            200,
            {"all": [{"cartValue": {"gte": 100}}, {"exitIntent": {"eq": True}}]},
            {
                "en": "Before you go: can we help you complete your order?",
                "es": "Antes de irte: ¿te ayudamos a completar tu pedido?",
                "de": "Bevor du gehst: Können wir bei deiner Bestellung helfen?",
                "fr": "Avant de partir : pouvons-nous vous aider à finaliser votre commande ?",
            },
        ),
        _chat(
            "Expensive product viewed",
            150,
            {"maxViewedProductPrice": {"gte": 500}},
            {
                "en": "Considering a bigger purchase? Our specialist can advise you.",
                "es": "¿Pensando en una compra importante? Nuestro especialista te asesora.",
                "de": "Eine größere Anschaffung? Unsere Fachberatung hilft dir gern.",
                "fr": "Un achat important ? Notre spécialiste vous conseille.",
            },
        ),
        _chat(
            "Comparing many products",
            100,
            {"productsViewed": {"gte": 6}},
            {
                "en": "Comparing options? Tell us what you need and we'll recommend one.",
                "es": "¿Comparando opciones? Cuéntanos qué buscas y te recomendamos.",
                "de": "Du vergleichst? Sag uns, was du brauchst, wir empfehlen dir etwas.",
                "fr": "Vous comparez ? Dites-nous ce qu'il vous faut, on vous conseille.",
            },
        ),
        free_shipping_progress(),
    ]


FREE_SHIPPING_NAME = "Free-shipping progress"
_FREE_SHIPPING_MESSAGE = {
    "en": "You are {remaining} away from free shipping",
    "es": "Te faltan {remaining} para el envío gratis",
    "de": "Noch {remaining} bis zum kostenlosen Versand",
    "fr": "Plus que {remaining} pour la livraison gratuite",
}
_FREE_SHIPPING_REACHED = {
    "en": "You've unlocked free shipping!",
    "es": "¡Tienes el envío gratis!",
    "de": "Du hast kostenlosen Versand!",
    "fr": "Livraison gratuite débloquée !",
}


def free_shipping_progress() -> dict[str, Any]:
    """The bar on every page once the cart holds anything (the engine adds: and a threshold
    applies), whatever the currency: a fixed distance such as "15 away" means nothing in yen."""
    return {
        "name": FREE_SHIPPING_NAME,
        "enabled": True,
        "priority": 100,
        "channels": [],
        "when": {"cartItems": {"gte": 1}},
        "show": {
            "type": "free_shipping_notice",
            "message": dict(_FREE_SHIPPING_MESSAGE),
            "reachedMessage": dict(_FREE_SHIPPING_REACHED),
        },
        "frequency": {"maxPerVisitor": 1, "per": "pageView", "cooldownMinutes": 0},
        "holdoutPercent": 10,
    }


def previous_free_shipping_progress() -> dict[str, Any]:
    """The default of earlier versions (within 15 of the threshold, three times a session):
    an installation that still has it untouched is moved to `free_shipping_progress`."""
    return {
        **free_shipping_progress(),
        "when": {"remainingToFreeShipping": {"lte": 15}},
        "frequency": {"maxPerVisitor": 3, "per": "session", "cooldownMinutes": 0},
    }
