"""`make screenshots`: the README's pictures come from the demo, one command refreshes them."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pytest

from saleor_proactive.sandbox.screenshots import DOCS_SCREENSHOTS, VIEWS, take_screenshots
from tests.chromium import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_readme_shows_every_view_and_no_stale_picture() -> None:
    shown = set(re.findall(r"\(docs/screenshots/([\w.-]+\.png)\)", README))
    committed = {path.name for path in DOCS_SCREENSHOTS.glob("*.png")}
    assert shown == set(VIEWS)
    assert committed == set(VIEWS)
    assert "make screenshots" in README


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs Chromium at {CHROMIUM}")
def test_the_command_writes_a_picture_of_every_view_from_a_demo(tmp_path: Path) -> None:
    pytest.importorskip("playwright.sync_api")

    # when
    written = take_screenshots(tmp_path)

    # then
    assert [path.name for path in written] == list(VIEWS)
    sizes = {path.name: png_size(path) for path in written}
    assert sizes["demo-shop-checkout-desktop.png"] == (1280, 800)
    assert sizes["demo-shop-checkout-phone.png"] == (360, 740)
    assert sizes["dashboard.png"] == sizes["dashboard-dark-es.png"] == (1280, 800)
    assert all(path.stat().st_size > 10_000 for path in written)  # a page, not a blank
