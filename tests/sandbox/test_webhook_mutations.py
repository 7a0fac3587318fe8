"""`app { webhooks }`, `webhookCreate` and `webhookUpdate` with an app's own token, under
Saleor's rules: an app reads and changes only its own webhooks, and needs no MANAGE_APPS."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests

from saleor_proactive.saleor import documents
from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.seed import BEANS_VARIANT, DEFAULT_CHANNEL
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App, Webhook
from tests.sandbox.recording_app import RecordingApp

CHECKOUT_QUERY = "subscription { event { ... on CheckoutCreated { checkout { id } } } }"


def post(saleor: SandboxSaleor, token: str | None, query: str, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(
        saleor.api_url,
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def other_app(saleor: SandboxSaleor) -> App:
    """A second app of the same Saleor, with a webhook of its own."""
    hook = Webhook(
        saleor.shop.new_pk(), "theirs", "https://other.example.com/h", "", ["ORDER_CREATED"]
    )
    pk = saleor.shop.new_pk("App")
    app = App(pk, "other", "Other", "1", {}, "other-token", [], [hook], None, datetime.now(UTC))
    saleor.shop.apps[pk] = app
    return app


def test_an_app_reads_its_own_webhooks_without_manage_apps(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given
    assert "MANAGE_APPS" not in recorded_install.permissions

    # when
    body = post(sandbox_saleor, recorded_install.token, documents.APP_WEBHOOKS)

    # then
    assert "errors" not in body
    hooks = body["data"]["app"]["webhooks"]
    assert [(h["id"], h["name"], h["targetUrl"]) for h in hooks] == [
        (to_global_id("Webhook", h.pk), h.name, h.target_url) for h in recorded_install.webhooks
    ]
    assert [e["eventType"] for e in hooks[0]["asyncEvents"]] == recorded_install.webhooks[0].events


def test_without_a_token_no_webhook_is_created(sandbox_saleor: SandboxSaleor) -> None:
    # when
    body = post(sandbox_saleor, None, documents.WEBHOOK_CREATE, input={"name": "x"})

    # then
    assert body["data"]["webhookCreate"] is None
    assert body["errors"][0]["extensions"]["exceptionCode"] == "PermissionDenied"


def test_an_app_cannot_update_another_apps_webhook(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given
    theirs = other_app(sandbox_saleor).webhooks[0]
    their_id = to_global_id("Webhook", theirs.pk)

    # when
    body = post(
        sandbox_saleor,
        recorded_install.token,
        documents.WEBHOOK_UPDATE,
        id=their_id,
        input={"targetUrl": "https://evil.example.com/"},
    )

    # then
    assert body["data"]["webhookUpdate"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": f"Couldn't resolve to a node: {their_id}"}
    ]
    assert theirs.target_url == "https://other.example.com/h"


def test_an_invalid_query_is_refused_and_nothing_changes(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given
    hook = recorded_install.webhooks[0]

    # when
    body = post(
        sandbox_saleor,
        recorded_install.token,
        documents.WEBHOOK_UPDATE,
        id=to_global_id("Webhook", hook.pk),
        input={"query": "subscription { event { ... on CheckoutCreated { nope } } }"},
    )

    # then
    [error] = body["data"]["webhookUpdate"]["errors"]
    assert (error["field"], error["code"]) == ("query", "GRAPHQL_ERROR")
    assert recorded_install.webhooks[0] is hook


def test_a_created_webhook_takes_its_events_from_the_query_and_is_delivered(
    sandbox_saleor: SandboxSaleor, recorded_install: App, recording_app: RecordingApp
) -> None:
    # given
    target = f"{recording_app.url}/api/webhooks/created-later"

    # when
    body = post(
        sandbox_saleor,
        recorded_install.token,
        documents.WEBHOOK_CREATE,
        input={"name": "created-later", "targetUrl": target, "query": CHECKOUT_QUERY},
    )
    sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # then
    assert body["data"]["webhookCreate"]["errors"] == []
    [created] = [h for h in recorded_install.webhooks if h.name == "created-later"]
    assert created.events == ["CHECKOUT_CREATED"]
    assert [
        (d.webhook, d.status) for d in sandbox_saleor.last_deliveries if d.target_url == target
    ] == [("created-later", 200)]
