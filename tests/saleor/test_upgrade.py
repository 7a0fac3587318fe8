"""An installation made with an older version gets the webhooks this version declares."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.config import Settings
from saleor_proactive.jobs import tasks
from saleor_proactive.jobs.tasks import (
    build_jobs,
    start_background_consumer,
    stop_background_consumer,
)
from saleor_proactive.saleor.client import SaleorClient
from saleor_proactive.saleor.upgrade import upgrade_all_installations, upgrade_webhooks
from saleor_proactive.saleor.webhooks import WEBHOOKS
from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.seed import DEFAULT_CHANNEL, variant_id
from saleor_proactive.sandbox.state import Webhook
from saleor_proactive.store.db import get_database
from saleor_proactive.store.snapshots import get_product
from tests.fixtures.sandbox import Installed
from tests.sandbox.catalog_mutations import reprice_variant
from tests.waiting import wait_until

# `product-events` as an older version declared it: no variant events, so no variant prices.
OLD_PRODUCT_EVENTS = ["PRODUCT_CREATED", "PRODUCT_UPDATED", "PRODUCT_DELETED"]
OLD_PRODUCT_QUERY = """
subscription {
  event {
    __typename
    issuedAt
    ... on ProductUpdated { product { id name updatedAt } }
    ... on ProductCreated { product { id name updatedAt } }
    ... on ProductDeleted { product { id name updatedAt } }
  }
}
"""
GRINDER = to_global_id("Product", 6)


class RecordingClient(SaleorClient):
    """The real client, remembering the documents it sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        self.sent.append(query)
        return super().execute(query, variables)

    @property
    def mutations(self) -> list[str]:
        return [query for query in self.sent if query.lstrip().startswith("mutation")]


def make_old(installed: Installed) -> Webhook:
    """Turn the fresh install into an older version's: `product-events` without the variant
    events, no `order-events` at all; plus a webhook of the merchant's own, which is not ours."""
    app, saleor = installed.app, installed.saleor
    foreign = Webhook(
        saleor.shop.new_pk(),
        "merchant-audit",
        # Shaped like ours: it must not be taken for where the app is.
        "https://audit.example.com/api/webhooks/merchant-audit",
        "subscription { event { issuedAt } }",
        ["PRODUCT_VARIANT_UPDATED"],
        is_active=False,  # never delivered in the test; only whether it is touched matters
    )
    hooks = []
    for hook in app.webhooks:
        if hook.name == "product-events":
            hooks.append(replace(hook, events=OLD_PRODUCT_EVENTS, query=OLD_PRODUCT_QUERY))
        elif hook.name != "order-events":
            hooks.append(hook)
    app.webhooks = [*hooks, foreign]
    return foreign


def stored_grinder_price(installed: Installed) -> Decimal | None:
    with get_database(installed.live.app).session() as session:
        product = get_product(session, installed.installation_id, GRINDER)
        assert product is not None
        return next((p.gross for p in product.prices if p.channel_slug == DEFAULT_CHANNEL), None)


def reprice_grinder(installed: Installed, price: str) -> list[tuple[str, int | None]]:
    saleor = installed.saleor
    result = reprice_variant(saleor, installed.app.token, variant_id(6), DEFAULT_CHANNEL, price)
    assert result["errors"] == []
    return [(d.event, d.status) for d in saleor.last_deliveries]


def assert_current(installed: Installed) -> None:
    hooks = {hook.name: hook for hook in installed.app.webhooks}
    for definition in WEBHOOKS:
        hook = hooks[definition.name]
        assert sorted(hook.events) == sorted(definition.events), definition.name
        assert hook.query == definition.query, definition.name
        assert hook.target_url == f"{installed.app_url}/api/webhooks/{definition.name}"


def test_an_old_installation_gets_the_variant_events_and_then_stays_as_it_is(
    installed: Installed,
) -> None:
    # given an installation of an older version, which misses variant price changes
    foreign = make_old(installed)
    assert reprice_grinder(installed, "249.00") == []
    assert stored_grinder_price(installed) == Decimal("189.00")

    # when the upgrade runs with the app's token
    client = RecordingClient(installed.api_url, installed.app.token)
    report = upgrade_webhooks(client, public_url=None)

    # then the old webhook was updated, the missing one created, the foreign one left alone
    assert (report.updated, report.created, report.error) == (
        ["product-events"],
        ["order-events"],
        None,
    )
    assert_current(installed)
    assert [hook for hook in installed.app.webhooks if hook.name == "merchant-audit"] == [foreign]

    # and a variant repriced in Saleor now reaches the app and its stored price
    assert reprice_grinder(installed, "549.00") == [("product_variant_updated", 200)]
    assert stored_grinder_price(installed) == Decimal("549.00")

    # when it runs again, it sends no mutation and changes nothing
    before = list(installed.app.webhooks)
    again = RecordingClient(installed.api_url, installed.app.token)
    second = upgrade_webhooks(again, public_url=None)
    assert (second.changed, second.error) == (False, None)
    assert again.mutations == []
    assert installed.app.webhooks == before


