"""`saleor-proactive serve`: gunicorn with the app, its worker class, header limits and JSON
error pages.

gunicorn refuses an oversized or malformed request itself, before the app sees it, with an HTML
page. Its header-field limit is raised above the app's own limits (so the app answers those in
its JSON shape, naming the problem), and its error pages are written in the same JSON shape.

Worker classes (docs/operations.md, The server): `gevent` (the default on PostgreSQL) serves
each connection in a greenlet, so a chat long poll waiting 25 s costs a few dozen KiB instead of
a thread; `gthread` (the default on SQLite) and `sync` are gunicorn's others. A gevent worker
patches the standard library (sockets, threads, `select`, `ssl`, `time.sleep`) after gunicorn
forks it, and a module imported before that keeps what it bound at import: psycopg picks a wait
function that blocks the whole process (`psycopg.waiting`), urllib3 keeps the unpatched
`SSLContext`, a module-level lock or thread-local stays a real one shared by every greenlet. So
this module and the master process import none of the app: the app is created in each worker,
migrations run in a child process (`cli.py`), and a gevent worker refuses to start if its parent
imported any of `APP_STACK`.
"""

from __future__ import annotations

import gc
import json
import socket
import sys
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import Settings
from .dashboard.token_limit import MAX_TOKEN_LENGTH

# A Dashboard token up to the app's limit, with room for the header's name: the app decides.
HEADER_FIELD_LIMIT = 2 * MAX_TOKEN_LENGTH
WORKER_CLASSES = ("gevent", "gthread", "sync")
GTHREAD_THREADS = 32  # a gthread worker's threads unless --threads says otherwise


def default_worker_class(database_url: str) -> str:
    """gevent on PostgreSQL: a thousand chat visitors wait in long polls beside the visitor API.
    Threads on a SQLite file: gevent workers there took turns at its write lock so unevenly
    that the visitor API's p99 rose from about 9 ms to 170-330 ms (two workers, 2026-12-05),
    while 32 threads kept it at 12-14 ms and still hold 32 waiting visitors per worker.
    (A prefix, not SQLAlchemy's URL parser: the server process must not import sqlalchemy.)"""
    return "gthread" if database_url.startswith("sqlite") else "gevent"


# What must first be imported in a gevent worker after it patched the standard library.
APP_STACK = ("saleor_proactive.app", "flask", "sqlalchemy", "psycopg", "requests", "urllib3")


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    workers: int
    worker_class: str
    threads: int  # gthread
    worker_connections: int  # gevent
    access_log: bool


def write_json_error(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """Drop-in for `gunicorn.util.write_error`: the same answer, in the app's error shape."""
    from gunicorn import util

    from .errors import code_for_reason  # in the worker: the app is imported there

    body = json.dumps(
        {"error": {"code": code_for_reason(reason), "message": message or reason}}
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def use_json_error_pages() -> None:
    """Make gunicorn (in this process and the workers it forks) write JSON error pages."""
    from gunicorn import util

    util.write_error = write_json_error


def imported_too_early() -> list[str]:
    """The parts of the app's stack already imported (in a worker before it patches)."""
    return [name for name in APP_STACK if name in sys.modules]


def _refuse_an_early_import(_arbiter: Any, worker: Any) -> None:
    # gunicorn's post_fork hook: in the new worker, before a gevent worker patches.
    if worker.cfg.worker_class_str == "gevent" and (early := imported_too_early()):
        raise RuntimeError(
            f"imported before gevent patched the standard library: {', '.join(early)}; "
            "the server process must not import the app"
        )


class Server(BaseApplication):
    def __init__(self, settings: Settings, options: ServerOptions) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        options = self.options
        self.cfg.set("bind", f"{options.host}:{options.port}")
        self.cfg.set("workers", options.workers)
        self.cfg.set("worker_class", options.worker_class)
        self.cfg.set("threads", options.threads)
        self.cfg.set("worker_connections", options.worker_connections)
        self.cfg.set("accesslog", "-" if options.access_log else None)
        self.cfg.set("loglevel", self.settings.log_level.lower())
        self.cfg.set("limit_request_field_size", HEADER_FIELD_LIMIT)
        self.cfg.set("post_fork", _refuse_an_early_import)

    def load(self) -> Any:  # in each worker, after the fork (and gevent's patching)
        from .app import create_app
        from .store.db import get_database

        app = create_app(self.settings)
        # Modules, schemas and compiled statements live as long as the worker: leave them
        # out of the garbage collector's full passes, which scanned them all and stalled a
        # busy worker for 50-100 ms every few seconds. (Collected first: garbage frozen
        # would stay for the worker's life.)
        gc.collect()
        gc.freeze()
        get_database(app).start_wal_checkpoints()  # SQLite: none inside requests
        return app


def run_server(settings: Settings, options: ServerOptions) -> None:
    use_json_error_pages()
    Server(settings, options).run()
