"""The doctor's report: one or two pages a clinician reads in a minute, top to bottom.

Who and which period; open warning signs first; latest scores with their change against the
minimal important change and usual variation; leg and back pain (weekly means) and walking
tolerance as line charts, one direction each, with threshold lines; flares; exercise against
the trials' 12 sessions; medicines and injections; the person's own words and questions;
flags (rules as data); a data-completeness line. Pure: the service gathers ``ReportData``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from spinecare.clinical.diary.flares import DaySpan
from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.pain_lines import pain_lines
from spinecare.clinical.exercise.progress import trial_credit
from spinecare.clinical.exercise.rules import TRIAL_SESSIONS
from spinecare.clinical.report.flags import FLAG_RULES, Flag, evaluate_flags
from spinecare.clinical.report.model import (
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    OwnWords,
    ReportData,
    WarningEvent,
)
from spinecare.clinical.report.rules import (
    CHART_WEEK_MIN_DAYS,
    OWN_WORDS_MAX_CHARS,
    RULES_VERSION,
    STALE_DAYS,
    WALK_TEST_DOWN_PERCENT,
    references_of,
)
from spinecare.clinical.report.verdicts import ChangeVerdict, verdict

DIRECTION_WORDS = {HIGHER_IS_WORSE: "Higher is worse.", HIGHER_IS_BETTER: "Higher is better."}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True, slots=True)
class ChartSeries:
    label: str
    points: tuple[tuple[date, float | None], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label,
                "points": [[d.isoformat(), _r(v, 2)] for d, v in self.points]}


@dataclass(frozen=True, slots=True)
class ChartLine:
    value: float
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": round(self.value, 2), "label": self.label}


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    y_label: str
    direction: str
    y_min: float
    y_max: float
    series: tuple[ChartSeries, ...]
    thresholds: tuple[ChartLine, ...]
    note: str

    @property
    def direction_words(self) -> str:
        return DIRECTION_WORDS[self.direction]

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for _, v in s.points)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "y_label": self.y_label,
                "direction": self.direction, "direction_words": self.direction_words,
                "y_min": self.y_min, "y_max": self.y_max,
                "series": [s.to_dict() for s in self.series],
                "thresholds": [t.to_dict() for t in self.thresholds], "note": self.note}


@dataclass(frozen=True, slots=True)
class ScoreRow:
    key: str
    label: str
    direction: str
    latest: float
    latest_day: date
    band: str | None
    unit: str
    verdict: ChangeVerdict | None   # None: only one score so far
    stale: bool

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "direction": self.direction,
                "latest": self.latest, "latest_day": self.latest_day.isoformat(),
                "band": self.band, "unit": self.unit, "stale": self.stale,
                "verdict": None if self.verdict is None else self.verdict.to_dict()}


@dataclass(frozen=True, slots=True)
class Flares:
    pain_defined: tuple[DaySpan, ...]
    pain_defined_days: int
    self_reported: tuple[DaySpan, ...]
    self_reported_days: int
    definition: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"pain_defined": [s.to_dict() for s in self.pain_defined],
                "pain_defined_days": self.pain_defined_days,
                "self_reported": [s.to_dict() for s in self.self_reported],
                "self_reported_days": self.self_reported_days,
                "definition": self.definition, "note": self.note}


@dataclass(frozen=True, slots=True)
class Exercise:
    programme_started: date | None
    credit: float                 # towards the trials' 12 (done 1, partly 0.5)
    total: int
    done: int
    partly: int
    skipped: int
    in_period_done: int           # programme and home sessions done or partly, in the period

    @property
    def line(self) -> str:
        credit = f"{self.credit:g}"
        return f"{credit} of {self.total} sessions"

    def to_dict(self) -> dict[str, Any]:
        return {"programme_started": _iso(self.programme_started), "credit": self.credit,
                "total": self.total, "done": self.done, "partly": self.partly,
                "skipped": self.skipped, "in_period_done": self.in_period_done,
                "line": self.line}


@dataclass(frozen=True, slots=True)
class Medicine:
    name: str
    days: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "days": self.days}


@dataclass(frozen=True, slots=True)
class Treatments:
    medicines: tuple[Medicine, ...]
    days_with_medicine_answer: int
    epidurals_12m: int
    epidural_days: tuple[date, ...]
    epidural_limit: int

    def to_dict(self) -> dict[str, Any]:
        return {"medicines": [m.to_dict() for m in self.medicines],
                "days_with_medicine_answer": self.days_with_medicine_answer,
                "epidurals_12m": self.epidurals_12m,
                "epidural_days": [d.isoformat() for d in self.epidural_days],
                "epidural_limit": self.epidural_limit}


@dataclass(frozen=True, slots=True)
class Completeness:
    days_logged: int
    days_in_period: int
    longest_gap_days: int
    longest_gap_start: date | None
    walking_tests: int
    stale: tuple[str, ...]        # "ODI: last 4 Sep 2026"
    never: tuple[str, ...]        # core questionnaires never answered

    @property
    def percent(self) -> float:
        return self.days_logged / self.days_in_period * 100.0 if self.days_in_period else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"days_logged": self.days_logged, "days_in_period": self.days_in_period,
                "percent": round(self.percent, 1), "longest_gap_days": self.longest_gap_days,
                "longest_gap_start": _iso(self.longest_gap_start),
                "walking_tests": self.walking_tests, "stale": list(self.stale),
                "never": list(self.never)}


@dataclass(frozen=True, slots=True)
class ReferenceLine:
    id: str
    citation: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "citation": self.citation}


@dataclass(frozen=True, slots=True)
class DoctorReport:
    name: str
    age: int | None
    start: date
    end: date
    warnings: tuple[WarningEvent, ...]    # logged in the period
    scores: tuple[ScoreRow, ...]
    walking_test: ChangeVerdict | None
    pain_chart: Chart
    walking_chart: Chart
    flares: Flares
    exercise: Exercise
    treatments: Treatments
    own_words: OwnWords | None
    questions: tuple[str, ...]
    flags: tuple[Flag, ...]
    completeness: Completeness
    references: tuple[ReferenceLine, ...] = ()
    # Open now (the last 14 days up to ``today``, rule DIARY-OPEN-SIGN), whatever the period.
    open_now: tuple[WarningEvent, ...] = ()
    today: date | None = None
    rules_version: str = RULES_VERSION
    rule_ids: tuple[str, ...] = field(default=("RPT-ROWS", "RPT-DISPLAY", "RPT-CHANGE",
                                               "RPT-FLAGS", "RPT-STALE"))

    @property
    def fired_flags(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.fired)

    @property
    def unchecked_flags(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.fired is None)

    @property
    def clear_flags(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.fired is False)

    @property
    def reference_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for ref in references_of(*self.rule_ids):
            seen.setdefault(ref, None)
        for flag in self.flags:
            for ref in flag.references:
                seen.setdefault(ref, None)
        for row in self.scores:
            for ref in row.verdict.references if row.verdict else ():
                seen.setdefault(ref, None)
        for ref in self.walking_test.references if self.walking_test else ():
            seen.setdefault(ref, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "age": self.age, "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "warnings": [w.to_dict() for w in self.warnings],
            "open_now": [w.to_dict() for w in self.open_now],
            "today": _iso(self.today),
            "scores": [s.to_dict() for s in self.scores],
            "walking_test": None if self.walking_test is None else self.walking_test.to_dict(),
            "pain_chart": self.pain_chart.to_dict(),
            "walking_chart": self.walking_chart.to_dict(),
            "flares": self.flares.to_dict(), "exercise": self.exercise.to_dict(),
            "treatments": self.treatments.to_dict(),
            "own_words": None if self.own_words is None else
            {"day": self.own_words.day.isoformat(), "text": self.own_words.text},
            "questions": list(self.questions),
            "flags": [f.to_dict() for f in self.flags],
            "completeness": self.completeness.to_dict(),
            "references": [r.to_dict() for r in self.references],
            "rules_version": self.rules_version, "rule_ids": list(self.rule_ids),
        }


# --- the pieces ---------------------------------------------------------------------------

def weekly_means(days: Sequence[DayRecord], attribute: str, start: date,
                 end: date) -> tuple[tuple[date, float | None], ...]:
    """Means over 7-day blocks ending on ``end`` (then end-7, ...), back to ``start``; each
    point is dated by its block's last day; a block with fewer than CHART_WEEK_MIN_DAYS
    recorded days is None (a gap, never zero)."""
    values = {d.day: getattr(d, attribute) for d in days if start <= d.day <= end}
    points: list[tuple[date, float | None]] = []
    block_end = end
    while block_end >= start:
        block_start = max(start, block_end - timedelta(days=6))
        found = [v for k in range((block_end - block_start).days + 1)
                 if (v := values.get(block_start + timedelta(days=k))) is not None]
        points.append((block_end, sum(found) / len(found)
                       if len(found) >= CHART_WEEK_MIN_DAYS else None))
        block_end -= timedelta(days=7)
    return tuple(reversed(points))


def _first_known(points: Sequence[tuple[date, float | None]]) -> float | None:
    return next((v for _, v in points if v is not None), None)


def pain_chart(data: ReportData) -> Chart:
    days = data.period_days()
    leg = weekly_means(days, "leg_pain", data.start, data.end)
    back = weekly_means(days, "back_pain", data.start, data.end)
    lines = tuple(ChartLine(line.value, line.label)
                  for line in pain_lines(days, data.start, ("leg", "back")))
    return Chart("pain", "Leg and back pain, weekly means (0-10)", "Pain (0-10)",
                 HIGHER_IS_WORSE, 0, 10,
                 (ChartSeries("Leg pain", leg), ChartSeries("Back pain", back)),
                 lines,
                 "Dotted lines: 2 points or 30 % (whichever is less) from the mean of the "
                 "first week, the smallest change in pain that matters to people (Ostelo "
                 "2008; rule DIARY-PAIN-LINES).")


def walking_chart(data: ReportData) -> Chart:
    days = data.period_days()
    diary = weekly_means(days, "walking_minutes", data.start, data.end)
    tests = tuple((p.day, p.minutes) for p in data.diary.walking.tests)
    baseline = data.diary.walking.baseline
    if baseline is not None:
        base, source = baseline.minutes, "first walking test"
    else:
        base, source = _first_known(diary) or 0.0, "first week's walking"
    lines: list[ChartLine] = []
    if base > 0:
        pct = WALK_TEST_DOWN_PERCENT / 100
        lines = [ChartLine(base * (1 + pct), f"{source} + 30 % (better)"),
                 ChartLine(base * (1 - pct), f"{source} − 30 % (worse)")]
    values = [v for _, v in (*diary, *tests) if v is not None] + [ln.value for ln in lines]
    top = max([10.0, *values]) * 1.15
    top = float(-(-top // 5) * 5)
    series = [ChartSeries("Diary (weekly mean)", diary)]
    if tests:
        series.append(ChartSeries("Walking test", tests))
    return Chart("walking", "Walking tolerance (minutes)", "Minutes", HIGHER_IS_BETTER, 0, top,
                 tuple(series), tuple(lines),
                 "Dotted lines: 30 % from the baseline, the change in walking that matters "
                 "(Ammendolia 2018).")


def _score_rows(data: ReportData) -> tuple[ScoreRow, ...]:
    rows = []
    for series in data.scores:
        points = [p for p in series.points if p.day <= data.end]
        if not points:
            continue
        latest = points[-1]
        # Baseline: the latest score on or before the period's start, else the period's first.
        before = [p for p in points[:-1] if p.day <= data.start]
        baseline = before[-1] if before else (points[0] if len(points) > 1 else None)
        v = None
        if baseline is not None:
            v = verdict(series.key, series.label, series.direction,
                        (baseline.day, baseline.value), (latest.day, latest.value),
                        unit=series.unit, mcid_absolute=series.mcid_absolute,
                        mcid_relative_percent=series.mcid_relative_percent,
                        references=series.references)
        stale = (data.end - latest.day).days > STALE_DAYS
        rows.append(ScoreRow(series.key, series.label, series.direction, latest.value,
                             latest.day, latest.band, series.unit, v, stale))
    return tuple(rows)


def _walking_test_verdict(data: ReportData) -> ChangeVerdict | None:
    walking = data.diary.walking
    first, last = walking.baseline, walking.latest
    if first is None or last is None:
        return None
    refs = references_of("RPT-FLAG-WALK-TEST-DOWN")
    if walking.measure == "distance" and first.metres is not None and last.metres is not None:
        return verdict("walk_test.distance", "Walking test distance", HIGHER_IS_BETTER,
                       (first.day, first.metres), (last.day, last.metres), unit=" m",
                       mcid_relative_percent=WALK_TEST_DOWN_PERCENT, references=refs)
    return verdict("walk_test.time", "Walking test time", HIGHER_IS_BETTER,
                   (first.day, first.minutes), (last.day, last.minutes), unit=" min",
                   mcid_relative_percent=WALK_TEST_DOWN_PERCENT, references=refs)


def _flares(data: ReportData) -> Flares:
    pain = data.diary.pain_flares
    own = data.diary.self_reported_flares
    return Flares(tuple(DaySpan(f.start, f.end, f.days) for f in pain.flares), pain.flare_days,
                  own.spans, own.days,
                  pain.label, own.note)


def _exercise(data: ReportData) -> Exercise:
    started = data.programme_started
    programme = [s for s in data.sessions if s.kind == "programme" and s.day <= data.end
                 and (started is None or s.day >= started)]
    counts = Counter(s.status for s in programme)
    credit = trial_credit(programme)
    in_period = sum(1 for s in data.sessions if data.start <= s.day <= data.end
                    and s.status in ("done", "partly"))
    return Exercise(started, credit, TRIAL_SESSIONS, counts["done"], counts["partly"],
                    counts["skipped"], in_period)


def _treatments(data: ReportData) -> Treatments:
    days = data.period_days()
    counter: Counter[str] = Counter()
    for d in days:
        for name in dict.fromkeys(m.strip().lower() for m in d.medicines if m.strip()):
            counter[name] += 1
    since = data.end - timedelta(days=365)
    epidural_days = tuple(d.day for d in data.days
                          if since < d.day <= data.end and d.epidural_injection is True)
    epidural = data.diary.epidural
    return Treatments(tuple(Medicine(n, c) for n, c in counter.most_common()),
                      sum(1 for d in days if d.medicines), epidural.injections_12m,
                      epidural_days, epidural.limit)


CORE_QUESTIONNAIRES = (("odi", "ODI"), ("zcq.symptom_severity", "ZCQ"))


def _completeness(data: ReportData, rows: Sequence[ScoreRow]) -> Completeness:
    c = data.diary.completeness
    stale = tuple(f"{r.label}: last {r.latest_day.day} {r.latest_day:%b %Y}"
                  for r in rows if r.stale)
    have = {s.key for s in data.scores if s.points}
    never = tuple(name for key, name in CORE_QUESTIONNAIRES if key not in have)
    return Completeness(c.days_logged, c.days_in_period, c.longest_gap_days,
                        c.longest_gap_start, len(data.diary.walking.tests), stale, never)


def _own_words(data: ReportData) -> OwnWords | None:
    words = data.own_words
    if words is None or not words.text.strip():
        return None
    text = " ".join(words.text.split())
    if len(text) > OWN_WORDS_MAX_CHARS:
        text = text[:OWN_WORDS_MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return OwnWords(words.day, text)


def build_report(data: ReportData, citations: Mapping[str, str] | None = None,
                 ) -> DoctorReport:
    """The report for ``data``; ``citations`` (reference id -> citation) fill the small
    print at the end (ids without a citation are listed by id)."""
    rows = _score_rows(data)
    warnings = tuple(sorted((e for e in data.warning_events
                             if data.start <= e.day <= data.end),
                            key=lambda e: (e.day, e.label), reverse=True))
    report = DoctorReport(
        name=data.name, age=data.age, start=data.start, end=data.end, warnings=warnings,
        scores=rows, walking_test=_walking_test_verdict(data), pain_chart=pain_chart(data),
        walking_chart=walking_chart(data), flares=_flares(data), exercise=_exercise(data),
        treatments=_treatments(data), own_words=_own_words(data),
        questions=tuple(q for q in data.questions if q.strip()),
        flags=evaluate_flags(data, FLAG_RULES), completeness=_completeness(data, rows),
        open_now=tuple(sorted(data.open_signs, key=lambda e: (-e.day.toordinal(), e.label))),
        today=data.today,
    )
    cites = citations or {}
    refs = tuple(ReferenceLine(r, cites.get(r, r)) for r in report.reference_ids)
    return replace(report, references=refs)
