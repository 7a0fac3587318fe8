"""Floods get 429 with Retry-After, per visitor and per address, also across workers."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.store.db import Database
from tests.fixtures.storefront import ShopRows
from tests.storefront.helpers import body, page_view, post


def test_floods_get_429_with_retry_after(
    settings: Settings, database: Database, shop: ShopRows
) -> None:
    # given an app that allows 3 requests per visitor a minute
    app = create_app(settings.with_overrides(rate_limit_visitor="3/minute"))
    client = app.test_client()

    # when
    statuses = [post(client, body([page_view()])).status_code for _ in range(5)]
    limited = post(client, body([page_view()]))

    # then
    assert statuses[:3] == [200, 200, 200]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.get_json()["error"]["code"] == "rate_limited"
    other_visitor = post(client, body([page_view()], visitorId="v_someone_else"))
    assert other_visitor.status_code == 200


def test_floods_from_one_address_get_429(
    settings: Settings, database: Database, shop: ShopRows
) -> None:
    # given an app that allows 4 requests per address a minute
    app: Flask = create_app(settings.with_overrides(rate_limit_address="4/minute"))
    client = app.test_client()

    # when many visitors share one address
    statuses = [post(client, body([page_view()], visitorId=f"v_{n}")).status_code for n in range(6)]

    # then
    assert statuses == [200] * 4 + [429] * 2


def test_limits_in_a_shared_storage_hold_across_workers(
    settings: Settings, database: Database, shop: ShopRows, tmp_path: Any
) -> None:
    # given a Redis on 127.0.0.1 and two app instances (two workers) that share it
    import shutil
    import socket
    import subprocess
    import time

    redis_server = shutil.which("redis-server")
    pytest.importorskip("limits")
    pytest.importorskip("redis")
    if redis_server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            redis_server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        shared = settings.with_overrides(
            rate_limit_visitor="4/minute", rate_limit_storage=f"redis://127.0.0.1:{port}"
        )
        workers = [create_app(shared).test_client() for _ in range(2)]

        # when the visitor's requests alternate between the workers
        statuses = [post(workers[n % 2], body([page_view()])).status_code for n in range(6)]

        # then the limit counts them together
        assert statuses == [200] * 4 + [429] * 2
    finally:
        server.terminate()
        server.wait(timeout=10)
