"""Serving the storefront snippet: `GET /storefront/v1/snippet.js`.

Any shop may embed it, so it is public and CORS-open. A short max-age plus an ETag lets browsers
revalidate cheaply (304) while a new release still reaches every shop within minutes. It is
gzipped once per file version when the browser accepts gzip, so no proxy is required for that.

The repository keeps the snippet readable; what is served is that source with comments and
whitespace stripped (rjsmin, which renames nothing), made once per file version. That keeps
the 8 KB gzip budget without a build step, and the browser tests run the served copy.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rjsmin
from flask import Blueprint, Response, request

from ..assets import asset_dir

SNIPPET_PATH = "/storefront/v1/snippet.js"
SNIPPET_FILE = "snippet.js"
# What only a shown widget needs (styles, progress bar, chat adapters): fetched by the snippet
# when it first plans an action, so the first-load snippet stays small.
WIDGETS_PATH = "/storefront/v1/widgets.js"
WIDGETS_FILE = "widgets.js"
COMPARE_PATH = "/storefront/v1/compare.js"
COMPARE_FILE = "compare.js"
MAX_AGE_SECONDS = 300
CONTENT_TYPE = "text/javascript; charset=utf-8"


@dataclass(frozen=True)
class SnippetFile:
    body: bytes
    gzipped: bytes
    etag: str


def snippet_file_path() -> Path:
    return asset_dir("storefront_snippet") / SNIPPET_FILE


def minify(source: bytes) -> bytes:
    """The served form of the snippet: comments and whitespace gone, the licence banner kept."""
    return rjsmin.jsmin(source, keep_bang_comments=True)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> SnippetFile:
    # Keyed on the modification time: an edited file is picked up without a restart.
    body = minify(path.read_bytes())
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return SnippetFile(body, gzipped, hashlib.sha256(body).hexdigest()[:32])


def load_snippet() -> SnippetFile:
    path = snippet_file_path()
    return _load(path, path.stat().st_mtime_ns)


def serve_snippet() -> Response:
    return serve_script(snippet_file_path())


def serve_widgets() -> Response:
    return serve_script(asset_dir("storefront_snippet") / WIDGETS_FILE)


def serve_script(path: Path) -> Response:
    """A storefront script (the snippet, the chat it loads), gzipped, cached and CORS-open."""
    snippet = _load(path, path.stat().st_mtime_ns)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    response = Response(snippet.gzipped if use_gzip else snippet.body, content_type=CONTENT_TYPE)
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    # Each encoding is its own representation, so each gets its own validator.
    response.set_etag(snippet.etag + ("-gz" if use_gzip else ""))
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.make_conditional(request)  # turns a matching If-None-Match into a 304
    return response


def serve_compare() -> Response:
    return serve_script(asset_dir("storefront_snippet") / COMPARE_FILE)


def register_snippet_route(blueprint: Blueprint) -> None:
    """Add the scripts' routes to the storefront blueprint (called once by storefront/routes.py):
    the snippet, and the comparison panel it loads when a visitor opens a comparison."""
    blueprint.add_url_rule(SNIPPET_PATH, "snippet", serve_snippet, methods=["GET"])
    blueprint.add_url_rule(WIDGETS_PATH, "widgets", serve_widgets, methods=["GET"])
    blueprint.add_url_rule(COMPARE_PATH, "compare", serve_compare, methods=["GET"])
