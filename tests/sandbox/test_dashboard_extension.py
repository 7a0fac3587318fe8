"""The manifest's Dashboard extension: the chat inbox one click from the Dashboard's navigation.

Saleor 3.22+ keeps `mount` and `target` as free strings (lower-cased), so the schema has no enum
for them; the values are checked against what the Dashboard 3.23 places and opens, the fields
against the schema's `AppManifestExtension` and `PermissionEnum`, and the install against the
sandbox, which applies Saleor's manifest rules."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from flask.testing import FlaskClient
from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLSchema

from saleor_proactive.saleor.manifest import build_manifest
from saleor_proactive.sandbox.install import ExtensionSpec
from saleor_proactive.sandbox.schema import schema_from_file
from saleor_proactive.sandbox.server import InstallError, SandboxSaleor
from tests.fixtures.sandbox import Installed
from tests.saleor.test_documents import schema_path
from tests.sandbox.recording_app import RecordingApp

# The Dashboard 3.23's navigation mounts and the targets it opens (SALEOR_FACTS.md).
DASHBOARD_NAVIGATION_MOUNTS = {
    "NAVIGATION_CATALOG",
    "NAVIGATION_ORDERS",
    "NAVIGATION_CUSTOMERS",
    "NAVIGATION_DISCOUNTS",
    "NAVIGATION_TRANSLATIONS",
    "NAVIGATION_PAGES",
}
DASHBOARD_TARGETS = {"APP_PAGE", "POPUP", "WIDGET", "NEW_TAB"}


@pytest.fixture(scope="module")
def saleor_schema() -> GraphQLSchema:
    return schema_from_file(schema_path())


def _chat_extension(manifest: dict[str, Any]) -> dict[str, Any]:
    [extension] = manifest["extensions"]
    return extension


def test_the_chat_extension_is_one_saleor_accepts_and_the_dashboard_places(
    saleor_schema: GraphQLSchema, client: FlaskClient
) -> None:
    manifest = build_manifest("https://proactive.example.com")
    extension = _chat_extension(manifest)
    assert extension["mount"] in DASHBOARD_NAVIGATION_MOUNTS
    assert extension["target"] == "APP_PAGE" and extension["target"] in DASHBOARD_TARGETS
    # APP_PAGE takes a path: the Dashboard frames appUrl + path.
    assert extension["url"].startswith("/") and "?" not in extension["url"]
    permissions = saleor_schema.get_type("PermissionEnum")
    assert isinstance(permissions, GraphQLEnumType)
    assert set(extension["permissions"]) <= set(permissions.values)
    assert set(extension["permissions"]) <= set(manifest["permissions"])
    assert "MANAGE_APPS" not in extension["permissions"]  # an app may not ask for it at all
    returned = saleor_schema.get_type("AppManifestExtension")
    assert isinstance(returned, GraphQLObjectType)
    assert {"label", "url", "permissions", "mountName", "targetName", "identifier"} <= set(
        returned.fields
    )
    # The page the Dashboard frames exists and is the app page.
    framed = client.get("/app" + extension["url"])
    assert framed.status_code == 200 and 'id="tab-chat"' in framed.text


def test_the_sandbox_keeps_the_extension_as_saleor_stores_it(installed: Installed) -> None:
    assert installed.app.extensions == [
        ExtensionSpec(
            label="Chat with visitors",
            url="/chat",
            mount="navigation_customers",
            target="app_page",
            permissions=(),
            identifier="chat-inbox",
        )
    ]


def test_the_sandbox_dashboard_links_the_inbox_and_frames_its_path(installed: Installed) -> None:
    page = requests.get(f"{installed.saleor.url}/dashboard/", timeout=10).text
    assert '<a href="/dashboard/app/chat">Chat with visitors</a>' in page
    deep = requests.get(f"{installed.saleor.url}/dashboard/app/chat", timeout=10).text
    assert f'src="{installed.app.app_url}/chat?' in deep


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"permissions": ["MANAGE_APPS"]}, "must be listed in App.s permissions"),
        ({"permissions": ["MANAGE_EVERYTHING"]}, "Given permissions don.t exist"),
        ({"permissions": ["MANAGE_USERS"]}, "must be listed in App's permissions"),
        ({"url": "https://proactive.example.com/app/chat"}, "Incorrect value for field: url"),
        ({"mount": ""}, "Field required: extensions.mount"),
    ],
)
def test_the_sandbox_refuses_extensions_saleor_refuses(
    sandbox_saleor: SandboxSaleor,
    recording_app: RecordingApp,
    change: dict[str, Any],
    message: str,
) -> None:
    chat = build_manifest(recording_app.url)["extensions"][0]

    def edit(manifest: dict[str, Any]) -> None:
        manifest["extensions"] = [{**chat, **change}]

    recording_app.edit_manifest = edit
    with pytest.raises(InstallError, match=message):
        sandbox_saleor.install_app(recording_app.manifest_url)
    assert sandbox_saleor.only_app() is None
