"""Exposure facts recorded from the visitor API's interaction rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from saleor_proactive.analytics.recording import count_interaction_rows
from saleor_proactive.store.models import TriggerExposure
from tests.fixtures.analytics import ShopHistory

AT = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def _row(history: ShopHistory, visitor: str, kind: str, at: datetime) -> dict[str, Any]:
    return {
        "installation_id": history.installation.id,
        "trigger_id": "t1",
        "visitor_id": visitor,
        "channel": "default-channel",
        "kind": kind,
        "occurred_at": at,
    }


def test_a_batch_records_one_exposure_per_visitor_and_trigger(history: ShopHistory) -> None:
    # given a batch with two impressions of one visitor, a click and a control exposure
    rows = [
        _row(history, "v1", "impression", AT),
        _row(history, "v1", "impression", AT + timedelta(minutes=5)),
        _row(history, "v1", "click", AT + timedelta(minutes=6)),
        _row(history, "v2", "control", AT),
    ]

    # when it is recorded twice (a retried request)
    count_interaction_rows(history.session, rows)
    count_interaction_rows(history.session, rows)

    # then
    exposures = history.session.execute(
        select(
            TriggerExposure.visitor_id,
            TriggerExposure.group,
            TriggerExposure.first_exposed_at,
            TriggerExposure.last_exposed_at,
        ).order_by(TriggerExposure.visitor_id)
    ).all()
    assert exposures == [
        ("v1", "exposed", AT, AT + timedelta(minutes=5)),
        ("v2", "control", AT, AT),
    ]


def test_a_later_exposure_widens_the_window_but_keeps_the_first_group(
    history: ShopHistory,
) -> None:
    # given
    count_interaction_rows(history.session, [_row(history, "v1", "impression", AT)])

    # when the visitor is later recorded in the control group (the hold-out share changed)
    count_interaction_rows(
        history.session, [_row(history, "v1", "control", AT + timedelta(days=2))]
    )

    # then
    exposure = history.session.scalars(select(TriggerExposure)).one()
    assert (exposure.group, exposure.first_exposed_at) == ("exposed", AT)
    assert exposure.last_exposed_at == AT + timedelta(days=2)


def test_issued_and_control_join_the_cohort_at_decision_time(history: ShopHistory) -> None:
    # given an action issued to v1 that v1 never saw (they left before the delay), and v2 held out
    history.interact("v1", "t1", "issued", AT)
    history.interact("v2", "t1", "control", AT)

    # when
    exposures = history.session.execute(
        select(TriggerExposure.visitor_id, TriggerExposure.group).order_by(
            TriggerExposure.visitor_id
        )
    ).all()

    # then both count in their group of the trigger's cohort
    assert exposures == [("v1", "exposed"), ("v2", "control")]
