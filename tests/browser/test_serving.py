"""`GET /storefront/v1/snippet.js`: type, caching, compression, CORS, size budget."""

from __future__ import annotations

import gzip

from flask.testing import FlaskClient

from saleor_proactive.storefront.snippet import MAX_AGE_SECONDS, snippet_file_path

SNIPPET_URL = "/storefront/v1/snippet.js"
GZIP_BUDGET_BYTES = 8 * 1024


def test_snippet_is_served_as_javascript_with_short_caching_and_cors(client: FlaskClient) -> None:
    # when
    response = client.get(SNIPPET_URL, headers={"Origin": "https://shop.example.com"})
    # then
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.data == snippet_file_path().read_bytes()
    assert response.headers["Cache-Control"] == f"public, max-age={MAX_AGE_SECONDS}"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"]


def test_a_known_etag_gets_304_without_a_body(client: FlaskClient) -> None:
    # given
    etag = client.get(SNIPPET_URL).headers["ETag"]
    # when
    response = client.get(SNIPPET_URL, headers={"If-None-Match": etag})
    # then
    assert response.status_code == 304
    assert response.data == b""


def test_browsers_that_accept_gzip_get_it_compressed(client: FlaskClient) -> None:
    # when
    response = client.get(SNIPPET_URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    # then
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == snippet_file_path().read_bytes()
    assert response.headers["ETag"] != client.get(SNIPPET_URL).headers["ETag"]


def test_snippet_stays_within_its_size_budget() -> None:
    # given
    source = snippet_file_path().read_bytes()
    # when
    size = len(gzip.compress(source, compresslevel=9))
    # then
    assert size <= GZIP_BUDGET_BYTES, f"snippet.js is {size} bytes gzipped"
