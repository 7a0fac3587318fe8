"""The offer bubble in Chromium on the demo shop (real app, sandbox Saleor): the code is
claimed on click by the lazily loaded offer.js, shown with its expiry and a copy button, and
announced to the shop with `saleor-proactive:apply-code`; keyboard and axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from saleor_proactive.offers import pool
from saleor_proactive.store.db import get_database
from tests.browser.support import DemoShop, Tab, axe_violations, rule, widget

pytestmark = pytest.mark.browser

OFFER = rule(
    "Ten off",
    {"timeOnPage": {"gte": 0}},
    {
        "type": "offer",
        "message": {"en": "{discount} off your order today"},
        "cta": {"en": "Show my code"},
        "offer": {"discount": {"type": "percentage", "value": 10}, "validMinutes": 60},
    },
)
RECORD_APPLY = """
window.__applied = [];
document.addEventListener('saleor-proactive:apply-code', (e) => window.__applied.push(e.detail));
"""


def offered(tab: Tab, demo_shop: DemoShop) -> None:
    demo_shop.use_rules(OFFER)
    app = demo_shop.installed.live.app
    pool.refill(get_database(app), app.config["PROACTIVE"], pool_size=3)
    tab.page.context.add_init_script(RECORD_APPLY)
    tab.page.goto(demo_shop.url + "/")
    widget(tab.page, ".bubble .cta").wait_for(timeout=5000)


def test_clicking_the_offer_reveals_a_code_with_expiry_copy_button_and_apply_event(
    tab: Tab, demo_shop: DemoShop
) -> None:
    # given the offer bubble, and no offer script loaded yet
    offered(tab, demo_shop)
    assert widget(tab.page, ".bubble p").text_content() == "10 % off your order today"
    assert tab.page.evaluate("!!document.querySelector('script[src$=\"/offer.js\"]')") is False

    # when the visitor asks for the code
    widget(tab.page, ".bubble .cta").click()

    # then the panel shows a code Saleor knows, its expiry and a copy button that has focus,
    # and the shop heard about the code
    panel = tab.page.locator("saleor-proactive-offer .box")
    code = panel.locator(".code")
    code.wait_for(timeout=5000)
    codes = {c for v in demo_shop.installed.saleor.shop.vouchers.values() for c in v.codes}
    assert code.text_content() in codes
    assert panel.locator(".note").first.text_content().startswith("Valid until ")
    copy = panel.get_by_role("button", name="Copy code")
    assert copy.evaluate("b => b.getRootNode().activeElement === b")
    assert tab.page.evaluate("window.__applied") == [{"code": code.text_content()}]
    assert axe_violations(tab.page) == []
    assert tab.errors == []


def test_the_offer_works_from_the_keyboard(tab: Tab, demo_shop: DemoShop) -> None:
    # given the offer bubble
    offered(tab, demo_shop)

    # when the visitor reaches its button with the keyboard and presses Enter
    widget(tab.page, ".bubble .cta").focus()
    tab.page.keyboard.press("Enter")
    panel = tab.page.locator("saleor-proactive-offer .box")
    code = panel.locator(".code")
    code.wait_for(timeout=5000)

    # then the copy button takes Enter too and says so, and Escape closes the panel
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.page.keyboard.press("Enter")
    expect(panel.locator("p[role=status]")).to_have_text("Copied")
    assert tab.page.evaluate("navigator.clipboard.readText()") == code.text_content()
    assert panel.get_attribute("role") == "dialog"
    tab.page.keyboard.press("Escape")
    assert tab.page.locator("saleor-proactive-offer").count() == 0
    assert tab.errors == []


def test_on_a_phone_the_code_panel_fits_the_screen(browser: object, demo_shop: DemoShop) -> None:
    # given a 360 px phone
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        offered(Tab(page, errors), demo_shop)

        # when the visitor taps the offer
        widget(page, ".bubble .cta").tap()
        panel = page.locator("saleor-proactive-offer .box")
        panel.locator(".code").wait_for(timeout=5000)

        # then the whole panel is on screen, and nothing went wrong
        box = panel.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert box["y"] >= 0 and box["y"] + box["height"] <= 740
        assert errors == []
    finally:
        context.close()
