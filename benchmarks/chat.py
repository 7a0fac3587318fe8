"""Built-in chat figures (issue 14), printed:

- message delivery, visitor → staff and staff → visitor, with two `saleor-proactive serve`
  processes on one PostgreSQL: the visitor talks to one, the staff to the other, so every line
  crosses processes through LISTEN/NOTIFY. Timed from just before the sender's request to the
  moment the other side's waiting request answers (targets: p50 < 300 ms, p99 < 1 s);
- the time to start a conversation (the server's part of "first message after the click");
- chat.js as served, gzipped (budget 12 KB);
- the workers' memory per visitor waiting in a long poll, and the visitor API's latency while
  they wait.

`python -m benchmarks.chat [--lines 100]`; `BENCH_POSTGRES_URL` picks the server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
import uuid
from collections.abc import Callable

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from saleor_proactive.store import migrate
from saleor_proactive.store.db import Database
from saleor_proactive.store.installations import upsert_installation
from saleor_proactive.store.snapshot_data import ChannelData
from saleor_proactive.store.snapshots import upsert_channels

from .databases import postgres_database
from .server import SECRET, serve, workers_rss_bytes

API_URL = "https://bench-shop.example.com/graphql/"
SCRIPT_BUDGET = 12 * 1024
PROXIED = {"PROACTIVE_TRUST_PROXY": "1"}  # visitors' addresses come in X-Forwarded-For
REPLY = """mutation R($id: ID!, $body: String!) { chatReply(conversationId: $id, body: $body) {
  errors { code } } }"""


def install(url: str) -> dict[str, str]:
    """An installation whose Dashboard tokens we can sign; the headers of one staff member."""
    key, kid = rsa.generate_private_key(65537, 2048), uuid.uuid4().hex[:12]
    jwk = {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "alg": "RS256"}
    database = Database(url)
    with database.session() as session:
        installation, _ = upsert_installation(
            session,
            saleor_api_url=API_URL,
            app_id="QXBwOjE=",
            token="bench-app-token",
            jwks={"keys": [jwk]},
            secret=SECRET,
        )
        upsert_channels(
            session, installation.id, [ChannelData("Q2g6MQ==", "default-channel", "D", "EUR", "ES")]
        )
    database.dispose()
    now = int(time.time())
    claims = {
        "iss": API_URL,
        "iat": now,
        "exp": now + 3600,
        "app": "QXBwOjE=",
        "user_permissions": [],
        "email": "bench@shop.example",
    }
    token = jwt.encode(claims, key, "RS256", headers={"kid": kid})
    return {"Authorization-Bearer": token, "Saleor-Api-Url": API_URL}


def delivery(send: Callable[[], None], wait: Callable[[], None]) -> float:
    """Seconds from just before `send` until the already waiting `wait` answers."""
    answered = threading.Event()
    thread = threading.Thread(target=lambda: (wait(), answered.set()))
    thread.start()
    time.sleep(0.05)  # the waiting request is in the server before the line is sent
    started = time.perf_counter()
    send()
    answered.wait(30)
    elapsed = time.perf_counter() - started
    thread.join(30)
    return elapsed


def summary(name: str, seconds: list[float]) -> None:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    print(
        f"{name}: p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms, "
        f"max {max(seconds) * 1000:.0f} ms ({len(seconds)} lines)"
    )


def run(lines: int) -> None:
    with postgres_database() as url:
        migrate.upgrade(url)
        staff = install(url)
        with (
            serve(url, workers=2, threads=8, env=PROXIED) as (visitor_side, _),
            serve(url, workers=2, threads=8, env=PROXIED) as (staff_side, _),
        ):
            measure(visitor_side, staff_side, staff, lines)


def measure(visitor_side: str, staff_side: str, staff: dict[str, str], lines: int) -> None:
    # Lines spread over conversations and (through the proxy header) addresses, as real
    # visitors are: one conversation may send 20 lines a minute, one address 120 requests.
    conversations, starts = [], []
    for n in range(lines // 10 + 1):
        forwarded = {"X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}
        began = time.perf_counter()
        answer = requests.post(
            f"{visitor_side}/storefront/v1/chat/conversations",
            json={"saleorApiUrl": API_URL, "channel": "default-channel", "visitorId": f"v{n}"},
            headers=forwarded,
            timeout=10,
        )
        starts.append(time.perf_counter() - began)
        started = answer.json()["conversation"]
        path = f"{visitor_side}/storefront/v1/chat/conversations/{started['id']}/messages"
        auth = {"Authorization": f"Bearer {started['token']}", **forwarded}
        conversations.append((started["id"], path, auth))
    latest = {"id": 0}
    current = {"n": 0}

    def conversation() -> tuple[str, str, dict[str, str]]:
        return conversations[current["n"] % len(conversations)]

    def visitor_sends() -> None:
        _, path, auth = conversation()
        sent = requests.post(path, json={"body": "hello"}, headers=auth, timeout=10).json()
        latest["id"] = int(sent["message"]["id"])

    def staff_waits() -> None:
        body = {"after": latest["id"], "wait": 20}
        requests.post(f"{staff_side}/api/chat/wait", json=body, headers=staff, timeout=30)

    def staff_sends() -> None:
        variables = {"id": conversation()[0], "body": "hi"}
        requests.post(
            f"{staff_side}/api/graphql",
            json={"query": REPLY, "variables": variables},
            headers=staff,
            timeout=10,
        )

    def visitor_waits() -> None:
        _, path, auth = conversation()
        answer = requests.get(f"{path}?after={latest['id']}&wait=20", headers=auth, timeout=30)
        latest["id"] = max([latest["id"]] + [m["id"] for m in answer.json()["messages"]])

    to_staff, to_visitor = [], []
    for n in range(lines):
        current["n"] = n
        to_staff.append(delivery(visitor_sends, staff_waits))
        to_visitor.append(delivery(staff_sends, visitor_waits))
    summary("visitor → staff (two processes, PostgreSQL)", to_staff)
    summary("staff → visitor (two processes, PostgreSQL)", to_visitor)
    summary("start a conversation (POST, server round trip)", starts)
    script = requests.get(
        f"{visitor_side}/storefront/v1/chat.js", headers={"Accept-Encoding": "gzip"}, timeout=10
    )
    size = int(script.headers["Content-Length"])
    verdict = "ok" if size <= SCRIPT_BUDGET else "OVER BUDGET"
    print(f"chat.js gzip as served: {size} bytes (budget {SCRIPT_BUDGET}, {verdict})")


def open_conversations(count: int) -> None:
    """`count` visitors waiting in open long polls at once: the workers' memory per waiting
    visitor, and the visitor API's latency meanwhile (sequential requests, not a load test)."""
    with postgres_database() as url:
        migrate.upgrade(url)
        install(url)
        threads = min(64, count // 2 + 16)  # `serve --threads` allows at most 64
        with serve(url, workers=2, threads=threads, env=PROXIED) as (base, process):
            polls = []
            for n in range(count):
                forwarded = {"X-Forwarded-For": f"10.1.{n // 250}.{n % 250 + 1}"}
                started = requests.post(
                    f"{base}/storefront/v1/chat/conversations",
                    json={
                        "saleorApiUrl": API_URL,
                        "channel": "default-channel",
                        "visitorId": f"o{n}",
                    },
                    headers=forwarded,
                    timeout=10,
                ).json()["conversation"]
                path = f"{base}/storefront/v1/chat/conversations/{started['id']}/messages"
                polls.append((path, {"Authorization": f"Bearer {started['token']}", **forwarded}))
            idle = workers_rss_bytes(process.pid)
            waiting = [
                threading.Thread(
                    target=requests.get,
                    args=(f"{path}?after=0&wait=25",),
                    kwargs={"headers": headers, "timeout": 60},
                )
                for path, headers in polls
            ]
            for thread in waiting:
                thread.start()
            time.sleep(3)  # every poll inside the server, waiting
            busy = workers_rss_bytes(process.pid)
            event = {
                "type": "page_view",
                "url": "https://bench-shop.example.com/",
                "pageType": "home",
            }
            latencies = []
            for n in range(300):
                body = {
                    "saleorApiUrl": API_URL,
                    "channel": "default-channel",
                    "visitorId": f"probe{n}",
                    "sessionId": f"s{n}",
                    "events": [{**event, "ts": int(time.time() * 1000)}],
                }
                began = time.perf_counter()
                requests.post(f"{base}/storefront/v1/events", json=body, timeout=10)
                latencies.append(time.perf_counter() - began)
            for thread in waiting:
                thread.join(60)
    grown = busy - idle
    print(
        f"{count} open conversations (long polls): workers' memory +{grown / 2**20:.1f} MiB, "
        f"about {grown / count / 1024:.0f} KiB each ({threads} threads per worker, 2 workers)"
    )
    summary(f"visitor API request while {count} polls wait (sequential)", latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100)
    # A long poll holds a worker thread; `serve` runs at most 64 per worker, so two workers hold
    # 128 waiting visitors. 1,000 would need an asynchronous worker (not done).
    parser.add_argument("--open", type=int, default=100, help="visitors waiting at once")
    arguments = parser.parse_args()
    run(arguments.lines)
    open_conversations(arguments.open)


if __name__ == "__main__":
    main()
