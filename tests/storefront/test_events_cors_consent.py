"""CORS, consent and the settings the snippet receives with every answer."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from saleor_proactive.merchant_settings import MerchantSettings
from saleor_proactive.store.db import Database
from saleor_proactive.store.merchant_settings import save_settings
from saleor_proactive.store.models import Installation
from tests.fixtures.storefront import ShopRows
from tests.storefront.helpers import EVENTS, body, page_view, post, visitor_row


def test_cors_allows_any_origin_by_default(storefront_client: FlaskClient, shop: ShopRows) -> None:
    # when
    preflight = storefront_client.options(
        EVENTS,
        headers={"Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST"},
    )
    response = post(storefront_client, body([page_view()]), Origin="https://shop.example.com")

    # then
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "Origin" in response.headers["Vary"]


def _configure(database: Database, shop: ShopRows, document: dict[str, Any]) -> None:
    with database.session() as session:
        installation = session.get(Installation, shop.installation_id)
        assert installation is not None
        save_settings(session, installation, MerchantSettings.from_json(document))


def test_cors_refuses_origins_the_merchant_did_not_list(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given
    _configure(database, shop, {"storefrontOrigins": ["https://shop.example.com"]})

    # when
    listed = post(storefront_client, body([page_view()]), Origin="https://shop.example.com")
    other = post(
        storefront_client, body([page_view()], visitorId="v_x"), Origin="https://evil.example"
    )

    # then
    assert listed.status_code == 200
    assert other.status_code == 403
    assert "Access-Control-Allow-Origin" not in other.headers
    assert visitor_row(database, "v_x") is None


def test_nothing_is_stored_before_consent_when_the_merchant_requires_it(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given
    _configure(database, shop, {"consentRequired": True, "chat": {"provider": "crisp"}})

    # when
    without = post(storefront_client, body([page_view()]))
    with_consent = post(storefront_client, body([page_view()], visitorId="v_ok", consent=True))

    # then
    assert without.get_json()["consentRequired"] is True
    assert without.get_json()["chat"] == {"provider": "crisp"}
    assert visitor_row(database) is None
    assert with_consent.status_code == 200
    assert visitor_row(database, "v_ok") is not None


def test_the_response_carries_the_snippets_settings(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given
    _configure(
        database,
        shop,
        {
            "chat": {"provider": "whatsapp", "number": "+34600000000"},
            "theme": {"primaryColor": "#aa0000", "position": "bottom-left"},
            "pagePatterns": [{"pattern": "*/ayuda*", "pageType": "faq"}],
        },
    )

    # when
    data = post(storefront_client, body([page_view()])).get_json()

    # then
    assert data["chat"] == {"provider": "whatsapp", "number": "+34600000000"}
    assert data["theme"]["accent"] == "#aa0000"
    assert data["theme"]["bubblePosition"] == "left"
    assert data["theme"]["barPosition"] == "bottom"  # the default keeps the shop's header free
    assert data["pageTypes"] == [{"pattern": "*/ayuda*", "type": "faq"}]


def test_a_settings_change_reaches_a_running_worker_within_a_second(
    shop: ShopRows, database: Database
) -> None:
    # given a worker with the default cache validation that has answered once
    from saleor_proactive.app import create_app
    from saleor_proactive.config import Settings
    from tests.clock import ManualClock
    from tests.conftest import TEST_SECRET

    clock = ManualClock()
    settings = Settings(database_url=str(database.url), secret_key=TEST_SECRET)
    client = create_app(settings, clock).test_client()
    assert post(client, body([page_view()])).get_json()["chat"] == {"provider": "builtin"}

    # when the merchant picks a chat provider (through another process)
    _configure(database, shop, {"chat": {"provider": "tawk"}})

    # then the worker may answer from its cache for less than a second, not longer
    clock.advance(0.99)
    assert post(client, body([page_view()])).get_json()["chat"] == {"provider": "builtin"}
    clock.advance(0.01)
    assert post(client, body([page_view()])).get_json()["chat"] == {"provider": "tawk"}


def test_the_bar_goes_to_the_top_only_when_the_merchant_asks(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a shop that answered once with the default bar position
    before = post(storefront_client, body([page_view()])).get_json()

    # when the merchant moves the bar to the top
    _configure(database, shop, {"theme": {"barPosition": "top"}})
    after = post(storefront_client, body([page_view()], visitorId="v_visitor2")).get_json()

    # then
    assert before["theme"]["barPosition"] == "bottom"
    assert after["theme"]["barPosition"] == "top"
    assert after["theme"]["bubblePosition"] == "right"
