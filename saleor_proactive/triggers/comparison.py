"""The product comparison (CONTRACT §4.1): which viewed products it shows, what it says of them.

The products come from the catalogue (`StoreFacts.viewed_products`: listed in the channel, most
recent first); a comparison needs at least two. Only attributes whose name appears on at least
two of the products shown are kept: a row with one value compares nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from .context import ActionType, CatalogueProduct, Decision, Slot, StoreFacts, VisitorContext
from .localise import pick_text
from .rules import DEFAULT_MAX_PRODUCTS, MIN_PRODUCTS, Show

# The button that opens the panel, when the merchant wrote none.
DEFAULT_CTA = {
    "en": "Compare",
    "es": "Comparar",
    "de": "Vergleichen",
    "fr": "Comparer",
    "it": "Confronta",
    "pt": "Comparar",
}
URL_PLACEHOLDERS = ("slug", "id")


def comparison_problem(facts: StoreFacts) -> str | None:
    """Why there is nothing to compare, or None when there is."""
    known = len(facts.viewed_products)
    if known < MIN_PRODUCTS:
        return (
            f"{known} viewed product(s) listed in this channel, a comparison needs {MIN_PRODUCTS}"
        )
    return None


def comparison_decision(
    trigger_id: str, show: Show, show_after_ms: int, context: VisitorContext, facts: StoreFacts
) -> Decision:
    shown = facts.viewed_products[: show.max_products or DEFAULT_MAX_PRODUCTS]
    return Decision(
        trigger_id,
        ActionType.PRODUCT_COMPARISON,
        Slot.BUBBLE,
        show_after_ms,
        pick_text(show.message, context.locale),
        pick_text(show.cta or DEFAULT_CTA, context.locale),
        {"products": products_json(shown)},
    )


def products_json(products: tuple[CatalogueProduct, ...]) -> list[dict[str, Any]]:
    """`data.products`: each product with only the attributes it shares with another one."""
    names = Counter(name for product in products for name in {n for n, _ in product.attributes})
    shared = {name for name, count in names.items() if count >= MIN_PRODUCTS}
    return [
        {
            "id": product.id,
            "name": product.name,
            "url": product.url,
            "thumbnail": product.thumbnail,
            "price": product.price.as_json(),
            "attributes": [
                {"name": name, "value": value}
                for name, value in product.attributes
                if name in shared
            ],
        }
        for product in products
    ]


def product_url(pattern: str | None, product_id: str, slug: str | None) -> str | None:
    """The storefront's address of a product from the merchant's pattern (`{slug}`, `{id}`);
    None without a pattern, or when it needs a slug the catalogue does not have."""
    if pattern is None or ("{slug}" in pattern and not slug):
        return None
    url = pattern.replace("{id}", quote(product_id, safe=""))
    return url.replace("{slug}", quote(slug or "", safe=""))
