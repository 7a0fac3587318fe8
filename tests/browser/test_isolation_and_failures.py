"""The widget and the host page leave each other alone, whatever the other one does."""

from __future__ import annotations

from typing import Any

import pytest

from saleor_proactive.storefront.snippet import load_snippet
from tests.browser.support import (
    HostShop,
    Tab,
    bar_action,
    bubble_action,
    sent_after_pending_timers,
    wait_for_decisions,
    widget,
)

REQUEST_TIMEOUT_MS = 8000  # the snippet's CONFIG.REQUEST_TIMEOUT_MS

pytestmark = pytest.mark.browser

AGGRESSIVE_CSS = (
    "<style>* { color: red !important; font-size: 40px !important; font-family: serif !important;"
    " background: yellow !important; border: 5px dotted green !important;"
    " text-transform: uppercase !important; display: block; margin: 30px }"
    " p, div, button { padding: 50px !important; }"
    " saleor-proactive { display: none !important; position: static !important;"
    " z-index: 0 !important }"
    " #overlay { position: fixed; inset: 0; z-index: 99999 !important; background: rgba(0,0,0,.3) }"
    "</style><div id='overlay'></div>"
)

WIDGET_STYLE = """() => {
  const root = document.querySelector('saleor-proactive').shadowRoot;
  const pick = (sel) => {
    const s = getComputedStyle(root.querySelector(sel));
    return [s.color, s.fontSize, s.fontFamily, s.backgroundColor, s.borderTopWidth,
            s.textTransform, s.paddingTop];
  };
  return {bar: pick('.bar p'), cta: pick('.cta'), bubble: pick('.bubble'), x: pick('.bubble .x')};
}"""

HOST_STYLE = """() => {
  const s = getComputedStyle(document.querySelector('#host-text'));
  const b = getComputedStyle(document.querySelector('#host-bar'));
  return [s.color, s.fontSize, s.fontFamily, s.paddingTop, b.position, b.backgroundColor];
}"""


def both_actions(body: dict[str, Any]) -> dict[str, Any]:
    return {"actions": [bar_action("You are 12.00 EUR away"), bubble_action()]}


def test_aggressive_host_css_does_not_change_the_widget(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = both_actions
    tab.page.goto(shop.add("/plain"))
    widget(tab.page, ".bubble").wait_for()
    plain = tab.page.evaluate(WIDGET_STYLE)
    # when
    tab.page.goto(shop.add("/hostile", head=AGGRESSIVE_CSS))
    widget(tab.page, ".bubble").wait_for()
    # then
    assert tab.page.evaluate(WIDGET_STYLE) == plain
    assert widget(tab.page, ".bubble").is_visible()
    widget(tab.page, ".cta").click(timeout=3000)  # above the page's own overlay, clickable


def test_widget_styles_do_not_leak_into_the_host_page(tab: Tab, shop: HostShop) -> None:
    # given: host elements that share the widget's class names
    body = '<p id="host-text" class="x cta">Hello</p><div id="host-bar" class="bar bubble">Ad</div>'
    tab.page.goto(shop.add("/quiet", body=body))
    shop.api.wait_for("page_view")
    before = tab.page.evaluate(HOST_STYLE)
    shop.api.reply = both_actions
    # when
    tab.page.goto(shop.add("/busy", body=body))
    widget(tab.page, ".bubble").wait_for()
    # then
    assert tab.page.evaluate(HOST_STYLE) == before


@pytest.mark.parametrize("failure", [500, 404, "garbage", "hang"])
def test_a_broken_api_leaves_the_host_page_untouched(
    tab: Tab, shop: HostShop, failure: object
) -> None:
    # given
    shop.api.reply = lambda body: failure
    body = (
        '<h1 id="title">Shop</h1>'
        '<button id="buy" onclick="this.textContent=\'bought\'">Buy</button>'
    )
    url = shop.add("/page", body=body)
    tab.page.clock.install()
    # when
    tab.page.goto(url)
    shop.api.wait_for("page_view")
    if failure == "hang":
        tab.page.clock.run_for(REQUEST_TIMEOUT_MS)  # the snippet gives up on the request
    assert wait_for_decisions(tab.page) == [{"outcome": "failed", "actions": 0}]
    tab.page.evaluate("window.saleorProactive.push(['trackCartUpdated'], ['nonsense', 1], 42)")
    tab.page.click("#buy")
    # then
    assert tab.page.text_content("#buy") == "bought"
    assert tab.page.locator("saleor-proactive").count() == 0
    assert [e for e in tab.errors if e.startswith("uncaught")] == []


def test_an_unreachable_api_throws_nothing(tab: Tab, shop: HostShop) -> None:
    # given: the tag points at a port where nothing listens; the snippet itself comes from
    # the browser's cache (stood in for by a routed answer), its requests meet a closed port
    page = shop.add("/offline", body="<p id='ok'>fine</p>")
    shop.pages["/offline"] = shop.pages["/offline"].replace(shop.api.url, "http://127.0.0.1:9")
    served = load_snippet().body
    tab.page.route(
        "http://127.0.0.1:9/storefront/v1/snippet.js",
        lambda route: route.fulfill(body=served, content_type="text/javascript"),
    )
    # when
    tab.page.goto(page)
    # then
    assert wait_for_decisions(tab.page) == [{"outcome": "failed", "actions": 0}]
    assert tab.page.text_content("#ok") == "fine"
    assert [e for e in tab.errors if e.startswith("uncaught")] == []


def test_merchant_text_is_shown_as_text_never_as_html(tab: Tab, shop: HostShop) -> None:
    # given
    evil = '<img src=x onerror="window.pwned=1">Hi'
    shop.api.reply = lambda body: {"actions": [bubble_action(evil, cta="<b>go</b>")]}
    # when
    tab.page.goto(shop.add("/contact"))
    widget(tab.page, ".bubble").wait_for()
    # then
    assert widget(tab.page, ".bubble p").text_content() == evil
    assert widget(tab.page, ".cta").text_content() == "<b>go</b>"
    assert widget(tab.page, "img").count() == 0
    assert tab.page.evaluate("window.pwned") is None


def test_nothing_is_sent_or_stored_before_consent(tab: Tab, shop: HostShop) -> None:
    # given
    url = shop.add("/home", tag_attrs="data-consent-required")
    tab.page.goto(url)
    tab.page.wait_for_function("window.saleorProactive && window.saleorProactive.loaded")
    assert sent_after_pending_timers(tab.page) == 0
    assert shop.api.requests == []
    assert tab.page.evaluate("Object.keys(localStorage).concat(Object.keys(sessionStorage))") == []
    # when
    tab.page.evaluate("window.saleorProactive.push(['consent', true])")
    # then
    [view] = shop.api.wait_for("page_view")
    assert view["url"] == url
    assert len(shop.api.requests) == 1 and shop.api.requests[0]["consent"] is True


def test_an_answer_that_requires_consent_stops_tracking(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = lambda body: {"actions": [bubble_action()], "consentRequired": True}
    tab.page.goto(shop.add("/home"))
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 0}]
    # when
    tab.page.evaluate("window.saleorProactive.push(['trackCartUpdated'])")
    # then
    assert sent_after_pending_timers(tab.page) == 1
    assert len(shop.api.requests) == 1
    assert widget(tab.page, ".bubble").count() == 0
    assert tab.page.evaluate("Object.keys(localStorage).concat(Object.keys(sessionStorage))") == []


