"""Visitor state, action ids, CORS and consent of the visitor API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import update

from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Visitor, utcnow
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule
from tests.storefront.helpers import (
    body,
    interactions,
    now_ms,
    page_view,
    post,
    visitor_row,
)


def _contact_action(client: FlaskClient, shop: ShopRows, **fields: Any) -> dict[str, Any]:
    shop.trigger(chat_rule("Contact help", {"pageType": {"in": ["contact"]}}))
    response = post(client, body([page_view("https://shop.example.com/contact")], **fields))
    [action] = response.get_json()["actions"]
    return action


def _report(client: FlaskClient, kind: str, action_id: str, **fields: Any) -> None:
    event = {"type": kind, "actionId": action_id, "ts": now_ms()}
    assert post(client, body([event], **fields)).status_code == 200


def test_replayed_action_events_count_once(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given
    action = _contact_action(storefront_client, shop)

    # when the snippet (or an attacker) sends the same events three times
    for _ in range(3):
        _report(storefront_client, "action_shown", action["id"])
        _report(storefront_client, "action_clicked", action["id"])

    # then
    kinds = [kind for kind, _, _ in interactions(database)]
    assert kinds == ["issued", "impression", "click"]


def test_forged_and_foreign_action_ids_are_ignored(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given an action issued to visitor 1
    action = _contact_action(storefront_client, shop)
    forged = action["id"][:-3] + ("AAA" if not action["id"].endswith("AAA") else "BBB")

    # when a forged id arrives, and visitor 2 replays visitor 1's id
    _report(storefront_client, "action_shown", forged)
    _report(storefront_client, "action_shown", f"{action['triggerId']}.nonce.123.sig")
    _report(storefront_client, "action_clicked", action["id"], visitorId="v_visitor2")

    # then nothing was counted beyond issuing the action
    assert interactions(database) == [("issued", action["triggerId"], "v_visitor1")]


def test_dismissal_starts_the_quiet_period(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a visitor dismissed a prompt
    action = _contact_action(storefront_client, shop)
    shop.trigger(chat_rule("FAQ help", {"pageType": {"in": ["faq"]}}))
    _report(storefront_client, "action_dismissed", action["id"])

    # when they open the FAQ, which has its own prompt
    response = post(storefront_client, body([page_view("https://shop.example.com/faq")]))

    # then the store-wide quiet period keeps the bubble empty
    assert response.get_json()["actions"] == []
    visitor = visitor_row(database)
    assert visitor is not None and visitor.last_dismissed_at is not None
    assert [kind for kind, _, _ in interactions(database)] == ["issued", "dismissal"]


def test_a_new_session_starts_after_30_idle_minutes(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a visitor seen 31 minutes ago who viewed a page
    post(storefront_client, body([page_view()]))
    with database.session() as session:
        session.execute(update(Visitor).values(last_seen_at=utcnow() - timedelta(minutes=31)))

    # when they come back (another tab id too)
    post(storefront_client, body([page_view()], sessionId="s_session2"))

    # then
    visitor = visitor_row(database)
    assert visitor is not None
    assert (visitor.visit_count, visitor.pages_in_session, visitor.session_id) == (
        2,
        1,
        "s_session2",
    )


def test_two_tabs_of_one_visit_are_one_session(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # when two tabs (two snippet session ids) send page views in turn
    for session_id in ("s_tab1", "s_tab2", "s_tab1"):
        post(storefront_client, body([page_view()], sessionId=session_id))

    # then
    visitor = visitor_row(database)
    assert visitor is not None
    assert (visitor.visit_count, visitor.pages_in_session) == (1, 3)


def test_a_locale_with_variant_or_extension_subtags_is_kept_as_language_and_region(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given well-formed BCP 47 tags a page's lang attribute or navigator.language may carry
    tags = {"v_valencia": "ca-ES-valencia", "v_calendar": "en-US-u-ca-gregory"}

    # when
    responses = [
        post(storefront_client, body([page_view()], visitorId=visitor, locale=tag))
        for visitor, tag in tags.items()
    ]

    # then the request is served, not refused, and the locale keeps its language and region
    assert [r.status_code for r in responses] == [200, 200]
    locales = [getattr(visitor_row(database, visitor), "locale", None) for visitor in tags]
    assert locales == ["ca-ES", "en-US"]


def test_product_views_use_saleor_prices_not_the_browsers(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a known product at 899.00 EUR in category "cameras"
    shop.product("UHJvZHVjdDo5", "cameras", {"default-channel": Decimal("899.00")})
    shop.trigger(chat_rule("Specialist", {"maxViewedProductPrice": {"gte": 500}}))
    views = [
        {
            "type": "product_view",
            "productId": "UHJvZHVjdDo5",
            "price": 1,
            "currency": "EUR",
            "categoryId": "fake",
            "ts": now_ms(),
        },
        {"type": "product_view", "productId": "UHJvZHVjdDo5", "ts": now_ms()},
        {
            "type": "product_view",
            "productId": "UHJvZHVjdDoxMA==",
            "price": 20,
            "currency": "EUR",
            "categoryId": "mugs",
            "ts": now_ms(),
        },
        {
            "type": "product_view",
            "productId": "UHJvZHVjdDoxMQ==",
            "price": 5000,
            "currency": "USD",
            "ts": now_ms(),
        },
    ]

    # when
    response = post(storefront_client, body([page_view(), *views]))

    # then
    visitor = visitor_row(database)
    assert visitor is not None
    assert visitor.max_viewed_product_price == Decimal("899.00")
    assert len(visitor.products_viewed) == 3
    assert sorted(visitor.categories_viewed) == ["cameras", "mugs"]
    [action] = response.get_json()["actions"]
    assert action["message"] == "Specialist?"


def test_the_checkout_reported_by_a_visitor_is_linked_for_attribution(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # when a visitor reports two checkouts over time
    post(storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6MQ=="))
    post(storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6Mg=="))
    post(storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6Mg=="))

    # then both stay linked to the visitor
    from sqlalchemy import select

    from saleor_proactive.store.models import VisitorCheckout

    with database.session() as session:
        rows = session.execute(select(VisitorCheckout.checkout_id, VisitorCheckout.visitor_id))
        assert sorted(rows) == [
            ("Q2hlY2tvdXQ6MQ==", "v_visitor1"),
            ("Q2hlY2tvdXQ6Mg==", "v_visitor1"),
        ]
