"""The Results tab in headless Chromium: what each trigger earned, its verdict, the chart's
numbers as a table, the CSV of what is shown; and the frame's own reload."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
import requests

from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import Installation, utcnow
from saleor_proactive.store.triggers import list_triggers
from tests.browser.support import axe_violations
from tests.dashboard.test_app_page_browser import open_app
from tests.fixtures.analytics import ShopHistory
from tests.fixtures.dashboard_browser import BrowserThread, DashboardHost
from tests.fixtures.sandbox import Installed

pytestmark = pytest.mark.browser


def _seed_results(installed: Installed) -> tuple[str, str]:
    """A trigger that clearly helps (30 of 200 shown visitors ordered, 2 of 100 held out) and
    another with two impressions; returns both trigger ids."""
    with get_database(installed.live.app).session() as session:
        installation = session.get(Installation, installed.installation_id)
        assert installation is not None
        helps, young = (t.id for t in list_triggers(session, installation.id)[:2])
        history = ShopHistory(session, installation)
        at = utcnow() - timedelta(days=1)
        for number in range(200):
            history.interact(f"e{number}", helps, "impression", at)
        for number in range(100):
            history.interact(f"c{number}", helps, "control", at)
        for visitor in [f"e{number}" for number in range(30)] + ["c0", "c1"]:
            history.link_checkout(visitor, f"checkout-{visitor}")
            history.order(
                f"order-{visitor}", f"checkout-{visitor}", "40.00", at + timedelta(hours=1)
            )
        history.interact("y1", young, "impression", at)
        history.interact("y2", young, "impression", at)
        session.commit()
    return helps, young


def test_results_show_what_each_trigger_earned_and_the_verdict(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    # given a week of results
    helps, young = _seed_results(installed)
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, Any]:
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        frame = next(frame for frame in page.frames if "/app?" in frame.url)

        # when the merchant opens the Results tab
        app.locator("#tab-results").click()
        app.locator("body[data-results-ready]").wait_for(state="attached")
        seen: dict[str, Any] = {
            "helps": app.locator(f'#results-rows tr[data-trigger-id="{helps}"]').inner_text(),
            "young": app.locator(f'#results-rows tr[data-trigger-id="{young}"]').inner_text(),
            "total": app.locator("#results-total").inner_text(),
            "holdout": app.locator("#holdout-note").inner_text(),
            "days": app.locator("#results-days tr").count(),
            "chart": app.locator("#results-chart svg[role=img]").count(),
            "axe": axe_violations(frame),
        }
        # and downloads what is shown: the Dashboard is asked to open a link in a new tab
        app.locator("#results-csv").click()
        page.wait_for_function("window.appMessages.some((m) => m && m.type === 'redirect')")
        seen["redirect"] = page.evaluate(
            "window.appMessages.filter((m) => m && m.type === 'redirect')[0].payload"
        )
        # and asks for a range that ends before it starts
        app.locator("#results-form [name=preset]").select_option("custom")
        app.locator("#results-form [name=from]").fill("2026-11-10")
        app.locator("#results-form [name=to]").fill("2026-11-01")
        app.locator("#results-form button[type=submit]").click()
        seen["invalid"] = app.locator("#results-form [name=to]").get_attribute("aria-invalid")
        seen["focused"] = app.locator(":focus").get_attribute("name")
        seen["error"] = app.locator("#results-errors").inner_text()
        seen["errors"] = list(page.errors)
        return seen

    seen = dashboard_browser.run(steps)

    # then the trigger that helps says so, with its orders and revenue
    assert "200" in seen["helps"] and "30" in seen["helps"]
    assert "€1,200.00" in seen["helps"]
    assert "Likely helps" in seen["helps"]
    # the young trigger says how many more visitors it needs
    assert "Not enough data yet" in seen["young"]
    # the total adds impressions and revenue up
    assert "202" in seen["total"] and "€1,200.00" in seen["total"]
    assert "100 visitors" in seen["holdout"]
    assert seen["days"] == 7 and seen["chart"] == 1
    assert seen["axe"] == []
    assert seen["redirect"]["newContext"] is True
    link = seen["redirect"]["to"]
    download = requests.get(link, timeout=10)  # a new tab: no Dashboard headers
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {(row["trigger_id"], row["group"], row["impressions"]) for row in rows} >= {
        (helps, "exposed", "200"),
        (helps, "control", "0"),
    }
    # a reversed range is named at the field, which is marked invalid and focused
    assert seen["invalid"] == "true" and seen["focused"] == "to"
    assert "start date" in seen["error"]
    assert seen["errors"] == []
    # an altered link opens nothing
    forged = requests.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB"), timeout=10)
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "invalid_report_link"


def test_reloading_only_the_apps_frame_keeps_working(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> tuple[bool, str]:
        # given the app page, framed by the Dashboard
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        frame = next(frame for frame in page.frames if "/app?" in frame.url)

        # when only the frame navigates to itself (its referrer is now the app's own page)
        # (the old page is marked not ready first, so the wait below sees only the new one)
        frame.evaluate("document.body.dataset.ready = '0'; location.href = location.href")
        app.locator("body[data-ready='1'] #trigger-rows tr").first.wait_for()
        app.locator("#main").wait_for()

        # then it got the Dashboard's token again and works
        reloaded = next(frame for frame in page.frames if "/app?" in frame.url)
        return app.locator("#main").is_visible(), reloaded.evaluate("document.referrer")

    visible, referrer = dashboard_browser.run(steps)
    assert visible
    assert referrer.startswith(installed.app_url)  # the case that used to hang


def test_opened_outside_the_dashboard_the_page_says_where_to_open_it(
    dashboard_browser: BrowserThread, installed: Installed
):
    def steps(page: Any) -> tuple[bool, bool, str]:
        page.goto(f"{installed.app_url}/app?saleorApiUrl={installed.api_url}")
        page.locator("#outside").wait_for()
        return (
            page.locator("#waiting").is_visible(),
            page.locator("#outside").is_visible(),
            page.locator("#outside").inner_text(),
        )

    waiting, outside, text = dashboard_browser.run(steps)
    assert not waiting and outside
    assert "Saleor Dashboard" in text
