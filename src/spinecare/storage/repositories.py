"""Repositories: the only code that writes SQL. Each works inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinecare.storage.models import (
    AuditEvent,
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

    def active(self, patient_id: int, clinician_id: int) -> CareTeamGrant | None:
        if not (_valid_id(patient_id) and _valid_id(clinician_id)):
            return None
        return self.session.scalar(
            select(CareTeamGrant).where(
                CareTeamGrant.patient_id == patient_id,
                CareTeamGrant.clinician_id == clinician_id,
                CareTeamGrant.revoked_at.is_(None),
            )
        )

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


class Repositories:
    """All repositories bound to one session (= one transaction)."""

    def __init__(self, session: Session):
        self.session = session
        self.users = UserRepository(session)
        self.grants = GrantRepository(session)
        self.triage = TriageRepository(session)
        self.responses = ResponseRepository(session)
        self.audit = AuditRepository(session)
