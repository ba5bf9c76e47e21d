"""The audit log: every read and write of health data, who / what / when / from where."""

from __future__ import annotations

import secrets

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import AuditEvent
from spinecare.adapters.storage.repositories import Repositories
from spinecare.services.actor import Actor
from spinecare.services.errors import PermissionDenied
from spinecare.services.views import AuditRecord


def record(
    repos: Repositories,
    actor: Actor,
    action: str,
    resource: str,
    *,
    patient_id: int | None,
    resource_id: object = None,
    detail: str = "",
) -> None:
    """Add an audit event inside the caller's transaction: it commits or rolls back with it."""
    repos.audit.add(
        AuditEvent(
            actor_id=actor.user_id,
            actor_role=actor.role,
            action=action,
            resource=resource,
            resource_id=None if resource_id is None else str(resource_id),
            patient_id=patient_id,
            ip=actor.ip[:64],
            detail=detail[:500],
        )
    )


def forget_person(repos: Repositories, user_id: int) -> int:
    """Erasure (inside the deletion's transaction, before the account row goes): the events
    about or by the person keep what the law asks of an audit trail (who else acted, what,
    on which record, when) and lose what could identify them or describe their health: the
    address and the detail. A random pseudonym, linked to nothing, keeps their events
    recognisable as one person's, so reads can still be checked against grants."""
    pseudonym = secrets.token_hex(8)
    return repos.audit.forget_person(user_id, f"about an erased account ({pseudonym})")


def _views(repos: Repositories, rows: list[AuditEvent]) -> list[AuditRecord]:
    names: dict[int, str] = {}
    out = []
    for row in rows:
        name = "(deleted account)" if row.actor_role != "system" else "system"
        if row.actor_id is not None:
            if row.actor_id not in names:
                user = repos.users.get(row.actor_id)
                names[row.actor_id] = user.name if user else name
            name = names[row.actor_id]
        out.append(AuditRecord.of(row, name))
    return out


class AuditService:
    def __init__(self, db: Database):
        self.db = db

    def for_patient(self, actor: Actor, patient_id: int) -> list[AuditRecord]:
        """Who accessed this patient's data: the patient themself, or an admin."""
        if not (actor.user_id == patient_id and actor.is_patient) and not actor.is_admin:
            raise PermissionDenied("Only the patient (or an administrator) can see this log.")
        with self.db.unit_of_work() as repos:
            return _views(repos, list(repos.audit.about_patient(patient_id)))

    def recent(self, actor: Actor, limit: int = 200) -> list[AuditRecord]:
        if not actor.is_admin:
            raise PermissionDenied("Only an administrator can read the whole audit log.")
        with self.db.unit_of_work() as repos:
            return _views(repos, list(repos.audit.recent(limit)))
