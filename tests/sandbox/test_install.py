from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from saleor_proactive.sandbox.server import InstallError, SandboxSaleor
from tests.sandbox.recording_app import RecordingApp

APP_ID_QUERY = "query { app { id } }"


def gql(saleor: SandboxSaleor, query: str, token: str | None = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(saleor.api_url, json={"query": query}, headers=headers, timeout=10)


def test_install_fetches_manifest_and_hands_over_the_token_like_saleor(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    manifest_url = recording_app.manifest_url

    # when
    app = sandbox_saleor.install_app(manifest_url)

    # then
    fetch = recording_app.on("/api/manifest")[0]
    assert fetch.headers["Saleor-Schema-Version"] == "3.23"
    register = recording_app.on("/api/register")[0]
    assert register.headers["Saleor-Api-Url"] == sandbox_saleor.api_url
    assert register.headers["Saleor-Domain"] == sandbox_saleor.domain
    assert register.headers["Saleor-Schema-Version"] == "3.23"
    assert json.loads(register.body) == {"auth_token": app.token}
    assert app.permissions == [
        "MANAGE_CHECKOUTS",
        "MANAGE_DISCOUNTS",
        "MANAGE_ORDERS",
        "MANAGE_PRODUCTS",
        "MANAGE_SHIPPING",
    ]
    assert {hook.name for hook in app.webhooks} == {
        "checkout-events",
        "order-events",
        "product-events",
        "shipping-events",
        "app-deleted",
    }


def test_the_token_identifies_the_app_in_graphql(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    app = sandbox_saleor.install_app(recording_app.manifest_url)

    # when
    response = gql(sandbox_saleor, APP_ID_QUERY, token=recording_app.token())

    # then
    assert response.json() == {"data": {"app": {"id": app.global_id}}}
    assert app.global_id == "QXBwOjE="  # base64("App:1"), a Saleor global ID


def test_each_token_names_its_own_app_and_manifest_id(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given two different apps installed in the same Saleor
    first = sandbox_saleor.install_app(recording_app.manifest_url)
    first_token = recording_app.token()
    recording_app.edit_manifest = lambda manifest: manifest.update(id="test.another-app")
    second = sandbox_saleor.install_app(recording_app.manifest_url)

    # when each token asks which app it is
    query = "query { app { id identifier } }"
    answers = [
        gql(sandbox_saleor, query, token=token).json()["data"]["app"]
        for token in (first_token, recording_app.token())
    ]

    # then, as in Saleor, `identifier` is the manifest id the app was installed from
    assert answers == [
        {"id": first.global_id, "identifier": "test.recording-app"},
        {"id": second.global_id, "identifier": "test.another-app"},
    ]


def test_install_fails_and_deletes_the_app_when_the_app_refuses_the_token(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    recording_app.register_status = 403
    recording_app.register_body = {
        "success": False,
        "error": {"code": "saleor_url_prohibited", "message": "Not allowed here."},
    }

    # when
    with pytest.raises(InstallError) as refused:
        sandbox_saleor.install_app(recording_app.manifest_url)

    # then
    assert refused.value.message == "Not allowed here."
    assert refused.value.status == 403
    assert sandbox_saleor.shop.apps == {}
    token = json.loads(recording_app.on("/api/register")[0].body)["auth_token"]
    assert gql(sandbox_saleor, APP_ID_QUERY, token=token).json()["data"] == {"app": None}


def test_install_refuses_a_webhook_query_that_does_not_validate(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    def break_query(manifest: dict[str, Any]) -> None:
        manifest["webhooks"][0]["query"] = (
            "subscription { event { ... on CheckoutUpdated { cart } } }"
        )

    recording_app.edit_manifest = break_query

    # when
    with pytest.raises(InstallError) as refused:
        sandbox_saleor.install_app(recording_app.manifest_url)

    # then
    assert "Cannot query field 'cart' on type 'CheckoutUpdated'" in refused.value.message
    assert recording_app.on("/api/register") == []
    assert sandbox_saleor.shop.apps == {}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.pop("id"), "Missing required fields for app manifest: id."),
        (lambda m: m.update(permissions=["MANAGE_APPS"]), "Apps can't request MANAGE_APPS."),
        (lambda m: m.update(permissions=["MANAGE_EVERYTHING"]), "MANAGE_EVERYTHING doesn't exist"),
        (
            lambda m: m["webhooks"][0].update(asyncEvents=["checkout_updated"]),
            "Invalid asyncEvents",
        ),
        (
            lambda m: m["webhooks"][0].pop("targetUrl"),
            "Missing required webhook fields: targetUrl.",
        ),
    ],
)
def test_install_checks_the_manifest_like_saleor(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, edit: object, message: str
) -> None:
    # given
    recording_app.edit_manifest = edit  # type: ignore[assignment]

    # when
    with pytest.raises(InstallError) as refused:
        sandbox_saleor.install_app(recording_app.manifest_url)

    # then
    assert message in refused.value.message
    assert recording_app.on("/api/register") == []


def test_install_does_not_follow_redirects(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # when
    with pytest.raises(InstallError) as refused:
        sandbox_saleor.install_app(f"{recording_app.url}/moved/manifest")

    # then
    assert "HTTP 302" in refused.value.message
    assert recording_app.on("/api/manifest") == []


def test_only_one_app_per_manifest_id(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    sandbox_saleor.install_app(recording_app.manifest_url)

    # when
    with pytest.raises(InstallError) as refused:
        sandbox_saleor.install_app(recording_app.manifest_url)

    # then
    assert "already installed" in refused.value.message
    assert len(sandbox_saleor.shop.apps) == 1


def test_uninstall_sends_app_deleted_then_forgets_the_app(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp
) -> None:
    # given
    app = sandbox_saleor.install_app(recording_app.manifest_url)

    # when
    deliveries = sandbox_saleor.uninstall_app()

    # then
    assert [(d.event, d.webhook, d.status) for d in deliveries] == [
        ("app_deleted", "app-deleted", 200)
    ]
    assert deliveries[0].payload["app"] == {"id": app.global_id}
    assert gql(sandbox_saleor, APP_ID_QUERY, token=app.token).json()["data"] == {"app": None}
