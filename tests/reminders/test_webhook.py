"""The webhook channel: each reminder POSTed to the merchant's URL (a real HTTP receiver on
127.0.0.1), signed as Saleor signs its webhooks, verifiable against the app's JWKS."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.saleor.signatures import SignatureError, verify_detached
from saleor_proactive.store.db import Database, get_database
from tests.fixtures.dashboard import MerchantInstallation
from tests.fixtures.reminders import Mailbox, abandon_checkout, add_product, enable_reminders
from tests.reminders.test_delivery import rows, run_scan


@dataclass
class Receiver:
    url: str
    status: int = 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    @Request.application  # type: ignore[arg-type]
    def receive(request: Request) -> Response:
        state.received.append((dict(request.headers), request.get_data()))
        return Response("", status=state.status)

    server = make_server("127.0.0.1", 0, receive, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/reminders"
    yield state
    server.shutdown()
    thread.join(5)


@pytest.fixture
def webhook_settings(reminder_settings: Settings) -> Settings:
    return reminder_settings.with_overrides(smtp_url=None)  # the webhook is the only channel


@pytest.fixture
def jwks_app(webhook_settings: Settings, database: Database) -> Iterator[Flask]:
    app = create_app(webhook_settings)
    yield app
    get_database(app).dispose()


def test_a_reminder_is_posted_signed_and_verifies_against_the_apps_jwks(
    database: Database,
    webhook_settings: Settings,
    merchant: MerchantInstallation,
    receiver: Receiver,
    jwks_app: Flask,
) -> None:
    # given reminders to a webhook, and an abandoned checkout
    enable_reminders(database, merchant.id, webhookUrl=receiver.url)
    add_product(database, merchant.id, "UHJvZHVjdDox", "Colombia Huila 1 kg")
    checkout_id = abandon_checkout(database, merchant, 1, email="ana@example.com")

    # when the worker scans twice
    run_scan(database, webhook_settings)
    run_scan(database, webhook_settings)

    # then one POST came, with the cart and the link, and its signature verifies
    [(headers, body)] = receiver.received
    payload = json.loads(body)
    assert headers["Proactive-Event"] == "cart_reminder"
    assert payload["checkoutId"] == checkout_id and payload["email"] == "ana@example.com"
    assert payload["lines"] == [{"name": "Colombia Huila 1 kg", "quantity": 2, "total": "19.00"}]
    assert payload["total"] == {"amount": "19.00", "currency": "EUR"}
    assert payload["checkoutUrl"].startswith("http://127.0.0.1:9160/reminders/r/")
    keys = jwks_app.test_client().get("/.well-known/jwks.json").get_json()
    verify_detached(headers["Proactive-Signature"], body, keys)
    with pytest.raises(SignatureError):
        verify_detached(headers["Proactive-Signature"], body.replace(b"19.00", b"1.00"), keys)
    assert [(step, state) for _c, step, state, _o in rows(database)] == [(1, "sent")]


@pytest.mark.parametrize(("status", "state"), [(500, "retry"), (410, "failed")])
def test_a_failing_receiver_is_retried_and_a_refusing_one_is_not(
    database: Database,
    webhook_settings: Settings,
    merchant: MerchantInstallation,
    receiver: Receiver,
    status: int,
    state: str,
) -> None:
    receiver.status = status
    enable_reminders(database, merchant.id, webhookUrl=receiver.url)
    abandon_checkout(database, merchant, 1)
    run_scan(database, webhook_settings)
    [(_c, _s, found, outcome)] = rows(database)
    assert (found, outcome) == (state, f"webhook answered {status}")


def test_email_and_webhook_each_get_the_reminder_once(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    receiver: Receiver,
    mailbox: tuple[Mailbox, int],
) -> None:
    enable_reminders(database, merchant.id, webhookUrl=receiver.url)
    abandon_checkout(database, merchant, 1)
    run_scan(database, reminder_settings)
    run_scan(database, reminder_settings)
    assert len(mailbox[0].wait(1)) == 1
    assert len(receiver.received) == 1


def test_the_jwks_publishes_one_rsa_key(jwks_app: Flask) -> None:
    response = jwks_app.test_client().get("/.well-known/jwks.json")
    [key] = response.get_json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    again: Any = jwks_app.test_client().get("/.well-known/jwks.json").get_json()
    assert again["keys"][0]["kid"] == key["kid"]  # stable: made once, stored
