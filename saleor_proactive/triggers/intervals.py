"""Sets of future moments, in milliseconds from now, as sorted disjoint (start, end) pairs.

Time conditions (`timeOnPage`, `timeOnSite`) hold during such a set; every other condition holds
always (`ALWAYS`) or never (`NEVER`). `all` intersects, `any` unites, `not` complements, and the
earliest moment of the result is the action's `showAfterMs`.
"""

from __future__ import annotations

import math

Intervals = tuple[tuple[float, float], ...]

ALWAYS: Intervals = ((0.0, math.inf),)
NEVER: Intervals = ()


def between(start: float, end: float) -> Intervals:
    """The moments from `start` to `end` (ms from now), clipped to the future."""
    start = max(0.0, start)
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
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def complement(a: Intervals) -> Intervals:
    """The future moments outside `a` (boundaries are ms-precise, not open/closed-exact)."""
    result: list[tuple[float, float]] = []
    cursor = 0.0
    for start, end in a:
        if start > cursor:
            result.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < math.inf:
        result.append((cursor, math.inf))
    return tuple(result)


def first_moment_ms(a: Intervals) -> int | None:
    """Milliseconds until the set first holds, or None when it never will."""
    if not a:
        return None
    return math.ceil(round(a[0][0], 3))  # float noise must not add a millisecond
