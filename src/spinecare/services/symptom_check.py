"""Symptom checks without a database: validate the findings, run the engine, the interview.

``SymptomCheckService`` is what every door's check runs on: ``TriageService``
(``services/triage.py``) adds the saved history on top of it, and ``spinecare check``, which
stores nothing, uses it alone (built by ``bootstrap.symptom_check_service``), so a check in
the terminal opens no database file and never imports SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

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
from spinecare.services.errors import InvalidInput

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



class SymptomCheckService:
    """Evaluate findings and run the interview with the process's one engine (stateless,
    thread-safe, built by bootstrap) for ``country`` (ISO alpha-2: the emergency number).
    Stores nothing."""

    def __init__(self, engine: TriageEngine, country: str = "") -> None:
        self.engine = engine
        self.country = country

    def evaluate(self, findings: Findings, unsure: Collection[str] = ()) -> TriageResult:
        """The engine's result for the service's country. Stores nothing. ``unsure``:
        findings the person answered "not sure" (never read as "no" for an emergency
        sign); the result keeps them (``result.unsure``) so a check can be reproduced."""
        return self.engine.evaluate(findings, country=self.country, unsure=unsure)

    def result_of(self, conversation: Conversation) -> TriageResult:
        """The result of an interview so far: its findings, and its "not sure" keys with
        the emergency signs the person's words left unclear (never read as "no")."""
        return self.evaluate(conversation.findings(), conversation.unsure_for_result())

    def next_question(self, conversation: Conversation) -> Question | None:
        """The interview's next question with this engine (None: the interview is over)."""
        return conversation.next_question(self.engine)
