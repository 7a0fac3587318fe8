"""The sandbox's Dashboard page, driven in headless Chromium: AppBridge handshake with the app."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from saleor_proactive.sandbox.demo import Demo, start_demo
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs Chromium at {CHROMIUM}"),
]


@pytest.fixture
def demo() -> Iterator[Demo]:
    running = start_demo(0)
    yield running
    running.stop()


def test_the_app_page_framed_by_the_sandbox_dashboard_gets_a_token_and_loads(demo: Demo) -> None:
    # given
    sync_api = pytest.importorskip("playwright.sync_api")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            # when
            page.goto(f"{demo.saleor.url}/dashboard/")
            frame = page.frame_locator("#app")

            # then
            frame.locator("body[data-ready='1']").wait_for(timeout=30000)
            assert frame.locator("#who").inner_text() == "staff@example.com"
        finally:
            browser.close()


def test_the_sandbox_dashboard_tells_the_app_its_theme_and_language(demo: Demo) -> None:
    # given: a Dashboard set to dark and Spanish, as its URL says
    sync_api = pytest.importorskip("playwright.sync_api")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{demo.saleor.url}/dashboard/?theme=dark&locale=es")
            frame = page.frame_locator("#app")
            frame.locator("body[data-ready='1']").wait_for(timeout=30000)
            frame.locator("html[data-theme=dark][lang=es]").wait_for(state="attached")
            spanish = frame.locator("#tab-triggers").inner_text()

            # when: the merchant switches the Dashboard back to light and English
            page.click("#theme")
            page.select_option("#locale", "en")

            # then: the app follows the events the Dashboard sent
            frame.locator("html[data-theme=light][lang=en]").wait_for(state="attached")
            english = frame.locator("#tab-triggers").inner_text()
        finally:
            browser.close()

    assert (spanish, english) == ("Disparadores", "Triggers")
