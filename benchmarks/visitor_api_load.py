"""The load generator of benchmarks/visitor_api.py: client processes with a realistic event mix.

Each client thread owns a slice of visitors and plays them one request at a time, as a browser
would: mostly page views, some product views, cart updates, exit intent, and reports of the
actions the server answered with (shown, then sometimes clicked or dismissed).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

SHOP_URL = "https://bench.example.com/graphql/"
VISITORS_PER_THREAD = 200
PAGES = [
    ("https://bench.example.com/", "home"),
    ("https://bench.example.com/categories/coffee", "category"),
    ("https://bench.example.com/products/beans", "product"),
    ("https://bench.example.com/search?q=mug", None),
    ("https://bench.example.com/cart", None),
    ("https://bench.example.com/checkout", None),
    ("https://bench.example.com/contact", None),
    ("https://bench.example.com/faq", "faq"),
]


@dataclass
class VisitorPlay:
    visitor_id: str
    checkout_id: str | None
    pending: list[str] = field(default_factory=list)  # action ids answered, not yet reported


def _events(rng: random.Random, visitor: VisitorPlay) -> list[dict[str, Any]]:
    ts = int(time.time() * 1000)
    if visitor.pending and rng.random() < 0.6:
        action_id = visitor.pending.pop()
        events = [{"type": "action_shown", "actionId": action_id, "ts": ts}]
        roll = rng.random()
        if roll < 0.2:
            events.append({"type": "action_clicked", "actionId": action_id, "ts": ts})
        elif roll < 0.5:
            events.append({"type": "action_dismissed", "actionId": action_id, "ts": ts})
        return events
    roll = rng.random()
    url, page_type = rng.choice(PAGES)
    page = {"type": "page_view", "url": url, "ts": ts - 5}
    if page_type:
        page["pageType"] = page_type
    if roll < 0.50:
        return [page]
    if roll < 0.75:
        product = f"UHJvZHVjdDo{rng.randrange(200)}"
        return [page, {"type": "product_view", "productId": product, "ts": ts}]
    if roll < 0.92:
        return [{"type": "cart_updated", "ts": ts}]
    return [{"type": "exit_intent", "ts": ts}]


class Connection:
    """One keep-alive connection, reopened when the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.connection: http.client.HTTPConnection | None = None

    def post(self, payload: bytes) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                self.connection.request(
                    "POST",
                    "/storefront/v1/events",
                    payload,
                    {"Content-Type": "text/plain;charset=UTF-8"},
                )
                response = self.connection.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, body
            except (http.client.HTTPException, OSError):
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def _thread(
    host: str,
    port: int,
    seed: int,
    budget: int,
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    rng = random.Random(seed)
    connection = Connection(host, port)
    visitors = [
        VisitorPlay(f"v_{seed}_{n}", f"Q2hlY2tvdXQ6{rng.randrange(500)}" if n % 3 else None)
        for n in range(VISITORS_PER_THREAD)
    ]
    for _ in range(budget):
        if time.monotonic() >= deadline:
            return
        visitor = rng.choice(visitors)
        body = {
            "saleorApiUrl": SHOP_URL,
            "channel": "default-channel",
            "visitorId": visitor.visitor_id,
            "sessionId": f"s_{visitor.visitor_id}",
            "locale": rng.choice(["en-US", "es-ES", "de-DE"]),
            "device": "desktop",
            "events": _events(rng, visitor),
        }
        if visitor.checkout_id:
            body["checkoutId"] = visitor.checkout_id
        started = time.perf_counter()
        status, raw = connection.post(json.dumps(body).encode())
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)
            continue
        visitor.pending.extend(a["id"] for a in json.loads(raw)["actions"])


def _client(base: str, seed: int, threads: int, budget: int, seconds: float, out: Any) -> None:
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors: list[int] = []
    deadline = time.monotonic() + seconds
    began = time.time()
    workers = [
        threading.Thread(
            target=_thread,
            args=(host, int(port), seed * 100 + n, budget // threads, deadline, latencies, errors),
        )
        for n in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((latencies, errors, began, time.time()))


def run_load(
    base: str, secret: str, requests: int, seconds: float, clients: int, threads: int
) -> tuple[str, int]:
    """Drive the server from `clients` processes; a one-line report and the request count."""
    del secret  # action ids come from the server's answers, as in a browser
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [
        context.Process(
            target=_client, args=(base, n + 1, threads, requests // clients, seconds, out)
        )
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=seconds + 120) for _ in processes]
    # Measured from the first client's first request to the last one's end (not process start).
    elapsed = max(r[3] for r in results) - min(r[2] for r in results)
    for process in processes:
        process.join()
    latencies = sorted(x for lats, *_ in results for x in lats)
    errors = [e for _, errs, *_ in results for e in errs]
    if not latencies:
        return "no requests completed", 0
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return (
        f"{len(latencies)} requests in {elapsed:.1f} s = {len(latencies) / elapsed:,.0f} "
        f"req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, non-200: {len(errors)}"
        + (f" {sorted(set(errors))}" if errors else ""),
        len(latencies),
    )
