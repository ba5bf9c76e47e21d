"""The symptom diary, the walking test and the questions for the next visit.

One entry per person per day: saving a day again replaces it (the edit). A day with a
warning sign ticked runs the triage engine at once, in the same transaction: the result is
stored as a saved check (``source="diary"``, built by ``services.triage.new_session`` like
every check) and linked from the entry, so the page and the API can show the emergency or
urgent advice first, and the clinician's list can name the sign.

Only the patient writes; the patient and the clinicians they granted access may read.
Every read and write is audited in its own transaction; the audit detail never holds a
health word. The analytics are the core's (``clinical.diary.analytics.summarise``): this
service maps stored rows to its plain records and back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from spinecare.adapters.library.emergency_screen import valid_findings
from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import (
    DiaryEntry,
    TriageSession,
    VisitQuestion,
    WalkingTest,
)
from spinecare.adapters.storage.repositories import Repositories
from spinecare.clinical.diary.analytics import DiarySummary, summarise
from spinecare.clinical.diary.model import DayRecord, WalkingTestRecord
from spinecare.clinical.diary.open_signs import (
    OPEN_LEVELS,
    CheckRecord,
    WarningItem,
    open_signs,
    open_window,
)
from spinecare.clinical.diary.rules import OPEN_SIGN_DAYS
from spinecare.clinical.diary.warning_signs import (
    WARNING_SIGNS,
    findings_for_day,
    findings_for_warning_signs,
)
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.services import audit
from spinecare.services.access import read_record, require_patient_readable, require_self_patient
from spinecare.services.actor import Actor
from spinecare.services.diary_csv import read_csv, write_csv
from spinecare.services.diary_fields import (
    EntryFields,
    parse_day,
    parse_entry,
    parse_walking_test,
)
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied
from spinecare.services.symptom_check import SymptomCheckService, TriageOutcome
from spinecare.services.triage import build_findings, new_session

if TYPE_CHECKING:  # a type only: the intake package loads spaCy
    from spinecare.adapters.intake.result import IntakeResult

# Reads findings from a person's words: the app's one text extractor (spaCy + negation).
ReadWords = Callable[[str], "IntakeResult"]

log = logging.getLogger(__name__)

# What a diary check takes from the person's latest symptom check: facts that do not
# change from day to day.
KNOWN_FACTS = ("age", "sex")

# A warning sign stays "open" this long (rule DIARY-OPEN-SIGN, the core's one value).
OPEN_WARNING_DAYS = OPEN_SIGN_DAYS
MAX_QUESTION_CHARS = 500
MAX_OPEN_QUESTIONS = 50
MAX_RANGE_DAYS = 3_700  # about ten years in one read


def warning_sign_labels() -> dict[str, str]:
    """The diary's warning signs: finding id -> the plain words shown to people."""
    return {sign.id: sign.label for sign in WARNING_SIGNS}


def today_utc() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class DiaryEntryView:
    """One stored diary day (``None`` / empty: not recorded)."""

    id: int
    patient_id: int
    day: date
    created_at: datetime
    updated_at: datetime
    fields: EntryFields
    triage_session_id: int | None

    @classmethod
    def of(cls, row: DiaryEntry) -> DiaryEntryView:
        return cls(row.id, row.patient_id, row.day, row.created_at, row.updated_at,
                   fields_of(row), row.triage_session_id)

    def record(self) -> DayRecord:
        return day_record(self.day, self.fields)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "patient_id": self.patient_id, "day": self.day.isoformat(),
                "created_at": self.created_at.isoformat(),
                "updated_at": self.updated_at.isoformat(), **self.fields.columns(),
                "triage_session_id": self.triage_session_id}


@dataclass(frozen=True, slots=True)
class NotesReading:
    """What the day's own words say about the warning signs. A person may write "couldn't
    feel the toilet paper" in the notes and tick nothing: the words count as much as the
    boxes (a warning sign is never missed because it was not ticked)."""

    signs: tuple[str, ...] = ()   # diary signs the words report (added to the day's signs)
    unsure: tuple[str, ...] = ()  # signs the words mention without a clear yes or no
    unread: bool = False          # there were words, but they could not be read
    # Everything the words say (yes and no), for the check; and whether the engine, given
    # the words and the day's pain, says urgent or emergency: then the check runs and is
    # saved even if the finding is not one of the diary's boxes.
    findings: Mapping[str, Any] = field(default_factory=dict)
    escalates: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"signs": list(self.signs), "unsure": list(self.unsure), "unread": self.unread,
                "escalates": self.escalates}


