"""What axe cannot see on the app page: control edges at 3:1, focus after saving and deleting,
and validation errors named by the visible label, marked, linked and focused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.test_app_page_browser import open_app
from tests.fixtures.dashboard_browser import BrowserThread, DashboardHost
from tests.fixtures.sandbox import Installed

pytestmark = pytest.mark.browser

# The contrast ratio of two computed colours (WCAG's relative luminance), in the page.
CONTRAST = """([a, b]) => {
  const channels = (colour) => colour.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = channels(colour).map((c) => {
      c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""
EDGES = """() => Array.from(
  document.querySelectorAll('#editor input:not([type=checkbox]), #editor select'))
  .filter((input) => input.offsetParent !== null)
  .map((input) => [getComputedStyle(input).borderTopColor, getComputedStyle(input).backgroundColor,
                   getComputedStyle(document.body).backgroundColor])"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_form_controls_edges_reach_3_to_1(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    theme: str,
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> list[float]:
        app = open_app(page, dashboard_host, installed, token, theme=theme)
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator("#new-trigger").click()
        frame = next(frame for frame in page.frames if "/app?" in frame.url)
        ratios = []
        for edge, field, page_background in frame.evaluate(EDGES):
            ratios.append(frame.evaluate(CONTRAST, [edge, field]))
            ratios.append(frame.evaluate(CONTRAST, [edge, page_background]))
        return ratios

    ratios = dashboard_browser.run(steps)
    assert ratios and min(ratios) >= 3.0, min(ratios)


def test_errors_name_the_visible_label_mark_the_field_and_take_focus_to_it(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, Any]:
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator("#new-trigger").click()
        editor = app.locator("#editor")
        editor.locator("[name=name]").fill("")
        editor.locator("[name=holdoutPercent]").fill("80")
        editor.locator("#messages [name=text]").first.fill("Hello")
        editor.locator("button[type=submit]").click()
        app.locator("#editor [aria-invalid=true]").first.wait_for(state="attached")
        focused = app.locator(":focus")
        described = focused.get_attribute("aria-describedby") or ""
        return {
            "focused": focused.get_attribute("name"),
            "invalid": editor.locator("[aria-invalid=true]").evaluate_all(
                "(nodes) => nodes.map((node) => node.name)"
            ),
            "error": app.locator(f"#{described}").inner_text() if described else "",
        }

    seen = dashboard_browser.run(steps)
    assert seen["focused"] == "name"
    assert "name" in seen["invalid"]
    assert seen["error"].startswith("Name:")  # the label the merchant sees, not "name"


def test_focus_lands_on_the_saved_trigger_and_after_a_delete_on_its_neighbour(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, Any]:
        app = open_app(page, dashboard_host, installed, token)
        rows = app.locator("#trigger-rows tr")
        rows.first.wait_for()
        ids = rows.evaluate_all("(rows) => rows.map((row) => row.dataset.triggerId)")
        # save an existing trigger
        rows.nth(1).locator("button.link").first.click()
        app.locator("#editor [name=priority]").fill("175")
        app.locator("#editor button[type=submit]").click()
        app.locator("#flash.ok").wait_for()
        saved_row = app.locator(":focus").evaluate(
            "(node) => node.closest('tr')?.dataset.triggerId"
        )
        # delete the first trigger (two clicks)
        first = app.locator(f'#trigger-rows tr[data-trigger-id="{ids[0]}"] button.danger')
        first.click()
        first.click()
        app.locator(f'#trigger-rows tr[data-trigger-id="{ids[0]}"]').wait_for(state="detached")
        app.locator("#trigger-rows tr :focus").wait_for()
        after_delete = app.locator(":focus").evaluate(
            "(node) => node.closest('tr')?.dataset.triggerId"
        )
        return {"ids": ids, "saved_row": saved_row, "after_delete": after_delete}

    seen = dashboard_browser.run(steps)
    assert seen["saved_row"] == seen["ids"][1]
    assert seen["after_delete"] in seen["ids"][1:]


def test_a_free_shipping_notice_labels_its_second_text_as_the_reached_message(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, list[str]]:
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator("#new-trigger").click()
        labels = app.locator("#messages .message label:nth-of-type(3) span")
        seen = {"prompt": labels.all_inner_texts()}
        app.locator("#editor [name=showType]").select_option("free_shipping_notice")
        seen["notice"] = labels.all_inner_texts()
        app.locator("#add-language").click()
        seen["added"] = labels.all_inner_texts()
        return seen

    seen = dashboard_browser.run(steps)
    assert set(seen["prompt"]) == {"Button text"}
    assert set(seen["notice"]) == {"Message once reached"}
    assert set(seen["added"]) == {"Message once reached"} and len(seen["added"]) == 3
