"""Symptom checks: run the engine; for a signed-in patient, save the check to their history.

The one door for every symptom check: the API, the web pages and the demo loader ask the
service, never its engine. A check gives back a typed ``TriageOutcome`` (the engine's
``TriageResult``, whether it is provisional, and where it was saved); a saved check is read
back as a ``TriageRecord`` whose ``result`` is a ``TriageResult`` again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import TriageSession
from spinecare.adapters.storage.repositories import Repositories
from spinecare.clinical.findings import (
    MAX_SUGGESTIONS,
    Findings,
    FindingsError,
    parse_findings,
    suggest_key,
)
from spinecare.clinical.triage.conversation import Conversation, provisional_notice
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.interview import Question
from spinecare.clinical.triage.result import TriageResult
from spinecare.clinical.vocabulary import VOCABULARY
from spinecare.services import audit
from spinecare.services.access import (
    read_record,
    require_patient_readable,
    require_self_patient,
)
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput
from spinecare.services.views import TriageRecord

# One answer per finding key at most: anything longer cannot be valid, so it is refused
# before any per-key work (each unknown key would cost a spelling suggestion).
MAX_FINDINGS = len(VOCABULARY)


def too_many(given: int) -> str:
    """The one message for an over-long findings object or unsure list."""
    return (f"has {given} entries; at most {MAX_FINDINGS} are possible "
            "(one per known finding). Send each finding once.")


def build_findings(
    findings: Mapping[str, Any], age: int | None = None, sex: str | None = None
) -> Findings:
    """Validated findings with age and sex folded in; InvalidInput names each bad key."""
    if len(findings) > MAX_FINDINGS:
        # Refused before any per-key work (a flood of unknown keys once froze the server).
        raise InvalidInput({"findings": too_many(len(findings))})
    raw = dict(findings)
    problems: dict[str, str] = {}
    for key, value in (("age", age), ("sex", sex)):
        if value is None:
            continue
        if key in raw and raw[key] is not None and raw[key] != value:
            problems[f"findings.{key}"] = (
                f"says {raw[key]!r} but the top-level {key} says {value!r}: give it once"
            )
        raw[key] = value
    try:
        parsed = parse_findings(raw)
    except FindingsError as exc:
        for problem in exc.problems:
            hint = f" Did you mean '{problem.suggestion}'?" if problem.suggestion else ""
            where = problem.key if problem.key in ("age", "sex") else f"findings.{problem.key}"
            problems[where] = f"{problem.message}.{hint}" if hint else problem.message
        raise InvalidInput(problems) from exc
    if problems:
        raise InvalidInput(problems)
    return parsed


def validate_unsure(unsure: Collection[str], findings: Findings) -> frozenset[str]:
    """The findings a person answered "not sure": known keys, not also given a value."""
    unique = list(dict.fromkeys(unsure))
    if len(unique) > MAX_FINDINGS:
        raise InvalidInput({"unsure": too_many(len(unique))})
    problems: dict[str, str] = {}
    unknown = 0
    for key in unique:
        if key not in VOCABULARY:
            unknown += 1
            suggestion = suggest_key(key) if unknown <= MAX_SUGGESTIONS else None
            hint = f" Did you mean '{suggestion}'?" if suggestion else ""
            problems[f"unsure.{key}"] = f"is not a known finding.{hint}"
        elif key in findings:
            problems[f"unsure.{key}"] = (
                f"also has the answer {findings[key]!r} in findings: give one or the other"
            )
    if problems:
        raise InvalidInput(problems)
    return frozenset(unique)


@dataclass(frozen=True, slots=True)
class TriageOutcome:
    """What a symptom check gives back: the engine's result, the notice to show while it
    is provisional (None when final), and the id of the saved check (None: not stored)."""

    result: TriageResult
    provisional_notice: str | None
    saved_check_id: int | None = None

    @classmethod
    def of(cls, result: TriageResult, saved_check_id: int | None = None) -> TriageOutcome:
        return cls(result, provisional_notice(result), saved_check_id)

    @property
    def provisional(self) -> bool:
        """Warning-sign questions that apply are still open: never show it as final."""
        return self.provisional_notice is not None

    def to_dict(self) -> dict[str, Any]:
        """The answer to a check as every door gives it: ``POST /api/v1/triage`` (its
        ``TriageResponse``) and ``spinecare check --json``: the result, then what the
        check adds (a contract test holds the two doors to the same document)."""
        return {**self.result.to_dict(), "provisional": self.provisional,
                "provisional_notice": self.provisional_notice,
                "saved_check_id": self.saved_check_id}


def new_session(patient_id: int, findings: Findings, result: TriageResult,
                created_at: datetime | None = None) -> TriageSession:
    """The stored row of a check: the result as ``to_dict`` gives it (read back with
    ``TriageResult.from_dict``) and the columns the history lists and sorts by."""
    row = TriageSession(
        patient_id=patient_id,
        findings=findings.as_dict(),
        level=result.level.value,
        top_condition=result.top_condition,
        complete=result.complete,
        result=result.to_dict(),
        knowledge_version=result.knowledge_version,
    )
    if created_at is not None:
        row.created_at = created_at
    return row


class TriageService:
    def __init__(self, db: Database, engine: TriageEngine, country: str = ""):
        # The process's one engine (stateless, thread-safe), built by bootstrap.
        self.db = db
        self.engine = engine
        self.country = country

    def evaluate(self, findings: Findings, unsure: Collection[str] = ()) -> TriageResult:
        """The engine's result for the app's country. Stores nothing. ``unsure``: findings
        the person answered "not sure" (never read as "no" for an emergency sign); the
        result keeps them (``result.unsure``) so a check can be reproduced."""
        return self.engine.evaluate(findings, country=self.country, unsure=unsure)

    def result_of(self, conversation: Conversation) -> TriageResult:
        """The result of an interview so far: its findings, and its "not sure" keys with
        the emergency signs the person's words left unclear (never read as "no")."""
        return self.evaluate(conversation.findings(), conversation.unsure_for_result())

    def next_question(self, conversation: Conversation) -> Question | None:
        """The interview's next question with this engine (None: the interview is over)."""
        return conversation.next_question(self.engine)

    def check(self, actor: Actor, findings: Findings,
              unsure: Collection[str] = ()) -> TriageOutcome:
        """Evaluate; a signed-in patient's check is saved (``saved_check_id``)."""
        result = self.evaluate(findings, unsure)
        if not actor.is_patient:
            return TriageOutcome.of(result)
        return TriageOutcome.of(result, self._save(actor, findings, result))

    def save(self, actor: Actor, findings: Findings,
             unsure: Collection[str] = ()) -> TriageOutcome:
        """Evaluate and save for the signed-in patient (the web interview's last step)."""
        require_self_patient(actor)
        result = self.evaluate(findings, unsure)
        return TriageOutcome.of(result, self._save(actor, findings, result))

    def _save(self, actor: Actor, findings: Findings, result: TriageResult) -> int:
        patient_id = require_self_patient(actor)
        with self.db.transaction() as session:
            repos = Repositories(session)
            row = repos.triage.add(new_session(patient_id, findings, result))
            audit.record(
                repos, actor, "create", "triage_session", resource_id=row.id,
                patient_id=patient_id,  # no level: the audit log never holds health data
            )
            return row.id

    def history(self, actor: Actor, patient_id: int) -> list[TriageRecord]:
        with self.db.transaction() as session:
            repos = Repositories(session)
            require_patient_readable(repos, actor, patient_id)
            rows = [TriageRecord.of(r) for r in repos.triage.for_patient(patient_id)]
            audit.record(repos, actor, "read", "triage_history", patient_id=patient_id)
            return rows

    def get(self, actor: Actor, session_id: int) -> TriageRecord:
        with self.db.transaction() as session:
            repos = Repositories(session)
            row = read_record(repos, actor, repos.triage.get(session_id), "triage_session",
                              f"No symptom check with id {session_id}.")
            return TriageRecord.of(row)
