"""The free-shipping bar from page to page, in yen: the real engine's decision (the default
trigger), rendered by the served snippet and its lazily loaded widgets in Chromium."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from saleor_proactive.triggers.context import CartFacts, Money, StoreFacts, VisitorContext
from saleor_proactive.triggers.defaults import free_shipping_progress
from saleor_proactive.triggers.engine import StoredRule, evaluate
from saleor_proactive.triggers.rules import parse_rule
from tests.browser.support import HostShop, Tab, axe_violations, widget
from tests.triggers.builders import NOW

pytestmark = pytest.mark.browser

THRESHOLD = Money(Decimal("10000"), "JPY")
RULES = [StoredRule("t-free", parse_rule({**free_shipping_progress(), "holdoutPercent": 0}))]


class YenShop:
    """Answers like the visitor API would for a JPY channel, with the real engine."""

    def __init__(self) -> None:
        self.cart = Decimal("3000")

    def reply(self, body: dict[str, Any]) -> dict[str, Any]:
        page = next((e for e in body["events"] if e["type"] == "page_view"), {})
        visitor = VisitorContext(
            body["visitorId"], body["sessionId"], "yen", NOW, page.get("pageType"), locale="en-US"
        )
        facts = StoreFacts("yen", "JPY", CartFacts(self.cart, 1, "JPY"), THRESHOLD)
        actions = []
        for decision in evaluate(visitor, facts, RULES, explain=False).decisions:
            actions.append(
                {
                    "id": f"a-{decision.trigger_id}-{self.cart}",
                    "triggerId": decision.trigger_id,
                    "type": str(decision.type),
                    "slot": str(decision.slot),
                    "showAfterMs": decision.show_after_ms,
                    "message": decision.message,
                    "data": decision.data,
                }
            )
        return {"actions": actions}


def meter(tab: Tab) -> dict[str, Any]:
    return dict(
        widget(tab.page, ".bar [role=progressbar]").evaluate(
            "m => ({now: m.getAttribute('aria-valuenow'), max: m.getAttribute('aria-valuemax'),"
            " min: m.getAttribute('aria-valuemin'), text: m.getAttribute('aria-valuetext'),"
            " label: m.getAttribute('aria-label'), width: m.firstChild.style.width})"
        )
    )


def test_the_bar_follows_the_visitor_to_checkout_with_its_progress_in_yen(
    tab: Tab, shop: HostShop
) -> None:
    # given: ¥3,000 in the cart, free shipping from ¥10,000
    yen = YenShop()
    shop.api.reply = yen.reply
    pages = [
        ("/home", "home"),
        ("/product/tea", "product"),
        ("/cart", "cart"),
        ("/checkout", "checkout"),
    ]
    urls = [shop.add(path, page=page) for path, page in pages]
    # when / then: on every page, the bar with its progress
    for url in urls:
        tab.page.goto(url)
        widget(tab.page, ".bar [role=progressbar]").wait_for()
        assert widget(tab.page, ".bar p").text_content() == "You are ¥7,000 away from free shipping"
        assert meter(tab) == {
            "now": "3000",
            "max": "10000",
            "min": "0",
            "text": "30 %",
            "label": "You are ¥7,000 away from free shipping",
            "width": "30%",
        }
    assert axe_violations(tab.page) == []
    # when: the cart passes the threshold on the checkout page
    yen.cart = Decimal("12500")
    tab.page.evaluate("window.saleorProactive.push(['trackCartUpdated'])")
    tab.page.wait_for_function(
        "() => document.querySelector('saleor-proactive').shadowRoot"
        ".querySelector('.bar p').textContent.includes('unlocked')"
    )
    # then: the reached message, the bar full, updated in place
    assert widget(tab.page, ".bar p").text_content() == "You've unlocked free shipping!"
    assert meter(tab)["now"] == "10000" and meter(tab)["width"] == "100%"
    assert tab.errors == []


def test_the_bar_does_not_move_the_page_and_honours_reduced_motion(
    tab: Tab, shop: HostShop
) -> None:
    # given
    tab.page.emulate_media(reduced_motion="reduce")
    shop.api.reply = YenShop().reply
    tab.page.goto(shop.add("/long", body="<h1>Shop</h1>" + "<p>Line</p>" * 80))
    heading = tab.page.locator("h1").bounding_box()
    # when
    widget(tab.page, ".bar [role=progressbar]").wait_for()
    # then
    assert tab.page.locator("h1").bounding_box() == heading
    fill = widget(tab.page, ".bar [role=progressbar] i")
    assert fill.evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    assert widget(tab.page, ".bar").evaluate("e => getComputedStyle(e).animationName") == "none"


def test_a_notice_without_a_threshold_gets_no_progress_bar(tab: Tab, shop: HostShop) -> None:
    # given: an action from an older app, no threshold in its data
    shop.api.reply = lambda body: {
        "actions": [
            {
                "id": "a-1",
                "triggerId": "t-1",
                "type": "free_shipping_notice",
                "slot": "bar",
                "showAfterMs": 0,
                "message": "Almost there",
            }
        ]
    }
    # when
    tab.page.goto(shop.add("/old"))
    widget(tab.page, ".bar p").wait_for()
    # then
    assert widget(tab.page, ".bar [role=progressbar]").count() == 0
    assert tab.errors == []
