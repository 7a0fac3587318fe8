"""The product comparison action (CONTRACT §4.1): its document, when it can show, and
`data.products` (most recent first, channel prices, shared attributes only)."""

from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.money import Money
from saleor_proactive.triggers.comparison import product_url
from saleor_proactive.triggers.context import CatalogueProduct
from saleor_proactive.triggers.engine import evaluate
from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.validation import DocumentError
from tests.rules import comparison_rule
from tests.triggers.builders import context, facts, stored


def product(pk: int, *attributes: tuple[str, str], price: str = "10.00") -> CatalogueProduct:
    return CatalogueProduct(
        id=f"Product:{pk}",
        name=f"Product {pk}",
        url=f"https://shop.example/p/{pk}",
        thumbnail=f"https://media.example/{pk}.png",
        price=Money(Decimal(price), "EUR"),
        attributes=attributes,
    )


def shown(products: tuple[CatalogueProduct, ...], **show: Any) -> Any:
    rule = stored(comparison_rule(**show))
    visitor = context(products_viewed=max(2, len(products)), locale="es-ES")
    return evaluate(visitor, facts(viewed_products=products), [rule])


def test_the_panel_lists_the_products_most_recent_first_with_channel_prices() -> None:
    first, second = product(2, price="38.00"), product(1, price="12.50")
    (decision,) = shown((first, second)).decisions
    assert decision.type == "product_comparison"
    assert decision.slot == "bubble"
    assert decision.cta == "Comparar"  # a default in the visitor's language
    assert decision.data["products"] == [
        {
            "id": "Product:2",
            "name": "Product 2",
            "url": "https://shop.example/p/2",
            "thumbnail": "https://media.example/2.png",
            "price": {"amount": 38.0, "currency": "EUR"},
            "attributes": [],
        },
        {
            "id": "Product:1",
            "name": "Product 1",
            "url": "https://shop.example/p/1",
            "thumbnail": "https://media.example/1.png",
            "price": {"amount": 12.5, "currency": "EUR"},
            "attributes": [],
        },
    ]


def test_only_attributes_on_at_least_two_shown_products_are_kept() -> None:
    products = (
        product(1, ("Origin", "Ethiopia"), ("Roast", "Light"), ("Process", "Washed")),
        product(2, ("Origin", "Colombia"), ("Weight", "1 kg")),
        product(3, ("Roast", "Dark"), ("Altitude", "1800 m")),
    )
    (decision,) = shown(products).decisions
    names = [[a["name"] for a in p["attributes"]] for p in decision.data["products"]]
    assert names == [["Origin", "Roast"], ["Origin"], ["Roast"]]


def test_the_shared_rule_counts_only_the_products_shown() -> None:
    # Roast is on products 1 and 3; with maxProducts 2 product 3 is not shown, so no Roast row
    products = (product(1, ("Roast", "Light")), product(2), product(3, ("Roast", "Dark")))
    (decision,) = shown(products, max_products=2).decisions
    assert [p["id"] for p in decision.data["products"]] == ["Product:1", "Product:2"]
    assert all(p["attributes"] == [] for p in decision.data["products"])


def test_at_most_max_products_are_shown_four_by_default() -> None:
    products = tuple(product(pk) for pk in range(1, 9))
    (decision,) = shown(products).decisions
    assert len(decision.data["products"]) == 4
    (decision,) = shown(products, max_products=6).decisions
    assert len(decision.data["products"]) == 6


def test_fewer_than_two_known_products_show_nothing_and_say_why() -> None:
    (outcome,) = shown((product(1),)).outcomes
    assert not outcome.fired
    assert "a comparison needs 2" in outcome.reasons[0]


def test_markup_in_attribute_values_is_passed_as_text_untouched() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    (decision,) = shown((product(1, ("Note", hostile)), product(2, ("Note", "ok")))).decisions
    assert decision.data["products"][0]["attributes"] == [{"name": "Note", "value": hostile}]


def test_hold_out_applies_to_a_comparison_like_to_any_trigger() -> None:
    rule = stored(comparison_rule(holdoutPercent=50))
    products = (product(1), product(2))
    held = [
        evaluate(
            context(visitor_id=f"v{i}", products_viewed=2), facts(viewed_products=products), [rule]
        )
        for i in range(200)
    ]
    controls = [e for e in held if e.control_exposures]
    assert 60 < len(controls) < 140
    assert all(not e.decisions for e in controls)


@pytest.mark.parametrize(
    ("show", "path"),
    [
        ({"maxProducts": 1}, "show.maxProducts"),
        ({"maxProducts": 7}, "show.maxProducts"),
        ({"maxProducts": "4"}, "show.maxProducts"),
        ({"cta": "Compare"}, "show.cta"),
    ],
)
def test_a_bad_comparison_block_is_refused_with_its_path(show: dict[str, Any], path: str) -> None:
    document = comparison_rule()
    document["show"] = {**document["show"], **show}
    with pytest.raises(DocumentError) as caught:
        parse_rule(document)
    assert caught.value.path == path


def test_max_products_defaults_to_four_in_the_normalised_document() -> None:
    assert parse_rule(comparison_rule()).to_document()["show"]["maxProducts"] == 4
    assert parse_rule(comparison_rule(max_products=6)).to_document()["show"]["maxProducts"] == 6


@pytest.mark.parametrize(
    ("pattern", "slug", "expected"),
    [
        ("https://shop.example/products/{slug}", "burr-grinder", "https://shop.example/products/burr-grinder"),
        ("https://shop.example/p/{id}/{slug}", "a b", "https://shop.example/p/UHJvZHVjdDo2/a%20b"),
        ("https://shop.example/p?id={id}", None, "https://shop.example/p?id=UHJvZHVjdDo2"),
        ("https://shop.example/products/{slug}", None, None),  # no slug known yet
        (None, "burr-grinder", None),  # no pattern: no link
    ],
)  # fmt: skip
def test_the_product_url_comes_from_the_merchant_pattern(
    pattern: str | None, slug: str | None, expected: str | None
) -> None:
    assert product_url(pattern, "UHJvZHVjdDo2", slug) == expected
