"""The sandbox's GraphQL API: Saleor's shapes, permissions and errors."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.seed import (
    BEANS_VARIANT,
    DEFAULT_CHANNEL,
    ESPRESSO_MACHINE_VARIANT,
    FILTERS_VARIANT,
    USD_CHANNEL,
)
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App
from tests.sandbox.recording_app import RecordingApp


def post(
    saleor: SandboxSaleor,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables or {}}
    return requests.post(saleor.api_url, json=body, headers=headers, timeout=10)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ checkout(id: 1) { cart } }", "Cannot query field 'cart' on type 'Checkout'."),
        ('{ products(first: "ten") { edges { node { id } } } }', "Int cannot represent"),
        (
            "mutation { checkoutCreate { errors { code } } }",
            "of type 'CheckoutCreateInput!' is required",
        ),
        ("{ channels { slug ", "Syntax Error"),
        ("subscription { event { issuedAt } }", "Subscriptions are not supported over HTTP."),
    ],
)
def test_documents_that_do_not_validate_get_saleor_style_errors(
    sandbox_saleor: SandboxSaleor, query: str, message: str
) -> None:
    # when
    response = post(sandbox_saleor, query)

    # then
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert message in error["message"]
    assert "data" not in response.json()


def test_variables_of_the_wrong_type_are_refused(sandbox_saleor: SandboxSaleor) -> None:
    # when
    response = post(sandbox_saleor, "query($id: ID!) { checkout(id: $id) { id } }", {"id": [1]})

    # then
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "Variable '$id'" in message and "invalid value" in message


def test_a_request_without_a_query_is_refused(sandbox_saleor: SandboxSaleor) -> None:
    # when
    response = requests.post(sandbox_saleor.api_url, data=b"nonsense", timeout=10)

    # then
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Must provide a query string."


def test_channels_need_an_app_token(sandbox_saleor: SandboxSaleor, recorded_install: App) -> None:
    # given
    query = "{ channels { slug name currencyCode defaultCountry { code } } }"

    # when
    anonymous = post(sandbox_saleor, query).json()
    as_app = post(sandbox_saleor, query, token=recorded_install.token).json()

    # then
    assert anonymous["data"] == {"channels": None}
    assert anonymous["errors"][0]["extensions"]["exceptionCode"] == "PermissionDenied"
    assert as_app == {
        "data": {
            "channels": [
                {
                    "slug": DEFAULT_CHANNEL,
                    "name": "Default channel",
                    "currencyCode": "EUR",
                    "defaultCountry": {"code": "ES"},
                },
                {
                    "slug": USD_CHANNEL,
                    "name": "Channel-USD",
                    "currencyCode": "USD",
                    "defaultCountry": {"code": "US"},
                },
            ]
        }
    }


SHIPPING = """
query($channel: String) { shippingZones(first: 10, channel: $channel) { edges { node {
  name countries { code } channels { slug }
  shippingMethods { name type minimumOrderPrice { amount }
    channelListings { channel { slug } price { amount currency } minimumOrderPrice { amount } } }
} } } }
"""


def test_shipping_zones_need_manage_shipping_and_show_the_free_shipping_minimum(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    app = sandbox_saleor.install_app(recording_app.manifest_url, permissions=["MANAGE_SHIPPING"])

    # when
    anonymous = post(sandbox_saleor, SHIPPING).json()
    europe = post(sandbox_saleor, SHIPPING, {"channel": DEFAULT_CHANNEL}, app.token).json()

    # then
    assert anonymous["errors"][0]["message"] == (
        "You need one of the following permissions: MANAGE_SHIPPING"
    )
    [zone] = [edge["node"] for edge in europe["data"]["shippingZones"]["edges"]]
    assert zone["name"] == "Europe" and {"code": "ES"} in zone["countries"]
    assert zone["channels"] == [{"slug": DEFAULT_CHANNEL}]
    free = next(m for m in zone["shippingMethods"] if m["name"] == "Free shipping")
    assert free["type"] == "PRICE"
    assert free["minimumOrderPrice"] == {"amount": 50.0}
    assert free["channelListings"] == [
        {
            "channel": {"slug": DEFAULT_CHANNEL},
            "price": {"amount": 0.0, "currency": "EUR"},
            "minimumOrderPrice": {"amount": 50.0},
        }
    ]


PRODUCTS = """
query($channel: String, $after: String) { products(channel: $channel, first: 4, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { id name category { name } productVariants(first: 1) { edges { node { id } } }
    pricing { priceRange { start { gross { amount currency } } } } } } } }
"""


def test_products_page_through_the_catalogue_with_channel_prices(
    sandbox_saleor: SandboxSaleor,
) -> None:
    # given
    pages: list[dict[str, Any]] = []
    after = None

    # when
    while True:
        result = post(sandbox_saleor, PRODUCTS, {"channel": DEFAULT_CHANNEL, "after": after}).json()
        page = result["data"]["products"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then
    products = [edge["node"] for page in pages for edge in page["edges"]]
    assert [len(page["edges"]) for page in pages] == [4, 4, 2]
    assert len({p["id"] for p in products}) == 10
    assert {p["category"]["name"] for p in products} == {"Coffee", "Equipment", "Accessories"}
    machine = next(p for p in products if p["name"] == "Lever Espresso Machine")
    assert machine["pricing"]["priceRange"]["start"]["gross"] == {
        "amount": 649.0,
        "currency": "EUR",
    }
    assert machine["productVariants"]["edges"][0]["node"]["id"] == ESPRESSO_MACHINE_VARIANT


CHECKOUT_FIELDS = """
  id token updatedAt channel { slug currencyCode }
  lines { id quantity variant { id } unitPrice { gross { amount } net { amount } }
          totalPrice { gross { amount } } undiscountedTotalPrice { amount } }
  subtotalPrice { gross { amount } net { amount } tax { amount } currency }
  totalPrice { gross { amount } } discount { amount } shippingAddress { country { code } }
