"""Fakes and helpers for the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, g, request
from werkzeug.serving import BaseWSGIServer, make_server

from saleor_proactive.storefront.snippet import register_snippet_route

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SALEOR_API_URL = "https://shop.example.com/graphql/"

Reply = Callable[[dict[str, Any]], Any]


def bar_action(message: str, remaining: float = 12.0, trigger: str = "t-bar") -> dict[str, Any]:
    return {
        "id": f"a-{trigger}-{remaining}",
        "triggerId": trigger,
        "type": "free_shipping_notice",
        "slot": "bar",
        "showAfterMs": 0,
        "message": message,
        "data": {
            "remaining": {"amount": remaining, "currency": "EUR"},
            "threshold": {"amount": 50.0, "currency": "EUR"},
        },
    }


def bubble_action(
    message: str = "Stuck? We are here to help.",
    after_ms: int = 0,
    trigger: str = "t-bubble",
    cta: str | None = "Chat with us",
) -> dict[str, Any]:
    action = {
        "id": f"a-{trigger}-{after_ms}",
        "triggerId": trigger,
        "type": "chat_prompt",
        "slot": "bubble",
        "showAfterMs": after_ms,
        "message": message,
    }
    if cta:
        action["cta"] = cta
    return action


@dataclass
class FakeApi:
    """The visitor API's public contract, canned. `reply(request_json)` returns the answer:
    a dict (200 JSON), an int (that status), the string "garbage" or "hang".

    One server serves the whole session; each test gets its own path prefix (the API base the
    snippet derives from its `src`), so a late beacon from an earlier test never counts."""

    server: BaseWSGIServer | None = None
    prefix: str = "t0"
    reply: Reply = lambda body: {"actions": [], "chat": {"provider": "none"}}
    requests: list[dict[str, Any]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}/{self.prefix}"

    def reset(self, prefix: str) -> None:
        self.release.set()  # let a hanging answer from the previous test finish
        self.prefix = prefix
        self.reply = FakeApi.reply
        self.requests = []
        self.content_types = []
        self.release = threading.Event()

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        found = [e for body in list(self.requests) for e in body.get("events", [])]
        return [e for e in found if kind is None or e["type"] == kind]

    def wait_for(self, kind: str, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.events(kind)) >= count:
                return self.events(kind)
            time.sleep(0.05)
        raise AssertionError(f"no {count} {kind} event(s) reached the API: {self.requests}")


def fake_api_app(api: FakeApi) -> Flask:
    app = Flask("fake_visitor_api")
    blueprint = Blueprint("storefront", __name__, url_prefix="/<prefix>")

    @blueprint.url_value_preprocessor
    def take_prefix(endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.prefix = (values or {}).pop("prefix", "")

    register_snippet_route(blueprint)

    @blueprint.post("/storefront/v1/events")
    def events() -> Response:
        if g.prefix != api.prefix:
            return Response("stale", 410)
        body = json.loads(request.get_data(as_text=True))
        api.requests.append(body)
        api.content_types.append(request.mimetype)
        answer = api.reply(body)
        if answer == "hang":
            api.release.wait(15)
            answer = 504
        if answer == "garbage":
            response = Response("{not json", content_type="application/json")
        elif isinstance(answer, int):
            response = Response(json.dumps({"error": {"code": "x", "message": "x"}}), answer)
        else:
            response = Response(json.dumps(answer), content_type="application/json")
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
        return response

    app.register_blueprint(blueprint)
    return app


def serve_app(app: Flask) -> tuple[BaseWSGIServer, threading.Thread]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@dataclass
class HostShop:
    """A bare shop on its own origin: pages are registered as HTML strings by path."""

    api: FakeApi
    pages: dict[str, str] = field(default_factory=dict)
    server: BaseWSGIServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}"

    def tag(self, extra: str = "") -> str:
        return (
            f'<script async src="{self.api.url}/storefront/v1/snippet.js" '
            f'data-saleor-api-url="{SALEOR_API_URL}" data-channel="default-channel" {extra}>'
            "</script>"
        )

    def add(
        self,
        path: str,
        body: str = "<h1>Shop</h1><p>Welcome.</p>",
        head: str = "",
        lang: str = "en",
        page: str = "home",
        tag_attrs: str = "",
    ) -> str:
        self.pages[path] = (
            f'<!doctype html><html lang="{lang}" data-proactive-page="{page}"><head>'
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            '<link rel="icon" href="data:,">'
            f"<title>Shop</title>{head}</head><body>{body}{self.tag(tag_attrs)}</body></html>"
        )
        return self.url + path


@dataclass
class Tab:
    page: Any
    errors: list[str]


# The snippet's `saleor-proactive:decided` events, kept in the page for the test to wait on,
# and every call that could send events (fetch, sendBeacon), counted the moment it is made.
RECORD_DECISIONS = """
window.__decisions = []; window.__sent = 0;
document.addEventListener('saleor-proactive:decided',
  (event) => window.__decisions.push(event.detail));
