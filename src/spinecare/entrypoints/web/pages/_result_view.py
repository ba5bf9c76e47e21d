"""Turn a TriageResult into what the result template shows.

Kept apart from the routes so the saved-check page, the anonymous result and the
clinician's patient page all word a result the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spinecare.clinical.evidence import EVIDENCE_LEVELS, Reference, ReferenceRegistry
from spinecare.clinical.rules.levels import LEVEL_MEANING
from spinecare.clinical.triage.conversation import PROVISIONAL_HEADLINE
from spinecare.clinical.triage.result import (
    Advice,
    ClinicalScore,
    ConditionScore,
    OpenQuestion,
    Reason,
    TriageResult,
)
from spinecare.clinical.vocabulary import VOCABULARY

LEVEL_LABEL: dict[str, str] = {
    "emergency": "Emergency",
    "urgent": "Urgent",
    "routine": "Routine appointment",
    "self_care": "Self-care",
}

LEVEL_TITLE: dict[str, str] = {
    "emergency": "Call the emergency number now",
    "urgent": "See a doctor within 24 to 48 hours",
    "routine": "Book an ordinary appointment",
    "self_care": "You can look after this at home for now",
}


@dataclass(frozen=True, slots=True)
class CitedReference:
    number: int
    id: str
    citation: str
    short: str
    evidence_level: int
    evidence_text: str
    url: str


@dataclass(slots=True)
class ResultView:
    level: str
    level_title: str
    level_meaning: str
    complete: bool
    reasons: list[Reason]
    likely: list[ConditionScore]
    possible: list[ConditionScore]
    open_questions: list[OpenQuestion]
    scores: list[ClinicalScore]
    advice: Advice
    emergency_number: str
    emergency_note: str
    disclaimer: str
    knowledge_version: str
    references: dict[str, CitedReference] = field(default_factory=dict)
    provisional_headline: str = PROVISIONAL_HEADLINE

    @property
    def provisional(self) -> bool:
        """Open warning-sign questions: the result must never be shown as if final."""
        return not self.complete and self.level != "emergency"


def _cite(
    ref_ids: Iterable[str], cited: dict[str, CitedReference], registry: ReferenceRegistry
) -> None:
    for rid in ref_ids:
        if rid in cited:
            continue
        ref: Reference | None = registry.get(rid)
        if ref is None:
            continue  # an unknown id is caught by the registry tests, not shown to patients
        cited[rid] = CitedReference(
            number=len(cited) + 1,
            id=ref.id,
            citation=ref.citation,
            short=ref.short,
            evidence_level=ref.evidence_level,
            evidence_text=EVIDENCE_LEVELS[ref.evidence_level],
            url=ref.url,
        )


def build_result_view(result: TriageResult, registry: ReferenceRegistry) -> ResultView:
    """The wording of a fresh result or a saved one (read back with ``from_dict``);
    ``registry`` is the app's (``Spinecare.references``)."""
    cited: dict[str, CitedReference] = {}
    for references in (*(r.references for r in result.reasons),
                       *(c.references for c in result.conditions),
                       *(s.references for s in result.scores)):
        _cite(references, cited, registry)
    level = result.level.value
    advice = result.advice
    return ResultView(
        level=level,
        level_title=LEVEL_TITLE.get(level, level),
        level_meaning=LEVEL_MEANING[result.level],
        complete=result.complete,
        reasons=list(result.reasons),
        likely=[c for c in result.conditions if c.likelihood == "likely"],
        possible=[c for c in result.conditions if c.likelihood == "possible"],
        open_questions=list(result.open_questions),
        scores=list(result.scores),
        advice=advice,
        emergency_number=advice.emergency_number,
        emergency_note=advice.emergency_note,
        disclaimer=result.disclaimer,
        knowledge_version=result.knowledge_version,
        references=cited,
    )


def findings_rows(findings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(plain-language finding, answer) pairs for showing what a result was based on."""
    rows = []
    for key, value in findings.items():
        defn = VOCABULARY.get(key)
        label = defn.meaning if defn else key.replace("_", " ")
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif defn is not None and defn.unit:
            shown = f"{value:g} {defn.unit}" if isinstance(value, float) else f"{value} {defn.unit}"
        else:
            shown = str(value)
        rows.append((label[:1].upper() + label[1:], shown))
    return rows


def top_condition_name(result: TriageResult | None) -> str:
    """The leading condition of a saved result, worded without claiming a diagnosis."""
    if result is None or not result.conditions:
        return "No particular condition stood out"
    first = result.conditions[0]
    name = (first.name or first.id).replace("_", " ")
    return f"May be {name[:1].lower() + name[1:]}"
