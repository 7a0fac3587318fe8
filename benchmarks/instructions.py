"""CPU instructions per engine evaluation and per visitor API request, counted by callgrind.

Times on a shared machine move with the machine (the same code ran three times slower on some
days); instruction counts do not. They are what to compare between two versions of the code.
Each scenario runs in a child process under `valgrind --tool=callgrind` with counting switched
on only around the measured loop (`callgrind_control`), after a warm-up.

Run: `.venv/bin/python -m benchmarks.instructions` (needs valgrind; about a minute).

- engine: the engine benchmark's 50 rules and 2,000 visitors, storefront path (explain=False).
- visitor API: the WSGI app in-process (no HTTP server), on SQLite and on PostgreSQL
  (`BENCH_POSTGRES_URL`, `databases.py`), the shop of `visitor_api_seed.py`, the request
  mix of `visitor_api_mix.lua` rebuilt in Python.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REQUESTS = 300
WARM_UP_REQUESTS = 500
SHOP_URL = "https://bench.example.com/graphql/"  # as in visitor_api_seed.py


def count_on(switch: str) -> None:
    """Switch callgrind's counting on or off for this process (a no-op without valgrind)."""
    subprocess.run(["callgrind_control", "-i", switch, str(os.getpid())], capture_output=True)


def measure_engine() -> int:
    from benchmarks.engine import realistic_facts, realistic_rules, realistic_visitor
    from saleor_proactive.triggers.engine import evaluate

    rng = random.Random(7)
    now = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
    rules = realistic_rules(rng)
    inputs = [(realistic_visitor(rng, now, rules), realistic_facts(rng)) for _ in range(2_000)]
    for visitor, facts in inputs:
        evaluate(visitor, facts, rules, explain=False)
    count_on("on")
    for visitor, facts in inputs:
        evaluate(visitor, facts, rules, explain=False)
    count_on("off")
    return len(inputs)


def measure_visitor_api_sqlite() -> int:
    return _measure_visitor_api(f"sqlite:///{tempfile.mkdtemp(prefix='bench-instructions-')}/db")


def measure_visitor_api_postgresql() -> int:
    from benchmarks.databases import postgres_database

    with postgres_database() as url:
        return _measure_visitor_api(url)


def _measure_visitor_api(url: str) -> int:
    from benchmarks.server import SECRET
    from benchmarks.visitor_api_seed import seed
    from saleor_proactive.app import create_app
    from saleor_proactive.config import Settings
    from saleor_proactive.store import migrate

    migrate.upgrade(url)
    seed(url, fresh_until_seconds=3600)
    app = create_app(
        Settings(
            database_url=url,
            secret_key=SECRET,
            rate_limit_visitor="100000/minute",
            rate_limit_address="10000000/minute",
        )
    )
    post = _poster(app)
    mix = RequestMix(random.Random(1))
    for _ in range(WARM_UP_REQUESTS):
        mix.answered(post(mix.next_body()))
    count_on("on")
    for _ in range(REQUESTS):
        mix.answered(post(mix.next_body()))
    count_on("off")
    return REQUESTS


