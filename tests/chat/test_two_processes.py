"""Two `saleor-proactive serve` processes on one database (PostgreSQL, or one SQLite file): the
visitor talks to one, the staff to the other, and each side's line reaches the other's waiting
request at once (well before its wait would end), whichever database carries the news."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from benchmarks.server import serve
from saleor_proactive.store.db import Database
from tests.conftest import TEST_SECRET
from tests.fixtures.dashboard import MerchantInstallation

REPLY = """mutation R($id: ID!, $body: String!) { chatReply(conversationId: $id, body: $body) {
  message { id } errors { code } } }"""


def _in_background(call: Callable[[], Any]) -> tuple[threading.Thread, list[tuple[float, Any]]]:
    out: list[tuple[float, Any]] = []

    def run() -> None:
        started = time.monotonic()
        result = call()
        out.append((time.monotonic() - started, result))

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_lines_cross_between_two_app_processes(
    database: Database, merchant: MerchantInstallation
) -> None:
    env = {"PROACTIVE_SECRET_KEY": TEST_SECRET, "PROACTIVE_LOG_LEVEL": "ERROR"}
    with (
        serve(database.url, workers=1, env=env) as (visitor_side, _),
        serve(database.url, workers=1, env=env) as (staff_side, _),
    ):
        started = requests.post(
            f"{visitor_side}/storefront/v1/chat/conversations",
            json={
                "saleorApiUrl": merchant.api_url,
                "channel": "default-channel",
                "visitorId": "visitor-1",
            },
            timeout=10,
        ).json()["conversation"]
        lines = f"{visitor_side}/storefront/v1/chat/conversations/{started['id']}/messages"
        auth = {"Authorization": f"Bearer {started['token']}"}
        staff = merchant.headers()

        # visitor (process A) → staff waiting on process B
        thread, woke = _in_background(
            lambda: requests.post(
                f"{staff_side}/api/chat/wait",
                json={"after": 0, "wait": 10},
                headers=staff,
                timeout=15,
            ).json()
        )
        time.sleep(0.5)
        sent = requests.post(lines, json={"body": "Hello from A"}, headers=auth, timeout=10)
        thread.join(15)
        [(elapsed, answer)] = woke
        assert answer == {"latestMessageId": sent.json()["message"]["id"]}
        assert elapsed < 2.0

        # staff (process B) → visitor waiting on process A
        after = sent.json()["message"]["id"]
        thread, woke = _in_background(
            lambda: requests.get(f"{lines}?after={after}&wait=10", headers=auth, timeout=15).json()
        )
        time.sleep(0.5)
        replied = requests.post(
            f"{staff_side}/api/graphql",
            json={"query": REPLY, "variables": {"id": started["id"], "body": "Hello from B"}},
            headers=staff,
            timeout=10,
        )
        assert replied.json()["data"]["chatReply"]["errors"] == []
        thread.join(15)
        [(elapsed, answer)] = woke
        assert [m["body"] for m in answer["messages"]] == ["Hello from B"]
        assert elapsed < 2.0