def test_a_fresh_installation_is_already_current(installed: Installed) -> None:
    # given
    before = list(installed.app.webhooks)
    client = RecordingClient(installed.api_url, installed.app.token)

    # when
    report = upgrade_webhooks(client, public_url=None)

    # then one query, no mutation
    assert (report.changed, report.error) == (False, None)
    assert len(client.sent) == 1
    assert client.mutations == []
    assert installed.app.webhooks == before


def test_the_public_url_moves_the_targets(installed: Installed) -> None:
    # given the operator moved the app (PROACTIVE_PUBLIC_URL)
    moved = "https://proactive.example.com"

    # when
    report = upgrade_webhooks(SaleorClient(installed.api_url, installed.app.token), moved)

    # then every declared webhook points there
    assert sorted(report.updated) == sorted(d.name for d in WEBHOOKS)
    assert {hook.target_url for hook in installed.app.webhooks} == {
        f"{moved}/api/webhooks/{d.name}" for d in WEBHOOKS
    }


def test_a_paused_webhook_stays_paused_when_it_is_updated(installed: Installed) -> None:
    # given the merchant paused the old product webhook
    make_old(installed)
    app = installed.app
    app.webhooks = [
        replace(hook, is_active=False) if hook.name == "product-events" else hook
        for hook in app.webhooks
    ]

    # when
    upgrade_webhooks(SaleorClient(installed.api_url, app.token), None)

    # then its events are current, and it is still paused
    [product_hook] = [hook for hook in app.webhooks if hook.name == "product-events"]
    assert "PRODUCT_VARIANT_UPDATED" in product_hook.events
    assert product_hook.is_active is False


def test_a_saleor_that_cannot_be_reached_is_reported_not_raised(installed: Installed) -> None:
    # given a token that Saleor does not know
    client = SaleorClient(installed.api_url, "not-a-token")

    # when
    report = upgrade_webhooks(client, None)

    # then
    assert report.error is not None
    assert not report.changed


def test_every_installation_is_upgraded_from_the_database(
    installed: Installed, settings: Settings
) -> None:
    # given
    make_old(installed)

    # when
    [report] = upgrade_all_installations(get_database(installed.live.app), settings)

    # then
    assert report.saleor_api_url == installed.api_url
    assert (report.updated, report.created) == (["product-events"], ["order-events"])
    assert_current(installed)


def _is_current(installed: Installed) -> bool:
    try:
        assert_current(installed)
    except (AssertionError, KeyError):
        return False
    return True


def test_the_worker_upgrades_soon_after_the_start_not_an_hour_later(
    installed: Installed, settings: Settings, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an old installation, and a worker whose first upgrade is due 10 ms after its start
    make_old(installed)
    monkeypatch.setattr(tasks, "WEBHOOK_UPGRADE_DELAY", timedelta(milliseconds=10))
    monkeypatch.setattr(tasks, "WEBHOOK_UPGRADE_SPREAD", timedelta(milliseconds=10))
    jobs = build_jobs(
        settings.with_overrides(queue_url=queue_url), database=get_database(installed.live.app)
    )

    # when the worker starts (the hourly run is up to an hour away)
    jobs.schedule_first_upgrade()
    consumer = start_background_consumer(jobs)
    try:
        upgraded = wait_until(lambda: _is_current(installed), timeout=15)
    finally:
        stop_background_consumer(consumer)

    # then the webhooks are current
    assert upgraded
    assert_current(installed)


def test_the_hourly_run_upgrades_too(
    installed: Installed, settings: Settings, queue_url: str
) -> None:
    # given an old installation and a running worker
    make_old(installed)
    jobs = build_jobs(
        settings.with_overrides(queue_url=queue_url), database=get_database(installed.live.app)
    )
    consumer = start_background_consumer(jobs)

    # when the hourly task comes due (enqueued as its schedule would)
    try:
        jobs.task("upgrade_webhooks")()
        upgraded = wait_until(lambda: _is_current(installed), timeout=15)
    finally:
        stop_background_consumer(consumer)

    # then
    assert upgraded
    assert_current(installed)
