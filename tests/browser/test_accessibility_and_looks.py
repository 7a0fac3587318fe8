"""Keyboard, screen reader, small screens, motion preferences, theming and screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import (
    HostShop,
    Tab,
    axe_violations,
    bar_action,
    bubble_action,
    screenshot,
    wait_for_animations,
    widget,
)

pytestmark = pytest.mark.browser

SHOP_BODY = (
    "<header style='padding:16px;background:#222;color:#fff;font:20px sans-serif'>"
    "Demo shop</header>"
    "<main style='padding:24px;font:16px sans-serif'><h1>Checkout</h1>"
    "<label>Email <input id='email'></label><p>Two items in your cart.</p></main>"
)


def both(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "actions": [
            bar_action("You are 12.00 EUR away from free shipping"),
            bubble_action("Questions about delivery times or costs? We reply in minutes."),
        ],
        "chat": {"provider": "crisp"},
    }


def test_prompts_are_polite_live_regions_with_named_buttons(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = both
    # when
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY))
    widget(tab.page, ".bubble").wait_for()
    # then
    for box in (".bar", ".bubble"):
        assert widget(tab.page, box).get_attribute("role") == "status"
        assert widget(tab.page, box).get_attribute("aria-live") == "polite"
    assert tab.page.get_by_role("button", name="Chat with us").count() == 1
    assert tab.page.get_by_role("button", name="Close").count() == 2


def test_a_prompt_never_steals_focus_and_is_reachable_by_keyboard(tab: Tab, shop: HostShop) -> None:
    # given: the visitor is typing when the bubble appears
    shop.api.reply = lambda body: {"actions": [bubble_action(after_ms=600)]}
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY))
    tab.page.focus("#email")
    tab.page.keyboard.type("ana@")
    widget(tab.page, ".bubble").wait_for()
    tab.page.keyboard.type("example.com")
    # when
    assert tab.page.input_value("#email") == "ana@example.com"
    tab.page.keyboard.press("Tab")
    cta_focused = tab.page.evaluate(
        "document.querySelector('saleor-proactive').shadowRoot.activeElement?.textContent"
    )
    outline = widget(tab.page, ".cta").evaluate("e => getComputedStyle(e).outlineStyle")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Enter")
    # then
    assert cta_focused == "Chat with us"
    assert outline == "solid"
    widget(tab.page, ".bubble").wait_for(state="detached")
    shop.api.release.set()


def test_usable_and_closable_at_360_px(browser: Any, shop: HostShop) -> None:
    # given
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    shop.api.reply = both
    # when
    page.goto(shop.add("/checkout", body=SHOP_BODY))
    bubble = widget(page, ".bubble")
    bubble.wait_for()
    box = bubble.bounding_box()
    bar = widget(page, ".bar").bounding_box()
    close = widget(page, ".bubble .x").bounding_box()
    widget(page, ".bubble .x").click()
    # then
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert bar["width"] == 360
    assert close["width"] >= 24 and close["height"] >= 24
    bubble.wait_for(state="detached")
    assert shop.api.requests[0]["device"] == "mobile"
    context.close()


def test_reduced_motion_turns_animation_off(browser: Any, shop: HostShop) -> None:
    # given
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    shop.api.reply = both
    # when
    page.goto(shop.add("/checkout"))
    widget(page, ".bubble").wait_for()
    # then
    assert widget(page, ".bubble").evaluate("e => getComputedStyle(e).animationName") == "none"
    context.close()


def test_theme_colour_and_positions_come_from_the_answer(tab: Tab, shop: HostShop) -> None:
    # given: a light accent, so the text must turn dark to stay readable (no animation: the
    # boxes are measured at rest)
    tab.page.emulate_media(reduced_motion="reduce")
    shop.api.reply = lambda body: {
        **both(body),
        "theme": {"accent": "#ffd400", "barPosition": "top", "bubblePosition": "left"},
    }
    # when
    tab.page.goto(shop.add("/checkout"))
    widget(tab.page, ".bubble").wait_for()
    bar = widget(tab.page, ".bar")
    # then
    assert bar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 212, 0)"
    assert bar.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert widget(tab.page, ".cta").evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert bar.bounding_box()["y"] == 0
    assert widget(tab.page, ".bubble").bounding_box()["x"] == 16


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 800, "desktop"), (360, 740, "phone")])
def test_screenshots_of_bar_and_bubble(
    browser: Any, shop: HostShop, width: int, height: int, name: str
) -> None:
    # given
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    shop.api.reply = both
    # when
    page.goto(shop.add("/checkout", body=SHOP_BODY))
    widget(page, ".bubble").wait_for()
    wait_for_animations(page)
    path = screenshot(page, f"bar-and-bubble-{name}")
    # then
    assert path.stat().st_size > 5000
    context.close()


def test_merchant_text_colour_is_used_only_when_it_stays_readable(tab: Tab, shop: HostShop) -> None:
    # given: white on a dark accent passes AA, pale yellow on white-ish would not
    themes = {
        "one": {"accent": "#123456", "textColor": "#ffffff"},
        "two": {"accent": "#eeeeee", "textColor": "#ffff99"},
    }
    shop.api.reply = lambda body: {
        **both(body),
        "theme": themes.get(body["events"][-1].get("url", "").rsplit("/", 1)[-1], {}),
    }
    # when
    tab.page.goto(shop.add("/one"))
    widget(tab.page, ".bar").wait_for()
    readable = widget(tab.page, ".bar").evaluate("e => getComputedStyle(e).color")
    tab.page.goto(shop.add("/two"))
    widget(tab.page, ".bar").wait_for()
    unreadable = widget(tab.page, ".bar").evaluate("e => getComputedStyle(e).color")
    # then
    assert readable == "rgb(255, 255, 255)"
    assert unreadable == "rgb(0, 0, 0)"


def test_a_bubble_moves_up_only_while_a_bottom_bar_is_shown(tab: Tab, shop: HostShop) -> None:
    # given
    tab.page.emulate_media(reduced_motion="reduce")
    shop.api.reply = lambda body: {"actions": [bubble_action()]}
    tab.page.goto(shop.add("/alone"))
    widget(tab.page, ".bubble").wait_for()
    alone = widget(tab.page, ".bubble").bounding_box()
    # when: the bar arrives after the bubble
    shop.api.reply = lambda body: {"actions": [bar_action("Almost there"), bubble_action()]}
    tab.page.evaluate("window.saleorProactive.push(['trackCartUpdated'])")
    widget(tab.page, ".bar").wait_for()
    # then
    bar = widget(tab.page, ".bar").bounding_box()
    lifted = widget(tab.page, ".bubble").bounding_box()
    assert alone["y"] + alone["height"] == pytest.approx(800 - 16, abs=1)
    assert lifted["y"] + lifted["height"] <= bar["y"]


WATCH_LIVE_REGIONS = """
new MutationObserver(() => {
  const host = document.querySelector('saleor-proactive');
  if (!host || host.__watched) return;
  host.__watched = true;
  const snapshot = () => host.shadowRoot.querySelectorAll('[aria-live]').forEach((region) =>
    (window.__regions = window.__regions || []).push(
      {live: region.getAttribute('aria-live'), role: region.getAttribute('role'),
       text: region.querySelector('p') ? region.querySelector('p').textContent : ''}));
  snapshot();
  new MutationObserver(snapshot).observe(host.shadowRoot, {childList: true, subtree: true});
}).observe(document, {childList: true, subtree: true});
"""


def test_the_live_region_is_on_the_page_before_its_text(tab: Tab, shop: HostShop) -> None:
    # given: every state the widget's live regions go through is recorded
    tab.page.add_init_script(WATCH_LIVE_REGIONS)
    shop.api.reply = lambda body: {"actions": [bubble_action("We reply in minutes.")]}
    # when
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY))
    widget(tab.page, ".bubble").wait_for()
    # then: first an empty polite status region, then the message inside that same region
    states = tab.page.evaluate("window.__regions")
    assert states[0] == {"live": "polite", "role": "status", "text": ""}
    assert states[-1] == {"live": "polite", "role": "status", "text": "We reply in minutes."}


def test_escape_dismisses_the_bubble_then_the_bar(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = both
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY))
    widget(tab.page, ".bubble").wait_for()
    widget(tab.page, ".bar").wait_for()
    # when
    tab.page.keyboard.press("Escape")
    # then: the bubble goes first, the bar stays until the next Escape
    widget(tab.page, ".bubble").wait_for(state="detached")
    assert widget(tab.page, ".bar").is_visible()
    tab.page.keyboard.press("Escape")
    widget(tab.page, ".bar").wait_for(state="detached")
    dismissed = tab.page.evaluate("JSON.parse(sessionStorage['saleorProactive.dismissed'])")
    assert dismissed == ["t-bubble", "t-bar"]


def test_escape_the_page_already_handled_is_left_to_the_page(tab: Tab, shop: HostShop) -> None:
    # given: the shop closes its own menu on Escape and says so
    own_menu = (
        "<script>document.addEventListener('keydown', (e) => {"
        " if (e.key === 'Escape') e.preventDefault(); }, true);</script>"
    )
    shop.api.reply = lambda body: {"actions": [bubble_action()]}
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY, head=own_menu))
    widget(tab.page, ".bubble").wait_for()
    # when
    tab.page.keyboard.press("Escape")
    # then
    assert widget(tab.page, ".bubble").is_visible()


def test_focus_goes_back_to_the_field_when_the_prompt_holding_it_closes(
    tab: Tab, shop: HostShop
) -> None:
    # given: the visitor tabbed from the email field into the bubble
    shop.api.reply = lambda body: {"actions": [bubble_action()]}
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY))
    widget(tab.page, ".bubble").wait_for()
    tab.page.focus("#email")
    tab.page.keyboard.press("Tab")
    assert (
        tab.page.evaluate(
            "document.querySelector('saleor-proactive').shadowRoot.activeElement.textContent"
        )
        == "Chat with us"
    )
    # when
    tab.page.keyboard.press("Escape")
    # then
    widget(tab.page, ".bubble").wait_for(state="detached")
    assert tab.page.evaluate("document.activeElement.id") == "email"


FIELD_AT_THE_BOTTOM = (
    "<main style='font:16px sans-serif'><h1>Checkout</h1>"
    "<label style='position:fixed;left:40%;bottom:10px'>Coupon <input id='coupon'></label>"
    "<label>Email <input id='email'></label>"
    "<label style='position:fixed;left:0;top:0;bottom:0'>Notes"
    " <textarea id='notes' style='height:100%'></textarea></label></main>"
)


def test_the_bar_never_hides_the_focused_field(tab: Tab, shop: HostShop) -> None:
    # given: a bottom bar over the coupon field (no animation: boxes are measured at rest)
    tab.page.emulate_media(reduced_motion="reduce")
    shop.api.reply = lambda body: {"actions": [bar_action("You are 12.00 EUR away")]}
    tab.page.goto(shop.add("/checkout", body=FIELD_AT_THE_BOTTOM))
    bar = widget(tab.page, ".bar")
    bar.wait_for()
    at_rest = bar.bounding_box()
    # when: the field under the bar gets focus
    tab.page.focus("#coupon")
    # then: the bar moves to the top edge, clear of the field
    moved = bar.bounding_box()
    field = tab.page.locator("#coupon").bounding_box()
    assert at_rest["y"] + at_rest["height"] == pytest.approx(800, abs=1)
    assert moved["y"] == 0 and moved["y"] + moved["height"] <= field["y"]
    # when: a field as tall as the window, which neither edge clears
    tab.page.focus("#notes")
    # then: the bar steps aside, and comes back at its place once focus moves on
    assert bar.is_hidden()
    tab.page.focus("#email")
    assert bar.is_visible() and bar.bounding_box() == at_rest


@pytest.mark.parametrize("accent", ["#0b57d0", "#ffd400", "#123456"])
def test_bar_and_bubble_meet_wcag_21_aa(tab: Tab, shop: HostShop, accent: str) -> None:
    # given: the merchant's accent, dark or light
    tab.page.emulate_media(reduced_motion="reduce")  # colours are checked at rest
    shop.api.reply = lambda body: {**both(body), "theme": {"accent": accent}}
    # when
    tab.page.goto(shop.add("/checkout", body=SHOP_BODY))
    widget(tab.page, ".bubble").wait_for()
    widget(tab.page, ".bar").wait_for()
    # then
    assert axe_violations(tab.page) == []


def test_escape_leaves_a_bar_that_stepped_aside_for_the_focused_field(
    tab: Tab, shop: HostShop
) -> None:
    # given: the bar is out of sight while the visitor types in the tall notes field
    tab.page.emulate_media(reduced_motion="reduce")
    shop.api.reply = lambda body: {"actions": [bar_action("You are 12.00 EUR away")]}
    tab.page.goto(shop.add("/checkout", body=FIELD_AT_THE_BOTTOM))
    bar = widget(tab.page, ".bar")
    bar.wait_for()
    tab.page.focus("#notes")
    assert bar.is_hidden()
    # when: Escape, say to close the field's own suggestions
    tab.page.keyboard.press("Escape")
    tab.page.focus("#email")
    # then: the bar was not dismissed unseen
    assert bar.is_visible()
    assert tab.page.evaluate("sessionStorage['saleorProactive.dismissed']") is None
