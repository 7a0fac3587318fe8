"""`make screenshots`: the README's pictures (docs/screenshots/), taken from a fresh demo.

Starts the demo (`start_demo`, free ports on 127.0.0.1, the default triggers), drives Debian's
Chromium through Playwright (a development dependency) and writes one PNG per view. Nothing
leaves 127.0.0.1. The checkout prompt waits 60 seconds on the page: the browser's clock is
moved on instead of waiting. A visitor may fall into a trigger's hold-out group (10 %), which
never sees it; then a new visitor (a new browser context) tries again.

    python -m saleor_proactive.sandbox.screenshots [OUTPUT_FOLDER]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .chromium import CHROMIUM, CHROMIUM_ARGS
from .demo import Demo, start_demo

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
CART_PRODUCT = "colombia-huila-1-kg"  # €38.00: €12 short of free shipping from €50
LINGER_MS = 61_000  # the default "Lingering on checkout" trigger asks for 60 s on the page
VISITOR_ATTEMPTS = 8


def _checkout_with_bar_and_prompt(browser: Any, shop_url: str, options: dict[str, Any]) -> Any:
    """A page on the demo checkout showing both the bar and the prompt, or None when this
    visitor was held out of one of them."""
    context = browser.new_context(reduced_motion="reduce", **options)
    page = context.new_page()
    page.goto(f"{shop_url}/product/{CART_PRODUCT}")
    page.click(f"button[data-product='{CART_PRODUCT}']")
    page.wait_for_function("document.getElementById('cart-count').textContent === '1'")
    page.clock.install()
    page.goto(f"{shop_url}/checkout")
    try:
        page.locator("saleor-proactive .bar").wait_for(timeout=10_000)
        page.clock.run_for(LINGER_MS)
        page.locator("saleor-proactive .bubble").wait_for(timeout=5_000)
    except Exception:  # Playwright's timeout: a hold-out visitor
        context.close()
        return None
    page.clock.resume()
    return page


def _shoot_checkout(browser: Any, demo: Demo, path: Path, options: dict[str, Any]) -> None:
    assert demo.shop_url, "the demo storefront is needed for the checkout pictures"
    for _ in range(VISITOR_ATTEMPTS):
        page = _checkout_with_bar_and_prompt(browser, demo.shop_url, options)
        if page is not None:
            page.screenshot(path=str(path))
            page.context.close()
            return
    raise RuntimeError("every visitor tried was held out of the bar or the prompt")


def _shoot_dashboard(browser: Any, demo: Demo, path: Path, query: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{demo.saleor.url}/dashboard/{query}")
    app = page.frame_locator("#app")
    app.locator("body[data-ready='1']").wait_for(timeout=30_000)
    app.locator("#trigger-rows tr").first.wait_for()
    lang = "es" if "locale=es" in query else "en"
    app.locator(f"html[lang={lang}]").wait_for(state="attached")
    # The 7-day figures come after the list: show them, not their "—" placeholders.
    frame = next(frame for frame in page.frames if "/app?" in frame.url)
    frame.wait_for_function(
        "() => /\\d/.test(document.querySelector('#trigger-rows td:nth-child(5)').textContent)"
    )
    page.screenshot(path=str(path))
    context.close()


Shooter = Callable[[Any, Demo, Path], None]

# The file names the README shows: what each shows, and how it is taken.
VIEWS: dict[str, tuple[str, Shooter]] = {
    "demo-shop-checkout-desktop.png": (
        "the demo checkout with the free-shipping bar and the chat prompt",
        lambda browser, demo, path: _shoot_checkout(browser, demo, path, {"viewport": DESKTOP}),
    ),
    "demo-shop-checkout-phone.png": (
        "the same on a 360 px phone",
        lambda browser, demo, path: _shoot_checkout(
            browser, demo, path, {"viewport": PHONE, "is_mobile": True, "has_touch": True}
        ),
    ),
    "dashboard.png": (
        "the app's page in the sandbox Dashboard, light, English",
        lambda browser, demo, path: _shoot_dashboard(browser, demo, path, ""),
    ),
    "dashboard-dark-es.png": (
        "the same with the Dashboard dark and in Spanish",
        lambda browser, demo, path: _shoot_dashboard(browser, demo, path, "?theme=dark&locale=es"),
    ),
}


def take_screenshots(out: Path, chromium: str = CHROMIUM) -> list[Path]:
    """Start a demo, write every view of VIEWS into `out`, stop the demo; the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    demo = start_demo(0)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                for name, (_, shoot) in VIEWS.items():
                    shoot(browser, demo, out / name)
                    written.append(out / name)
            finally:
                browser.close()
    finally:
        demo.stop()
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DOCS_SCREENSHOTS
    for path in take_screenshots(out):
        print(f"{path}  ({VIEWS[path.name][0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
