"""Flares two ways: pain-defined (from the numbers) and self-reported (the person's own yes),
and how far they agree (Costa 2021: they often do not).

Pain-defined flare, rule DIARY-FLARE-PAIN (spinecare-defined, based on Costa 2021, Suri
2018 and FLAReS). A day's pain is the higher of its leg and back ratings: in stenosis and
sciatica the leg often hurts more than the back, and the flare literature asks about the
person's pain as a whole ("distinctly worse than it has been recently", Suri 2018), so the
worse of the two regions is the one that can flare; neck and arm are not used (the studies
are of low back pain). A day with neither rating is unknown, not pain-free. The day is
above the usual level when that pain is at least 2 points above the median of the recorded
days among the 14 calendar days before it (at least 7 recorded); 2 or more such days in a
row (calendar days, both recorded) are a flare. The usual level is recomputed every day, so
a flare that lasts weeks raises its own baseline and ends in the numbers before it ends for
the person: one more reason to show the self-reported flares beside it.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.rules import (
    FLARE_BASELINE_DAYS,
    FLARE_BASELINE_MIN_DAYS,
    FLARE_MIN_DAYS,
    FLARE_POINTS_ABOVE,
    references_of,
)
from spinecare.clinical.diary.stats import median_sorted

PAIN_FLARE_LABEL = (
    "Pain-defined flare (spinecare-defined, based on Costa 2021, Suri 2018 and FLAReS): "
    f"the higher of leg and back pain at least {FLARE_POINTS_ABOVE} points above your usual "
    f"level (the median of the previous {FLARE_BASELINE_DAYS} days) on {FLARE_MIN_DAYS} or "
    "more days in a row."
)
SELF_FLARE_LABEL = (
    "Days you said you were in a flare: a worsening that lasts from hours to weeks, is hard "
    "to bear and affects your usual activities or feelings (consensus definition, Costa 2019)."
)
_ONE_DAY = timedelta(days=1)


def flare_pain(day: DayRecord) -> int | None:
    """The pain a flare is judged on: the higher of leg and back, None when neither is known."""
    leg, back = day.leg_pain, day.back_pain
    if leg is None:
        return back
    if back is None:
        return leg
    return max(leg, back)


@dataclass(frozen=True, slots=True)
class FlareSpan:
    start: date
    end: date
    days: int
    peak: int
    peak_day: date
    usual: float  # the usual level (median of the previous days) on the first day

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "days": self.days, "peak": self.peak, "peak_day": self.peak_day.isoformat(),
                "usual": round(self.usual, 2)}


@dataclass(frozen=True, slots=True)
class DaySpan:
    start: date
    end: date
    days: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


@dataclass(frozen=True, slots=True)
class PainFlares:
    flares: tuple[FlareSpan, ...]
    flare_days: int
    days_above_usual: int
    days_assessable: int  # days with a pain rating and a usual level to compare with
    label: str = PAIN_FLARE_LABEL
    rule_ids: tuple[str, ...] = ("DIARY-FLARE-PAIN",)
    references: tuple[str, ...] = references_of("DIARY-FLARE-PAIN")

    def to_dict(self) -> dict[str, Any]:
        return {"flares": [f.to_dict() for f in self.flares], "flare_days": self.flare_days,
                "days_above_usual": self.days_above_usual,
                "days_assessable": self.days_assessable, "label": self.label,
                "rule_ids": list(self.rule_ids), "references": list(self.references)}


@dataclass(frozen=True, slots=True)
class FlareAgreement:
    """Day counts comparing the two kinds of flare over the period."""

    self_reported_days: int
    self_reported_with_pain_flare: int
    self_reported_without_pain_flare: int
    self_reported_not_assessable: int  # no pain rating, or too few days before it
    pain_flare_days: int
    pain_flare_self_reported: int
    pain_flare_not_self_reported: int  # the person answered "no"
    pain_flare_not_answered: int       # the question was left blank: unknown, not "no"

    def to_dict(self) -> dict[str, Any]:
        return {
            "self_reported_days": self.self_reported_days,
            "self_reported_with_pain_flare": self.self_reported_with_pain_flare,
            "self_reported_without_pain_flare": self.self_reported_without_pain_flare,
            "self_reported_not_assessable": self.self_reported_not_assessable,
            "pain_flare_days": self.pain_flare_days,
            "pain_flare_self_reported": self.pain_flare_self_reported,
            "pain_flare_not_self_reported": self.pain_flare_not_self_reported,
            "pain_flare_not_answered": self.pain_flare_not_answered,
        }


@dataclass(frozen=True, slots=True)
class SelfReportedFlares:
    spans: tuple[DaySpan, ...]
    days: int
    agreement: FlareAgreement
    label: str = SELF_FLARE_LABEL
    note: str = ("The two kinds of flare often disagree: in one study 68% of the days people "
                 "called a flare did not have above-average pain (Costa 2021).")
    rule_ids: tuple[str, ...] = ("DIARY-FLARE-SELF",)
    references: tuple[str, ...] = references_of("DIARY-FLARE-SELF")

    def to_dict(self) -> dict[str, Any]:
        return {"spans": [s.to_dict() for s in self.spans], "days": self.days,
                "agreement": self.agreement.to_dict(), "label": self.label, "note": self.note,
                "rule_ids": list(self.rule_ids), "references": list(self.references)}


class _DayJudgement(NamedTuple):  # a tuple: built once per diary day, so kept cheap
    pain: int
    usual: float | None  # None: fewer than FLARE_BASELINE_MIN_DAYS recorded days before
    above: bool          # pain at least FLARE_POINTS_ABOVE over the usual level


def judge_days(days: Sequence[DayRecord]) -> dict[date, _DayJudgement]:
    """Each day with a flare pain, with its usual level. ``days`` sorted by day, unique.
    One pass; the previous days are kept sorted (bisect), so a day costs O(log 14)."""
    window: deque[tuple[date, int]] = deque()
    ordered: list[int] = []
    out: dict[date, _DayJudgement] = {}
    span = timedelta(days=FLARE_BASELINE_DAYS)
    for rec in days:
        pain = flare_pain(rec)
        if pain is None:
            continue
        first = rec.day - span
        while window and window[0][0] < first:
            _, old = window.popleft()
            del ordered[bisect.bisect_left(ordered, old)]
        usual = median_sorted(ordered) if len(ordered) >= FLARE_BASELINE_MIN_DAYS else None
        out[rec.day] = _DayJudgement(
            pain, usual, usual is not None and pain >= usual + FLARE_POINTS_ABOVE)
        window.append((rec.day, pain))
        bisect.insort(ordered, pain)
    return out


def pain_flares(judged: dict[date, _DayJudgement], start: date, end: date) -> PainFlares:
    """Flares (runs of above-usual days) that overlap ``start``..``end``; the counts are of
    days inside it. ``judged`` must be in day order (judge_days gives it so)."""
    flares: list[FlareSpan] = []
    run: list[date] = []

    def close() -> None:
        if len(run) >= FLARE_MIN_DAYS and run[-1] >= start and run[0] <= end:
            peak_day = max(run, key=lambda d: (judged[d].pain, -d.toordinal()))
            usual = judged[run[0]].usual
            assert usual is not None
            flares.append(FlareSpan(run[0], run[-1], len(run), judged[peak_day].pain,
                                    peak_day, usual))
        run.clear()

    above = assessable = 0
    for day, j in judged.items():
        if start <= day <= end and j.usual is not None:
            assessable += 1
            above += j.above
        if j.above:
            if run and day - run[-1] != _ONE_DAY:
                close()
            run.append(day)
        else:
            close()
    close()
    flare_days = sum(
        1 for f in flares for k in range(f.days)
        if start <= f.start + timedelta(days=k) <= end
    )
    return PainFlares(tuple(flares), flare_days, above, assessable)


def spans_of(days: Sequence[date]) -> tuple[DaySpan, ...]:
    """Consecutive calendar days grouped into spans (``days`` sorted, unique)."""
    spans: list[DaySpan] = []
    for d in days:
        if spans and d - spans[-1].end == _ONE_DAY:
            last = spans[-1]
            spans[-1] = DaySpan(last.start, d, last.days + 1)
        else:
            spans.append(DaySpan(d, d, 1))
    return tuple(spans)


def self_reported_flares(
    period_days: Sequence[DayRecord], judged: dict[date, _DayJudgement], pain: PainFlares,
    start: date, end: date,
) -> SelfReportedFlares:
    """Self-reported flare spans in the period and their agreement with ``pain``."""
    in_pain_flare: set[date] = set()
    for f in pain.flares:
        for k in range(f.days):
            d = f.start + timedelta(days=k)
            if start <= d <= end:
                in_pain_flare.add(d)
    answers = {rec.day: rec.flare for rec in period_days}
    yes_days = [rec.day for rec in period_days if rec.flare is True]
    with_pf = without_pf = not_assessable = 0
    for d in yes_days:
        if d in in_pain_flare:
            with_pf += 1
        elif d in judged and judged[d].usual is not None:
            without_pf += 1
        else:
            not_assessable += 1
    said_yes = said_no = blank = 0
    for d in in_pain_flare:
        answer = answers.get(d)
        if answer is True:
            said_yes += 1
        elif answer is False:
            said_no += 1
        else:
            blank += 1
    agreement = FlareAgreement(len(yes_days), with_pf, without_pf, not_assessable,
                               len(in_pain_flare), said_yes, said_no, blank)
    return SelfReportedFlares(spans_of(yes_days), len(yes_days), agreement)
