"""The adaptive interview: which question to ask next.

Order, most important first:
1. age and sex, then where the symptoms are (it decides which screens apply);
2. red-flag questions that apply and are unanswered (``open_questions``), most
   time-critical first — an emergency result stops the interview at once;
3. questions that can still change the level (duration, walking distance …),
   found by trying each possible answer;
4. the question whose answer best separates the leading conditions (largest
   expected fall in the entropy of the condition ranking).
It stops when the level is settled and the leading condition is clear, or when no
remaining question would change anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spinecare.clinical.findings import Findings
from spinecare.clinical.knowledge.conditions import CONDITIONS, POSSIBLE
from spinecare.clinical.knowledge.screening import LOCATION_KEYS
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.levels import Level
from spinecare.clinical.vocabulary import VOCABULARY, FindingType


@dataclass(frozen=True, slots=True)
class Question:
    finding: str          # the FINDINGS.md key the answer sets
    text: str             # plain-language question
    help: str             # why we ask / how to answer
    kind: str             # "bool", "number" or "choice"
    reason: str           # why this question now (red-flag screen, separating conditions …)
    red_flag: bool        # part of the red-flag screen
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()


# Representative answers for number questions when testing whether they matter.
_PROBE_VALUES: dict[str, tuple[float, ...]] = {
    "duration_weeks": (1.0, 8.0, 26.0),
    "walking_distance_m": (200.0, 1500.0),
    "pain_score": (4.0, 9.0),
    "leg_pain_score": (4.0, 9.0),
    "conservative_care_weeks": (2.0, 16.0),
}
# Softmax temperature (points) for turning condition scores into a ranking distribution.
_TEMPERATURE = 2.0
# Stop separating conditions when the leader holds this share, or the best question
# would reduce uncertainty by less than this many bits.
_CLEAR_LEADER = 0.8
_MIN_GAIN_BITS = 0.05


def question_for(key: str, reason: str, red_flag: bool = False, why: str = "") -> Question:
    d = VOCABULARY[key]
    kind = {FindingType.BOOL: "bool", FindingType.CHOICE: "choice"}.get(d.type, "number")
    return Question(
        finding=key, text=d.question or d.meaning, help=d.help or why, kind=kind,
        reason=reason, red_flag=red_flag, minimum=d.minimum, maximum=d.maximum, unit=d.unit,
        choices=d.choices,
    )


@lru_cache(maxsize=1)
def _default_engine() -> TriageEngine:
    return TriageEngine()


def _candidate_keys() -> tuple[str, ...]:
    keys: set[str] = set()
    for cond in CONDITIONS:
        for feat in cond.features:
            keys |= feat.when.keys()
        for lr in cond.level_rules:
            keys |= lr.when.keys()
    return tuple(sorted(k for k in keys if not VOCABULARY[k].clinician_only))


_CANDIDATES = _candidate_keys()


def _entropy(scores: list[float]) -> tuple[float, float]:
    """Entropy (bits) of the softmax over condition scores, and the leader's share."""
    top = max(scores)
    weights = [math.exp((s - top) / _TEMPERATURE) for s in scores]
    total = sum(weights)
    probs = [w / total for w in weights]
    return -sum(p * math.log2(p) for p in probs if p > 0), max(probs)


def _answers(key: str) -> tuple[Any, ...]:
    d = VOCABULARY[key]
    if d.type is FindingType.BOOL:
        return (True, False)
    if d.type is FindingType.CHOICE:
        return d.choices
    return _PROBE_VALUES.get(key, ())


def next_question(findings: Findings, engine: TriageEngine | None = None) -> Question | None:
    """The next most useful question, or None when the level and leading condition are settled."""
    engine = engine or _default_engine()
    f = findings.data
    result = engine.evaluate(findings)
    if result.level is Level.EMERGENCY:
        return None  # nothing can be more urgent: stop and act

    for key in ("age", "sex"):
        if key not in f:
            return question_for(key, "Age and sex change which causes are likely.")
    for key in LOCATION_KEYS:
        if key not in f:
            return question_for(key, "Where the symptoms are decides which checks apply.")

    if result.open_questions:
        oq = result.open_questions[0]
        return question_for(oq.finding, "Safety check: " + oq.why, red_flag=True, why=oq.why)

    level_q = _level_question(engine, f, result.level)
    if level_q is not None:
        return level_q
    return _separating_question(engine, f)


def _level_question(engine: TriageEngine, f: Mapping[str, Any], level: Level) -> Question | None:
    """An unanswered question one of whose answers would change the level."""
    scores = engine.condition_scores(f)
    possible = {c.id for c, s in zip(CONDITIONS, scores, strict=True) if s >= POSSIBLE}
    keys: list[str] = []
    for cond in CONDITIONS:
        if cond.id in possible:
            for lr in cond.level_rules:
                keys.extend(k for k in sorted(lr.when.keys()) if k not in keys)
    for key in keys:
        if key in f or VOCABULARY[key].clinician_only:
            continue
        for value in _answers(key):
            trial = Findings({**f, key: value})
            if engine.evaluate(trial).level != level:
                return question_for(key, "Your answer decides how soon you should be seen.")
    return None


def _separating_question(engine: TriageEngine, f: Mapping[str, Any]) -> Question | None:
    scores = engine.condition_scores(f)
    h_now, leader = _entropy(scores)
    if leader >= _CLEAR_LEADER:
        return None
    best_key, best_gain = None, _MIN_GAIN_BITS
    for key in _CANDIDATES:
        if key in f:
            continue
        answers = _answers(key)
        if not answers:
            continue
        h_after = sum(_entropy(engine.condition_scores({**f, key: a}))[0] for a in answers)
        gain = h_now - h_after / len(answers)
        if gain > best_gain:
            best_key, best_gain = key, gain
    if best_key is None:
        return None
    return question_for(best_key, "This helps tell apart the most likely causes.")
