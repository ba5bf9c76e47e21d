"""Use case: the exercise programme (which condition, this week's plan, logged sessions).

``ExerciseCatalogue`` needs no database: the library, the public exercise pages and the
CLI's ``spinecare exercise plan --condition ...``. ``ExerciseService`` adds the person's
programme: the condition it is for (chosen, or the top condition of their latest saved
check), the sessions they log, and their progress against the core's rules
(``clinical/exercise``). A warning sign still open (a saved check rated emergency or urgent,
or a warning sign ticked in the diary, in the last 14 days) means no programme, only what
to do instead. Reads and writes are the patient's own (or a granted clinician's, reads
only) and are audited in the same transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import ExerciseProfile, ExerciseSession, utcnow
from spinecare.adapters.storage.repositories import Repositories
from spinecare.clinical.evidence import Reference, ReferenceRegistry
from spinecare.clinical.exercise import (
    EFFORTS,
    KINDS,
    RULES,
    RULES_VERSION,
    STATUSES,
    Exercise,
    ExerciseLibrary,
    Programme,
    Progress,
    SessionRecord,
    programme_for,
    programme_week,
    progress,
    suggested_days,
)
from spinecare.clinical.exercise.rules import PROGRAMME_WEEKS, SESSION_CREDIT
from spinecare.clinical.triage.knowledge.conditions import CONDITIONS
from spinecare.services import audit
from spinecare.services.access import require_patient_readable, require_self_patient
from spinecare.services.actor import Actor
from spinecare.services.diary import open_warning_signs, today_utc
from spinecare.services.errors import InvalidInput, NotFound

CONDITION_NAMES: dict[str, str] = {c.id: c.name for c in CONDITIONS}
MAX_NOTES = 2000
MAX_EXERCISES = 30
MAX_MINUTES_LOGGED = 600
EARLIEST_DAY = date(2000, 1, 1)
# While a warning sign is open the plan is paused (rule EX-NONE-WARNING): no sessions.
PAUSED_SESSIONS = (
    "your exercise plan is paused because a recent symptom check or diary entry showed a "
    "warning sign, so sessions cannot be logged now. Follow the advice it gave and get "
    "medical help as it said; once a doctor says exercise is safe, do a new symptom check "
    "and your plan (and logging) will come back.")
NO_EXERCISES_ADVICE = "Choose the condition your plan is for first."


class ExerciseCatalogue:
    """The exercise library and the programme for a condition, without a database.

    ``load`` (bootstrap wires it) reads and checks the library and its drawings; it runs
    on first use and the result is kept. ``references`` gives the registry cited from."""

    def __init__(self, load: Callable[[], tuple[ExerciseLibrary, dict[str, str]]], *,
                 references: Callable[[], ReferenceRegistry]) -> None:
        self._load = load
        self._references = references
        self._loaded: tuple[ExerciseLibrary, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def _get(self) -> tuple[ExerciseLibrary, dict[str, str]]:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = self._load()
        return self._loaded

    @property
    def library(self) -> ExerciseLibrary:
        return self._get()[0]

    def exercises(self) -> list[Exercise]:
        return list(self.library.exercises)

    def exercise(self, exercise_id: str) -> Exercise:
        found = self.library.get(exercise_id)
        if found is None:
            raise NotFound(f"There is no exercise '{exercise_id[:80]}'. See the list of "
                           "exercises for the ids.")
        return found

    def svg(self, exercise_id: str) -> str:
        """The exercise's drawing (SVG text written by the team and checked at load)."""
        self.exercise(exercise_id)
        return self._get()[1][exercise_id]

    def conditions(self) -> dict[str, str]:
        """Triage condition id -> name, for choosing a programme."""
        return dict(CONDITION_NAMES)

    def programme(self, condition: str | None, *, open_warning_sign: bool = False
                  ) -> Programme:
        if condition is not None and condition not in CONDITION_NAMES:
            raise InvalidInput({"condition": "use one of the condition ids: "
                                + ", ".join(CONDITION_NAMES)})
        return programme_for(condition, open_warning_sign=open_warning_sign,
                             library=self.library)

    def references(self, programme: Programme) -> list[Reference]:
        registry = self._references()
        return [registry[r] for r in programme.references if r in registry]


