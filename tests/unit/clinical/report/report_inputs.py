"""Small hand-built inputs for the report's core tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from spinecare.clinical.diary.analytics import summarise
from spinecare.clinical.diary.model import DayRecord, WalkingTestRecord
from spinecare.clinical.report import ReportData

END = date(2026, 6, 30)
START = END - timedelta(days=89)


def days(n: int = 90, end: date = END, **fields: Any) -> list[DayRecord]:
    """``n`` diary days ending on ``end``, each with ``fields``."""
    return [DayRecord(day=end - timedelta(days=k), **fields) for k in range(n - 1, -1, -1)]


def walk_test(day: date, minutes: float, metres: float | None = None) -> WalkingTestRecord:
    return WalkingTestRecord(datetime.combine(day, time(10), UTC), minutes * 60, "symptoms",
                             distance_m=metres)


def data(diary: list[DayRecord] | None = None, tests: list[WalkingTestRecord] | None = None,
         start: date = START, end: date = END, **extra: Any) -> ReportData:
    diary = diary or []
    tests = tests or []
    return ReportData(name="Test Person", age=70, start=start, end=end, days=tuple(diary),
                      walking_tests=tuple(tests),
                      diary=summarise(diary, tests, today=end, period_start=start), **extra)
