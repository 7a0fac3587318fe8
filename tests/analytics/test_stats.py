"""Per-trigger figures and the daily series, live and from the stored daily aggregates."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saleor_proactive.analytics.rollup import rollup, rollup_pending
from saleor_proactive.analytics.stats import daily_series, trigger_stats
from saleor_proactive.rulebook import create_trigger
from saleor_proactive.store.db import Database
from saleor_proactive.store.installations import upsert_installation
from saleor_proactive.store.models import DailyTriggerStats, ExposureSyncMark
from saleor_proactive.triggers.defaults import default_rule_documents
from tests.fixtures.analytics import ShopHistory

DAY = date(2026, 11, 2)
NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _two_days_of_traffic(history: ShopHistory) -> None:
    for visitor in ("a", "b", "c"):
        history.interact(visitor, "t1", "impression", NOON)
    history.interact("a", "t1", "click", NOON + timedelta(seconds=5))
    history.interact("b", "t1", "dismissal", NOON + timedelta(seconds=5))
    history.interact("z", "t1", "control", NOON)
    # the next day visitor "a" sees the prompt again and "d" for the first time
    history.interact("a", "t1", "impression", NOON + timedelta(days=1))
    history.interact("d", "t1", "impression", NOON + timedelta(days=1))


def test_trigger_stats_counts_interactions_and_distinct_visitors(history: ShopHistory) -> None:
    # given
    _two_days_of_traffic(history)

    # when
    [stats] = trigger_stats(
        history.session, history.installation.id, DAY, DAY + timedelta(days=1), now=LATER
    )

    # then visitor "a", exposed on both days, is one visitor of the cohort
    assert stats.trigger_id == "t1"
    assert (stats.exposed.impressions, stats.exposed.clicks, stats.exposed.dismissals) == (5, 1, 1)
    assert stats.exposed.visitors == 4
    assert (stats.control.impressions, stats.control.visitors) == (1, 1)
    assert stats.enough_data is False


def test_rolled_up_days_report_the_same_figures_as_the_live_computation(
    history: ShopHistory,
) -> None:
    # given
    _two_days_of_traffic(history)
    live = trigger_stats(
        history.session, history.installation.id, DAY, DAY + timedelta(days=1), LATER
    )

    # when the periodic job finalises both days
    rolled = rollup_pending(history.session, history.installation.id, now=LATER)
    stored = trigger_stats(
        history.session, history.installation.id, DAY, DAY + timedelta(days=1), LATER
    )

    # then
    assert rolled >= 2
    assert stored == live
    assert (history.session.scalar(select(func.count()).select_from(DailyTriggerStats)) or 0) > 0


def test_rollup_twice_changes_nothing(history: ShopHistory) -> None:
    # given
    _two_days_of_traffic(history)
    rollup(history.session, history.installation.id, DAY, now=LATER)
    first = history.session.execute(
        select(DailyTriggerStats.group, DailyTriggerStats.impressions).order_by(
            DailyTriggerStats.group
        )
    ).all()

    # when
    rollup(history.session, history.installation.id, DAY, now=LATER)

    # then
    again = history.session.execute(
        select(DailyTriggerStats.group, DailyTriggerStats.impressions).order_by(
            DailyTriggerStats.group
        )
    ).all()
    assert again == first == [("control", 0), ("exposed", 3)]


def test_daily_series_has_a_point_for_every_day(history: ShopHistory) -> None:
    # given
    _two_days_of_traffic(history)

    # when
    series = daily_series(
        history.session, history.installation.id, DAY - timedelta(days=1), DAY, now=LATER
    )

    # then
    assert [point.day for point in series] == [DAY - timedelta(days=1), DAY]
    assert (series[0].impressions, series[1].impressions) == (0, 3)
    assert (series[1].clicks, series[1].dismissals, series[1].control_exposures) == (1, 1, 1)


def test_another_installation_sees_none_of_these_figures(
    history: ShopHistory, analytics_session: Session
) -> None:
    # given
    _two_days_of_traffic(history)
    other, _ = upsert_installation(
        analytics_session,
        saleor_api_url="https://other-shop.example.com/graphql/",
        app_id="QXBwOjI=",
        token="other-token",
        jwks={"keys": []},
        secret="test-secret",
    )

    # when
    stats = trigger_stats(analytics_session, other.id, DAY, DAY, LATER)

    # then
    assert stats == []


def test_an_issued_action_counts_the_visitor_but_not_an_impression(
    history: ShopHistory,
) -> None:
    # given an action issued to a visitor who left before it showed
    history.interact("gone", "t1", "issued", NOON)

    # when
    [stats] = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    # then
    assert (stats.exposed.visitors, stats.exposed.impressions) == (1, 0)


def test_live_reports_catch_up_on_new_and_older_exposures(history: ShopHistory) -> None:
    # given a report that already ran over today
    iid = history.installation.id
    history.interact("a", "t1", "impression", NOON)
    trigger_stats(history.session, iid, DAY, DAY, now=NOON + timedelta(minutes=1))

    # when a new visitor is exposed, and a report also covers an earlier, never-synced day
    history.interact("b", "t1", "impression", NOON + timedelta(minutes=2))
    history.interact("z", "t1", "impression", NOON - timedelta(days=1))
    first, last = DAY - timedelta(days=1), DAY
    [stats] = trigger_stats(history.session, iid, first, last, now=NOON + timedelta(minutes=3))

    # then both are in the cohort
    assert stats.exposed.visitors == 3


def test_a_trigger_without_activity_is_listed_with_zeros(history: ShopHistory) -> None:
    # given a trigger the merchant just created, and traffic of another one
    _two_days_of_traffic(history)
    quiet = create_trigger(history.session, history.installation.id, default_rule_documents()[0])

    # when
    stats = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    # then
    by_id = {row.trigger_id: row for row in stats}
    assert set(by_id) == {"t1", quiet.id}
    assert by_id[quiet.id].exposed.impressions == 0
    assert by_id[quiet.id].exposed.conversions == 0
    assert by_id[quiet.id].control.impressions == 0
    assert by_id["t1"].exposed.impressions == 3


def test_a_trigger_that_converts_far_better_than_its_hold_out_likely_helps(
    history: ShopHistory,
) -> None:
    # given 200 exposed visitors of whom 30 order, and 100 held out of whom 2 order
    for number in range(200):
        history.interact(f"e{number}", "t1", "issued", NOON)
    for number in range(100):
        history.interact(f"c{number}", "t1", "control", NOON)
    buyers = [f"e{number}" for number in range(30)] + ["c0", "c1"]
    for visitor in buyers:
        history.link_checkout(visitor, f"checkout-{visitor}")
        history.order(f"order-{visitor}", f"checkout-{visitor}", "50.00", NOON + timedelta(hours=1))

    # when
    [stats] = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    # then 15 % against 2 %: the whole interval lies above zero
    assert (stats.exposed.converters, stats.control.converters) == (30, 2)
    assert stats.as_json()["verdict"] == "likely_helps"
    assert stats.as_json()["moreVisitorsNeeded"] is None


def test_a_young_trigger_says_how_many_more_visitors_it_needs(history: ShopHistory) -> None:
    # given 4 exposed and 1 held-out visitors, one exposed visitor ordered
    for visitor in ("a", "b", "c", "d"):
        history.interact(visitor, "t1", "issued", NOON)
    history.interact("z", "t1", "control", NOON)
    history.link_checkout("a", "checkout-a")
    history.order("order-a", "checkout-a", "50.00", NOON + timedelta(hours=1))

    # when
    [stats] = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    # then at the current 4:1 split, 100 held-out visitors take 500 in all: 495 more
    assert stats.as_json()["verdict"] == "not_enough_data"
    assert stats.as_json()["moreVisitorsNeeded"] == 495


def test_reports_asked_at_once_for_a_shop_never_reported_on_all_answer(
    history: ShopHistory, database: Database
) -> None:
    # given a shop whose figures were never asked for (no sync mark yet)
    iid = history.installation.id
    history.interact("a", "t1", "impression", NOON)
    history.session.commit()

    # when several staff members open the results at the same moment
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def open_results() -> None:
        try:
            with database.session() as session:
                start.wait()
                trigger_stats(session, iid, DAY, DAY, now=NOON + timedelta(minutes=1))
        except BaseException as error:
            failures.append(error)

    readers = [threading.Thread(target=open_results) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()

    # then every one gets its figures, and the shop keeps one sync mark
    assert failures == []
    assert history.session.scalar(select(func.count()).select_from(ExposureSyncMark)) == 1
