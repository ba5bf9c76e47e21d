"""Factor and next-day pain: honest, within-person associations (rule DIARY-ASSOC).

For each factor, the recorded days with it are compared with the recorded days without it
on the *next* day's pain (leg pain, else back pain when leg pain was not recorded): timing
matters, as Bearable says (a factor is compared with what follows it). A day counts only
when its next day is recorded with a pain rating; a factor left blank (sitting hours, sleep)
is unknown and the day is left out of that factor, never counted as "without". Likewise a
day with no activity ticked, no "none of these" (``NO_ACTIVITIES``) and no activity note says
nothing about activities: it is left out of every activity's comparison.

Only shown with at least 3 days with and 3 without (Bearable), 30 of each preferred;
difference of next-day means with a 95% Welch interval. Two published priors come first:
sitting more than 6 hours (Suri 2018, OR 4.4) and poor sleep (Costa 2021). At most
MAX_FACTORS factors are tested, the priors included; the activities tested are the ones
recorded on the most days (chosen by how much data there is, never by the result), and the
ones left out are named. Each result is an association, not a cause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spinecare.clinical.diary.model import NO_ACTIVITIES, DayRecord
from spinecare.clinical.diary.rules import (
    ASSOCIATION_MIN_DAYS,
    ASSOCIATION_PREFERRED_DAYS,
    MAX_FACTORS,
    POOR_SLEEP_AT_MOST,
    SITTING_HOURS_OVER,
    references_of,
)
from spinecare.clinical.diary.stats import welch_difference

NOT_A_CAUSE = "an association, not a cause"
OUTCOME = "the next day's leg pain (back pain when leg pain was not recorded)"
MORE_PAIN = "more pain the next day"
LESS_PAIN = "less pain the next day"
NO_CLEAR_DIFFERENCE = "no clear difference"

SITTING = "sitting_over_6h"
POOR_SLEEP = "poor_sleep"
_ONE_DAY = timedelta(days=1)

Exposure = Callable[[DayRecord], bool | None]


@dataclass(frozen=True, slots=True)
class _Factor:
    id: str
    label: str
    kind: str  # "published_prior" or "activity"
    exposure: Exposure
    rule_ids: tuple[str, ...]
    prior: str = ""


def _sitting(rec: DayRecord) -> bool | None:
    return None if rec.sitting_hours is None else rec.sitting_hours > SITTING_HOURS_OVER


def _poor_sleep(rec: DayRecord) -> bool | None:
    return None if rec.sleep_quality is None else rec.sleep_quality <= POOR_SLEEP_AT_MOST


PRIORS = (
    _Factor(SITTING, f"sitting more than {SITTING_HOURS_OVER:g} hours", "published_prior",
            _sitting, ("DIARY-ASSOC", "DIARY-ASSOC-SITTING"),
            "In a study of back-pain flares, sitting more than 6 hours went with about 4 times "
            "the odds of a flare (Suri 2018)."),
    _Factor(POOR_SLEEP, f"poor sleep ({POOR_SLEEP_AT_MOST} or less out of 5)", "published_prior",
            _poor_sleep, ("DIARY-ASSOC", "DIARY-ASSOC-SLEEP"),
            "In a study of back-pain flares, poor sleep went with higher odds of a flare "
            "(Costa 2021)."),
)


def _activity(name: str) -> _Factor:
    return _Factor(name, name, "activity", lambda rec: _did(rec, name), ("DIARY-ASSOC",))


def _did(rec: DayRecord, name: str) -> bool | None:
    """``name`` done that day; None when the day says nothing about activities (no tick,
    no "none of these", no note): unknown, never "without"."""
    return (name in rec.activities) if rec.activities_known else None


def next_day_pain(rec: DayRecord | None) -> int | None:
    if rec is None:
        return None
    return rec.leg_pain if rec.leg_pain is not None else rec.back_pain


@dataclass(frozen=True, slots=True)
class Association:
    factor: str
    label: str
    kind: str
    days_with: int
    days_without: int
    mean_with: float | None
    mean_without: float | None
    difference: float | None  # mean with minus mean without (NRS points)
    ci_low: float | None
    ci_high: float | None
    enough_data: bool
    reason: str               # why not shown, when enough_data is False
    below_preferred: bool     # fewer than 30 days with or without
    direction: str | None
    prior: str
    rule_ids: tuple[str, ...]
    references: tuple[str, ...]
    wording: str = NOT_A_CAUSE
    preferred_days: int = ASSOCIATION_PREFERRED_DAYS

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor, "label": self.label, "kind": self.kind,
            "days_with": self.days_with, "days_without": self.days_without,
            "mean_with": _r(self.mean_with), "mean_without": _r(self.mean_without),
            "difference": _r(self.difference), "ci_low": _r(self.ci_low),
            "ci_high": _r(self.ci_high), "enough_data": self.enough_data,
            "reason": self.reason, "below_preferred": self.below_preferred,
            "preferred_days": self.preferred_days, "direction": self.direction,
            "prior": self.prior, "wording": self.wording, "rule_ids": list(self.rule_ids),
            "references": list(self.references),
        }


@dataclass(frozen=True, slots=True)
class Associations:
    items: tuple[Association, ...]
    factors_seen: int
    factors_tested: int
    not_tested: tuple[str, ...]
    max_factors: int = MAX_FACTORS
    min_days: int = ASSOCIATION_MIN_DAYS
    preferred_days: int = ASSOCIATION_PREFERRED_DAYS
    outcome: str = OUTCOME
    wording: str = NOT_A_CAUSE
    note: str = (f"At most {MAX_FACTORS} factors are compared, so that chance findings stay "
                 "few; the activities compared are the ones you recorded most often.")
    rule_ids: tuple[str, ...] = ("DIARY-ASSOC", "DIARY-ASSOC-SITTING", "DIARY-ASSOC-SLEEP")
    references: tuple[str, ...] = references_of(
        "DIARY-ASSOC", "DIARY-ASSOC-SITTING", "DIARY-ASSOC-SLEEP")

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [a.to_dict() for a in self.items], "factors_seen": self.factors_seen,
            "factors_tested": self.factors_tested, "not_tested": list(self.not_tested),
            "max_factors": self.max_factors, "min_days": self.min_days,
            "preferred_days": self.preferred_days, "outcome": self.outcome,
            "wording": self.wording, "note": self.note, "rule_ids": list(self.rule_ids),
            "references": list(self.references),
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summarise_associations(
    period_days: Sequence[DayRecord], by_day: Mapping[date, DayRecord],
) -> Associations:
    """``period_days``: the period's days in order; ``by_day``: every day, for the next day."""
    pairs: list[tuple[DayRecord, int]] = []
    for rec in period_days:
        outcome = next_day_pain(by_day.get(rec.day + _ONE_DAY))
        if outcome is not None:
            pairs.append((rec, outcome))
    counts: dict[str, int] = {}
    for rec in period_days:
        for name in set(rec.activities) - {NO_ACTIVITIES}:  # "none" is an answer, not a factor
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts, key=lambda a: (-counts[a], a))
    room = max(MAX_FACTORS - len(PRIORS), 0)
    tested = ranked[:room]
    factors = [*PRIORS, *(_activity(a) for a in tested)]
    results = [_associate(f, pairs) for f in factors]
    priors, activities = results[:len(PRIORS)], results[len(PRIORS):]
    activities.sort(key=_strength)
    return Associations(tuple(priors + activities), len(counts) + len(PRIORS), len(factors),
                        tuple(ranked[room:]))