@dataclass(frozen=True, slots=True)
class DiarySaved:
    """What saving a day gives back: the entry, whether it replaced one, and the check the
    warning signs ran (None when no sign was ticked or the signs were unchanged)."""

    entry: DiaryEntryView
    replaced: bool
    warning_check: TriageOutcome | None
    read_from_notes: NotesReading = NotesReading()

    def to_dict(self) -> dict[str, Any]:
        return {"entry": self.entry.to_dict(), "replaced": self.replaced,
                "warning_check": None if self.warning_check is None
                else self.warning_check.to_dict(),
                "read_from_notes": self.read_from_notes.to_dict()}


@dataclass(frozen=True, slots=True)
class WalkingTestView:
    id: int
    patient_id: int
    performed_at: datetime
    duration_seconds: float
    first_symptom_seconds: float | None
    distance_m: float | None
    stopped_because: str
    relief: str | None
    recovery_minutes: float | None
    notes: str

    @classmethod
    def of(cls, row: WalkingTest) -> WalkingTestView:
        at = row.performed_at if row.performed_at.tzinfo else \
            row.performed_at.replace(tzinfo=UTC)
        return cls(row.id, row.patient_id, at, row.duration_seconds,
                   row.first_symptom_seconds, row.distance_m, row.stopped_because, row.relief,
                   row.recovery_minutes, row.notes)

    def record(self) -> WalkingTestRecord:
        return WalkingTestRecord(self.performed_at, self.duration_seconds,
                                 self.stopped_because, self.first_symptom_seconds,
                                 self.distance_m, self.relief, self.recovery_minutes)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "patient_id": self.patient_id,
                "performed_at": self.performed_at.isoformat(),
                "duration_seconds": self.duration_seconds,
                "first_symptom_seconds": self.first_symptom_seconds,
                "distance_m": self.distance_m, "stopped_because": self.stopped_because,
                "relief": self.relief, "recovery_minutes": self.recovery_minutes,
                "notes": self.notes}


