"""The diary summary: one entry point, ``summarise``, for the diary pages and the doctor's report.

Everything here is a pure function of the records passed in and ``today`` (no clock, no
I/O). ``None`` is "not recorded" throughout: a missing day or a blank rating is left out of
every mean, slope and count, never read as zero or "no". Every section names the rule ids
(clinical/diary/rules.py) and references behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from spinecare.clinical.diary.associations import Associations, summarise_associations
from spinecare.clinical.diary.flares import (
    PainFlares,
    SelfReportedFlares,
    judge_days,
    pain_flares,
    self_reported_flares,
)
from spinecare.clinical.diary.model import PAIN_SITES, DayRecord, WalkingTestRecord
from spinecare.clinical.diary.rules import (
    EPIDURAL_LIMIT_12M,
    MEAN_WINDOWS,
    RULES_VERSION,
    TREND_MIN_POINTS,
    references_of,
)
from spinecare.clinical.diary.stats import ols_slope
from spinecare.clinical.diary.walking import WalkingSummary, summarise_walking

BETTER = "getting better"
WORSE = "getting worse"
NO_CLEAR_CHANGE = "no clear change"
NOT_ENOUGH_DATA = "not enough data"

# The daily measures a trend is drawn for, with which way is better.
TOLERANCE_MEASURES = ("walking_minutes", "standing_minutes")


@dataclass(frozen=True, slots=True)
class SiteMeans:
    site: str
    mean_7d: float | None
    n_7d: int
    mean_28d: float | None
    n_28d: int

    def to_dict(self) -> dict[str, Any]:
        return {"mean_7d": _r(self.mean_7d), "n_7d": self.n_7d,
                "mean_28d": _r(self.mean_28d), "n_28d": self.n_28d}


@dataclass(frozen=True, slots=True)
class Trend:
    measure: str              # a pain site, "walking_minutes" or "standing_minutes"
    better: str               # "lower" (pain) or "higher" (walking, standing)
    unit: str                 # "points per week" or "minutes per week"
    n: int                    # recorded days used
    slope_per_week: float | None
    ci_low: float | None
    ci_high: float | None
    direction: str            # getting better / getting worse / no clear change / not enough data

    def to_dict(self) -> dict[str, Any]:
        return {"better": self.better, "unit": self.unit, "n": self.n,
                "slope_per_week": _sig(self.slope_per_week), "ci_low": _sig(self.ci_low),
                "ci_high": _sig(self.ci_high), "direction": self.direction}


@dataclass(frozen=True, slots=True)
class Epidural:
    injections_12m: int
    limit: int
    caution: bool
    message: str
    rule_ids: tuple[str, ...] = ("DIARY-EPIDURAL",)
    references: tuple[str, ...] = references_of("DIARY-EPIDURAL")

    def to_dict(self) -> dict[str, Any]:
        return {"injections_12m": self.injections_12m, "limit": self.limit,
                "caution": self.caution, "message": self.message,
                "rule_ids": list(self.rule_ids), "references": list(self.references)}


@dataclass(frozen=True, slots=True)
class Completeness:
    days_logged: int
    days_in_period: int
    percent: float
    longest_gap_days: int
    longest_gap_start: date | None
    longest_gap_end: date | None
    rule_ids: tuple[str, ...] = ("DIARY-COMPLETENESS",)

    def to_dict(self) -> dict[str, Any]:
        return {"days_logged": self.days_logged, "days_in_period": self.days_in_period,
                "percent": round(self.percent, 1), "longest_gap_days": self.longest_gap_days,
                "longest_gap_start": _iso(self.longest_gap_start),
                "longest_gap_end": _iso(self.longest_gap_end),
                "rule_ids": list(self.rule_ids)}


@dataclass(frozen=True, slots=True)
class DiarySummary:
    today: date
    period_start: date
    means: tuple[SiteMeans, ...]          # one per pain site, in PAIN_SITES order
    trends: tuple[Trend, ...]             # the pain sites, then walking and standing
    pain_flares: PainFlares
    self_reported_flares: SelfReportedFlares
    walking: WalkingSummary
    associations: Associations
    epidural: Epidural
    completeness: Completeness
    rules_version: str = RULES_VERSION
    means_rule_ids: tuple[str, ...] = ("DIARY-MEANS",)
    means_references: tuple[str, ...] = references_of("DIARY-MEANS")
    trends_rule_ids: tuple[str, ...] = ("DIARY-TREND",)
    trends_references: tuple[str, ...] = references_of("DIARY-TREND")

    def mean(self, site: str) -> SiteMeans:
        return next(m for m in self.means if m.site == site)

    def trend(self, measure: str) -> Trend:
        return next(t for t in self.trends if t.measure == measure)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (dates as ISO strings, floats rounded for display)."""
        return {
            "today": self.today.isoformat(),
            "period_start": self.period_start.isoformat(),
            "means": {m.site: m.to_dict() for m in self.means},
            "means_rule_ids": list(self.means_rule_ids),
            "means_references": list(self.means_references),
            "trends": {t.measure: t.to_dict() for t in self.trends},
            "trends_rule_ids": list(self.trends_rule_ids),
            "trends_references": list(self.trends_references),
            "pain_flares": self.pain_flares.to_dict(),
            "self_reported_flares": self.self_reported_flares.to_dict(),
            "walking": self.walking.to_dict(),
            "associations": self.associations.to_dict(),
            "epidural": self.epidural.to_dict(),
            "completeness": self.completeness.to_dict(),
            "rules_version": self.rules_version,
        }


