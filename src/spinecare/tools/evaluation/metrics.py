"""Triage accuracy figures exactly as FINDINGS.md lists them, plus Wilson intervals.

Under-triage: the gold level is more urgent than the predicted one. Over-triage:
less urgent. Emergency sensitivity: the share of gold emergencies predicted as
emergency (None when the file has none).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.knowledge.conditions import OPEN_SCREEN_RULE


@dataclass(slots=True)
class CaseOutcome:
    id: str
    gold_triage: Level
    predicted: Level
    gold_condition: str | None
    ranked_conditions: tuple[str, ...]
    complete: bool
    open_questions: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()
    # Conversation mode: the questions and answers (shown for wrong cases).
    transcript: dict[str, Any] | None = None

    @property
    def questions(self) -> int | None:
        """Questions asked in conversation mode (None in the other modes)."""
        return None if self.transcript is None else len(self.transcript["turns"])

    @property
    def triage_correct(self) -> bool:
        return self.predicted == self.gold_triage

    @property
    def under_triaged(self) -> bool:
        return self.predicted < self.gold_triage

    @property
    def top1(self) -> bool:
        return bool(self.ranked_conditions) and self.ranked_conditions[0] == self.gold_condition

    @property
    def top3(self) -> bool:
        return self.gold_condition in self.ranked_conditions[:3]


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95% Wilson score interval for a proportion (better than Wald for small n)."""
    if n == 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


@dataclass(slots=True)
class TriageReport:
    mode: str
    outcomes: list[CaseOutcome]
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        outs = self.outcomes
        n = len(outs)
        correct = sum(o.triage_correct for o in outs)
        emergencies = [o for o in outs if o.gold_triage is Level.EMERGENCY]
        with_condition = [o for o in outs if o.gold_condition]
        per_level: dict[str, float | None] = {}
        per_level_n: dict[str, int] = {}
        for level in Level:
            cases = [o for o in outs if o.gold_triage is level]
            per_level_n[level.value] = len(cases)
            per_level[level.value] = (
                round(sum(o.triage_correct for o in cases) / len(cases), 4) if cases else None
            )
        confusion = {
            gold.value: {pred.value: sum(1 for o in outs if o.gold_triage is gold
                                         and o.predicted is pred) for pred in Level}
            for gold in Level
        }

        def share(k: int, total: int) -> float | None:
            return round(k / total, 4) if total else None

        wrong = [o for o in outs if not o.triage_correct or (o.gold_condition and not o.top1)]
        data: dict[str, Any] = {
            "mode": self.mode,
            "n": n,
            "triage_accuracy": share(correct, n),
            "triage_accuracy_ci95": wilson_interval(correct, n),
            "under_triage": sum(o.under_triaged for o in outs),
            "over_triage": sum(o.predicted > o.gold_triage for o in outs),
            "emergency_sensitivity": share(
                sum(o.predicted is Level.EMERGENCY for o in emergencies), len(emergencies)),
            "emergency_sensitivity_ci95": wilson_interval(
                sum(o.predicted is Level.EMERGENCY for o in emergencies), len(emergencies)),
            "per_level_accuracy": per_level,
            "per_level_n": per_level_n,
            "top1_condition_accuracy": share(sum(o.top1 for o in with_condition),
                                             len(with_condition)),
            "top3_condition_accuracy": share(sum(o.top3 for o in with_condition),
                                             len(with_condition)),
            "incomplete_results": sum(not o.complete for o in outs),
            # Gold self-care held at routine only by the safety gate (an emergency screening
            # question left unanswered): self-care once those questions are answered "no".
            "self_care_pending_screen": sum(
                1 for o in outs if o.gold_triage is Level.SELF_CARE
                and o.predicted is Level.ROUTINE and o.rule_ids[:1] == (OPEN_SCREEN_RULE.id,)),
            "confusion_matrix": confusion,
            "wrong_cases": [
                {
                    "id": o.id,
                    "gold_triage": o.gold_triage.value,
                    "predicted_triage": o.predicted.value,
                    "gold_condition": o.gold_condition,
                    "predicted_conditions": list(o.ranked_conditions[:3]),
                    "rules": list(o.rule_ids),
                    "open_questions": list(o.open_questions),
                }
                for o in wrong
            ],
            "malformed_lines": list(self.errors),
        }
        asked = [o.questions for o in outs if o.questions is not None]
        if self.mode == "conversation":
            data["questions_mean"] = round(statistics.fmean(asked), 2) if asked else None
            data["questions_median"] = statistics.median(asked) if asked else None
            data["questions_max"] = max(asked) if asked else None
            data["transcripts"] = {o.id: o.transcript for o in wrong if o.transcript is not None}
        return data
