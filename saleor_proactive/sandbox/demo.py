"""`saleor-proactive demo`: the app, a sandbox Saleor with the app installed, the sandbox's
Dashboard page and (when present) the demo storefront, all on 127.0.0.1 with SQLite in a
temporary folder. Blocks until Ctrl-C."""

from __future__ import annotations

import importlib.util
import secrets
import shutil
import signal
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from ..chat.runtime import get_chat
from ..config import configure_logging, settings_from_env
from ..jobs.tasks import (
    BackgroundConsumer,
    build_jobs,
    start_background_consumer,
    stop_background_consumer,
)
from ..store import migrate
from ..store.db import get_database
from .delivery import SALEOR_RETRY_DELAYS
from .demo_guide import guide_lines
from .seed import DEFAULT_CHANNEL
from .server import QuietHandler, SandboxSaleor

HOST = "127.0.0.1"


@dataclass
class Demo:
    """Everything the demo started, so it can be stopped (and tested) as one."""

    workdir: Path
    app_url: str
    saleor: SandboxSaleor
    servers: list[tuple[BaseWSGIServer, threading.Thread]] = field(default_factory=list)
    shop_url: str | None = None
    flask_app: Flask | None = None
    consumer: BackgroundConsumer | None = None  # the queue's worker, in this process

    def stop(self) -> None:
        while self.servers:
            server, thread = self.servers.pop()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        if self.consumer is not None:
            stop_background_consumer(self.consumer)
            self.consumer = None
        self.saleor.stop()
        if self.flask_app is not None:
            get_chat(self.flask_app).fanout.close()  # its watcher would outlive the files
            get_database(self.flask_app).dispose()
            self.flask_app = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def lines(self) -> list[str]:
        app_id = self.saleor.only_app()
        lines = [
            f"App                  {self.app_url}",
            f"  manifest           {self.app_url}/api/manifest",
            f"Sandbox Saleor API   {self.saleor.api_url}",
            f"  Dashboard (app)    {self.saleor.url}/dashboard/",
            f"  installed app id   {app_id.global_id if app_id else '-'}",
        ]
        if self.shop_url:
            lines.append(f"Demo storefront      {self.shop_url}")
        lines.append(f"Data (SQLite)        {self.workdir}")
        return lines

    def ports(self) -> dict[str, int]:
        """What listens on which port of 127.0.0.1."""
        found = {"app": _port_of(self.app_url), "sandbox Saleor": self.saleor.port}
        if self.shop_url:
            found["storefront"] = _port_of(self.shop_url)
        return found


def _port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url  # every demo URL names its port
    return port


def _serve(app: Any, port: int) -> tuple[BaseWSGIServer, threading.Thread]:
    server = make_server(HOST, port, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    return server, thread


def _free_port(preferred: int = 0) -> int:
    """`preferred` when it is free (stable URLs from run to run), else any free port."""
    for candidate in (preferred, 0) if preferred else (0,):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, candidate))
            except OSError:
                continue
            port: int = probe.getsockname()[1]
            return port
    raise OSError("no free port")


def start_demo(port: int) -> Demo:
    """Start everything and install the app into the sandbox; the caller stops the Demo."""
    from ..app import create_app

    port = port or _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="saleor-proactive-demo-"))
    database_url = f"sqlite:///{workdir / 'proactive.db'}"
    app_url = f"http://{HOST}:{port}"
    settings = settings_from_env().with_overrides(
        database_url=database_url,
        secret_key=secrets.token_urlsafe(32),
        public_url=app_url,
        allowed_saleor_urls=(f"http://{HOST}:*",),
        queue_url=None,  # a SQLite queue beside the demo's database
    )
    configure_logging(settings.log_level)
    migrate.upgrade(database_url)
    saleor = SandboxSaleor(retry_delays=SALEOR_RETRY_DELAYS).start(_free_port(port + 1))
    demo = Demo(workdir, app_url, saleor)
    try:
        demo.flask_app = create_app(settings)
        jobs = build_jobs(settings, database=get_database(demo.flask_app))
        demo.consumer = start_background_consumer(jobs)
        demo.servers.append(_serve(demo.flask_app, port))
        saleor.install_app(f"{app_url}/api/manifest")
        _start_shop(demo)
    except BaseException:
        demo.stop()
        raise
    return demo


def _start_shop(demo: Demo) -> None:
    # The demo storefront is optional: it lives in sandbox/shop/ when it has been built.
    if importlib.util.find_spec(f"{__package__}.shop") is None:
        return
    from .shop import create_shop_app  # type: ignore[attr-defined,unused-ignore]

    shop = create_shop_app(demo.saleor, demo.app_url, DEFAULT_CHANNEL)
    server, thread = _serve(shop, _free_port(demo.saleor.port + 1))
    demo.servers.append((server, thread))
    demo.shop_url = f"http://{HOST}:{server.server_port}"


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_demo(port: int) -> None:
    try:
        demo = start_demo(port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot start the demo on {HOST}:{port}: {exc} (another port: make demo PORT=8100)"
        ) from exc
    click.echo("Saleor Proactive demo is running.\n")
    for line in guide_lines(demo.shop_url, f"{demo.saleor.url}/dashboard/"):
        click.echo(line)
    click.echo("\nEverything it started:\n")
    for line in demo.lines():
        click.echo(f"  {line}")
    ports = ", ".join(f"{name} {port}" for name, port in demo.ports().items())
    click.echo(f"\nPorts on {HOST}: {ports} (another start: make demo PORT=<app port>).")
    click.echo("\nPress Ctrl-C to stop.")
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("\nstopping")
    finally:
        demo.stop()
