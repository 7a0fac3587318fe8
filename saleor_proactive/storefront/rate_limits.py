"""Rate limits per client address and per visitor, with `Retry-After` on 429, and the cap on
the checkout queries to Saleor that visitors cause, per installation.

Fixed windows (e.g. `120/minute`). By default the counters live in this process (with N workers a
client may get up to N times the limit); with a storage URL such as `redis://127.0.0.1:6379`
they live in that storage through the `limits` library and are shared by all workers. If the
shared storage is down we let requests through rather than take the storefront down with it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Protocol

from ..config import DEFAULT_RATE_LIMIT_CHECKOUT_REFRESH, parse_rate
from ..errors import ApiError

logger = logging.getLogger(__name__)

MAX_LOCAL_KEYS = 100_000


class Counter(Protocol):
    def hit(self, key: str, limit: int, period: int) -> float | None:
        """Count one request; None when allowed, else seconds until the window resets."""


class LocalCounter:
    """Fixed windows in this process's memory: no thread, no I/O, a lock and a dict."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, limit: int, period: int) -> float | None:
        now = time.time()
        window = int(now // period)
        with self._lock:
            start, count = self._windows.get(key, (window, 0))
            if start != window:
                count = 0
            if len(self._windows) >= MAX_LOCAL_KEYS:
                self._windows.clear()  # bounded memory; a flood resets its own counters at worst
            self._windows[key] = (window, count + 1)
        if count < limit:
            return None
        return (window + 1) * period - now


class SharedCounter:
    """Fixed windows in a `limits` storage (Redis, Memcached, ...), shared by all workers."""

    def __init__(self, storage_url: str) -> None:
        from limits import RateLimitItemPerSecond
        from limits.storage import storage_from_string
        from limits.strategies import FixedWindowRateLimiter

        self._item = RateLimitItemPerSecond
        self._limiter = FixedWindowRateLimiter(storage_from_string(storage_url))

    def hit(self, key: str, limit: int, period: int) -> float | None:
        item = self._item(limit, period)
        if self._limiter.hit(item, "storefront", key):
            return None
        reset_at = self._limiter.get_window_stats(item, "storefront", key).reset_time
        return reset_at - time.time()


# Generous for an office or a carrier's NAT, tight for a script minting visitor ids.
OFFER_CODES_PER_ADDRESS = (30, 3600)


class RateLimits:
    def __init__(
        self,
        storage_url: str | None,
        per_visitor: str,
        per_address: str,
        checkout_refreshes: str = DEFAULT_RATE_LIMIT_CHECKOUT_REFRESH,
    ) -> None:
        self._counter: Counter = SharedCounter(storage_url) if storage_url else LocalCounter()
        self._per_visitor = parse_rate(per_visitor)
        self._per_address = parse_rate(per_address)
        self._checkout_refreshes = parse_rate(checkout_refreshes)

    def allow_checkout_refresh(self, installation_id: int) -> bool:
        """Count one checkout query to Saleor for the installation; False past its cap (the
        visitor is then answered from the stored snapshot). Closed when the storage fails:
        the cap exists to bound what visitors make us ask of Saleor."""
        try:
            wait = self._counter.hit(f"refresh|{installation_id}", *self._checkout_refreshes)
        except Exception:
            logger.exception("rate limit storage failed")
            return False
        return wait is None

    def check_new_offer_code(self, address: str) -> None:
        """Against code harvesting: new offer codes per address, whatever visitor ids it sends
        (a visitor's own code again does not count)."""
        self._check(f"offer-codes|{address}", OFFER_CODES_PER_ADDRESS, "this address")

    def check_address(self, address: str) -> None:
        self._check(f"address|{address}", self._per_address, "this address")

    def check_visitor(self, saleor_api_url: str, visitor_id: str) -> None:
        self._check(f"visitor|{saleor_api_url}|{visitor_id}", self._per_visitor, "this visitor")

    def _check(self, key: str, rate: tuple[int, int], who: str) -> None:
        try:
            wait = self._counter.hit(key, *rate)
        except Exception:  # shared storage unreachable: fail open, the operator sees the log
            logger.exception("rate limit storage failed")
            return
        if wait is None:
            return
        retry_after = max(1, math.ceil(wait))
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests from {who}; retry in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
