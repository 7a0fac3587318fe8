"""HTTP routes of the dashboard area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ..http import public_base_url
from ..storefront.snippet import SNIPPET_PATH
from .graphql_view import graphql_endpoint
from .messages import catalogues
from .vocabulary import vocabulary

blueprint = Blueprint(
    "dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/app/static",
)

# Scripts and styles come only from our own files, so no inline code can run; the page may be
# framed by any Dashboard (its origin is the installation's, unknown in advance).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


@blueprint.get("/app")
@blueprint.get("/app/chat")  # the manifest's Dashboard extension: the Chat tab opens first
def app_page() -> Response:
    # The Dashboard's theme is known from the URL: painting it from the first frame avoids a
    # light flash inside a dark Dashboard.
    theme = "dark" if request.args.get("theme") == "dark" else "light"
    html = render_template(
        "dashboard/app.html",
        base_url=public_base_url(),
        vocabulary=vocabulary(),
        messages=catalogues(),
        theme=theme,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# The preview frame runs the storefront snippet, which styles its Shadow DOM inline; the page
# holds no data (the app page sends what to show) and sends nothing anywhere.
PREVIEW_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'none'; form-action 'none'; base-uri 'none'; "
    "object-src 'none'"
)


@blueprint.get("/app/preview")
def preview_page() -> Response:
    html = render_template("dashboard/preview.html", snippet_url=SNIPPET_PATH)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


blueprint.add_url_rule("/api/graphql", "graphql", graphql_endpoint, methods=["POST"])
