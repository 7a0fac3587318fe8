"""App installation as Saleor performs it: fetch and check the manifest, create the app, hand
the token to `tokenTargetUrl`, and delete the app again when the app refuses it."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from graphql import GraphQLEnumType, GraphQLSchema

from .schema import parse_and_validate

SCHEMA_VERSION = "3.23"
TIMEOUT = (2, 18)
TOKEN_ALPHABET = string.ascii_letters + string.digits


class InstallError(Exception):
    """The install failed; `message` is what the Dashboard would show."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ExtensionSpec:
    """A Dashboard extension as Saleor keeps it: mount and target lower-cased (it returns them
    upper-cased as `mountName`/`targetName`), permissions within the app's."""

    label: str
    url: str
    mount: str
    target: str
    permissions: tuple[str, ...]
    identifier: str | None


@dataclass(frozen=True)
class WebhookSpec:
    name: str
    target_url: str
    query: str
    events: list[str]
    is_active: bool


def fetch_manifest(manifest_url: str) -> dict[str, Any]:
    try:
        response = requests.get(
            manifest_url,
            headers={"Saleor-Schema-Version": SCHEMA_VERSION},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise InstallError(f"Unable to fetch manifest data: {exc}") from exc
    if response.status_code != 200:
        raise InstallError(f"Unable to fetch manifest data: HTTP {response.status_code}")
    try:
        manifest = response.json()
    except ValueError as exc:
        raise InstallError("Incorrect structure of manifest: not JSON") from exc
    if not isinstance(manifest, dict):
        raise InstallError("Incorrect structure of manifest: not an object")
    return manifest


def check_manifest(schema: GraphQLSchema, manifest: dict[str, Any]) -> list[WebhookSpec]:
    """Saleor's manifest checks; returns the webhooks to create."""
    missing = [key for key in ("id", "name", "version") if not manifest.get(key)]
    if missing:
        raise InstallError(f"Missing required fields for app manifest: {', '.join(missing)}.")
    if not manifest.get("tokenTargetUrl"):
        raise InstallError("Missing required field for app manifest: tokenTargetUrl.")
    _check_permissions(schema, manifest.get("permissions") or [])
    return [_check_webhook(schema, hook) for hook in manifest.get("webhooks") or []]


def _check_permissions(schema: GraphQLSchema, permissions: list[Any]) -> None:
    known = _enum_values(schema, "PermissionEnum")
    for permission in permissions:
        if permission not in known:
            raise InstallError(f"Given permission: {permission} doesn't exist.")
        if permission == "MANAGE_APPS":
            raise InstallError("Apps can't request MANAGE_APPS.")


def check_extensions(schema: GraphQLSchema, manifest: dict[str, Any]) -> list[ExtensionSpec]:
    """Saleor's checks of `extensions` (3.22+): label, url and mount required; target
    POPUP by default; both stored lower-cased; a relative url only with an appUrl, an
    absolute one http(s) and never for APP_PAGE; permissions known and among the app's."""
    extensions = manifest.get("extensions") or []
    if not isinstance(extensions, list):
        raise InstallError("Incorrect structure of extensions.")
    app_permissions = set(manifest.get("permissions") or [])
    known = _enum_values(schema, "PermissionEnum")
    return [_check_extension(item, manifest, app_permissions, known) for item in extensions]


def _check_extension(
    item: Any, manifest: dict[str, Any], app_permissions: set[str], known: set[str]
) -> ExtensionSpec:
    if not isinstance(item, dict):
        raise InstallError("Incorrect structure of extensions.")
    for key in ("label", "url", "mount"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise InstallError(f"Field required: extensions.{key}.")
    target = item.get("target") or "POPUP"
    url = item["url"]
    if not isinstance(target, str):
        raise InstallError("Incorrect value for field: target.")
    if url.startswith("/"):
        if not manifest.get("appUrl"):
            raise InstallError("Incorrect value for field: url.")
    elif target.upper() == "APP_PAGE" or urlsplit(url).scheme not in ("http", "https"):
        raise InstallError("Incorrect value for field: url.")
    permissions = item.get("permissions") or []
    unknown = [p for p in permissions if p not in known]
    if unknown:
        raise InstallError(f"Given permissions don't exist: {', '.join(map(str, unknown))}.")
    if not set(permissions) <= app_permissions:
        raise InstallError("Extension permission must be listed in App's permissions.")
    identifier = item.get("identifier")
    return ExtensionSpec(
        item["label"],
        url,
        item["mount"].lower(),
        target.lower(),
        tuple(permissions),
        identifier if isinstance(identifier, str) else None,
    )


def _check_webhook(schema: GraphQLSchema, hook: Any) -> WebhookSpec:
    if not isinstance(hook, dict):
        raise InstallError("Incorrect structure of webhooks.")
    missing = [key for key in ("name", "targetUrl", "query") if not hook.get(key)]
    if missing:
        raise InstallError(f"Missing required webhook fields: {', '.join(missing)}.")
    known_events = _enum_values(schema, "WebhookEventTypeAsyncEnum")
    events = list(hook.get("asyncEvents") or [])
    unknown = [event for event in events if event not in known_events]
    if unknown:
        raise InstallError(f"Invalid asyncEvents value: {', '.join(map(str, unknown))}.")
    _document, errors = parse_and_validate(schema, hook["query"])
    if errors:
        raise InstallError(f"Subscription query is not valid: {errors[0].message}")
    return WebhookSpec(
        hook["name"], hook["targetUrl"], hook["query"], events, hook.get("isActive", True)
    )


def _enum_values(schema: GraphQLSchema, name: str) -> set[str]:
    enum = schema.get_type(name)
    assert isinstance(enum, GraphQLEnumType), name
    return set(enum.values)


def new_app_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(30))


def send_token(token_target_url: str, token: str, domain: str, api_url: str) -> None:
    """POST the token; a status of 400 or more fails the install with the app's message."""
    headers = {
        "Saleor-Domain": domain,
        "Saleor-Api-Url": api_url,
        "Saleor-Schema-Version": SCHEMA_VERSION,
        "X-Saleor-Domain": domain,
    }
    try:
        response = requests.post(
            token_target_url,
            json={"auth_token": token},
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise InstallError(f"Unable to send the token to the app: {exc}") from exc
    if response.status_code >= 400:
        raise InstallError(_app_message(response), response.status_code)


def _app_message(response: requests.Response) -> str:
    try:
        error = response.json().get("error") or {}
        message = error.get("message") if isinstance(error, dict) else None
    except (ValueError, AttributeError):
        message = None
    return message or f"App returned HTTP {response.status_code}"
