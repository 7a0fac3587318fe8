"""`GET /api/manifest`: generated from manifest/manifest.json and the webhook registry."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.saleor.manifest import app_version, build_manifest
from saleor_proactive.saleor.webhooks import WEBHOOKS

SNAPSHOT = Path(__file__).parent / "snapshots" / "manifest.json"


def test_the_generated_manifest_matches_its_snapshot() -> None:
    # A change to the manifest Saleor installs must be a deliberate one: update the snapshot
    # with `python -m tests.saleor.test_manifest` and review the diff.
    # when
    manifest = build_manifest("https://proactive.example.com")

    # then
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    expected["version"] = app_version()
    assert manifest == expected


def test_the_manifest_is_served_with_urls_from_the_request(client: FlaskClient) -> None:
    # when
    response = client.get("/api/manifest", base_url="http://127.0.0.1:8123")

    # then
    manifest = response.get_json()
    assert response.status_code == 200
    assert manifest["tokenTargetUrl"] == "http://127.0.0.1:8123/api/register"
    assert manifest["appUrl"] == "http://127.0.0.1:8123/app"
    assert {hook["targetUrl"] for hook in manifest["webhooks"]} == {
        f"http://127.0.0.1:8123/api/webhooks/{d.name}" for d in WEBHOOKS
    }


def test_the_configured_public_url_wins_over_the_host_header(settings: Settings) -> None:
    # given Saleor reaching us through a proxy that drops the port
    app = create_app(settings.with_overrides(public_url="https://apps.example.com/proactive"))

    # when
    response = app.test_client().get("/api/manifest", base_url="http://127.0.0.1")

    # then
    assert response.get_json()["tokenTargetUrl"] == (
        "https://apps.example.com/proactive/api/register"
    )


def test_every_webhook_route_exists(app: Flask) -> None:
    # The routes are derived from the same list: each manifest target answers (401 unsigned).
    client = app.test_client()
    for definition in WEBHOOKS:
        assert client.post(f"/api/webhooks/{definition.name}", data=b"{}").status_code == 401


def test_the_brand_logo_is_served(client: FlaskClient) -> None:
    # given
    logo_url = client.get("/api/manifest").get_json()["brand"]["logo"]["default"]

    # when
    response = client.get(logo_url.replace("http://localhost", ""))

    # then
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n")


if __name__ == "__main__":  # pragma: no cover - regenerates the snapshot
    snapshot = build_manifest("https://proactive.example.com")
    snapshot["version"] = "<package version>"
    SNAPSHOT.write_text(json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n", "utf-8")


def test_the_operations_manual_documents_every_webhook_with_its_events() -> None:
    # given docs/operations.md's webhook table: | `name` | `EVENT`, `EVENT` | used for |
    manual = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
    readme = manual.read_text(encoding="utf-8")
    documented = {
        cells[0].strip("` "): {event.strip("` ") for event in cells[1].split(",")}
        for line in readme.splitlines()
        if line.startswith("| `") and len(cells := line.strip("|").split("|")) >= 3
    }

    # then
    for definition in WEBHOOKS:
        assert documented.get(definition.name) == set(definition.events), definition.name


def test_the_manifest_asks_for_the_permission_each_webhook_event_needs() -> None:
    # A webhook fires only while the app holds its event's permission (APP_DELETED needs none).
    needed = {
        "CHECKOUT_": "MANAGE_CHECKOUTS",
        "ORDER_": "MANAGE_ORDERS",
        "PRODUCT_": "MANAGE_PRODUCTS",
        "SHIPPING_": "MANAGE_SHIPPING",
    }
    permissions = set(build_manifest("https://x.example")["permissions"])

    for definition in WEBHOOKS:
        for event in definition.events:
            prefix = next((p for p in needed if event.startswith(p)), None)
            assert prefix is None or needed[prefix] in permissions, event
    assert "MANAGE_APPS" not in permissions  # Saleor refuses manifests asking for it
