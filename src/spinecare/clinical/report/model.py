"""What the doctor's report reads: plain values the report service gathers from storage.

``None`` is "not recorded" (never zero, never "no"). Dates are calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spinecare.clinical.diary.analytics import DiarySummary
from spinecare.clinical.diary.model import DayRecord, WalkingTestRecord
from spinecare.clinical.diary.open_signs import WarningItem

HIGHER_IS_WORSE = "higher_is_worse"
HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True, slots=True)
class ScorePoint:
    day: date
    value: float
    band: str | None = None  # e.g. "moderate disability"


@dataclass(frozen=True, slots=True)
class ScoreSeries:
    """One score over time: a questionnaire total or subscale (oldest first)."""

    key: str                 # "odi", "zcq.symptom_severity", "nrs.leg"
    label: str               # "ODI (disability, 0-100)"
    direction: str           # HIGHER_IS_WORSE or HIGHER_IS_BETTER
    points: tuple[ScorePoint, ...]
    unit: str = ""           # " %", " m"
    mcid_absolute: float | None = None
    mcid_relative_percent: float | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One exercise session: ``kind`` programme | home, ``status`` done | partly | skipped."""

    day: date
    kind: str
    status: str


# A warning sign logged (diary) or found (a symptom check), with its day: the diary core's
# one definition (rule DIARY-OPEN-SIGN), so the report, the clinician's list and the
# exercise plan's pause read the same items.
WarningEvent = WarningItem


@dataclass(frozen=True, slots=True)
class OwnWords:
    day: date
    text: str


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything one report is built from. ``days`` run from before ``start`` (the flares'
    usual level and the 12-month injection count look back) to ``end``."""

    name: str
    age: int | None
    start: date
    end: date                # the last day covered (never after today)
    days: tuple[DayRecord, ...]
    walking_tests: tuple[WalkingTestRecord, ...]
    diary: DiarySummary
    scores: tuple[ScoreSeries, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    programme_started: date | None = None
    warning_events: tuple[WarningEvent, ...] = ()
    own_words: OwnWords | None = None
    questions: tuple[str, ...] = ()
    # Signs open on ``today`` (the last 14 days, rule DIARY-OPEN-SIGN), whatever the period.
    open_signs: tuple[WarningEvent, ...] = ()
    today: date | None = None

    def period_days(self) -> tuple[DayRecord, ...]:
        return tuple(d for d in self.days if self.start <= d.day <= self.end)
