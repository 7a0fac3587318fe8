"""A minimal Saleor app on a real HTTP server that records what the sandbox sends it.

It lets the sandbox's own protocol be tested in isolation (refused installs, redirects,
retries) with the project's real webhook documents; the end-to-end tests use the real app.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, jsonify, redirect, request
from werkzeug.serving import make_server

from saleor_proactive.assets import asset_dir
from saleor_proactive.saleor.webhooks import WEBHOOKS
from saleor_proactive.sandbox.server import QuietHandler
from tests.fixtures.live import LiveServer

ALL_PERMISSIONS = [
    "MANAGE_CHECKOUTS",
    "MANAGE_DISCOUNTS",
    "MANAGE_ORDERS",
    "MANAGE_PRODUCTS",
    "MANAGE_SHIPPING",
]
# The app's own webhook declarations: the recording app subscribes to the same events.
WEBHOOK_EVENTS = {definition.name: list(definition.events) for definition in WEBHOOKS}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingApp:
    live: LiveServer | None = None
    thread: threading.Thread | None = None
    received: list[Received] = field(default_factory=list)
    register_status: int = 200
    register_body: dict[str, Any] = field(default_factory=lambda: {"success": True})
    # Statuses for the next webhook answers, in order; 200 once they run out.
    webhook_statuses: list[int] = field(default_factory=list)
    edit_manifest: Callable[[dict[str, Any]], None] = lambda manifest: None

    @property
    def url(self) -> str:
        assert self.live is not None
        return self.live.url

    @property
    def manifest_url(self) -> str:
        return f"{self.url}/api/manifest"

    def manifest(self) -> dict[str, Any]:
        webhooks = [
            {
                "name": name,
                "asyncEvents": events,
                "query": (asset_dir("webhooks") / f"{name}.graphql").read_text(),
                "targetUrl": f"{self.url}/api/webhooks/{name}",
                "isActive": True,
            }
            for name, events in WEBHOOK_EVENTS.items()
        ]
        manifest = {
            "id": "test.recording-app",
            "name": "Recording app",
            "version": "1.0.0",
            "permissions": list(ALL_PERMISSIONS),
            "appUrl": f"{self.url}/app",
            "tokenTargetUrl": f"{self.url}/api/register",
            "webhooks": webhooks,
        }
        self.edit_manifest(manifest)
        return manifest

    def on(self, path_prefix: str) -> list[Received]:
        return [r for r in self.received if r.path.startswith(path_prefix)]

    def token(self) -> str:
        return str(json.loads(self.on("/api/register")[-1].body)["auth_token"])


def _flask_app(recorder: RecordingApp) -> Flask:
    app = Flask("recording_app")

    def record() -> None:
        recorder.received.append(Received(request.path, dict(request.headers), request.get_data()))

    @app.get("/api/manifest")
    def manifest() -> Response:
        record()
        return jsonify(recorder.manifest())

    @app.get("/moved/manifest")
    def moved() -> Response:
        record()
        return redirect("/api/manifest")  # type: ignore[return-value]

    @app.post("/api/register")
    def register() -> tuple[Response, int]:
        record()
        return jsonify(recorder.register_body), recorder.register_status

    @app.post("/api/webhooks/<name>")
    def webhook(name: str) -> tuple[str, int]:
        record()
        status = recorder.webhook_statuses.pop(0) if recorder.webhook_statuses else 200
        return "", status

    return app


def start_recording_app() -> RecordingApp:
    recorder = RecordingApp()
    app = _flask_app(recorder)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    recorder.live = LiveServer(app, server)
    recorder.thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    recorder.thread.start()
    return recorder


def stop_recording_app(recorder: RecordingApp) -> None:
    assert recorder.live is not None and recorder.thread is not None
    recorder.live.server.shutdown()
    recorder.thread.join(timeout=5)
