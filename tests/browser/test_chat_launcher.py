"""The merchant's chat launcher and opening hours in Chromium: a button in the shop's colours
opens the panel from the keyboard, focus comes back to it on close, nothing on the page moves,
and outside the hours the panel says the shop is closed and asks for an email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.browser.support import DemoShop, Tab, axe_violations
from tests.browser.test_chat_panel import panel

pytestmark = pytest.mark.browser

THEME = {"primaryColor": "#ffd400", "textColor": "#ffffff"}  # white on yellow fails 4.5:1


def launcher(tab: Tab) -> Any:
    return tab.page.locator("saleor-proactive-launcher button")


def _closed_hours() -> dict[str, Any]:
    later = datetime.now(UTC) + timedelta(hours=3)
    return {
        "timezone": "UTC",
        "from": later.strftime("%H:%M"),
        "to": (later + timedelta(hours=1)).strftime("%H:%M"),
    }


def test_the_launcher_opens_the_panel_by_keyboard_and_takes_focus_back(
    tab: Tab, demo_shop: DemoShop
) -> None:
    # given: no trigger at all, the launcher on, the shop's colours
    demo_shop.use_rules(chat={"provider": "builtin", "launcher": True}, settings={"theme": THEME})
    tab.page.goto(demo_shop.url + "/")
    tab.page.evaluate(
        """() => { window.__shifts = 0; new PerformanceObserver((list) => {
          list.getEntries().forEach((e) => { window.__shifts += e.value; });
        }).observe({ type: 'layout-shift', buffered: true }); }"""
    )
    launcher(tab).wait_for(timeout=5000)
    # then: named, in the shop's accent with a readable text colour, nothing moved
    assert launcher(tab).text_content() == "Chat with us"
    colours = launcher(tab).evaluate(
        "(b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]"
    )
    assert colours == ["rgb(255, 212, 0)", "rgb(0, 0, 0)"]
    assert tab.page.evaluate("window.__shifts") == 0
    assert axe_violations(tab.page) == []

    # when: the visitor tabs to it and presses Enter
    launcher(tab).focus()
    tab.page.keyboard.press("Enter")
    panel(tab, "[role=dialog]").wait_for(timeout=5000)
    assert not launcher(tab).is_visible()
    assert (
        tab.page.evaluate("document.activeElement.shadowRoot.activeElement.tagName") == "TEXTAREA"
    )
    head = panel(tab, ".head").evaluate("(h) => getComputedStyle(h).backgroundColor")
    assert head == "rgb(255, 212, 0)"
    assert axe_violations(tab.page) == []

    # Escape closes it and focus returns to the launcher
    tab.page.keyboard.press("Escape")
    assert not panel(tab, "[role=dialog]").is_visible()
    launcher(tab).wait_for(timeout=2000)
    focused = "(d) => d.tagName + '/' + d.shadowRoot.activeElement.tagName"
    assert tab.page.evaluate(f"({focused})(document.activeElement)") == (
        "SALEOR-PROACTIVE-LAUNCHER/BUTTON"
    )
    assert tab.page.evaluate("window.__shifts") == 0
    assert tab.errors == []


def test_without_the_setting_there_is_no_launcher_and_no_chat_script(
    tab: Tab, demo_shop: DemoShop
) -> None:
    demo_shop.use_rules(chat={"provider": "builtin", "launcher": False})
    scripts: list[str] = []
    tab.page.on("request", lambda request: scripts.append(request.url))
    tab.page.goto(demo_shop.url + "/")
    tab.page.wait_for_function("window.saleorProactive && window.saleorProactive.loaded")
    tab.page.wait_for_timeout(800)
    assert tab.page.locator("saleor-proactive-launcher").count() == 0
    assert not [url for url in scripts if url.endswith("/storefront/v1/chat.js")]


def test_outside_the_hours_the_panel_says_the_shop_is_closed_and_asks_for_an_email(
    tab: Tab, demo_shop: DemoShop
) -> None:
    demo_shop.use_rules(chat={"provider": "builtin", "launcher": True, "hours": _closed_hours()})
    tab.page.goto(demo_shop.url + "/")
    launcher(tab).click()
    panel(tab, ".note").wait_for(timeout=5000)
    assert "We are closed right now" in panel(tab, ".note").text_content()
    assert panel(tab, "input[type=email]").is_visible()
    assert axe_violations(tab.page) == []
    assert tab.errors == []
