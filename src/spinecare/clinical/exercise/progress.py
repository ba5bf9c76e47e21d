"""``progress``: where the person is in their programme, from the sessions they logged.

The rules (``rules.py``) replayed in date order: after each session day, and once more for
``today``, the conditioning minutes step back (a flare, a session rated painful, or pain
after more than 2 points above pain before), step up (a steady week: no flare for 7 days,
no change for 7 days, the last two rated sessions easy or just right) or hold. Two sessions
in 28 days where pain rose by 3 or more flag the plan for the clinician. Unknown pain is
never read as "no rise": a rule that needs both numbers does not fire without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from spinecare.clinical.exercise.programme import Programme, programme_week
from spinecare.clinical.exercise.rules import (
    FLAG_COUNT,
    FLAG_RISE,
    FLAG_WINDOW_DAYS,
    MAX_MINUTES,
    MIN_MINUTES,
    PAIN_RISE_LIMIT,
    PROGRAMME_WEEKS,
    RATED_SESSIONS_TO_PROGRESS,
    RULES,
    SESSION_CREDIT,
    STEADY_DAYS,
    STEP_FRACTION,
    STEP_MIN_MINUTES,
    TRIAL_SESSIONS,
)

STATUSES = ("done", "partly", "skipped")
EFFORTS = ("easy", "just_right", "hard", "painful")
KINDS = ("programme", "home")
GOOD_EFFORTS = ("easy", "just_right")


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One logged session as the rules read it (None = not given)."""

    day: date
    status: str  # done | partly | skipped
    kind: str = "programme"  # programme | home
    pain_before: int | None = None
    pain_after: int | None = None
    effort: str | None = None  # easy | just_right | hard | painful

    @property
    def pain_rise(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def rated(self) -> bool:
        return self.status != "skipped" and self.effort is not None


@dataclass(frozen=True, slots=True)
class Change:
    day: date
    rule_id: str
    minutes_from: int
    minutes_to: int

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "rule_id": self.rule_id,
                "sentence": RULES[self.rule_id].sentence,
                "minutes_from": self.minutes_from, "minutes_to": self.minutes_to}


@dataclass(frozen=True, slots=True)
class Progress:
    level: int  # 1 at the start; +1 for each step up, -1 for each step back (never below 1)
    conditioning_minutes: int
    rule_id: str  # the rule that decided today's amount
    sentence: str
    last_change: Change | None
    flag_clinician: bool
    flag_sentence: str
    sessions_credit: float  # towards the trials' 12
    trial_sessions: int
    trial_sentence: str
    week: int | None  # programme week (1-6, then 7 ...), None before the first session

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level, "conditioning_minutes": self.conditioning_minutes,
            "rule_id": self.rule_id, "sentence": self.sentence,
            "last_change": None if self.last_change is None else self.last_change.to_dict(),
            "flag_clinician": self.flag_clinician, "flag_sentence": self.flag_sentence,
            "sessions_credit": self.sessions_credit, "trial_sessions": self.trial_sessions,
            "trial_sentence": self.trial_sentence, "week": self.week,
        }


class LoggedSession(Protocol):
    """What the trial credit reads of a session (the report's records have it too)."""

    @property
    def kind(self) -> str: ...

    @property
    def status(self) -> str: ...


def trial_credit(sessions: Iterable[LoggedSession]) -> float:
    """Credit towards the trials' 12 sessions: programme sessions only, done 1, partly 0.5,
    skipped 0 (SESSION_CREDIT), never more than TRIAL_SESSIONS: the plan page and the
    doctor's report both count with this."""
    total = sum(SESSION_CREDIT.get(s.status, 0.0) for s in sessions if s.kind == "programme")
    return min(float(TRIAL_SESSIONS), total)


def step(minutes: int) -> int:
    """10% of the minutes or 2 minutes, whichever is larger, in whole minutes."""
    return max(STEP_MIN_MINUTES, round(minutes * STEP_FRACTION))