def summarise(
    days: Sequence[DayRecord],
    tests: Sequence[WalkingTestRecord],
    *,
    today: date,
    period_start: date | None = None,
) -> DiarySummary:
    """Summarise a person's diary up to ``today``. The period runs from ``period_start``
    (default: the first day or test recorded) to ``today``; days after ``today`` are ignored.
    When two records share a day, the later one in ``days`` wins. The 7/28-day means and
    the 12-month injection count look back from ``today`` whatever the period; flares use
    the days before the period to know the usual level."""
    by_day: dict[date, DayRecord] = {}
    for rec in days:
        if rec.day <= today:
            by_day[rec.day] = rec
    ordered = [by_day[d] for d in sorted(by_day)]
    if period_start is None:
        firsts = [ordered[0].day] if ordered else []
        firsts += [t.performed_at.date() for t in tests if t.performed_at.date() <= today]
        period_start = min(firsts, default=today)
    if period_start > today:
        raise ValueError(f"period_start {period_start.isoformat()} is after today "
                         f"{today.isoformat()}: choose a start on or before today.")
    period = [rec for rec in ordered if rec.day >= period_start]

    judged = judge_days(ordered)
    pain = pain_flares(judged, period_start, today)
    return DiarySummary(
        today=today,
        period_start=period_start,
        means=tuple(_means(site, ordered, today) for site in PAIN_SITES),
        trends=_trends(period, period_start),
        pain_flares=pain,
        self_reported_flares=self_reported_flares(period, judged, pain, period_start, today),
        walking=summarise_walking(tests, period, period_start, today),
        associations=summarise_associations(period, by_day),
        epidural=_epidural(ordered, today),
        completeness=_completeness(period, period_start, today),
    )


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _sig(value: float | None) -> float | None:
    """Three significant figures: a slope per week over years is small but not zero."""
    return None if value is None else float(f"{value:.3g}") + 0.0


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _means(site: str, ordered: Sequence[DayRecord], today: date) -> SiteMeans:
    """Means over the windows ending today; walks back from the newest day and stops at the
    oldest window's first day."""
    firsts = [today - timedelta(days=w - 1) for w in MEAN_WINDOWS]
    sums = [0.0] * len(MEAN_WINDOWS)
    counts = [0] * len(MEAN_WINDOWS)
    for rec in reversed(ordered):
        if rec.day < firsts[-1]:
            break
        value = rec.pain(site)
        if value is None:
            continue
        for i, first in enumerate(firsts):
            if rec.day >= first:
                sums[i] += value
                counts[i] += 1
    means = [s / n if n else None for s, n in zip(sums, counts, strict=True)]
    return SiteMeans(site, means[0], counts[0], means[1], counts[1])


def _trends(period: Sequence[DayRecord], start: date) -> tuple[Trend, ...]:
    trends = []
    weeks = [(rec.day - start).days / 7.0 for rec in period]
    for measure in (*PAIN_SITES, *TOLERANCE_MEASURES):
        is_pain = measure in PAIN_SITES
        get = attrgetter(f"{measure}_pain" if is_pain else measure)
        pairs = [(x, float(v)) for x, v in zip(weeks, map(get, period), strict=True)
                 if v is not None]
        xs = [x for x, _ in pairs]
        ys = [y for _, y in pairs]
        better = "lower" if is_pain else "higher"
        unit = "points per week" if is_pain else "minutes per week"
        fit = ols_slope(xs, ys) if len(xs) >= TREND_MIN_POINTS else None
        if fit is None:
            trends.append(Trend(measure, better, unit, len(xs), None, None, None,
                                NOT_ENOUGH_DATA))
            continue
        if fit.ci_low <= 0 <= fit.ci_high:
            words = NO_CLEAR_CHANGE
        else:
            improving = fit.slope < 0 if is_pain else fit.slope > 0
            words = BETTER if improving else WORSE
        trends.append(Trend(measure, better, unit, fit.n, fit.slope, fit.ci_low, fit.ci_high,
                            words))
    return tuple(trends)


def _one_year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _epidural(ordered: Sequence[DayRecord], today: date) -> Epidural:
    since = _one_year_before(today)
    count = sum(1 for rec in ordered if rec.day > since and rec.epidural_injection is True)
    caution = count >= EPIDURAL_LIMIT_12M
    plural = "injection" if count == 1 else "injections"
    if caution:
        message = (f"You have recorded {count} epidural {plural} in the past 12 months. "
                   f"Doctors usually give only a few a year: talk to your specialist before "
                   "having another.")
    elif count:
        message = f"You have recorded {count} epidural {plural} in the past 12 months."
    else:
        message = "No epidural injections recorded in the past 12 months."
    return Epidural(count, EPIDURAL_LIMIT_12M, caution, message)


def _completeness(period: Sequence[DayRecord], start: date, today: date) -> Completeness:
    total = (today - start).days + 1
    best = 0
    best_start: date | None = None
    previous = start - timedelta(days=1)
    for rec in (*period, None):
        current = today + timedelta(days=1) if rec is None else rec.day
        gap = (current - previous).days - 1
        if gap > best:
            best, best_start = gap, previous + timedelta(days=1)
        previous = current
    best_end = None if best_start is None else best_start + timedelta(days=best - 1)
    return Completeness(len(period), total, len(period) / total * 100.0, best, best_start,
                        best_end)
