"""The code pool against the sandbox Saleor over real HTTP: vouchers made and kept in step with
their triggers, codes made ahead of demand, expired codes removed, deleted offers deactivated."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from saleor_proactive.config import Settings
from saleor_proactive.offers import pool
from saleor_proactive.rulebook import create_trigger, update_trigger
from saleor_proactive.sandbox.state import VoucherRecord
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import OfferCode, utcnow
from saleor_proactive.store.triggers import delete_trigger
from tests.fixtures.sandbox import Installed
from tests.rules import offer_rule


def add_offer(database: Database, installed: Installed, **fields: object) -> str:
    with database.session() as session:
        return create_trigger(session, installed.installation_id, offer_rule(**fields)).id


def only_voucher(installed: Installed) -> VoucherRecord:
    vouchers = list(installed.saleor.shop.vouchers.values())
    assert len(vouchers) == 1
    return vouchers[0]


def pooled_codes(database: Database, trigger_id: str) -> list[str]:
    with database.session() as session:
        query = select(OfferCode.code).where(OfferCode.trigger_id == trigger_id)
        return list(session.scalars(query))


def test_refill_creates_one_single_use_voucher_with_the_triggers_terms_and_a_pool_of_codes(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer of 10 % from a 40.00 cart, in the default channel only
    trigger_id = add_offer(
        database,
        installed,
        channels=["default-channel"],
        offer={
            "discount": {"type": "percentage", "value": 10},
            "validMinutes": 60,
            "minimumCartValue": 40,
        },
    )

    # when the pool is refilled twice
    first = pool.refill(database, settings, pool_size=25)
    second = pool.refill(database, settings, pool_size=25)

    # then Saleor holds one voucher with those terms and the app's 25 codes, made once
    voucher = only_voucher(installed)
    assert (voucher.type, voucher.value_type, voucher.single_use) == (
        "ENTIRE_ORDER",
        "PERCENTAGE",
        True,
    )
    assert {slug: (str(v), str(m)) for slug, (v, m) in voucher.channels.items()} == {
        "default-channel": ("10", "40")
    }
    codes = pooled_codes(database, trigger_id)
    assert len(codes) == 25 and set(codes) == set(voucher.codes)
    assert (first.vouchers_created, first.codes_created) == (1, 25)
    assert (second.vouchers_created, second.codes_created) == (0, 0)


def test_an_edited_trigger_updates_its_voucher_and_keeps_the_codes_out(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer whose pool is full, and one code claimed
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=5)
    claimed = pooled_codes(database, trigger_id)[0]
    with database.session() as session:
        session.execute(
            update(OfferCode)
            .where(OfferCode.code == claimed)
            .values(visitor_id="v_1", expires_at=utcnow() + timedelta(minutes=30))
        )

    # when the merchant turns it into 5.00 off in every channel
    with database.session() as session:
        update_trigger(
            session,
            installed.installation_id,
            trigger_id,
            offer_rule(offer={"discount": {"type": "fixed", "amount": 5}, "validMinutes": 60}),
        )
    report = pool.refill(database, settings, pool_size=5)

    # then the same voucher now gives 5.00 off everywhere, the claimed code still works, and
    # the pool is topped up by the one code that went out
    voucher = only_voucher(installed)
    assert voucher.value_type == "FIXED"
    assert {str(value) for value, _ in voucher.channels.values()} == {"5"}
    assert set(voucher.channels) == set(installed.saleor.shop.channels)
    assert claimed in voucher.codes
    assert (report.vouchers_updated, report.codes_created) == (1, 1)


def test_expire_removes_unused_codes_past_their_expiry_and_marks_spent_ones(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given three claimed codes: one expired, one still valid, one expired but deactivated by
    # an order (Saleor 3.23 deactivates a single-use code; its `used` stays 0) whose
    # ORDER_CREATED has not arrived yet
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=5)
    expired, valid, used = pooled_codes(database, trigger_id)[:3]
    now = utcnow()
    with database.session() as session:
        for code, expires in ((expired, -1), (valid, 30), (used, -1)):
            session.execute(
                update(OfferCode)
                .where(OfferCode.code == code)
                .values(
                    visitor_id=f"v_{code}",
                    holder=f"v_{code}",
                    expires_at=now + timedelta(minutes=expires),
                )
            )
    only_voucher(installed).codes[used].is_active = False

    # when the clean-up runs
    report = pool.expire(database, settings, now)

    # then only the expired, unused code is gone from Saleor; its row stays, marked removed,
    # so that it still counts towards the day's cap; the used one is marked spent, and neither
    # is held by its visitor any more
    codes = only_voucher(installed).codes
    assert expired not in codes and valid in codes and used in codes
    assert (report.codes_removed, report.codes_spent) == (1, 1)
    with database.session() as session:
        rows = {row.code: row for row in session.scalars(select(OfferCode))}
    assert rows[expired].removed_at == now and rows[expired].spent_at is None
    assert rows[used].spent_at == now and rows[used].removed_at is None
    assert rows[valid].removed_at is None and rows[valid].spent_at is None
    assert [code for code, row in rows.items() if row.holder] == [valid]


def test_a_pooled_code_saleor_deactivated_is_never_handed_out_and_is_replaced(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given a pool of three, one of which was used in Saleor (say by staff who saw it there)
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=3)
    spent = pooled_codes(database, trigger_id)[0]
    only_voucher(installed).codes[spent].is_active = False

    # when the clean-up runs, then the refill, as in the periodic job
    cleaned = pool.expire(database, settings)
    filled = pool.refill(database, settings, pool_size=3)

    # then the spent code is out of the pool and a new one took its place
    assert (cleaned.codes_spent, filled.codes_created) == (1, 1)
    with database.session() as session:
        ready = set(session.scalars(select(OfferCode.code).where(pool.unclaimed(trigger_id))))
    assert len(ready) == 3 and spent not in ready
    assert pool.expire(database, settings).codes_spent == 0


def test_the_voucher_is_created_with_its_first_batch_of_codes_then_topped_up(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer (Saleor 3.23 refuses voucherCreate without `code` or `addCodes`, and the
    # sandbox does too)
    trigger_id = add_offer(database, installed)

    # when its pool of 120 is filled
    report = pool.refill(database, settings, pool_size=120)

    # then one voucher holds 100 codes from its creation and 20 added after, all stored here
    assert (report.vouchers_created, report.codes_created) == (1, 120)
    assert set(only_voucher(installed).codes) == set(pooled_codes(database, trigger_id))
    assert len(pooled_codes(database, trigger_id)) == 120


def test_a_deleted_offers_voucher_is_deactivated_and_its_pool_emptied(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer with a full pool
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=3)

    # when the trigger is deleted and the clean-up runs
    with database.session() as session:
        delete_trigger(session, installed.installation_id, trigger_id)
    now = utcnow()
    report = pool.expire(database, settings, now)

    # then the voucher has ended in Saleor (no code of it works any more) and nothing is pooled
    assert only_voucher(installed).end_date is not None
    assert only_voucher(installed).end_date <= utcnow()
    assert report.vouchers_deactivated == 1
    assert pooled_codes(database, trigger_id) == []
    assert pool.expire(database, settings, now).vouchers_deactivated == 0
