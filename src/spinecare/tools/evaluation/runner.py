"""Run the engine over vignettes in structured, free-text or conversation mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spinecare.clinical.findings import Findings, parse_findings
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.tools.evaluation.conversation import Intake, converse
from spinecare.tools.evaluation.metrics import CaseOutcome, TriageReport
from spinecare.tools.evaluation.vignettes import LineError, Vignette, person_findings

Extractor = Callable[[str], dict[str, Any]]
MODES = ("structured", "text", "conversation")


def findings_for(case: Vignette, mode: str, extract: Extractor | None) -> Findings:
    person = person_findings(case.age, case.sex)
    if mode == "structured":
        if case.findings is None:
            raise ValueError(f"{case.id}: no structured 'findings' for structured mode")
        return case.findings
    if extract is None:
        raise ValueError("text mode needs the free-text extractor")
    # Text mode: only what the words say; unanswered red-flag questions stay open.
    return parse_findings({**extract(case.free_text), **person})


def run(
    engine: TriageEngine,
    cases: list[Vignette],
    mode: str = "structured",
    extract: Extractor | None = None,
    errors: list[LineError] | None = None,
    progress: Callable[[], None] | None = None,
    intake: Intake | None = None,
) -> TriageReport:
    """Score ``cases``. Text mode needs ``extract`` (words -> findings); conversation mode
    needs ``intake`` (words -> findings and the keys the words left unclear)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    outcomes: list[CaseOutcome] = []
    problems = [str(e) for e in errors or []]
    if mode == "conversation" and intake is None:
        raise ValueError("conversation mode needs the free-text intake")
    for case in cases:
        transcript: dict[str, Any] | None = None
        try:
            if mode == "conversation":
                assert intake is not None
                result, record = converse(engine, case, intake)
                transcript = record.to_dict()
                problems.extend(f"line {case.line}: {case.id}: {p}" for p in record.problems)
            else:
                result = engine.evaluate(findings_for(case, mode, extract))
        except ValueError as exc:
            problems.append(f"line {case.line}: {exc}")
            continue
        outcomes.append(
            CaseOutcome(
                id=case.id, gold_triage=case.gold_triage, predicted=result.level,
                gold_condition=case.gold_condition,
                ranked_conditions=tuple(c.id for c in result.conditions),
                complete=result.complete,
                open_questions=tuple(q.finding for q in result.open_questions),
                rule_ids=tuple(r.rule_id for r in result.reasons),
                transcript=transcript,
            )
        )
        if progress:
            progress()
    return TriageReport(mode, outcomes, problems)
