"""Flask app factory: configuration, database, blueprints, error handlers. Nothing else."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix

from .analytics.routes import blueprint as analytics_blueprint
from .chat.visitor_routes import blueprint as chat_blueprint
from .clock import EXTENSION_KEY as CLOCK_KEY
from .clock import SYSTEM_CLOCK, Clock
from .config import Settings, settings_from_env
from .dashboard.routes import blueprint as dashboard_blueprint
from .errors import register_error_handlers
from .offers.routes import blueprint as offers_blueprint
from .reminders.routes import blueprint as reminders_blueprint
from .saleor.fresh_checkouts import FreshCheckouts
from .saleor.routes import blueprint as saleor_blueprint
from .store.db import Database, Timeouts, get_database
from .storefront.routes import blueprint as storefront_blueprint


def create_app(settings: Settings | None = None, clock: Clock = SYSTEM_CLOCK) -> Flask:
    settings = settings or settings_from_env()
    app = Flask(__name__)
    app.config["PROACTIVE"] = settings
    app.extensions[CLOCK_KEY] = clock
    # No SECRET_KEY: the app keeps no cookie sessions (the Dashboard sends a token, the snippet
    # a visitor id), and without one Flask skips building a session serializer per request.
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    # Answers keep the order the merchant wrote: a localised text falls back to its first
    # entry (CONTRACT §4), which sorted keys would change on the editor's next save.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if settings.trust_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)  # type: ignore[method-assign]

    timeouts = Timeouts(settings.database_connect_timeout, settings.database_statement_timeout)
    Database(settings.database_url, timeouts).init_app(app)
    _connect_subscribers()
    register_error_handlers(app)
    app.extensions[FreshCheckouts.EXTENSION_KEY] = FreshCheckouts.from_settings(settings)
    for blueprint in (
        saleor_blueprint,
        storefront_blueprint,
        offers_blueprint,
        dashboard_blueprint,
        analytics_blueprint,
        chat_blueprint,
        reminders_blueprint,
    ):
        app.register_blueprint(blueprint)
    app.add_url_rule("/healthz", "healthz", healthz)
    return app


def healthz() -> tuple[Response, int]:
    if get_database().ping():
        return jsonify({"status": "ok"}), 200
    return jsonify(
        {
            "status": "unavailable",
            "error": {"code": "database_unavailable", "message": "The database does not answer."},
        }
    ), 503


def _connect_subscribers() -> None:
    # Importing the module connects its receivers (blinker keeps them once).
    from .analytics import subscribers  # noqa: F401
