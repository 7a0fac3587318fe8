"""What the snippet costs a shop: bytes, layout shift, long tasks, time to the first decision.

Run: `.venv/bin/python -m benchmarks.snippet [--runs N]` (needs Chromium at /usr/bin/chromium).
Starts the whole demo (app + sandbox Saleor + demo storefront, SQLite in a temp dir), puts
38.00 EUR in a fresh visitor's cart (the free-shipping bar then has something to say) and opens
the 649 EUR product page in headless Chromium, once with the snippet and once with it blocked:

- gzip size of snippet.js as served (minified by the app; budget 8 KB), of widgets.js, which it
  loads once it has something to show (budget 3 KB), and of compare.js, the comparison panel it
  loads only when a visitor opens one (budget 4 KB);
- CLS caused by the widget (layout-shift entries whose sources lie inside it) and on the page;
- long tasks (> 50 ms) with the snippet minus without it;
- page load (loadEventEnd) → first decision applied (the `<saleor-proactive>` host appears
  when the first answer is rendered), and navigation start → answer received (target < 150 ms
  after load).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
from typing import Any

from saleor_proactive.assets import asset_dir
from saleor_proactive.sandbox.chromium import CHROMIUM, CHROMIUM_ARGS
from saleor_proactive.sandbox.demo import start_demo
from saleor_proactive.storefront.snippet import (
    COMPARE_FILE,
    WIDGETS_FILE,
    load_snippet,
    minify,
)

PRODUCT = "/product/lever-espresso-machine"
CART_VARIANT = "UHJvZHVjdFZhcmlhbnQ6MTAy"  # Colombia Huila 1 kg, 38.00 EUR
GZIP_BUDGET = 8 * 1024
WIDGETS_GZIP_BUDGET = 3 * 1024
COMPARE_BUDGET = 4 * 1024

# Installed before any page script: records layout shifts, long tasks and when the widget appears.
PROBE = """
window.__probe = {shifts: [], widgetShift: 0, longTasks: [], widgetAt: null};
new PerformanceObserver(list => list.getEntries().forEach(e => {
  if (e.hadRecentInput) return;
  __probe.shifts.push(e.value);
  if ((e.sources || []).some(s => s.node && s.node.closest && s.node.closest('saleor-proactive')))
    __probe.widgetShift += e.value;
})).observe({type: 'layout-shift', buffered: true});
new PerformanceObserver(list => list.getEntries().forEach(e => __probe.longTasks.push(e.duration)))
  .observe({type: 'longtask', buffered: true});
new MutationObserver((_, observer) => {
  if (!document.querySelector('saleor-proactive')) return;
  __probe.widgetAt = performance.now();
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""

COLLECT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const answer = performance.getEntriesByType('resource')
    .find(r => r.name.includes('/storefront/v1/events'));
  return {
    cls: __probe.shifts.reduce((a, b) => a + b, 0), widgetCls: __probe.widgetShift,
    longTasks: __probe.longTasks.length, longTaskMs: __probe.longTasks.reduce((a, b) => a + b, 0),
    load: nav.loadEventEnd, widgetAt: __probe.widgetAt,
    answerEnd: answer ? answer.responseEnd : null,
  };
}"""


def gzip_size() -> int:
    return len(gzip.compress(load_snippet().body, compresslevel=9))  # the served, minified copy


def lazy_gzip_size(name: str) -> int:
    source = (asset_dir("storefront_snippet") / name).read_bytes()
    return len(gzip.compress(minify(source), compresslevel=9))  # as served, like the snippet


def print_sizes() -> None:
    for name, size, budget in (
        ("snippet.js", gzip_size(), GZIP_BUDGET),
        ("widgets.js (once something shows)", lazy_gzip_size(WIDGETS_FILE), WIDGETS_GZIP_BUDGET),
        ("compare.js (lazy)", lazy_gzip_size(COMPARE_FILE), COMPARE_BUDGET),
    ):
        verdict = "ok" if size <= budget else "OVER BUDGET"
        print(f"{name} gzip -9: {size} bytes (budget {budget}, {verdict})")


def one_visit(browser: Any, shop_url: str, with_snippet: bool) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    if not with_snippet:
        context.route("**/storefront/v1/snippet.js", lambda route: route.abort())
    context.add_init_script(PROBE)
    page = context.new_page()
    page.request.post(
        f"{shop_url}/cart/add",
        form={"variant_id": CART_VARIANT, "quantity": "1"},
        headers={"Accept": "application/json"},
    )
    page.goto(shop_url + PRODUCT, wait_until="load")
    if with_snippet:
        page.wait_for_function(
            "performance.getEntriesByType('resource')"
            ".some(r => r.name.includes('/storefront/v1/events') && r.responseEnd > 0)",
            timeout=10_000,
        )
    page.wait_for_timeout(600)  # let the entrance animation and any late shift happen
    figures: dict[str, Any] = page.evaluate(COLLECT)
    context.close()
    return figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    print_sizes()
    demo = start_demo(0)
    if demo.shop_url is None:
        raise SystemExit("the demo storefront (saleor_proactive.sandbox.shop) is missing")
    shop_url = demo.shop_url
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            one_visit(browser, shop_url, True)  # warm-up: first requests compile and cache
            with_snippet = [one_visit(browser, shop_url, True) for _ in range(runs)]
            without = [one_visit(browser, shop_url, False) for _ in range(runs)]
            browser.close()
    finally:
        demo.stop()
    print_figures(runs, with_snippet, without)


def print_figures(runs: int, visits: list[dict[str, Any]], bare: list[dict[str, Any]]) -> None:
    shown = [v for v in visits if v["widgetAt"] is not None]
    after_load = [v["widgetAt"] - v["load"] for v in shown]
    answers = [v["answerEnd"] for v in visits if v["answerEnd"]]
    print(f"runs: {runs} with the snippet, {runs} without, product page {PRODUCT}")
    print(f"widget rendered in {len(shown)}/{runs} visits (the rest: hold-out group or no action)")
    print(f"CLS caused by the widget: max {max(v['widgetCls'] for v in visits):.4f}")
    print(
        f"CLS of the page: with snippet max {max(v['cls'] for v in visits):.4f}, "
        f"without max {max(v['cls'] for v in bare):.4f}"
    )
    for label, group in (("with the snippet", visits), ("without it", bare)):
        count = statistics.mean(v["longTasks"] for v in group)
        total = statistics.mean(v["longTaskMs"] for v in group)
        print(f"long tasks > 50 ms per visit, {label}: {count:.2f} ({total:.1f} ms)")
    if answers:
        print(
            f"navigation start -> answer received: median {statistics.median(answers):.0f} ms, "
            f"p95 {percentile(answers, 0.95):.0f} ms"
        )
    if after_load:
        print(
            f"page load -> first decision rendered: median {statistics.median(after_load):.0f} ms, "
            f"p95 {percentile(after_load, 0.95):.0f} ms (target < 150 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", action="store_true", help="only print the scripts' sizes")
    arguments = parser.parse_args()
    if arguments.sizes:
        print_sizes()
    else:
        report(arguments.runs)


if __name__ == "__main__":
    main()