"""


def test_the_storefront_mutations_build_a_checkout_like_saleor(
    sandbox_saleor: SandboxSaleor,
) -> None:
    # given
    created = post(
        sandbox_saleor,
        """
      mutation($lines: [CheckoutLineInput!]!) {
        checkoutCreate(input: {channel: "default-channel", lines: $lines}) {
          checkout { """
        + CHECKOUT_FIELDS
        + " } errors { code field message } } }",
        {"lines": [{"variantId": BEANS_VARIANT, "quantity": 2}]},
    ).json()
    checkout = created["data"]["checkoutCreate"]["checkout"]

    # when
    post(
        sandbox_saleor,
        """mutation($id: ID!, $v: ID!) { checkoutLinesAdd(id: $id,
        lines: [{variantId: $v, quantity: 4}]) { errors { code } } }""",
        {"id": checkout["id"], "v": FILTERS_VARIANT},
    )
    post(
        sandbox_saleor,
        """mutation($id: ID!, $line: ID!) { checkoutLinesUpdate(id: $id,
        lines: [{lineId: $line, quantity: 3}]) { errors { code } } }""",
        {"id": checkout["id"], "line": checkout["lines"][0]["id"]},
    )
    post(
        sandbox_saleor,
        """mutation($id: ID!) { checkoutShippingAddressUpdate(id: $id,
        shippingAddress: {country: PT}) { errors { code } } }""",
        {"id": checkout["id"]},
    )
    after = post(
        sandbox_saleor,
        "query($id: ID!) { checkout(id: $id) { " + CHECKOUT_FIELDS + " } }",
        {"id": checkout["id"]},
    ).json()["data"]["checkout"]

    # then
    assert created["data"]["checkoutCreate"]["errors"] == []
    assert checkout["id"] == to_global_id("Checkout", checkout["token"])
    assert [(line["variant"]["id"], line["quantity"]) for line in after["lines"]] == [
        (BEANS_VARIANT, 3),
        (FILTERS_VARIANT, 4),
    ]
    assert after["lines"][0]["unitPrice"] == {"gross": {"amount": 12.5}, "net": {"amount": 10.33}}
    assert after["subtotalPrice"] == {
        "gross": {"amount": 63.5},
        "net": {"amount": 52.48},
        "tax": {"amount": 11.02},
        "currency": "EUR",
    }
    assert after["totalPrice"] == {"gross": {"amount": 63.5}}
    assert after["shippingAddress"] == {"country": {"code": "PT"}}
    assert after["updatedAt"] > checkout["updatedAt"]


def test_checkout_mutations_report_problems_as_checkout_errors(
    sandbox_saleor: SandboxSaleor,
) -> None:
    # when
    result = post(
        sandbox_saleor,
        """mutation { checkoutCreate(input: {channel: "no-such-channel",
        lines: []}) { checkout { id } errors { code field message } } }""",
    ).json()
    deleted = post(
        sandbox_saleor,
        """mutation { checkoutLinesDelete(id: "Q2hlY2tvdXQ6eA==",
        linesIds: []) { checkout { id } errors { code field } } }""",
    ).json()

    # then
    assert result["data"]["checkoutCreate"] == {
        "checkout": None,
        "errors": [
            {
                "code": "NOT_FOUND",
                "field": "channel",
                "message": "Channel with 'no-such-channel' slug does not exist.",
            }
        ],
    }
    assert deleted["data"]["checkoutLinesDelete"]["errors"] == [
        {"code": "NOT_FOUND", "field": "id"}
    ]


def test_checkout_complete_makes_an_order_linked_to_the_checkout(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    checkout_id = sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(ESPRESSO_MACHINE_VARIANT, 1)])
    sandbox_saleor.set_checkout_discount(checkout_id, 49)

    # when
    completed = post(
        sandbox_saleor,
        """mutation($id: ID!) { checkoutComplete(id: $id) {
        order { id checkoutId total { gross { amount currency } } } errors { code } } }""",
        {"id": checkout_id},
    ).json()["data"]["checkoutComplete"]
    order = post(
        sandbox_saleor,
        "query($id: ID!) { order(id: $id) { checkoutId } }",
        {"id": completed["order"]["id"]},
        recorded_install.token,
    ).json()

    # then
    assert completed["errors"] == []
    assert completed["order"]["checkoutId"] == checkout_id
    assert completed["order"]["total"]["gross"] == {"amount": 600.0, "currency": "EUR"}
    assert order == {"data": {"order": {"checkoutId": checkout_id}}}
    assert post(
        sandbox_saleor, "query($id: ID!) { checkout(id: $id) { id } }", {"id": checkout_id}
    ).json() == {"data": {"checkout": None}}
