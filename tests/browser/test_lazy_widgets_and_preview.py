"""The first-load snippet fetches its widgets (styles, progress bar, chat adapters) only once
it has something to show; and a browser marked by a preview link sees triggers in preview,
another browser does not (the live app on the sandbox, the real snippet)."""

from __future__ import annotations

from typing import Any

import pytest

from saleor_proactive.storefront.runtime import get_runtime
from tests.browser.support import (
    DemoShop,
    HostShop,
    Tab,
    bubble_action,
    record_decisions,
    rule,
    wait_for_decisions,
    widget,
)

pytestmark = pytest.mark.browser

WIDGETS = "/storefront/v1/widgets.js"


def widget_requests(tab: Tab) -> list[str]:
    return [
        str(entry)
        for entry in tab.page.evaluate(
            "performance.getEntriesByType('resource').map((e) => e.name)"
        )
        if str(entry).endswith(WIDGETS)
    ]


def test_a_page_with_nothing_to_show_never_loads_the_widgets(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = lambda body: {"actions": [], "chat": {"provider": "crisp"}}
    # when
    tab.page.goto(shop.add("/quiet"))
    wait_for_decisions(tab.page)
    # then
    assert widget_requests(tab) == []
    assert tab.page.evaluate("typeof window.saleorProactiveWidgets") == "undefined"


def test_the_chat_adapter_arrives_with_the_widgets_before_its_button(
    tab: Tab, shop: HostShop
) -> None:
    # given: Crisp on the page, a prompt to open it
    stub = (
        "<script>window.crispCalls = []; window.$crisp = {push: c => crispCalls.push(c)};</script>"
    )
    shop.api.reply = lambda body: {"actions": [bubble_action()], "chat": {"provider": "crisp"}}
    # when
    tab.page.goto(shop.add("/contact", head=stub))
    widget(tab.page, ".cta").click()
    # then: one widgets request, and the adapter it brought opened Crisp
    assert len(widget_requests(tab)) == 1
    assert tab.page.evaluate("Object.keys(window.saleorProactiveWidgets.openers).sort()") == [
        "chatwoot",
        "crisp",
        "intercom",
        "tawk",
        "whatsapp",
        "zendesk",
    ]
    assert tab.page.evaluate("window.crispCalls") == [["do", "chat:open"]]
    assert tab.errors == []


def test_an_unreachable_widgets_script_shows_nothing_and_breaks_nothing(
    tab: Tab, shop: HostShop
) -> None:
    # given
    tab.page.route(f"**{WIDGETS}", lambda route: route.abort())
    shop.api.reply = lambda body: {"actions": [bubble_action()]}
    # when
    tab.page.goto(shop.add("/contact"))
    wait_for_decisions(tab.page)
    tab.page.wait_for_timeout(400)
    # then
    assert widget(tab.page, ".bubble").count() == 0
    assert [e for e in tab.errors if "uncaught" in e] == []


PREVIEWED = {
    **rule(
        "Only for the merchant",
        {"pageType": {"in": ["home"]}},
        {"type": "chat_prompt", "message": {"en": "Trying a new prompt"}, "cta": {"en": "Chat"}},
    ),
    "status": "preview",
}


def test_a_trigger_in_preview_shows_only_in_the_browser_that_opened_the_preview_link(
    browser: Any, demo_shop: DemoShop
) -> None:
    # given: the trigger in preview, and a preview link as the app page makes it
    demo_shop.use_rules(PREVIEWED, chat={"provider": "custom"})
    with demo_shop.installed.live.app.app_context():
        token = get_runtime().previews.issue(demo_shop.installed.installation_id)[0]
    merchant = browser.new_context()
    shopper = browser.new_context()
    for context in (merchant, shopper):
        record_decisions(context)
    merchant_page, shopper_page = merchant.new_page(), shopper.new_page()
    try:
        # when: the merchant opens the link, then browses on without it
        merchant_page.goto(f"{demo_shop.url}/contact#saleor-proactive-preview={token}")
        wait_for_decisions(merchant_page)
        merchant_page.goto(demo_shop.url + "/")
        widget(merchant_page, ".bubble").wait_for()
        merchant_text = widget(merchant_page, ".bubble p").text_content()
        # and another browser visits the same page, then tries a forged token
        shopper_page.goto(demo_shop.url + "/")
        first = wait_for_decisions(shopper_page)
        shopper_page.goto(f"{demo_shop.url}/contact#saleor-proactive-preview={token[:-4]}AAAA")
        shopper_page.goto(demo_shop.url + "/")
        forged = wait_for_decisions(shopper_page)
        # then
        assert merchant_text == "Trying a new prompt"
        assert first == [{"outcome": "applied", "actions": 0}]
        assert forged == [{"outcome": "applied", "actions": 0}]
        assert widget(shopper_page, ".bubble").count() == 0
    finally:
        merchant.close()
        shopper.close()
