"""Symptom checks: run the engine; for a signed-in patient, save the check to their history."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import TriageSession
from spinecare.adapters.storage.repositories import Repositories
from spinecare.clinical.findings import Findings, FindingsError, parse_findings
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
    from spinecare.clinical.findings import MAX_SUGGESTIONS, suggest_key

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


class TriageService:
    def __init__(self, db: Database, engine: Any, country: str = ""):
        # ``engine``: spinecare.clinical.triage.engine.TriageEngine (stateless, thread-safe).
        self.db = db
        self.engine = engine
        self.country = country

    def evaluate(self, findings: Findings, unsure: Collection[str] = ()) -> dict[str, Any]:
        """The engine's result as JSON-ready data. Stores nothing. ``unsure``: findings the
        person answered "not sure" (never read as "no" for an emergency sign)."""
        result = self.engine.evaluate(findings, country=self.country, unsure=unsure).to_dict()
        # Kept with the result (and so in the history) so a check can be reproduced.
        result["unsure"] = sorted(unsure)
        return result

    def check(self, actor: Actor, findings: Findings,
              unsure: Collection[str] = ()) -> tuple[dict[str, Any], int | None]:
        """Evaluate; a signed-in patient's check is saved. Returns (result, saved id or None)."""
        result = self.evaluate(findings, unsure)
        if not actor.is_patient:
            return result, None
        return result, self._save(actor, findings, result)

    def save(self, actor: Actor, findings: Findings,
             unsure: Collection[str] = ()) -> tuple[dict[str, Any], int]:
        """Evaluate and save for the signed-in patient (the web interview's last step)."""
        require_self_patient(actor)
        result = self.evaluate(findings, unsure)
        return result, self._save(actor, findings, result)

    def _save(self, actor: Actor, findings: Findings, result: dict[str, Any]) -> int:
        patient_id = require_self_patient(actor)
        conditions = result.get("conditions") or []
        with self.db.transaction() as session:
            repos = Repositories(session)
            row = repos.triage.add(
                TriageSession(
                    patient_id=patient_id,
                    findings=findings.as_dict(),
                    level=str(result["level"]),
                    top_condition=conditions[0]["id"] if conditions else None,
                    complete=bool(result.get("complete", True)),
                    # JSON-encoded by the column: tuples become lists, levels strings.
                    result=result,
                    knowledge_version=str(result.get("knowledge_version", "")),
                )
            )
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

