"""The product comparison in the storefront: the bubble's button loads compare.js, which opens
an accessible panel (dialog, focus kept inside and given back, Escape, a table a screen reader
can walk) on desktop and phone; markup in names and values is shown as text."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import HostShop, Tab, axe_violations, screenshot, widget

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__owned=1">'


def comparison_action(thumbnail: str | None = None) -> dict[str, Any]:
    return {
        "id": "a-compare",
        "triggerId": "t-compare",
        "type": "product_comparison",
        "slot": "bubble",
        "showAfterMs": 0,
        "message": "Comparing options? Here they are side by side.",
        "cta": "Compare",
        "data": {
            "products": [
                {
                    "id": "UHJvZHVjdDo2",
                    "name": "Burr Grinder",
                    "url": "https://shop.example.com/products/burr-grinder",
                    "thumbnail": thumbnail,
                    "price": {"amount": 189.0, "currency": "EUR"},
                    "attributes": [
                        {"name": "Material", "value": "Aluminium"},
                        {"name": "Power", "value": HOSTILE},
                    ],
                },
                {
                    "id": "UHJvZHVjdDo1",
                    "name": "Lever <b>Espresso</b> Machine",
                    "url": None,
                    "thumbnail": None,
                    "price": {"amount": 649.0, "currency": "EUR"},
                    "attributes": [
                        {"name": "Material", "value": "Stainless steel"},
                        {"name": "Power", "value": "1200 W"},
                    ],
                },
            ]
        },
    }


def _open(tab: Tab, shop: HostShop) -> Any:
    shop.pages["/grinder.png"] = ""  # served (as an empty page): the image is not a real one
    action = comparison_action(f"{shop.url}/grinder.png")
    shop.api.reply = lambda body: {"actions": [action], "chat": {"provider": "none"}}
    body = '<h1>Shop</h1><a id="before" href="#x">A link of the shop</a>'
    tab.page.goto(shop.add("/product", body=body, page="product"))
    cta = widget(tab.page, "button.cta")
    cta.wait_for()
    tab.page.focus("#before")
    cta.click()
    dialog = tab.page.locator("saleor-proactive-compare [role=dialog]")
    dialog.wait_for()
    return dialog


def test_the_panel_shows_the_products_side_by_side_with_links(tab: Tab, shop: HostShop) -> None:
    dialog = _open(tab, shop)
    assert dialog.get_attribute("aria-modal") == "true"
    assert dialog.get_by_role("heading").inner_text() == comparison_action()["message"]
    headers = dialog.locator("thead th[scope=col]")
    assert headers.all_inner_texts() == ["Burr Grinder", "Lever <b>Espresso</b> Machine"]
    link = dialog.get_by_role("link", name="Burr Grinder")
    assert link.get_attribute("href") == "https://shop.example.com/products/burr-grinder"
    assert dialog.get_by_role("link").count() == 1  # no URL: a name, not a link
    [image] = dialog.locator("thead img").all()  # the other product has no thumbnail
    assert image.get_attribute("src") == f"{shop.url}/grinder.png"
    assert image.get_attribute("alt") == ""  # the name beside it says it all
    rows = dialog.locator("tbody tr")
    assert rows.nth(0).inner_text().split("\t") == ["Price", "€189.00", "€649.00"]
    assert [r.split("\t")[0] for r in rows.all_inner_texts()] == ["Price", "Material", "Power"]
    assert dialog.locator("tbody th[scope=row]").count() == 3
    # markup in a value is text: shown as typed, never run
    assert HOSTILE in rows.nth(2).inner_text()
    assert tab.page.evaluate("window.__owned") is None
    assert tab.errors == []


def test_focus_stays_in_the_panel_and_escape_gives_it_back(tab: Tab, shop: HostShop) -> None:
    dialog = _open(tab, shop)
    close = dialog.get_by_role("button", name="Close comparison")
    assert close.evaluate("(b) => b.getRootNode().activeElement === b")
    focused = []
    for _ in range(4):
        tab.page.keyboard.press("Tab")
        focused.append(
            tab.page.evaluate(
                "() => { const a = document.querySelector('saleor-proactive-compare')"
                ".shadowRoot.activeElement;"
                " return a && (a.getAttribute('aria-label') || a.textContent); }"
            )
        )
    # close button -> the table's scrolling region -> the link in it -> back to the close button
    assert focused == ["Products compared", "Burr Grinder", "Close comparison", "Products compared"]
    tab.page.keyboard.press("Shift+Tab")
    assert close.evaluate("(b) => b.getRootNode().activeElement === b")
    tab.page.keyboard.press("Shift+Tab")  # backwards from the first: the last
    link = dialog.get_by_role("link", name="Burr Grinder")
    assert link.evaluate("(a) => a.getRootNode().activeElement === a")
    tab.page.keyboard.press("Escape")
    assert tab.page.locator("saleor-proactive-compare").count() == 0
    assert tab.page.evaluate("document.activeElement.id") == "before"


def test_the_close_button_closes_the_panel(tab: Tab, shop: HostShop) -> None:
    dialog = _open(tab, shop)
    dialog.get_by_role("button", name="Close comparison").click()
    assert tab.page.locator("saleor-proactive-compare").count() == 0


def test_the_panel_meets_wcag_on_desktop_and_phone(tab: Tab, shop: HostShop) -> None:
    _open(tab, shop)
    assert axe_violations(tab.page) == []
    screenshot(tab.page, "comparison-desktop")
    tab.page.set_viewport_size({"width": 360, "height": 740})
    dialog = tab.page.locator("saleor-proactive-compare [role=dialog]")
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["y"] + box["height"] <= 740
    assert axe_violations(tab.page) == []
    screenshot(tab.page, "comparison-phone")


def test_compare_js_is_not_loaded_before_the_panel_is_opened(tab: Tab, shop: HostShop) -> None:
    shop.api.reply = lambda body: {"actions": [comparison_action()], "chat": {"provider": "none"}}
    tab.page.goto(shop.add("/product", page="product"))
    widget(tab.page, "button.cta").wait_for()
    scripts = tab.page.evaluate(
        "performance.getEntriesByType('resource').map((r) => r.name)"
        ".filter((n) => n.endsWith('.js'))"
    )
    # snippet.js, and widgets.js once there is something to show: never compare.js yet
    assert "compare.js" not in [s.rsplit("/", 1)[1] for s in scripts]
    assert scripts


def test_a_category_page_sends_its_category_with_the_page_view(tab: Tab, shop: HostShop) -> None:
    queue = (
        "<script>(window.saleorProactive = window.saleorProactive || [])"
        '.push(["setPageType", "category", {"categoryId": "Q2F0ZWdvcnk6Mg=="}]);</script>'
    )
    tab.page.goto(shop.add("/equipment", head=queue, page="home"))
    [view] = shop.api.wait_for("page_view")
    assert view["pageType"] == "category"
    assert view["categoryId"] == "Q2F0ZWdvcnk6Mg=="
    assert "productId" not in view


def test_a_product_page_sends_its_product_and_category_with_the_page_view(
    tab: Tab, shop: HostShop
) -> None:
    json_ld = (
        '<script type="application/ld+json">{"@type": "Product", "productID": "UHJvZHVjdDo1",'
        ' "category": "Q2F0ZWdvcnk6Mg==", "offers": {"price": "649.00", "priceCurrency": "EUR"}}'
        "</script>"
    )
    tab.page.goto(shop.add("/lever", head=json_ld, page="product"))
    [view] = shop.api.wait_for("page_view")
    assert view["productId"] == "UHJvZHVjdDo1"
    assert view["categoryId"] == "Q2F0ZWdvcnk6Mg=="
    [product] = shop.api.wait_for("product_view")
    assert product["productId"] == "UHJvZHVjdDo1"
