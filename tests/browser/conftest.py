"""Headless Chromium plus two real HTTP servers: a fake visitor API and a bare host shop.

The fake API serves the real snippet through the real serving code and answers
`POST /storefront/v1/events` with canned, contract-shaped JSON, so the snippet can be tested
before (and independently of) the real visitor API. The host pages live on another origin,
as on a real shop, so CORS is exercised too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from saleor_proactive.sandbox.shop import create_shop_app
from tests.browser.support import (
    DemoShop,
    FakeApi,
    HostShop,
    Tab,
    fake_api_app,
    record_decisions,
    serve_app,
)
from tests.chromium import CHROMIUM, CHROMIUM_ARGS, html_pages_app
from tests.fixtures.sandbox import Installed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM} (make browser)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def fake_api_server() -> Iterator[FakeApi]:
    api = FakeApi()
    api.server, thread = serve_app(fake_api_app(api))
    yield api
    api.release.set()
    api.server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def fake_api(fake_api_server: FakeApi) -> Iterator[FakeApi]:
    fake_api_server.reset(f"t{uuid.uuid4().hex[:8]}")
    yield fake_api_server
    fake_api_server.release.set()


@pytest.fixture(scope="session")
def shop_server(fake_api_server: FakeApi) -> Iterator[HostShop]:
    host = HostShop(fake_api_server)
    app = html_pages_app("host_shop", host.pages)
    host.server, thread = serve_app(app)
    yield host
    host.server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def shop(shop_server: HostShop, fake_api: FakeApi) -> HostShop:
    shop_server.pages.clear()
    return shop_server


# Package scope: Playwright's sync API allows one running instance per thread, and other
# areas start their own after these tests.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    """A fresh desktop tab (1280 px) that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    record_decisions(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    yield Tab(page, errors)
    context.close()


@pytest.fixture
def demo_shop(installed: Installed) -> Iterator[DemoShop]:
    """The demo storefront on the sandbox Saleor, with the live app installed and configured
    with the given rules only (no hold-out, so every visitor is in the exposed group)."""
    server, thread = serve_app(create_shop_app(installed.saleor, installed.app_url))
    shop = DemoShop(f"http://127.0.0.1:{server.server_port}", installed)
    yield shop
    server.shutdown()
    thread.join(timeout=5)