@dataclass(frozen=True, slots=True)
class ExerciseSessionView:
    id: int
    patient_id: int
    day: date
    kind: str
    status: str
    pain_before: int | None
    pain_after: int | None
    effort: str | None
    exercises: list[str]
    conditioning_minutes: float | None
    notes: str
    created_at: datetime

    @classmethod
    def of(cls, row: ExerciseSession) -> ExerciseSessionView:
        return cls(id=row.id, patient_id=row.patient_id, day=row.day, kind=row.kind,
                   status=row.status, pain_before=row.pain_before, pain_after=row.pain_after,
                   effort=row.effort, exercises=list(row.exercises or []),
                   conditioning_minutes=row.conditioning_minutes, notes=row.notes,
                   created_at=row.created_at)

    def record(self) -> SessionRecord:
        return SessionRecord(day=self.day, status=self.status, kind=self.kind,
                             pain_before=self.pain_before, pain_after=self.pain_after,
                             effort=self.effort)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "patient_id": self.patient_id, "day": self.day.isoformat(),
                "kind": self.kind, "status": self.status, "pain_before": self.pain_before,
                "pain_after": self.pain_after, "effort": self.effort,
                "exercises": list(self.exercises),
                "conditioning_minutes": self.conditioning_minutes, "notes": self.notes,
                "created_at": self.created_at.isoformat()}


@dataclass(frozen=True, slots=True)
class WeekView:
    """This programme week: the two session days, what is done, today's home routine."""

    week: int
    in_programme: bool  # within the trials' 6 weeks
    sessions_planned: int
    sessions_done: float  # credit this week (done 1, partly 0.5)
    suggested_days: tuple[date, ...]
    home_done_today: bool

    def to_dict(self) -> dict[str, Any]:
        return {"week": self.week, "in_programme": self.in_programme,
                "sessions_planned": self.sessions_planned, "sessions_done": self.sessions_done,
                "suggested_days": [d.isoformat() for d in self.suggested_days],
                "home_done_today": self.home_done_today}


@dataclass(frozen=True, slots=True)
class PlanView:
    """Everything the plan page, the API and a calendar feed need, typed."""

    patient_id: int
    today: date
    condition: str | None
    condition_name: str
    condition_source: str  # "chosen" | "latest_check" | "none"
    started_on: date | None
    warning_sign_open: bool
    programme: Programme
    progress: Progress | None  # None when there is no programme to progress
    week: WeekView | None
    recent_sessions: list[ExerciseSessionView]
    references: list[Reference]
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id, "today": self.today.isoformat(),
            "condition": self.condition, "condition_name": self.condition_name,
            "condition_source": self.condition_source,
            "started_on": None if self.started_on is None else self.started_on.isoformat(),
            "warning_sign_open": self.warning_sign_open,
            "programme": self.programme.to_dict(),
            "progress": None if self.progress is None else self.progress.to_dict(),
            "week": None if self.week is None else self.week.to_dict(),
            "recent_sessions": [s.to_dict() for s in self.recent_sessions],
            "references": [{"id": r.id, "citation": r.citation, "type": r.type.value,
                            "evidence_level": r.evidence_level, "url": r.url}
                           for r in self.references],
            "rules_version": self.rules_version,
        }


@dataclass(frozen=True, slots=True)
class ProfileView:
    patient_id: int
    condition: str
    condition_name: str
    started_on: date

    def to_dict(self) -> dict[str, Any]:
        return {"patient_id": self.patient_id, "condition": self.condition,
                "condition_name": self.condition_name,
                "started_on": self.started_on.isoformat()}


