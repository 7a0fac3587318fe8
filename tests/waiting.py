"""Waiting for something a test can observe, instead of sleeping a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float = 10.0, poll: float = 0.01) -> T:
    """The first truthy value of `condition()`, polled until `timeout` seconds have passed;
    then its last value, falsy, for the test's assertion to report."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(poll)
