"""Plain read models the services return (never ORM objects, which die with their session)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from spinecare.adapters.storage.models import (
    AuditEvent,
    AuthSession,
    CareTeamGrant,
    QuestionnaireResponse,
    TriageSession,
    User,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class _AsDict:
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)  # type: ignore[call-overload]
        return {k: _iso(v) if isinstance(v, datetime) else v for k, v in data.items()}


@dataclass(frozen=True, slots=True)
class UserView(_AsDict):
    id: int
    email: str
    name: str
    role: str
    approved: bool
    created_at: datetime
    email_verified: bool = False

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(user.id, user.email, user.name, user.role, user.approved, user.created_at,
                   user.email_verified_at is not None)


@dataclass(frozen=True, slots=True)
class SessionView(_AsDict):
    """A signed-in browser or an API token, as its owner sees it (never the secret)."""

    id: int
    kind: str  # browser | api
    label: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, row: AuthSession) -> SessionView:
        return cls(row.id, row.kind, row.label, row.created_at, row.last_used_at,
                   row.expires_at)


@dataclass(frozen=True, slots=True)
class GrantView(_AsDict):
    id: int
    patient_id: int
    patient_name: str
    clinician_id: int
    clinician_name: str
    clinician_email: str
    granted_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def of(cls, grant: CareTeamGrant, patient: User, clinician: User) -> GrantView:
        return cls(
            grant.id, patient.id, patient.name, clinician.id, clinician.name, clinician.email,
            grant.granted_at, grant.revoked_at,
        )


@dataclass(frozen=True, slots=True)
class TriageRecord(_AsDict):
    id: int
    patient_id: int
    created_at: datetime
    level: str
    top_condition: str | None
    complete: bool
    knowledge_version: str
    findings: dict[str, Any]
    result: dict[str, Any]

    @classmethod
    def of(cls, row: TriageSession) -> TriageRecord:
        return cls(
            row.id, row.patient_id, row.created_at, row.level, row.top_condition, row.complete,
            row.knowledge_version, dict(row.findings), dict(row.result),
        )


@dataclass(frozen=True, slots=True)
class ResponseRecord(_AsDict):
    id: int
    patient_id: int
    instrument_id: str
    definition_version: str
    created_at: datetime
    answers: dict[str, Any]
    score: dict[str, Any]

    @classmethod
    def of(cls, row: QuestionnaireResponse) -> ResponseRecord:
        return cls(
            row.id, row.patient_id, row.instrument_id, row.definition_version, row.created_at,
            dict(row.answers), dict(row.score),
        )


@dataclass(frozen=True, slots=True)
class AuditRecord(_AsDict):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    action: str
    resource: str
    resource_id: str | None
    patient_id: int | None
    ip: str
    detail: str

    @classmethod
    def of(cls, row: AuditEvent, actor_name: str) -> AuditRecord:
        return cls(
            row.id, row.at, row.actor_id, actor_name, row.actor_role, row.action, row.resource,
            row.resource_id, row.patient_id, row.ip, row.detail,
        )


@dataclass(frozen=True, slots=True)
class PatientSummary(_AsDict):
    """One line of a clinician's list: latest level first so red flags sort to the top."""

    id: int
    name: str
    email: str
    latest_level: str | None
    latest_check_at: datetime | None
    latest_top_condition: str | None
    checks: int
    latest_scores: dict[str, Any]
