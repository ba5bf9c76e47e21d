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

import itertools
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from spinecare.clinical.findings import Findings
from spinecare.clinical.rules.codegen import compile_predicate
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.rules.predicates import Pred, any_of
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import TriageKnowledge
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
# A level rule is tried only while at most this many of its keys are unknown (the answers
# tried grow as a product; 5 keys is at most a few dozen evaluations). RAD-EARLY has 5.
_MAX_UNKNOWN = 5
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


# How many leading conditions the separating question tries to tell apart.
_LEADERS = 3


def _feature_keys(knowledge: TriageKnowledge, cond_index: int) -> tuple[str, ...]:
    """The keys a condition's features read that the person can be asked, leaving out
    red-flag keys (those belong to the screen, not to separating conditions)."""
    keys: set[str] = set()
    for feat in knowledge.conditions[cond_index].features:
        keys |= feat.when.keys()
    return tuple(sorted(k for k in keys if not VOCABULARY[k].clinician_only
                        and k not in knowledge.red_flag_keys))


@dataclass(frozen=True, slots=True)
class _Region:
    """A body region: whether it has symptoms, and the questions whose "no" to every one
    says it has none."""

    has_symptoms: Callable[[Mapping[str, Any]], bool]
    anchors: tuple[str, ...]


def _region(name: str, symptoms: Pred, anchors: tuple[str, ...]) -> _Region:
    return _Region(compile_predicate(symptoms, f"region {name}"), anchors)


# Questions about a body region make sense only when that region has symptoms
# (no "does the leg pain go below the knee?" after "no leg pain").
_LEG = _region("leg", any_of("leg_pain", "buttock_pain", "numbness_tingling_legs",
                             "leg_symptoms_walking", "leg_symptoms_bilateral",
                             "leg_symptoms_standing"),
               ("leg_pain", "numbness_tingling_legs"))
_ARM = _region("arm", any_of("arm_pain", "numbness_tingling_arms_hands"),
               ("arm_pain", "numbness_tingling_arms_hands"))
_NECK = _region("neck", any_of("neck_pain", "arm_pain", "numbness_tingling_arms_hands"),
                ("neck_pain", "arm_pain"))
_REGION_OF: dict[str, _Region] = {
    **{k: _LEG for k in (
        "leg_pain_below_knee", "leg_pain_worse_than_back", "calf_pain_predominant",
        "leg_symptoms_bilateral", "leg_symptoms_walking", "leg_symptoms_standing",
        "relief_sitting_or_flexion", "relief_standing_still", "shopping_cart_sign",
        "cycling_tolerated", "leg_symptoms_cycling", "walking_distance_m", "leg_pain_score",
        "burning_feet_stocking_distribution", "symptoms_constant_regardless_of_posture",
        "alternating_buttock_pain")},
    **{k: _ARM for k in ("arm_pain_below_elbow", "arm_symptoms_with_neck_movement")},
    "neck_extension_worsens": _NECK,
}


def _fits_region(key: str, f: Mapping[str, Any]) -> bool:
    region = _REGION_OF.get(key)
    if region is None or region.has_symptoms(f):
        return True
    # A region is known to be free of symptoms only when its main questions were "no".
    return not all(f.get(anchor) is False for anchor in region.anchors)


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


def next_question(
    findings: Findings,
    engine: TriageEngine,
    skipped: Collection[str] = (),
) -> Question | None:
    """The next most useful question, or None when the level and leading condition are settled.

    ``skipped`` holds the findings the person answered "not sure": they stay unknown
    (a skipped red-flag question stays open in the result) and are not asked again.
    The questions come from the engine's knowledge.
    """
    f = findings.data
    # The "not sure" floor (engine.evaluate(..., unsure=skipped)) never reaches emergency,
    # so the questions are chosen on what is known: they still settle the level beneath it.
    result = engine.evaluate(findings)
    if result.level is Level.EMERGENCY:
        return None  # nothing can be more urgent: stop and act
    done = set(f) | set(skipped)

    for key in ("age", "sex"):
        if key not in done:
            return question_for(key, "Age and sex change which causes are likely.")
    for key in engine.knowledge.location_keys:
        if key not in done:
            return question_for(key, "Where the symptoms are decides which checks apply.")

    for oq in result.open_questions:
        if oq.finding not in done:
            return question_for(oq.finding, "Safety check: " + oq.why, red_flag=True,
                                why=oq.why)

    scores = engine.condition_scores(f)
    level_q = _level_question(engine, f, result.level, done, scores)
    if level_q is not None:
        return level_q
    return _separating_question(engine, f, done, scores)


def _level_question(
    engine: TriageEngine, f: Mapping[str, Any], level: Level, done: set[str],
    scores: list[float],
) -> Question | None:
    """An unanswered question whose answer (with the rest of its rule) could change the level."""
    k = engine.knowledge
    key_sets = [lr.when.keys() for cond, score in zip(k.conditions, scores, strict=True)
                if score >= k.possible for lr in cond.level_rules]
    # When no condition is possible the benign fallback decides, and whether the pain is
    # persistent (how long, improving, worse) can move it from self-care to routine.
    if not key_sets and level <= Level.ROUTINE:
        key_sets.append(k.persistent.keys())
    for keys in key_sets:
        unknown = [k for k in sorted(keys)
                   if k not in done and not VOCABULARY[k].clinician_only
                   and _fits_region(k, f)]
        if not unknown or len(unknown) > _MAX_UNKNOWN:
            continue
        for combo in itertools.product(*(_answers(k) for k in unknown)):
            trial = Findings({**f, **dict(zip(unknown, combo, strict=True))})
            if engine.evaluate(trial).level != level:
                return question_for(unknown[0],
                                    "Your answer decides how soon you should be seen.")
    return None


def _leaders(knowledge: TriageKnowledge, scores: list[float]) -> list[int]:
    """The leading conditions of the non-serious differential (serious ones are screened)."""
    benign = [i for i, c in enumerate(knowledge.conditions) if not c.serious]
    return sorted(benign, key=lambda i: -scores[i])[:_LEADERS]


def _separating_question(
    engine: TriageEngine, f: Mapping[str, Any], done: set[str], scores: list[float]
) -> Question | None:
    knowledge = engine.knowledge
    leaders = _leaders(knowledge, scores)
    h_now, leader = _entropy([scores[i] for i in leaders])
    if leader >= _CLEAR_LEADER and scores[leaders[0]] >= knowledge.possible:
        return None
    candidates = dict.fromkeys(k for i in leaders for k in _feature_keys(knowledge, i)
                               if k not in done and _fits_region(k, f))
    best_key, best_gain = None, _MIN_GAIN_BITS
    for key in candidates:
        answers = _answers(key)
        if not answers:
            continue
        h_after = 0.0
        for a in answers:
            trial = engine.condition_scores({**f, key: a})
            h_after += _entropy([trial[i] for i in leaders])[0]
        gain = h_now - h_after / len(answers)
        if gain > best_gain:
            best_key, best_gain = key, gain
    if best_key is None:
        return None
    return question_for(best_key, "This helps tell apart the most likely causes.")
