"""Signed webhooks verified and stored per second, and the p99 time per webhook.

Runs `saleor-proactive serve` with ONE sync worker on 127.0.0.1 and SQLite, and posts real
checkout webhooks signed with a real RSA key (RS256 detached JWS, as Saleor signs them) over
real HTTP from `--senders` concurrent connections (Saleor delivers from several workers at
once; 1 sends one at a time). Bodies are signed before the clock starts: signing is Saleor's cost.
Every delivery is a real write (new checkouts and newer versions of existing ones).

    .venv/bin/python -m benchmarks.webhooks [--count 3000] [--wsgi]

`--wsgi` drives the WSGI app in-process instead (no HTTP, no gunicorn), to separate the
handler's own time from the server's.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from benchmarks.server import SECRET, serve
from saleor_proactive.sandbox.keys import SigningKey, new_signing_key
from saleor_proactive.store import migrate
from saleor_proactive.store.db import Database
from saleor_proactive.store.installations import upsert_installation
from saleor_proactive.store.snapshot_data import ChannelData
from saleor_proactive.store.snapshots import upsert_channels

SALEOR_API_URL = "http://127.0.0.1:9/graphql/"
MIN_RATE = 500.0  # webhooks per second
MAX_P99_MS = 20.0
Post = Callable[[bytes, dict[str, str]], int]


def checkout_body(index: int, start: datetime) -> bytes:
    """CHECKOUT_UPDATED for checkout `index % 500`, each one newer than the last."""
    lines = [
        {
            "quantity": 1 + (index + n) % 3,
            "variant": {
                "id": f"UHJvZHVjdFZhcmlhbnQ6{n}",
                "product": {"id": f"UHJvZHVjdDo{n}", "category": {"id": "Q2F0ZWdvcnk6MQ=="}},
            },
            "unitPrice": _taxed(12.5),
            "totalPrice": _taxed(12.5 * (1 + (index + n) % 3)),
            "undiscountedTotalPrice": {"amount": 12.5 * (1 + (index + n) % 3), "currency": "EUR"},
        }
        for n in range(3)
    ]
    checkout = {
        "id": f"Q2hlY2tvdXQ6{index % 500:08d}",
        "updatedAt": (start + timedelta(milliseconds=index)).isoformat(),
        "chargeStatus": "NONE",
        "channel": {"slug": "default-channel", "currencyCode": "EUR"},
        "shippingAddress": {"country": {"code": "ES"}},
        "lines": lines,
        "subtotalPrice": _taxed(75.0),
        "totalPrice": _taxed(75.0),
        "discount": {"amount": 0.0, "currency": "EUR"},
    }
    event = {"__typename": "CheckoutUpdated", "issuedAt": start.isoformat(), "checkout": checkout}
    return json.dumps(event).encode()


def _taxed(gross: float) -> dict[str, Any]:
    return {
        "currency": "EUR",
        "gross": {"amount": gross},
        "net": {"amount": round(gross / 1.21, 2)},
    }


def prepare(count: int, key: SigningKey) -> list[tuple[bytes, dict[str, str]]]:
    start = datetime.now(UTC)
    requests_ = []
    for index in range(count):
        body = checkout_body(index, start)
        headers = {
            "Content-Type": "application/json",
            "Saleor-Api-Url": SALEOR_API_URL,
            "Saleor-Event": "checkout_updated",
            "Saleor-Signature": key.sign_detached(body),
        }
        requests_.append((body, headers))
    return requests_


def install(database_url: str, key: SigningKey) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    with database.session() as session:
        installation, _ = upsert_installation(
            session,
            saleor_api_url=SALEOR_API_URL,
            app_id="QXBwOjE=",
            token="benchmark-token",
            jwks=key.jwks(),
            secret=SECRET,
        )
        channel = ChannelData("Q2hhbm5lbDox", "default-channel", "Default", "EUR", "ES")
        upsert_channels(session, installation.id, [channel])
    database.dispose()


def send_all(post: Post, batch: list[Any]) -> list[float]:
    timings = []
    for body, headers in batch:
        before = time.perf_counter()
        status = post(body, headers)
        timings.append(time.perf_counter() - before)
        if status != 200:
            raise RuntimeError(f"webhook answered {status}")
    return timings


def run(post: Post, batch: list[Any], senders: int = 1) -> tuple[float, list[float]]:
    # Each sender takes every n-th webhook; a checkout's versions still arrive in order per sender.
    shares = [batch[i::senders] for i in range(senders)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        results = list(pool.map(lambda share: send_all(post, share), shares))
    return time.perf_counter() - started, [t for timings in results for t in timings]


def report(mode: str, count: int, elapsed: float, timings: list[float], senders: int) -> None:
    timings.sort()
    p50 = timings[len(timings) // 2] * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    rate = count / elapsed
    print(f"webhooks benchmark — {mode}, SQLite, one worker, {count} signed CHECKOUT_UPDATED")
    print(f"  senders:    {senders} concurrent")
    print(f"  throughput: {rate:8.1f} webhooks/s   (target >= {MIN_RATE:.0f})")
    print(f"  p50:        {p50:8.2f} ms")
    print(f"  p99:        {p99:8.2f} ms        (target < {MAX_P99_MS:.0f})")
    print("  (times per webhook as the client sees them: an upper bound of the handler's time)")
    print(f"  machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--wsgi", action="store_true", help="in-process WSGI, no HTTP")
    parser.add_argument("--senders", type=int, default=4, help="concurrent connections (HTTP)")
    args = parser.parse_args()
    key = new_signing_key()
    with tempfile.TemporaryDirectory() as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'bench.db'}"
        install(database_url, key)
        warmup, batch = prepare(200, key), prepare(args.count, key)
        senders = 1 if args.wsgi else max(1, args.senders)
        mode, post, stop = (wsgi_poster if args.wsgi else http_poster)(database_url)
        try:
            run(post, warmup, senders)
            elapsed, timings = run(post, batch, senders)
        finally:
            stop()
    report(mode, args.count, elapsed, timings, senders)


def http_poster(database_url: str) -> tuple[str, Post, Any]:
    server = ExitStack()
    base, _ = server.enter_context(serve(database_url, workers=1, worker_class="sync"))
    local = threading.local()  # one keep-alive session per sender thread
    url = f"{base}/api/webhooks/checkout-events"

    def post(body: bytes, headers: dict[str, str]) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return int(local.session.post(url, data=body, headers=headers).status_code)

    return f"real HTTP to saleor-proactive serve --workers 1 at {base}", post, server.close


def wsgi_poster(database_url: str) -> tuple[str, Post, Any]:
    from saleor_proactive.app import create_app
    from saleor_proactive.config import Settings

    app = create_app(Settings(database_url=database_url, secret_key=SECRET))
    client = app.test_client()

    def post(body: bytes, headers: dict[str, str]) -> int:
        return client.post("/api/webhooks/checkout-events", data=body, headers=headers).status_code

    return "in-process WSGI (Flask test client, no HTTP)", post, lambda: None


if __name__ == "__main__":
    main()
