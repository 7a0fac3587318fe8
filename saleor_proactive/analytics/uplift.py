"""Conversion-rate uplift of a trigger against its hold-out group: pure arithmetic, no I/O.

The interval for the difference of two independent proportions is Newcombe's hybrid score
interval ("method 10" in R. G. Newcombe, *Interval estimation for the difference between
independent proportions*, Statistics in Medicine 17, 1998). It combines the Wilson score
intervals of both rates and behaves well for small counts and rates near 0, which is where
shop conversion rates live; the plain Wald interval does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Two-sided 95 %: the 0.975 quantile of the standard normal distribution.
Z_95 = 1.959963984540054

# Below these counts we say "not enough data yet" instead of showing an uplift: with fewer
# than 100 visitors in a group, or fewer than 5 conversions in both groups together, the
# interval is so wide that any headline figure would mislead.
MIN_VISITORS_PER_GROUP = 100
MIN_CONVERSIONS_TOTAL = 5


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Uplift:
    """Exposed (1) against control (0): rates, p1 - p0 with its 95 % interval, p1/p0 - 1."""

    exposed_rate: float
    control_rate: float
    absolute: float
    interval: Interval
    relative: float | None  # None when the control rate is 0
    incremental_conversions: float  # (p1 - p0) · n1: orders the trigger added


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> Interval:
    """Wilson score interval for a binomial proportion (trials must be > 0)."""
    if trials <= 0:
        raise ValueError("the Wilson interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and the number of trials")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Clamp rounding noise: at p = 0 or 1 one bound is exactly that value.
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def newcombe_interval(x1: int, n1: int, x0: int, n0: int, z: float = Z_95) -> Interval:
    """Newcombe's hybrid score interval (method 10) for p1 - p0, p1 = x1/n1, p0 = x0/n0.

    With Wilson intervals (l1, u1) and (l0, u0) and d = p1 - p0:
    low = d - sqrt((p1 - l1)² + (u0 - p0)²), high = d + sqrt((u1 - p1)² + (p0 - l0)²).
    """
    p1, p0 = x1 / n1, x0 / n0
    w1, w0 = wilson_interval(x1, n1, z), wilson_interval(x0, n0, z)
    d = p1 - p0
    low = d - math.sqrt((p1 - w1.low) ** 2 + (w0.high - p0) ** 2)
    high = d + math.sqrt((w1.high - p1) ** 2 + (p0 - w0.low) ** 2)
    return Interval(max(-1.0, low), min(1.0, high))


def uplift(x1: int, n1: int, x0: int, n0: int) -> Uplift | None:
    """The uplift of the exposed group over control, or None when a group is empty."""
    if n1 <= 0 or n0 <= 0:
        return None
    p1, p0 = x1 / n1, x0 / n0
    return Uplift(
        exposed_rate=p1,
        control_rate=p0,
        absolute=p1 - p0,
        interval=newcombe_interval(x1, n1, x0, n0),
        relative=(p1 / p0 - 1) if p0 > 0 else None,
        incremental_conversions=(p1 - p0) * n1,
    )


def enough_data(x1: int, n1: int, x0: int, n0: int) -> bool:
    """Whether the groups are large enough to show the uplift as a result."""
    return (
        n1 >= MIN_VISITORS_PER_GROUP
        and n0 >= MIN_VISITORS_PER_GROUP
        and x1 + x0 >= MIN_CONVERSIONS_TOTAL
    )
