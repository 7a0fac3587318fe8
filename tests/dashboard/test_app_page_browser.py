"""The app page in headless Chromium, framed by a stand-in Dashboard on another origin."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.fixtures.dashboard_browser import DashboardHost, foreign_page
from tests.fixtures.sandbox import Installed

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def open_app(page: Any, host: DashboardHost, installed: Installed, **kwargs: Any) -> Any:
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    url = host.frame_app(
        "/dashboard", installed.app_url, installed.api_url, installed.app_id, token, **kwargs
    )
    page.goto(url)
    return page.frame_locator("#app")


def shoot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"dashboard-{name}.png"
    page.locator("#app").screenshot(path=str(path))
    return path


def storefront_actions(installed: Installed, page_type: str) -> list[dict[str, Any]]:
    body = {
        "saleorApiUrl": installed.api_url,
        "channel": "default-channel",
        "visitorId": "v_" + uuid.uuid4().hex[:16],
        "sessionId": "s_" + uuid.uuid4().hex[:16],
        "locale": "en-GB",
        "device": "desktop",
        "events": [
            {
                "type": "page_view",
                "url": "https://shop.test/checkout",
                "pageType": page_type,
                "ts": 1763900000000,
            },
        ],
    }
    response = requests.post(f"{installed.app_url}/storefront/v1/events", json=body, timeout=10)
    assert response.status_code == 200, response.text
    return list(response.json()["actions"])


def test_a_merchant_creates_a_trigger_that_the_storefront_then_shows(
    dashboard_page: Any, dashboard_host: DashboardHost, installed: Installed
):
    # given: the app page, framed by the Dashboard, got its token through the handshake
    app = open_app(dashboard_page, dashboard_host, installed)
    app.locator("#main").wait_for(state="visible")
    app.locator("#trigger-rows tr").first.wait_for()
    shoot(dashboard_page, "light")

    # when: the merchant writes a trigger in the editor
    app.locator("#new-trigger").click()
    editor = app.locator("#editor")
    editor.locator("[name=name]").fill("Browser help at checkout")
    editor.locator("[name=priority]").fill("900")
    editor.locator("#conditions [name=value]").first.fill("checkout, cart")
    editor.locator("#messages [name=text]").first.fill("Need a hand with checkout? <b>Ask</b>")
    editor.locator("#messages [name=extra]").first.fill("Chat now")
    editor.locator("[name=holdoutPercent]").fill("0")
    editor.locator("button[type=submit]").click()

    # then: it is listed, the simulator shows it, and the storefront API now returns it
    row = app.locator("#trigger-rows tr", has_text="Browser help at checkout")
    row.wait_for()
    trigger_id = row.get_attribute("data-trigger-id")
    assert trigger_id and trigger_id.startswith("trg_")

    app.locator("#tab-simulator").click()
    app.locator("#simulator-form [name=pageType]").select_option("checkout")
    app.locator("#simulator-form button[type=submit]").click()
    shown = app.locator(f'#simulation [data-action-trigger="{trigger_id}"]')
    shown.wait_for()
    assert "Need a hand with checkout? <b>Ask</b>" in shown.inner_text()

    actions = storefront_actions(installed, "checkout")
    assert [a["triggerId"] for a in actions if a["slot"] == "bubble"] == [trigger_id]
    assert actions[0]["message"] == "Need a hand with checkout? <b>Ask</b>"
    assert dashboard_page.errors == []


def test_invalid_input_in_the_editor_is_named_before_saving(
    dashboard_page: Any, dashboard_host: DashboardHost, installed: Installed
):
    # given
    app = open_app(dashboard_page, dashboard_host, installed)
    app.locator("#new-trigger").click()
    editor = app.locator("#editor")

    # when
    editor.locator("[name=name]").fill("Too much hold-out")
    editor.locator("#messages [name=text]").first.fill("Hello")
    editor.locator("[name=holdoutPercent]").fill("80")

    # then
    error = editor.locator("#editor-errors li", has_text="holdoutPercent")
    error.wait_for()
    assert app.locator("#trigger-rows tr", has_text="Too much hold-out").count() == 0


def test_theme_and_language_follow_the_dashboard(
    dashboard_page: Any, dashboard_host: DashboardHost, installed: Installed
):
    # given
    app = open_app(dashboard_page, dashboard_host, installed)
    app.locator("#trigger-rows tr").first.wait_for()

    # when
    dashboard_page.evaluate("sendToApp('theme', {theme: 'dark'})")
    dashboard_page.evaluate("sendToApp('localeChanged', {locale: 'es'})")

    # then
    app.locator("html[data-theme=dark]").wait_for(state="attached")
    app.locator("#tab-triggers", has_text="Disparadores").wait_for()
    background = app.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
    assert background == "rgb(20, 21, 23)"
    dark = shoot(dashboard_page, "dark")
    docs = ROOT / "docs" / "screenshots"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCREENSHOTS / "dashboard-light.png", docs / "dashboard.png") if (
        SCREENSHOTS / "dashboard-light.png"
    ).exists() else shutil.copy(dark, docs / "dashboard.png")


def test_a_handshake_from_a_foreign_origin_is_ignored(
    dashboard_page: Any,
    dashboard_host: DashboardHost,
    foreign_host: DashboardHost,
    installed: Installed,
):
    # given: the Dashboard stays silent; a frame from another origin offers a valid token
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    foreign_host.pages["/evil"] = foreign_page(token)
    calls: list[str] = []
    dashboard_page.on(
        "request",
        lambda request: calls.append(request.url) if "/api/graphql" in request.url else None,
    )
    extra = f'<iframe id="evil" src="{foreign_host.url}/evil"></iframe>'

    # when
    app = open_app(dashboard_page, dashboard_host, installed, answer=False, extra=extra)
    dashboard_page.wait_for_timeout(1200)

    # then
    assert app.locator("#waiting").is_visible()
    assert app.locator("#main").is_hidden()
    assert calls == []
    ready = dashboard_page.evaluate("window.appMessages")
    assert ready and ready[0]["type"] == "notifyReady"
