"""The diary's statistics against values worked out by hand (not by the code)."""

from __future__ import annotations

import math

import pytest

from spinecare.clinical.diary.stats import median_sorted, ols_slope, t_975, welch_difference


def test_t_quantiles_match_the_published_table() -> None:
    # NIST table, t 0.975: 1 df 12.706, 2 df 4.303, 10 df 2.228, 29 df 2.045.
    assert t_975(1) == pytest.approx(12.706, abs=1e-3)
    assert t_975(2) == pytest.approx(4.303, abs=1e-3)
    assert t_975(10) == pytest.approx(2.228, abs=1e-3)
    assert t_975(29) == pytest.approx(2.045, abs=1e-3)
    # From 30 on the Cornish-Fisher expansion: 30 df 2.042, 60 df 2.000, 120 df 1.980.
    assert t_975(30) == pytest.approx(2.042, abs=1e-3)
    assert t_975(60) == pytest.approx(2.000, abs=1e-3)
    assert t_975(120) == pytest.approx(1.980, abs=1e-3)
    # A fractional df below 30 rounds down (wider, the cautious side).
    assert t_975(3.9) == pytest.approx(3.182, abs=1e-3)
    with pytest.raises(ValueError):
        t_975(0.5)


def test_median_of_odd_and_even_lengths() -> None:
    assert median_sorted([1, 3, 8]) == 3
    assert median_sorted([1, 3, 5, 8]) == 4


def test_ols_slope_and_ci_by_hand() -> None:
    # x = 0, 1, 2, 3; y = 8, 6, 5, 3. Sxx = 5, Sxy = -8, slope -1.6, intercept 7.9;
    # residuals .1 -.3 .3 -.1, SSE 0.2, s^2 = 0.1, SE = sqrt(0.1 / 5) = 0.141421;
    # t(2) = 4.3027, half-width 0.608494.
    fit = ols_slope([0, 1, 2, 3], [8, 6, 5, 3])
    assert fit is not None
    assert fit.slope == pytest.approx(-1.6)
    assert fit.ci_low == pytest.approx(-1.6 - 0.608494, abs=1e-5)
    assert fit.ci_high == pytest.approx(-1.6 + 0.608494, abs=1e-5)
    assert fit.n == 4


def test_ols_needs_three_points() -> None:
    assert ols_slope([0, 1], [5, 6]) is None
    assert ols_slope([2, 2, 2], [5, 6, 7]) is None  # x does not vary


def test_welch_by_hand() -> None:
    # with 4, 5, 6: mean 5, variance 1; without 1, 2, 3, 2: mean 2, variance 2/3.
    # SE^2 = 1/3 + (2/3)/4 = 0.5; df = 0.25 / ((1/3)^2/2 + (1/6)^2/3) = 3.857 -> t(3) = 3.1824;
    # half-width 3.1824 * sqrt(0.5) = 2.25031.
    diff = welch_difference([4, 5, 6], [1, 2, 3, 2])
    assert diff is not None
    assert diff.difference == pytest.approx(3.0)
    assert diff.df == pytest.approx(3.857, abs=1e-3)
    assert diff.ci_low == pytest.approx(3 - 2.25031, abs=1e-4)
    assert diff.ci_high == pytest.approx(3 + 2.25031, abs=1e-4)


def test_welch_without_spread_and_too_few() -> None:
    same = welch_difference([4, 4, 4], [2, 2, 2])
    assert same is not None and same.ci_low == same.ci_high == 2
    assert welch_difference([4], [1, 2, 3]) is None
    assert math.isfinite(t_975(1e9))
