"""Cohort entry at decision time: `issued` for treated visitors, `control` for held-out ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select, update

from saleor_proactive.analytics.stats import trigger_stats
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Interaction, Visitor, utcnow
from saleor_proactive.triggers.engine import holdout_bucket
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule
from tests.storefront.helpers import (
    body,
    interactions,
    now_ms,
    page_view,
    post,
    visitor_row,
)

CHECKOUT = "https://shop.example.com/checkout"
DELAYED = {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 45}}]}


def _one_of_each_group(trigger_id: str) -> tuple[str, str]:
    ids = [f"v_{n}" for n in range(40)]
    control = next(v for v in ids if holdout_bucket(trigger_id, v) < 5000)
    treated = next(v for v in ids if holdout_bucket(trigger_id, v) >= 5000)
    return control, treated


def _entries(database: Database) -> dict[str, tuple[str, datetime]]:
    """Visitor id -> (kind, occurred_at) of the cohort-entry rows."""
    with database.session() as session:
        rows = session.execute(
            select(Interaction.visitor_id, Interaction.kind, Interaction.occurred_at).where(
                Interaction.kind.in_(("issued", "control"))
            )
        )
        return {visitor: (kind, at) for visitor, kind, at in rows}


def test_an_issued_action_is_recorded_once_per_session_across_page_views(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a prompt on the contact page, issued on three page views of one session
    trigger_id = shop.trigger(chat_rule("Contact help", {"pageType": {"in": ["contact"]}}))
    contact = body([page_view("https://shop.example.com/contact")])
    answers = [post(storefront_client, contact).get_json()["actions"] for _ in range(3)]

    # when the visitor comes back after 31 idle minutes (a new session) and gets it again
    with database.session() as session:
        session.execute(update(Visitor).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    answers.append(post(storefront_client, contact).get_json()["actions"])

    # then every answer carried the action, and each session recorded one `issued` row
    assert [len(actions) for actions in answers] == [1, 1, 1, 1]
    assert interactions(database) == [("issued", trigger_id, "v_visitor1")] * 2
    with database.session() as session:
        action_ids = session.scalars(select(Interaction.action_id).order_by(Interaction.id))
        assert [a.split(":")[2] for a in action_ids] == ["1", "2"]  # session numbers


def test_issuing_does_not_consume_the_frequency_allowance_the_impression_does(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a prompt allowed once per session, issued twice but not shown yet
    trigger_id = shop.trigger(chat_rule("Contact help", {"pageType": {"in": ["contact"]}}))
    contact = body([page_view("https://shop.example.com/contact")])
    post(storefront_client, contact)
    [action] = post(storefront_client, contact).get_json()["actions"]
    before = visitor_row(database)

    # when the snippet reports it shown
    shown = {"type": "action_shown", "actionId": action["id"], "ts": now_ms()}
    post(storefront_client, body([shown]))

    # then only the impression used up the allowance, and the prompt is not offered again
    after = visitor_row(database)
    assert before is not None and after is not None
    assert before.frequency.get(trigger_id, {}).get("ever", 0) == 0
    assert after.frequency[trigger_id]["ever"] == 1
    assert post(storefront_client, contact).get_json()["actions"] == []


def test_control_and_treated_visitors_enter_their_cohorts_at_decision_time(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a prompt 45 s into the checkout page, half the visitors held out
    trigger_id = shop.trigger(chat_rule("Help at checkout", DELAYED, holdoutPercent=50))
    control, treated = _one_of_each_group(trigger_id)

    # when both arrive on the checkout page (and leave before the prompt would show)
    moments = {}
    for visitor in (control, treated):
        started = utcnow()
        response = post(storefront_client, body([page_view(CHECKOUT)], visitorId=visitor))
        moments[visitor] = (started, utcnow(), response.get_json()["actions"])

    # then each entered its group during its own request, though the prompt shows 45 s later
    entries = _entries(database)
    assert moments[control][2] == []
    assert moments[treated][2][0]["showAfterMs"] >= 44_000
    for visitor, kind in ((control, "control"), (treated, "issued")):
        started, answered, _ = moments[visitor]
        assert entries[visitor][0] == kind
        assert started <= entries[visitor][1] <= answered
    assert [kind for kind, _, _ in interactions(database)] == ["control", "issued"]


def test_trigger_stats_counts_the_treated_visitor_as_exposed_before_any_impression(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given one held-out and one treated visitor of a delayed checkout prompt, nothing shown
    trigger_id = shop.trigger(chat_rule("Help at checkout", DELAYED, holdoutPercent=50))
    for visitor in _one_of_each_group(trigger_id):
        post(storefront_client, body([page_view(CHECKOUT)], visitorId=visitor))

    # when the merchant looks at today's figures
    today = utcnow().date()
    with database.session() as session:
        [stats] = trigger_stats(session, shop.installation_id, today, today)

    # then both groups hold one visitor; the treated one has no impression yet
    assert stats.trigger_id == trigger_id
    assert (stats.exposed.visitors, stats.exposed.impressions) == (1, 0)
    assert stats.control.visitors == 1
