"""`GET /storefront/v1/compare.js`: served like the snippet, within its own gzip budget."""

from __future__ import annotations

import gzip

from flask.testing import FlaskClient

from saleor_proactive.assets import asset_dir
from saleor_proactive.storefront.snippet import COMPARE_FILE, minify

COMPARE_BUDGET = 4 * 1024


def test_compare_js_is_served_minified_gzipped_and_cors_open(
    storefront_client: FlaskClient,
) -> None:
    response = storefront_client.get(
        "/storefront/v1/compare.js", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Encoding"] == "gzip"
    source = (asset_dir("storefront_snippet") / COMPARE_FILE).read_bytes()
    assert gzip.decompress(response.data) == minify(source)
    assert len(response.data) <= COMPARE_BUDGET