@dataclass(frozen=True, slots=True)
class VisitQuestionView:
    id: int
    patient_id: int
    text: str
    created_at: datetime
    done_at: datetime | None

    @classmethod
    def of(cls, row: VisitQuestion) -> VisitQuestionView:
        return cls(row.id, row.patient_id, row.text, row.created_at, row.done_at)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "patient_id": self.patient_id, "text": self.text,
                "created_at": self.created_at.isoformat(),
                "done_at": None if self.done_at is None else self.done_at.isoformat()}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A CSV import: how many days were added and how many replaced an existing entry,
    and the warning-sign checks it ran (most urgent first)."""

    added: int
    replaced: int
    replaced_days: tuple[date, ...]
    warning_checks: tuple[TriageOutcome, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "replaced": self.replaced,
                "replaced_days": [d.isoformat() for d in self.replaced_days],
                "warning_checks": [c.to_dict() for c in self.warning_checks]}


def fields_of(row: DiaryEntry) -> EntryFields:
    return EntryFields(
        back_pain=row.back_pain, leg_pain=row.leg_pain, neck_pain=row.neck_pain,
        arm_pain=row.arm_pain, walking_minutes=row.walking_minutes,
        walking_metres=row.walking_metres, standing_minutes=row.standing_minutes,
        flare=row.flare, activities=tuple(row.activities or ()),
        activity_note=row.activity_note or "", sitting_hours=row.sitting_hours,
        sleep_quality=row.sleep_quality, medicines=tuple(row.medicines or ()),
        epidural_injection=row.epidural_injection,
        warning_signs=tuple(row.warning_signs or ()), notes=row.notes or "")


def day_record(day: date, fields: EntryFields) -> DayRecord:
    return DayRecord(
        day=day, back_pain=fields.back_pain, leg_pain=fields.leg_pain,
        neck_pain=fields.neck_pain, arm_pain=fields.arm_pain,
        walking_minutes=fields.walking_minutes, walking_metres=fields.walking_metres,
        standing_minutes=fields.standing_minutes, flare=fields.flare,
        activities=fields.activities, activity_note=fields.activity_note,
        sitting_hours=fields.sitting_hours,
        sleep_quality=fields.sleep_quality, medicines=fields.medicines,
        epidural_injection=fields.epidural_injection, warning_signs=fields.warning_signs)


_LEVEL_ORDER = {"emergency": 0, "urgent": 1, "routine": 2, "self_care": 3}


class DiaryService:
    def __init__(self, db: Database, engine: TriageEngine, country: str = "", *,
                 read_words: ReadWords | None = None):
        self.db = db
        self.checks = SymptomCheckService(engine, country)
        # None: the notes are stored unread (and the answer says so).
        self.read_words = read_words

    def known_facts(self, patient_id: int) -> dict[str, Any]:
        """Age and sex from the person's latest saved check (the diary does not ask them):
        the engine needs them to judge a fall (vertebral fracture in older people) and
        some other signs. Empty when unknown, never guessed."""
        with self.db.unit_of_work(write=False) as repos:
            latest = repos.triage.for_patient(patient_id, limit=1)
            findings = dict(latest[0].findings) if latest else {}
        return {k: findings[k] for k in KNOWN_FACTS if findings.get(k) is not None}

    def read_notes(self, fields: EntryFields, day: date,
                   known: Mapping[str, Any] | None = None) -> NotesReading:
        """What the day's notes report, beyond the boxes ticked. The engine decides, as in
        the symptom check: the words' findings with the day's pain ratings. Never raises: if
        the words cannot be read, the answer says ``unread`` (which is not "no sign")."""
        words = " ".join(t for t in (fields.notes, fields.activity_note) if t.strip())
        if not words:
            return NotesReading()
        if self.read_words is None:
            return NotesReading(unread=True)
        try:
            intake = self.read_words(words)
            found = valid_findings(dict(intake.findings))
            ticked = set(fields.warning_signs)
            signs = tuple(sign.id for sign in WARNING_SIGNS
                          if sign.id not in ticked and found.get(sign.id) is True)
            unsure = tuple(sign.id for sign in WARNING_SIGNS
                           if sign.id not in ticked and sign.id not in found
                           and sign.id in intake.uncertain)
            escalates = False
            if any(v is True for v in found.values()):
                base = {**(known or {}), **findings_for_day(day_record(day, fields)), **found}
                level = self.checks.evaluate(build_findings(base)).level
                escalates = level in (Level.EMERGENCY, Level.URGENT)
        except Exception:  # a broken reader must not lose the day's entry
            log.exception("diary notes could not be read")
            return NotesReading(unread=True)
        return NotesReading(signs, unsure, False, found, escalates or bool(signs))

    def _with_notes(self, fields: EntryFields, day: date, known: Mapping[str, Any]
                    ) -> tuple[EntryFields, NotesReading]:
        reading = self.read_notes(fields, day, known)
        if reading.signs:
            fields = replace(fields, warning_signs=(*fields.warning_signs, *reading.signs))
        return fields, reading

    # --- the diary ------------------------------------------------------------------

    @staticmethod
    def warning_signs() -> dict[str, str]:
        return warning_sign_labels()

    def _store(self, repos: Repositories, actor: Actor, patient_id: int, day: date,
               fields: EntryFields, notes: NotesReading | None = None,
               known: Mapping[str, Any] | None = None,
               ) -> tuple[DiaryEntry, bool, TriageOutcome | None]:
        """Insert or replace one day inside the caller's transaction; run the check when
        warning signs are ticked (or the notes report one) and differ from the stored ones
        (an unchanged edit does not start a second check)."""
        notes = notes or NotesReading()
        row = repos.diary.on_day(patient_id, day, lock=True)
        replaced = row is not None
        previous_signs = set(row.warning_signs or ()) if row is not None else set()
        if row is None:
            row = DiaryEntry(patient_id=patient_id, day=day)
        for name, value in fields.columns().items():
            setattr(row, name, value)
        row.updated_at = datetime.now(UTC)
        outcome = None
        if not fields.warning_signs and not notes.escalates:
            row.triage_session_id = None
        elif set(fields.warning_signs) != previous_signs or row.triage_session_id is None:
            # The signs, what the notes say and the day's pain ratings; age and sex stay
            # unknown. A ticked sign wins over a "no" read in the notes.
            findings = build_findings(findings_for_warning_signs(
                fields.warning_signs,
                {**(known or {}), **findings_for_day(day_record(day, fields)),
                 **notes.findings}))
            result = self.checks.evaluate(findings)
            session = new_session(patient_id, findings, result)
            session.source = "diary"
            session = repos.triage.add(session)
            audit.record(repos, actor, "create", "triage_session", resource_id=session.id,
                         patient_id=patient_id, detail="from the diary")
            row.triage_session_id = session.id
            outcome = TriageOutcome.of(result, session.id)
        repos.diary.add(row)
        audit.record(repos, actor, "update" if replaced else "create", "diary_entry",
                     resource_id=row.id, patient_id=patient_id)
        return row, replaced, outcome

    def save_entry(self, actor: Actor, day: date | str, fields: Mapping[str, Any],
                   *, today: date | None = None) -> DiarySaved:
        """Save the signed-in patient's entry for ``day`` (replacing that day's entry if
        there is one). ``fields``: the answers as JSON, form text or CSV text alike."""
        patient_id = require_self_patient(actor)
        the_day = parse_day(day, today or today_utc())
        # Read before the transaction: the reader is CPU work, the write lock is shared.
        known = self.known_facts(patient_id)
        parsed, reading = self._with_notes(parse_entry(fields, tuple(warning_sign_labels())),
                                           the_day, known)
        with self.db.unit_of_work() as repos:
            row, replaced, outcome = self._store(repos, actor, patient_id, the_day, parsed,
                                                 reading, known)
            return DiarySaved(DiaryEntryView.of(row), replaced, outcome, reading)

    def entry(self, actor: Actor, patient_id: int, day: date | str) -> DiaryEntryView:
        the_day = parse_day(day, date.max)
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            row = read_record(repos, actor, repos.diary.on_day(patient_id, the_day),
                              "diary_entry", f"No diary entry for {the_day.isoformat()}.")
            return DiaryEntryView.of(row)

    def entries(self, actor: Actor, patient_id: int, start: date | str | None = None,
                end: date | str | None = None) -> list[DiaryEntryView]:
        """The person's entries, oldest first, ``start``..``end`` inclusive."""
        first = None if start in (None, "") else parse_day(start, date.max, "start")
        last = None if end in (None, "") else parse_day(end, date.max, "end")
        if first is not None and last is not None:
            if first > last:
                raise InvalidInput({"start": "is after end: swap them"})
            if (last - first).days > MAX_RANGE_DAYS:
                raise InvalidInput({"start": f"ask for at most {MAX_RANGE_DAYS:,} days at once"})
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            rows = [DiaryEntryView.of(r) for r in repos.diary.between(patient_id, first, last)]
            audit.record(repos, actor, "read", "diary_entries", patient_id=patient_id)
            return rows

    def delete_entry(self, actor: Actor, day: date | str) -> None:
        patient_id = require_self_patient(actor)
        the_day = parse_day(day, date.max)
        with self.db.unit_of_work() as repos:
            row = repos.diary.on_day(patient_id, the_day, lock=True)
            if row is None:
                raise NotFound(f"No diary entry for {the_day.isoformat()}.")
            audit.record(repos, actor, "delete", "diary_entry", resource_id=row.id,
                         patient_id=patient_id)
            repos.diary.delete(row)

    # --- walking tests ----------------------------------------------------------------

    def add_walking_test(self, actor: Actor, fields: Mapping[str, Any], *,
                         now: datetime | None = None) -> WalkingTestView:
        """Store a self-paced walking test of the signed-in patient."""
        patient_id = require_self_patient(actor)
        parsed = parse_walking_test(fields, now or datetime.now(UTC))
        with self.db.unit_of_work() as repos:
            row = repos.walking_tests.add(WalkingTest(
                patient_id=patient_id, performed_at=parsed.performed_at,
                duration_seconds=parsed.duration_seconds,
                first_symptom_seconds=parsed.first_symptom_seconds,
                distance_m=parsed.distance_m, stopped_because=parsed.stopped_because,
                relief=parsed.relief, recovery_minutes=parsed.recovery_minutes,
                notes=parsed.notes))
            audit.record(repos, actor, "create", "walking_test", resource_id=row.id,
                         patient_id=patient_id)
            return WalkingTestView.of(row)

    def walking_tests(self, actor: Actor, patient_id: int) -> list[WalkingTestView]:
        """Oldest first."""
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            rows = [WalkingTestView.of(r) for r in repos.walking_tests.for_patient(patient_id)]
            audit.record(repos, actor, "read", "walking_tests", patient_id=patient_id)
            return rows

    def delete_walking_test(self, actor: Actor, test_id: int) -> None:
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            row = repos.walking_tests.get(test_id)
            if row is None or row.patient_id != patient_id:
                raise NotFound(f"No walking test with id {test_id}.")
            audit.record(repos, actor, "delete", "walking_test", resource_id=row.id,
                         patient_id=patient_id)
            repos.walking_tests.delete(row)

    # --- the summary --------------------------------------------------------------------

    def summary(self, actor: Actor, patient_id: int, today: date | None = None,
                start: date | str | None = None) -> DiarySummary:
        """The core's summary of the diary and walking tests up to ``today``."""
        the_today = today or today_utc()
        first = None if start in (None, "") else parse_day(start, the_today, "start")
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            days = [DiaryEntryView.of(r).record()
                    for r in repos.diary.between(patient_id, None, the_today)]
            tests = [WalkingTestView.of(r).record()
                     for r in repos.walking_tests.for_patient(patient_id)]
            audit.record(repos, actor, "read", "diary_summary", patient_id=patient_id)
        return summarise(days, tests, today=the_today, period_start=first)

    # --- CSV --------------------------------------------------------------------------

    def _csv_patient(self, actor: Actor, patient_id: int) -> None:
        """The patient themself, or the host's own tools (``spinecare diary``)."""
        if actor.role == "system":
            return
        if not actor.is_patient or actor.user_id != patient_id:
            raise PermissionDenied("Only the patient can export or import their own diary.")

    def export_csv(self, actor: Actor, patient_id: int) -> str:
        """Every diary day as CSV (docs/diary-csv.md)."""
        self._csv_patient(actor, patient_id)
        with self.db.unit_of_work() as repos:
            if repos.users.get(patient_id) is None:
                raise NotFound("No such account.")
            rows = [(r.day, fields_of(r)) for r in repos.diary.between(patient_id)]
            audit.record(repos, actor, "read", "diary_export", patient_id=patient_id)
        return write_csv(rows)

    def import_csv(self, actor: Actor, patient_id: int, text: str, *,
                   today: date | None = None) -> ImportResult:
        """Check every row, then store all of them in one transaction (or none): a day
        already in the diary is replaced by the file's row."""
        self._csv_patient(actor, patient_id)
        rows = read_csv(text, today=today or today_utc(),
                        warning_sign_ids=tuple(warning_sign_labels()))
        if not rows:
            raise InvalidInput({"file": "has no rows under the header: nothing to import"})
        known = self.known_facts(patient_id)
        read = [(day, *self._with_notes(fields, day, known)) for day, fields in rows]
        added = 0
        replaced_days: list[date] = []
        checks: list[TriageOutcome] = []
        with self.db.unit_of_work() as repos:
            user = repos.users.get(patient_id)
            if user is None or user.role != "patient":
                raise NotFound("No such patient.")
            for day, fields, notes in read:
                _, replaced, outcome = self._store(repos, actor, patient_id, day, fields,
                                                   notes, known)
                if replaced:
                    replaced_days.append(day)
                else:
                    added += 1
                if outcome is not None:
                    checks.append(outcome)
            audit.record(repos, actor, "create", "diary_import", patient_id=patient_id,
                         detail=f"{len(rows)} rows")
        checks.sort(key=lambda c: _LEVEL_ORDER.get(c.result.level.value, 9))
        return ImportResult(added, len(replaced_days), tuple(replaced_days), tuple(checks))

    # --- questions for the next visit ---------------------------------------------------

    def add_visit_question(self, actor: Actor, text: str) -> VisitQuestionView:
        patient_id = require_self_patient(actor)
        cleaned = (text or "").strip()
        if not cleaned:
            raise InvalidInput({"text": "write the question you want to ask"})
        if len(cleaned) > MAX_QUESTION_CHARS or "\x00" in cleaned:
            raise InvalidInput({"text": f"is {len(cleaned):,} characters; shorten it to "
                                        f"{MAX_QUESTION_CHARS}"})
        with self.db.unit_of_work() as repos:
            if len(repos.visit_questions.open_for(patient_id)) >= MAX_OPEN_QUESTIONS:
                raise InvalidInput({"text": f"you have {MAX_OPEN_QUESTIONS} open questions: "
                                            "mark some as asked first"})
            row = repos.visit_questions.add(VisitQuestion(patient_id=patient_id,
                                                          text=cleaned))
            audit.record(repos, actor, "create", "visit_question", resource_id=row.id,
                         patient_id=patient_id)
            return VisitQuestionView.of(row)

    def visit_questions(self, actor: Actor, patient_id: int, *,
                        include_done: bool = False) -> list[VisitQuestionView]:
        """Oldest first; only the open ones unless ``include_done``."""
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            found = (repos.visit_questions.for_patient(patient_id) if include_done
                     else repos.visit_questions.open_for(patient_id))
            rows = [VisitQuestionView.of(r) for r in found]
            audit.record(repos, actor, "read", "visit_questions", patient_id=patient_id)
            return rows

    def mark_visit_question_done(self, actor: Actor, question_id: int,
                                 done: bool = True) -> VisitQuestionView:
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            row = repos.visit_questions.get(question_id)
            if row is None or row.patient_id != patient_id:
                raise NotFound(f"No question with id {question_id}.")
            row.done_at = datetime.now(UTC) if done else None
            repos.session.flush()
            audit.record(repos, actor, "update", "visit_question", resource_id=row.id,
                         patient_id=patient_id)
            return VisitQuestionView.of(row)

    def delete_visit_question(self, actor: Actor, question_id: int) -> None:
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            row = repos.visit_questions.get(question_id)
            if row is None or row.patient_id != patient_id:
                raise NotFound(f"No question with id {question_id}.")
            audit.record(repos, actor, "delete", "visit_question", resource_id=row.id,
                         patient_id=patient_id)
            repos.visit_questions.delete(row)


