"""Rate limits per client address and per visitor, with `Retry-After` on 429.

Counters live in the `limits` library's storage: in memory by default (per process, so with N
workers a client may get up to N times the limit), or in Redis (`redis://127.0.0.1:6379`) shared
by all workers. If the shared storage is down we let requests through rather than take the
storefront down with it.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from ..errors import ApiError

logger = logging.getLogger(__name__)


class RateLimits:
    def __init__(self, storage_url: str | None, per_visitor: str, per_address: str) -> None:
        self._limiter = FixedWindowRateLimiter(storage_from_string(storage_url or "memory://"))
        self._per_visitor = parse(per_visitor)
        self._per_address = parse(per_address)

    def check_address(self, address: str) -> None:
        self._check(self._per_address, "address", address, "this address")

    def check_visitor(self, saleor_api_url: str, visitor_id: str) -> None:
        self._check(self._per_visitor, "visitor", f"{saleor_api_url}|{visitor_id}", "this visitor")

    def _check(self, item: RateLimitItem, scope: str, key: str, who: str) -> None:
        try:
            allowed = self._limiter.hit(item, "storefront", scope, key)
            if allowed:
                return
            reset_at = self._limiter.get_window_stats(item, "storefront", scope, key).reset_time
        except Exception:  # storage unreachable: fail open, the operator sees the log
            logger.exception("rate limit storage failed")
            return
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests from {who}; retry in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
