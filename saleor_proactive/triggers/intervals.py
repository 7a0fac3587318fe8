"""Sets of future moments, in whole milliseconds from now, as sorted disjoint (start, end) pairs.

Time conditions (`timeOnPage`, `timeOnSite`) hold during such a set; every other condition holds
always (`ALWAYS`) or never (`NEVER`). `all` intersects, `any` unites, `not` complements, and the
earliest moment of the result is the action's `showAfterMs`.

Moments are whole milliseconds (`showAfterMs` is one) and a pair holds both its ends, so a set
and its complement never share a moment: `gte 30` and `not gte 30` are never true together,
and `not lte 10` is `gt 10` (both from 10,001 ms).
"""

from __future__ import annotations

import math

Intervals = tuple[tuple[float, float], ...]

ALWAYS: Intervals = ((0.0, math.inf),)
NEVER: Intervals = ()


def between(start: float, end: float = math.inf) -> Intervals:
    """The whole milliseconds from `start` to `end` (ms from now, both held), in the future."""
    start = max(0.0, float(math.ceil(round(start, 3))))  # float noise must not add a millisecond
    if end < math.inf:
        end = float(math.floor(round(end, 3)))
    return ((start, end),) if end >= start else NEVER


def intersect(a: Intervals, b: Intervals) -> Intervals:
    result: list[tuple[float, float]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start <= end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(result)


def unite(a: Intervals, b: Intervals) -> Intervals:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(a + b):
        if merged and start <= merged[-1][1] + 1:  # touching whole milliseconds join
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def complement(a: Intervals) -> Intervals:
    """The future moments outside `a`: a pair's ends belong to `a`, not to its complement."""
    result: list[tuple[float, float]] = []
    cursor = 0.0
    for start, end in a:
        if start > cursor:
            result.append((cursor, start - 1))
        cursor = max(cursor, end + 1)
    if cursor < math.inf:
        result.append((cursor, math.inf))
    return tuple(result)


def first_moment_ms(a: Intervals) -> int | None:
    """Milliseconds until the set first holds, or None when it never will."""
    if not a:
        return None
    return int(a[0][0])
