"""``programme_for``: the exercise programme for one condition (pure, cited).

Flexion bias for lumbar spinal stenosis (no extension work), directional preference for
sciatica from a disc, gentle mobility for a strain or non-specific back pain, a neck
routine for cervical radiculopathy (and, supervised only, myelopathy); nothing while a
warning sign is open. The dose is the stenosis trials' (rules.EX-DOSE-TRIALS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from spinecare.clinical.exercise.library import AvoidItem, Exercise, ExerciseLibrary
from spinecare.clinical.exercise.rules import (
    PROGRAMME_WEEKS,
    RULES,
    RULES_VERSION,
    SESSIONS_PER_WEEK,
    START_MINUTES,
    TRIAL_SESSIONS,
)
from spinecare.clinical.exercise.templates import TEMPLATES, Bias
from spinecare.clinical.triage.knowledge.conditions import CONDITION_IDS


class ProgrammeStatus(StrEnum):
    ACTIVE = "active"  # a self-guided programme
    SUPERVISED_ONLY = "supervised_only"  # shown, but agree it with a clinician first
    PAUSED_WARNING_SIGN = "paused_warning_sign"  # a warning sign is open: no programme
    NOT_COVERED = "not_covered"  # the condition needs a doctor's care first
    NO_CONDITION = "no_condition"  # nobody has said which condition yet


WARNING_SIGN_ADVICE = (
    "Do not start or carry on with this exercise plan for now. A recent symptom check or "
    "diary entry showed a warning sign. Follow the advice it gave: get medical help as it "
    "said (call your emergency number if it said emergency). Once a doctor has seen you and "
    "says exercise is safe, do a new symptom check and your plan will come back."
)
NOT_COVERED_ADVICE = (
    "This plan is not made for this condition. See a doctor first: they can tell you which "
    "activity is safe and may refer you to a physiotherapist."
)
SUPERVISED_ADVICE = (
    "Pressure on the spinal cord in the neck needs a specialist. Do these exercises only "
    "after a specialist or physiotherapist who knows your diagnosis has agreed them. Get "
    "seen soon if your hands get clumsier or your walking gets less steady."
)
NO_CONDITION_ADVICE = (
    "Choose which condition the plan is for. If you are not sure, do a symptom check "
    "first: the plan follows its most likely condition."
)


@dataclass(frozen=True, slots=True)
class WeeklyPlan:
    """The trials' dose: ``sessions_per_week`` programme sessions for ``weeks`` weeks plus a
    daily home routine; each programme session has one conditioning block."""

    sessions_per_week: int = SESSIONS_PER_WEEK
    weeks: int = PROGRAMME_WEEKS
    total_sessions: int = TRIAL_SESSIONS
    home_routine_daily: bool = True
    conditioning_minutes: int = START_MINUTES

    def to_dict(self) -> dict[str, Any]:
        return {"sessions_per_week": self.sessions_per_week, "weeks": self.weeks,
                "total_sessions": self.total_sessions,
                "home_routine_daily": self.home_routine_daily,
                "conditioning_minutes": self.conditioning_minutes}


@dataclass(frozen=True, slots=True)
class Programme:
    condition: str | None
    status: ProgrammeStatus
    bias: Bias | None
    home: tuple[Exercise, ...]
    conditioning: tuple[Exercise, ...]
    avoid: tuple[AvoidItem, ...]
    weekly: WeeklyPlan | None
    advice: str
    rule_ids: tuple[str, ...]
    rules_version: str = RULES_VERSION
    references: tuple[str, ...] = field(default=())

    @property
    def has_exercises(self) -> bool:
        return bool(self.home or self.conditioning)

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition, "status": self.status.value,
            "bias": None if self.bias is None else self.bias.value,
            "home": [e.to_dict() for e in self.home],
            "conditioning": [e.to_dict() for e in self.conditioning],
            "avoid": [a.to_dict() for a in self.avoid],
            "weekly": None if self.weekly is None else self.weekly.to_dict(),
            "advice": self.advice, "rule_ids": list(self.rule_ids),
            "rules": [{"id": r, "sentence": RULES[r].sentence} for r in self.rule_ids],
            "rules_version": self.rules_version, "references": list(self.references),
        }


def _refs(rule_ids: tuple[str, ...], *groups: tuple[str, ...]) -> tuple[str, ...]:
    ids = [r for rule_id in rule_ids for r in RULES[rule_id].references]
    ids += [r for group in groups for r in group]
    return tuple(dict.fromkeys(ids))


def programme_for(condition: str | None, *, open_warning_sign: bool,
                  library: ExerciseLibrary) -> Programme:
    """The programme for ``condition`` (a triage condition id, or None when unknown).

    An open warning sign wins over everything: no exercises, only what to do instead.
    Raises ``ValueError`` for an id that is not a triage condition id."""
    if condition is not None and condition not in CONDITION_IDS:
        raise ValueError(f"unknown condition {condition!r}: use one of "
                         f"{', '.join(CONDITION_IDS)}")
    avoid = library.avoid_for(condition) if condition else ()
    if open_warning_sign:
        rules: tuple[str, ...] = ("EX-NONE-WARNING",)
        return Programme(condition, ProgrammeStatus.PAUSED_WARNING_SIGN, None, (), (), avoid,
                         None, WARNING_SIGN_ADVICE, rules, references=_refs(rules))
    if condition is None:
        rules = ("EX-NO-CONDITION",)
        return Programme(None, ProgrammeStatus.NO_CONDITION, None, (), (), (), None,
                         NO_CONDITION_ADVICE, rules, references=_refs(rules))
    template = TEMPLATES.get(condition)
    if template is None:
        rules = ("EX-NOT-COVERED",)
        return Programme(condition, ProgrammeStatus.NOT_COVERED, None, (), (), avoid, None,
                         NOT_COVERED_ADVICE, rules, references=_refs(rules))
    home = tuple(e for e in (library.get(i) for i in template.home) if e is not None)
    conditioning = tuple(
        e for e in (library.get(i) for i in template.conditioning) if e is not None)
    chosen: tuple[str, ...] = (template.rule_id, "EX-DOSE-TRIALS")
    if template.bias is Bias.FLEXION:
        chosen += ("EX-CONDITIONING-EQUAL",)
    rules = chosen
    status = ProgrammeStatus.SUPERVISED_ONLY if template.supervised_only \
        else ProgrammeStatus.ACTIVE
    advice = SUPERVISED_ADVICE if template.supervised_only else ""
    refs = _refs(rules, *(e.references for e in (*home, *conditioning)),
                 *(a.references for a in avoid))
    return Programme(condition, status, template.bias, home, conditioning, avoid,
                     WeeklyPlan(), advice, rules, references=refs)


def programme_week(started_on: date, today: date) -> int:
    """Week 1, 2 ... of the programme (week 1 is the first 7 days from ``started_on``)."""
    return max(0, (today - started_on).days) // 7 + 1


def suggested_days(started_on: date, today: date) -> tuple[date, ...]:
    """This programme week's two session days: the week's first day and three days later
    (spinecare-defined spacing, so that sessions are not on consecutive days)."""
    week_start = started_on + timedelta(days=7 * (programme_week(started_on, today) - 1))
    return (week_start, week_start + timedelta(days=3))
