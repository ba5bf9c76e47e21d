"""Clinical knowledge as data (rules, conditions, questions, advice), kept apart from engines.

Every stored result records ``KNOWLEDGE_VERSION``; bump it whenever a rule,
weight, threshold or advice text changes.

``TriageKnowledge`` bundles everything the triage engine reads, so an engine is built
over the knowledge it is given (``TriageEngine(BUILTIN_KNOWLEDGE)``): a test, a clinic
or a "what if" run can build one over changed rules without touching module globals.
``BUILTIN_KNOWLEDGE`` is the knowledge of these modules; it is data, built once at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType

from spinecare.clinical.rules.predicates import Pred
from spinecare.clinical.triage.knowledge import (
    advice,
    clinical_scores,
    conditions,
    emergency_numbers,
    red_flags,
    screening,
)
from spinecare.clinical.triage.knowledge.advice import AdviceText
from spinecare.clinical.triage.knowledge.clinical_scores import ScoreDef
from spinecare.clinical.triage.knowledge.conditions import ConditionDef, LevelRule
from spinecare.clinical.triage.knowledge.emergency_numbers import EmergencyContact
from spinecare.clinical.triage.knowledge.red_flags import RedFlagRule
from spinecare.clinical.triage.knowledge.screening import ScreenQuestion
from spinecare.clinical.vocabulary import VOCABULARY, FindingDef

KNOWLEDGE_VERSION = "2026.12.1"


# eq=False: compared by identity (the fields hold dictionaries and functions).
@dataclass(frozen=True, slots=True, eq=False)
class TriageKnowledge:
    """Everything the triage engine and the interview read, as one value."""

    version: str
    rules: tuple[RedFlagRule, ...]               # red flags, checked first
    unsure_escalation: RedFlagRule               # "not sure" about an emergency sign
    unsure_escalating_keys: frozenset[str]
    conditions: tuple[ConditionDef, ...]         # the differential
    possible: float                              # points for "possible"
    likely: float                                # points for "likely"
    insufficient_rule: LevelRule                 # nothing possible, no benign fallback
    benign_fallback: LevelRule
    deficit_rule: LevelRule                      # a stable deficit
    adult_age: int
    child_rule: LevelRule                        # under ``adult_age``
    open_screen_rule: LevelRule                  # the safety gate
    # A symptom location is known when either holds; until then every screen applies.
    spinal_pain: Pred
    lumbar_or_leg: Pred
    screen: tuple[ScreenQuestion, ...]           # red-flag questions and when they apply
    scores: tuple[ScoreDef, ...]                 # published clinical scores
    advice: AdviceText
    emergency_contact: Callable[[str], EmergencyContact]
    vocabulary: Mapping[str, FindingDef]
    # The interview's: pain that persists, red-flag keys, where-are-the-symptoms keys.
    persistent: Pred
    red_flag_keys: frozenset[str]
    location_keys: tuple[str, ...]
    # Names of the reusable groups (SPINAL_PAIN …): the generated code names a shared
    # sub-tree after its group.
    group_names: Mapping[Pred, str]


def named_groups(*modules: ModuleType) -> dict[Pred, str]:
    """The compound predicates the modules name as constants (``SPINAL_PAIN = any_of(…)``),
    by value, with their names in lower case; the first name of a group wins."""
    groups: dict[Pred, str] = {}
    for module in modules:
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, Pred) and value.children():
                groups.setdefault(value, name.lower())
    return groups


BUILTIN_KNOWLEDGE = TriageKnowledge(
    version=KNOWLEDGE_VERSION,
    rules=red_flags.RULES,
    unsure_escalation=red_flags.UNSURE_ESCALATION,
    unsure_escalating_keys=red_flags.UNSURE_ESCALATING_KEYS,
    conditions=conditions.CONDITIONS,
    possible=conditions.POSSIBLE,
    likely=conditions.LIKELY,
    insufficient_rule=conditions.INSUFFICIENT_RULE,
    benign_fallback=conditions.BENIGN_FALLBACK,
    deficit_rule=conditions.DEFICIT_RULE,
    adult_age=conditions.ADULT_AGE,
    child_rule=conditions.CHILD_RULE,
    open_screen_rule=conditions.OPEN_SCREEN_RULE,
    spinal_pain=red_flags.SPINAL_PAIN,
    lumbar_or_leg=red_flags.LUMBAR_OR_LEG,
    screen=screening.SCREEN,
    scores=clinical_scores.SCORES,
    advice=advice.ADVICE,
    emergency_contact=emergency_numbers.emergency_contact,
    vocabulary=VOCABULARY,
    persistent=conditions.PERSISTENT,
    red_flag_keys=red_flags.RED_FLAG_KEYS,
    location_keys=screening.LOCATION_KEYS,
    group_names=named_groups(red_flags, screening, conditions, clinical_scores),
)
