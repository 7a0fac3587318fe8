"""Blocking calls that must not stop a gevent worker's other greenlets.

A gevent worker (`serving.py`) runs every request and background loop as a greenlet of one OS
thread. Sockets, locks and sleeps are patched to let the others run while one waits; a call into
C that waits on the disk (SQLite copying its log into the database file) is not, and would hold
every request of the worker meanwhile. `in_native_thread` runs such a call in gevent's pool of
real threads while the calling greenlet waits; outside gevent it simply calls it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def gevent_patched() -> bool:
    """Whether gevent patched this process's threads (a gevent worker, after its fork)."""
    monkey = sys.modules.get("gevent.monkey")  # never imported here: only if gevent is in use
    return monkey is not None and bool(monkey.is_module_patched("threading"))


def in_native_thread(function: Callable[..., T], *args: Any) -> T:
    if not gevent_patched():
        return function(*args)
    import gevent

    result: T = gevent.get_hub().threadpool.apply(function, args)
    return result
