"""The demo shop's words in English and Spanish, and money as each language writes it."""

from __future__ import annotations

from decimal import Decimal

LANGUAGES = ("en", "es")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "shop": "Proactive Coffee Co.",
        "home": "Home",
        "cart": "Cart",
        "checkout": "Checkout",
        "contact": "Contact",
        "faq": "FAQ",
        "faq_title": "Frequently asked questions",
        "welcome": "Freshly roasted coffee and the gear to brew it.",
        "free_shipping": "Free shipping in Spain from 50 €.",
        "add": "Add to cart",
        "added": "Added to your cart",
        "empty": "Your cart is empty.",
        "subtotal": "Subtotal",
        "quantity": "Quantity",
        "update_quantity": "Update",
        "remove": "Remove",
        "to_checkout": "Go to checkout",
        "place_order": "Place order",
        "email": "Email",
        "address": "Address",
        "thanks": "Thank you! Your order is placed.",
        "contact_intro": "Questions? Write to us or open the chat.",
        "message": "Message",
        "send": "Send",
        "other_language": "Español",
        "categories": "Categories",
        "item_count": "items",
    },
    "es": {
        "shop": "Proactive Coffee Co.",
        "home": "Inicio",
        "cart": "Carrito",
        "checkout": "Pagar",
        "contact": "Contacto",
        "faq": "Preguntas frecuentes",
        "faq_title": "Preguntas frecuentes",
        "welcome": "Café recién tostado y todo para prepararlo.",
        "free_shipping": "Envío gratis en España a partir de 50 €.",
        "add": "Añadir al carrito",
        "added": "Añadido a tu carrito",
        "empty": "Tu carrito está vacío.",
        "subtotal": "Subtotal",
        "quantity": "Cantidad",
        "update_quantity": "Actualizar",
        "remove": "Quitar",
        "to_checkout": "Ir a pagar",
        "place_order": "Realizar pedido",
        "email": "Correo electrónico",
        "address": "Dirección",
        "thanks": "¡Gracias! Tu pedido está hecho.",
        "contact_intro": "¿Dudas? Escríbenos o abre el chat.",
        "message": "Mensaje",
        "send": "Enviar",
        "other_language": "English",
        "categories": "Categorías",
        "item_count": "artículos",
    },
}

# The FAQ page: the page a visitor reads when they look for an answer themselves.
FAQ: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "How long does delivery take?",
            "Orders placed before 2 pm leave the roastery the same day and arrive in 1-3 days.",
        ),
        ("When is shipping free?", "In Spain from 50 € in your cart; below that it is 4.99 €."),
        (
            "Can I return my order?",
            "Unopened coffee and any equipment within 30 days; we send you a return label.",
        ),
        ("Is the coffee ground?", "Whole beans unless you ask us in a message at checkout."),
    ],
    "es": [
        (
            "¿Cuánto tarda la entrega?",
            "Los pedidos hechos antes de las 14 h salen el mismo día y llegan en 1-3 días.",
        ),
        (
            "¿Cuándo es gratis el envío?",
            "En España a partir de 50 € en tu carrito; por debajo cuesta 4,99 €.",
        ),
        (
            "¿Puedo devolver mi pedido?",
            "El café sin abrir y cualquier equipo en 30 días; te enviamos una etiqueta.",
        ),
        ("¿El café va molido?", "En grano, salvo que nos lo pidas en un mensaje al pagar."),
    ],
}

SYMBOLS = {"EUR": "€", "USD": "$"}


def format_money(amount: Decimal, currency: str, language: str) -> str:
    symbol = SYMBOLS.get(currency, currency)
    if language == "es":
        text = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        return f"{text} {symbol}"
    return f"{symbol}{amount:,.2f}"
