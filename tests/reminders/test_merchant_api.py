"""The merchant's side: settings validated with clear errors, a rendered preview, and a test
sent to the merchant's own address through the real SMTP server (or why it could not be)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.reminders.delivery import NO_MAIL_SERVER
from saleor_proactive.store.db import Database, get_database
from tests.fixtures.dashboard import MerchantInstallation, post_graphql
from tests.fixtures.reminders import Mailbox, enable_reminders

SEND = 'mutation { remindersSendTest(locale: "es-MX") { sentTo errors { field code message } } }'
PREVIEW = 'query { reminderPreview(locale: "de-AT") { subject html text } }'
UPDATE = (
    "mutation U($d: JSON!) { updateSettings(input: {document: $d}) { errors { field message } } }"
)


def _client(settings: Settings) -> Iterator[FlaskClient]:
    app: Flask = create_app(settings)
    yield app.test_client()
    get_database(app).dispose()


@pytest.fixture
def client(reminder_settings: Settings, database: Database) -> Iterator[FlaskClient]:
    yield from _client(reminder_settings)


def test_the_preview_renders_the_saved_texts_in_the_asked_language(
    client: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    enable_reminders(database, merchant.id)
    response = post_graphql(client, merchant.headers(), PREVIEW)
    preview = response.get_json()["data"]["reminderPreview"]
    assert preview["subject"] == "Ihr Warenkorb bei shop-one.example.com wartet"
    assert "Colombia Huila 1 kg" in preview["html"] and "Summe" in preview["text"]


def test_a_test_reminder_reaches_the_merchants_own_address(
    client: FlaskClient,
    database: Database,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    enable_reminders(database, merchant.id)
    result = post_graphql(client, merchant.headers(), SEND).get_json()["data"]
    assert result["remindersSendTest"] == {"sentTo": "owner@example.com", "errors": []}
    [message] = mailbox[0].wait(1)
    assert message["To"] == "owner@example.com"
    assert message["Subject"] == "[Test] Tu carrito en shop-one.example.com te espera"


def test_a_refusing_mail_server_is_a_clear_error_on_the_page(
    client: FlaskClient,
    database: Database,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    mailbox[0].refuse_rcpt = "550 5.7.1 relaying denied"
    result = post_graphql(client, merchant.headers(), SEND).get_json()["data"]
    assert result["remindersSendTest"] == {
        "sentTo": None,
        "errors": [
            {
                "field": "smtp",
                "code": "smtp_failed",
                "message": "the mail server refused this address",
            }
        ],
    }


def test_without_a_mail_server_the_test_says_what_to_set(
    settings: Settings, database: Database, merchant: MerchantInstallation
) -> None:
    for client in _client(settings.with_overrides(public_url="http://127.0.0.1:9160")):
        result = post_graphql(client, merchant.headers(), SEND).get_json()["data"]
        [error] = result["remindersSendTest"]["errors"]
        assert error["message"] == NO_MAIL_SERVER


@pytest.mark.parametrize(
    ("reminders", "field", "words"),
    [
        ({"enabled": True}, "reminders.checkoutUrl", "is needed to turn reminders on"),
        ({"checkoutUrl": "https://shop.example/checkout"}, "reminders.checkoutUrl", "{token}"),
        ({"delaysMinutes": [60, 30]}, "reminders.delaysMinutes[1]", "after the first"),
        ({"audience": "everyone"}, "reminders.audience", ""),
        ({"webhookUrl": "ftp://x"}, "reminders.webhookUrl", "http(s)"),
    ],
)
def test_bad_reminder_settings_are_refused_naming_the_field(
    client: FlaskClient,
    merchant: MerchantInstallation,
    reminders: dict[str, object],
    field: str,
    words: str,
) -> None:
    body = post_graphql(client, merchant.headers(), UPDATE, {"d": {"reminders": reminders}})
    errors = body.get_json()["data"]["updateSettings"]["errors"]
    assert [e["field"] for e in errors] == [field], errors
    assert words in errors[0]["message"]
