"""The merchant API's side of the catalogue leaves and the comparison: the URL pattern setting,
the simulator's page category, viewed and cart products, and the vocabulary the editor reads."""

from __future__ import annotations

from decimal import Decimal

from saleor_proactive.dashboard.vocabulary import vocabulary
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import ProductPrice, ProductSnapshot, utcnow
from tests.dashboard.test_schema_store import SIMULATE, make_trigger
from tests.fixtures.dashboard import MerchantInstallation, run_query
from tests.rules import chat_rule, comparison_rule

URL_PATTERN = """
mutation($input: SettingsInput!) {
  updateSettings(input: $input) { settings { productUrlPattern } errors { field message } }
}"""
GRINDER, MACHINE = "UHJvZHVjdDo2", "UHJvZHVjdDo1"
EQUIPMENT = "Q2F0ZWdvcnk6Mg=="


def _products(database: Database, merchant: MerchantInstallation) -> None:
    with database.session() as session:
        for product_id, name, slug, price in (
            (GRINDER, "Burr Grinder", "burr-grinder", "189.00"),
            (MACHINE, "Lever Espresso Machine", "lever-espresso-machine", "649.00"),
        ):
            product = ProductSnapshot(
                installation_id=merchant.id,
                product_id=product_id,
                name=name,
                slug=slug,
                category_id=EQUIPMENT,
                attributes=[{"name": "Material", "value": "Steel"}],
                saleor_updated_at=utcnow(),
            )
            session.add(product)
            session.flush()
            session.add(
                ProductPrice(
                    installation_id=merchant.id,
                    product_snapshot_id=product.id,
                    channel_slug="default-channel",
                    currency="EUR",
                    gross=Decimal(price),
                )
            )


def _set_pattern(database: Database, merchant: MerchantInstallation, pattern: object) -> dict:
    variables = {"input": {"productUrlPattern": pattern}}
    return dict(run_query(database, merchant, URL_PATTERN, variables).data["updateSettings"])


def test_the_product_url_pattern_is_a_setting_and_null_removes_it(
    database: Database, merchant: MerchantInstallation
) -> None:
    pattern = "https://shop.example.com/products/{slug}"
    assert _set_pattern(database, merchant, pattern)["settings"] == {"productUrlPattern": pattern}
    assert _set_pattern(database, merchant, None)["settings"] == {"productUrlPattern": None}


def test_a_bad_product_url_pattern_is_refused_with_its_field(
    database: Database, merchant: MerchantInstallation
) -> None:
    for pattern, words in (
        ("https://shop.example.com/products", "{slug} or {id}"),
        ("javascript:alert(1)//{id}", "http(s)"),
        ("https://shop.example.com/{sku}/{id}", "only the placeholders"),
    ):
        result = _set_pattern(database, merchant, pattern)
        assert result["settings"] is None
        assert result["errors"][0]["field"] == "productUrlPattern"
        assert words in result["errors"][0]["message"]


def test_simulate_uses_the_catalogue_for_viewed_products_and_the_comparison(
    database: Database, merchant: MerchantInstallation
) -> None:
    _products(database, merchant)
    _set_pattern(database, merchant, "https://shop.example.com/p/{slug}")
    make_trigger(database, merchant, comparison_rule(when={"viewedCategory": {"in": [EQUIPMENT]}}))
    visitor = {
        "channel": "default-channel",
        "productsViewed": 3,
        "viewedProductIds": [MACHINE, "UHJvZHVjdDo5OTk=", GRINDER],
    }

    result = run_query(database, merchant, SIMULATE, {"visitor": visitor}).data["simulate"]

    assert result["errors"] == []
    [action] = result["actions"]
    assert action["type"] == "product_comparison"
    assert [(p["name"], p["url"]) for p in action["data"]["products"]] == [
        ("Lever Espresso Machine", "https://shop.example.com/p/lever-espresso-machine"),
        ("Burr Grinder", "https://shop.example.com/p/burr-grinder"),
    ]


def test_simulate_takes_the_page_category_and_the_cart_products(
    database: Database, merchant: MerchantInstallation
) -> None:
    make_trigger(
        database,
        merchant,
        chat_rule(
            "Grinder owners",
            {"all": [{"category": {"in": [EQUIPMENT]}}, {"cartContains": {"in": [GRINDER]}}]},
        ),
    )
    base = {"channel": "default-channel", "pageCategoryId": EQUIPMENT}

    shown = run_query(
        database, merchant, SIMULATE, {"visitor": {**base, "cartProductIds": [GRINDER]}}
    ).data["simulate"]
    not_shown = run_query(database, merchant, SIMULATE, {"visitor": base}).data["simulate"]

    assert [a["message"] for a in shown["actions"]] == ["Grinder owners?"]
    assert not_shown["actions"] == []
    assert not_shown["outcomes"][0]["reasons"] == ["cartContains is none, needs one of " + GRINDER]


def test_the_editor_vocabulary_declares_the_catalogue_leaves_id_kinds() -> None:
    assert vocabulary()["catalogueLeaves"] == {
        "category": "categoryIds",
        "viewedCategory": "categoryIds",
        "viewedProduct": "productIds",
        "cartContains": "productIds",
    }
