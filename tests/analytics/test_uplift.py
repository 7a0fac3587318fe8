"""The interval arithmetic against published values, and its coverage by simulation."""

from __future__ import annotations

import math
import random

import pytest

from saleor_proactive.analytics.uplift import (
    Verdict,
    assess,
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


@pytest.mark.parametrize(
    ("x1", "n1", "x0", "n0", "verdict"),
    [
        (60, 1000, 3, 250, Verdict.LIKELY_HELPS),  # 6.0 % against 1.2 %
        (10, 1000, 25, 250, Verdict.LIKELY_HURTS),  # 1.0 % against 10 %
        (40, 1000, 7, 250, Verdict.NOT_ENOUGH_DATA),  # 4.0 % against 2.8 %: interval spans 0
        (9, 90, 1, 90, Verdict.NOT_ENOUGH_DATA),  # a clear gap, but under 100 per group
    ],
)
def test_the_verdict_needs_the_whole_interval_on_one_side(
    x1: int, n1: int, x0: int, n0: int, verdict: Verdict
) -> None:
    assessment = assess(x1, n1, x0, n0)

    assert assessment.verdict is verdict
    assert (assessment.more_visitors_needed is None) is (verdict is not Verdict.NOT_ENOUGH_DATA)


def test_more_visitors_needed_follows_the_two_proportion_sample_size() -> None:
    # given 4.0 % against 2.8 % with a fifth held out: by hand, N = (1.96 + 0.8416)² ·
    # (0.04 · 0.96 / 0.8 + 0.028 · 0.972 / 0.2) / 0.012² ≈ 10,034 visitors in all
    assessment = assess(40, 1000, 7, 250)

    # then about 8,784 more than the 1,250 seen
    assert assessment.more_visitors_needed == 8784


def test_more_visitors_needed_honours_the_minimum_group_size() -> None:
    # given a big gap seen on 50 visitors per group (5 conversions in all)
    assessment = assess(5, 50, 0, 50)

    # then at least 100 per group are still needed, whatever the gap suggests
    assert assessment.verdict is Verdict.NOT_ENOUGH_DATA
    assert assessment.more_visitors_needed == 100


def test_no_estimate_while_both_groups_convert_alike() -> None:
    assert assess(0, 10, 0, 3).more_visitors_needed is None
    assert assess(10, 100, 10, 100).more_visitors_needed is None


def test_a_larger_gap_needs_fewer_visitors() -> None:
    small_gap = assess(40, 1000, 7, 250).more_visitors_needed
    large_gap = assess(50, 1000, 7, 250).more_visitors_needed

    assert small_gap is not None and large_gap is not None
    assert large_gap < small_gap
