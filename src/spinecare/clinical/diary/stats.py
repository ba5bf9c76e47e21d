"""The few statistics the diary needs, in the standard library: means, medians, a least-squares
slope with its 95% confidence interval, and Welch's difference of two means with its 95% CI.

Both intervals use Student's t (rule DIARY-STATS, reference nist-esh): the two-sided 97.5%
point is read from the NIST table for 1-29 degrees of freedom and from the Cornish-Fisher
expansion (Abramowitz & Stegun 26.7.5, reference abramowitz-stegun-1964) from 30 on, where
it agrees with the table to 4 decimals. A fractional number of degrees of freedom (Welch)
below 30 is rounded down, which widens the interval slightly (the cautious side).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul

# Student's t, two-sided 95% (upper 0.975 point), degrees of freedom 1..29
# (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2; 4 decimals).
_T975 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452,
)
_Z975 = 1.959963984540054


def t_975(df: float) -> float:
    """The upper 0.975 point of Student's t with ``df`` degrees of freedom (df >= 1)."""
    if not df >= 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if df < 30:
        return _T975[int(df) - 1]
    x = _Z975
    g1 = (x**3 + x) / 4
    g2 = (5 * x**5 + 16 * x**3 + 3 * x) / 96
    g3 = (3 * x**7 + 19 * x**5 + 17 * x**3 - 15 * x) / 384
    g4 = (79 * x**9 + 776 * x**7 + 1482 * x**5 - 1920 * x**3 - 945 * x) / 92160
    return x + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median_sorted(values: Sequence[float]) -> float:
    """The median of an already sorted, non-empty sequence."""
    n = len(values)
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2


@dataclass(frozen=True, slots=True)
class Slope:
    """An ordinary least-squares slope with its 95% confidence interval."""

    slope: float
    ci_low: float
    ci_high: float
    n: int


def ols_slope(xs: Sequence[float], ys: Sequence[float]) -> Slope | None:
    """Least-squares slope of ``ys`` on ``xs`` with a 95% t interval (n-2 degrees of
    freedom). None when there are fewer than 3 points or the x values do not vary."""
    n = len(xs)
    if n < 3 or n != len(ys):
        return None
    mx = sum(xs) / n
    my = sum(ys) / n
    # Centred sums from raw sums (sum/map run in C): x is at most a few hundred weeks and
    # y a 0-10 rating or minutes, far from where cancellation would cost precision.
    sxx = sum(map(mul, xs, xs)) - n * mx * mx
    sxy = sum(map(mul, xs, ys)) - n * mx * my
    syy = sum(map(mul, ys, ys)) - n * my * my
    if sxx <= 1e-12:
        return None
    b = sxy / sxx
    sse = max(syy - b * sxy, 0.0)
    se = math.sqrt(sse / (n - 2) / sxx)
    half = t_975(n - 2) * se
    return Slope(b, b - half, b + half, n)


@dataclass(frozen=True, slots=True)
class Difference:
    """Difference of two means (first minus second) with Welch's 95% interval."""

    difference: float
    ci_low: float
    ci_high: float
    df: float


def welch_difference(first: Sequence[float], second: Sequence[float]) -> Difference | None:
    """Welch's difference of means with a 95% t interval (Welch-Satterthwaite degrees of
    freedom). None when either group has fewer than 2 values."""
    n1, n2 = len(first), len(second)
    if n1 < 2 or n2 < 2:
        return None
    m1 = sum(first) / n1
    m2 = sum(second) / n2
    v1 = max(sum(map(mul, first, first)) - n1 * m1 * m1, 0.0) / (n1 - 1)
    v2 = max(sum(map(mul, second, second)) - n2 * m2 * m2, 0.0) / (n2 - 1)
    a, b = v1 / n1, v2 / n2
    se2 = a + b
    diff = m1 - m2
    if se2 == 0:
        # Every value equal within each group: no spread, the interval is the point.
        return Difference(diff, diff, diff, float(n1 + n2 - 2))
    df = se2 * se2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    half = t_975(df) * math.sqrt(se2)
    return Difference(diff, diff - half, diff + half, df)
