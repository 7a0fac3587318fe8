"""Reminders from due to sent, through a real SMTP server on 127.0.0.1: at most once per
checkout and step, whatever fails."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from saleor_proactive.config import Settings
from saleor_proactive.reminders.delivery import MAX_ATTEMPTS, UNCERTAIN_SEND, deliver, suppress
from saleor_proactive.reminders.scan import scan
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import (
    ReminderDelivery,
    ReminderSuppression,
    Visitor,
    utcnow,
)
from saleor_proactive.store.snapshot_data import OrderData
from saleor_proactive.store.snapshots import record_order
from tests.fixtures.dashboard import MerchantInstallation
from tests.fixtures.reminders import Mailbox, abandon_checkout, add_product, enable_reminders


def run_scan(database: Database, settings: Settings, now: datetime | None = None) -> list[int]:
    """One scan, and the deliveries it enqueued run at once (as a worker would)."""
    batches: list[list[int]] = []
    scan(database, settings, batches.append, now)
    for batch in batches:
        deliver(database, settings, batch, now)
    return [delivery_id for batch in batches for delivery_id in batch]


def rows(database: Database) -> list[tuple[str, int, str, str | None]]:
    with database.session() as session:
        return [
            (r.checkout_id, r.step, r.state, r.outcome)
            for r in session.scalars(
                select(ReminderDelivery).order_by(
                    ReminderDelivery.checkout_id, ReminderDelivery.step
                )
            )
        ]


def test_an_abandoned_checkout_gets_one_reminder_with_its_cart_and_link(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given a checkout with an email, abandoned two hours ago, and reminders on (after 1 h)
    box, _port = mailbox
    enable_reminders(database, merchant.id)
    add_product(database, merchant.id, "UHJvZHVjdDox", "Colombia Huila 1 kg")
    checkout_id = abandon_checkout(database, merchant, 1, email="ana@example.com")

    # when the worker scans twice
    run_scan(database, reminder_settings)
    run_scan(database, reminder_settings)

    # then one message went, with the line, total, the tracked link and unsubscribe headers
    [message] = box.wait(1)
    assert message["To"] == "ana@example.com"
    assert message["Subject"] == "Your cart at shop-one.example.com is waiting"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "2 \u00d7 Colombia Huila 1 kg" in text and "€19.00" in text
    assert "Total: €19.00" in text
    assert "http://127.0.0.1:9160/reminders/r/" in text and "/reminders/r/" in html
    assert message["List-Unsubscribe"].startswith("<http://127.0.0.1:9160/reminders/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert rows(database) == [(checkout_id, 1, "sent", None)]


def test_the_second_reminder_follows_the_first_after_its_own_delay(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given a checkout abandoned 2 hours ago that got its first reminder
    box, _port = mailbox
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1)
    run_scan(database, reminder_settings)

    # when the worker scans 12 hours and then 23 hours later
    run_scan(database, reminder_settings, utcnow() + timedelta(hours=12))
    assert len(box.wait(1)) == 1
    run_scan(database, reminder_settings, utcnow() + timedelta(hours=23))

    # then the second went at 24 h, and no more after
    run_scan(database, reminder_settings, utcnow() + timedelta(hours=23, minutes=5))
    assert len(box.wait(2)) == 2
    assert [(step, state) for _c, step, state, _o in rows(database)] == [(1, "sent"), (2, "sent")]


def test_no_reminder_for_ordered_emptied_recent_active_or_unsubscribed_checkouts(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    box, _port = mailbox
    enable_reminders(database, merchant.id)
    ordered = abandon_checkout(database, merchant, 1)
    abandon_checkout(database, merchant, 2, lines=())  # emptied
    abandon_checkout(database, merchant, 3, ago=timedelta(minutes=30))  # not yet due
    active = abandon_checkout(database, merchant, 4)
    abandon_checkout(database, merchant, 5, email="gone@example.com")
    due = abandon_checkout(database, merchant, 6)
    now = utcnow()
    with database.session() as session:
        record_order(
            session,
            merchant.id,
            OrderData(
                "T3JkZXI6MQ==", ordered, "default-channel", Decimal(38), None, "EUR", now, now
            ),
        )
        session.add(
            Visitor(
                installation_id=merchant.id,
                visitor_id="v4",
                channel="default-channel",
                session_id="s",
                session_started_at=now,
                last_seen_at=now,
                checkout_id=active,
            )
        )
        suppress(session, merchant.id, "Gone@Example.com", "unsubscribed")

    # when
    run_scan(database, reminder_settings)

    # then only the one due checkout was reminded
    assert [c for c, _s, _st, _o in rows(database)] == [due]
    assert len(box.wait(1)) == 1


def test_reminders_stay_off_until_the_merchant_turns_them_on(
    database: Database, reminder_settings: Settings, merchant: MerchantInstallation
) -> None:
    abandon_checkout(database, merchant, 1)
    run_scan(database, reminder_settings)
    assert rows(database) == []


def test_an_order_arriving_before_the_send_cancels_it(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given a reminder enqueued, not yet sent
    enable_reminders(database, merchant.id)
    checkout_id = abandon_checkout(database, merchant, 1)
    batches: list[list[int]] = []
    scan(database, reminder_settings, batches.append)

    # when the order arrives, then the worker takes the task
    now = utcnow()
    with database.session() as session:
        record_order(
            session,
            merchant.id,
            OrderData(
                "T3JkZXI6MQ==", checkout_id, "default-channel", Decimal(38), None, "EUR", now, now
            ),
        )
    deliver(database, reminder_settings, batches[0])

    # then nothing went
    assert rows(database) == [(checkout_id, 1, "cancelled", "an order arrived")]
    assert mailbox[0].messages == []


def test_the_same_delivery_run_twice_at_once_sends_one_message(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given 20 due reminders, whose tasks the queue hands to four workers at once
    box, _port = mailbox
    enable_reminders(database, merchant.id)
    for number in range(20):
        abandon_checkout(database, merchant, number)
    batches: list[list[int]] = []
    scan(database, reminder_settings, batches.append)
    ids = [i for batch in batches for i in batch]

    # when
    workers = [
        threading.Thread(target=deliver, args=(database, reminder_settings, ids)) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    # then each checkout got one message
    keys = box.wait(20)
    assert len(keys) == 20
    assert len(set(box.keys())) == 20


def test_a_failing_mail_server_gets_retries_with_backoff_then_a_recorded_failure(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given a mail server that answers 451 (try later)
    box, _port = mailbox
    box.refuse_data = "451 4.3.0 try again later"
    enable_reminders(database, merchant.id)
    checkout_id = abandon_checkout(database, merchant, 1)

    # when the worker tries, and tries again as each retry comes due
    run_scan(database, reminder_settings)
    with database.session() as session:
        row = session.scalars(select(ReminderDelivery)).one()
        first_retry = row.next_attempt_at - utcnow()
    assert row.state == "retry" and timedelta(seconds=50) < first_retry <= timedelta(minutes=1)
    for minutes in (2, 5, 10, 30):
        run_scan(database, reminder_settings, utcnow() + timedelta(minutes=minutes))

    # then it gave up after MAX_ATTEMPTS, said why, and nothing was sent
    [(_c, _s, state, outcome)] = rows(database)
    assert state == "failed"
    assert outcome == f"gave up after {MAX_ATTEMPTS} attempts: mail server answered 451"
    assert box.messages == []
    assert checkout_id


def test_a_recovering_mail_server_gets_the_reminder_once(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    box, _port = mailbox
    box.refuse_data = "451 4.3.0 try again later"
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1)
    run_scan(database, reminder_settings)
    box.refuse_data = None
    run_scan(database, reminder_settings, utcnow() + timedelta(minutes=2))
    run_scan(database, reminder_settings, utcnow() + timedelta(minutes=10))
    assert len(box.wait(1)) == 1
    assert [state for _c, _s, state, _o in rows(database)] == ["sent"]


def test_a_bouncing_address_fails_at_once_and_is_never_written_to_again(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given a mail server that does not know the address
    box, _port = mailbox
    box.refuse_rcpt = "550 5.1.1 no such user"
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1, email="nobody@example.com")
    abandon_checkout(database, merchant, 2, email="nobody@example.com", ago=timedelta(minutes=10))

    # when the first reminder is tried, and later the other checkout comes due
    run_scan(database, reminder_settings)
    box.refuse_rcpt = None
    run_scan(database, reminder_settings, utcnow() + timedelta(hours=1))

    # then: failed, suppressed, and the other checkout of that address got nothing
    assert rows(database) == [
        ("Q2hlY2tvdXQ600000001", 1, "failed", "refused by the mail server (550)")
    ]
    assert box.messages == []


def test_an_invalid_address_is_recorded_and_not_tried(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1, email="not an address")
    run_scan(database, reminder_settings)
    assert [(s, o) for _c, _st, s, o in rows(database)] == [("failed", "not a valid email address")]
    assert mailbox[0].messages == []


def test_a_connection_lost_during_data_is_recorded_uncertain_and_never_resent(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given a mail server that takes the message and hangs up before answering
    box, _port = mailbox
    box.hang_up_in_data = True
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1)

    # when the worker sends, and scans again later with the server answering again
    run_scan(database, reminder_settings)
    box.hang_up_in_data = False
    for minutes in (2, 10, 30):
        run_scan(database, reminder_settings, utcnow() + timedelta(minutes=minutes))

    # then the one message that may have gone is the only one: recorded uncertain, not retried
    [(_c, _s, state, outcome)] = rows(database)
    assert state == "uncertain"
    assert outcome == UNCERTAIN_SEND
    assert len(box.wait(2, timeout=0.5)) == 1


def test_a_message_refused_for_good_fails_without_suppressing_the_address(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    mailbox[0].refuse_data = "554 5.7.1 message rejected as spam"
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1)
    run_scan(database, reminder_settings)
    [(_c, _s, state, outcome)] = rows(database)
    assert (state, outcome) == ("failed", "refused by the mail server (554)")
    with database.session() as session:
        assert session.scalars(select(ReminderSuppression)).all() == []