const __fetch = window.fetch, __beacon = navigator.sendBeacon;
window.fetch = function () { window.__sent++; return __fetch.apply(this, arguments); };
navigator.sendBeacon = function () {
  window.__sent++;
  return __beacon.apply(navigator, arguments);
};
"""


def record_decisions(context_or_page: Any) -> None:
    """Make every page (of the context) record the snippet's decisions; call before `goto`."""
    context_or_page.add_init_script(RECORD_DECISIONS)


def wait_for_decisions(page: Any, count: int = 1, timeout: float = 5000) -> list[dict[str, Any]]:
    """Wait until the snippet has settled `count` requests on this page; return their details."""
    page.wait_for_function(f"(window.__decisions || []).length >= {count}", timeout=timeout)
    return list(page.evaluate("window.__decisions"))


def sent_after_pending_timers(page: Any) -> int:
    """How many requests the page has made once the timers already due (the snippet's
    zero-delay flush) have run: one macrotask later, every send has called fetch."""
    return int(page.evaluate("new Promise((done) => setTimeout(() => done(window.__sent)))"))


def pause_clock(page: Any) -> int:
    """Stop the page's (installed, running) clock a moment from now; return the page's time then,
    in ms since the epoch. Pausing in the past is refused: time ran on meanwhile, so try again."""
    from playwright.sync_api import Error

    for _ in range(5):
        moment = int(page.evaluate("Date.now()")) + 20
        try:
            page.clock.pause_at(moment / 1000)  # Playwright takes a number as seconds
        except Error as error:
            if "to the past" not in error.message:
                raise
            continue
        return moment
    raise AssertionError("could not pause the page's clock")


def wait_for_animations(page: Any) -> None:
    """Wait until the widget's entrance animations have finished (for screenshots)."""
    page.wait_for_function(
        "() => { const host = document.querySelector('saleor-proactive');"
        " return !host || host.shadowRoot.getAnimations().length === 0; }"
    )


def widget(page: Any, selector: str) -> Any:
    """A locator inside the widget's (open) shadow root; Playwright pierces open roots."""
    return page.locator(f"saleor-proactive {selector}")


def publish(path: Path) -> Path:
    """Copy a screenshot next to the README (docs/screenshots/) when asked to.

    Only with PROACTIVE_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the tree clean.
    """
    if os.environ.get("PROACTIVE_UPDATE_SCREENSHOTS") != "1":
        return path
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(path, DOCS_SCREENSHOTS / path.name))


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@dataclass
class DemoShop:
    url: str
    installed: Any

    def use_rules(
        self,
        *documents: dict[str, Any],
        chat: dict[str, Any] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        """Replace the installation's triggers (and optionally patch its merchant settings)."""
        from saleor_proactive.rulebook import create_trigger
        from saleor_proactive.store.db import get_database
        from saleor_proactive.store.installations import get_installation_by_id
        from saleor_proactive.store.merchant_settings import load_settings, save_settings
        from saleor_proactive.store.triggers import delete_trigger, list_triggers

        installation_id = self.installed.installation_id
        with get_database(self.installed.live.app).session() as session:
            for trigger in list_triggers(session, installation_id):
                delete_trigger(session, installation_id, trigger.id)
            for document in documents:
                create_trigger(session, installation_id, document)
            patch = {**(settings or {}), **({"chat": chat} if chat is not None else {})}
            if patch:
                installation = get_installation_by_id(session, installation_id)
                assert installation is not None
                save_settings(session, installation, load_settings(installation).updated(patch))


def rule(name: str, when: dict[str, Any], show: dict[str, Any]) -> dict[str, Any]:
    """A rule document with no hold-out and a generous frequency, for deterministic tests."""
    return {
        "name": name,
        "enabled": True,
        "priority": 100,
        "channels": [],
        "when": when,
        "show": show,
        "frequency": {"maxPerVisitor": 50, "per": "session", "cooldownMinutes": 0},
        "holdoutPercent": 0,
    }


FREE_SHIPPING_RULE = rule(
    "Free-shipping progress",
    {"remainingToFreeShipping": {"lte": 45}},
    {
        "type": "free_shipping_notice",
        "message": {
            "en": "You are {remaining} away from free shipping",
            "es": "Te faltan {remaining} para el envío gratis",
        },
        "reachedMessage": {
            "en": "You've unlocked free shipping!",
            "es": "¡Tienes el envío gratis!",
        },
    },
)


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


SETTLE_ANIMATIONS = """() => {
  const roots = [document, ...Array.from(document.querySelectorAll('*'))
    .filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
  const running = roots.flatMap((r) => r.getAnimations ? r.getAnimations() : [])
    .filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity);
  const done = Promise.all(running.map((a) => a.finished.catch(() => null)));
  return Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000))]);
}"""


def axe_violations(page_or_frame: Any) -> list[str]:
    """Run axe-core (the copy axe-playwright-python ships) on a page or frame, open shadow roots
    included, against the WCAG 2.1 A and AA rules; return one line per violating element."""
    from axe_playwright_python.sync_playwright import Axe

    # A widget fading in has, for a quarter of a second, text too faint to pass: let entry
    # animations (shadow roots included) finish, so axe judges what stays on screen.
    page_or_frame.evaluate(SETTLE_ANIMATIONS)
    results = Axe().run(
        page_or_frame,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']}: {node['target']} {node.get('failureSummary', '')}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]
