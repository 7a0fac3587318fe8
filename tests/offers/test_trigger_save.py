"""Saving an offer trigger through the merchant API, against the sandbox Saleor over HTTP."""

from __future__ import annotations

from typing import Any

import requests
from sqlalchemy import func, select

from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import OfferCode, Trigger
from tests.fixtures.live import LiveServer
from tests.rules import offer_rule
from tests.waiting import wait_until

CREATE = """
mutation Create($input: TriggerInput!) {
  createTrigger(input: $input) { trigger { id } errors { field message } }
}"""
ALL_BUT_DISCOUNTS = ["MANAGE_CHECKOUTS", "MANAGE_ORDERS", "MANAGE_PRODUCTS", "MANAGE_SHIPPING"]


def create_offer(saleor: SandboxSaleor, live: LiveServer, app_id: str) -> dict[str, Any]:
    token = saleor.sign_dashboard_token(app_id)
    answer = requests.post(
        f"{live.url}/api/graphql",
        json={"query": CREATE, "variables": {"input": {"document": offer_rule()}}},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": saleor.api_url},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()["data"]["createTrigger"]
    return result


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_saved_offer_has_codes_in_saleor_before_its_first_visitor(
    sandbox_saleor: SandboxSaleor, live_app: LiveServer, database: Database
) -> None:
    # given the app installed with every permission it asks for
    app = sandbox_saleor.install_app(f"{live_app.url}/api/manifest")

    # when the merchant saves an offer
    result = create_offer(sandbox_saleor, live_app, app.global_id)

    # then its pool fills in the background, with codes Saleor knows
    assert result["errors"] == []
    assert wait_until(lambda: count(database, OfferCode) >= 20)
    assert len(next(iter(sandbox_saleor.shop.vouchers.values())).codes) >= 20


def test_without_manage_discounts_an_offer_is_refused_with_the_reason(
    sandbox_saleor: SandboxSaleor, live_app: LiveServer, database: Database
) -> None:
    # given an installation whose staff user did not grant MANAGE_DISCOUNTS
    app = sandbox_saleor.install_app(f"{live_app.url}/api/manifest", permissions=ALL_BUT_DISCOUNTS)
    before = count(database, Trigger)

    # when the merchant saves an offer
    result = create_offer(sandbox_saleor, live_app, app.global_id)

    # then it is refused, saying why and what to do, and nothing is stored
    assert result["trigger"] is None
    assert result["errors"][0]["field"] == "show.type"
    assert "MANAGE_DISCOUNTS" in result["errors"][0]["message"]
    assert count(database, Trigger) == before
    assert sandbox_saleor.shop.vouchers == {}


ME = "{ installation { offersUnavailable } }"


def offers_unavailable(saleor: SandboxSaleor, live: LiveServer, app_id: str) -> str | None:
    answer = requests.post(
        f"{live.url}/api/graphql",
        json={"query": ME},
        headers={
            "Authorization-Bearer": saleor.sign_dashboard_token(app_id),
            "Saleor-Api-Url": saleor.api_url,
        },
        timeout=10,
    )
    note: str | None = answer.json()["data"]["installation"]["offersUnavailable"]
    return note


def test_the_app_page_is_told_why_offers_are_unavailable(
    sandbox_saleor: SandboxSaleor, live_app: LiveServer
) -> None:
    # given one shop that granted MANAGE_DISCOUNTS and, after a reinstall, one that did not
    granted = sandbox_saleor.install_app(f"{live_app.url}/api/manifest")
    assert offers_unavailable(sandbox_saleor, live_app, granted.global_id) is None
    sandbox_saleor.uninstall_app()
    lacking = sandbox_saleor.install_app(
        f"{live_app.url}/api/manifest", permissions=ALL_BUT_DISCOUNTS
    )

    # when the app page asks, then it is told why and what to do
    note = offers_unavailable(sandbox_saleor, live_app, lacking.global_id)
    assert note is not None and "MANAGE_DISCOUNTS" in note and "Reinstall" in note


DELETE = "mutation Delete($id: ID!) { deleteTrigger(id: $id) { deletedId errors { message } } }"


def test_deleting_an_offer_deactivates_its_voucher_at_once(
    sandbox_saleor: SandboxSaleor, live_app: LiveServer, database: Database
) -> None:
    # given a saved offer whose pool is filled
    app = sandbox_saleor.install_app(f"{live_app.url}/api/manifest")
    trigger_id = create_offer(sandbox_saleor, live_app, app.global_id)["trigger"]["id"]
    assert wait_until(lambda: count(database, OfferCode) >= 20)

    # when the merchant deletes it
    requests.post(
        f"{live_app.url}/api/graphql",
        json={"query": DELETE, "variables": {"id": trigger_id}},
        headers={
            "Authorization-Bearer": sandbox_saleor.sign_dashboard_token(app.global_id),
            "Saleor-Api-Url": sandbox_saleor.api_url,
        },
        timeout=10,
    )

    # then its voucher ends in Saleor without waiting for the periodic job
    voucher = next(iter(sandbox_saleor.shop.vouchers.values()))
    assert wait_until(lambda: voucher.end_date is not None)
    assert wait_until(lambda: count(database, OfferCode) == 0)
