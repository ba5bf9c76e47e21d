"""A person's rights over their data: export everything as JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spinecare import __version__
from spinecare.services import audit
from spinecare.services.actor import Actor
from spinecare.services.errors import NotFound, PermissionDenied
from spinecare.services.views import (
    AuditRecord,
    GrantView,
    ResponseRecord,
    TriageRecord,
    UserView,
)
from spinecare.storage.database import Database
from spinecare.storage.repositories import Repositories

EXPORT_FORMAT = "spinecare-export/1"


class DataRightsService:
    def __init__(self, db: Database):
        self.db = db

    def export(self, actor: Actor, user_id: int) -> dict[str, Any]:
        """Everything stored about ``user_id``: only that person may export it."""
        if actor.user_id != user_id:
            raise PermissionDenied("You can only export your own data.")
        with self.db.transaction() as session:
            repos = Repositories(session)
            user = repos.users.get(user_id)
            if user is None:
                raise NotFound("No such account.")
            grants = []
            for grant in repos.grants.for_patient(user_id):
                clinician = repos.users.get(grant.clinician_id)
                if clinician is not None:
                    grants.append(GrantView.of(grant, user, clinician).to_dict())
            events = []
            for row in repos.audit.about_patient(user_id, limit=100_000):
                actor_user = repos.users.get(row.actor_id) if row.actor_id else None
                name = actor_user.name if actor_user else row.actor_role
                events.append(AuditRecord.of(row, name).to_dict())
            data = {
                "format": EXPORT_FORMAT,
                "exported_at": datetime.now(UTC).isoformat(),
                "software_version": __version__,
                "account": UserView.of(user).to_dict(),
                "care_team": grants,
                "triage_sessions": [
                    TriageRecord.of(r).to_dict() for r in repos.triage.for_patient(user_id)
                ],
                "questionnaire_responses": [
                    ResponseRecord.of(r).to_dict() for r in repos.responses.for_patient(user_id)
                ],
                "access_log": events,
            }
            audit.record(repos, actor, "read", "export", patient_id=user_id)
            return data
