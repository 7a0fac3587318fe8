from datetime import UTC, datetime
from typing import Any

import pytest

from saleor_proactive.triggers.engine import evaluate
from tests.rules import chat_rule
from tests.triggers.builders import context, facts, stored

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
OVERNIGHT = {"timezone": "UTC", "days": ["fri"], "from": "22:00", "to": "02:00"}


def shown_at(schedule: dict[str, Any], moment: datetime) -> bool:
    rule = stored(chat_rule(when={"visitCount": {"gte": 1}}, schedule=schedule))
    return bool(evaluate(context(now=moment), facts(), [rule]).decisions)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "utc", "expected"),
    [
        # Monday 23 Nov 2026, Madrid is UTC+1 in winter
        (
            {"timezone": "Europe/Madrid", "days": WEEKDAYS, "from": "09:00", "to": "18:00"},
            "2026-11-23T12:00",
            True,
        ),
        (
            {"timezone": "Europe/Madrid", "days": WEEKDAYS, "from": "09:00", "to": "18:00"},
            "2026-11-23T07:59",
            False,
        ),
        (
            {"timezone": "Europe/Madrid", "days": WEEKDAYS, "from": "09:00", "to": "18:00"},
            "2026-11-23T08:00",
            True,
        ),
        (
            {"timezone": "Europe/Madrid", "days": WEEKDAYS, "from": "09:00", "to": "18:00"},
            "2026-11-23T17:00",
            False,
        ),
        (
            {"timezone": "Europe/Madrid", "days": WEEKDAYS, "from": "09:00", "to": "18:00"},
            "2026-11-28T12:00",
            False,
        ),
        # the same instant is early morning in New York
        (
            {"timezone": "America/New_York", "days": WEEKDAYS, "from": "09:00", "to": "18:00"},
            "2026-11-23T12:00",
            False,
        ),
        # Monday noon in UTC is already Tuesday in Auckland
        ({"timezone": "Pacific/Auckland", "days": ["tue"]}, "2026-11-23T12:00", True),
        ({"timezone": "Pacific/Auckland", "days": ["mon"]}, "2026-11-23T12:00", False),
        # Madrid moves to UTC+2 on Sunday 29 March 2026: the window keeps its local hours
        ({"timezone": "Europe/Madrid", "from": "09:00", "to": "10:00"}, "2026-03-28T08:30", True),
        ({"timezone": "Europe/Madrid", "from": "09:00", "to": "10:00"}, "2026-03-30T08:30", False),
        ({"timezone": "Europe/Madrid", "from": "09:00", "to": "10:00"}, "2026-03-30T07:30", True),
        # and back to UTC+1 on Sunday 25 October 2026
        ({"timezone": "Europe/Madrid", "from": "09:00", "to": "10:00"}, "2026-10-24T07:30", True),
        ({"timezone": "Europe/Madrid", "from": "09:00", "to": "10:00"}, "2026-10-26T07:30", False),
        ({"timezone": "Europe/Madrid", "from": "09:00", "to": "10:00"}, "2026-10-26T08:30", True),
        # an overnight window belongs to the day it starts on (Fri 27 Nov 2026)
        (OVERNIGHT, "2026-11-27T23:00", True),
        (OVERNIGHT, "2026-11-28T01:59", True),
        (OVERNIGHT, "2026-11-28T02:00", False),
        (OVERNIGHT, "2026-11-28T23:00", False),
        (OVERNIGHT, "2026-11-27T01:00", False),
        (OVERNIGHT, "2026-11-27T12:00", False),
    ],
)
def test_a_scheduled_trigger_shows_only_inside_its_local_window(
    schedule: dict[str, Any], utc: str, expected: bool
) -> None:
    # when
    result = shown_at(schedule, at(utc))

    # then
    assert result is expected


def test_outside_its_schedule_a_trigger_says_which_window_it_keeps() -> None:
    # given
    schedule = {"timezone": "Europe/Madrid", "days": WEEKDAYS, "from": "09:00", "to": "18:00"}
    rule = stored(chat_rule(when={"visitCount": {"gte": 1}}, schedule=schedule))

    # when
    evaluation = evaluate(context(now=at("2026-11-28T12:00")), facts(), [rule])

    # then
    assert evaluation.outcomes[0].fired is False
    assert evaluation.outcomes[0].reasons == [
        "outside schedule (Mon, Tue, Wed, Thu, Fri 09:00-18:00 Europe/Madrid)"
    ]


def test_a_naive_clock_is_read_as_utc() -> None:
    # given
    schedule = {"timezone": "UTC", "from": "11:00", "to": "13:00"}

    # when
    result = shown_at(schedule, datetime(2026, 11, 23, 12, 0))

    # then
    assert result is True
