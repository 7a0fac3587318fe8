"""While the database refuses or hangs, every endpoint answers 503 with the JSON error, soon.

PostgreSQL is reached through a TCP proxy on 127.0.0.1 that the test makes refuse connections,
or stop forwarding (a server that hangs: established connections get no answer, new ones are
accepted and never answered). SQLite is held locked by another connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.store.db import get_database
from tests.fixtures.storefront import SHOP_URL, ShopRows
from tests.sqlite_lock import sqlite_write_lock
from tests.storefront.helpers import body, page_view
from tests.tcp_proxy import TcpProxy

ENDPOINT_BOUND_SECONDS = 5.0
HEALTH_BOUND_SECONDS = 2.0


@dataclass(frozen=True)
class Answer:
    status: int
    error_code: str | None
    seconds: float


def _timed(call: Callable[[], TestResponse]) -> Answer:
    started = time.monotonic()
    response = call()
    seconds = time.monotonic() - started
    json = response.get_json(silent=True) or {}
    return Answer(response.status_code, (json.get("error") or {}).get("code"), seconds)


def _endpoints(client: FlaskClient) -> dict[str, Callable[[], TestResponse]]:
    """One request to each endpoint that reads or writes the database."""
    return {
        "visitor API": lambda: client.post(
            "/storefront/v1/events",
            json=body([page_view()], visitorId="v_outage"),
            headers={"Origin": "https://shop.example.com"},
        ),
        "webhook": lambda: client.post(
            "/api/webhooks/checkout-events",
            data=b'{"__typename": "CheckoutUpdated"}',
            headers={"Saleor-Api-Url": SHOP_URL, "Saleor-Signature": "x..y"},
        ),
        "dashboard GraphQL": lambda: client.post(
            "/api/graphql",
            json={"query": "{ triggers { id } }"},
            headers={"Saleor-Api-Url": SHOP_URL, "Authorization-Bearer": "not.a.token"},
        ),
        "report": lambda: client.get(
            "/api/reports/stats.csv",
            headers={"Saleor-Api-Url": SHOP_URL, "Authorization-Bearer": "not.a.token"},
        ),
    }


@pytest.fixture
def proxy(migrated_database_url: str) -> Iterator[TcpProxy]:
    url = make_url(migrated_database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a server behind a TCP proxy: PostgreSQL")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.close()


@pytest.fixture
def proxied_app(settings: Settings, proxy: TcpProxy, shop: ShopRows) -> Iterator[Flask]:
    url = make_url(settings.database_url).set(host="127.0.0.1", port=proxy.port)
    app = create_app(
        settings.with_overrides(
            database_url=url.render_as_string(hide_password=False),
            rate_limit_visitor="1000/minute",
            rate_limit_address="5000/minute",
        )
    )
    yield app
    get_database(app).dispose()


@pytest.mark.parametrize("outage", ["hang", "refuse"])
def test_while_postgresql_hangs_or_refuses_every_endpoint_answers_503_soon(
    proxied_app: Flask, proxy: TcpProxy, outage: str
) -> None:
    # given an app whose pooled connections were all just used
    client = proxied_app.test_client()
    endpoints = _endpoints(client)
    before = {name: _timed(call).status for name, call in endpoints.items()}
    assert before["visitor API"] == 200 and client.get("/healthz").status_code == 200

    # when the database stops answering, or refuses
    getattr(proxy, outage)()

    # then each endpoint answers 503 with the JSON error in time, twice in a row (the second
    # meets the pool's other connections), and /healthz sooner
    answers = {
        f"{name} #{attempt}": _timed(call) for attempt in (1, 2) for name, call in endpoints.items()
    }
    health = _timed(lambda: client.get("/healthz"))
    for name, answer in answers.items():
        assert (name, answer.status, answer.error_code) == (name, 503, "database_unavailable")
        assert answer.seconds < ENDPOINT_BOUND_SECONDS, (name, answer)
    assert health.status == 503 and health.error_code == "database_unavailable"
    assert health.seconds < HEALTH_BOUND_SECONDS, health


def test_a_locked_sqlite_database_is_a_503_for_the_visitor_api_soon(
    storefront_client: FlaskClient, shop: ShopRows, migrated_database_url: str
) -> None:
    # given another process holding the database's write lock
    with sqlite_write_lock(migrated_database_url):
        # when a visitor's first request comes, which must write the visitor
        answer = _timed(
            lambda: storefront_client.post("/storefront/v1/events", json=body([page_view()]))
        )

    # then the snippet is told the database is unavailable, in time, and nothing was stored
    assert (answer.status, answer.error_code) == (503, "database_unavailable")
    assert answer.seconds < ENDPOINT_BOUND_SECONDS, answer
