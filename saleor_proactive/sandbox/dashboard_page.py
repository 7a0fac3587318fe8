"""A stand-in for the Saleor Dashboard's app page: it frames the installed app and speaks
AppBridge (handshake on load and after `notifyReady`, then `localeChanged` and `theme`;
`tokenRefresh` before expiry), with Dashboard tokens signed by the sandbox. Demo-only: any
visitor on loopback gets a token."""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, request

from .install import ExtensionSpec
from .interface import SaleorHost

TOKEN_SECONDS = 300

THEMES = ("light", "dark")
# Locale codes the Dashboard sends (`LocaleCode` of Saleor's app SDK): a few to switch between.
LOCALES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français"}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox Dashboard - {name}</title>
<style>
 body {{ margin: 0; font-family: "Inter var", Inter, system-ui, sans-serif; font-size: 14px;
        background: #ffffff; color: #252828; }}
 body.dark {{ background: #262836; color: #ffffff; }}
 header {{ display: flex; gap: 16px; align-items: center; padding: 8px 16px; height: 44px;
          box-sizing: border-box; border-bottom: 1px solid #d9dee3; }}
 body.dark header {{ border-color: #2b4054; }}
 header span {{ flex: 1; }}
 header nav a {{ color: inherit; }}
 header select, header button {{ font: inherit; color: inherit; background: transparent;
   border: 1px solid #8693a2; border-radius: 6px; padding: 2px 8px; }}
 iframe {{ border: 0; width: 100%; height: calc(100vh - 44px); display: block; }}
</style></head>
<body class="{theme}"><header><span>Sandbox Saleor Dashboard &rsaquo; Apps &rsaquo; {name}</span>
<nav aria-label="Navigation">{navigation}</nav>
<label>Language <select id="locale">{locale_options}</select></label>
<button type="button" id="theme" aria-pressed="{dark_pressed}">Dark theme</button></header>
<iframe id="app" title="{name}" src="{src}"></iframe>
<script>
(function () {{
  var frame = document.getElementById("app");
  var appOrigin = {app_origin};
  var tokenUrl = {token_url};
  var state = {{theme: {theme_json}, locale: {locale_json}}};
  function send(type, payload) {{
    frame.contentWindow.postMessage({{type: type, payload: payload}}, appOrigin);
  }}
  function withToken(type, then) {{
    fetch(tokenUrl).then(function (r) {{ return r.json(); }}).then(function (body) {{
      send(type, {{token: body.token, version: 1, saleorVersion: "3.23",
                   dashboardVersion: "3.23"}});
      if (then) then();
    }});
  }}
  // As the real Dashboard: a handshake when the frame loads and after each notifyReady, then
  // the Dashboard's language and theme as their own events (and again whenever they change).
  function settings() {{
    send("localeChanged", {{locale: state.locale}});
    send("theme", {{theme: state.theme}});
  }}
  frame.addEventListener("load", function () {{ withToken("handshake", settings); }});
  window.addEventListener("message", function (event) {{
    if (event.origin !== appOrigin || !event.data || event.data.type !== "notifyReady") return;
    withToken("handshake", settings);
  }});
  document.getElementById("locale").addEventListener("change", function (event) {{
    state.locale = event.target.value;
    send("localeChanged", {{locale: state.locale}});
  }});
  document.getElementById("theme").addEventListener("click", function (event) {{
    state.theme = state.theme === "dark" ? "light" : "dark";
    document.body.className = state.theme;
    event.target.setAttribute("aria-pressed", String(state.theme === "dark"));
    send("theme", {{theme: state.theme}});
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
        # `?theme=dark&locale=es` opens it as a Dashboard set that way would.
        theme = request.args.get("theme", "light")
        theme = theme if theme in THEMES else "light"
        locale = request.args.get("locale", "en")
        locale = locale if locale in LOCALES else "en"
        query = urlencode(
            {
                "domain": saleor.domain,
                "saleorApiUrl": saleor.api_url,
                "id": installed.global_id,
                "theme": theme,
                "locale": locale,
            }
        )
        options = "".join(
            f'<option value="{code}"{" selected" if code == locale else ""}>{label}</option>'
            for code, label in LOCALES.items()
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
            theme=theme,
            theme_json=json.dumps(theme),
            locale_json=json.dumps(locale),
            locale_options=options,
            dark_pressed=str(theme == "dark").lower(),
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
