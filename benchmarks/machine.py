"""How fast this machine runs Python right now, printed beside figures that depend on it.

Shared machines vary: the same code measured on the same kind of machine has run three times
faster on one day than on another. A fixed pure-Python loop, timed at its best of many tries,
lets readers compare figures taken on different days or machines.
"""

from __future__ import annotations

import platform
import sys
import time


def reference_loop_microseconds() -> float:
    """Best time of `sum(range(1000))`, in µs (smaller is faster)."""
    best = float("inf")
    for _ in range(300):
        started = time.perf_counter()
        sum(range(1000))
        best = min(best, time.perf_counter() - started)
    return best * 1e6


def interpreter() -> str:
    """Which Python runs the figures: on one machine, its Debian build of Python 3.11 ran the
    reference loop twice as fast as its pyenv build, and served 8-13 % more visitor API
    requests per second (medians of paired runs)."""
    return f"{sys.executable} {platform.python_version()}"


def machine_line() -> str:
    return (
        f"reference loop sum(range(1000)): {reference_loop_microseconds():.1f} µs; "
        f"Python {interpreter()}"
    )
