"""What a reminder says and where its links go: language, free shipping, the tracked link,
one-click unsubscribe, retention and erasure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from saleor_proactive.analytics.retention import purge_installation
from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.store.db import Database, get_database
from saleor_proactive.store.merchant_settings import load_settings, save_settings
from saleor_proactive.store.models import (
    Installation,
    ReminderDelivery,
    ReminderSuppression,
    utcnow,
)
from saleor_proactive.store.snapshot_data import ChannelData
from saleor_proactive.store.snapshots import upsert_channels
from tests.fixtures.dashboard import MerchantInstallation, run_query
from tests.fixtures.reminders import Mailbox, abandon_checkout, add_product, enable_reminders
from tests.reminders.test_delivery import rows, run_scan


@pytest.fixture
def reminder_app(reminder_settings: Settings, database: Database) -> Iterator[Flask]:
    app = create_app(reminder_settings)
    yield app
    get_database(app).dispose()


def _link(message: EmailMessage, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    found = re.search(rf"http://127\.0\.0\.1:9160(/reminders/{path}/\S+)", text)
    assert found, text
    return found.group(1)


def _one_reminder(
    database: Database,
    settings: Settings,
    merchant: MerchantInstallation,
    box: Mailbox,
    **kw: object,
) -> EmailMessage:
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1, email="ana@example.com", **kw)  # type: ignore[arg-type]
    run_scan(database, settings)
    [message] = box.wait(1)
    return message


def test_a_spanish_checkout_reads_spanish_with_euros_written_the_spanish_way(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    add_product(database, merchant.id, "UHJvZHVjdDox", "Café de Colombia")
    message = _one_reminder(database, reminder_settings, merchant, mailbox[0], language="ES_ES")
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Tu carrito en shop-one.example.com te espera"
    assert "2 \u00d7 Café de Colombia  19,00 €" in text
    assert "Volver a tu carrito:" in text


def test_the_merchants_own_text_wins_and_a_regional_language_falls_back_to_its_language(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    enable_reminders(
        database,
        merchant.id,
        texts={"es": {"subject": "¿Olvidaste algo?", "intro": "Tu café te espera."}},
    )
    abandon_checkout(database, merchant, 1, language="ES_MX")
    run_scan(database, reminder_settings)
    [message] = mailbox[0].wait(1)
    assert message["Subject"] == "¿Olvidaste algo?"
    assert "Tu café te espera." in message.get_body(("html",)).get_content()


def test_a_heading_and_a_button_label_of_the_merchants_are_in_both_parts(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    texts = {"subject": "S", "intro": "I", "heading": "Still thinking?", "button": "Finish it"}
    spanish_texts = {"subject": "S", "intro": "I"}
    enable_reminders(database, merchant.id, texts={"en": texts, "es": spanish_texts})
    abandon_checkout(database, merchant, 1, language="EN_GB")
    abandon_checkout(database, merchant, 2, language="ES")
    run_scan(database, reminder_settings)
    english, spanish = sorted(mailbox[0].wait(2), key=lambda m: str(m["To"]))
    html = english.get_body(("html",)).get_content()
    text = english.get_body(("plain",)).get_content()
    assert "<h1" in html and "Still thinking?" in html and "Finish it</a>" in html
    assert text.startswith("Still thinking?") and "Finish it:" in text
    # the Spanish entry has neither: no heading, the built-in button, never the English ones
    spanish_html = spanish.get_body(("html",)).get_content()
    assert "<h1" not in spanish_html and "Volver a tu carrito</a>" in spanish_html


def test_the_remaining_amount_to_free_shipping_is_shown_when_there_is_a_threshold(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    with database.session() as session:
        upsert_channels(
            session,
            merchant.id,
            [ChannelData("Q2hhbm5lbDox", "default-channel", "Default", "EUR", "ES")],
        )
        installation = session.get(Installation, merchant.id)
        assert installation is not None
        current = load_settings(installation)
        save_settings(
            session,
            installation,
            current.updated({"freeShippingOverrides": {"default-channel": "50.00"}}),
        )
    message = _one_reminder(database, reminder_settings, merchant, mailbox[0])
    assert "Only €31.00 more for free shipping." in message.get_body(("plain",)).get_content()


def test_the_link_counts_a_click_and_leads_to_the_checkout(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    reminder_app: Flask,
) -> None:
    message = _one_reminder(database, reminder_settings, merchant, mailbox[0])
    client = reminder_app.test_client()

    response = client.get(_link(message, "r"))

    assert response.status_code == 302
    assert response.headers["Location"] == "https://shop.example/checkout?token=token-1"
    with database.session() as session:
        assert session.scalars(select(ReminderDelivery.clicked_at)).one() is not None


def test_one_post_unsubscribes_for_good_and_a_get_changes_nothing(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    reminder_app: Flask,
) -> None:
    # given a reminder sent to ana@example.com
    box = mailbox[0]
    message = _one_reminder(database, reminder_settings, merchant, box)
    client: FlaskClient = reminder_app.test_client()
    header_link = message["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:9160")
    assert header_link == _link(message, "unsubscribe")

    # when a link scanner opens the link, the page only asks
    page = client.get(header_link)
    assert page.status_code == 200 and b"<button" in page.data
    assert _suppressed(database) == []

    # and the mail client posts the one click (RFC 8058)
    done = client.post(header_link, data={"List-Unsubscribe": "One-Click"})

    # then the address is suppressed, and a later checkout of hers gets nothing
    assert done.status_code == 200
    assert _suppressed(database) == ["ana@example.com"]
    abandon_checkout(database, merchant, 2, email="Ana@Example.com")
    run_scan(database, reminder_settings)
    assert len(box.wait(2, timeout=0.5)) == 1


@pytest.mark.parametrize("path", ["/reminders/unsubscribe/forged", "/reminders/r/forged"])
def test_a_forged_link_is_refused_with_a_json_error(reminder_app: Flask, path: str) -> None:
    response = reminder_app.test_client().get(path)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_link"


def test_retention_and_erasure_cover_reminders(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given two reminders sent, one of them a year ago
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1, email="ana@example.com")
    abandon_checkout(database, merchant, 2, email="bob@example.com")
    run_scan(database, reminder_settings)
    with database.session() as session:
        old = session.scalars(
            select(ReminderDelivery).where(ReminderDelivery.email == "bob@example.com")
        ).one()
        old.created_at = utcnow() - timedelta(days=365)

    # when the retention job runs, and Ana asks to be erased
    with database.session() as session:
        installation = session.get(Installation, merchant.id)
        assert installation is not None
        counts = purge_installation(session, installation, utcnow())
    result = run_query(
        database,
        merchant,
        'mutation { remindersEraseByEmail(email: "ANA@example.com") '
        "{ deletedReminders errors { field } } }",
    )

    # then nothing of either is left
    assert counts.reminders == 1
    assert result.errors is None
    assert result.data["remindersEraseByEmail"] == {"deletedReminders": 1, "errors": []}
    assert rows(database) == []


def _suppressed(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(ReminderSuppression.email)))
