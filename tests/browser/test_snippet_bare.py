"""The snippet on a bare shop page against a fake visitor API (real HTTP, canned answers)."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from saleor_proactive.storefront.requests import parse_batch
from tests.browser.support import (
    HostShop,
    Tab,
    bar_action,
    bubble_action,
    pause_clock,
    sent_after_pending_timers,
    wait_for_decisions,
    widget,
)

pytestmark = pytest.mark.browser

ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def test_one_request_per_page_view_with_the_contract_fields(tab: Tab, shop: HostShop) -> None:
    # given
    url = shop.add("/checkout", page="checkout", lang="es-ES")
    # when
    tab.page.goto(url)
    [view] = shop.api.wait_for("page_view")
    decisions = wait_for_decisions(tab.page)
    # then
    assert decisions == [{"outcome": "applied", "actions": 0}]
    assert sent_after_pending_timers(tab.page) == 1
    [body] = shop.api.requests
    assert body["saleorApiUrl"] == "https://shop.example.com/graphql/"
    assert body["channel"] == "default-channel"
    assert ID.match(body["visitorId"]) and ID.match(body["sessionId"])
    assert body["locale"] == "es-ES"
    assert body["device"] == "desktop"
    assert view["url"] == url and view["pageType"] == "checkout"
    assert shop.api.content_types == ["text/plain"]
    assert tab.errors == []


def test_commands_queued_before_load_apply_to_the_first_request(tab: Tab, shop: HostShop) -> None:
    # given
    queue = (
        "<script>(window.saleorProactive = window.saleorProactive || [])"
        '.push(["setCheckout", "Q2hlY2tvdXQ6MQ=="], ["setPageType", "cart"],'
        ' ["setLocale", "de-DE"]);</script>'
    )
    url = shop.add("/cart", head=queue, page="home")
    # when
    tab.page.goto(url)
    [view] = shop.api.wait_for("page_view")
    # then
    body = shop.api.requests[0]
    assert body["checkoutId"] == "Q2hlY2tvdXQ6MQ=="
    assert body["locale"] == "de-DE"
    assert view["pageType"] == "cart"


def test_after_load_push_runs_commands_at_once(tab: Tab, shop: HostShop) -> None:
    # given
    tab.page.goto(shop.add("/cart", page="cart"))
    shop.api.wait_for("page_view")
    # when
    tab.page.evaluate(
        "window.saleorProactive.push(['setCheckout', 'Q2hlY2tvdXQ6Mg==']);"
        "window.saleorProactive.push(['trackCartUpdated'])"
    )
    shop.api.wait_for("cart_updated")
    # then
    assert len(shop.api.requests) == 2
    assert shop.api.requests[1]["checkoutId"] == "Q2hlY2tvdXQ6Mg=="
    assert shop.api.events("page_view") == shop.api.requests[0]["events"]


def test_a_checkout_id_the_app_would_refuse_is_not_sent(tab: Tab, shop: HostShop) -> None:
    # given a shop that passes a URL-encoded checkout id
    tab.page.goto(shop.add("/cart", page="cart"))
    shop.api.wait_for("page_view")
    # when
    tab.page.evaluate(
        "window.saleorProactive.push(['setCheckout', 'Q2hlY2tvdXQ6Mg%3D%3D'], ['trackCartUpdated'])"
    )
    shop.api.wait_for("cart_updated")
    # then the request still passes the app's validation, without the bad id
    body = shop.api.requests[1]
    assert "checkoutId" not in body
    assert parse_batch(body).events[-1].type == "cart_updated"


def test_product_view_is_read_from_json_ld(tab: Tab, shop: HostShop) -> None:
    # given
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "BreadcrumbList"}, {"@type": "Product", "name": "Mug",'
        ' "productID": "UHJvZHVjdDoxMg==", "offers": {"@type": "Offer", "price": "19.90",'
        ' "priceCurrency": "EUR"}}]}</script>'
    )
    url = shop.add("/p/mug", head=ld, page="")
    # when
    tab.page.goto(url)
    [product] = shop.api.wait_for("product_view")
    # then
    assert product["productId"] == "UHJvZHVjdDoxMg=="
    assert product["price"] == 19.9 and product["currency"] == "EUR"
    assert shop.api.events("page_view")[0]["pageType"] == "product"
    assert len(shop.api.requests) == 1


def test_sloppy_json_ld_still_gives_a_request_the_app_accepts(tab: Tab, shop: HostShop) -> None:
    # given a Product whose JSON-LD has a symbol for a currency, a long category and id
    long_id = "https://shop.example.com/products/" + "a-very-long-slug-" * 10
    ld = (
        '<script type="application/ld+json">{"@type": "Product", "@id": "' + long_id + '",'
        ' "category": "' + "Home &gt; Kitchen &gt; " * 10 + 'Mugs",'
        ' "offers": {"price": "-3", "priceCurrency": "\u20ac"}}</script>'
    )
    url = shop.add("/p/mug", head=ld, page="")
    # when
    tab.page.goto(url)
    [product] = shop.api.wait_for("product_view")
    # then the body passes the app's own request validation (no 400 for the whole batch)
    batch = parse_batch(shop.api.requests[0])
    assert [e.type for e in batch.events] == ["page_view", "product_view"]
    assert product["productId"] == long_id[:128]
    assert "price" not in product and "currency" not in product
    assert len(product["categoryId"]) == 128


def test_merchant_url_patterns_from_the_answer_classify_later_pages(
    tab: Tab, shop: HostShop
) -> None:
    # given
    shop.api.reply = lambda body: {
        "actions": [],
        "pageTypes": [{"pattern": "/kasse*", "type": "checkout"}],
    }
    tab.page.goto(shop.add("/start", page=""))
    tab.page.wait_for_function("localStorage.getItem('saleorProactive.pageTypes')")
    # when
    tab.page.goto(shop.add("/kasse/step-1", page=""))
    views = shop.api.wait_for("page_view", 2)
    # then
    assert "pageType" not in views[0]
    assert views[1]["pageType"] == "checkout"


def test_bar_shows_the_remaining_amount_and_updates_after_a_cart_change(
    tab: Tab, shop: HostShop
) -> None:
    # given
    answers = iter(
        [
            bar_action("You are 30.00 EUR away from free shipping", 30.0),
            bar_action("You are 12.00 EUR away from free shipping", 12.0),
        ]
    )
    shop.api.reply = lambda body: {"actions": [next(answers)], "chat": {"provider": "none"}}
    tab.page.goto(shop.add("/cart", page="cart"))
    bar = widget(tab.page, ".bar")
    bar.wait_for()
    assert bar.locator("p").text_content() == "You are 30.00 EUR away from free shipping"
    # when
    tab.page.evaluate("window.saleorProactive.push(['trackCartUpdated'])")
    # then
    tab.page.wait_for_function(
        "() => document.querySelector('saleor-proactive').shadowRoot.querySelector('.bar p')"
        ".textContent.includes('12.00')"
    )
    assert bar.get_attribute("role") == "status"
    assert widget(tab.page, ".bar").count() == 1
    assert tab.errors == []


def test_bar_goes_away_when_the_answer_to_a_cart_change_has_none(tab: Tab, shop: HostShop) -> None:
    # given
    answers = iter([[bar_action("You are 5.00 EUR away", 5.0)], []])
    shop.api.reply = lambda body: {"actions": next(answers)}
    tab.page.goto(shop.add("/cart", page="cart"))
    widget(tab.page, ".bar").wait_for()
    # when
    tab.page.evaluate("window.saleorProactive.push(['trackCartUpdated'])")
    # then
    widget(tab.page, ".bar").wait_for(state="detached")


def test_bubble_appears_after_the_delay_and_not_before(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = lambda body: {"actions": [bubble_action(after_ms=1500)]}
    tab.page.clock.install()
    tab.page.goto(shop.add("/checkout", page="checkout"))
    [view] = shop.api.wait_for("page_view")
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 1}]
    paused_at = pause_clock(tab.page)
    # when: the clock stops 100 ms short of the delay (counted from the request)
    tab.page.clock.run_for(max(0, view["ts"] + 1400 - paused_at))
    # then
    assert widget(tab.page, ".bubble").count() == 0
    tab.page.clock.run_for(300)
    widget(tab.page, ".bubble").wait_for(timeout=3000)
    assert widget(tab.page, ".bubble p").text_content() == "Stuck? We are here to help."
    assert tab.errors == []


def test_navigation_cancels_pending_prompts(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = lambda body: (
        {"actions": [bubble_action(after_ms=1200)]}
        if len(shop.api.requests) == 1
        else {"actions": []}
    )
    tab.page.clock.install()
    tab.page.goto(shop.add("/checkout", page="checkout"))
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 1}]
    # when
    tab.page.evaluate("history.pushState({}, '', '/shipping-info')")
    views = shop.api.wait_for("page_view", 2)
    wait_for_decisions(tab.page, 2)
    pause_clock(tab.page)
    tab.page.clock.run_for(2000)  # well past the first page's prompt
    # then
    assert views[1]["url"].endswith("/shipping-info")
    assert widget(tab.page, ".bubble").count() == 0


def test_spa_navigation_counts_push_replace_and_back(tab: Tab, shop: HostShop) -> None:
    # given
    tab.page.goto(shop.add("/a", page=""))
    shop.api.wait_for("page_view")
    # when
    tab.page.evaluate("history.pushState({}, '', '/b')")
    shop.api.wait_for("page_view", 2)
    tab.page.evaluate("history.replaceState({}, '', '/b')")  # same URL: not a new page
    tab.page.evaluate("history.replaceState({}, '', '/c')")
    shop.api.wait_for("page_view", 3)
    tab.page.go_back()
    views = shop.api.wait_for("page_view", 4)
    # then
    assert [v["url"].rsplit("/", 1)[1] for v in views] == ["a", "b", "c", "a"]


def test_cta_opens_the_stubbed_chat_provider_and_reports_the_click(
    tab: Tab, shop: HostShop
) -> None:
    # given
    stub = (
        "<script>window.crispCalls = []; window.$crisp = {push: c => crispCalls.push(c)};</script>"
    )
    shop.api.reply = lambda body: {"actions": [bubble_action()], "chat": {"provider": "crisp"}}
    tab.page.goto(shop.add("/contact", head=stub, page="contact"))
    # when
    widget(tab.page, ".cta").click()
    tab.page.goto(shop.add("/home"))  # leaving the page sends what is pending by beacon
    # then
    clicked = shop.api.wait_for("action_clicked")
    assert clicked[0]["actionId"] == "a-t-bubble-0"
    assert shop.api.events("action_shown")[0]["actionId"] == "a-t-bubble-0"


def test_cta_calls_crisp(tab: Tab, shop: HostShop) -> None:
    # given
    stub = (
        "<script>window.crispCalls = []; window.$crisp = {push: c => crispCalls.push(c)};</script>"
    )
    shop.api.reply = lambda body: {"actions": [bubble_action()], "chat": {"provider": "crisp"}}
    tab.page.goto(shop.add("/contact", head=stub, page="contact"))
    # when
    widget(tab.page, ".cta").click()
    # then
    assert tab.page.evaluate("window.crispCalls") == [["do", "chat:open"]]
    assert widget(tab.page, ".bubble").count() == 0


@pytest.mark.parametrize(
    ("provider", "stub", "expected"),
    [
        (
            "chatwoot",
            "window.$chatwoot = {toggle: s => calls.push(['toggle', s])}",
            [["toggle", "open"]],
        ),
        ("tawk", "window.Tawk_API = {maximize: () => calls.push(['maximize'])}", [["maximize"]]),
        ("zendesk", "window.zE = (a, b) => calls.push([a, b])", [["messenger", "open"]]),
        ("intercom", "window.Intercom = a => calls.push([a])", [["show"]]),
    ],
)
def test_cta_calls_each_chat_provider(
    tab: Tab, shop: HostShop, provider: str, stub: str, expected: list[list[str]]
) -> None:
    # given
    shop.api.reply = lambda body: {"actions": [bubble_action()], "chat": {"provider": provider}}
    tab.page.goto(shop.add("/contact", head=f"<script>window.calls = []; {stub};</script>"))
    # when
    widget(tab.page, ".cta").click()
    # then
    assert tab.page.evaluate("window.calls") == expected


def test_whatsapp_opens_a_prefilled_link_in_a_new_tab(tab: Tab, shop: HostShop) -> None:
    # given
    stub = (
        "<script>window.opened = [];"
        " window.open = (...a) => { opened.push(a); return null; };</script>"
    )
    shop.api.reply = lambda body: {
        "actions": [bubble_action("¿Dudas con tu pedido?")],
        "chat": {"provider": "whatsapp", "number": "+34 600 000 000"},
    }
    tab.page.goto(shop.add("/contact", head=stub, lang="es"))
    # when
    widget(tab.page, ".cta").click()
    # then
    [[url, target, features]] = tab.page.evaluate("window.opened")
    assert url == "https://wa.me/34600000000?text=%C2%BFDudas%20con%20tu%20pedido%3F"
    assert target == "_blank" and features == "noopener"


@pytest.mark.parametrize("provider", ["custom", "intercom"])
def test_custom_or_missing_provider_dispatches_the_open_chat_event(
    tab: Tab, shop: HostShop, provider: str
) -> None:
    # given (no Intercom script on the page)
    listen = (
        "<script>window.details = []; document.addEventListener('saleor-proactive:open-chat',"
        " e => details.push(e.detail));</script>"
    )
    shop.api.reply = lambda body: {
        "actions": [bubble_action("Need help?")],
        "chat": {"provider": provider},
    }
    tab.page.goto(shop.add("/contact", head=listen))
    # when
    widget(tab.page, ".cta").click()
    # then
    [detail] = tab.page.evaluate("window.details")
    assert detail["message"] == "Need help?" and detail["triggerId"] == "t-bubble"
    assert tab.errors == []


def test_dismissed_prompt_does_not_come_back_on_the_next_page(tab: Tab, shop: HostShop) -> None:
    # given
    shop.api.reply = lambda body: {"actions": [bubble_action()]}
    tab.page.goto(shop.add("/contact", page="contact"))
    # when
    widget(tab.page, ".x").click()
    tab.page.goto(shop.add("/faq", page="faq"))
    shop.api.wait_for("page_view", 2)
    decisions = wait_for_decisions(tab.page)
    # then: the app offered the prompt again; the snippet planned nothing
    assert shop.api.reply({}) == {"actions": [bubble_action()]}
    assert decisions == [{"outcome": "applied", "actions": 0}]
    assert widget(tab.page, ".bubble").count() == 0
    assert shop.api.events("action_dismissed")[0]["actionId"] == "a-t-bubble-0"


def test_ready_event_fires_and_explicit_product_views_are_sent(tab: Tab, shop: HostShop) -> None:
    # given
    listen = (
        "<script>window.readyCount = 0; window.addEventListener('saleor-proactive:ready',"
        " () => readyCount++);</script>"
    )
    tab.page.goto(shop.add("/p/grinder", head=listen, page="product"))
    tab.page.wait_for_function("window.readyCount === 1")
    shop.api.wait_for("page_view")
    # when
    tab.page.evaluate(
        "window.saleorProactive.push(['trackProductView',"
        " {id: 'UHJvZHVjdDo2', price: 189, currency: 'EUR', categoryId: 'Q2F0ZWdvcnk6Mg=='}])"
    )
    # then
    [product] = shop.api.wait_for("product_view")
    assert product["productId"] == "UHJvZHVjdDo2"
    assert product["price"] == 189 and product["categoryId"] == "Q2F0ZWdvcnk6Mg=="
    assert tab.page.evaluate("typeof window.saleorProactive.push") == "function"


def test_pasting_the_tag_twice_tracks_once(tab: Tab, shop: HostShop) -> None:
    # given
    url = shop.add("/home", body="<p>Shop</p>" + shop.tag())
    # when
    tab.page.goto(url)
    shop.api.wait_for("page_view")
    decisions = wait_for_decisions(tab.page)
    # then
    assert decisions == [{"outcome": "applied", "actions": 0}]
    assert sent_after_pending_timers(tab.page) == 1
    assert len(shop.api.events("page_view")) == 1


def test_a_late_answer_for_a_page_already_left_is_dropped_and_said_so(
    tab: Tab, shop: HostShop
) -> None:
    # given: the answer to the first page view comes only when the test lets it
    first_answer = threading.Event()

    def reply(body: dict[str, Any]) -> dict[str, Any]:
        if body["events"][0]["url"].endswith("/checkout"):
            first_answer.wait(10)
            return {"actions": [bubble_action("Too late")]}
        return {"actions": []}

    shop.api.reply = reply
    tab.page.goto(shop.add("/checkout", page="checkout"))
    shop.api.wait_for("page_view")
    # when: the visitor moves on, that page's answer arrives, then the late one
    tab.page.evaluate("history.pushState({}, '', '/shipping-info')")
    assert wait_for_decisions(tab.page) == [{"outcome": "applied", "actions": 0}]
    first_answer.set()
    decisions = wait_for_decisions(tab.page, 2)
    # then
    assert decisions[1] == {"outcome": "stale", "actions": 0}
    assert tab.page.locator("saleor-proactive").count() == 0  # nothing was ever put on screen
