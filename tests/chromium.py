"""Debian's Chromium as every browser test launches it (tests run as root: no sandbox), and
the plain page server the tests use as a host page on an origin of its own."""

from __future__ import annotations

from flask import Flask, Response

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling hosts this closed network
# refuses; a new profile per launch keeps tests independent.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
