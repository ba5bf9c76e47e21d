"""The report's flags: rules as data, each with its id, its text, its references and a plain
predicate over the typed ``ReportData`` (the AHRQ Pain Management Summary pattern).

A predicate answers ``Check(fired, reason)``: ``fired`` is True, False, or None when the data
to decide is missing (shown as "not checked", never as clear: unknown is not "no"); ``reason``
says in one short line what the data showed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from spinecare.clinical.report.model import ReportData
from spinecare.clinical.report.rules import (
    EPIDURAL_LIMIT_12M,
    LEG_WALK_MIN_DAYS,
    LEG_WALK_MINUTES_UNDER,
    LEG_WALK_WINDOW_DAYS,
    RULES,
    SPHINCTER_SIGNS,
    WALK_TEST_DOWN_PERCENT,
    ZCQ_WINDOW_DAYS,
    ZCQ_WORSE_BY,
)


@dataclass(frozen=True, slots=True)
class Check:
    fired: bool | None
    reason: str


@dataclass(frozen=True, slots=True)
class FlagRule:
    id: str
    title: str
    check: Callable[[ReportData], Check]

    @property
    def text(self) -> str:
        return RULES[self.id].summary

    @property
    def references(self) -> tuple[str, ...]:
        return RULES[self.id].references


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    title: str
    fired: bool | None
    reason: str
    text: str
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "fired": self.fired, "reason": self.reason,
                "text": self.text, "references": list(self.references)}


def _g(value: float) -> str:
    return f"{round(value, 1):g}"


def _d(day: Any) -> str:
    return f"{day.day} {day:%b %Y}"


def leg_walk(data: ReportData) -> Check:
    first = data.end - timedelta(days=LEG_WALK_WINDOW_DAYS - 1)
    days = [d for d in data.days if first <= d.day <= data.end]
    legs = [d.leg_pain for d in days if d.leg_pain is not None]
    backs = [d.back_pain for d in days if d.back_pain is not None]
    walks = [d.walking_minutes for d in days if d.walking_minutes is not None]
    short = [name for name, values in (("leg pain", legs), ("back pain", backs),
                                       ("walking minutes", walks))
             if len(values) < LEG_WALK_MIN_DAYS]
    if short:
        return Check(None, f"fewer than {LEG_WALK_MIN_DAYS} days with "
                           f"{', '.join(short)} in the last {LEG_WALK_WINDOW_DAYS} days")
    leg, back, walk = sum(legs) / len(legs), sum(backs) / len(backs), sum(walks) / len(walks)
    fired = leg >= back and walk < LEG_WALK_MINUTES_UNDER
    return Check(fired, f"last {LEG_WALK_WINDOW_DAYS} days: leg {_g(leg)}, back {_g(back)}, "
                        f"walking {_g(walk)} min")


def no_nondrug(data: ReportData) -> Check:
    done = [s for s in data.sessions if data.start <= s.day <= data.end
            and s.status in ("done", "partly")]
    if done:
        return Check(False, f"{len(done)} exercise session{'s' if len(done) != 1 else ''} "
                            "done in the period")
    return Check(True, "no exercise session recorded as done in the period")


def sphincter(data: ReportData) -> Check:
    events = [e for e in data.warning_events if data.start <= e.day <= data.end
              and e.sign in SPHINCTER_SIGNS]
    if not events:
        return Check(False, "none logged in the period")
    listed = "; ".join(f"{e.label.split(':')[0]} ({_d(e.day)}, {e.source})" for e in events[:4])
    return Check(True, listed)


def zcq_worse(data: ReportData) -> Check:
    series = next((s for s in data.scores if s.key == "zcq.symptom_severity"), None)
    points = [p for p in series.points if p.day <= data.end] if series else []
    if not points:
        return Check(None, "no ZCQ symptom severity score recorded")
    latest = points[-1]
    earlier = [p for p in points[:-1]
               if latest.day - timedelta(days=ZCQ_WINDOW_DAYS) <= p.day < latest.day]
    if not earlier:
        return Check(None, "no earlier ZCQ score in the 3 months before the latest")
    first = earlier[0]
    worse = latest.value - first.value
    return Check(worse >= ZCQ_WORSE_BY - 1e-9,
                 f"{_g(first.value)} on {_d(first.day)} → {_g(latest.value)} on "
                 f"{_d(latest.day)} ({'+' if worse >= 0 else '−'}{_g(abs(worse))})")


def epidural(data: ReportData) -> Check:
    count = data.diary.epidural.injections_12m
    return Check(count >= EPIDURAL_LIMIT_12M,
                 f"{count} recorded in the 12 months to {_d(data.end)} (limit "
                 f"{EPIDURAL_LIMIT_12M})")


def walk_test_down(data: ReportData) -> Check:
    walking = data.diary.walking
    if walking.baseline is None or walking.latest is None:
        return Check(None, "fewer than two walking tests in the period")
    if walking.measure == "distance":
        change = walking.distance_change_percent
        first, last, unit = walking.baseline.metres, walking.latest.metres, " m"
    else:
        change = walking.time_change_percent
        first, last, unit = walking.baseline.minutes, walking.latest.minutes, " min"
    if change is None or first is None or last is None:
        return Check(None, "the first walking test has no distance or time to compare with")
    return Check(round(change, 9) <= -WALK_TEST_DOWN_PERCENT,
                 f"{_g(first)}{unit} on {_d(walking.baseline.day)} → {_g(last)}{unit} on "
                 f"{_d(walking.latest.day)} ({'+' if change >= 0 else '−'}"
                 f"{_g(abs(change))} %)")


FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule("RPT-FLAG-SPHINCTER", "New bladder, bowel or saddle sign logged", sphincter),
    FlagRule("RPT-FLAG-LEG-WALK",
             f"Leg pain ≥ back pain and walking under {LEG_WALK_MINUTES_UNDER:g} minutes",
             leg_walk),
    FlagRule("RPT-FLAG-WALK-TEST-DOWN",
             f"Walking test down {WALK_TEST_DOWN_PERCENT:g} % or more", walk_test_down),
    FlagRule("RPT-FLAG-ZCQ-WORSE",
             f"ZCQ symptom severity worse by ≥ {ZCQ_WORSE_BY:g} in 3 months", zcq_worse),
    FlagRule("RPT-FLAG-EPIDURAL",
             f"Epidural injections at the limit ({EPIDURAL_LIMIT_12M} in 12 months)", epidural),
    FlagRule("RPT-FLAG-NO-NONDRUG", "No non-drug treatment recorded in the period",
             no_nondrug),
)


def evaluate_flags(data: ReportData,
                   rules: tuple[FlagRule, ...] = FLAG_RULES) -> tuple[Flag, ...]:
    out = []
    for rule in rules:
        result = rule.check(data)
        out.append(Flag(rule.id, rule.title, result.fired, result.reason, rule.text,
                        rule.references))
    return tuple(out)
