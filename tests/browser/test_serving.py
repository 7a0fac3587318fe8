"""`GET /storefront/v1/snippet.js`: type, caching, compression, CORS, size budget."""

from __future__ import annotations

import gzip
import re

from flask.testing import FlaskClient

from saleor_proactive.storefront.snippet import MAX_AGE_SECONDS, minify, snippet_file_path

SNIPPET_URL = "/storefront/v1/snippet.js"
GZIP_BUDGET_BYTES = 8 * 1024


def test_snippet_is_served_as_javascript_with_short_caching_and_cors(client: FlaskClient) -> None:
    # when
    response = client.get(SNIPPET_URL, headers={"Origin": "https://shop.example.com"})
    # then
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.data == minify(snippet_file_path().read_bytes())
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
    assert gzip.decompress(response.data) == minify(snippet_file_path().read_bytes())
    assert response.headers["ETag"] != client.get(SNIPPET_URL).headers["ETag"]


def test_the_served_snippet_is_the_source_without_comments_and_whitespace() -> None:
    # given
    source = snippet_file_path().read_bytes()
    # when
    served = minify(source)
    # then: smaller, the licence banner kept, the readable comments gone
    assert len(served) < len(source) * 0.85
    assert served.startswith(b"/*! Saleor Proactive storefront snippet")
    assert b"// Every entry point from the host page goes through guard" in source
    assert b"Every entry point from the host page" not in served


def test_snippet_stays_within_its_size_budget(client: FlaskClient) -> None:
    # given: what browsers download
    served = client.get(SNIPPET_URL).data
    # when
    size = len(gzip.compress(served, compresslevel=9))
    # then
    assert size <= GZIP_BUDGET_BYTES, f"snippet.js is {size} bytes gzipped"


def test_the_snippets_page_types_are_the_apps() -> None:
    # given: the snippet keeps its own copy (it is served alone, without the app's Python)
    from saleor_proactive.dashboard.vocabulary import PAGE_TYPES

    source = snippet_file_path().read_text()
    # when
    copied = re.search(r"PAGE_TYPES: \[([^\]]*)\]", source)
    # then
    assert copied is not None
    assert re.findall(r"'([a-z]+)'", copied.group(1)) == list(PAGE_TYPES)


def test_the_snippet_opens_every_chat_provider_the_app_offers() -> None:
    # given: "none" and "custom" have no opener of their own: both get the open-chat DOM event;
    # the built-in one is in the snippet, the third-party ones in the lazily loaded widgets
    from saleor_proactive.dashboard.vocabulary import CHAT_PROVIDERS

    snippet = snippet_file_path().read_text()
    widgets = (snippet_file_path().parent / "widgets.js").read_text()
    # when
    builtin = re.search(r"var CHAT_OPENERS = \{(.*?)\n  \};", snippet, re.DOTALL)
    adapters = re.search(r"var OPENERS = \{(.*?)\n  \};", widgets, re.DOTALL)
    # then
    assert builtin is not None and adapters is not None
    named = re.findall(
        r"^    ([a-z]+): function", builtin.group(1) + adapters.group(1), re.MULTILINE
    )
    assert sorted(named) == sorted(set(CHAT_PROVIDERS) - {"none", "custom"})


def test_the_widgets_script_is_served_minified_gzipped_and_within_its_budget(
    client: FlaskClient,
) -> None:
    # when
    answer = client.get("/storefront/v1/widgets.js", headers={"Accept-Encoding": "gzip"})
    # then
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert len(answer.data) <= 3 * 1024, f"widgets.js is {len(answer.data)} bytes gzipped"
    assert gzip.decompress(answer.data).startswith(b"/*! Saleor Proactive storefront widgets")


def test_the_snippet_reads_the_preview_fragment_the_app_page_writes() -> None:
    # given: the merchant API's fragment is the one source; the snippet keeps a copy
    from saleor_proactive.storefront.preview import FRAGMENT_KEY

    source = snippet_file_path().read_text()
    # when
    pattern = re.search(r"PREVIEW_HASH: /([a-z-]+)=", source)
    # then
    assert pattern is not None and pattern.group(1) == FRAGMENT_KEY
