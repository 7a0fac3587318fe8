"""Built-in chat figures (issue 14), printed:

- message delivery, visitor → staff and staff → visitor, with two `saleor-proactive serve`
  processes on one PostgreSQL: the visitor talks to one, the staff to the other, so every line
  crosses processes through LISTEN/NOTIFY. Timed from just before the sender's request to the
  moment the other side's waiting request answers (targets: p50 < 300 ms, p99 < 1 s);
- the time to start a conversation (the server's part of "first message after the click");
- chat.js as served, gzipped (budget 12 KB);
- 1,000 visitors waiting in long polls at once on `serve --workers 2` (gevent, the default
  on PostgreSQL) while wrk drives the visitor API as `visitor_api.py` does (its shop, mix and
  wrk run): the visitor API's requests/s and p99 without the waiters and then with them, in
  the same run, and the workers' memory per waiting visitor (resident memory grown /
  waiters). The polls go out on raw sockets from one thread, and their answers are read once
  their 25 s are over.

`python -m benchmarks.chat [--lines 100] [--open 1000] [--only delivery|open]
[--db postgresql|sqlite] [--worker-class gevent|gthread|sync] [--seconds 10] [--rounds 2]`;
`BENCH_POSTGRES_URL` picks the server.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from saleor_proactive.serving import default_worker_class
from saleor_proactive.store import migrate
from saleor_proactive.store.db import Database
from saleor_proactive.store.installations import upsert_installation
from saleor_proactive.store.snapshot_data import ChannelData
from saleor_proactive.store.snapshots import upsert_channels

from .databases import postgres_database, sqlite_database
from .machine import machine_line, reference_loop_microseconds
from .server import SECRET, serve, workers_rss_bytes
from .visitor_api import UNLIMITED, WARM_UP_SECONDS, run_wrk
from .visitor_api_seed import SHOP_URL, seed

API_URL = "https://bench-shop.example.com/graphql/"
SCRIPT_BUDGET = 12 * 1024
PROXIED = {"PROACTIVE_TRUST_PROXY": "1"}  # visitors' addresses come in X-Forwarded-For
WAIT_SECONDS = 25  # the longest a long poll waits (`Settings.chat_max_wait_seconds`)
SETTLE_SECONDS = 8  # for the server to read every poll before the measured run (a 1 s burst)
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
            serve(url, workers=2, env=PROXIED) as (visitor_side, _),
            serve(url, workers=2, env=PROXIED) as (staff_side, _),
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


def open_conversations(args: argparse.Namespace) -> None:
    """`args.open` visitors waiting in long polls at once on `serve --workers 2` while wrk
    drives the visitor API with `benchmarks/visitor_api.py`'s shop and mix; each round measures
    the visitor API without the waiters, then with them, then the workers' memory per waiter."""
    databases = {"postgresql": postgres_database, "sqlite": sqlite_database}
    with databases[args.db]() as url:
        worker_class = args.worker_class or f"{default_worker_class(url)} (the default)"
        print(
            f"{args.open} waiting visitors on saleor-proactive serve --workers 2 --worker-class "
            f"{worker_class}, {args.db}; visitor API: "
            f"{args.connections} wrk connections, {args.seconds:g} s per run; {machine_line()}"
        )
        migrate.upgrade(url)
        runs = args.rounds * 2 * (args.seconds + 30) + WARM_UP_SECONDS
        seed(url, fresh_until_seconds=runs * 2 + 300)
        env = {**UNLIMITED, **PROXIED}
        with serve(url, 2, args.worker_class, env=env) as (base, server):
            visitors = [_start_conversation(base, n) for n in range(args.open)]
            run_wrk(base, args.connections, WARM_UP_SECONDS)
            for number in range(1, args.rounds + 1):
                _round(number, base, server, visitors, args)
    print("targets: >= 1,000 req/s, p99 < 25 ms, with the visitors waiting")


def _start_conversation(base: str, number: int) -> tuple[str, dict[str, str]]:
    """A visitor's conversation: (its long poll's path, its headers)."""
    forwarded = {"X-Forwarded-For": f"10.1.{number // 250}.{number % 250 + 1}"}
    started = requests.post(
        f"{base}/storefront/v1/chat/conversations",
        json={"saleorApiUrl": SHOP_URL, "channel": "default-channel", "visitorId": f"o{number}"},
        headers=forwarded,
        timeout=10,
    ).json()
    after = max((m["id"] for m in started["messages"]), default=0)
    conversation = started["conversation"]
    path = f"/storefront/v1/chat/conversations/{conversation['id']}/messages?after={after}"
    return f"{path}&wait={WAIT_SECONDS}", {
        "Authorization": f"Bearer {conversation['token']}",
        **forwarded,
    }


def _round(
    number: int,
    base: str,
    server: subprocess.Popen[bytes],
    visitors: list[tuple[str, dict[str, str]]],
    args: argparse.Namespace,
) -> None:
    reference = reference_loop_microseconds()
    alone = run_wrk(base, args.connections, args.seconds)
    idle = workers_rss_bytes(server.pid)
    polls = [_send_poll(base, path, headers) for path, headers in visitors]
    sent = time.monotonic()
    time.sleep(SETTLE_SECONDS)  # every poll read and waiting in the server
    waiting = workers_rss_bytes(server.pid)
    loaded = run_wrk(base, args.connections, args.seconds)
    if time.monotonic() - sent > WAIT_SECONDS:
        print("  (the run outlasted the polls' wait: use fewer --seconds)")
    answered = _answers(polls, sent)
    grown = waiting - idle
    print(
        f"  round {number} (reference loop {reference:.1f} µs):\n"
        f"    visitor API alone:               {alone}\n"
        f"    with {len(polls)} visitors waiting: {loaded}\n"
        f"    the workers' memory +{grown / 2**20:.1f} MiB: {grown / len(polls) / 1024:.0f} KiB "
        f"per waiting visitor; {answered} of {len(polls)} polls answered 200 after their "
        f"{WAIT_SECONDS} s"
    )


def _send_poll(base: str, path: str, headers: dict[str, str]) -> socket.socket:
    """A long poll sent on a connection of its own, its answer read later (`_answers`): one
    client thread keeps a thousand waiting."""
    address = urlsplit(base)
    connection = socket.create_connection((address.hostname, address.port), timeout=10)
    lines = [f"GET {path} HTTP/1.1", f"Host: {address.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return connection


def _answers(polls: list[socket.socket], sent: float) -> int:
    """How many polls answered 200 once their wait was over (none earlier: no news came)."""
    answered = 0
    for connection in polls:
        with connection:
            connection.settimeout(max(1.0, sent + WAIT_SECONDS + 10 - time.monotonic()))
            try:
                status = connection.makefile("rb").readline()
            except OSError:
                continue
            waited = time.monotonic() - sent >= WAIT_SECONDS - SETTLE_SECONDS
            answered += status.startswith(b"HTTP/1.1 200") and waited
    return answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--open", type=int, default=1000, help="visitors waiting at once")
    parser.add_argument("--only", choices=("delivery", "open"), help="one part only")
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--worker-class", choices=("gevent", "gthread", "sync"))
    parser.add_argument("--seconds", type=float, default=10.0, help="per wrk run (under 20)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    arguments = parser.parse_args()
    if arguments.only != "open":
        run(arguments.lines)
    if arguments.only != "delivery":
        open_conversations(arguments)


if __name__ == "__main__":
    main()
