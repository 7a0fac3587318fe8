"""Requests per second and latency of `POST /storefront/v1/events` under gunicorn.

Run: `.venv/bin/python -m benchmarks.visitor_api [--seconds 15] [--requests 30000] [--db both]`
(targets: at least 1,000 requests/s, p99 under 25 ms).

For SQLite (a temp file) and then PostgreSQL (`BENCH_POSTGRES_URL`, default
`postgresql://postgres@127.0.0.1:5432/test`, in a schema of its own that is dropped afterwards) it
seeds one installation with the default triggers, two channels, a free-shipping threshold,
products and checkouts directly in the database, starts gunicorn (2 workers) on 127.0.0.1 and
drives it from separate client processes with a realistic mix: page views, product views,
`cart_updated` for checkouts whose webhook already arrived (no Saleor query), exit intent, and
action events for actions the server issued. Bounded by request count and time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.visitor_api_load import run_load
from benchmarks.visitor_api_seed import seed
from saleor_proactive.app import create_app
from saleor_proactive.config import settings_from_env
from saleor_proactive.store import migrate
from saleor_proactive.store.db import normalise_url

SECRET = "benchmark-secret"
PRODUCTS = 200
CHECKOUTS = 500
WORKERS = 2
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))  # 1: sync workers


def wsgi_app() -> Flask:
    """The gunicorn entry point: the app with rate limits out of the load generator's way."""
    settings = settings_from_env().with_overrides(
        extra={
            "storefront_limit_visitor": "100000/minute",
            "storefront_limit_address": "10000000/minute",
        }
    )
    return create_app(settings)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(url: str, port: int) -> Any:
    env = {
        **os.environ,
        "PROACTIVE_DATABASE_URL": url,
        "PROACTIVE_SECRET_KEY": SECRET,
        "PROACTIVE_LOG_LEVEL": "WARNING",
    }
    binary = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            binary,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            # Threaded workers keep connections alive, as browsers and proxies do.
            "--worker-class",
            "gthread" if THREADS > 1 else "sync",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "5",
            "benchmarks.visitor_api:wsgi_app()",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of gunicorn's workers (Linux /proc), independent of machine load."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


@contextmanager
def sqlite_database() -> Any:
    folder = tempfile.mkdtemp(prefix="bench-visitor-api-")
    try:
        yield f"sqlite:///{folder}/bench.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_database(base: str) -> Any:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def bench(name: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    seed(url, fresh_until_seconds=args.seconds * 4 + 120)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with gunicorn(url, port) as server:
        cpu_before = server_cpu_seconds(server.pid)
        report, completed = run_load(
            base, SECRET, args.requests, args.seconds, args.clients, args.threads
        )
        cpu = server_cpu_seconds(server.pid) - cpu_before
    print(f"{name:>10}: {report}")
    if completed:
        per_request = cpu / completed * 1000
        print(
            f"{'':>10}  server CPU {per_request:.2f} ms/request (all workers): "
            f"about {1000 / per_request:,.0f} req/s per free core"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--requests", type=int, default=30_000)
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="connections per client")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(
        f"POST /storefront/v1/events, gunicorn {WORKERS} workers x {THREADS} threads, "
        f"{args.clients}x{args.threads} client connections, "
        f"at most {args.requests} requests / {args.seconds:g} s per database"
    )
    if args.db in ("sqlite", "both"):
        with sqlite_database() as url:
            bench("SQLite", url, args)
    if args.db in ("postgresql", "both"):
        base = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
        with postgres_database(base) as url:
            bench("PostgreSQL", url, args)
    print("targets: >= 1,000 req/s, p99 < 25 ms")


if __name__ == "__main__":
    main()
