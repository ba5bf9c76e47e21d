"""Plain read models the services return (never ORM objects, which die with their session).

They are also the API's response models: the web layer hands these classes to FastAPI,
which derives their JSON Schema with pydantic (``TypeAdapter``), so the contract is
written once. Two pydantic annotations make that derived JSON what the API has always
sent: times go out as Python's ISO text (``+00:00``, where pydantic would write ``Z``),
and the fields a door adds (``provisional``, ``active``) are computed properties.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, TypeAdapter, WithJsonSchema, computed_field

from spinecare.adapters.storage.models import (
    AuditEvent,
    AuthSession,
    CareTeamGrant,
    QuestionnaireResponse,
    TriageSession,
    User,
)
from spinecare.clinical.diary.open_signs import WarningItem
from spinecare.clinical.instruments.result import ScoreSummary
from spinecare.clinical.triage.conversation import provisional_notice
from spinecare.clinical.triage.result import TriageResult


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _iso_text(value: datetime) -> str:
    return value.isoformat()


# A stored time (UTC, timezone-aware); in JSON, its ISO 8601 text.
Timestamp = Annotated[datetime, PlainSerializer(_iso_text, return_type=str)]


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
    created_at: Timestamp
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
    created_at: Timestamp
    last_used_at: Timestamp
    expires_at: Timestamp

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
    granted_at: Timestamp
    revoked_at: Timestamp | None

    @computed_field  # type: ignore[prop-decorator]
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
    """A saved symptom check; ``result`` is the engine's result read back from storage."""

    id: int
    patient_id: int
    created_at: Timestamp
    level: str
    top_condition: str | None
    complete: bool
    knowledge_version: str
    findings: dict[str, Any]
    result: TriageResult
    # Where it came from ("check" or "diary") and the person's own words, if they began
    # by describing it (at most 2,000 characters; "" otherwise).
    source: str = "check"
    own_words: str = ""

    @computed_field(  # type: ignore[prop-decorator]
        description="True while warning-sign questions were open: never show it as final.")
    @property
    def provisional(self) -> bool:
        return self.provisional_notice is not None

    @computed_field(  # type: ignore[prop-decorator]
        description="The sentence to show with a provisional result (null when final).")
    @property
    def provisional_notice(self) -> str | None:
        return provisional_notice(self.result)

    @classmethod
    def of(cls, row: TriageSession) -> TriageRecord:
        return cls(
            row.id, row.patient_id, row.created_at, row.level, row.top_condition, row.complete,
            row.knowledge_version, dict(row.findings), TriageResult.from_dict(row.result),
            row.source or "check", row.own_words or "",
        )

    def to_dict(self) -> dict[str, Any]:
        """The stored shape (the data export): the result as ``TriageResult.to_dict``."""
        return {
            "id": self.id, "patient_id": self.patient_id, "created_at": _iso(self.created_at),
            "level": self.level, "top_condition": self.top_condition,
            "complete": self.complete, "knowledge_version": self.knowledge_version,
            "findings": dict(self.findings), "result": self.result.to_dict(),
            "source": self.source, "own_words": self.own_words,
        }


@dataclass(frozen=True, slots=True)
class ResponseRecord(_AsDict):
    id: int
    patient_id: int
    instrument_id: str
    definition_version: str
    created_at: Timestamp
    answers: dict[str, Any]
    # Sent as stored; its schema is the core's ScoreSummary (read it back with
    # ScoreSummary.from_dict), whose optional keys are absent rather than null.
    score: Annotated[dict[str, Any], WithJsonSchema(
        TypeAdapter(ScoreSummary).json_schema(mode="serialization"))]

    @classmethod
    def of(cls, row: QuestionnaireResponse) -> ResponseRecord:
        return cls(
            row.id, row.patient_id, row.instrument_id, row.definition_version, row.created_at,
            dict(row.answers), dict(row.score),
        )


@dataclass(frozen=True, slots=True)
class AuditRecord(_AsDict):
    id: int
    at: Timestamp
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
    latest_check_at: Timestamp | None
    latest_top_condition: str | None
    checks: int
    latest_scores: Annotated[dict[str, Any], Field(
        description="Instrument id → {score: the latest stored score, at: when}.")]
    # The open warning signs (rule DIARY-OPEN-SIGN: diary signs and checks at urgent or
    # emergency in the last 14 days, newest first): such a patient sorts to the top.
    # ``open_warning_signs`` holds their plain labels, each once.
    open_warning_signs: list[str] = field(default_factory=list)
    open_signs: list[WarningItem] = field(default_factory=list)
