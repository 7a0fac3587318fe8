"""What `make demo` prints first: how to bring up each default prompt, from the real defaults."""

from __future__ import annotations

from saleor_proactive.sandbox.demo_guide import guide_lines, prompt_recipes
from saleor_proactive.triggers.defaults import default_rule_documents


def test_every_default_trigger_has_a_recipe_with_the_figures_of_its_conditions() -> None:
    # when
    recipes = dict(prompt_recipes())

    # then each default trigger is listed, and its figures are the seed's and the trigger's
    assert set(recipes) == {document["name"] for document in default_rule_documents()}
    assert recipes["Lingering on checkout"] == (
        "open Checkout in the shop, then stay 60 s on that page"
    )
    assert recipes["Help on the contact and FAQ pages"] == "open Contact or FAQ in the shop"
    assert recipes["Expensive product viewed"] == "view Lever Espresso Machine (649.00 EUR)"
    assert recipes["Free-shipping progress"].startswith(
        "put anything in the cart: the bar then shows on every page (free shipping from 50.00 EUR"
    )
    assert "100.00 EUR or more" in recipes["High-value cart about to leave"]
    assert "top of the window" in recipes["High-value cart about to leave"]


def test_the_guide_names_the_storefront_first_and_the_dashboard() -> None:
    # when
    lines = guide_lines("http://127.0.0.1:8002", "http://127.0.0.1:8001/dashboard/")

    # then
    assert lines[:2] == ["Open the demo storefront, as a visitor would:", "  http://127.0.0.1:8002"]
    assert "  http://127.0.0.1:8001/dashboard/" in lines
    assert any("10 % of visitors are held out" in line for line in lines)
