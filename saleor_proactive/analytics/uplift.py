"""Conversion-rate uplift of a trigger against its hold-out group: pure arithmetic, no I/O.

The interval for the difference of two independent proportions is Newcombe's hybrid score
interval ("method 10" in R. G. Newcombe, *Interval estimation for the difference between
independent proportions*, Statistics in Medicine 17, 1998). It combines the Wilson score
intervals of both rates and behaves well for small counts and rates near 0, which is where
shop conversion rates live; the plain Wald interval does not.
"""

from __future__ import annotations

import enum
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


# 80 % power: the 0.8 quantile of the standard normal distribution. With it, a difference as
# large as the one observed so far would come out significant in four runs of five.
Z_POWER_80 = 0.8416212335729143


class Verdict(enum.Enum):
    """What the merchant reads beside the figures."""

    LIKELY_HELPS = "likely_helps"  # the whole 95 % interval lies above 0
    LIKELY_HURTS = "likely_hurts"  # the whole interval lies below 0
    NOT_ENOUGH_DATA = "not_enough_data"  # too few visitors, or an interval spanning 0


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    # About how many more visitors (both groups together) until a difference as large as the
    # one seen so far would show; None when there is nothing to extrapolate from (no
    # difference seen, or a verdict already reached).
    more_visitors_needed: int | None


def assess(x1: int, n1: int, x0: int, n0: int) -> Assessment:
    """The plain-language verdict on the exposed group (x1 of n1) against control (x0 of n0)."""
    result = uplift(x1, n1, x0, n0)
    if result is not None and enough_data(x1, n1, x0, n0):
        if result.interval.low > 0:
            return Assessment(Verdict.LIKELY_HELPS, None)
        if result.interval.high < 0:
            return Assessment(Verdict.LIKELY_HURTS, None)
    return Assessment(Verdict.NOT_ENOUGH_DATA, more_visitors_needed(x1, n1, x0, n0))


def more_visitors_needed(x1: int, n1: int, x0: int, n0: int) -> int | None:
    """Visitors still to come before the observed difference would be significant.

    The textbook sample size for two proportions, with the groups in their current proportion
    h = n0 / (n0 + n1): N = (z_95 + z_power)² · (p1(1 - p1) / (1 - h) + p0(1 - p0) / h) / d².
    The minimum counts of `enough_data` are honoured too. None without both groups, or while
    the groups convert at exactly the same rate.
    """
    if n1 <= 0 or n0 <= 0:
        return None
    p1, p0 = x1 / n1, x0 / n0
    difference = p1 - p0
    if difference == 0:
        return None
    share = n0 / (n0 + n1)
    variance = p1 * (1 - p1) / (1 - share) + p0 * (1 - p0) / share
    total = math.ceil((Z_95 + Z_POWER_80) ** 2 * variance / difference**2)
    # The minimum group sizes, reached at the current split, and the minimum conversions,
    # reached at the current pooled rate.
    total = max(total, math.ceil(MIN_VISITORS_PER_GROUP / min(share, 1 - share)))
    pooled = (x1 + x0) / (n1 + n0)
    total = max(total, math.ceil(MIN_CONVERSIONS_TOTAL / pooled))
    return max(0, total - (n1 + n0))
