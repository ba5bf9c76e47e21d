"""A person's rights over their data: export everything as JSON, or the questionnaires as FHIR."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from spinecare import __version__
from spinecare.adapters.fhir.bundle import Administration, Person, bundle_for_person
from spinecare.adapters.fhir.diary import add_diary_to_bundle
from spinecare.adapters.storage.database import Database
from spinecare.clinical.instruments import AnswerError
from spinecare.services import audit
from spinecare.services.actor import Actor
from spinecare.services.diary import DiaryEntryView, VisitQuestionView, WalkingTestView
from spinecare.services.errors import NotFound, PermissionDenied
from spinecare.services.instruments import InstrumentService
from spinecare.services.views import (
    AuditRecord,
    GrantView,
    ResponseRecord,
    TriageRecord,
    UserView,
)

if TYPE_CHECKING:
    from spinecare.adapters.storage.models import User
    from spinecare.adapters.storage.repositories import Repositories

EXPORT_FORMAT = "spinecare-export/1"


class DataRightsService:
    def __init__(self, db: Database, instruments: InstrumentService):
        self.db = db
        self.instruments = instruments

    @contextmanager
    def _own_account(self, actor: Actor, user_id: int) -> Iterator[tuple[Repositories, User]]:
        """The repositories and the account of ``user_id``, if ``actor`` is that person
        (checked before the database is touched): every export is one's own."""
        if actor.user_id != user_id:
            raise PermissionDenied("You can only export your own data.")
        with self.db.unit_of_work() as repos:
            user = repos.users.get(user_id)
            if user is None:
                raise NotFound("No such account.")
            yield repos, user

    def export(self, actor: Actor, user_id: int) -> dict[str, Any]:
        """Everything stored about ``user_id``: only that person may export it."""
        with self._own_account(actor, user_id) as (repos, user):
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
                "diary_entries": [
                    DiaryEntryView.of(r).to_dict() for r in repos.diary.between(user_id)
                ],
                "walking_tests": [
                    WalkingTestView.of(r).to_dict()
                    for r in repos.walking_tests.for_patient(user_id)
                ],
                "visit_questions": [
                    VisitQuestionView.of(r).to_dict()
                    for r in repos.visit_questions.for_patient(user_id)
                ],
                "access_log": events,
            }
            audit.record(repos, actor, "read", "export", patient_id=user_id)
            return data

    def export_fhir(self, actor: Actor, user_id: int) -> dict[str, Any]:
        """The person's questionnaires and diary as a FHIR R4 Bundle (Patient,
        QuestionnaireResponse, Observation: scores, diary days, walking tests). Only that
        person may export it, and the export is audited like the JSON one; responses to
        instruments spinecare does not define stay in the JSON export only."""
        with self._own_account(actor, user_id) as (repos, user):
            name = user.name
            rows = [(r.id, r.instrument_id, dict(r.answers), r.created_at)
                    for r in repos.responses.for_patient(user_id)]
            diary_days = [DiaryEntryView.of(r).record() for r in repos.diary.between(user_id)]
            walking_tests = [(str(r.id), WalkingTestView.of(r).record())
                             for r in repos.walking_tests.for_patient(user_id)]
            audit.record(repos, actor, "read", "export", patient_id=user_id)
        known = self.instruments.shipped
        administrations = []
        for response_id, instrument_id, answers, created_at in rows:
            if instrument_id not in known:
                continue
            # Scored once more, on purpose, from the stored answers: the FHIR resources are
            # built from the exact result (fractions, band and subscale objects), which the
            # stored JSON only rounds; and a response stored under an older definition
            # whose answers no longer fit is left out rather than exported with codes it
            # does not match. The bundle takes this result; it does not score again.
            try:
                result = self.instruments.score(instrument_id, answers)
            except AnswerError:
                continue
            administrations.append(Administration(
                instrument=instrument_id, answers=answers, authored=created_at,
                id=str(response_id), result=result,
            ))
        bundle = bundle_for_person(Person(id=str(user_id), name=name), administrations, known)
        # The diary's days and walking tests as Observations of the same Patient.
        return add_diary_to_bundle(bundle, diary_days, walking_tests, person_id=str(user_id))