class RequestMix:
    """What browsers send, as in visitor_api_mix.lua: browsing, cart updates, exit intent,
    and reports of the actions the server issued to that visitor."""

    PAGES = (
        ("https://bench.example.com/", "home"),
        ("https://bench.example.com/categories/coffee", "category"),
        ("https://bench.example.com/products/beans", "product"),
        ("https://bench.example.com/search?q=mug", None),
        ("https://bench.example.com/cart", None),
        ("https://bench.example.com/checkout", None),
        ("https://bench.example.com/contact", None),
        ("https://bench.example.com/faq", "faq"),
    )

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.visitors = [
            {
                "id": f"v_{n}",
                "checkout": f"Q2hlY2tvdXQ6{rng.randint(0, 499)}" if n % 3 else None,
                "pending": [],
            }
            for n in range(1, 401)
        ]
        self.current: dict[str, Any] = self.visitors[0]

    def next_body(self) -> bytes:
        rng, visitor = self.rng, self.rng.choice(self.visitors)
        self.current = visitor
        ts = int(time.time() * 1000)
        if visitor["pending"] and rng.random() < 0.6:
            events = self._action_events(visitor["pending"].pop(), ts)
        else:
            events = self._browsing_events(ts)
        body: dict[str, Any] = {
            "saleorApiUrl": SHOP_URL,
            "channel": "default-channel",
            "visitorId": visitor["id"],
            "sessionId": f"s_{visitor['id']}",
            "locale": rng.choice(["en-US", "es-ES", "de-DE"]),
            "device": "desktop",
            "events": events,
        }
        if visitor["checkout"]:
            body["checkoutId"] = visitor["checkout"]
        return json.dumps(body).encode()

    def answered(self, answer: dict[str, Any]) -> None:
        self.current["pending"].extend(action["id"] for action in answer["actions"])

    def _action_events(self, action_id: str, ts: int) -> list[dict[str, Any]]:
        events = [{"type": "action_shown", "actionId": action_id, "ts": ts}]
        roll = self.rng.random()
        if roll < 0.2:
            events.append({"type": "action_clicked", "actionId": action_id, "ts": ts})
        elif roll < 0.5:
            events.append({"type": "action_dismissed", "actionId": action_id, "ts": ts})
        return events

    def _browsing_events(self, ts: int) -> list[dict[str, Any]]:
        url, page_type = self.rng.choice(self.PAGES)
        page_view: dict[str, Any] = {"type": "page_view", "url": url, "ts": ts - 5}
        if page_type:
            page_view["pageType"] = page_type
        roll = self.rng.random()
        if roll < 0.50:
            return [page_view]
        if roll < 0.75:
            product = f"UHJvZHVjdDo{self.rng.randint(0, 199)}"
            return [page_view, {"type": "product_view", "productId": product, "ts": ts}]
        if roll < 0.92:
            return [{"type": "cart_updated", "ts": ts}]
        return [{"type": "exit_intent", "ts": ts}]


def _poster(app: Any) -> Callable[[bytes], dict[str, Any]]:
    """POST a body to the WSGI app as gunicorn would hand it over; the decoded answer."""

    def post(raw: bytes) -> dict[str, Any]:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/storefront/v1/events",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "text/plain;charset=UTF-8",
            "CONTENT_LENGTH": str(len(raw)),
            "HTTP_ORIGIN": "https://bench.example.com",
            "wsgi.input": io.BytesIO(raw),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        statuses: list[str] = []
        body = b"".join(app(environ, lambda status, headers, exc=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{statuses[0]}: {body!r}")
        answer: dict[str, Any] = json.loads(body)
        return answer

    return post


SCENARIOS: dict[str, tuple[Callable[[], int], str]] = {
    "engine": (measure_engine, "evaluation (50 rules)"),
    "visitor_api": (measure_visitor_api_sqlite, "visitor API request (in-process, SQLite)"),
    "visitor_api_postgresql": (
        measure_visitor_api_postgresql,
        "visitor API request (in-process, PostgreSQL; the app's instructions, not the server's)",
    ),
}


def run_under_callgrind(scenario: str) -> float:
    """Instructions per unit of `scenario`, from a child process run under callgrind."""
    folder = Path(tempfile.mkdtemp(prefix="bench-callgrind-"))
    try:
        child = subprocess.run(
            [
                *("valgrind", "--tool=callgrind", "--instr-atstart=no"),
                f"--callgrind-out-file={folder / 'callgrind.out'}",
                f"--log-file={folder / 'valgrind.log'}",
                *(sys.executable, "-m", "benchmarks.instructions", "--child", scenario),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        units = int(child.stdout.split()[-1])
        log = (folder / "valgrind.log").read_text()
        collected = re.search(r"Collected\s*:\s*(\d+)", log)
        if collected is None:
            raise RuntimeError(f"no instruction count in valgrind's log:\n{log}")
        return int(collected.group(1)) / units
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(SCENARIOS[args.child][0]())
        return
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("skipped: valgrind is not installed (apt-get install valgrind)")
        return
    for scenario, (_, unit) in SCENARIOS.items():
        per_unit = run_under_callgrind(scenario)
        print(f"{per_unit / 1000:,.0f} k instructions per {unit}")


if __name__ == "__main__":
    main()
