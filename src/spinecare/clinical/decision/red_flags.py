"""The decision aid's warning signs: the triage's red-flag table, not a copy of it.

Every sign is a finding key of shared/eval/FINDINGS.md that the triage rules read
(``spinecare.clinical.triage.knowledge.red_flags``); its question is the vocabulary's
question, and the level it leads to is what the triage engine says when that sign
is present in the aid's context. At decision time the aid runs the engine on all
the answers together (``assess_signs``), so combinations (fever with a recent spinal
injection, a cancer history with a nerve deficit) get the triage's level too. The
engine is passed in (the process's one, from ``spinecare.bootstrap``): the aid never
builds or keeps one.

The aid's context: everyone using it has back or neck pain and a limb symptom from
a diagnosed condition, so the four pain sites are set (every rule that needs a pain
site can fire: never under-triage), and the aid's own deficit answer is read as a
nerve symptom (``deficit_findings``).

Old input ids: the decision aid's ``red_flags`` list always used finding keys, and
every id it accepted before is still a warning sign here (a listed id = "yes").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from spinecare.clinical.findings import Findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge.red_flags import (
    RULES as TRIAGE_RULES,
)
from spinecare.clinical.triage.result import Reason as TriageReason
from spinecare.clinical.vocabulary import VOCABULARY


class Urgency(StrEnum):
    """How a warning sign alone is handled by the aid (from its triage level)."""

    EMERGENCY = "emergency"      # triage level emergency: emergency advice only
    URGENT = "urgent"            # triage level urgent: a doctor within 24-48 hours first
    COMBINATION = "combination"  # raises the level only together with other signs


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


# Pain sites every user of the aid is taken to have (see the module docstring).
CONTEXT: dict[str, bool] = {"back_pain": True, "leg_pain": True, "neck_pain": True,
                            "arm_pain": True}
LUMBAR_CONDITIONS = frozenset({"lumbar_spinal_stenosis", "lumbar_radiculopathy_disc_herniation",
                               "nonspecific_low_back_pain"})
CERVICAL_CONDITIONS = frozenset({"cervical_radiculopathy", "cervical_myelopathy"})
# Findings the aid's deficit question ("weakness, numbness, clumsy hands or unsteady
# walking; stable or getting worse; severe?") stands for. A deficit is read as the
# weakest finding that counts as a nerve deficit for the triage rules (numbness), so
# combinations such as cancer or fever with a deficit reach the triage's emergency level.
DEFICIT_KEYS: frozenset[str] = frozenset({
    "leg_weakness", "arm_weakness", "foot_drop", "numbness_tingling_legs",
    "numbness_tingling_arms_hands", "balance_problems", "hand_clumsiness",
    "weakness_progressive", "weakness_severe",
})

# The signs the aid asks, most time-critical first. Which keys are here is the aid's
# choice; what they mean, how they are asked and what they lead to come from triage.
# tests/unit/clinical/decision/test_decision_red_flags.py proves every one is a triage
# red-flag key and
# that every sign (alone or in a pair) that makes the triage say "emergency" for a
# person with stenosis can be told to the aid.
SIGN_KEYS: tuple[str, ...] = (
    # Alone an emergency in triage (cauda equina, aneurysm, fracture).
    "saddle_anaesthesia", "bladder_dysfunction", "urinary_hesitancy_new", "bowel_dysfunction",
    "sexual_dysfunction_new", "sudden_severe_tearing_pain", "collapse_or_faintness",
    "pulsatile_abdominal_mass", "known_aortic_aneurysm", "trauma_recent",
    # Alone urgent; an emergency with a worsening deficit, cancer or fever.
    "leg_weakness_bilateral", "unable_to_walk_or_stand", "fever", "history_of_cancer",
    "cold_pale_feet_or_skin_changes", "foot_pain_at_rest",
    # Risk factors that turn fever with spinal pain into an emergency (spinal infection).
    "iv_drug_use", "immunosuppressed", "recent_infection", "recent_spinal_procedure",
    # A stiff, fused spine breaks after a minor fall or strain (fracture rules).
    "rigid_spine_condition", "falls_recent", "minor_trauma_or_strain",
    # Weak alone (Downie 2013); they count in combination, as in triage.
    "unexplained_weight_loss", "night_pain_unrelenting", "night_sweats",
    # With a cancer history, a band of pain round the trunk is MSCC (NICE NG234).
    "band_like_trunk_pain",
)


def red_flag_level(engine: TriageEngine, findings: Mapping[str, bool],
                   unsure: Collection[str] = ()
                   ) -> tuple[Level | None, tuple[TriageReason, ...]]:
    """The triage's red-flag level (None: no red-flag rule fired) and the rules that fired."""
    knowledge = engine.knowledge
    red_flag_ids = {r.id for r in knowledge.rules} | {knowledge.unsure_escalation.id}
    result = engine.evaluate(Findings(dict(findings)), unsure=tuple(unsure))
    fired = tuple(r for r in result.reasons if r.rule_id in red_flag_ids)
    return max((r.level for r in fired), default=None), fired


