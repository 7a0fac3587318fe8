"""Checkout queries to Saleor caused by visitors: bounded per installation, none repeated for a
checkout Saleor does not have, and a cart change held back by the throttle read on the next
request."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from saleor_proactive.config import Settings
from saleor_proactive.sandbox import operations as ops
from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.seed import DEFAULT_CHANNEL, variant_id
from saleor_proactive.sandbox.state import App
from tests.fixtures.sandbox import Installed
from tests.storefront.helpers import now_ms, page_view
from tests.storefront.test_events_sandbox import _messages, _post, _treated_visitor

CAP = 5
INTERVAL = 0.5  # seconds between two queries for one checkout (2 by default)
COLOMBIA_1KG = variant_id(2)  # 38.00 EUR
HOUSE_BLEND = variant_id(3)  # 16.90 EUR


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A per-day window: the cap cannot reset in the middle of a test.
    return settings.with_overrides(
        rate_limit_checkout_refresh=f"{CAP}/day",
        checkout_refresh_seconds=INTERVAL,
    )


@pytest.fixture
def saleor_queries(installed: Installed, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The app's queries to the sandbox Saleor (each authenticates with the app token)."""
    seen: list[str] = []
    by_token: Callable[[str], App | None] = installed.saleor.app_by_token

    def counting(token: str) -> App | None:
        seen.append(token)
        return by_token(token)

    monkeypatch.setattr(installed.saleor, "app_by_token", counting)
    return seen


def cart_updated() -> dict[str, Any]:
    return {"type": "cart_updated", "ts": now_ms()}


def test_random_checkout_ids_cannot_make_the_app_query_saleor_past_the_cap(
    installed: Installed, saleor_queries: list[str]
) -> None:
    # when a visitor reports cart changes for twelve checkouts Saleor never had
    visitor = _treated_visitor(installed)
    for _ in range(12):
        made_up = to_global_id("Checkout", str(uuid.uuid4()))
        response = _post(installed, visitor, [cart_updated()], checkoutId=made_up)
        assert response.status_code == 200, response.text

    # then the app asked Saleor only as often as the installation's cap allows
    assert len(saleor_queries) == CAP


def test_a_checkout_saleor_does_not_have_is_not_asked_for_again(
    installed: Installed, saleor_queries: list[str]
) -> None:
    # given a checkout id Saleor said it does not have
    visitor = _treated_visitor(installed)
    made_up = to_global_id("Checkout", str(uuid.uuid4()))
    _post(installed, visitor, [cart_updated()], checkoutId=made_up)
    assert len(saleor_queries) == 1

    # when the visitor keeps reporting changes to it, past the refresh interval
    time.sleep(INTERVAL + 0.1)
    for _ in range(3):
        assert _post(installed, visitor, [cart_updated()], checkoutId=made_up).status_code == 200

    # then Saleor is not asked again
    assert len(saleor_queries) == 1


def test_a_cart_change_held_back_by_the_throttle_is_read_on_the_next_request(
    installed: Installed,
) -> None:
    # given a 38.00 EUR checkout whose first reported change was just read from Saleor
    saleor, visitor = installed.saleor, _treated_visitor(installed)
    checkout_id = saleor.create_checkout(DEFAULT_CHANNEL, [(COLOMBIA_1KG, 1)])
    first = _post(installed, visitor, [cart_updated()], checkoutId=checkout_id)
    assert _messages(first) == ["You are €12.00 away from free shipping"]

    # when the cart grows past 50.00 EUR in Saleor (its webhook late), the visitor reports it
    # inside the refresh interval, and then only views a page after the interval
    with saleor.lock:
        ops.add_lines(saleor.shop, ops.find_checkout(saleor.shop, checkout_id), [(HOUSE_BLEND, 1)])
    throttled = _post(installed, visitor, [cart_updated()], checkoutId=checkout_id)
    time.sleep(INTERVAL + 0.1)
    later = _post(installed, visitor, [page_view()], checkoutId=checkout_id)

    # then the held-back change was read then: free shipping is reached
    assert _messages(throttled) == ["You are €12.00 away from free shipping"]
    assert all("away" not in message for message in _messages(later))
