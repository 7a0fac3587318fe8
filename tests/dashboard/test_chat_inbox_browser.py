"""The chat inbox on the app page, in Chromium framed by the stand-in Dashboard: the staff
answer a visitor (who talks over the real visitor endpoints) and see new lines arrive live."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.browser.support import axe_violations
from tests.dashboard.test_app_page_browser import open_app, shoot
from tests.fixtures.dashboard_browser import BrowserThread, DashboardHost
from tests.fixtures.sandbox import Installed

pytestmark = pytest.mark.browser


def _conversations(installed: Installed) -> str:
    return f"{installed.app_url}/storefront/v1/chat/conversations"


def _visitor_says(installed: Installed, visitor_id: str, body: str) -> dict[str, Any]:
    """A visitor starts a conversation and writes its first line, as the chat panel does."""
    conversation: dict[str, Any] = requests.post(
        _conversations(installed),
        json={
            "saleorApiUrl": installed.api_url,
            "channel": "default-channel",
            "visitorId": visitor_id,
            "locale": "en-GB",
        },
        timeout=10,
    ).json()["conversation"]
    requests.post(
        f"{_conversations(installed)}/{conversation['id']}/messages",
        json={"body": body},
        headers={"Authorization": f"Bearer {conversation['token']}"},
        timeout=10,
    )
    return conversation


def test_the_staff_answer_in_the_inbox_and_see_new_lines_live(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
) -> None:
    started = _visitor_says(installed, "v_inbox", "Is the grinder in stock?")
    lines = f"{_conversations(installed)}/{started['id']}/messages"
    auth = {"Authorization": f"Bearer {started['token']}"}
    token = installed.saleor.sign_dashboard_token(installed.app_id, user_permissions=[])

    def steps(page: Any) -> list[str]:
        app = open_app(page, dashboard_host, installed, token)
        tab = app.locator("#tab-chat", has_text="Chat (1)")  # the unread badge, before opening
        tab.wait_for()
        tab.click()
        app.locator(".chat-list button", has_text="Is the grinder in stock?").click()
        app.locator(".chat-log li", has_text="Is the grinder in stock?").wait_for()
        app.locator(".chat-context").wait_for()
        reply = app.locator(".chat-reply textarea")
        reply.fill("Yes, two left.")
        reply.press("Enter")
        app.locator(".chat-log li", has_text="staff@example.com: Yes, two left.").wait_for()
        # a new line from the visitor appears without reloading
        requests.post(lines, json={"body": "Great, ordering now"}, headers=auth, timeout=10)
        app.locator(".chat-log li", has_text="Great, ordering now").wait_for(timeout=10000)
        # with the sound on, a new conversation chimes and is announced
        app.locator("#chat-sound").check()
        _visitor_says(installed, "v_second", "Do you sell filters?")
        app.locator("#panel-chat[data-chimes='1']").wait_for(timeout=10000)
        assert "New conversation" in app.locator("#panel-chat [role=status]").text_content()
        shoot(page, "chat-inbox")
        app_frame = next(frame for frame in page.frames if "/app" in frame.url)
        return list(page.errors) + axe_violations(app_frame)

    problems = dashboard_browser.run(steps)
    seen = requests.get(lines, headers=auth, timeout=10).json()
    assert [m["body"] for m in seen["messages"] if m["author"] == "agent"] == ["Yes, two left."]
    assert seen["conversation"]["online"] is True  # the open inbox tells visitors someone answers
    assert problems == []  # no console errors, no WCAG 2.1 AA violations
