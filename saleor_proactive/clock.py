"""The time the app reads, behind one injectable clock (the real one by default), so tests
move time instead of sleeping through it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

from flask.sansio.app import App

EXTENSION_KEY = "proactive_clock"


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for ages and intervals."""
        ...

    def now(self) -> datetime:
        """The current time in UTC, for what is decided and stored."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)


SYSTEM_CLOCK = SystemClock()


def clock_of(app: App) -> Clock:
    """The clock `create_app` was given."""
    clock: Clock = app.extensions.get(EXTENSION_KEY, SYSTEM_CLOCK)
    return clock
