"""Bad input is refused with the contract's JSON error, never a 500, never a corrupted visitor."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from saleor_proactive.store.db import Database
from tests.fixtures.storefront import ShopRows
from tests.storefront.helpers import EVENTS, SHOP_URL, body, now_ms, page_view, post, visitor_row


def test_unknown_store_is_404(storefront_client: FlaskClient, shop: ShopRows) -> None:
    # when
    response = post(
        storefront_client, body([page_view()], saleorApiUrl="https://other.example/graphql/")
    )

    # then
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_store"


def test_unknown_channel_is_404_naming_the_channel(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # when
    response = post(storefront_client, body([page_view()], channel="no-such-channel"))

    # then
    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "code": "unknown_store",
        "message": "This shop has no such channel.",
        "field": "channel",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visitorId": ""}, "visitorId"),
        ({"visitorId": "v" * 65}, "visitorId"),
        ({"visitorId": "v id with spaces"}, "visitorId"),
        ({"sessionId": None}, "sessionId"),
        ({"channel": 7}, "channel"),
        ({"saleorApiUrl": None}, "saleorApiUrl"),
        ({"checkoutId": "<script>"}, "checkoutId"),
        ({"locale": "not a locale"}, "locale"),
        ({"device": "fridge"}, "device"),
        ({"events": {"type": "page_view"}}, "events"),
        ({"events": [page_view()] * 51}, "events"),
        ({"events": ["page_view"]}, "events[0]"),
        ({"events": [{"type": "teleport", "ts": 1763900000000}]}, "events[0].type"),
        ({"events": [{"type": "page_view", "ts": 1763900000000}]}, "events[0].url"),
        ({"events": [{"type": "page_view", "url": "x", "ts": "soon"}]}, "events[0].ts"),
        ({"events": [{"type": "product_view", "ts": 1763900000000}]}, "events[0].productId"),
        (
            {
                "events": [
                    {"type": "product_view", "productId": "p", "price": -1, "ts": 1763900000000}
                ]
            },
            "events[0].price",
        ),
        ({"events": [{"type": "action_shown", "ts": 1763900000000}]}, "events[0].actionId"),
        (
            {
                "events": [
                    {"type": "page_view", "url": "x", "pageType": "moon", "ts": 1763900000000}
                ]
            },
            "events[0].pageType",
        ),
    ],
)
def test_malformed_requests_are_400_naming_the_field(
    storefront_client: FlaskClient, shop: ShopRows, change: dict[str, Any], field: str
) -> None:
    # when
    response = post(storefront_client, {**body([page_view()]), **change})

    # then
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


@pytest.mark.parametrize("raw", ["{not json", "[]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_400_with_a_field(
    storefront_client: FlaskClient, shop: ShopRows, raw: str
) -> None:
    # when
    response = post(storefront_client, raw)

    # then every 400 of the visitor API names a field (CONTRACT §3.2)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "body"


@pytest.mark.parametrize("ts", [1, 99_999_999_999_999, -5])
def test_absurd_timestamps_are_400_naming_the_event(
    storefront_client: FlaskClient, shop: ShopRows, ts: int
) -> None:
    # given three good events and an absurd fourth
    events = [page_view(), page_view(), page_view(), {**page_view(), "ts": ts}]

    # when
    response = post(storefront_client, body(events))

    # then
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "events[3].ts"


def test_a_browser_clock_days_off_is_tolerated(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a browser whose clock runs three days behind
    skewed = now_ms() - 3 * 24 * 3600 * 1000

    # when
    response = post(storefront_client, body([page_view(ts=skewed - 5000), page_view(ts=skewed)]))

    # then time on page is measured from the server's clock, not from the browser's
    assert response.status_code == 200
    visitor = visitor_row(database)
    assert visitor is not None
    assert abs((visitor.last_seen_at - visitor.page_started_at).total_seconds()) < 2  # type: ignore[operator]


def test_events_a_day_apart_in_one_batch_are_refused(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # when
    old = now_ms() - 25 * 3600 * 1000
    response = post(storefront_client, body([page_view(ts=old), page_view()]))

    # then
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "events[0].ts"


def test_body_that_is_not_json_is_400(storefront_client: FlaskClient, shop: ShopRows) -> None:
    assert post(storefront_client, "{not json").status_code == 400
    assert post(storefront_client, "[1, 2]").status_code == 400


def test_oversized_body_is_413(storefront_client: FlaskClient, shop: ShopRows) -> None:
    # given 40 KB of padding in an otherwise valid body
    data = body([page_view()], padding="x" * 40_000)

    # when
    response = post(storefront_client, data)

    # then
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_other_content_types_are_415(storefront_client: FlaskClient, shop: ShopRows) -> None:
    response = post(storefront_client, body([page_view()]), content_type="application/xml")

    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_json_and_text_plain_are_both_accepted(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    assert post(storefront_client, body([page_view()]), "application/json").status_code == 200
    assert post(storefront_client, body([page_view()]), "text/plain").status_code == 200


def test_bad_requests_leave_the_visitor_row_as_it_was(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a visitor on the contact page
    post(storefront_client, body([page_view("https://shop.example.com/contact")]))
    before = visitor_row(database)

    # when they send a batch whose last event is broken
    events = [page_view("https://shop.example.com/checkout"), {"type": "page_view", "ts": 5}]
    response = post(storefront_client, body(events))

    # then
    assert response.status_code == 400
    after = visitor_row(database)
    assert before is not None and after is not None
    assert (after.page_url, after.pages_in_session, after.row_version) == (
        before.page_url,
        before.pages_in_session,
        before.row_version,
    )


def test_browser_cart_amounts_are_ignored(storefront_client: FlaskClient, shop: ShopRows) -> None:
    # given a free-shipping trigger and no checkout Saleor knows of
    from decimal import Decimal

    from tests.rules import free_shipping_rule

    shop.free_shipping("default-channel", "EUR", Decimal("50.00"), ["ES"])
    shop.trigger(free_shipping_rule())

    # when the browser claims a cart worth 45 EUR, in every way it could
    data = body(
        [page_view(), {"type": "cart_updated", "ts": now_ms(), "cartValue": 45}],
        cart={"value": 45, "currency": "EUR"},
        cartValue=45,
    )
    response = post(storefront_client, data)

    # then nothing is shown: no cart is known
    assert response.status_code == 200
    assert response.get_json()["actions"] == []


def test_no_bad_input_causes_a_500(storefront_client: FlaskClient, shop: ShopRows) -> None:
    # given a spread of hostile bodies
    bodies: list[Any] = [
        None,
        0,
        "x",
        [],
        {"events": None},
        body([{"type": None, "ts": None}]),
        body([{"type": "page_view", "url": "x" * 3000, "ts": now_ms()}]),
        body([{"type": "product_view", "productId": {"$gt": ""}, "ts": now_ms()}]),
        body([{"type": "action_clicked", "actionId": "a" * 300, "ts": now_ms()}]),
        body([{"type": "page_view", "url": "x", "ts": float("nan")}]),
        {**body([page_view()]), "visitorId": ["v"]},
    ]

    # when / then
    for data in bodies:
        raw = json.dumps(data).replace("NaN", "1e400")
        response = storefront_client.post(EVENTS, data=raw, content_type="application/json")
        assert 400 <= response.status_code < 500, raw
        assert "error" in response.get_json()


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"type": "exit_intent", "ts": 10**400}, "events[0].ts"),
        (
            {"type": "product_view", "productId": "p", "price": 10**400, "ts": now_ms()},
            "events[0].price",
        ),
        (
            {"type": "page_view", "url": "https://shop.example.com/\ud800", "ts": now_ms()},
            "events[0].url",
        ),
        (
            {"type": "page_view", "url": "https://shop.example.com/\x00", "ts": now_ms()},
            "events[0].url",
        ),
        ({"type": "product_view", "productId": "UHJv\x00", "ts": now_ms()}, "events[0].productId"),
        ({"type": "action_shown", "actionId": "a\udfff", "ts": now_ms()}, "events[0].actionId"),
    ],
)
def test_numbers_too_large_for_a_float_and_unstorable_text_are_400_naming_the_field(
    storefront_client: FlaskClient, shop: ShopRows, event: dict[str, Any], field: str
) -> None:
    # given valid JSON that no browser sends: a 401-digit integer, a lone surrogate (`\ud800`),
    # a NUL character (which PostgreSQL cannot store in text)

    # when
    response = post(storefront_client, body([event]))

    # then
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_a_shop_url_with_a_nul_character_is_400_naming_it(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # when
    response = post(storefront_client, body([page_view()], saleorApiUrl=SHOP_URL + "\x00"))

    # then
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "saleorApiUrl"


def test_a_deeply_nested_body_is_400_not_500(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given 10,000 nested lists in 20 KB, under the size limit
    raw = json.dumps(body([page_view()]))[:-1] + ', "extra": ' + "[" * 10_000 + "]" * 10_000 + "}"

    # when
    response = post(storefront_client, raw)

    # then
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "body"