def test_exit_intent_through_the_top_edge_asks_for_a_decision(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = lambda body: (
        {"actions": [bubble_action("Before you go...")]}
        if any(e["type"] == "exit_intent" for e in body["events"])
        else {"actions": []}
    )
    tab.page.goto(shop.add("/cart", body="<div style='height:600px'>cart</div>"))
    shop.api.wait_for("page_view")
    # when: the pointer leaves the window through the top edge
    tab.page.mouse.move(600, 300)
    tab.page.mouse.move(600, 2, steps=5)
    tab.page.mouse.move(600, -20)
    # then
    shop.api.wait_for("exit_intent")
    widget(tab.page, ".bubble").wait_for()
    assert widget(tab.page, ".bubble p").text_content() == "Before you go..."


def test_a_mouse_leaving_sideways_is_not_exit_intent(tab: Tab, shop: HostShop) -> None:
    # given
    tab.page.goto(shop.add("/cart"))
    shop.api.wait_for("page_view")
    # when
    tab.page.mouse.move(600, 300)
    tab.page.mouse.move(1270, 300, steps=5)
    tab.page.mouse.move(1300, 300)
    # then: nothing but the page view was sent
    assert sent_after_pending_timers(tab.page) == 1
    assert shop.api.events("exit_intent") == []


def test_consent_after_a_refusing_answer_sends_the_page_view_again(
    tab: Tab, shop: HostShop
) -> None:
    # given: the shop requires consent, the visitor has not given it yet
    shop.api.reply = lambda body: (
        {"actions": [bubble_action()]}
        if body.get("consent")
        else {"actions": [], "consentRequired": True}
    )
    url = shop.add("/home")
    tab.page.goto(url)
    shop.api.wait_for("page_view")
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 0}]
    # when
    tab.page.evaluate("window.saleorProactive.push(['consent', true])")
    # then
    views = shop.api.wait_for("page_view", 2)
    assert views[1]["url"] == url
    assert "consent" not in shop.api.requests[0] and shop.api.requests[1]["consent"] is True
    widget(tab.page, ".bubble").wait_for()


def test_a_strict_content_security_policy_still_renders_the_styled_widget(
    tab: Tab, shop: HostShop
) -> None:
    # given: no inline styles at all, scripts and calls only to the app's origin
    origin = shop.api.url.rsplit("/", 1)[0]
    policy = f"default-src 'none'; script-src {origin}; connect-src {origin}; img-src data:"
    shop.api.reply = both_actions
    shop.pages["/strict"] = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f'<link rel="icon" href="data:,"></head><body><p>Shop</p>{shop.tag()}</body></html>'
    )
    # when
    tab.page.goto(shop.url + "/strict")
    widget(tab.page, ".bubble").wait_for()
    # then
    bubble = widget(tab.page, ".bubble")
    assert bubble.evaluate("e => getComputedStyle(e).position") == "fixed"
    assert bubble.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert tab.page.locator("saleor-proactive").evaluate("e => getComputedStyle(e).zIndex") == (
        "2147483000"
    )
    assert [e for e in tab.errors if "Content Security Policy" in e] == []
