"""Repositories for living with it: diary entries, walking tests, exercise, reminders,
questions for the doctor. Each works inside the caller's transaction (``unit_of_work``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinecare.adapters.storage.models import (
    DiaryEntry,
    ExerciseProfile,
    ExerciseSession,
    ReminderDelivery,
    ReminderPreference,
    User,
    VisitQuestion,
    WalkingTest,
)

MAX_ID = 2_147_483_647


def _valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


class DiaryRepository:
    def __init__(self, session: Session):
        self.session = session

    def on_day(self, patient_id: int, day: date, *, lock: bool = False) -> DiaryEntry | None:
        query = select(DiaryEntry).where(DiaryEntry.patient_id == patient_id,
                                         DiaryEntry.day == day)
        return self.session.scalar(query.with_for_update() if lock else query)

    def get(self, entry_id: int) -> DiaryEntry | None:
        return self.session.get(DiaryEntry, entry_id) if _valid_id(entry_id) else None

    def add(self, entry: DiaryEntry) -> DiaryEntry:
        self.session.add(entry)
        self.session.flush()
        return entry

    def between(self, patient_id: int, start: date | None = None,
                end: date | None = None) -> Sequence[DiaryEntry]:
        """The person's entries, oldest first, ``start``..``end`` inclusive."""
        query = select(DiaryEntry).where(DiaryEntry.patient_id == patient_id)
        if start is not None:
            query = query.where(DiaryEntry.day >= start)
        if end is not None:
            query = query.where(DiaryEntry.day <= end)
        return self.session.scalars(query.order_by(DiaryEntry.day)).all()

    def delete(self, entry: DiaryEntry) -> None:
        self.session.delete(entry)
        self.session.flush()

    def on_days(self, patient_id: int, days: Sequence[date]) -> dict[date, DiaryEntry]:
        """The person's entries on ``days`` (an import's), by day; one query over their span."""
        if not days:
            return {}
        wanted = set(days)
        return {row.day: row for row in self.between(patient_id, min(wanted), max(wanted))
                if row.day in wanted}

    def with_warning_signs(self, patient_id: int, since: date) -> list[DiaryEntry]:
        """Entries from ``since`` on with at least one warning sign ticked, newest first
        (the list is JSON, filtered here the same way on SQLite and PostgreSQL)."""
        return [row for row in reversed(self.between(patient_id, since)) if row.warning_signs]

    def days_of_checks(self, patient_id: int, session_ids: Sequence[int]) -> dict[int, date]:
        """Saved check id -> the diary day that links to it (a check the diary ran)."""
        ids = [i for i in session_ids if _valid_id(i)]
        if not ids:
            return {}
        query = select(DiaryEntry.triage_session_id, DiaryEntry.day).where(
            DiaryEntry.patient_id == patient_id, DiaryEntry.triage_session_id.in_(ids))
        return {sid: day for sid, day in self.session.execute(query)
                if sid is not None}


class WalkingTestRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, test: WalkingTest) -> WalkingTest:
        self.session.add(test)
        self.session.flush()
        return test

    def get(self, test_id: int) -> WalkingTest | None:
        return self.session.get(WalkingTest, test_id) if _valid_id(test_id) else None

    def for_patient(self, patient_id: int, start: datetime | None = None,
                    end: datetime | None = None) -> Sequence[WalkingTest]:
        """Oldest first."""
        query = select(WalkingTest).where(WalkingTest.patient_id == patient_id)
        if start is not None:
            query = query.where(WalkingTest.performed_at >= start)
        if end is not None:
            query = query.where(WalkingTest.performed_at <= end)
        order = (WalkingTest.performed_at, WalkingTest.id)
        return self.session.scalars(query.order_by(*order)).all()

    def delete(self, test: WalkingTest) -> None:
        self.session.delete(test)
        self.session.flush()


class ExerciseRepository:
    def __init__(self, session: Session):
        self.session = session

    def profile(self, patient_id: int) -> ExerciseProfile | None:
        return self.session.scalar(
            select(ExerciseProfile).where(ExerciseProfile.patient_id == patient_id))

    def save_profile(self, profile: ExerciseProfile) -> ExerciseProfile:
        self.session.add(profile)
        self.session.flush()
        return profile

    def add_session(self, row: ExerciseSession) -> ExerciseSession:
        self.session.add(row)
        self.session.flush()
        return row

    def get_session(self, session_id: int) -> ExerciseSession | None:
        return self.session.get(ExerciseSession, session_id) if _valid_id(session_id) else None

    def sessions(self, patient_id: int, start: date | None = None,
                 end: date | None = None) -> Sequence[ExerciseSession]:
        """Oldest first."""
        query = select(ExerciseSession).where(ExerciseSession.patient_id == patient_id)
        if start is not None:
            query = query.where(ExerciseSession.day >= start)
        if end is not None:
            query = query.where(ExerciseSession.day <= end)
        order = (ExerciseSession.day, ExerciseSession.id)
        return self.session.scalars(query.order_by(*order)).all()

    def delete_session(self, row: ExerciseSession) -> None:
        self.session.delete(row)
        self.session.flush()