def _number(value: float) -> str:
    return f"{value:g}"


def trial_sentence(credit: float) -> str:
    if credit >= TRIAL_SESSIONS:
        return (f"You have done all {TRIAL_SESSIONS} sessions the trials used (2 a week for "
                f"{PROGRAMME_WEEKS} weeks). Keep going: the benefit lasts while you keep "
                "moving.")
    return (f"You have done {_number(credit)} of the {TRIAL_SESSIONS} sessions the trials "
            f"used (2 a week for {PROGRAMME_WEEKS} weeks).")


def _decide(day: date, on_day: list[SessionRecord], history: list[SessionRecord],
            flares: set[date], last_change: date | None, first_day: date) -> str:
    """The rule for ``day``: step back, step up or hold."""
    for s in on_day:
        if s.status != "skipped" and s.effort == "painful":
            return "EX-PROG-DOWN-PAINFUL"
    for s in on_day:
        rise = s.pain_rise
        if s.status != "skipped" and rise is not None and rise > PAIN_RISE_LIMIT:
            return "EX-PROG-DOWN-PAIN-RISE"
    since = last_change if last_change is not None else first_day - timedelta(days=1)
    if any(since < f <= day for f in flares):
        return "EX-PROG-DOWN-FLARE"
    steady_from = last_change if last_change is not None else first_day
    if (day - steady_from).days >= STEADY_DAYS and not any(
            day - timedelta(days=STEADY_DAYS) < f <= day for f in flares):
        rated = [s for s in history if s.rated and s.day > (last_change or date.min)]
        latest = rated[-RATED_SESSIONS_TO_PROGRESS:]
        if len(latest) == RATED_SESSIONS_TO_PROGRESS and all(
                s.effort in GOOD_EFFORTS for s in latest):
            return "EX-PROG-UP"
    return "EX-PROG-HOLD"


def progress(programme: Programme, sessions: Iterable[SessionRecord],
             flare_days: Iterable[date], today: date) -> Progress:
    """The person's progress at ``today`` (sessions and flares after ``today`` ignored)."""
    start = programme.weekly.conditioning_minutes if programme.weekly else 0
    ordered = sorted((s for s in sessions if s.day <= today), key=lambda s: s.day)
    flares = {d for d in flare_days if d <= today}
    minutes, level = start, 1
    last: Change | None = None
    rule_id = "EX-PROG-HOLD"
    if programme.weekly is not None and ordered:
        first_day = ordered[0].day
        days = sorted({s.day for s in ordered} | {today})
        for day in days:
            on_day = [s for s in ordered if s.day == day]
            history = [s for s in ordered if s.day <= day]
            rule_id = _decide(day, on_day, history, flares,
                              None if last is None else last.day, first_day)
            before = minutes
            if rule_id == "EX-PROG-UP":
                minutes, level = min(MAX_MINUTES, minutes + step(minutes)), level + 1
            elif rule_id != "EX-PROG-HOLD":
                minutes, level = max(MIN_MINUTES, minutes - step(minutes)), max(1, level - 1)
            if rule_id != "EX-PROG-HOLD":
                last = Change(day, rule_id, before, minutes)
    window_start = today - timedelta(days=FLAG_WINDOW_DAYS)
    big_rises = [s for s in ordered if s.day > window_start and s.status != "skipped"
                 and s.pain_rise is not None and s.pain_rise >= FLAG_RISE]
    flag = len(big_rises) >= FLAG_COUNT
    credit = trial_credit(ordered)
    started = ordered[0].day if ordered else None
    return Progress(
        level=level, conditioning_minutes=minutes, rule_id=rule_id,
        sentence=RULES[rule_id].sentence, last_change=last, flag_clinician=flag,
        flag_sentence=RULES["EX-FLAG-CLINICIAN"].sentence if flag else "",
        sessions_credit=credit, trial_sessions=TRIAL_SESSIONS,
        trial_sentence=trial_sentence(credit),
        week=None if started is None else programme_week(started, today),
    )