def _strength(a: Association) -> tuple[int, float, str]:
    if not a.enough_data or a.difference is None:
        return (2, -float(a.days_with), a.factor)
    clear = a.direction != NO_CLEAR_DIFFERENCE
    return (0 if clear else 1, -abs(a.difference), a.factor)


def _associate(factor: _Factor, pairs: Sequence[tuple[DayRecord, int]]) -> Association:
    if factor.kind == "activity":  # the common case, without a call per day
        name = factor.id
        known = [(rec, o) for rec, o in pairs if rec.activities_known]
        with_ = [float(o) for rec, o in known if name in rec.activities]
        without = [float(o) for rec, o in known if name not in rec.activities]
    else:
        exposure = factor.exposure
        marked = [(exposure(rec), outcome) for rec, outcome in pairs]
        with_ = [float(o) for e, o in marked if e is True]
        without = [float(o) for e, o in marked if e is False]
    n1, n2 = len(with_), len(without)
    mean_with = sum(with_) / n1 if with_ else None
    mean_without = sum(without) / n2 if without else None
    refs = references_of(*factor.rule_ids)
    below = n1 < ASSOCIATION_PREFERRED_DAYS or n2 < ASSOCIATION_PREFERRED_DAYS
    if n1 < ASSOCIATION_MIN_DAYS or n2 < ASSOCIATION_MIN_DAYS:
        reason = (f"Not enough data yet: needs at least {ASSOCIATION_MIN_DAYS} days with and "
                  f"{ASSOCIATION_MIN_DAYS} days without, each followed by a day with a pain "
                  f"rating (has {n1} with and {n2} without).")
        return Association(factor.id, factor.label, factor.kind, n1, n2, mean_with,
                           mean_without, None, None, None, False, reason, below, None,
                           factor.prior, factor.rule_ids, refs)
    diff = welch_difference(with_, without)
    assert diff is not None  # both groups have at least 3 values
    if diff.ci_low <= 0 <= diff.ci_high:
        words = NO_CLEAR_DIFFERENCE
    else:
        words = MORE_PAIN if diff.difference > 0 else LESS_PAIN
    return Association(factor.id, factor.label, factor.kind, n1, n2, mean_with, mean_without,
                       diff.difference, diff.ci_low, diff.ci_high, True, "", below, words,
                       factor.prior, factor.rule_ids, refs)
