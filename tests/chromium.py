"""Debian's Chromium as every browser test launches it (saleor_proactive/sandbox/chromium.py),
and the plain page server the tests use as a host page on an origin of its own."""

from __future__ import annotations

from flask import Flask, Response

from saleor_proactive.sandbox.chromium import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "html_pages_app"]


def html_pages_app(name: str, pages: dict[str, str]) -> Flask:
    """Serves `pages` (path -> HTML), read at request time so tests can add pages later."""
    app = Flask(name)

    @app.get("/<path:path>")
    def page(path: str) -> Response:
        html = pages.get("/" + path)
        if html is None:
            return Response("not found", 404)
        return Response(html, content_type="text/html; charset=utf-8")

    return app
