"""Expired visitor data is purged; the aggregates and conversions that reports need stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from saleor_proactive.analytics.maintenance import run_maintenance
from saleor_proactive.analytics.retention import purge_expired
from saleor_proactive.analytics.stats import trigger_stats
from saleor_proactive.store.db import Database
from saleor_proactive.store.installations import upsert_installation
from saleor_proactive.store.models import (
    Conversion,
    Interaction,
    OfferCode,
    TriggerExposure,
    Visitor,
)
from tests.fixtures.analytics import ShopHistory

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=100)
RECENT = NOW - timedelta(days=3)


def _visitor(history: ShopHistory, visitor_id: str, seen: datetime) -> None:
    history.session.add(
        Visitor(
            installation_id=history.installation.id,
            visitor_id=visitor_id,
            channel="default-channel",
            session_id=f"s-{visitor_id}",
            session_started_at=seen,
            last_seen_at=seen,
        )
    )
    history.session.flush()


def _count(history: ShopHistory, model: type) -> int:
    return int(history.session.scalar(select(func.count()).select_from(model)) or 0)


def test_purge_forgets_old_visitors_but_keeps_the_old_report(history: ShopHistory) -> None:
    # given an old visitor who saw a prompt and ordered 100 days ago, and a recent visitor
    _visitor(history, "old", OLD)
    history.interact("old", "t1", "impression", OLD)
    history.interact("old", "t1", "click", OLD + timedelta(minutes=1))
    history.link_checkout("old", "c-old", at=OLD)
    history.order("order-old", "c-old", "40.00", OLD + timedelta(hours=1))
    _visitor(history, "new", RECENT)
    history.interact("new", "t1", "impression", RECENT)
    old_day = OLD.date()
    before = trigger_stats(history.session, history.installation.id, old_day, old_day, NOW)

    # when the default 90-day retention is applied
    counts = purge_expired(history.session, NOW)

    # then the old visitor's raw data is gone and the recent one's stays
    assert (counts.visitors, counts.interactions, counts.exposures) == (1, 2, 1)
    assert counts.checkout_links == 1
    assert history.session.scalars(select(Visitor.visitor_id)).all() == ["new"]
    assert _count(history, Interaction) == 1
    assert _count(history, TriggerExposure) == 1
    # ... while the report over the old day and the conversion are unchanged
    assert _count(history, Conversion) == 1
    after = trigger_stats(history.session, history.installation.id, old_day, old_day, NOW)
    assert after == before
    assert (after[0].exposed.impressions, after[0].exposed.conversions) == (1, 1)


def test_purge_twice_deletes_nothing_more(history: ShopHistory) -> None:
    # given
    _visitor(history, "old", OLD)
    history.interact("old", "t1", "impression", OLD)
    purge_expired(history.session, NOW)

    # when
    counts = purge_expired(history.session, NOW)

    # then
    assert (counts.visitors, counts.interactions, counts.exposures, counts.days_rolled_up) == (
        0,
        0,
        0,
        0,
    )


def test_purge_never_deletes_raw_rows_of_a_day_that_is_not_final(history: ShopHistory) -> None:
    # given a one-day retention and an impression from 25 hours ago, 30 minutes after midnight
    history.session.add(history.installation)
    history.installation.settings = {**history.installation.settings, "retentionDays": 1}
    just_after_midnight = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    history.interact("v", "t1", "impression", just_after_midnight - timedelta(hours=25))
    history.interact("v", "t1", "impression", just_after_midnight - timedelta(hours=1))

    # when the purge runs before yesterday has settled
    purge_expired(history.session, just_after_midnight)

    # then only the row of the finalised day before yesterday is gone
    assert _count(history, Interaction) == 1
    day = (just_after_midnight - timedelta(hours=25)).date()
    [stats] = trigger_stats(history.session, history.installation.id, day, day, just_after_midnight)
    assert stats.exposed.impressions == 1


def test_the_periodic_job_finalises_days_and_purges_in_small_transactions(
    database: Database,
) -> None:
    # given an installation with an old and a recent exposure, committed
    with database.session() as session:
        installation, _ = upsert_installation(
            session,
            saleor_api_url="https://job-shop.example.com/graphql/",
            app_id="QXBwOjM=",
            token="t",
            jwks={"keys": []},
            secret="s",
        )
        history = ShopHistory(session, installation)
        history.interact("old", "t1", "impression", OLD)
        history.interact("new", "t1", "impression", RECENT)

    # when
    counts = run_maintenance(database, NOW)

    # then every settled day is final, the old raw row is gone, its figures stay
    assert counts.interactions == 1
    assert counts.days_rolled_up == (NOW.date() - OLD.date()).days
    with database.session() as session:
        [stats] = trigger_stats(session, installation.id, OLD.date(), RECENT.date(), NOW)
        assert stats.exposed.impressions == 2
        assert run_maintenance(database, NOW).days_rolled_up == 0


def test_purge_forgets_offer_codes_that_ended_without_an_order(history: ShopHistory) -> None:
    # given offer codes: removed (expired) and spent long ago without an order, one used by an
    # order long ago, one spent recently, and one still in the pool
    def code(name: str, **fields: object) -> None:
        history.session.add(
            OfferCode(installation_id=history.installation.id, trigger_id="t1", code=name, **fields)
        )

    code("OLD-EXPIRED", visitor_id="a", removed_at=OLD)
    code("OLD-SPENT", visitor_id="b", spent_at=OLD)
    code("OLD-ORDER", visitor_id="c", spent_at=OLD, order_id="order-c")
    code("NEW-SPENT", visitor_id="d", spent_at=RECENT)
    code("POOLED", created_at=OLD)
    history.session.flush()

    # when the default 90-day retention is applied
    counts = purge_expired(history.session, NOW)

    # then only the two old codes without an order are gone: an order's code is its discount
    # given, kept as its conversion is
    assert counts.offer_codes == 2
    left = history.session.scalars(select(OfferCode.code).order_by(OfferCode.code)).all()
    assert left == ["NEW-SPENT", "OLD-ORDER", "POOLED"]
