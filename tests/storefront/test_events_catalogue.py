"""Catalogue leaves and the product comparison through the visitor API (CONTRACT §4.1): the
page's category from the catalogue (the snippet's id only for unknown products), viewed
products in the order of their last view, the cart's products as Saleor reported them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient

from saleor_proactive.merchant_settings import MerchantSettings
from saleor_proactive.store.merchant_settings import save_settings
from saleor_proactive.store.models import Installation
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule, comparison_rule
from tests.storefront.helpers import body, now_ms, page_view, post

COFFEE = "Q2F0ZWdvcnk6MQ=="
EQUIPMENT = "Q2F0ZWdvcnk6Mg=="
BEANS = "UHJvZHVjdDox"  # in COFFEE, per the catalogue
GRINDER = "UHJvZHVjdDo2"  # in EQUIPMENT
KETTLE = "UHJvZHVjdDo3"  # in EQUIPMENT, listed only in the USD channel
UNKNOWN = "UHJvZHVjdDo5OTk="


def _actions(client: FlaskClient, events: list[dict[str, Any]], **fields: Any) -> list[Any]:
    response = post(client, body(events, **fields))
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["actions"])


def _catalogue(shop: ShopRows) -> None:
    eur = {"default-channel": Decimal("12.50")}
    shop.product(BEANS, COFFEE, eur, name="Beans", slug="beans", attributes={"Roast": "Light"})
    shop.product(
        GRINDER,
        EQUIPMENT,
        {"default-channel": Decimal("189.00")},
        name="Burr <b>Grinder</b>",
        slug="burr-grinder",
        thumbnail_url="https://media.example/grinder.png",
        attributes={"Roast": "<script>alert(1)</script>", "Power": "150 W"},
    )
    shop.product(KETTLE, EQUIPMENT, {"channel-usd": Decimal("59.00")}, name="Kettle")


def _product_view(product_id: str, category_id: str | None = None) -> dict[str, Any]:
    event = {"type": "product_view", "productId": product_id, "ts": now_ms()}
    if category_id:
        event["categoryId"] = category_id
    return event


def test_a_category_page_reports_its_category(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    shop.trigger(chat_rule(when={"category": {"in": [EQUIPMENT]}}))
    equipment = {**page_view(page_type="category"), "categoryId": EQUIPMENT}
    coffee = {**page_view(page_type="category"), "categoryId": COFFEE}

    assert len(_actions(storefront_client, [equipment])) == 1
    assert _actions(storefront_client, [coffee]) == []


def test_a_product_page_takes_the_catalogues_category_over_the_snippets(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    _catalogue(shop)
    shop.trigger(chat_rule(when={"category": {"in": [EQUIPMENT]}}))
    # the page claims EQUIPMENT, but the catalogue knows BEANS as coffee
    claimed = {**page_view(page_type="product"), "productId": BEANS, "categoryId": EQUIPMENT}
    assert _actions(storefront_client, [claimed]) == []
    # an unknown product: the snippet's category is all there is
    unknown = {**page_view(page_type="product"), "productId": UNKNOWN, "categoryId": EQUIPMENT}
    assert len(_actions(storefront_client, [unknown])) == 1


def test_a_product_view_after_its_page_view_gives_the_page_its_category(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    _catalogue(shop)
    shop.trigger(chat_rule(when={"category": {"in": [EQUIPMENT]}}))
    assert _actions(storefront_client, [page_view(page_type="product")]) == []
    assert len(_actions(storefront_client, [_product_view(GRINDER)])) == 1


def test_viewed_category_counts_the_catalogues_category_and_the_snippets_for_unknown_products(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    _catalogue(shop)
    shop.trigger(chat_rule(when={"viewedCategory": {"in": [EQUIPMENT]}}))
    assert _actions(storefront_client, [page_view(), _product_view(BEANS, EQUIPMENT)]) == []
    events = [page_view(), _product_view(UNKNOWN, EQUIPMENT)]
    assert len(_actions(storefront_client, events, visitorId="v_other")) == 1


def test_viewed_product_holds_once_one_of_the_products_was_viewed(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    shop.trigger(chat_rule(when={"viewedProduct": {"in": [GRINDER, UNKNOWN]}}))
    assert _actions(storefront_client, [page_view(), _product_view(BEANS)]) == []
    assert len(_actions(storefront_client, [page_view(), _product_view(UNKNOWN)])) == 1


def test_cart_contains_reads_the_checkout_saleor_reported(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    shop.checkout("Q2hlY2tvdXQ6MQ==", "default-channel", "EUR", Decimal("20"))  # holds BEANS
    beans = shop.trigger(chat_rule("Beans", when={"cartContains": {"in": [BEANS]}}))
    shop.trigger(chat_rule("Grinder", when={"cartContains": {"in": [GRINDER]}}, priority=900))
    [action] = _actions(storefront_client, [page_view()], checkoutId="Q2hlY2tvdXQ6MQ==")
    assert action["triggerId"] == beans
    assert _actions(storefront_client, [page_view()], visitorId="v_no_cart") == []


def _set_url_pattern(shop: ShopRows, pattern: str | None) -> None:
    with shop.database.session() as session:
        installation = session.get(Installation, shop.installation_id)
        assert installation is not None
        save_settings(session, installation, MerchantSettings(product_url_pattern=pattern))


def test_the_comparison_shows_the_viewed_products_of_the_channel_most_recent_first(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    _catalogue(shop)
    _set_url_pattern(shop, "https://shop.example.com/products/{slug}?ref={id}")
    shop.trigger(comparison_rule(when={"productsViewed": {"gte": 3}}))
    views = [_product_view(p) for p in (GRINDER, BEANS, KETTLE, UNKNOWN, GRINDER)]

    [action] = _actions(storefront_client, [page_view(), *views])

    assert action["type"] == "product_comparison"
    assert action["slot"] == "bubble"
    assert action["cta"] == "Compare"
    # the kettle is not listed in this channel and the unknown product is not known at all
    assert action["data"]["products"] == [
        {
            "id": GRINDER,
            "name": "Burr <b>Grinder</b>",
            "url": f"https://shop.example.com/products/burr-grinder?ref={GRINDER}",
            "thumbnail": "https://media.example/grinder.png",
            "price": {"amount": 189.0, "currency": "EUR"},
            "attributes": [{"name": "Roast", "value": "<script>alert(1)</script>"}],
        },
        {
            "id": BEANS,
            "name": "Beans",
            "url": f"https://shop.example.com/products/beans?ref={BEANS}",
            "thumbnail": None,
            "price": {"amount": 12.5, "currency": "EUR"},
            "attributes": [{"name": "Roast", "value": "Light"}],
        },
    ]


def test_without_a_url_pattern_the_products_have_no_url(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    _catalogue(shop)
    shop.trigger(comparison_rule())
    [action] = _actions(
        storefront_client, [page_view(), _product_view(BEANS), _product_view(GRINDER)]
    )
    assert [p["url"] for p in action["data"]["products"]] == [None, None]


def test_only_unknown_products_make_no_comparison(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    shop.trigger(comparison_rule())
    events = [page_view(), _product_view(UNKNOWN), _product_view("UHJvZHVjdDo4ODg=")]
    assert _actions(storefront_client, events) == []


def test_a_page_view_with_a_bad_category_id_is_refused_naming_the_field(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    response = post(storefront_client, body([{**page_view(), "categoryId": 12}]))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "events[0].categoryId"
