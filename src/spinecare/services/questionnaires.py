"""Questionnaire responses, stored generically: instrument id, answers, score, version.

Scoring happens in ``spinecare.clinical.instruments``; this service stores what it
produced, with the definition version that produced it, and reads it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spinecare.services import audit
from spinecare.services.access import (
    read_record,
    require_patient_readable,
    require_self_patient,
)
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput
from spinecare.services.views import ResponseRecord
from spinecare.storage.database import Database
from spinecare.storage.models import QuestionnaireResponse
from spinecare.storage.repositories import Repositories

# (instrument id, answers) -> (definition version, score as JSON); raises InvalidInput.
Scorer = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]


def score_with_instruments(instrument_id: str, answers: dict[str, Any]) -> tuple[str, dict]:
    """The scorer backed by ``spinecare.instruments_loader`` (published scoring rules)."""
    from spinecare.clinical.instruments import AnswerError
    from spinecare.instruments_loader import UnknownInstrument, get_definition, score

    try:
        definition = get_definition(instrument_id)
        result = score(instrument_id, answers)
    except UnknownInstrument as exc:
        raise InvalidInput({"instrument_id": str(exc).strip("'\"")}) from exc
    except AnswerError as exc:
        raise InvalidInput(
            {f"answers.{p.item_id}": p.message for p in exc.problems}
        ) from exc
    data = result.to_dict()
    data["knowledge_version"] = str(definition.knowledge_version)
    return str(definition.version), data


class QuestionnaireService:
    def __init__(self, db: Database, scorer: Scorer | None = None):
        self.db = db
        self.scorer = scorer or score_with_instruments

    def submit(self, actor: Actor, instrument_id: str, answers: dict[str, Any]) -> ResponseRecord:
        """Score a patient's answers with the published rules and store both."""
        require_self_patient(actor)
        version, score = self.scorer(instrument_id, answers)
        return self.save(actor, instrument_id, version, answers, score)

    def save(
        self,
        actor: Actor,
        instrument_id: str,
        definition_version: str,
        answers: dict[str, Any],
        score: dict[str, Any],
    ) -> ResponseRecord:
        patient_id = require_self_patient(actor)
        problems = {}
        if not instrument_id.strip() or len(instrument_id) > 80:
            problems["instrument_id"] = "must be a known instrument id such as 'odi'"
        if not definition_version.strip() or len(definition_version) > 80:
            problems["definition_version"] = "must name the definition version that scored it"
        if problems:
            raise InvalidInput(problems)
        with self.db.transaction() as session:
            repos = Repositories(session)
            row = repos.responses.add(
                QuestionnaireResponse(
                    patient_id=patient_id,
                    instrument_id=instrument_id,
                    definition_version=definition_version,
                    answers=answers,
                    score=score,
                )
            )
            audit.record(
                repos, actor, "create", "questionnaire_response", resource_id=row.id,
                patient_id=patient_id, detail=instrument_id,
            )
            return ResponseRecord.of(row)

    def list(
        self, actor: Actor, patient_id: int, instrument_id: str | None = None
    ) -> list[ResponseRecord]:
        with self.db.transaction() as session:
            repos = Repositories(session)
            require_patient_readable(repos, actor, patient_id)
            found = repos.responses.for_patient(patient_id, instrument_id)
            rows = [ResponseRecord.of(r) for r in found]
            audit.record(
                repos, actor, "read", "questionnaire_responses", patient_id=patient_id,
                detail=instrument_id or "all",
            )
            return rows

    def get(self, actor: Actor, response_id: int) -> ResponseRecord:
        with self.db.transaction() as session:
            repos = Repositories(session)
            row = read_record(repos, actor, repos.responses.get(response_id),
                              "questionnaire_response",
                              f"No questionnaire response with id {response_id}.")
            return ResponseRecord.of(row)
