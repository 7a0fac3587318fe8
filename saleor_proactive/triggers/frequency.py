"""How often one visitor may see one trigger: a cap per period and a cooldown.

Counts come from the visitor's `FrequencyState` (counted at impression by the visitor API).
A "day" is the UTC calendar day: a `shown_today` count whose `last_shown_at` falls on an
earlier UTC day is treated as 0, so a counter that was not reset cannot block a new day.

`per: "pageView"` (an extension, docs/contract-extensions.md) means "on every page view": no
count ever blocks (a bar follows the visitor from page to page, and the same page may ask again
after a cart change), so `maxPerVisitor` must be 1 there; a cooldown still applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..validation import (
    DocumentError,
    Reader,
    expect_object,
    join,
    read_fields,
    type_name,
    whole_number,
)
from .context import FrequencyState

PAGE_VIEW = "pageView"
PERIODS = ("session", "day", "visitor", PAGE_VIEW)
MAX_PER_VISITOR = 1000
MAX_COOLDOWN_MINUTES = 525_600  # one year
_PERIOD_WORDS = {
    "session": "this session",
    "day": "today (UTC)",
    "visitor": "in total",
    PAGE_VIEW: "on this page",
}


@dataclass(frozen=True)
class Frequency:
    max_per_visitor: int = 1
    per: str = "session"
    cooldown_minutes: int = 0

    def blocked_because(self, state: FrequencyState | None, now: datetime) -> str | None:
        """Why the cap forbids another impression now, or None when it allows one."""
        if state is None:
            return None
        shown = self._shown_in_period(state, now)
        if shown >= self.max_per_visitor:
            times = "time" if shown == 1 else "times"
            return f"shown {shown} {times} {_PERIOD_WORDS[self.per]}, max {self.max_per_visitor}"
        if self.cooldown_minutes and state.last_shown_at is not None:
            elapsed = (_aware(now) - _aware(state.last_shown_at)).total_seconds() / 60
            if elapsed < self.cooldown_minutes:
                return (
                    f"shown {max(0, int(elapsed))} minutes ago, "
                    f"cooldown {self.cooldown_minutes} minutes"
                )
        return None

    def _shown_in_period(self, state: FrequencyState, now: datetime) -> int:
        if self.per == "session":
            return state.shown_in_session
        if self.per == "visitor":
            return state.shown_ever
        if self.per == PAGE_VIEW:
            return 0
        last = state.last_shown_at
        if last is not None and _aware(last).date() != _aware(now).date():
            return 0
        return state.shown_today

    def to_document(self) -> dict[str, Any]:
        return {
            "maxPerVisitor": self.max_per_visitor,
            "per": self.per,
            "cooldownMinutes": self.cooldown_minutes,
        }


def parse_frequency(value: object, path: str = "frequency") -> Frequency:
    fields = read_fields(expect_object(value, path), _READERS, path)
    default = Frequency()
    frequency = Frequency(
        fields.get("maxPerVisitor", default.max_per_visitor),
        fields.get("per", default.per),
        fields.get("cooldownMinutes", default.cooldown_minutes),
    )
    if frequency.per == PAGE_VIEW and frequency.max_per_visitor != 1:
        raise DocumentError(
            join(path, "maxPerVisitor"), "must be 1 with per pageView (once on every page view)"
        )
    return frequency


def _period(value: object, path: str) -> str:
    if value not in PERIODS:
        shown = value if isinstance(value, str) else type_name(value)
        raise DocumentError(path, f"unknown period {shown}; use {', '.join(PERIODS)}")
    return str(value)


_READERS: dict[str, Reader] = {
    "maxPerVisitor": whole_number(1, MAX_PER_VISITOR),
    "per": _period,
    "cooldownMinutes": whole_number(0, MAX_COOLDOWN_MINUTES),
}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
