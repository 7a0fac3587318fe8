"""A stand-in for the Saleor Dashboard's app page: it frames the installed app and speaks
AppBridge (handshake on load and after `notifyReady`, `tokenRefresh` before expiry), with
Dashboard tokens signed by the sandbox. Demo-only: any visitor on loopback gets a token."""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, request

from .install import ExtensionSpec
from .interface import SaleorHost

TOKEN_SECONDS = 300

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox Dashboard - {name}</title>
<style>
 body {{ margin: 0; font-family: system-ui, sans-serif; background: #f4f4f6; }}
 header {{ display: flex; gap: 16px; padding: 10px 16px; background: #1f2937; color: #fff;
           font-size: 14px; }}
 header a {{ color: #fff; }}
 iframe {{ border: 0; width: 100%; height: calc(100vh - 40px); background: #fff; }}
</style></head>
<body><header>Sandbox Saleor Dashboard &rsaquo; Apps &rsaquo; {name}
<nav aria-label="Navigation">{navigation}</nav></header>
<iframe id="app" src="{src}"></iframe>
<script>
(function () {{
  var frame = document.getElementById("app");
  var appOrigin = {app_origin};
  var tokenUrl = {token_url};
  function send(type, payload) {{
    frame.contentWindow.postMessage({{type: type, payload: payload}}, appOrigin);
  }}
  function withToken(type) {{
    fetch(tokenUrl).then(function (r) {{ return r.json(); }}).then(function (body) {{
      send(type, {{token: body.token, version: 1, saleorVersion: "3.23", dashboardVersion: "3.23",
                   theme: "light", locale: "en"}});
    }});
  }}
  frame.addEventListener("load", function () {{ withToken("handshake"); }});
  window.addEventListener("message", function (event) {{
    if (event.origin !== appOrigin || !event.data || event.data.type !== "notifyReady") return;
    withToken("handshake");
  }});
  setInterval(function () {{ withToken("tokenRefresh"); }}, {refresh_ms});
}})();
</script></body></html>
"""


NAVIGATION_PREFIX = "navigation_"  # mounts the Dashboard places in its side navigation


def add_dashboard_routes(app: Flask, saleor: SaleorHost) -> None:
    @app.get("/dashboard/")
    @app.get("/dashboard/app/<path:deep_path>")
    def dashboard(deep_path: str = "") -> tuple[str, int]:
        """The app page; `/dashboard/app/<path>` frames `appUrl/<path>`, as the Dashboard's
        `/apps/<id>/app/<path>` does for an APP_PAGE extension."""
        installed = saleor.only_app()
        if installed is None or not installed.app_url:
            return "<p>No app with an app page is installed.</p>", 404
        query = urlencode(
            {
                "domain": saleor.domain,
                "saleorApiUrl": saleor.api_url,
                "id": installed.global_id,
                "theme": "light",
            }
        )
        src = installed.app_url.rstrip("/") + ("/" + deep_path if deep_path else "")
        app_origin = "/".join(installed.app_url.split("/")[:3])
        page = PAGE.format(
            name=html.escape(installed.name),
            navigation=_navigation(installed.extensions),
            src=html.escape(f"{src}?{query}"),
            app_origin=json.dumps(app_origin),
            token_url=json.dumps(f"/dashboard/token?app={installed.global_id}"),
            refresh_ms=(TOKEN_SECONDS - 60) * 1000,
        )
        return page, 200

    @app.get("/dashboard/token")
    def token() -> tuple[Response, int]:
        app_id = request.args.get("app", "")
        if saleor.app_by_id(app_id) is None:
            return jsonify({"error": "unknown app"}), 404
        signed = saleor.sign_dashboard_token(
            app_id, user_permissions=["MANAGE_APPS"], exp_seconds=TOKEN_SECONDS
        )
        return jsonify({"token": signed}), 200


def _navigation(extensions: list[ExtensionSpec]) -> str:
    """Links for the app's APP_PAGE extensions under a navigation mount (relative urls)."""
    links = [
        f'<a href="/dashboard/app/{html.escape(e.url.lstrip("/"))}">{html.escape(e.label)}</a>'
        for e in extensions
        if e.mount.startswith(NAVIGATION_PREFIX)
        and e.target == "app_page"
        and e.url.startswith("/")
    ]
    return "".join(links)
