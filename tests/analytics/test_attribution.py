"""Orders credited to the prompt that last touched the visitor, once, in their own currency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from saleor_proactive.analytics.rollup import rollup_pending
from saleor_proactive.analytics.stats import trigger_stats
from saleor_proactive.store.merchant_settings import load_settings, save_settings
from saleor_proactive.store.models import Conversion
from saleor_proactive.triggers.context import Money
from tests.fixtures.analytics import ShopHistory

ORDER_AT = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 30, tzinfo=UTC)


def _conversions(history: ShopHistory) -> list[Conversion]:
    return list(history.session.scalars(select(Conversion).order_by(Conversion.order_id)))


def test_an_exposure_eight_days_before_is_outside_a_seven_day_window(history: ShopHistory) -> None:
    # given the default 7-day window and a prompt shown 8 days before the order
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(days=8))
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then
    assert _conversions(history) == []


def test_an_exposure_six_days_before_is_credited(history: ShopHistory) -> None:
    # given
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(days=6))
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then
    [conversion] = _conversions(history)
    assert (conversion.trigger_id, conversion.group, conversion.visitor_id) == (
        "t1",
        "exposed",
        "v1",
    )
    assert (conversion.amount, conversion.currency) == (Decimal("80.00"), "EUR")


def test_the_merchants_window_setting_is_honoured(history: ShopHistory) -> None:
    # given a 10-day window and a prompt shown 8 days before the order
    save_settings(
        history.session,
        history.installation,
        load_settings(history.installation).updated({"attributionWindowDays": 10}),
    )
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(days=8))
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then
    assert len(_conversions(history)) == 1


def test_last_touch_wins(history: ShopHistory) -> None:
    # given the visitor saw t1, then was held out of t2 (control), then ordered
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(days=2))
    history.interact("v1", "t2", "control", ORDER_AT - timedelta(hours=1))
    history.interact(
        "v1", "t1", "click", ORDER_AT - timedelta(minutes=30)
    )  # a click is no exposure
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then the order is credited to t2's control group ...
    [conversion] = _conversions(history)
    assert (conversion.trigger_id, conversion.group) == ("t2", "control")
    # ... and the visitor counts as a converter in both cohorts (intention to treat)
    stats = {
        s.trigger_id: s
        for s in trigger_stats(
            history.session, history.installation.id, date(2026, 11, 1), date(2026, 11, 10), LATER
        )
    }
    assert (stats["t1"].exposed.converters, stats["t1"].exposed.conversions) == (1, 0)
    assert (stats["t2"].control.converters, stats["t2"].control.conversions) == (1, 1)


def test_a_prompt_issued_but_never_shown_earns_nothing(history: ShopHistory) -> None:
    # given an exit-intent prompt (t1) shown, then a checkout prompt (t2) issued whose delay
    # had not run out when the visitor went on to pay: t2 was never displayed
    history.interact("v1", "t1", "issued", ORDER_AT - timedelta(minutes=20))
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(minutes=20))
    history.interact("v1", "t2", "issued", ORDER_AT - timedelta(minutes=5))
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then the prompt the visitor saw gets the order and its revenue
    [conversion] = _conversions(history)
    assert (conversion.trigger_id, conversion.group) == ("t1", "exposed")
    stats = {
        s.trigger_id: s
        for s in trigger_stats(
            history.session, history.installation.id, date(2026, 11, 1), date(2026, 11, 10), LATER
        )
    }
    assert stats["t2"].exposed.conversions == 0
    assert not stats["t2"].exposed.revenue
    # ... while t2's cohort still counts the visitor as a converter (intention to treat)
    assert stats["t2"].exposed.converters == 1


def test_an_issued_prompt_alone_credits_no_trigger(history: ShopHistory) -> None:
    # given a prompt issued but never reported shown
    history.interact("v1", "t1", "issued", ORDER_AT - timedelta(minutes=5))
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then no trigger takes the order, but the cohort still counts its converter
    assert _conversions(history) == []
    [stats] = trigger_stats(
        history.session, history.installation.id, date(2026, 11, 1), date(2026, 11, 10), LATER
    )
    assert (stats.exposed.visitors, stats.exposed.converters) == (1, 1)


def test_an_exposure_after_the_order_is_not_credited(history: ShopHistory) -> None:
    # given
    history.interact("v1", "t1", "impression", ORDER_AT + timedelta(minutes=5))
    history.link_checkout("v1", "checkout-1")

    # when
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then
    assert _conversions(history) == []


def test_duplicate_and_late_order_webhooks_count_once(history: ShopHistory) -> None:
    # given an order credited on a day the periodic job has since finalised
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(hours=3))
    history.link_checkout("v1", "checkout-1")
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)
    rollup_pending(history.session, history.installation.id, now=LATER)

    # when Saleor delivers the same order again, days later
    history.order("order-1", "checkout-1", "80.00", ORDER_AT)

    # then
    assert len(_conversions(history)) == 1
    [stats] = trigger_stats(
        history.session, history.installation.id, ORDER_AT.date(), ORDER_AT.date(), LATER
    )
    assert stats.exposed.conversions == 1
    assert stats.exposed.revenue == (Money(Decimal("80.00"), "EUR"),)


def test_a_late_order_for_a_finalised_day_is_added_to_its_aggregates(history: ShopHistory) -> None:
    # given two exposed visitors; the days are finalised before the second order arrives
    for visitor, checkout in (("v1", "c1"), ("v2", "c2")):
        history.interact(visitor, "t1", "impression", ORDER_AT - timedelta(hours=3))
        history.link_checkout(visitor, checkout)
    history.order("order-1", "c1", "80.00", ORDER_AT)
    rollup_pending(history.session, history.installation.id, now=LATER)

    # when the second order (placed the same day) is delivered late
    history.order("order-2", "c2", "20.00", ORDER_AT + timedelta(hours=1))

    # then the finalised day shows both orders and both converters, each once
    [stats] = trigger_stats(
        history.session, history.installation.id, ORDER_AT.date(), ORDER_AT.date(), LATER
    )
    assert (stats.exposed.conversions, stats.exposed.converters) == (2, 2)
    assert stats.exposed.revenue == (Money(Decimal("100.00"), "EUR"),)


def test_currencies_are_never_added_together(history: ShopHistory) -> None:
    # given visitors of the EUR and the USD channel exposed to the same trigger
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(hours=2))
    history.interact("v2", "t1", "impression", ORDER_AT - timedelta(hours=2), channel="channel-usd")
    history.link_checkout("v1", "c1")
    history.link_checkout("v2", "c2", channel="channel-usd")

    # when
    history.order("order-1", "c1", "50.00", ORDER_AT)
    history.order("order-2", "c2", "75.00", ORDER_AT, currency="USD", channel="channel-usd")

    # then
    [stats] = trigger_stats(
        history.session, history.installation.id, ORDER_AT.date(), ORDER_AT.date(), LATER
    )
    assert stats.exposed.revenue == (
        Money(Decimal("50.00"), "EUR"),
        Money(Decimal("75.00"), "USD"),
    )


def test_orders_without_a_known_visitor_are_not_credited(history: ShopHistory) -> None:
    # given an exposed visitor whose checkout we never learned
    history.interact("v1", "t1", "impression", ORDER_AT - timedelta(hours=2))

    # when
    history.order("order-1", "unknown-checkout", "80.00", ORDER_AT)
    history.order("order-2", None, "80.00", ORDER_AT)

    # then
    assert history.session.scalar(select(func.count()).select_from(Conversion)) == 0
