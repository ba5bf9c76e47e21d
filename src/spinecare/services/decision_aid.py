"""Use case: run the treatment decision aid (load the option grid, evaluate, combine).

The clinical core stays pure; ``DecisionAidService`` reads the content files once (on
first use) and checks every reference id against the registry and the answer scale
against the one the API's schema names, so a broken grid fails loudly rather than
showing a person an option without its evidence.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from spinecare.adapters.library.references import load_references
from spinecare.clinical.decision import (
    RULES_VERSION,
    DecisionInputError,
    DecisionResult,
    GridError,
    OptionGrid,
    evaluate,
    parse_decision_input,
    parse_grid,
)
from spinecare.clinical.decision.inputs import signs_only
from spinecare.clinical.decision.pathway import warning_sign_result
from spinecare.clinical.decision.red_flags import Urgency, sign_urgencies
from spinecare.clinical.evidence import Reference, ReferenceRegistry
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge.emergency_numbers import emergency_contact
from spinecare.paths import CONTENT_DIR

TREATMENTS_DIR = CONTENT_DIR / "treatments"
# The values answers the API's request schema names (``web/api/decide.py``): the content's
# scale must be exactly these, in this order.
VALUE_ANSWERS = ("a_lot", "somewhat", "not_much")


def load_grid(
    directory: Path = TREATMENTS_DIR, *, references: ReferenceRegistry | None = None
) -> OptionGrid:
    """Read and check the option grid. Reads the files each time: hold the result (the
    service does). Raises ``GridError``."""
    options = yaml.safe_load((directory / "options.yaml").read_text(encoding="utf-8"))
    questions = yaml.safe_load((directory / "questions.yaml").read_text(encoding="utf-8"))
    registry = references if references is not None else load_references()
    grid = parse_grid(options, questions, registry)
    scale = tuple(answer for answer, _label in grid.scale)
    if scale != VALUE_ANSWERS:
        raise GridError(f"questions: the answer scale must be {list(VALUE_ANSWERS)} (the "
                        f"API's schema names them), got {list(scale)}")
    return grid


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


class DecisionAidService:
    """The decision aid over one option grid, loaded on first use and then kept.

    Bootstrap wires every piece (``decision_aid_service``): ``engine`` (the process's
    triage engine, or a function that gives it) says what the warning signs lead to;
    ``grid`` is a loaded grid or a function that loads it; ``references`` gives the
    registry the report cites from; ``country`` (ISO alpha-2, from settings) picks the
    emergency number shown unless a call names another.
    """

    def __init__(
        self,
        grid: OptionGrid | Callable[[], OptionGrid],
        *,
        engine: TriageEngine | Callable[[], TriageEngine],
        references: Callable[[], ReferenceRegistry],
        country: str = "",
    ) -> None:
        self._engine = engine
        self._source = grid
        self._grid: OptionGrid | None = grid if isinstance(grid, OptionGrid) else None
        self._references = references
        self._lock = threading.Lock()
        self._urgencies: dict[str, Urgency] | None = None
        self.country = country

    @property
    def grid(self) -> OptionGrid:
        """The option grid, values questions and questions for the surgeon."""
        if self._grid is None:
            with self._lock:
                if self._grid is None:
                    source = self._source
                    assert callable(source)
                    self._grid = source()
        return self._grid

    @property
    def knowledge_version(self) -> str:
        return knowledge_version(self.grid)

    @property
    def engine(self) -> TriageEngine:
        return self._engine if isinstance(self._engine, TriageEngine) else self._engine()

    def sign_urgencies(self) -> dict[str, Urgency]:
        """How urgent each warning sign is on its own, as the triage rules say (the form
        groups the signs by it). Worked out once per service (one engine evaluation per
        sign: not on every request), then a copy is handed out."""
        if self._urgencies is None:
            with self._lock:
                if self._urgencies is None:
                    self._urgencies = sign_urgencies(self.engine)
        return dict(self._urgencies)

    def stops_the_aid(self, raw: Mapping[str, Any]) -> bool:
        """True when the warning-sign answers in ``raw`` (whatever else is missing or
        wrong) already lead to emergency or urgent advice: nothing else needs asking."""
        partial = signs_only(raw)
        return partial is not None and warning_sign_result(partial, self.engine) is not None

    def decide(self, raw: Mapping[str, Any], *, country: str | None = None) -> DecisionReport:
        """Validate ``raw`` (raises DecisionInputError) and build the full report.

        Every warning sign must be answered (yes, no or not sure); unanswered ones are a
        DecisionInputError on the field ``warning_signs`` unless the answered ones already
        stop the aid.
        """
        emergency_number = emergency_contact(
            self.country if country is None else country).number
        grid = self.grid
        registry = self._references()
        engine = self.engine
        try:
            inp = parse_decision_input(raw, value_questions=grid.value_answers())
        except DecisionInputError:
            # Never hide a warning sign behind a mistake elsewhere (or behind unanswered
            # signs): a sign that leads to emergency or urgent advice still gives it.
            partial = signs_only(raw)
            flagged = None if partial is None else warning_sign_result(
                partial, engine, emergency_number=emergency_number)
            if flagged is None:
                raise
            result = flagged
        else:
            result = evaluate(inp, engine, emergency_number=emergency_number)
        return DecisionReport(
            result=result,
            grid=grid,
            references=tuple(registry[r] for r in _cited(result, grid, registry)),
            knowledge_version=knowledge_version(grid),
        )