def sign_level(engine: TriageEngine, key: str) -> Level | None:
    """The triage level of the sign ``key`` alone in the aid's context (None: it counts
    only in combination)."""
    return red_flag_level(engine, {**CONTEXT, key: True})[0]


def urgency_of(level: Level | None) -> Urgency:
    if level is Level.EMERGENCY:
        return Urgency.EMERGENCY
    if level is Level.URGENT:
        return Urgency.URGENT
    return Urgency.COMBINATION


def sign_urgencies(engine: TriageEngine) -> dict[str, Urgency]:
    """How each warning sign alone is handled, in asking order (one evaluation each)."""
    return {key: urgency_of(sign_level(engine, key)) for key in SIGN_KEYS}


@dataclass(frozen=True, slots=True)
class WarningSign:
    key: str

    @property
    def question(self) -> str:
        return VOCABULARY[self.key].question

    @property
    def help(self) -> str:
        return VOCABULARY[self.key].help

    def level(self, engine: TriageEngine) -> Level | None:
        """The triage level of this sign alone in the aid's context (None: combination only)."""
        return sign_level(engine, self.key)

    def urgency(self, engine: TriageEngine) -> Urgency:
        return urgency_of(self.level(engine))

    @property
    def references(self) -> tuple[str, ...]:
        """The references of every triage rule that reads this finding."""
        refs = [ref for rule in TRIAGE_RULES
                if self.key in rule.when.keys()  # noqa: SIM118 (a predicate, not a dict)
                for ref in rule.references]
        return tuple(dict.fromkeys(refs))


WARNING_SIGNS: dict[str, WarningSign] = {k: WarningSign(k) for k in SIGN_KEYS}
RED_FLAGS = WARNING_SIGNS  # the old name, kept for existing importers


def deficit_findings(condition: str, deficit: str, severe: bool) -> dict[str, bool]:
    """The aid's deficit answers as triage findings (see ``DEFICIT_KEYS``)."""
    if deficit not in ("stable", "progressive") and not severe:
        return {}
    found: dict[str, bool] = {}
    if condition not in CERVICAL_CONDITIONS:
        found["numbness_tingling_legs"] = True
    if condition not in LUMBAR_CONDITIONS:
        found["numbness_tingling_arms_hands"] = True
    if deficit == "progressive":
        found["weakness_progressive"] = True
    if severe:
        found["weakness_severe"] = True
    return found


@dataclass(frozen=True, slots=True)
class SignAssessment:
    """What the warning-sign answers lead to, by the triage's rules."""

    level: Level | None                 # None: no red-flag rule fired
    reasons: tuple[TriageReason, ...]   # the triage rules that fired, plain-language
    yes: tuple[str, ...]
    unsure: tuple[str, ...]
    unanswered: tuple[str, ...]
    # 'Not sure' about a sign that alone is urgent or an emergency: unknown is never
    # 'no', so a check comes before any treatment comparison (the aid's rule; triage
    # escalates the cauda equina and aneurysm signs the same way).
    unsure_needs_check: tuple[str, ...]
    # 'Yes' to a sign that counts only in combination (told to the doctor, no stop).
    combination_only_yes: tuple[str, ...]


def assess_signs(
    engine: TriageEngine, answers: Mapping[str, Answer], *, condition: str = "",
    deficit: str = "none", severe: bool = False,
) -> SignAssessment:
    """Run the triage engine on the answers (yes, no, not sure; absent = unanswered)."""
    findings: dict[str, bool] = {**CONTEXT, **deficit_findings(condition, deficit, severe)}
    for key, answer in answers.items():
        if answer is Answer.YES:
            findings[key] = True
        elif answer is Answer.NO:
            findings[key] = False
    unsure = tuple(k for k in SIGN_KEYS if answers.get(k) is Answer.NOT_SURE)
    level, fired = red_flag_level(engine, findings, unsure)
    yes = tuple(k for k in SIGN_KEYS if answers.get(k) is Answer.YES)
    return SignAssessment(
        level=level,
        reasons=fired,
        yes=yes,
        unsure=unsure,
        unanswered=tuple(k for k in SIGN_KEYS if k not in answers),
        unsure_needs_check=tuple(k for k in unsure if sign_level(engine, k) is not None),
        combination_only_yes=tuple(k for k in yes if sign_level(engine, k) is None),
    )
