"""The demo storefront's pages and cart over HTTP (no browser): what a visitor's requests get."""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from saleor_proactive.sandbox.seed import variant_id
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.shop import create_shop_app
from saleor_proactive.sandbox.shop.app import CHECKOUT_COOKIE

APP_URL = "http://127.0.0.1:8000"
PAGES = ["/", "/category/coffee", "/product/burr-grinder", "/cart", "/checkout", "/contact", "/faq"]


def checkout_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(CHECKOUT_COOKIE)
    assert cookie is not None, "no checkout cookie"
    return cookie.value


@pytest.fixture
def shop_client(sandbox_saleor: SandboxSaleor) -> FlaskClient:
    return create_shop_app(sandbox_saleor, APP_URL).test_client()


@pytest.mark.parametrize("path", PAGES + ["/es" + p for p in PAGES])
def test_every_page_carries_the_snippet_tag_and_its_page_type(
    shop_client: FlaskClient, sandbox_saleor: SandboxSaleor, path: str
) -> None:
    # when
    html = shop_client.get(path).get_data(as_text=True)
    # then
    assert f'src="{APP_URL}/storefront/v1/snippet.js"' in html
    assert f'data-saleor-api-url="{sandbox_saleor.api_url}"' in html
    assert 'data-channel="default-channel"' in html
    assert re.search(
        r'<html lang="(en|es)" '
        r'data-proactive-page="(home|category|product|cart|checkout|contact|faq)"',
        html,
    )
    assert ('<html lang="es"' in html) == path.startswith("/es")


def test_the_faq_page_answers_in_the_visitors_language_and_is_linked_from_every_page(
    shop_client: FlaskClient,
) -> None:
    # when
    english = shop_client.get("/faq").get_data(as_text=True)
    spanish = shop_client.get("/es/faq").get_data(as_text=True)
    home = shop_client.get("/").get_data(as_text=True)

    # then the default "contact and FAQ" trigger has a page to act on
    assert 'data-proactive-page="faq"' in english
    assert "When is shipping free?" in english and "50 €" in english
    assert "¿Cuándo es gratis el envío?" in spanish
    assert 'href="/faq">FAQ</a>' in home


def test_product_page_describes_the_product_in_json_ld(shop_client: FlaskClient) -> None:
    # when
    html = shop_client.get("/product/lever-espresso-machine").get_data(as_text=True)
    # then
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    product = json.loads(block.group(1))
    assert product["@type"] == "Product" and product["productID"] == "UHJvZHVjdDo1"
    assert product["category"] == "Q2F0ZWdvcnk6Mg=="  # Saleor's id of Equipment
    assert product["offers"] == {
        "@type": "Offer",
        "price": "649.00",
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
    }


def test_adding_to_the_cart_creates_a_saleor_checkout_and_tells_the_snippet(
    shop_client: FlaskClient, sandbox_saleor: SandboxSaleor
) -> None:
    # when
    response = shop_client.post("/es/cart/add", data={"variant_id": variant_id(2), "quantity": "2"})
    # then
    checkout_id = checkout_cookie(shop_client)
    checkout = sandbox_saleor.checkout_view(checkout_id)
    assert checkout is not None and checkout["quantity"] == 2
    assert response.status_code == 302 and response.location == "/es/cart?updated=1"
    html = shop_client.get(response.location).get_data(as_text=True)
    assert f'[["setCheckout", "{checkout_id}"], ["trackCartUpdated"]]' in html
    assert "76,00 €" in html


def test_changing_a_quantity_updates_the_same_checkout(
    shop_client: FlaskClient, sandbox_saleor: SandboxSaleor
) -> None:
    # given
    shop_client.post("/cart/add", data={"variant_id": variant_id(1)})
    checkout_id = checkout_cookie(shop_client)
    # when
    shop_client.post("/cart/update", data={"variant_id": variant_id(1), "quantity": "3"})
    # then
    assert checkout_cookie(shop_client) == checkout_id
    checkout = sandbox_saleor.checkout_view(checkout_id)
    assert checkout is not None and checkout["quantity"] == 3


@pytest.mark.parametrize(
    "form",
    [
        {"variant_id": "nope"},
        {"variant_id": variant_id(1), "quantity": "many"},
        {"variant_id": variant_id(1), "quantity": "999"},
    ],
)
def test_bad_cart_input_is_refused_and_changes_nothing(
    shop_client: FlaskClient, sandbox_saleor: SandboxSaleor, form: dict[str, str]
) -> None:
    # when
    response = shop_client.post("/cart/add", data=form)
    # then
    assert response.status_code == 400
    assert shop_client.get_cookie(CHECKOUT_COOKIE) is None
    assert sandbox_saleor.shop.checkouts == {}


def test_placing_the_order_completes_the_checkout_and_forgets_it(
    shop_client: FlaskClient, sandbox_saleor: SandboxSaleor
) -> None:
    # given
    shop_client.post("/cart/add", data={"variant_id": variant_id(6)})
    checkout_id = checkout_cookie(shop_client)
    # when
    response = shop_client.post("/checkout/place")
    # then
    assert response.status_code == 200
    assert sandbox_saleor.checkout_view(checkout_id) is None
    assert len(sandbox_saleor.shop.orders) == 1
    assert shop_client.get_cookie(CHECKOUT_COOKIE) is None


def test_a_category_page_tells_the_snippet_its_category(shop_client: FlaskClient) -> None:
    html = shop_client.get("/category/equipment").get_data(as_text=True)
    assert '["setPageType", "category", {"categoryId": "Q2F0ZWdvcnk6Mg=="}]' in html
