"""A database that cannot take the visitor's write soon enough is a 503 the snippet retries."""

from __future__ import annotations

import fcntl
import time

import pytest
from flask.testing import FlaskClient

from tests.fixtures.storefront import ShopRows
from tests.storefront.helpers import body, page_view, post

WAIT_BOUND_SECONDS = 5.0  # every endpoint answers within it (the turn waits 3 s by default)


def test_behind_a_writer_that_keeps_sqlites_turn_the_visitor_api_answers_busy(
    storefront_client: FlaskClient, shop: ShopRows, migrated_database_url: str
) -> None:
    if not migrated_database_url.startswith("sqlite:///"):
        pytest.skip("the writers' turn is SQLite's")
    # given another worker process holding the writers' turn (its lock file beside the database)
    lock_path = migrated_database_url.removeprefix("sqlite:///") + "-writers"
    with open(lock_path, "a+") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)

        # when a visitor's first request comes, which must write the visitor
        started = time.monotonic()
        response = post(storefront_client, body([page_view()]))
        elapsed = time.monotonic() - started

    # then it is told to retry in a moment, as JSON, once the turn's wait is over
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "busy"
    assert response.headers["Retry-After"] == "1"
    assert elapsed < WAIT_BOUND_SECONDS
