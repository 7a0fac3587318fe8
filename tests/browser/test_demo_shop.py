"""End to end: the demo storefront on the sandbox Saleor, the live app, the real snippet."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import (
    FREE_SHIPPING_RULE,
    DemoShop,
    Tab,
    pause_clock,
    record_decisions,
    rule,
    screenshot,
    wait_for_animations,
    wait_for_decisions,
    widget,
)

pytestmark = pytest.mark.browser

LINGER_RULE = rule(
    "Help at checkout",
    {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 2}}]},
    {
        "type": "chat_prompt",
        "message": {"en": "Stuck? We are here to help.", "es": "¿Dudas? Te ayudamos."},
        "cta": {"en": "Chat with us", "es": "Chatea con nosotros"},
    },
)


def bar_text(tab: Tab) -> str:
    return str(widget(tab.page, ".bar p").text_content())


def add_to_cart(tab: Tab, shop: DemoShop, product: str, count_after: int, lang: str = "") -> None:
    tab.page.goto(f"{shop.url}{lang}/product/{product}")
    tab.page.click(f"button[data-product='{product}']")
    tab.page.wait_for_function(
        f"document.getElementById('cart-count').textContent === '{count_after}'"
    )


def test_free_shipping_bar_appears_and_updates_as_products_are_added(
    tab: Tab, demo_shop: DemoShop
) -> None:
    # given: free shipping from 50.00 EUR in the sandbox's default channel
    demo_shop.use_rules(FREE_SHIPPING_RULE)
    tab.page.goto(demo_shop.url + "/")
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 0}]
    assert widget(tab.page, ".bar").count() == 0  # nothing in the cart: nothing to say
    # when
    add_to_cart(tab, demo_shop, "colombia-huila-1-kg", 1)  # 38.00
    # then
    widget(tab.page, ".bar").wait_for()
    tab.page.wait_for_function(
        "() => document.querySelector('saleor-proactive').shadowRoot"
        ".querySelector('.bar p').textContent.includes('12.00')"
    )
    assert bar_text(tab) == "You are €12.00 away from free shipping"
    wait_for_animations(tab.page)
    screenshot(tab.page, "demo-shop-bar-desktop")
    # when: a second bag, 38.00 more, without leaving the page: past the threshold
    tab.page.click("button[data-product='colombia-huila-1-kg']")
    tab.page.wait_for_function(
        "() => document.querySelector('saleor-proactive').shadowRoot"
        ".querySelector('.bar p').textContent.includes('unlocked')"
    )
    # then
    assert bar_text(tab) == "You've unlocked free shipping!"
    assert tab.errors == []


def test_spanish_pages_get_the_spanish_notice(tab: Tab, demo_shop: DemoShop) -> None:
    # given
    demo_shop.use_rules(FREE_SHIPPING_RULE)
    # when
    add_to_cart(tab, demo_shop, "house-espresso-blend-500-g", 1, lang="/es")  # 16.90
    # then
    widget(tab.page, ".bar").wait_for()
    tab.page.wait_for_function(
        "() => document.querySelector('saleor-proactive').shadowRoot"
        ".querySelector('.bar p').textContent.includes('33')"
    )
    assert bar_text(tab).startswith("Te faltan 33,10")
    assert widget(tab.page, ".bar").get_attribute("lang") == "es"


def test_chat_prompt_after_lingering_on_checkout_and_not_before(
    tab: Tab, demo_shop: DemoShop
) -> None:
    # given
    demo_shop.use_rules(FREE_SHIPPING_RULE, LINGER_RULE, chat={"provider": "custom"})
    add_to_cart(tab, demo_shop, "burr-grinder", 1)
    tab.page.evaluate(
        "window.opened = []; document.addEventListener('saleor-proactive:open-chat',"
        " e => window.opened.push(e.detail))"
    )
    tab.page.clock.install()
    # when: on the checkout page the app has decided (bar now, prompt after 2 s of it)
    tab.page.goto(demo_shop.url + "/cart")
    tab.page.click("text=Go to checkout")
    tab.page.wait_for_url("**/checkout")
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 2}]
    pause_clock(tab.page)
    # then
    assert widget(tab.page, ".bubble").count() == 0
    tab.page.clock.run_for(2100)
    widget(tab.page, ".bubble").wait_for(timeout=5000)
    assert widget(tab.page, ".bubble p").text_content() == "Stuck? We are here to help."
    tab.page.clock.resume()
    wait_for_animations(tab.page)
    screenshot(tab.page, "demo-shop-checkout-desktop")
    tab.page.evaluate(
        "window.opened = []; document.addEventListener('saleor-proactive:open-chat',"
        " e => window.opened.push(e.detail))"
    )
    widget(tab.page, ".cta").click()
    [detail] = tab.page.evaluate("window.opened")
    assert detail["message"] == "Stuck? We are here to help."
    # a custom provider is the shop's own: the app opens nothing itself
    assert tab.page.locator("saleor-proactive-chat").count() == 0
    assert tab.errors == []


def test_bar_and_prompt_on_a_phone(browser: Any, demo_shop: DemoShop) -> None:
    # given
    demo_shop.use_rules(FREE_SHIPPING_RULE, LINGER_RULE)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    record_decisions(context)
    tab = Tab(context.new_page(), [])
    add_to_cart(tab, demo_shop, "ethiopia-yirgacheffe-250-g", 1)  # 12.50
    # when
    tab.page.goto(demo_shop.url + "/checkout")
    widget(tab.page, ".bubble").wait_for(timeout=5000)
    wait_for_animations(tab.page)
    screenshot(tab.page, "demo-shop-checkout-phone")
    # then
    assert bar_text(tab) == "You are €37.50 away from free shipping"
    bubble = widget(tab.page, ".bubble").bounding_box()
    assert bubble["x"] >= 0 and bubble["x"] + bubble["width"] <= 360
    widget(tab.page, ".bubble .x").click()
    widget(tab.page, ".bubble").wait_for(state="detached")
    context.close()


def test_a_shop_that_requires_consent_gets_prompts_only_after_consent(
    tab: Tab, demo_shop: DemoShop
) -> None:
    # given: the merchant requires consent; the contact page prompts at once
    contact_rule = rule(
        "Help on contact",
        {"pageType": {"in": ["contact"]}},
        {"type": "chat_prompt", "message": {"en": "Ask us anything."}},
    )
    demo_shop.use_rules(contact_rule, settings={"consentRequired": True})
    tab.page.goto(demo_shop.url + "/contact")
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 0}]
    assert widget(tab.page, ".bubble").count() == 0
    assert tab.page.evaluate("Object.keys(localStorage).concat(Object.keys(sessionStorage))") == []
    # when
    tab.page.evaluate("window.saleorProactive.push(['consent', true])")
    # then
    widget(tab.page, ".bubble").wait_for(timeout=5000)
    assert widget(tab.page, ".bubble p").text_content() == "Ask us anything."
