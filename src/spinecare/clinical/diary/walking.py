"""Walking: the guided walking tests of the period (rule DIARY-WALK-TEST) and the diary's daily
walking and standing tolerance (rule DIARY-TOLERANCE), each against the 30% change that
matters (Ammendolia 2018).

Which change decides "meaningful": the distance when both the first and the latest test
have one (the SPWT threshold is defined on distance), else the time walked. The 30% is a
minimal important *improvement*; a fall of 30% or more is called "getting worse" on the same
scale (the team's choice: a loss as large as a gain that matters is worth a doctor's eye).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spinecare.clinical.diary.model import DayRecord, WalkingTestRecord
from spinecare.clinical.diary.rules import (
    TOLERANCE_MIN_DAYS,
    TOLERANCE_WINDOW_DAYS,
    WALK_DISTANCE_SEM_M,
    WALKING_MCID_PERCENT,
    references_of,
)

BETTER = "getting better"
WORSE = "getting worse"
NO_CLEAR_CHANGE = "no clear change"

SEM_NOTE = (
    f"One walk's distance can differ from the next by about {WALK_DISTANCE_SEM_M:g} m "
    "without any real change (standard error of measurement of a phone-measured walk, "
    "Maldaner 2020)."
)
CEILING_NOTE = (
    "The latest test reached the 30-minute limit: walking may have improved more than the "
    "test can show."
)


def percent_change(first: float | None, latest: float | None) -> float | None:
    if first is None or latest is None or first <= 0:
        return None
    return (latest - first) / first * 100.0


def direction(change_percent: float | None) -> str | None:
    """Words for a change in walking or standing (higher is better) against 30%."""
    if change_percent is None:
        return None
    change_percent = round(change_percent, 9)  # 13 min after 10 is 30%, not 29.999...
    if change_percent >= WALKING_MCID_PERCENT:
        return BETTER
    if change_percent <= -WALKING_MCID_PERCENT:
        return WORSE
    return NO_CLEAR_CHANGE


@dataclass(frozen=True, slots=True)
class WalkingTestPoint:
    day: date
    minutes: float
    metres: float | None
    first_symptom_minutes: float | None
    stopped_because: str
    relief: str | None
    recovery_minutes: float | None

    @classmethod
    def of(cls, test: WalkingTestRecord) -> WalkingTestPoint:
        first = test.first_symptom_seconds
        return cls(test.performed_at.date(), test.duration_seconds / 60.0, test.distance_m,
                   None if first is None else first / 60.0, test.stopped_because, test.relief,
                   test.recovery_minutes)

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "minutes": round(self.minutes, 2),
                "metres": self.metres,
                "first_symptom_minutes": None if self.first_symptom_minutes is None
                else round(self.first_symptom_minutes, 2),
                "stopped_because": self.stopped_because, "relief": self.relief,
                "recovery_minutes": self.recovery_minutes}


@dataclass(frozen=True, slots=True)
class Tolerance:
    """One daily measure (walking or standing minutes): first week vs latest week."""

    measure: str
    first_mean: float | None
    first_days: int
    latest_mean: float | None
    latest_days: int
    change_percent: float | None
    meaningful: bool | None
    direction: str | None
    reason: str = ""  # why there is no comparison, when there is none

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "first_mean": _r(self.first_mean),
                "first_days": self.first_days, "latest_mean": _r(self.latest_mean),
                "latest_days": self.latest_days, "change_percent": _r(self.change_percent),
                "meaningful": self.meaningful, "direction": self.direction,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class WalkingSummary:
    tests: tuple[WalkingTestPoint, ...]
    baseline: WalkingTestPoint | None
    latest: WalkingTestPoint | None
    time_change_percent: float | None
    distance_change_percent: float | None
    distance_change_m: float | None
    measure: str | None          # "distance" or "time": the change that decides
    meaningful: bool | None      # None when there are fewer than two tests
    direction: str | None
    notes: tuple[str, ...]
    tolerance: tuple[Tolerance, ...]
    threshold_percent: float = WALKING_MCID_PERCENT
    rule_ids: tuple[str, ...] = ("DIARY-WALK-TEST", "DIARY-TOLERANCE")
    references: tuple[str, ...] = references_of("DIARY-WALK-TEST", "DIARY-TOLERANCE")

    def to_dict(self) -> dict[str, Any]:
        return {
            "tests": [t.to_dict() for t in self.tests],
            "baseline": None if self.baseline is None else self.baseline.to_dict(),
            "latest": None if self.latest is None else self.latest.to_dict(),
            "time_change_percent": _r(self.time_change_percent),
            "distance_change_percent": _r(self.distance_change_percent),
            "distance_change_m": _r(self.distance_change_m),
            "measure": self.measure, "meaningful": self.meaningful,
            "direction": self.direction, "notes": list(self.notes),
            "tolerance": [t.to_dict() for t in self.tolerance],
            "threshold_percent": self.threshold_percent,
            "rule_ids": list(self.rule_ids), "references": list(self.references),
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summarise_walking(
    tests: Sequence[WalkingTestRecord], period_days: Sequence[DayRecord], start: date,
    end: date,
) -> WalkingSummary:
    points = sorted((WalkingTestPoint.of(t) for t in tests
                     if start <= t.performed_at.date() <= end),
                    key=lambda p: p.day)
    baseline = points[0] if points else None
    latest = points[-1] if len(points) >= 2 else None
    time_change = distance_change = distance_m = None
    measure: str | None = None
    notes: list[str] = []
    if baseline is not None and latest is not None:
        time_change = percent_change(baseline.minutes, latest.minutes)
        if baseline.metres is not None and latest.metres is not None:
            distance_change = percent_change(baseline.metres, latest.metres)
            distance_m = latest.metres - baseline.metres
        measure = "distance" if distance_change is not None else "time"
        if latest.stopped_because == "time_limit":
            notes.append(CEILING_NOTE)
    deciding = distance_change if measure == "distance" else time_change
    words = direction(deciding)
    if any(p.metres is not None for p in points):
        notes.append(SEM_NOTE)
    tolerance = (
        _tolerance("walking_minutes", period_days, start, end),
        _tolerance("standing_minutes", period_days, start, end),
    )
    return WalkingSummary(
        tuple(points), baseline, latest, time_change, distance_change, distance_m, measure,
        None if words is None else words != NO_CLEAR_CHANGE, words, tuple(notes), tolerance)


def _tolerance(measure: str, period_days: Sequence[DayRecord], start: date,
               end: date) -> Tolerance:
    week = timedelta(days=TOLERANCE_WINDOW_DAYS - 1)
    first_end, latest_start = start + week, end - week
    first: list[float] = []
    latest: list[float] = []
    for rec in period_days:
        value = getattr(rec, measure)
        if value is None:
            continue
        if rec.day <= first_end:
            first.append(value)
        if rec.day >= latest_start:
            latest.append(value)
    first_mean = sum(first) / len(first) if first else None
    latest_mean = sum(latest) / len(latest) if latest else None
    reason = ""
    if first_end >= latest_start:
        reason = (f"The period is shorter than two separate weeks "
                  f"({2 * TOLERANCE_WINDOW_DAYS} days).")
    elif len(first) < TOLERANCE_MIN_DAYS or len(latest) < TOLERANCE_MIN_DAYS:
        reason = (f"Not enough data: needs at least {TOLERANCE_MIN_DAYS} recorded days in the "
                  f"first week and in the latest week (has {len(first)} and {len(latest)}).")
    if reason:
        return Tolerance(measure, first_mean, len(first), latest_mean, len(latest), None, None,
                         None, reason)
    change = percent_change(first_mean, latest_mean)
    if change is None:
        return Tolerance(measure, first_mean, len(first), latest_mean, len(latest), None, None,
                         None, "The first week's mean is 0: a percentage change is not defined.")
    words = direction(change)
    return Tolerance(measure, first_mean, len(first), latest_mean, len(latest), change,
                     words != NO_CLEAR_CHANGE, words)
