"""The triage result: what the engine returns for one set of findings.

Plain frozen dataclasses (not pydantic) because the engine runs tens of thousands
of times per second; ``to_dict`` gives the JSON shape used by the API and CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spinecare.clinical.rules.levels import Level


@dataclass(slots=True)
class Reason:
    rule_id: str
    level: Level
    text: str
    references: tuple[str, ...]
    findings: tuple[str, ...] = ()


@dataclass(slots=True)
class ConditionScore:
    id: str
    name: str
    score: float           # points on the condition's own evidence scale, higher = more likely
    likelihood: str        # "likely", "possible" or "unlikely"
    supporting: tuple[str, ...]
    against: tuple[str, ...]
    references: tuple[str, ...]
    explanation: str = ""


@dataclass(slots=True)
class OpenQuestion:
    finding: str
    question: str
    why: str
    rule_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class Advice:
    level: Level
    headline: str
    do_now: tuple[str, ...]
    watch_for: tuple[str, ...]
    emergency_number: str
    emergency_note: str


@dataclass(slots=True)
class ClinicalScore:
    """A published score computed from the known items only (missing items listed)."""

    id: str
    name: str
    points: float
    max_possible: float
    cutoff: float | None
    positive: bool | None      # None: cannot decide because items are missing
    missing_items: tuple[str, ...]
    references: tuple[str, ...]
    note: str = ""


@dataclass(slots=True)
class TriageResult:
    level: Level
    complete: bool                 # False while red-flag questions are still open
    reasons: tuple[Reason, ...]
    conditions: tuple[ConditionScore, ...]
    open_questions: tuple[OpenQuestion, ...]
    advice: Advice
    knowledge_version: str
    scores: tuple[ClinicalScore, ...] = field(default_factory=tuple)
    disclaimer: str = (
        "This is not a diagnosis. It is decision support based on published criteria; "
        "a clinician who examines you may reach a different conclusion."
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and CLI (written out by hand: ``asdict`` deep-copies
        and costs more than the evaluation itself)."""
        a = self.advice
        return {
            "level": self.level.value,
            "complete": self.complete,
            "reasons": [
                {"rule_id": r.rule_id, "level": r.level.value, "text": r.text,
                 "references": list(r.references), "findings": list(r.findings)}
                for r in self.reasons
            ],
            "conditions": [
                {"id": c.id, "name": c.name, "score": c.score, "likelihood": c.likelihood,
                 "supporting": list(c.supporting), "against": list(c.against),
                 "references": list(c.references), "explanation": c.explanation}
                for c in self.conditions
            ],
            "open_questions": [
                {"finding": q.finding, "question": q.question, "why": q.why,
                 "rule_ids": list(q.rule_ids)}
                for q in self.open_questions
            ],
            "advice": {
                "level": a.level.value, "headline": a.headline, "do_now": list(a.do_now),
                "watch_for": list(a.watch_for), "emergency_number": a.emergency_number,
                "emergency_note": a.emergency_note,
            },
            "knowledge_version": self.knowledge_version,
            "scores": [
                {"id": s.id, "name": s.name, "points": s.points,
                 "max_possible": s.max_possible, "cutoff": s.cutoff, "positive": s.positive,
                 "missing_items": list(s.missing_items), "references": list(s.references),
                 "note": s.note}
                for s in self.scores
            ],
            "disclaimer": self.disclaimer,
        }

    @property
    def top_condition(self) -> str | None:
        return self.conditions[0].id if self.conditions else None
