"""The built-in chat beside impressions and clicks: conversations started per trigger, and
orders after a conversation, in `stats`, its GraphQL form and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from saleor_proactive.analytics.report import stats_csv
from saleor_proactive.analytics.stats import trigger_stats
from saleor_proactive.store.models import ChatConversation
from tests.fixtures.analytics import ShopHistory

DAY = date(2026, 11, 2)
NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _conversation(history: ShopHistory, visitor: str, trigger: str | None, at: datetime) -> None:
    history.session.add(
        ChatConversation(
            installation_id=history.installation.id,
            public_id=f"c-{visitor}-{trigger}",
            visitor_id=visitor,
            channel="default-channel",
            trigger_id=trigger,
            created_at=at,
            last_message_at=at,
            visitor_seen_at=at,
        )
    )
    history.session.flush()


def _seed(history: ShopHistory) -> None:
    for visitor in ("a", "b", "c"):
        history.interact(visitor, "t1", "impression", NOON)
        history.interact(visitor, "t1", "click", NOON + timedelta(seconds=5))
    # "a" and "b" chat from t1's prompt; "a" then orders; "c" orders without chatting
    _conversation(history, "a", "t1", NOON + timedelta(seconds=6))
    _conversation(history, "b", "t1", NOON + timedelta(seconds=6))
    _conversation(history, "e", None, NOON)  # from the launcher: no trigger's figure
    _conversation(history, "a", "t1-late", NOON + timedelta(days=3))  # another day
    for visitor in ("a", "c"):
        history.link_checkout(visitor, f"checkout-{visitor}")
        history.order(f"order-{visitor}", f"checkout-{visitor}", "40.00", NOON + timedelta(hours=1))


def test_stats_count_chats_and_orders_after_a_chat_beside_clicks(history: ShopHistory) -> None:
    _seed(history)

    [t1] = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    assert (t1.exposed.impressions, t1.exposed.clicks) == (3, 3)
    assert (t1.exposed.chats, t1.exposed.conversions, t1.exposed.chat_orders) == (2, 2, 1)
    assert (t1.control.chats, t1.control.chat_orders) == (0, 0)
    assert t1.as_json()["exposed"]["chats"] == 2
    assert t1.as_json()["exposed"]["chatOrders"] == 1


def test_a_chat_after_the_order_does_not_make_it_an_order_after_a_chat(
    history: ShopHistory,
) -> None:
    history.interact("a", "t1", "impression", NOON)
    history.link_checkout("a", "checkout-a")
    history.order("order-a", "checkout-a", "40.00", NOON + timedelta(minutes=5))
    _conversation(history, "a", "t1", NOON + timedelta(minutes=10))

    [t1] = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    assert (t1.exposed.chats, t1.exposed.conversions, t1.exposed.chat_orders) == (1, 1, 0)


def test_the_csv_keeps_its_columns_and_adds_the_chat_figures_last(history: ShopHistory) -> None:
    _seed(history)
    stats = trigger_stats(history.session, history.installation.id, DAY, DAY, now=LATER)

    rows = list(csv.DictReader(io.StringIO(stats_csv(stats, {"t1": "Help"}, DAY, DAY))))

    header = list(rows[0])
    assert header[-2:] == ["chats", "chat_orders"]
    assert header.index("clicks") == 10  # where it always was
    exposed = next(r for r in rows if r["group"] == "exposed")
    assert (exposed["clicks"], exposed["chats"], exposed["chat_orders"]) == ("3", "2", "1")
