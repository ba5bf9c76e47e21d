"""A person's rights over their data: export everything as JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spinecare import __version__
from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.repositories import Repositories
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

    def export_fhir(self, actor: Actor, user_id: int) -> dict[str, Any]:
        """The person's questionnaires as a FHIR R4 Bundle (Patient, QuestionnaireResponse,
        Observation). Built from ``export`` so it is checked and audited the same way;
        responses to instruments spinecare does not define stay in the JSON export only."""
        from spinecare.adapters.fhir.bundle import Administration, Person, bundle_for_person
        from spinecare.adapters.instrument_files import builtin_definitions
        from spinecare.clinical.instruments import AnswerError, normalise_answers

        data = self.export(actor, user_id)
        known = builtin_definitions()
        administrations = []
        for response in data["questionnaire_responses"]:
            definition = known.get(response["instrument_id"])
            if definition is None:
                continue
            try:
                normalise_answers(definition, response["answers"])
            except AnswerError:
                continue  # stored by an older definition: it cannot be expressed here
            administrations.append(Administration(
                instrument=response["instrument_id"],
                answers=response["answers"],
                authored=datetime.fromisoformat(response["created_at"]),
                id=str(response["id"]),
            ))
        person = Person(id=str(user_id), name=data["account"]["name"])
        return bundle_for_person(person, administrations)
