"""Symptom checks: run the engine; for a signed-in patient, save the check to their history.

The one door for every symptom check: the API, the web pages and the demo loader ask the
service, never its engine (``spinecare check``, which saves nothing, asks the same checks
without a database: ``services/symptom_check.py``). A check gives back a typed
``TriageOutcome`` (the engine's ``TriageResult``, whether it is provisional, and where it
was saved); a saved check is read back as a ``TriageRecord`` whose ``result`` is a
``TriageResult`` again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import TriageSession
from spinecare.clinical.findings import Findings
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.result import TriageResult
from spinecare.services import audit
from spinecare.services.access import (
    read_record,
    require_patient_readable,
    require_self_patient,
)
from spinecare.services.actor import Actor

# Checking without a database lives in ``symptom_check``; its names are re-exported here,
# where the doors that also save a check (the API, the pages, the demo loader) look.
from spinecare.services.symptom_check import (
    MAX_FINDINGS,
    SymptomCheckService,
    TriageOutcome,
    build_findings,
    too_many,
    validate_unsure,
)
from spinecare.services.views import TriageRecord

__all__ = [
    "MAX_FINDINGS", "OWN_WORDS_CHARS", "TriageOutcome", "TriageService", "build_findings",
    "new_session", "too_many", "validate_unsure",
]


# A saved check keeps at most this much of the person's own words (the page's description).
OWN_WORDS_CHARS = 2000


def new_session(patient_id: int, findings: Findings, result: TriageResult,
                created_at: datetime | None = None, *, own_words: str = "") -> TriageSession:
    """The stored row of a check: the result as ``to_dict`` gives it (read back with
    ``TriageResult.from_dict``) and the columns the history lists and sorts by, with the
    person's own words (at most ``OWN_WORDS_CHARS``) when the check started from them."""
    row = TriageSession(
        patient_id=patient_id,
        findings=findings.as_dict(),
        level=result.level.value,
        top_condition=result.top_condition,
        complete=result.complete,
        result=result.to_dict(),
        knowledge_version=result.knowledge_version,
        own_words=own_words[:OWN_WORDS_CHARS],
    )
    if created_at is not None:
        row.created_at = created_at
    return row


class TriageService(SymptomCheckService):
    """A symptom check (``evaluate``, the interview: ``SymptomCheckService``) that saves a
    signed-in patient's check, and their history."""

    def __init__(self, db: Database, engine: TriageEngine, country: str = ""):
        super().__init__(engine, country)
        self.db = db

    def check(self, actor: Actor, findings: Findings,
              unsure: Collection[str] = ()) -> TriageOutcome:
        """Evaluate; a signed-in patient's check is saved (``saved_check_id``)."""
        result = self.evaluate(findings, unsure)
        if not actor.is_patient:
            return TriageOutcome.of(result)
        return TriageOutcome.of(result, self._save(actor, findings, result))

    def save(self, actor: Actor, findings: Findings,
             unsure: Collection[str] = (), *, own_words: str = "") -> TriageOutcome:
        """Evaluate and save for the signed-in patient (the web interview's last step),
        with the person's own words when the check started from them."""
        require_self_patient(actor)
        result = self.evaluate(findings, unsure)
        return TriageOutcome.of(result, self._save(actor, findings, result, own_words))

    def _save(self, actor: Actor, findings: Findings, result: TriageResult,
              own_words: str = "") -> int:
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            row = repos.triage.add(new_session(patient_id, findings, result,
                                               own_words=own_words))
            audit.record(
                repos, actor, "create", "triage_session", resource_id=row.id,
                patient_id=patient_id,  # no level: the audit log never holds health data
            )
            return row.id

    def history(self, actor: Actor, patient_id: int) -> list[TriageRecord]:
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            rows = [TriageRecord.of(r) for r in repos.triage.for_patient(patient_id)]
            audit.record(repos, actor, "read", "triage_history", patient_id=patient_id)
            return rows

    def get(self, actor: Actor, session_id: int) -> TriageRecord:
        with self.db.unit_of_work() as repos:
            row = read_record(repos, actor, repos.triage.get(session_id), "triage_session",
                              f"No symptom check with id {session_id}.")
            return TriageRecord.of(row)
