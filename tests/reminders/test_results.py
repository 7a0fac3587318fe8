"""Reminders measured as triggers are: a hold-out share of abandoned checkouts gets none, and
the results show sent, clicked, recovered orders and revenue per step, and the uplift."""

from __future__ import annotations

from sqlalchemy import select

from saleor_proactive.config import Settings
from saleor_proactive.reminders.due import in_holdout
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import ReminderDelivery, utcnow
from tests.fixtures.dashboard import MerchantInstallation, run_query
from tests.fixtures.reminders import Mailbox, abandon_checkout, click_and_buy, enable_reminders
from tests.reminders.test_delivery import run_scan

QUERY = """query R($from: Date!, $to: Date!) { reminderResults(from: $from, to: $to) {
  steps { step sent clicked recoveredOrders revenue { amount currency } }
  remindedCheckouts remindedRecovered controlCheckouts controlRecovered
  uplift { absolute low high } enoughData verdict } }"""


def test_the_hold_out_gets_nothing_and_the_results_count_each_group(
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
) -> None:
    # given 40 abandoned checkouts, half of them held out
    enable_reminders(database, merchant.id, holdoutPercent=50)
    checkouts = [abandon_checkout(database, merchant, n) for n in range(40)]
    control = [c for c in checkouts if in_holdout(c, 50)]
    reminded = [c for c in checkouts if c not in control]
    assert control and reminded

    # when the reminders go, one is clicked, and two reminded and one held-out buy later
    run_scan(database, reminder_settings)
    click_and_buy(database, merchant.id, reminded[0], [reminded[0], reminded[1], control[0]])
    today = utcnow().date().isoformat()
    result = run_query(database, merchant, QUERY, {"from": today, "to": today})

    # then only the reminded got a message, and the results say so
    assert len(mailbox[0].wait(len(reminded))) == len(reminded)
    with database.session() as session:
        states = dict(
            session.execute(select(ReminderDelivery.checkout_id, ReminderDelivery.state)).all()
        )
    assert {states[c] for c in control} == {"control"}
    assert result.errors is None
    found = result.data["reminderResults"]
    assert found["steps"] == [
        {
            "step": 1,
            "sent": len(reminded),
            "clicked": 1,
            "recoveredOrders": 2,
            "revenue": [{"amount": 80.0, "currency": "EUR"}],
        }
    ]
    assert (found["remindedCheckouts"], found["remindedRecovered"]) == (len(reminded), 2)
    assert (found["controlCheckouts"], found["controlRecovered"]) == (len(control), 1)
    assert found["uplift"]["low"] < found["uplift"]["absolute"] < found["uplift"]["high"]
    assert found["verdict"] == "NOT_ENOUGH_DATA"


def test_a_reversed_range_is_refused_naming_the_problem(
    database: Database, merchant: MerchantInstallation
) -> None:
    result = run_query(database, merchant, QUERY, {"from": "2026-02-02", "to": "2026-02-01"})
    assert result.errors and "`to` must not be before `from`" in result.errors[0].message
