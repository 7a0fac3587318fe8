"""The interval arithmetic against published values, and its coverage by simulation."""

from __future__ import annotations

import math
import random

import pytest

from saleor_proactive.analytics.uplift import (
    enough_data,
    newcombe_interval,
    uplift,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("x1", "n1", "x0", "n0", "low", "high"),
    [
        # Newcombe (1998), Table II, method 10 (hybrid score), rounded to 4 places.
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
        (10, 10, 0, 10, 0.6075, 1.0),
    ],
)
def test_newcombe_interval_matches_the_published_values(
    x1: int, n1: int, x0: int, n0: int, low: float, high: float
) -> None:
    # when
    interval = newcombe_interval(x1, n1, x0, n0)

    # then
    assert round(interval.low, 4) == low
    assert round(interval.high, 4) == high


def test_wilson_interval_by_hand() -> None:
    # given 81 of 263, worked by hand: p = 0.30798, z² = 3.84146,
    # centre = (p + z²/526) / (1 + z²/263) = 0.31563, half-width = 0.05546
    # when
    interval = wilson_interval(81, 263)

    # then
    assert interval.low == pytest.approx(0.2553, abs=1e-4)
    assert interval.high == pytest.approx(0.3662, abs=1e-4)


def test_wilson_interval_refuses_an_empty_group() -> None:
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_uplift_reports_rates_relative_and_incremental_conversions() -> None:
    # when 40 of 1000 exposed and 30 of 1000 control visitors converted
    result = uplift(40, 1000, 30, 1000)

    # then
    assert result is not None
    assert result.exposed_rate == pytest.approx(0.04)
    assert result.control_rate == pytest.approx(0.03)
    assert result.absolute == pytest.approx(0.01)
    assert result.relative == pytest.approx(1 / 3)
    assert result.incremental_conversions == pytest.approx(10.0)
    assert result.interval.low < 0.01 < result.interval.high


def test_relative_uplift_is_undefined_without_control_conversions() -> None:
    result = uplift(5, 200, 0, 200)

    assert result is not None
    assert result.relative is None


def test_no_uplift_while_a_group_is_empty() -> None:
    assert uplift(3, 100, 0, 0) is None


@pytest.mark.parametrize(
    ("x1", "n1", "x0", "n0", "expected"),
    [
        (4, 100, 1, 100, True),
        (4, 100, 0, 100, False),  # 4 conversions in total
        (40, 1000, 10, 99, False),  # control below 100 visitors
        (40, 99, 10, 1000, False),  # exposed below 100 visitors
    ],
)
def test_enough_data_needs_100_visitors_per_group_and_5_conversions(
    x1: int, n1: int, x0: int, n0: int, expected: bool
) -> None:
    assert enough_data(x1, n1, x0, n0) is expected


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """Successes in n trials, drawn by geometric gaps between successes (O(n·p))."""
    log_q = math.log1p(-p)
    successes, position = 0, 0
    while True:
        position += int(math.log(1.0 - rng.random()) / log_q) + 1
        if position > n:
            return successes
        successes += 1


def test_the_interval_covers_the_true_uplift_about_95_percent_of_the_time() -> None:
    # given a 3 % control and 4 % exposed conversion rate, 16,000 exposed and 4,000 control
    rng = random.Random(20261123)
    p1, p0, n1, n0, runs = 0.04, 0.03, 16_000, 4_000, 2_000

    # when we draw many experiments and build the interval for each
    covered = sum(
        newcombe_interval(_binomial(rng, n1, p1), n1, _binomial(rng, n0, p0), n0).contains(p1 - p0)
        for _ in range(runs)
    )

    # then about 95 % of the intervals contain the true difference (± 3 standard errors)
    assert 0.935 <= covered / runs <= 0.965
