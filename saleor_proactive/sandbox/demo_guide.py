"""What `make demo` prints first: where to look, and how to bring up each default prompt.

The figures come from the default triggers and the sandbox's seed data, so the guide stays
true when either changes; a default trigger the guide has no recipe for gets a generic line.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..store.merchant_settings import MerchantSettings
from ..triggers.defaults import default_rule_documents
from .seed import DEFAULT_CHANNEL, FREE_SHIPPING_MINIMUM, PRODUCTS

CURRENCY = "EUR"  # the default channel's
PAGE_LINKS = {"faq": "FAQ"}  # page types whose link in the shop is not the capitalised name


def leaves(when: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (fact, operator object) of a `when` tree, combinators flattened."""
    for key, value in when.items():
        if key in ("all", "any"):
            for child in value:
                yield from leaves(child)
        elif key == "not":
            yield from leaves(value)
        else:
            yield key, value


def _money(amount: Decimal) -> str:
    return f"{amount:.2f} {CURRENCY}"


def _first_product_from(price: Decimal) -> str:
    for _pk, _variant, name, _category, eur, _usd in PRODUCTS:
        if Decimal(eur) >= price:
            return f"{name} ({_money(Decimal(eur))})"
    return f"a product of {_money(price)} or more"


def _step(fact: str, operator: dict[str, Any]) -> str | None:
    """How a visitor makes one condition true in the demo shop, or None to leave it out."""
    bound = operator.get("gte", operator.get("gt"))
    if fact == "pageType":
        pages = (PAGE_LINKS.get(page, page.capitalize()) for page in operator["in"])
        return "open " + " or ".join(pages) + " in the shop"
    if fact == "timeOnPage":
        return f"stay {bound} s on that page"
    if fact == "productsViewed":
        return f"view {bound} different product pages"
    if fact == "maxViewedProductPrice":
        return f"view {_first_product_from(Decimal(str(bound)))}"
    if fact == "cartValue":
        return f"put {_money(Decimal(str(bound)))} or more in the cart"
    if fact == "cartItems" and bound is not None:
        threshold = FREE_SHIPPING_MINIMUM[DEFAULT_CHANNEL]
        things = "anything" if bound <= 1 else f"{bound} items or more"
        return (
            f"put {things} in the cart: the bar then shows on every page "
            f"(free shipping from {_money(threshold)}; from there on it says so)"
        )
    if fact == "exitIntent":
        return "move the pointer out through the top of the window (desktop)"
    if fact == "remainingToFreeShipping" and "lte" in operator:
        threshold = FREE_SHIPPING_MINIMUM[DEFAULT_CHANNEL]
        low = threshold - Decimal(str(operator["lte"]))
        return (
            f"put {_money(max(low, Decimal(0)))} to {_money(threshold - Decimal('0.01'))} "
            f"in the cart (free shipping from {_money(threshold)}; from there on it says so)"
        )
    return None


def prompt_recipes() -> list[tuple[str, str]]:
    """(trigger name, what to do) for each default trigger, highest priority first."""
    documents = sorted(default_rule_documents(), key=lambda d: -int(d["priority"]))
    recipes = []
    for document in documents:
        steps = [step for fact, op in leaves(document["when"]) if (step := _step(fact, op))]
        recipes.append((document["name"], ", then ".join(steps) or "see the app page's editor"))
    return recipes


def guide_lines(shop_url: str | None, dashboard_url: str) -> list[str]:
    """The lines `make demo` prints before the list of URLs."""
    lines = []
    if shop_url:
        lines += ["Open the demo storefront, as a visitor would:", f"  {shop_url}", ""]
    lines += [
        "The merchant's side, the app page inside the sandbox Dashboard:",
        f"  {dashboard_url}",
    ]
    lines += ["", "How to see each default prompt in the storefront:"]
    recipes = prompt_recipes()
    width = max(len(name) for name, _ in recipes)
    lines += [f"  {name.ljust(width)}  {recipe}" for name, recipe in recipes]
    quiet = MerchantSettings().quiet_period_minutes
    holdout = {int(document["holdoutPercent"]) for document in default_rule_documents()}
    lines += [
        "",
        "A prompt shows at most as often as its trigger allows, closing one keeps every prompt",
        f"away for {quiet} minutes, and {'/'.join(map(str, sorted(holdout)))} % of visitors are "
        "held out of each prompt",
        "(the hold-out group that measures the uplift): a private window starts afresh.",
    ]
    return lines
