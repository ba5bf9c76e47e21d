"""Use case: run the treatment decision aid (load the option grid, evaluate, combine).

The clinical core stays pure; this module reads the content files once and
checks every reference id against the registry, so a broken grid fails loudly
at start-up rather than showing a person an option without its evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from spinecare.adapters.library.references import load_references
from spinecare.clinical.decision import (
    RULES_VERSION,
    DecisionInputError,
    DecisionResult,
    OptionGrid,
    evaluate,
    parse_decision_input,
    parse_grid,
)
from spinecare.clinical.decision.inputs import signs_only
from spinecare.clinical.decision.pathway import warning_sign_result
from spinecare.clinical.evidence import Reference, ReferenceRegistry
from spinecare.clinical.triage.knowledge.emergency_numbers import emergency_contact
from spinecare.paths import CONTENT_DIR

TREATMENTS_DIR = CONTENT_DIR / "treatments"


@lru_cache(maxsize=1)
def load_grid(directory: Path = TREATMENTS_DIR) -> OptionGrid:
    options = yaml.safe_load((directory / "options.yaml").read_text(encoding="utf-8"))
    questions = yaml.safe_load((directory / "questions.yaml").read_text(encoding="utf-8"))
    return parse_grid(options, questions, load_references())


def knowledge_version(grid: OptionGrid) -> str:
    return f"{RULES_VERSION}+grid-{grid.version}"


@dataclass(frozen=True, slots=True)
class DecisionReport:
    """The result with the content a person reads: grid rows and cited references."""

    result: DecisionResult
    grid: OptionGrid
    references: tuple[Reference, ...]
    knowledge_version: str

    def rows(self) -> list[dict[str, Any]]:
        """One row per option, in the grid's order, merged with its status."""
        rows = []
        by_id = {o.option_id: o for o in self.result.options}
        for option in self.grid.options:
            assessment = by_id.get(option.id)
            row = option.to_dict()
            row["condition_note"] = option.note_for(self.result.input.condition)
            row["assessment"] = assessment.to_dict() if assessment else None
            rows.append(row)
        return rows

    def values_answers(self) -> list[dict[str, str]]:
        answers = self.result.input.values
        return [
            {
                "id": q.id,
                "text": q.text,
                "answer": answers.get(q.id, ""),
                "answer_label": self.grid.scale_label(answers[q.id]) if q.id in answers else "",
            }
            for q in self.grid.values
        ]

    def to_dict(self) -> dict[str, Any]:
        data = self.result.to_dict()
        data["knowledge_version"] = self.knowledge_version
        data["option_grid"] = [] if self.result.bypassed else self.rows()
        data["values_questions"] = self.values_answers()
        data["surgeon_questions"] = list(self.grid.surgeon_questions)
        data["references"] = [
            {"id": r.id, "citation": r.citation, "evidence_level": r.evidence_level,
             "type": r.type.value, "url": r.url}
            for r in self.references
        ]
        return data


def _cited(result: DecisionResult, grid: OptionGrid, registry: ReferenceRegistry) -> list[str]:
    ids = [r for reason in result.stage_reasons for r in reason.references]
    ids += [r for o in result.options for r in o.references]
    ids += [r for n in result.notes for r in n.references]
    if not result.bypassed:
        ids += [r for option in grid.options for r in option.references]
    return [r for r in dict.fromkeys(ids) if r in registry]


def decide(raw: Mapping[str, Any], *, country: str = "") -> DecisionReport:
    """Validate ``raw`` (raises DecisionInputError) and build the full report.

    Every warning sign must be answered (yes, no or not sure); unanswered ones are a
    DecisionInputError on the field ``warning_signs`` unless the answered ones already
    stop the aid.

    ``country`` (ISO alpha-2, from settings) picks the emergency number shown.
    """
    emergency_number = emergency_contact(country).number
    grid = load_grid()
    registry = load_references()
    try:
        inp = parse_decision_input(raw, value_questions=grid.value_answers())
    except DecisionInputError:
        # Never hide a warning sign behind a mistake elsewhere (or behind unanswered
        # signs): a sign that leads to emergency or urgent advice still gives it.
        partial = signs_only(raw)
        flagged = None if partial is None else warning_sign_result(
            partial, emergency_number=emergency_number)
        if flagged is None:
            raise
        result = flagged
    else:
        result = evaluate(inp, emergency_number=emergency_number)
    return DecisionReport(
        result=result,
        grid=grid,
        references=tuple(registry[r] for r in _cited(result, grid, registry)),
        knowledge_version=knowledge_version(grid),
    )