class ReminderRepository:
    def __init__(self, session: Session):
        self.session = session

    def preference(self, patient_id: int) -> ReminderPreference | None:
        return self.session.scalar(
            select(ReminderPreference).where(ReminderPreference.patient_id == patient_id))

    def by_stop_hash(self, secret_hash: str) -> ReminderPreference | None:
        return self.session.scalar(
            select(ReminderPreference).where(ReminderPreference.stop_secret_hash == secret_hash))

    def save(self, preference: ReminderPreference) -> ReminderPreference:
        self.session.add(preference)
        self.session.flush()
        return preference

    def enabled(self) -> Sequence[ReminderPreference]:
        query = select(ReminderPreference).where(
            ReminderPreference.diary_enabled.is_(True)
            | ReminderPreference.exercise_enabled.is_(True))
        return self.session.scalars(query.order_by(ReminderPreference.patient_id)).all()

    def claim(self, patient_id: int, kind: str, due_on: date) -> ReminderDelivery | None:
        """Claim the right to send this reminder: the row, or None when another worker (or
        an earlier run) already has it. The unique key decides; a savepoint keeps the
        caller's transaction usable after a lost race."""
        row = ReminderDelivery(patient_id=patient_id, kind=kind, due_on=due_on)
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            return None
        return row

    def deliveries(self, patient_id: int) -> Sequence[ReminderDelivery]:
        query = select(ReminderDelivery).where(ReminderDelivery.patient_id == patient_id)
        return self.session.scalars(query.order_by(ReminderDelivery.id)).all()

    def enabled_with_user(self) -> Sequence[tuple[ReminderPreference, User]]:
        """Preferences with a reminder on, of patients whose address is confirmed (an
        unconfirmed address gets nothing), with the account, by patient id."""
        query = (
            select(ReminderPreference, User)
            .join(User, User.id == ReminderPreference.patient_id)
            .where(ReminderPreference.diary_enabled.is_(True)
                   | ReminderPreference.exercise_enabled.is_(True))
            .where(User.role == "patient", User.email_verified_at.is_not(None))
            .order_by(ReminderPreference.patient_id)
        )
        return [(pref, user) for pref, user in self.session.execute(query).tuples()]

    def delivered(self, patient_id: int, kind: str, due_on: date) -> ReminderDelivery | None:
        return self.session.scalar(select(ReminderDelivery).where(
            ReminderDelivery.patient_id == patient_id, ReminderDelivery.kind == kind,
            ReminderDelivery.due_on == due_on))

    def mark_sent(self, delivery_id: int, when: datetime) -> None:
        self.session.execute(update(ReminderDelivery)
                             .where(ReminderDelivery.id == delivery_id).values(sent_at=when))

    def release(self, delivery_id: int) -> None:
        """Give a claim back (the e-mail could not be sent): the next run tries again."""
        self.session.execute(delete(ReminderDelivery).where(ReminderDelivery.id == delivery_id))


class VisitQuestionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, row: VisitQuestion) -> VisitQuestion:
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, question_id: int) -> VisitQuestion | None:
        return self.session.get(VisitQuestion, question_id) if _valid_id(question_id) else None

    def for_patient(self, patient_id: int) -> Sequence[VisitQuestion]:
        """Open and done, oldest first."""
        query = select(VisitQuestion).where(VisitQuestion.patient_id == patient_id)
        return self.session.scalars(query.order_by(VisitQuestion.id)).all()

    def open_for(self, patient_id: int) -> Sequence[VisitQuestion]:
        query = select(VisitQuestion).where(VisitQuestion.patient_id == patient_id,
                                            VisitQuestion.done_at.is_(None))
        return self.session.scalars(query.order_by(VisitQuestion.id)).all()

    def delete(self, row: VisitQuestion) -> None:
        self.session.execute(delete(VisitQuestion).where(VisitQuestion.id == row.id))
