"""Repositories: the only code that writes SQL. Each works inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from spinecare.adapters.storage.diary_repositories import (
    DiaryRepository,
    ExerciseRepository,
    ReminderRepository,
    VisitQuestionRepository,
    WalkingTestRepository,
)
from spinecare.adapters.storage.models import (
    AccountToken,
    AuditEvent,
    AuthSession,
    CareTeamGrant,
    QuestionnaireResponse,
    TriageSession,
    User,
    utcnow,
)

# Ids are 32-bit on PostgreSQL (64 on SQLite): a larger number cannot name a row, and
# sending it to the driver would fail with an overflow instead of "not found".
MAX_ID = 2_147_483_647


def _valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


class UserRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id) if _valid_id(user_id) else None

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(User.email == email.lower()))

    def list(self, role: str | None = None) -> Sequence[User]:
        query = select(User).order_by(User.id)
        if role:
            query = query.where(User.role == role)
        return self.session.scalars(query).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(User)) or 0

    def delete(self, user: User) -> None:
        self.session.delete(user)
        self.session.flush()


class GrantRepository:
    def __init__(self, session: Session):
        self.session = session

    def active(
        self, patient_id: int, clinician_id: int, *, lock: bool = False
    ) -> CareTeamGrant | None:
        """The active grant of this pair. ``lock=True`` before changing it: PostgreSQL locks
        the row (FOR UPDATE) until the transaction ends, and a concurrent transaction that
        waited re-reads it, finding it revoked. (SQLite: the write transaction's own lock.)"""
        if not (_valid_id(patient_id) and _valid_id(clinician_id)):
            return None
        query = select(CareTeamGrant).where(
            CareTeamGrant.patient_id == patient_id,
            CareTeamGrant.clinician_id == clinician_id,
            CareTeamGrant.revoked_at.is_(None),
        )
        return self.session.scalar(query.with_for_update() if lock else query)

    def add(self, patient_id: int, clinician_id: int) -> CareTeamGrant:
        grant = CareTeamGrant(patient_id=patient_id, clinician_id=clinician_id)
        self.session.add(grant)
        self.session.flush()
        return grant

    def revoke(self, grant: CareTeamGrant, when: datetime | None = None) -> None:
        grant.revoked_at = when or utcnow()
        self.session.flush()

    def for_patient(self, patient_id: int, include_revoked: bool = True) -> Sequence[CareTeamGrant]:
        query = select(CareTeamGrant).where(CareTeamGrant.patient_id == patient_id)
        if not include_revoked:
            query = query.where(CareTeamGrant.revoked_at.is_(None))
        return self.session.scalars(query.order_by(CareTeamGrant.granted_at.desc())).all()

    def active_patient_ids(self, clinician_id: int) -> list[int]:
        query = select(CareTeamGrant.patient_id).where(
            CareTeamGrant.clinician_id == clinician_id, CareTeamGrant.revoked_at.is_(None)
        )
        return list(self.session.scalars(query).all())


class TriageRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, record: TriageSession) -> TriageSession:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, session_id: int) -> TriageSession | None:
        return self.session.get(TriageSession, session_id) if _valid_id(session_id) else None

    def for_patient(self, patient_id: int, limit: int | None = None) -> Sequence[TriageSession]:
        query = (
            select(TriageSession)
            .where(TriageSession.patient_id == patient_id)
            .order_by(TriageSession.created_at.desc(), TriageSession.id.desc())
        )
        if limit:
            query = query.limit(limit)
        return self.session.scalars(query).all()

    def count_for_patient(self, patient_id: int) -> int:
        query = select(func.count()).where(TriageSession.patient_id == patient_id)
        return self.session.scalar(query) or 0


class ResponseRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, record: QuestionnaireResponse) -> QuestionnaireResponse:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, response_id: int) -> QuestionnaireResponse | None:
        if not _valid_id(response_id):
            return None
        return self.session.get(QuestionnaireResponse, response_id)

    def for_patient(
        self, patient_id: int, instrument_id: str | None = None
    ) -> Sequence[QuestionnaireResponse]:
        query = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient_id)
        if instrument_id:
            query = query.where(QuestionnaireResponse.instrument_id == instrument_id)
        order = (QuestionnaireResponse.created_at.desc(), QuestionnaireResponse.id.desc())
        return self.session.scalars(query.order_by(*order)).all()


class AuditRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, event: AuditEvent) -> None:
        self.session.add(event)

    def about_patient(self, patient_id: int, limit: int = 500) -> Sequence[AuditEvent]:
        query = (
            select(AuditEvent)
            .where(AuditEvent.patient_id == patient_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def recent(self, limit: int = 500) -> Sequence[AuditEvent]:
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        return self.session.scalars(query.limit(limit)).all()

    def forget_person(self, user_id: int, detail: str) -> int:
        """Every event about or by ``user_id``: no address, ``detail`` replaced. Returns the
        number of events changed."""
        result = self.session.execute(
            update(AuditEvent)
            .where(or_(AuditEvent.patient_id == user_id, AuditEvent.actor_id == user_id))
            .values(ip="", detail=detail)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class Repositories:
    """All repositories bound to one session (= one transaction)."""

    def __init__(self, session: Session):
        self.session = session
        self.users = UserRepository(session)
        self.grants = GrantRepository(session)
        self.triage = TriageRepository(session)
        self.responses = ResponseRepository(session)
        self.audit = AuditRepository(session)
        self.sessions = SessionRepository(session)
        self.account_tokens = AccountTokenRepository(session)
        self.diary = DiaryRepository(session)
        self.walking_tests = WalkingTestRepository(session)
        self.exercise = ExerciseRepository(session)
        self.reminders = ReminderRepository(session)
        self.visit_questions = VisitQuestionRepository(session)


class SessionRepository:
    """Sign-ins and API tokens (``AuthSession``), found by the hash of their secret."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, row: AuthSession) -> AuthSession:
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, session_id: int) -> AuthSession | None:
        return self.session.get(AuthSession, session_id) if _valid_id(session_id) else None

    def with_user(self, secret_hash: str, kind: str) -> tuple[AuthSession, User] | None:
        query = (
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.secret_hash == secret_hash, AuthSession.kind == kind)
        )
        found = self.session.execute(query).first()
        return (found[0], found[1]) if found else None

    def for_user(self, user_id: int) -> Sequence[AuthSession]:
        query = (
            select(AuthSession)
            .where(AuthSession.user_id == user_id)
            .order_by(AuthSession.last_used_at.desc(), AuthSession.id.desc())
        )
        return self.session.scalars(query).all()

    def touch(self, session_id: int, when: datetime) -> None:
        self.session.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(last_used_at=when)
        )

    def delete(self, session_id: int) -> None:
        self.session.execute(delete(AuthSession).where(AuthSession.id == session_id))

    def delete_for_user(self, user_id: int, *, keep: int | None = None) -> int:
        query = delete(AuthSession).where(AuthSession.user_id == user_id)
        if keep is not None:
            query = query.where(AuthSession.id != keep)
        result = self.session.execute(query)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class AccountTokenRepository:
    """Single-use e-mailed links (confirm an address, reset a password)."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, row: AccountToken) -> AccountToken:
        self.session.add(row)
        self.session.flush()
        return row

    def by_hash(self, secret_hash: str, purpose: str) -> AccountToken | None:
        query = select(AccountToken).where(
            AccountToken.secret_hash == secret_hash, AccountToken.purpose == purpose
        )
        # Locked on PostgreSQL so two clicks on one link cannot both use it.
        return self.session.scalar(query.with_for_update())

    def use_all(self, user_id: int, purpose: str, when: datetime) -> None:
        """Spend every open link of this kind (a new password makes older links useless)."""
        self.session.execute(
            update(AccountToken)
            .where(AccountToken.user_id == user_id, AccountToken.purpose == purpose,
                   AccountToken.used_at.is_(None))
            .values(used_at=when)
        )