def _saved_on(when: datetime) -> date:
    """A stored time's UTC day (SQLite hands back naive UTC times)."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).date()


def check_records(repos: Repositories, patient_id: int, checks: Sequence[TriageSession],
                  ) -> list[CheckRecord]:
    """Saved checks as the open-sign rule reads them: each check the diary ran carries the
    diary day linked to it (``clinical.diary.open_signs``)."""
    linked = repos.diary.days_of_checks(
        patient_id, [c.id for c in checks if c.source == "diary"])
    return [CheckRecord(_saved_on(c.created_at), c.level, c.source, linked.get(c.id))
            for c in checks]


def open_warning_signs(repos: Repositories, patient_id: int,
                       today: date | None = None) -> list[WarningItem]:
    """The person's open warning signs on ``today`` (default: today in UTC), newest first:
    the diary's signs and the saved checks at urgent or emergency of the last
    ``OPEN_SIGN_DAYS`` days (rule DIARY-OPEN-SIGN, ``clinical.diary.open_signs``). The
    clinician's list, the exercise programme's pause and the doctor's report all use it."""
    the_today = today or today_utc()
    since, _ = open_window(the_today)
    days = [DayRecord(day=r.day, warning_signs=tuple(r.warning_signs or ()))
            for r in repos.diary.with_warning_signs(patient_id, since)]
    # A check the diary ran is saved on or after its diary day, so none saved before the
    # window can count in it.
    recent = [c for c in repos.triage.for_patient(patient_id)
              if c.level in OPEN_LEVELS and _saved_on(c.created_at) >= since]
    return list(open_signs(days, check_records(repos, patient_id, recent), the_today))


def entries_for_export(rows: Sequence[DiaryEntry]) -> list[dict[str, Any]]:
    return [DiaryEntryView.of(r).to_dict() for r in rows]
