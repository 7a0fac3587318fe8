"""The built-in chat in a real Chromium: a visitor on the demo shop opens it from a prompt and
talks with the staff, who answer through the merchant API with a Dashboard token."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.browser.support import DemoShop, Tab, axe_violations, publish, rule, screenshot, widget

pytestmark = pytest.mark.browser

CONTACT_CHAT = rule(
    "Help on contact",
    {"pageType": {"in": ["contact"]}},
    {
        "type": "chat_prompt",
        "message": {"en": "Questions? Ask us here.", "es": "¿Dudas? Pregúntanos aquí."},
        "cta": {"en": "Chat with us", "es": "Chatea con nosotros"},
    },
)
INBOX = "query { chatConversations { id unread messages { author authorEmail body } } }"
REPLY = """mutation R($id: ID!, $body: String!) { chatReply(conversationId: $id, body: $body) {
  errors { code } } }"""


def panel(tab: Tab, selector: str) -> Any:
    return tab.page.locator(f"saleor-proactive-chat {selector}")


def merchant_api(shop: DemoShop, query: str, variables: dict[str, Any] | None = None) -> Any:
    installed = shop.installed
    token = installed.saleor.sign_dashboard_token(installed.app_id, user_permissions=[])
    answer = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def test_a_visitor_chats_with_the_staff_and_keeps_the_conversation_across_pages(
    tab: Tab, demo_shop: DemoShop
) -> None:
    # given: the prompt on the contact page, the built-in chat (the default provider)
    demo_shop.use_rules(CONTACT_CHAT)
    tab.page.goto(demo_shop.url + "/contact")
    widget(tab.page, ".bubble").wait_for(timeout=5000)
    # when: the visitor opens the chat and writes
    widget(tab.page, ".cta").click()
    panel(tab, "[role=dialog]").wait_for(timeout=5000)
    panel(tab, ".log li").first.wait_for(timeout=5000)
    assert "Questions? Ask us here." in panel(tab, ".log li").first.text_content()
    assert (
        tab.page.evaluate("document.activeElement.shadowRoot.activeElement.tagName") == "TEXTAREA"
    )
    tab.page.keyboard.type("Do you ship to the Canary Islands?")
    tab.page.keyboard.press("Enter")
    panel(tab, ".log li.visitor").wait_for(timeout=5000)
    # then: the staff see it with the context, and their answer reaches the open panel
    [conversation] = merchant_api(demo_shop, INBOX)["chatConversations"]
    assert conversation["unread"] == 1
    assert conversation["messages"][-1]["body"] == "Do you ship to the Canary Islands?"
    replied = merchant_api(
        demo_shop, REPLY, {"id": conversation["id"], "body": "Yes, in 3 to 5 days."}
    )
    assert replied["chatReply"]["errors"] == []
    panel(tab, ".log li.agent").wait_for(timeout=5000)
    assert "Yes, in 3 to 5 days." in panel(tab, ".log li.agent").text_content()
    assert "Yes, in 3 to 5 days." in panel(tab, "[role=status]").text_content()
    publish(screenshot(tab.page, "chat-panel-desktop"))
    assert axe_violations(tab.page) == []

    # a reload keeps the open panel and its lines
    tab.page.goto(demo_shop.url + "/")
    panel(tab, ".log li.agent").wait_for(timeout=5000)
    assert panel(tab, ".log li").count() == 3

    # Escape closes the panel; the conversation stays for the next opening
    panel(tab, "textarea").focus()
    tab.page.keyboard.press("Escape")
    assert not panel(tab, "[role=dialog]").is_visible()
    tab.page.goto(demo_shop.url + "/")
    tab.page.wait_for_timeout(800)
    assert panel(tab, "[role=dialog]").count() == 0  # closed stays closed
    assert tab.errors == []


def test_a_second_tab_follows_the_same_conversation(browser: Any, demo_shop: DemoShop) -> None:
    demo_shop.use_rules(CONTACT_CHAT)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    first, second = context.new_page(), context.new_page()
    first.goto(demo_shop.url + "/contact")
    first.locator("saleor-proactive .cta").click()
    first.locator("saleor-proactive-chat .log li").first.wait_for(timeout=5000)
    first.locator("saleor-proactive-chat textarea").fill("Hello from tab one")
    first.keyboard.press("Enter")
    first.locator("saleor-proactive-chat .log li.visitor").wait_for(timeout=5000)
    second.goto(demo_shop.url + "/contact")
    second.locator("saleor-proactive .cta").click()
    second.locator("saleor-proactive-chat .log li.visitor").wait_for(timeout=5000)
    assert "Hello from tab one" in second.locator("saleor-proactive-chat .log").text_content()
    [conversation] = merchant_api(demo_shop, INBOX)["chatConversations"]
    assert conversation["id"]
    context.close()
