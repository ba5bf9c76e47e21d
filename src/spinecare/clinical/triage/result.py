"""The triage result: what the engine returns for one set of findings.

Plain dataclasses (not pydantic) because the engine runs tens of thousands of times per
second. ``to_dict`` gives the JSON shape that is stored with a saved check and printed by
the CLI; ``from_dict`` reads that shape back into the same objects, so a stored result is
an object again (``from_dict(r.to_dict()) == r``, tested over every vignette and with
Hypothesis). The web layer derives the API schema from these classes (pydantic's
``TypeAdapter``), and a test holds its serialiser to ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spinecare.clinical.rules.levels import Level

DISCLAIMER = (
    "This is not a diagnosis. It is decision support based on published criteria; "
    "a clinician who examines you may reach a different conclusion."
)


@dataclass(slots=True)
class Reason:
    rule_id: str
    level: Level
    text: str
    references: tuple[str, ...]
    findings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "level": self.level.value, "text": self.text,
                "references": list(self.references), "findings": list(self.findings)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(data["rule_id"], Level(data["level"]), data["text"],
                   tuple(data["references"]), tuple(data.get("findings", ())))


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

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "score": self.score,
                "likelihood": self.likelihood, "supporting": list(self.supporting),
                "against": list(self.against), "references": list(self.references),
                "explanation": self.explanation}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConditionScore:
        return cls(data["id"], data["name"], data["score"], data["likelihood"],
                   tuple(data["supporting"]), tuple(data["against"]),
                   tuple(data["references"]), data.get("explanation", ""))


@dataclass(slots=True)
class OpenQuestion:
    finding: str
    question: str
    why: str
    rule_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"finding": self.finding, "question": self.question, "why": self.why,
                "rule_ids": list(self.rule_ids)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OpenQuestion:
        return cls(data["finding"], data["question"], data["why"],
                   tuple(data.get("rule_ids", ())))


@dataclass(slots=True)
class Advice:
    level: Level
    headline: str
    do_now: tuple[str, ...]
    watch_for: tuple[str, ...]
    emergency_number: str
    emergency_note: str

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level.value, "headline": self.headline,
                "do_now": list(self.do_now), "watch_for": list(self.watch_for),
                "emergency_number": self.emergency_number,
                "emergency_note": self.emergency_note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Advice:
        return cls(Level(data["level"]), data["headline"], tuple(data["do_now"]),
                   tuple(data["watch_for"]), data["emergency_number"],
                   data["emergency_note"])


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

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "points": self.points,
                "max_possible": self.max_possible, "cutoff": self.cutoff,
                "positive": self.positive, "missing_items": list(self.missing_items),
                "references": list(self.references), "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClinicalScore:
        return cls(data["id"], data["name"], data["points"], data["max_possible"],
                   data["cutoff"], data["positive"], tuple(data["missing_items"]),
                   tuple(data["references"]), data.get("note", ""))


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
    disclaimer: str = DISCLAIMER
    # The findings answered "not sure" that the engine took into account (sorted): never
    # read as "no", and kept with the result so a saved check can be reproduced.
    unsure: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape stored with a saved check and printed by the CLI. Written out by
        hand: ``asdict`` deep-copies and costs more than the evaluation itself."""
        return {
            "level": self.level.value,
            "complete": self.complete,
            "reasons": [r.to_dict() for r in self.reasons],
            "conditions": [c.to_dict() for c in self.conditions],
            "open_questions": [q.to_dict() for q in self.open_questions],
            "advice": self.advice.to_dict(),
            "knowledge_version": self.knowledge_version,
            "scores": [s.to_dict() for s in self.scores],
            "disclaimer": self.disclaimer,
            "unsure": list(self.unsure),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriageResult:
        """The result ``to_dict`` gave (a saved check, the CLI's JSON, an API response).

        Keys a door adds around the result (``provisional``, ``saved_check_id``) are
        ignored; keys that older saved checks lack get their defaults. A missing required
        key raises ``KeyError`` naming it.
        """
        return cls(
            level=Level(data["level"]),
            complete=data["complete"],
            reasons=tuple(Reason.from_dict(r) for r in data["reasons"]),
            conditions=tuple(ConditionScore.from_dict(c) for c in data["conditions"]),
            open_questions=tuple(OpenQuestion.from_dict(q) for q in data["open_questions"]),
            advice=Advice.from_dict(data["advice"]),
            knowledge_version=data["knowledge_version"],
            scores=tuple(ClinicalScore.from_dict(s) for s in data.get("scores", ())),
            disclaimer=data.get("disclaimer", DISCLAIMER),
            unsure=tuple(data.get("unsure", ())),
        )

    @property
    def top_condition(self) -> str | None:
        return self.conditions[0].id if self.conditions else None
