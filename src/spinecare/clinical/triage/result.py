"""The triage result: what the engine returns for one set of findings.

Plain frozen dataclasses (not pydantic) because the engine runs tens of thousands
of times per second; ``to_dict`` gives the JSON shape used by the API and CLI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from spinecare.clinical.triage.levels import Level


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
        return asdict(self)

    @property
    def top_condition(self) -> str | None:
        return self.conditions[0].id if self.conditions else None
