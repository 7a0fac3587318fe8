"""The app manifest: the static part in `manifest/manifest.json`, URLs and webhooks added here."""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..assets import asset_dir
from .webhooks import WEBHOOKS

# Saleor validates the brand logo as a raster image; logo.svg is its source.
LOGO_FILE = "logo.png"

# The chat inbox one click from the Dashboard's navigation. Saleor 3.22+ stores `mount` and
# `target` as free strings; these are values the Dashboard 3.23 places and opens. APP_PAGE opens
# inside the app's frame at `appUrl` + the relative `url` (so `/app/chat`, the page with its
# Chat tab selected). No permissions: an extension may only ask for the app's own, and any staff
# member may answer chats (only settings need MANAGE_APPS, which the app page enforces).
CHAT_PATH = "/chat"
EXTENSIONS: tuple[dict[str, Any], ...] = (
    {
        "identifier": "chat-inbox",
        "label": "Chat with visitors",
        "mount": "NAVIGATION_CUSTOMERS",
        "target": "APP_PAGE",
        "url": CHAT_PATH,
        "permissions": [],
    },
)


@cache
def static_manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (asset_dir("manifest") / "manifest.json").read_text(encoding="utf-8")
    )
    return data


def build_manifest(base_url: str) -> dict[str, Any]:
    """The manifest Saleor reads at install; `base_url` is the app's public URL, no slash."""
    manifest = json.loads(json.dumps(static_manifest()))  # a deep copy we may extend
    manifest.update(
        {
            "version": app_version(),
            "appUrl": f"{base_url}/app",
            "tokenTargetUrl": f"{base_url}/api/register",
            "webhooks": [definition.manifest_entry(base_url) for definition in WEBHOOKS],
            "extensions": [dict(extension) for extension in EXTENSIONS],
            "brand": {"logo": {"default": f"{base_url}/api/manifest/{LOGO_FILE}"}},
        }
    )
    return manifest


def app_version() -> str:
    # The package's version is the one source of truth; a bare checkout has none installed.
    try:
        return version("saleor-proactive")
    except PackageNotFoundError:
        return "0.0.0"


def logo_path() -> Path:
    return asset_dir("manifest") / LOGO_FILE