def _pain(value: Any, field: str, problems: dict[str, str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        problems[field] = "give a whole number from 0 (no pain) to 10 (worst pain), or leave it out"
        return None
    return value


class ExerciseService:
    def __init__(self, db: Database, catalogue: ExerciseCatalogue) -> None:
        self.db = db
        self.catalogue = catalogue

    # --- which programme --------------------------------------------------------------

    def choose_condition(self, actor: Actor, condition: str, *, today: date | None = None
                         ) -> ProfileView:
        """Set (or change) the condition the patient's programme is for. Changing it starts
        the programme again from ``today`` (its weeks and progression)."""
        patient_id = require_self_patient(actor)
        condition = condition.strip() if isinstance(condition, str) else ""
        if condition not in CONDITION_NAMES:
            raise InvalidInput({"condition": "choose one of the condition ids: "
                                + ", ".join(CONDITION_NAMES)})
        day = today or today_utc()
        with self.db.unit_of_work() as repos:
            profile = repos.exercise.profile(patient_id)
            if profile is None:
                profile = ExerciseProfile(patient_id=patient_id, condition=condition,
                                          started_on=day)
            elif profile.condition != condition:
                profile.condition, profile.started_on = condition, day
            profile.updated_at = utcnow()
            repos.exercise.save_profile(profile)
            audit.record(repos, actor, "update", "exercise_profile", resource_id=profile.id,
                         patient_id=patient_id)
            return ProfileView(patient_id, profile.condition, CONDITION_NAMES[profile.condition],
                               profile.started_on)

    # --- the plan ---------------------------------------------------------------------

    @staticmethod
    def _warning_sign_open(repos: Repositories, patient_id: int, today: date) -> bool:
        """The one open-sign rule (DIARY-OPEN-SIGN): services.diary.open_warning_signs."""
        return bool(open_warning_signs(repos, patient_id, today))

    def plan(self, actor: Actor, patient_id: int, today: date | None = None) -> PlanView:
        """The patient's programme, this week, progress and avoid list (the patient, or a
        clinician they granted access to)."""
        today = today or today_utc()
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            profile = repos.exercise.profile(patient_id)
            condition: str | None
            if profile is not None:
                condition, source, started = profile.condition, "chosen", profile.started_on
            else:
                latest = repos.triage.for_patient(patient_id, limit=1)
                condition = latest[0].top_condition if latest else None
                if condition not in CONDITION_NAMES:
                    condition = None
                source = "latest_check" if condition else "none"
                started = None
            warning = self._warning_sign_open(repos, patient_id, today)
            rows = [ExerciseSessionView.of(r) for r in repos.exercise.sessions(
                patient_id, started, today)]
            flares = [e.day for e in repos.diary.between(patient_id, started, today)
                      if e.flare]
            audit.record(repos, actor, "read", "exercise_plan", patient_id=patient_id)
        programme = self.catalogue.programme(condition, open_warning_sign=warning)
        prog = week = None
        if programme.weekly is not None:
            prog = progress(programme, [s.record() for s in rows], flares, today)
            first = started or (rows[0].day if rows else today)
            number = programme_week(first, today)
            days = suggested_days(first, today)
            this_week = [s for s in rows if days[0] <= s.day <= today and s.kind == "programme"]
            week = WeekView(
                week=number, in_programme=number <= PROGRAMME_WEEKS,
                sessions_planned=programme.weekly.sessions_per_week,
                sessions_done=sum(SESSION_CREDIT.get(s.status, 0.0) for s in this_week),
                suggested_days=days,
                home_done_today=any(s.day == today and s.kind == "home"
                                    and s.status != "skipped" for s in rows))
        return PlanView(
            patient_id=patient_id, today=today, condition=condition,
            condition_name=CONDITION_NAMES.get(condition or "", ""), condition_source=source,
            started_on=started, warning_sign_open=warning, programme=programme,
            progress=prog, week=week, recent_sessions=list(reversed(rows))[:10],
            references=self.catalogue.references(programme))

    # --- sessions ---------------------------------------------------------------------

    def _validated(self, data: dict[str, Any], today: date) -> dict[str, Any]:
        problems: dict[str, str] = {}
        day = data.get("day")
        if not isinstance(day, date) or isinstance(day, datetime):
            problems["day"] = "give the date of the session (YYYY-MM-DD)"
        elif day > today:
            problems["day"] = "the session cannot be in the future: give today or an earlier date"
        elif day < EARLIEST_DAY:
            problems["day"] = "give a date from 2000 onwards"
        kind = data.get("kind", "programme")
        if kind not in KINDS:
            problems["kind"] = "choose 'programme' (one of the two weekly sessions) or 'home'"
        status = data.get("status")
        if status not in STATUSES:
            problems["status"] = "say whether you did it: done, partly or skipped"
        before = _pain(data.get("pain_before"), "pain_before", problems)
        after = _pain(data.get("pain_after"), "pain_after", problems)
        effort = data.get("effort")
        if effort is not None and effort not in EFFORTS:
            problems["effort"] = "choose easy, just_right, hard or painful, or leave it out"
        exercises = data.get("exercises") or []
        if not isinstance(exercises, list | tuple) or len(exercises) > MAX_EXERCISES:
            problems["exercises"] = f"give a list of up to {MAX_EXERCISES} exercise ids"
            exercises = []
        unknown = [str(e)[:40] for e in exercises if not isinstance(e, str)
                   or self.catalogue.library.get(e) is None]
        if unknown:
            problems["exercises"] = ("these are not exercise ids: " + ", ".join(unknown)
                                     + " (see GET /api/v1/exercises)")
        minutes = data.get("conditioning_minutes")
        if minutes is not None and (isinstance(minutes, bool)
                                    or not isinstance(minutes, int | float)
                                    or not 0 <= minutes <= MAX_MINUTES_LOGGED):
            problems["conditioning_minutes"] = (
                f"give the minutes of cycling or walking as a number from 0 to "
                f"{MAX_MINUTES_LOGGED}, or leave it out")
        notes = data.get("notes") or ""
        if not isinstance(notes, str) or len(notes) > MAX_NOTES:
            problems["notes"] = f"keep notes to {MAX_NOTES} characters"
        if status == "skipped" and not problems and (effort is not None):
            problems["effort"] = "a skipped session has no effort rating: leave it out"
        if problems:
            raise InvalidInput(problems)
        return {"day": day, "kind": kind, "status": status, "pain_before": before,
                "pain_after": after, "effort": effort, "exercises": list(dict.fromkeys(exercises)),
                "conditioning_minutes": None if minutes is None else float(minutes),
                "notes": notes.strip()}

    def log_session(self, actor: Actor, *, day: Any, status: Any, kind: Any = "programme",
                    pain_before: Any = None, pain_after: Any = None, effort: Any = None,
                    exercises: Sequence[Any] = (), conditioning_minutes: Any = None,
                    notes: Any = "", today: date | None = None) -> ExerciseSessionView:
        """Store one session the patient did (or skipped). Raises ``InvalidInput`` with one
        message per field: only exercises of the patient's own programme, and nothing while
        the plan is paused for an open warning sign (``plan``). The page and the API both
        call this."""
        patient_id = require_self_patient(actor)
        clean = self._validated({
            "day": day, "status": status, "kind": kind, "pain_before": pain_before,
            "pain_after": pain_after, "effort": effort, "exercises": list(exercises),
            "conditioning_minutes": conditioning_minutes, "notes": notes,
        }, today or date.today())
        with self.db.unit_of_work() as repos:
            day = today or date.today()
            if self._warning_sign_open(repos, patient_id, day):
                raise InvalidInput({"plan": PAUSED_SESSIONS})
            condition = self._condition_of(repos, patient_id)
            self._check_in_plan(clean["exercises"], self.catalogue.programme(condition))
            row = repos.exercise.add_session(ExerciseSession(patient_id=patient_id, **clean))
            audit.record(repos, actor, "create", "exercise_session", resource_id=row.id,
                         patient_id=patient_id)
            return ExerciseSessionView.of(row)

    @staticmethod
    def _condition_of(repos: Repositories, patient_id: int) -> str | None:
        """The condition the patient's plan is for: chosen, else their latest check's."""
        profile = repos.exercise.profile(patient_id)
        if profile is not None:
            return profile.condition
        latest = repos.triage.for_patient(patient_id, limit=1)
        condition = latest[0].top_condition if latest else None
        return condition if condition in CONDITION_NAMES else None

    @staticmethod
    def _check_in_plan(exercises: Sequence[str], programme: Programme) -> None:
        """Only exercises of the patient's own programme can be logged."""
        own = list(dict.fromkeys(e.id for e in (*programme.home, *programme.conditioning)))
        outside = [e for e in exercises if e not in own]
        if not outside:
            return
        if not own:
            raise InvalidInput({"exercises": (
                "your plan has no exercises yet, so none can be logged: "
                + ", ".join(outside) + ". " + (programme.advice or NO_EXERCISES_ADVICE))})
        raise InvalidInput({"exercises": (
            "not in your exercise plan: " + ", ".join(outside) + ". Log only your plan's "
            "exercises: " + ", ".join(own) + " (see GET /api/v1/me/exercise/plan)")})

    def sessions(self, actor: Actor, patient_id: int, start: date | None = None,
                 end: date | None = None) -> list[ExerciseSessionView]:
        """Logged sessions, oldest first, ``start``..``end`` inclusive."""
        if start is not None and end is not None and start > end:
            raise InvalidInput({"start": "the start date must be on or before the end date"})
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            rows = [ExerciseSessionView.of(r)
                    for r in repos.exercise.sessions(patient_id, start, end)]
            audit.record(repos, actor, "read", "exercise_sessions", patient_id=patient_id)
            return rows

    def delete_session(self, actor: Actor, session_id: int) -> None:
        """The patient deletes one of their own sessions (someone else's is "not found")."""
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            row = repos.exercise.get_session(session_id)
            if row is None or row.patient_id != patient_id:
                raise NotFound("No such exercise session in your record.")
            repos.exercise.delete_session(row)
            audit.record(repos, actor, "delete", "exercise_session", resource_id=session_id,
                         patient_id=patient_id)


def rule_sentence(rule_id: str) -> str:
    return RULES[rule_id].sentence
